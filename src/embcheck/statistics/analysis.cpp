// Per-row and pooled analysis of a table.
//
// Each row is copied, sorted once, and the sorted copy serves both tests: the KS statistic
// needs F(x_(i)) in order and Shapiro-Wilk needs the order statistics. Shapiro-Wilk
// coefficients depend only on n, so one set serves every row. Sorting is a radix sort
// (sort.hpp), linear in n; the pooled sample is the sorted rows sorted once more.
#include "embcheck/statistics/analysis.hpp"
#include "embcheck/statistics/sort.hpp"

#include <algorithm>
#include <atomic>
#include <cfloat>
#include <cmath>
#include <exception>
#include <mutex>
#include <numbers>
#include <thread>

#include <fmt/format.h>

namespace embcheck {
namespace {

double smallest_normal(element_type type) noexcept {
  return type == element_type::float32 ? double{FLT_MIN} : DBL_MIN;
}

std::optional<std::string> untestable_reason(const moments& stats) {
  if (stats.nonfinite() > 0) {
    return fmt::format("{} non-finite values ({} NaN, {} +Inf, {} -Inf)", stats.nonfinite(), stats.nan,
                       stats.positive_infinity, stats.negative_infinity);
  }
  if (stats.n < minimum_testable_size) {
    return fmt::format("too short: n = {}, the tests need at least {}", stats.n, minimum_testable_size);
  }
  if (stats.min == stats.max) return fmt::format("constant: every value is {}", stats.min);
  return std::nullopt;
}

/// Runs the tests on a sorted, finite, non-constant sample.
void run_tests(std::span<const double> sorted, const normal_null& null,
               const shapiro_wilk_coefficients& coefficients, std::vector<double>& cdf_buffer,
               sample_analysis& out) {
  cdf_buffer.resize(sorted.size());
  const double scale = 1.0 / (null.std * std::numbers::sqrt2);
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    cdf_buffer[i] = 0.5 * std::erfc(-(sorted[i] - null.mean) * scale);
  }
  out.ks = kolmogorov_smirnov_test(cdf_buffer);
  out.shapiro_wilk = shapiro_wilk_test(sorted, coefficients);
}

}  // namespace

table_analysis analyse_table(const table& values, const analysis_options& options) {
  table_analysis result;
  result.rows.resize(values.rows);
  const double tiny = smallest_normal(values.source_type);
  const auto is_padding = [&](std::size_t row) { return options.padding_row && *options.padding_row == row; };
  const std::size_t tested_rows =
      values.rows - ((options.padding_row && *options.padding_row < values.rows) ? 1 : 0);

  // Sorted copies of the tested rows, one run of `dim` values per row, for the pooled merge.
  std::vector<double> sorted(tested_rows * values.dim);
  std::vector<std::size_t> slot(values.rows);
  for (std::size_t row = 0, next = 0; row < values.rows; ++row) slot[row] = is_padding(row) ? 0 : next++;

  std::optional<shapiro_wilk_coefficients> row_coefficients;
  if (values.dim >= minimum_testable_size) row_coefficients.emplace(values.dim);

  std::atomic<std::size_t> next_row{0};
  std::atomic<bool> all_sorted{true};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  const auto worker = [&] {
    try {
      std::vector<double> cdf_buffer;
      for (std::size_t row = next_row++; row < values.rows; row = next_row++) {
        row_analysis& out = result.rows[row];
        out.index = row;
        const auto data = values.row(row);
        out.sample.stats = compute_moments(data, tiny);
        if (is_padding(row)) {
          out.padding = true;
          continue;
        }
        out.sample.untestable_reason = untestable_reason(out.sample.stats);
        if (out.sample.stats.nonfinite() > 0) {
          all_sorted = false;  // NaN has no order: the pooled sample is untestable too
          continue;
        }
        const std::span<double> run(sorted.data() + slot[row] * values.dim, values.dim);
        std::copy(data.begin(), data.end(), run.begin());
        sort_values(run, values.source_type);
        if (!out.sample.untestable_reason)
          run_tests(run, options.null, *row_coefficients, cdf_buffer, out.sample);
      }
    } catch (...) {
      const std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
    }
  };
  {
    const unsigned thread_count =
        std::max(1u, std::min<unsigned>(options.threads, static_cast<unsigned>(values.rows)));
    std::vector<std::jthread> threads;
    for (unsigned t = 1; t < thread_count; ++t) threads.emplace_back(worker);
    worker();
  }
  if (failure) std::rethrow_exception(failure);

  if (!all_sorted) {
    // Moments of the pooled sample still count the non-finite values.
    if (tested_rows == values.rows) {
      result.pooled.stats = compute_moments(values.values, tiny);
    } else {
      std::vector<double> pooled;
      pooled.reserve(tested_rows * values.dim);
      for (std::size_t row = 0; row < values.rows; ++row) {
        if (!is_padding(row)) pooled.insert(pooled.end(), values.row(row).begin(), values.row(row).end());
      }
      result.pooled.stats = compute_moments(pooled, tiny);
    }
    result.pooled.untestable_reason = untestable_reason(result.pooled.stats);
    return result;
  }
  sort_values(sorted, values.source_type);
  result.pooled.stats = compute_moments(sorted, tiny);
  result.pooled.untestable_reason = untestable_reason(result.pooled.stats);
  if (!result.pooled.untestable_reason) {
    std::vector<double> cdf_buffer;
    const shapiro_wilk_coefficients pooled_coefficients(sorted.size());
    run_tests(sorted, options.null, pooled_coefficients, cdf_buffer, result.pooled);
  }
  return result;
}

}  // namespace embcheck
