// The test battery: dispatch to the tests, their applicability and per-n constants.
// Each test cites its own source in its .cpp.
#include "embcheck/statistics/battery.hpp"

#include <algorithm>
#include <future>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "embcheck/parallel.hpp"
#include "embcheck/statistics/composite_tests.hpp"
#include "embcheck/statistics/gof_tests.hpp"
#include "embcheck/statistics/kolmogorov_smirnov.hpp"
#include "embcheck/statistics/normal_quantile.hpp"
#include "embcheck/statistics/shapiro_wilk.hpp"

namespace embcheck {

struct test_constants_cache::impl {
  template <class T>
  using entries = std::map<std::size_t, std::shared_future<std::shared_ptr<const T>>>;

  std::mutex mutex;
  entries<shapiro_wilk_coefficients> shapiro_wilk;
  entries<shapiro_francia_scores> shapiro_francia;

  /// The constants for n: made by the first thread that asks (outside the lock); a thread that
  /// asks while they are being made waits for them instead of making them again.
  template <class T>
  std::shared_ptr<const T> lookup(entries<T>& map, std::size_t n) {
    std::promise<std::shared_ptr<const T>> promise;
    std::shared_future<std::shared_ptr<const T>> future;
    {
      const std::lock_guard lock(mutex);
      if (const auto it = map.find(n); it != map.end()) {
        future = it->second;
      } else {
        map.emplace(n, promise.get_future().share());
      }
    }
    if (future.valid()) return future.get();
    try {
      auto made = std::make_shared<const T>(n);
      promise.set_value(made);
      return made;
    } catch (...) {
      promise.set_exception(std::current_exception());
      throw;
    }
  }
};

test_constants_cache::test_constants_cache() : impl_(std::make_unique<impl>()) {}
test_constants_cache::~test_constants_cache() = default;

namespace {

/// Smallest n at which these p-values were shown calibrated by embcheck-calibrate
/// (docs/calibration.md); below it they are reported and kept out of the verdict.
constexpr std::size_t chi_squared_calibrated_size = 100;    // discrete p-values below
constexpr std::size_t jarque_bera_calibrated_size = 20000;  // asymptotic chi-squared(2) law converges slowly
constexpr std::size_t dagostino_pearson_calibrated_size = 100;

struct test_info {
  test_kind kind;
  std::string_view name;
  std::size_t minimum_n;
  bool normal_simple;
  bool uniform_simple;
  bool normal_fitted;
};

constexpr test_info infos[] = {
    {test_kind::ks, "ks", 1, true, true, false},
    {test_kind::shapiro_wilk, "shapiro_wilk", 3, true, false, true},
    {test_kind::anderson_darling, "anderson_darling", 1, true, true, false},
    {test_kind::cramer_von_mises, "cramer_von_mises", 1, true, true, false},
    {test_kind::chi_squared, "chi_squared", 10, true, true, false},
    {test_kind::jarque_bera, "jarque_bera", 3, true, false, true},
    {test_kind::dagostino_pearson, "dagostino_pearson", 8, true, false, true},
    {test_kind::mean, "mean", 1, true, false, false},
    {test_kind::variance, "variance", 2, true, false, false},
    {test_kind::lilliefors, "lilliefors", lilliefors_minimum_size, false, false, true},
    {test_kind::anderson_darling_composite, "anderson_darling_composite",
     anderson_darling_composite_minimum_size, false, false, true},
    {test_kind::shapiro_francia, "shapiro_francia", shapiro_francia_minimum_size, false, false, true},
};

const test_info& info(test_kind kind) noexcept {
  return *std::find_if(std::begin(infos), std::end(infos),
                       [&](const test_info& i) { return i.kind == kind; });
}

/// The outcome of `kind` at sample size n before it runs: marked ran, or not run with a note
/// when n is below the test's minimum.
test_outcome start_outcome(test_kind kind, std::size_t n) {
  test_outcome out;
  out.kind = kind;
  if (n < info(kind).minimum_n) {
    out.note = fmt::format("not run: needs n >= {}", info(kind).minimum_n);
  } else {
    out.ran = true;
  }
  return out;
}

void set(test_outcome& out, const test_result& r) {
  out.statistic = r.statistic;
  out.p_value = r.p_value;
  out.p_is_upper_bound = r.p_is_upper_bound;
}

void set(test_outcome& out, const composite_result& r) {
  out.statistic = r.statistic;
  out.p_value = r.p_value;
  out.p_is_upper_bound = r.p_is_upper_bound;
  out.p_calibrated = r.p_calibrated;
  if (!r.p_calibrated) out.note = "p-value not calibrated at this n (formula extrapolated)";
}

/// Runs the moment test `out.kind` (mean, variance, jarque_bera or dagostino_pearson) from the
/// sample's moments. They are not finite when the sample's sums overflow double even about its
/// first value and in units of its spread (values spanning nearly all of double's range, such
/// as -1.7e308 and 1.7e308): the test is then not run, with the reason, instead of ending the
/// check.
void set_moment_test(test_outcome& out, const moments& stats, const null_hypothesis& null) {
  const bool reads_shape = out.kind == test_kind::jarque_bera || out.kind == test_kind::dagostino_pearson;
  const bool finite =
      std::isfinite(stats.mean) && std::isfinite(stats.variance) &&
      (!reads_shape || (std::isfinite(stats.skewness) && std::isfinite(stats.excess_kurtosis)));
  if (!finite) {
    out.ran = false;
    out.note = "not run: the sample's moments are not finite in double at its scale";
    return;
  }
  switch (out.kind) {
    case test_kind::jarque_bera: set(out, jarque_bera_test(stats)); break;
    case test_kind::dagostino_pearson: set(out, dagostino_pearson_test(stats)); break;
    case test_kind::mean: set(out, mean_z_test(stats, null.mean(), null.std())); break;
    default: set(out, variance_chi_squared_test(stats, null.std())); break;
  }
}

/// Sizes below which an asymptotic p-value was found miscalibrated (docs/calibration.md):
/// the p-value is still reported, but kept out of the verdict.
void apply_calibrated_range(test_outcome& out, std::size_t n) {
  std::size_t smallest = 0;
  switch (out.kind) {
    case test_kind::chi_squared: smallest = chi_squared_calibrated_size; break;
    case test_kind::jarque_bera: smallest = jarque_bera_calibrated_size; break;
    case test_kind::dagostino_pearson: smallest = dagostino_pearson_calibrated_size; break;
    case test_kind::lilliefors:
    case test_kind::anderson_darling_composite:
      // nortest's p-value formulas are accurate in the tail but not uniform over [0, 1]:
      // embcheck-calibrate rejects their uniformity at several n (docs/calibration.md).
      out.p_calibrated = false;
      out.note =
          "p-value approximate (nortest's formula), not uniform under the null: not used in the verdict";
      return;
    default: return;
  }
  if (n < smallest) {
    out.p_calibrated = false;
    out.note = fmt::format("p-value not calibrated below n = {} (asymptotic chi-squared law)", smallest);
  }
}

}  // namespace

std::string_view to_string(test_kind kind) noexcept { return info(kind).name; }

std::optional<test_kind> parse_test_kind(std::string_view name) noexcept {
  for (const test_info& i : infos) {
    if (i.name == name) return i.kind;
  }
  return std::nullopt;
}

bool applies_to(test_kind kind, const null_hypothesis& null) noexcept {
  const test_info& i = info(kind);
  if (null.fitted) return i.normal_fitted;
  return null.family == null_family::normal ? i.normal_simple : i.uniform_simple;
}

std::vector<test_kind> default_tests(const null_hypothesis& null) {
  if (null.fitted) return {test_kind::shapiro_wilk};
  if (null.family == null_family::uniform) return {test_kind::ks, test_kind::anderson_darling};
  return {test_kind::ks, test_kind::shapiro_wilk, test_kind::anderson_darling, test_kind::mean,
          test_kind::variance};
}

namespace {

/// Whether the test reads the sorted sample (x or F(x)); the moment tests read only the moments.
bool reads_sample(test_kind kind) noexcept {
  return kind != test_kind::mean && kind != test_kind::variance && kind != test_kind::jarque_bera &&
         kind != test_kind::dagostino_pearson;
}

}  // namespace

bool needs_sorted_sample(std::span<const test_kind> tests) noexcept {
  return std::any_of(tests.begin(), tests.end(), reads_sample);
}

namespace {

/// Whether the test reads F(x) of the sorted sample (the others read x or only the moments).
bool reads_cdf_values(test_kind kind) noexcept {
  return kind == test_kind::ks || kind == test_kind::anderson_darling ||
         kind == test_kind::cramer_von_mises || kind == test_kind::chi_squared;
}

}  // namespace

// The tests of x (Shapiro-Wilk, Lilliefors...) run first; then F(x) is written over the sorted
// sample for the tests of F(x): one array of n doubles instead of two (for the pooled table of
// 4 M values that is 32 MB of fresh pages fewer). The outcomes keep the order of `tests`.
// A long sample tested alone (threads > 1) runs the tests of each pass side by side, one test a
// thread, and Anderson-Darling's sum in its parts: each test's arithmetic is the one of a single
// thread, so the results do not change.
std::vector<test_outcome> run_battery(std::span<double> sorted, const moments& stats,
                                      const null_hypothesis& null, std::span<const test_kind> tests,
                                      test_constants_cache& cache, unsigned threads) {
  const std::size_t n = stats.n;
  std::vector<test_outcome> outcomes;
  outcomes.reserve(tests.size());
  for (const test_kind kind : tests) outcomes.push_back(start_outcome(kind, n));
  // 1 - F(x) of the values in the upper tail, for Anderson-Darling (filled before F is written).
  std::vector<double> upper_tail;
  const auto run_test = [&](std::size_t t) {
    const test_kind kind = tests[t];
    test_outcome& out = outcomes[t];
    const std::span<const double> cdf_values = sorted;
    switch (kind) {
      case test_kind::ks: {
        const ks_result r = kolmogorov_smirnov_test(cdf_values);
        out.statistic = r.statistic;
        out.p_value = r.p_value;
        out.details = {{"d_plus", r.d_plus},
                       {"d_minus", r.d_minus},
                       {"p_value_plus", r.p_value_plus},
                       {"p_value_minus", r.p_value_minus}};
        break;
      }
      case test_kind::shapiro_wilk: {
        const auto coefficients = cache.get().lookup(cache.get().shapiro_wilk, n);
        const shapiro_wilk_result r = shapiro_wilk_test(sorted, *coefficients);
        out.statistic = r.w;
        out.p_value = r.p_value;
        out.p_calibrated = r.p_calibrated;
        out.details = {{"one_minus_w", r.one_minus_w}};
        if (!r.p_calibrated) out.note = "p-value not calibrated at this n (Royston's extrapolation)";
        break;
      }
      case test_kind::anderson_darling: set(out, anderson_darling_test(cdf_values, upper_tail)); break;
      case test_kind::cramer_von_mises: set(out, cramer_von_mises_test(cdf_values)); break;
      case test_kind::chi_squared:
        set(out, chi_squared_test(cdf_values));
        out.details = {{"bins", static_cast<double>(chi_squared_default_bins(n))}};
        break;
      case test_kind::jarque_bera:
      case test_kind::dagostino_pearson:
      case test_kind::mean:
      case test_kind::variance: set_moment_test(out, stats, null); break;
      case test_kind::lilliefors: set(out, lilliefors_test(sorted)); break;
      case test_kind::anderson_darling_composite: set(out, anderson_darling_composite_test(sorted)); break;
      case test_kind::shapiro_francia: {
        const auto scores = cache.get().lookup(cache.get().shapiro_francia, n);
        set(out, shapiro_francia_test(sorted, *scores));
        break;
      }
    }
    if (out.ran && out.p_calibrated) apply_calibrated_range(out, n);
  };
  // Below this many values a thread's start costs about what the shortest test takes.
  constexpr std::size_t side_by_side_min = std::size_t{1} << 17;
  std::vector<std::size_t> pass;
  for (const bool cdf_pass : {false, true}) {
    pass.clear();
    for (std::size_t t = 0; t < tests.size(); ++t) {
      if (outcomes[t].ran && reads_cdf_values(tests[t]) == cdf_pass) pass.push_back(t);
    }
    if (pass.empty()) continue;
    const auto ad = std::find_if(pass.begin(), pass.end(),
                                 [&](std::size_t t) { return tests[t] == test_kind::anderson_darling; });
    if (cdf_pass && ad != pass.end()) {
      // Anderson-Darling reads 1 - F(x), which the subtraction from F near 1 keeps to ~1e-16
      // absolute only: for the values where 1 - F < 2^-7 (2.4 sd above a normal null's mean;
      // 0.8% of a sample from the null, at most n/8 taken) it is computed directly instead.
      const double threshold = null.family == null_family::normal
                                   ? null.a + null.b * normal_quantile(1.0 - 0x1p-7)
                                   : null.b - (null.b - null.a) * 0x1p-7;
      const auto first = std::upper_bound(sorted.begin(), sorted.end(), threshold);
      const auto count = std::min<std::size_t>(static_cast<std::size_t>(sorted.end() - first), n / 8 + 1);
      upper_tail.assign(sorted.end() - static_cast<std::ptrdiff_t>(count), sorted.end());
      null.upper_tail_in_place(upper_tail);
    }
    if (cdf_pass) {
      // Each value's F(x) is its own (the vector erfc works lane by lane), so the sample can be
      // cut anywhere; parts of 2^17 values or more, each thread's a multiple of 4.
      constexpr std::size_t smallest_part = std::size_t{1} << 17;
      const std::size_t parts =
          std::clamp<std::size_t>(sorted.size() / smallest_part, 1, std::max(1u, threads));
      const std::size_t part = (sorted.size() / parts + 3) / 4 * 4;
      detail::parallel_for(parts, threads, [&](std::size_t k, unsigned) {
        const std::size_t begin = std::min(sorted.size(), k * part);
        null.cdf_in_place(sorted.subspan(
            begin, k + 1 == parts ? sorted.size() - begin : std::min(part, sorted.size() - begin)));
      });
    }
    const auto heavy = [&](std::size_t t) { return reads_sample(tests[t]); };
    if (threads == 1 || n < side_by_side_min ||
        (ad == pass.end() && std::count_if(pass.begin(), pass.end(), heavy) < 2)) {
      for (const std::size_t t : pass) run_test(t);
      continue;
    }
    // Jobs: each test of the pass, and Anderson-Darling's sum as its fixed parts (added in the
    // same parts, in the same order, as anderson_darling_test adds them on one thread), so that
    // it does not end the check alone: at 1 x 10^8 it ran 0.3 s by itself after KS.
    constexpr std::size_t whole = std::numeric_limits<std::size_t>::max();
    std::vector<std::pair<std::size_t, std::size_t>> jobs;  // (test, part of its sum or `whole`)
    std::vector<detail::anderson_darling_part> ad_parts;
    for (const std::size_t t : pass) {
      if (tests[t] != test_kind::anderson_darling) {
        jobs.emplace_back(t, whole);
        continue;
      }
      ad_parts.resize(detail::anderson_darling_parts(sorted.size()));
      for (std::size_t k = 0; k < ad_parts.size(); ++k) jobs.emplace_back(t, k);
    }
    detail::parallel_for(jobs.size(), threads, [&](std::size_t k, unsigned) {
      const auto [t, part] = jobs[k];
      if (part == whole) {
        run_test(t);
      } else {
        ad_parts[part] = detail::anderson_darling_sum_part(sorted, part, upper_tail);
      }
    });
    if (ad != pass.end()) {
      test_outcome& out = outcomes[*ad];
      set(out, detail::anderson_darling_from_parts(ad_parts, sorted.size()));
      if (out.p_calibrated) apply_calibrated_range(out, n);
    }
  }
  return outcomes;
}

std::vector<test_outcome> run_battery_on_summary(const moments& stats, const null_hypothesis& null,
                                                 std::span<const test_kind> tests,
                                                 const std::optional<d_interval>& ks_d) {
  std::vector<test_outcome> outcomes;
  outcomes.reserve(tests.size());
  const std::size_t n = stats.finite;
  for (const test_kind kind : tests) {
    test_outcome out = start_outcome(kind, n);
    if (!out.ran) {
      outcomes.push_back(std::move(out));
      continue;
    }
    switch (kind) {
      case test_kind::ks:
        if (!ks_d) {
          out.ran = false;
          out.note = "not run: streamed without a histogram of F(x)";
          break;
        }
        // The p-value at the lower bound of D is at least the true p-value.
        out.statistic = ks_d->lower;
        out.p_value = kolmogorov_sf(static_cast<std::int64_t>(n), ks_d->lower);
        out.p_is_upper_bound = ks_d->upper > ks_d->lower;
        out.details = {{"d_upper", ks_d->upper}};
        break;
      case test_kind::jarque_bera:
      case test_kind::dagostino_pearson:
      case test_kind::mean:
      case test_kind::variance: set_moment_test(out, stats, null); break;
      default:
        out.ran = false;
        out.note = "not run: needs the whole sorted table, which a streamed analysis does not hold";
        break;
    }
    if (out.ran && out.p_calibrated) apply_calibrated_range(out, n);
    outcomes.push_back(std::move(out));
  }
  return outcomes;
}

void test_constants_cache::prepare(std::span<const test_kind> tests, std::size_t n) {
  for (const test_kind kind : tests) {
    if (!start_outcome(kind, n).ran) continue;
    if (kind == test_kind::shapiro_wilk) (void)impl_->lookup(impl_->shapiro_wilk, n);
    if (kind == test_kind::shapiro_francia) (void)impl_->lookup(impl_->shapiro_francia, n);
  }
}

void test_constants_cache::release(std::size_t n) {
  const std::lock_guard lock(impl_->mutex);
  impl_->shapiro_wilk.erase(n);
  impl_->shapiro_francia.erase(n);
}

}  // namespace embcheck
