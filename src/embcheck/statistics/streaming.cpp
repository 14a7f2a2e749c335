// Streamed analysis: rows tested block by block, the pooled table summarised without holding it.
//
// Moments: the central sums of parts merge exactly in real arithmetic (Chan, Golub and LeVeque,
// "Updating formulae and a pairwise algorithm for computing sample variances", 1979; Pébay,
// "Formulas for robust, one-pass parallel computation of covariances and arbitrary-order
// statistical moments", Sandia SAND2008-6212, eq. 3.1). Rows are merged in row order, so the
// result does not depend on the number of threads.
//
// Kolmogorov-Smirnov from a histogram of u = F(x) with B equal bins: let C_k be the number of
// values with u below k/B. In bin k, F_n(u) - u <= C_{k+1}/n - k/B, and the largest u of a
// non-empty bin attains at least C_{k+1}/n - (k+1)/B; likewise u - F_n(u-) <= (k+1)/B - C_k/n
// and the smallest u of a non-empty bin attains at least k/B - C_k/n. So D is bracketed by
// bounds 1/B apart. The p-value is taken at the lower bound, which makes it an upper bound of the
// true p-value (conservative for a gate), and is flagged so.
#include "embcheck/statistics/streaming.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "embcheck/error.hpp"
#include "embcheck/parallel.hpp"
#include "embcheck/statistics/kolmogorov_smirnov.hpp"

namespace embcheck {

std::span<const double> held_rows::next_rows(std::size_t count) {
  const std::size_t first = next_ * values_.dim;
  const std::size_t size = count * values_.dim;
  next_ += count;
  if (values_.source_type == element_type::float64) return {values_.doubles.data() + first, size};
  buffer_.assign(values_.floats.begin() + static_cast<std::ptrdiff_t>(first),
                 values_.floats.begin() + static_cast<std::ptrdiff_t>(first + size));
  return buffer_;
}

void moments_merger::add(const moments& part) noexcept {
  counts_.n += part.n;
  counts_.nan += part.nan;
  counts_.positive_infinity += part.positive_infinity;
  counts_.negative_infinity += part.negative_infinity;
  counts_.zeros += part.zeros;
  counts_.subnormals += part.subnormals;
  if (part.finite == 0) return;
  if (counts_.finite == 0) {
    counts_.min = part.min;
    counts_.max = part.max;
  } else {
    counts_.min = std::min(counts_.min, part.min);
    counts_.max = std::max(counts_.max, part.max);
  }
  const double nb = static_cast<double>(part.finite);
  const double m2b = part.variance * nb;
  const bool spread = part.variance > 0.0 && std::isfinite(part.skewness);
  const double m3b = spread ? part.skewness * part.variance * std::sqrt(part.variance) * nb : 0.0;
  const double m4b = spread ? (part.excess_kurtosis + 3.0) * part.variance * part.variance * nb : 0.0;
  if (counts_.finite == 0) {
    mean_ = part.mean;
    m2_ = m2b;
    m3_ = m3b;
    m4_ = m4b;
    counts_.finite = part.finite;
    return;
  }
  const double na = static_cast<double>(counts_.finite);
  const double n = na + nb;
  const double delta = part.mean - mean_;
  const double delta_n = delta / n;
  const double m2 = m2_ + m2b + delta * delta_n * na * nb;
  const double m3 =
      m3_ + m3b + delta * delta_n * delta_n * na * nb * (na - nb) + 3.0 * delta_n * (na * m2b - nb * m2_);
  const double m4 =
      m4_ + m4b + delta * delta_n * delta_n * delta_n * na * nb * (na * na - na * nb + nb * nb) +
      6.0 * delta_n * delta_n * (na * na * m2b + nb * nb * m2_) + 4.0 * delta_n * (na * m3b - nb * m3_);
  mean_ += delta_n * nb;
  m2_ = m2;
  m3_ = m3;
  m4_ = m4;
  counts_.finite += part.finite;
}

moments moments_merger::result() const noexcept {
  moments out = counts_;
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  if (out.finite == 0) {
    out.mean = out.variance = out.sample_variance = out.std = nan;
    out.min = out.max = out.skewness = out.excess_kurtosis = nan;
    return out;
  }
  const double n = static_cast<double>(out.finite);
  out.mean = mean_;
  out.variance = out.min == out.max ? 0.0 : std::max(0.0, m2_ / n);
  out.sample_variance = out.finite >= 2 ? out.variance * n / (n - 1.0) : nan;
  out.std = std::sqrt(out.sample_variance);
  if (out.variance > 0.0) {
    out.skewness = (m3_ / n) / (out.variance * std::sqrt(out.variance));
    out.excess_kurtosis = (m4_ / n) / (out.variance * out.variance) - 3.0;
  } else {
    out.skewness = out.excess_kurtosis = nan;
  }
  return out;
}

cdf_histogram::cdf_histogram() : counts_(bins, 0) {}

namespace {

/// Throws when `more` values would take the histogram's count past its 32-bit bins.
void check_room(std::uint64_t count, std::size_t more) {
  if (count + more > std::numeric_limits<std::uint32_t>::max()) {
    throw error("the pooled histogram holds at most 2^32 - 1 values");
  }
}

/// The bin of F = u among `bins` equal bins of [0, 1].
std::size_t bin_of(double u, std::size_t bins) noexcept {
  const double scale = static_cast<double>(bins);
  return static_cast<std::size_t>(std::clamp(u * scale, 0.0, scale - 1.0));
}

}  // namespace

void cdf_histogram::add(std::span<const double> values, const null_hypothesis& null) {
  check_room(count_, values.size());
  for (const double x : values) {
    if (!std::isfinite(x)) continue;
    ++counts_[bin_of(null.cdf(x), bins)];
    ++count_;
  }
}

void cdf_histogram::add_cdf_values(std::span<const double> cdf_values) {
  check_room(count_, cdf_values.size());
  for (const double u : cdf_values) ++counts_[bin_of(u, bins)];
  count_ += cdf_values.size();
}

void cdf_histogram::merge(const cdf_histogram& other) {
  for (std::size_t k = 0; k < bins; ++k) counts_[k] += other.counts_[k];
  count_ += other.count_;
}

d_interval cdf_histogram::statistic() const {
  d_interval out;
  if (count_ == 0) return out;
  const double n = static_cast<double>(count_);
  const double width = 1.0 / static_cast<double>(bins);
  std::uint64_t below = 0;  // C_k
  for (std::size_t k = 0; k < bins; ++k) {
    const std::uint64_t through = below + counts_[k];  // C_{k+1}
    const double lo_edge = static_cast<double>(k) * width;
    const double hi_edge = static_cast<double>(k + 1) * width;
    const double f_below = static_cast<double>(below) / n;
    const double f_through = static_cast<double>(through) / n;
    out.upper = std::max({out.upper, f_through - lo_edge, hi_edge - f_below});
    if (counts_[k] > 0) out.lower = std::max({out.lower, f_through - hi_edge, lo_edge - f_below});
    below = through;
  }
  out.upper = std::min(out.upper, out.lower + width);
  return out;
}

void analyse_rows_streaming(row_source& source, const analysis_options& options, std::size_t block_values,
                            const std::function<void(row_analysis&&, std::span<const double>)>& on_row,
                            streamed_pooled* pool) {
  const std::size_t rows = source.rows();
  const std::size_t dim = source.dim();
  const element_type type = source.type();
  const unsigned thread_count = std::max(1u, options.threads);
  const std::size_t block_rows =
      std::clamp<std::size_t>(block_values / std::max<std::size_t>(dim, 1), thread_count, rows);
  // The F(x) histogram costs a CDF evaluation per value: only when the pooled KS test is wanted.
  const bool histogram =
      pool != nullptr && options.axis.table && !options.null.fitted &&
      std::find(options.tests.begin(), options.tests.end(), test_kind::ks) != options.tests.end();
  const auto is_padding = [&](std::size_t row) { return options.padding_row && *options.padding_row == row; };

  test_constants_cache cache;
  std::vector<detail::worker_buffers> buffers(thread_count);
  std::vector<std::optional<cdf_histogram>> histograms(thread_count);
  moments_merger merger;
  std::vector<row_analysis> block(block_rows);
  for (std::size_t first = 0; first < rows; first += block_rows) {
    const std::size_t count = std::min(block_rows, rows - first);
    const std::span<const double> values = source.next_rows(count);
    detail::parallel_for(count, thread_count, [&](std::size_t i, unsigned id) {
      const std::size_t row = first + i;
      const std::span<const double> row_values = values.subspan(i * dim, dim);
      row_analysis& out = block[i];
      out = row_analysis{};
      out.index = row;
      if (is_padding(row)) {
        out.padding = true;
        out.sample.stats = compute_moments(row_values, detail::smallest_normal(type));
        return;
      }
      if (options.axis.rows) {
        out.sample = detail::analyse_one(row_values, type, options, cache, buffers[id]);
      } else {
        out.sample.stats = compute_moments(row_values, detail::smallest_normal(type));
      }
      if (histogram) {
        if (!histograms[id]) histograms[id].emplace();
        // A row whose KS test ran left F(x) of its values, sorted, in its buffer (run_battery
        // writes F over the sorted copy): counted from there, without a CDF evaluation a value
        // and with the bins touched in order (2^22 of them, 16 MB, met at random otherwise).
        const test_outcome* ks = out.sample.find(test_kind::ks);
        if (ks != nullptr && ks->ran) {
          histograms[id]->add_cdf_values(buffers[id].sorted);
        } else {
          histograms[id]->add(row_values, options.null);
        }
      }
    });
    for (std::size_t i = 0; i < count; ++i) {
      if (pool != nullptr && !block[i].padding) merger.add(block[i].sample.stats);
      on_row(std::move(block[i]), values.subspan(i * dim, dim));
    }
  }
  if (pool != nullptr) {
    pool->stats = merger.result();
    if (histogram) {
      pool->histogram.emplace();
      for (const auto& part : histograms) {
        if (part) pool->histogram->merge(*part);
      }
    }
  }
}

sample_analysis analyse_streamed_pooled(const streamed_pooled& pooled, const analysis_options& options) {
  sample_analysis out;
  out.stats = pooled.stats;
  out.untestable_reason = detail::untestable_reason(out.stats);
  if (out.untestable_reason) return out;
  std::optional<d_interval> ks_d;
  if (pooled.histogram) ks_d = pooled.histogram->statistic();
  out.tests = run_battery_on_summary(out.stats, options.null, options.tests, ks_d);
  return out;
}

}  // namespace embcheck
