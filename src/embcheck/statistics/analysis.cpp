// Per-row, per-column and pooled analysis of a table.
//
// Each sample is copied, sorted once (sort.hpp), and the sorted copy serves every test of the
// battery (no copy or sort when only moment tests are selected); constants that depend only
// on n (Shapiro-Wilk coefficients...) are computed once per n and shared. Samples are
// independent jobs for a small thread pool, the pooled table (the largest) first so that it
// overlaps with the rows.
#include "embcheck/statistics/analysis.hpp"

#include <algorithm>
#include <cfloat>

#include <fmt/format.h>

#include "embcheck/parallel.hpp"
#include "embcheck/statistics/sort.hpp"

namespace embcheck {

const test_outcome* sample_analysis::find(test_kind kind) const noexcept {
  const auto it =
      std::find_if(tests.begin(), tests.end(), [&](const test_outcome& t) { return t.kind == kind; });
  return it == tests.end() ? nullptr : &*it;
}

namespace detail {

std::optional<std::string> untestable_reason(const moments& stats) {
  if (stats.nonfinite() > 0) {
    return fmt::format("{} non-finite values ({} NaN, {} +Inf, {} -Inf)", stats.nonfinite(), stats.nan,
                       stats.positive_infinity, stats.negative_infinity);
  }
  if (stats.n == 0) return std::string("empty");
  if (stats.min == stats.max) return fmt::format("constant: every value is {}", stats.min);
  return std::nullopt;
}

template <class T>
sample_analysis analyse_one(std::span<const T> values, element_type source, const analysis_options& options,
                            test_constants_cache& cache, worker_buffers& buffers, unsigned threads) {
  sample_analysis out;
  out.stats = compute_moments(values, detail::smallest_normal(source));
  out.untestable_reason = untestable_reason(out.stats);
  if (out.untestable_reason) return out;
  std::span<double> sorted;
  if (needs_sorted_sample(options.tests)) {
    sort_copy(values, source, buffers.sorted, threads);
    sorted = buffers.sorted;
  }
  out.tests = run_battery(sorted, out.stats, options.null, options.tests, cache, threads);
  if (std::none_of(out.tests.begin(), out.tests.end(), [](const test_outcome& t) { return t.ran; })) {
    out.untestable_reason = fmt::format("too short: no selected test runs at n = {}", out.stats.n);
  }
  return out;
}

template sample_analysis analyse_one(std::span<const float>, element_type, const analysis_options&,
                                     test_constants_cache&, worker_buffers&, unsigned);
template sample_analysis analyse_one(std::span<const double>, element_type, const analysis_options&,
                                     test_constants_cache&, worker_buffers&, unsigned);

double smallest_normal(element_type type) noexcept {
  return type == element_type::float32 ? double{FLT_MIN} : DBL_MIN;
}

}  // namespace detail

using detail::analyse_one;
using detail::smallest_normal;
using detail::worker_buffers;

sample_analysis analyse_sample(std::span<const double> values, element_type source,
                               const analysis_options& options) {
  test_constants_cache cache;
  worker_buffers buffers;
  return analyse_one(values, source, options, cache, buffers, options.threads);
}

sample_analysis analyse_sample(std::span<const float> values, const analysis_options& options) {
  test_constants_cache cache;
  worker_buffers buffers;
  return analyse_one(values, element_type::float32, options, cache, buffers, options.threads);
}

table_analysis analyse_table(const table& values, const analysis_options& options) {
  table_analysis result;
  const auto is_padding = [&](std::size_t row) { return options.padding_row && *options.padding_row == row; };
  std::vector<std::size_t> tested_rows;
  for (std::size_t row = 0; row < values.rows; ++row) {
    if (!is_padding(row)) tested_rows.push_back(row);
  }

  // Jobs: the pooled table first (the longest), then rows, then columns. With several threads
  // a job before them makes the longest sample's per-n constants (Shapiro-Wilk coefficients
  // for millions of values) while that sample is being sorted. When one row is tested the
  // pooled sample is that row, so its analysis is copied instead of being done twice.
  const bool pooled_is_row = options.axis.table && options.axis.rows && tested_rows.size() == 1;
  const bool pooled_job = options.axis.table && !pooled_is_row;
  const bool only_row = options.axis.rows && tested_rows.size() == 1;
  const std::size_t longest = pooled_job ? tested_rows.size() * values.dim : only_row ? values.dim : 0;
  const std::size_t prepare_jobs = longest > 0 && options.threads > 1 ? 1 : 0;
  const std::size_t pooled_jobs = prepare_jobs + (pooled_job ? 1 : 0);
  const std::size_t row_jobs = options.axis.rows ? values.rows : 0;
  const std::size_t column_jobs = options.axis.columns ? values.dim : 0;
  if (options.axis.rows) result.rows.resize(values.rows);
  if (options.axis.columns) result.columns.resize(values.dim);
  if (options.axis.table) result.pooled.emplace();
  // When one sample is tested (one row, or the pooled table alone) the other threads would
  // idle once the per-n constants are made: that sample sorts and evaluates F(x) on all of them.
  const std::size_t samples =
      (pooled_job ? 1 : 0) + (options.axis.rows ? tested_rows.size() : 0) + column_jobs;
  const unsigned sample_threads = samples == 1 ? options.threads : 1;

  test_constants_cache cache;
  const std::size_t jobs = pooled_jobs + row_jobs + column_jobs;
  std::vector<worker_buffers> buffers(std::max(1u, options.threads));
  detail::parallel_for(jobs, options.threads, [&](std::size_t job, unsigned worker) {
    if (job < prepare_jobs) {
      cache.prepare(options.tests, longest);
    } else if (job < pooled_jobs) {
      // The pooled sample is the table itself unless a padding row is left out (then a copy).
      *result.pooled = values.visit([&](auto all) {
        std::vector<typename decltype(all)::value_type> gathered;
        const auto pooled = pooled_values(all, values.dim, options.padding_row, gathered);
        return analyse_one(pooled, values.source_type, options, cache, buffers[worker], sample_threads);
      });
      // The pooled sample's sorted copy and constants (100 MB and 51 MB at 100000 x 128) are
      // returned here, while the other threads still test rows, instead of in the serial end of
      // the check. Only a column of a one-value-wide table can have the pooled length, and it
      // then makes the constants again.
      table_values().swap(buffers[worker].sorted);
      cache.release(longest);
    } else if (job < pooled_jobs + row_jobs) {
      const std::size_t row = job - pooled_jobs;
      row_analysis& out = result.rows[row];
      out.index = row;
      if (is_padding(row)) {
        out.padding = true;
        out.sample.stats = values.visit_row(
            row, [&](auto r) { return compute_moments(r, smallest_normal(values.source_type)); });
        return;
      }
      out.sample = values.visit_row(row, [&](auto r) {
        return analyse_one(r, values.source_type, options, cache, buffers[worker], sample_threads);
      });
    } else {
      const std::size_t column = job - pooled_jobs - row_jobs;
      buffers[worker].gathered.clear();
      for (const std::size_t row : tested_rows)
        buffers[worker].gathered.push_back(values.value(row * values.dim + column));
      result.columns[column] = analyse_one(std::span<const double>(buffers[worker].gathered),
                                           values.source_type, options, cache, buffers[worker]);
    }
  });
  if (pooled_is_row) *result.pooled = result.rows[tested_rows.front()].sample;
  return result;
}

}  // namespace embcheck
