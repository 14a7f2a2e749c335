// Comparing two tables sample by sample: two-sample Kolmogorov-Smirnov and Anderson-Darling.
//
// Sources.
//  [SS87]  F. W. Scholz, M. A. Stephens (1987), "K-sample Anderson-Darling tests", JASA 82,
//          918-924: A2akN with midranks for ties (eq. 7), its variance under the null (eq. 4),
//          T = (A2akN - (k - 1)) / sigma_N, and the limiting law of A2kN, sum_j chi2_(k-1) /
//          (j (j + 1)): for k = 2 the limit of the one-sample Anderson-Darling statistic.
//  [MM04]  G. Marsaglia, J. Marsaglia (2004), J. Stat. Softw. 9(2): ADinf, that limit's CDF
//          (anderson_darling_limit_cdf in anderson_darling.cpp).
//  Reference implementations: scipy.stats.anderson_ksamp and ks_2samp of SciPy 1.10 (the
//  statistics, SciPy's interpolated p-value; two_sample.cpp follows them), R's kSamples 1.2-9
//  ad.test (the "asympt. P-value" of the standardized statistic, from tabled quantiles of the
//  same limiting law).
//
// Decisions.
//  - The p-value of the Anderson-Darling comparison that enters the verdict is P(T_inf >= T),
//    T_inf = (A^2_inf - 1) / sigma_inf, sigma_inf^2 = 2 (pi^2 - 9) / 3 = Var(A^2_inf): the limit
//    law of T matched to T's exact mean 0 and variance 1 at the sample sizes, as kSamples does.
//    SciPy's p-value is interpolated in 7 critical values and clipped to [0.001, 0.25]; with
//    Holm over more than about 10 p-values it can never reject. It is reported, not used.
//  - Calibration (tests/unit/comparison_test.cpp and docs/compare.md): with both samples of at
//    least 8 values, the rejection rates of the asymptotic p-value at 0.05, 0.01 and 0.001 are
//    within simulation error of nominal. With fewer values the permutation distribution of
//    A2akN is too coarse (n = 3 + 3: 20 arrangements, and the most extreme, probability 0.1,
//    gets p = 0.03): the p-value is reported but marked not calibrated and kept out of verdicts.
//  - Ties: A2akN of heavily tied samples has a heavier tail than the continuous limit law (with
//    normal values rounded to 0.5, about 12-15 distinct values, the rejection rate at 0.01 is
//    0.017-0.019). With at least 100 distinct values in the pooled sample (bfloat16 rows of a
//    few hundred values, any float32 sample) the rates are nominal; below that the p-value is
//    calibrated only when at most 10% of the values are repeats.
//  - Far tail: 1 - ADinf(z) loses relative accuracy as it approaches 1e-15. From z = 24
//    (p ~ 1e-11) the p-value is the tail expansion P(A^2_inf > z) = sqrt(3) erfc(sqrt z)
//    (1 + 11 / (36 z) + O(z^-2)): the largest weight 1/2 of the chi-squared sum dominates, the
//    others contribute E[e^Y] = prod_(j >= 2) (1 - 2 / (j (j + 1)))^(-1/2) = sqrt(3) and, at the
//    next order, E[Y e^Y] / (2 z E[e^Y]) with sum_(j >= 2) 1 / ((j - 1)(j + 2)) = 11/18.
//    Relative error about 1e-4 at z = 24, less beyond.
//  - A2akN is computed in one sweep over the two sorted samples instead of SciPy's binary
//    searches (18 s for 4 + 4 million values): the terms are the same numbers, the integers
//    N M_ij - B_j n_i exact in double up to 2^53, and they are added with a compensated sum.
//  - The two-sample KS p-value is SciPy's (exact lattice-path count up to 10000 values per
//    sample, conservative under ties; kstwo.sf(D, round(n m / (n + m))) above): calibrated at
//    every size.
#include "embcheck/statistics/comparison.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "embcheck/error.hpp"
#include "embcheck/parallel.hpp"
#include "embcheck/statistics/compensated_sum.hpp"
#include "embcheck/statistics/gof_tests.hpp"
#include "embcheck/statistics/kolmogorov_smirnov.hpp"
#include "embcheck/statistics/sort.hpp"

namespace embcheck {

std::string_view to_string(comparison_test_kind kind) noexcept {
  return kind == comparison_test_kind::ks ? "ks" : "anderson";
}

std::optional<comparison_test_kind> parse_comparison_test(std::string_view name) noexcept {
  for (const comparison_test_kind kind : all_comparison_tests) {
    if (name == to_string(kind)) return kind;
  }
  return std::nullopt;
}

double anderson_2samp_limit_sigma() noexcept {
  return std::sqrt(2.0 * (std::numbers::pi * std::numbers::pi - 9.0) / 3.0);
}

double anderson_2samp_asymptotic_p(double standardized) {
  if (std::isnan(standardized)) throw error("anderson_2samp_asymptotic_p: statistic is NaN");
  const double z = 1.0 + anderson_2samp_limit_sigma() * standardized;
  if (z < 24.0) return std::clamp(1.0 - anderson_darling_limit_cdf(z), 0.0, 1.0);
  return std::sqrt(3.0) * std::erfc(std::sqrt(z)) * (1.0 + 11.0 / (36.0 * z));
}

namespace {

/// SciPy's interpolated p-value for k = 2 (m = 1), shared with anderson_ksamp.
detail::ksamp_significance interpolated(double t) { return detail::anderson_ksamp_significance(t, 1.0); }

/// Variance of A2akN under the null for k = 2 and sizes n1, n2 [SS87, eq. 4].
double anderson_2samp_variance(std::size_t n1, std::size_t n2) {
  const std::array<std::size_t, 2> sizes = {n1, n2};
  return detail::anderson_ksamp_variance(sizes);
}

std::string nonfinite_reason(const char* which, const moments& m) {
  return fmt::format("{}: {} non-finite values ({} NaN, {} +Inf, {} -Inf)", which, m.nonfinite(), m.nan,
                     m.positive_infinity, m.negative_infinity);
}

std::optional<std::string> untestable_reason(const moments& a, const moments& b) {
  std::string reason;
  if (a.nonfinite() > 0) reason = nonfinite_reason("A", a);
  if (b.nonfinite() > 0) reason += (reason.empty() ? "" : "; ") + nonfinite_reason("B", b);
  if (!reason.empty()) return reason;
  if (a.n == 0 || b.n == 0) return fmt::format("empty: A has {} values, B has {}", a.n, b.n);
  if (a.min == a.max && b.min == b.max && a.min == b.min) {
    return fmt::format("constant: every value of A and B is {}", a.min);
  }
  return std::nullopt;
}

/// Buffers one worker reuses from sample to sample.
struct worker_buffers {
  std::vector<double> gathered_a;
  std::vector<double> gathered_b;
  std::vector<double> sorted_a;
  std::vector<double> sorted_b;
};

template <class A, class B>
sample_comparison compare_one(std::span<const A> a, element_type a_type, std::span<const B> b,
                              element_type b_type, std::span<const comparison_test_kind> tests,
                              worker_buffers& buffers) {
  sample_comparison out;
  out.a = compute_moments(a, detail::smallest_normal(a_type));
  out.b = compute_moments(b, detail::smallest_normal(b_type));
  out.difference.mean = out.b.mean - out.a.mean;
  out.difference.variance_ratio = out.b.sample_variance / out.a.sample_variance;
  out.difference.skewness = out.b.skewness - out.a.skewness;
  out.difference.excess_kurtosis = out.b.excess_kurtosis - out.a.excess_kurtosis;
  out.untestable_reason = untestable_reason(out.a, out.b);
  if (out.untestable_reason) return out;
  sort_copy(a, a_type, buffers.sorted_a);
  sort_copy(b, b_type, buffers.sorted_b);
  const std::size_t n_a = a.size();
  const std::size_t n_b = b.size();
  for (const comparison_test_kind kind : tests) {
    comparison_outcome outcome;
    outcome.kind = kind;
    if (kind == comparison_test_kind::ks) {
      const ks_2samp_result ks = ks_2samp_sorted(buffers.sorted_a, buffers.sorted_b);
      outcome.ran = true;
      outcome.statistic = ks.statistic;
      outcome.p_value = ks.p_value;
      outcome.method = ks.method;
    } else if (n_a + n_b < 4) {
      outcome.note = "not run: needs n_a + n_b >= 4";
    } else {
      const anderson_2samp_result ad = anderson_2samp_sorted(buffers.sorted_a, buffers.sorted_b);
      outcome.ran = true;
      outcome.statistic = ad.statistic;
      outcome.p_value = ad.p_value;
      if (std::min(n_a, n_b) < anderson_calibrated_min_n) {
        outcome.p_calibrated = false;
        outcome.note =
            fmt::format("p-value not calibrated: needs n >= {} in both samples", anderson_calibrated_min_n);
      } else if (!anderson_2samp_calibrated(n_a, n_b, ad.distinct)) {
        outcome.p_calibrated = false;
        outcome.note = fmt::format("p-value not calibrated: {} distinct values of {} (heavy ties)",
                                   ad.distinct, n_a + n_b);
      }
      outcome.anderson = ad;
    }
    out.tests.push_back(std::move(outcome));
  }
  if (std::none_of(out.tests.begin(), out.tests.end(), [](const comparison_outcome& t) { return t.ran; })) {
    out.untestable_reason = fmt::format("too short: no selected test runs at n_a = {}, n_b = {}", n_a, n_b);
  }
  return out;
}

}  // namespace

double anderson_2samp_interpolated_p(double standardized) { return interpolated(standardized).p_value; }

bool anderson_2samp_calibrated(std::size_t n_a, std::size_t n_b, std::size_t distinct) noexcept {
  const std::size_t n = n_a + n_b;
  return std::min(n_a, n_b) >= anderson_calibrated_min_n &&
         (distinct >= anderson_calibrated_min_distinct || 10 * (n - distinct) <= n);
}

anderson_2samp_result anderson_2samp_sorted(std::span<const double> first, std::span<const double> second) {
  const std::size_t n1 = first.size();
  const std::size_t n2 = second.size();
  if (n1 == 0 || n2 == 0) throw error("anderson_2samp: a sample without observations");
  if (n1 + n2 < 4) throw error("anderson_2samp: needs at least 4 values in all");
  const double big_n = static_cast<double>(n1 + n2);
  const double size_1 = static_cast<double>(n1);
  const double size_2 = static_cast<double>(n2);
  // For each distinct value v of the pooled sample [SS87, eq. 7]: l ties, B = (values below v)
  // + l/2 and M_i = (values of sample i below v) + (ties of sample i at v)/2.
  detail::compensated_sum sum_1;
  detail::compensated_sum sum_2;
  std::size_t i = 0;
  std::size_t j = 0;
  std::size_t distinct = 0;
  while (i < n1 || j < n2) {
    const double v = i == n1 ? second[j] : j == n2 ? first[i] : std::min(first[i], second[j]);
    std::size_t ties_1 = 0;
    std::size_t ties_2 = 0;
    while (i + ties_1 < n1 && first[i + ties_1] == v) ++ties_1;
    while (j + ties_2 < n2 && second[j + ties_2] == v) ++ties_2;
    const double l = static_cast<double>(ties_1 + ties_2);
    const double bj = static_cast<double>(i + j) + l / 2.0;
    const double m1 = static_cast<double>(i) + static_cast<double>(ties_1) / 2.0;
    const double m2 = static_cast<double>(j) + static_cast<double>(ties_2) / 2.0;
    const double t1 = big_n * m1 - bj * size_1;
    const double t2 = big_n * m2 - bj * size_2;
    const double denominator = bj * (big_n - bj) - big_n * l / 4.0;
    sum_1.add(l / big_n * t1 * t1 / denominator);
    sum_2.add(l / big_n * t2 * t2 / denominator);
    i += ties_1;
    j += ties_2;
    ++distinct;
  }
  if (distinct < 2) throw error("anderson_2samp: needs more than one distinct observation");
  anderson_2samp_result result;
  result.distinct = distinct;
  result.a2 = (sum_1.value() / size_1 + sum_2.value() / size_2) * (big_n - 1.0) / big_n;
  result.sigma = std::sqrt(anderson_2samp_variance(n1, n2));
  result.statistic = (result.a2 - 1.0) / result.sigma;
  const detail::ksamp_significance significance = interpolated(result.statistic);
  result.critical_values = significance.critical_values;
  result.p_value = anderson_2samp_asymptotic_p(result.statistic);
  result.p_value_interpolated = significance.p_value;
  result.p_interpolated_at_least = significance.clipped < 0;
  result.p_interpolated_at_most = significance.clipped > 0;
  return result;
}

const comparison_outcome* sample_comparison::find(comparison_test_kind kind) const noexcept {
  const auto it =
      std::find_if(tests.begin(), tests.end(), [&](const comparison_outcome& t) { return t.kind == kind; });
  return it == tests.end() ? nullptr : &*it;
}

std::size_t table_comparison::unmatched_rows() const noexcept {
  return std::max(rows_a, rows_b) - std::min(rows_a, rows_b);
}

sample_comparison compare_samples(std::span<const double> a, element_type a_type, std::span<const double> b,
                                  element_type b_type, std::span<const comparison_test_kind> tests) {
  worker_buffers buffers;
  return compare_one(a, a_type, b, b_type, tests, buffers);
}

table_comparison compare_tables(const table& a, const table& b, const comparison_options& options) {
  if (options.axis.columns && a.dim != b.dim) {
    throw error(
        fmt::format("columns need equal dims: A is {} x {}, B is {} x {}", a.rows, a.dim, b.rows, b.dim));
  }
  table_comparison result;
  result.rows_a = a.rows;
  result.rows_b = b.rows;
  const std::size_t matched = std::min(a.rows, b.rows);
  const std::size_t pooled_jobs = options.axis.table ? 1 : 0;
  const std::size_t row_jobs = options.axis.rows ? matched : 0;
  const std::size_t column_jobs = options.axis.columns ? a.dim : 0;
  result.rows.resize(row_jobs);
  result.columns.resize(column_jobs);
  if (options.axis.table) result.pooled.emplace();

  // Jobs: 0 is the pooled sample (the largest, first so that it overlaps with the rest), then
  // rows, then columns.
  const std::size_t jobs = pooled_jobs + row_jobs + column_jobs;
  std::vector<worker_buffers> buffers(std::max(1u, options.threads));
  detail::parallel_for(jobs, options.threads, [&](std::size_t job, unsigned worker) {
    if (job < pooled_jobs) {
      worker_buffers own;
      *result.pooled = a.visit([&](auto all_a) {
        return b.visit([&](auto all_b) {
          return compare_one(all_a, a.source_type, all_b, b.source_type, options.tests, own);
        });
      });
    } else if (job < pooled_jobs + row_jobs) {
      const std::size_t row = job - pooled_jobs;
      result.rows[row] = a.visit_row(row, [&](auto row_a) {
        return b.visit_row(row, [&](auto row_b) {
          return compare_one(row_a, a.source_type, row_b, b.source_type, options.tests, buffers[worker]);
        });
      });
    } else {
      const std::size_t column = job - pooled_jobs - row_jobs;
      buffers[worker].gathered_a.clear();
      for (std::size_t row = 0; row < a.rows; ++row)
        buffers[worker].gathered_a.push_back(a.value(row * a.dim + column));
      buffers[worker].gathered_b.clear();
      for (std::size_t row = 0; row < b.rows; ++row)
        buffers[worker].gathered_b.push_back(b.value(row * b.dim + column));
      result.columns[column] = compare_one(std::span<const double>(buffers[worker].gathered_a), a.source_type,
                                           std::span<const double>(buffers[worker].gathered_b), b.source_type,
                                           options.tests, buffers[worker]);
    }
  });
  return result;
}

table_judgement judge_comparison(const table_comparison& comparison, const verdict_policy& policy) {
  table_judgement result;
  result.rows.resize(comparison.rows.size());
  result.columns.resize(comparison.columns.size());
  if (comparison.pooled) result.pooled.emplace();
  // With one row in each table and that row compared, the pooled sample is that row again: out
  // of the family, with the row's verdict.
  const bool same_as_row = comparison.rows.size() == 1 && comparison.rows_a == 1 && comparison.rows_b == 1;
  detail::judge_samples(
      [&](const auto& f) {
        for (std::size_t i = 0; i < comparison.rows.size(); ++i) f(comparison.rows[i], result.rows[i], true);
        for (std::size_t j = 0; j < comparison.columns.size(); ++j)
          f(comparison.columns[j], result.columns[j], true);
        if (comparison.pooled) f(*comparison.pooled, *result.pooled, !same_as_row);
      },
      policy, result);
  if (comparison.pooled && same_as_row) detail::judge_as(result.rows[0], *result.pooled);
  return result;
}

}  // namespace embcheck
