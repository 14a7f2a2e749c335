#include "streamed_check.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <future>
#include <string_view>

#include <fmt/format.h>

#include "embcheck/digest.hpp"
#include "embcheck/error.hpp"
#include "embcheck/generate/row_stream.hpp"
#include "embcheck/report/streamed_report.hpp"
#include "embcheck/statistics/streaming.hpp"
#include "embcheck/verdict/gates.hpp"
#include "embcheck/verdict/streamed_verdict.hpp"
#include "file_io.hpp"

namespace embcheck::cli {
namespace {

/// Rows from the generator, never the whole table.
class generated_rows final : public row_source {
 public:
  explicit generated_rows(const generate_spec& spec) : stream_(spec) {}
  [[nodiscard]] std::size_t rows() const noexcept override { return stream_.rows(); }
  [[nodiscard]] std::size_t dim() const noexcept override { return stream_.dim(); }
  [[nodiscard]] element_type type() const noexcept override { return element_type::float32; }
  [[nodiscard]] std::span<const double> next_rows(std::size_t count) override {
    buffer_.resize(count * stream_.dim());
    stream_.next_rows(buffer_);
    return buffer_;
  }

 private:
  row_stream stream_;
  std::vector<double> buffer_;
};

/// A progress line on stderr, redrawn at most once a second, only when stderr is a terminal
/// (never into a pipe or a log file).
class progress_line {
 public:
  explicit progress_line(std::size_t total) : total_(total), shown_(::isatty(STDERR_FILENO) == 1) {}
  progress_line(const progress_line&) = delete;
  progress_line& operator=(const progress_line&) = delete;
  ~progress_line() {
    if (drawn_) (void)std::fputs("\r\033[K", stderr);
  }
  void update(std::size_t done) {
    if (!shown_ || done % 256 != 0) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::seconds(1)) return;
    last_ = now;
    drawn_ = true;
    (void)std::fputs(fmt::format("\rembcheck: {} of {} rows ({:.1f}%)", done, total_,
                                 100.0 * static_cast<double>(done) / static_cast<double>(total_))
                         .c_str(),
                     stderr);
  }

 private:
  std::size_t total_;
  bool shown_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

/// run_streamed_check with its lines handed to `emit` as they are made.
bool run_streamed_check_to(streamed_check& check, const std::function<void(std::string_view)>& emit) {
  const run_config& config = check.config;
  std::optional<generated_rows> generated;
  std::optional<held_rows> held;
  row_source* source = nullptr;
  if (check.held != nullptr) {
    source = &held.emplace(*check.held);
  } else if (check.source != nullptr) {
    source = check.source;
  } else {
    source = &generated.emplace(*config.generated);
  }
  const table_shape shape{source->rows(), source->dim(), source->type()};
  const bool float64 = shape.type == element_type::float64;
  analysis_options row_options = check.analysis;
  row_options.axis.columns = false;
  const bool pooled_from_stream = check.held == nullptr && check.analysis.axis.table;
  streamed_pooled pool;
  streamed_family family;
  sha256_stream table_hash(float64);
  std::size_t tested_rows = 0;
  progress_line progress(shape.rows);
  // A held table's columns and pooled sample need every row: they are analysed while the rows
  // stream (the rows' lines are written by this thread, which leaves the workers idle at times).
  std::future<table_analysis> held_rest;
  if (check.held != nullptr && (config.axis.columns || config.axis.table)) {
    analysis_options rest = check.analysis;
    rest.axis.rows = false;
    // With both policies libstdc++ starts a thread, or defers the work to get() when no thread
    // can be started (EAGAIN under a tight ulimit).
    held_rest =
        std::async(rest.threads > 1 ? std::launch::async | std::launch::deferred : std::launch::deferred,
                   [rest, &check] { return analyse_table(*check.held, rest); });
  }
  analyse_rows_streaming(
      *source, row_options, streamed_block_values,
      [&](row_analysis&& row, std::span<const double> values) {
        const bool listed = config.axis.rows || row.padding;
        std::string digest;
        if (listed) {
          digest = table_hash.update_and_digest(values);
        } else {
          table_hash.update(values);
        }
        progress.update(row.index + 1);
        if (!listed) return;
        if (check.ndjson) {
          const std::string_view word =
              row.index < check.words.size() ? std::string_view{check.words[row.index]} : std::string_view{};
          emit(ndjson_row_line(row, config.tests, digest, word));
        }
        if (row.padding) {
          family.add_padding(row.index, row.sample.stats);
        } else {
          ++tested_rows;
          family.add(sample_place::row, row.index, row.sample);
        }
      },
      pooled_from_stream ? &pool : nullptr);

  std::vector<sample_analysis> columns;
  std::optional<sample_analysis> pooled;
  if (held_rest.valid()) {
    table_analysis analysis = held_rest.get();
    columns = std::move(analysis.columns);
    pooled = std::move(analysis.pooled);
  } else if (pooled_from_stream) {
    pooled = analyse_streamed_pooled(pool, check.analysis);
  }
  for (std::size_t j = 0; j < columns.size(); ++j) {
    if (check.ndjson) emit(ndjson_sample_line(sample_place::column, j, columns[j], config.tests));
    family.add(sample_place::column, j, columns[j]);
  }
  // A streamed pooled table on which no selected test runs (Shapiro-Wilk, Anderson-Darling and
  // the others need it held) is left out of the verdict when rows or columns are judged: that is
  // the mode's limit, not the data's, and a large table streamed automatically would otherwise
  // fail every check of --expect normal:fit (Shapiro-Wilk only). Asked for alone, it is
  // untestable, so that a check always tests something.
  bool pooled_judged = true;
  if (pooled && pooled_from_stream && !pooled->untestable_reason &&
      std::none_of(pooled->tests.begin(), pooled->tests.end(), [](const test_outcome& t) { return t.ran; })) {
    if (config.axis.rows || config.axis.columns) {
      pooled_judged = false;
    } else {
      pooled->untestable_reason = std::string(streamed_table_untested);
    }
  }
  if (pooled) {
    if (check.ndjson) emit(ndjson_sample_line(sample_place::table, 0, *pooled, config.tests));
    if (pooled_judged) family.add(sample_place::table, 0, *pooled, !config.axis.rows || tested_rows > 1);
  }

  const std::string digest = table_hash.finish();
  if (check.expected_digest) {
    check.gates.insert(check.gates.begin(),
                       check_digest(table_digest{shape.type, digest, {}}, *check.expected_digest));
  }
  const streamed_judgement judgement =
      family.finish(verdict_policy{config.alpha, config.method, config.warn_below});
  const streamed_result result{
      config, shape, check.held != nullptr, columns, pooled, judgement, digest, shape.type, check.gates};
  emit(check.ndjson ? ndjson_summary_line(result) : format_streamed_text_report(result));
  return result.pass();
}

}  // namespace

bool run_streamed_check(streamed_check& check) {
  // Lines go to standard output as they are made, or into the report file's temporary, which
  // becomes the file when the check ends (and is removed if it fails).
  bool pass = false;
  write_text_output(check.output,
                    [&](const text_writer& emit) { pass = run_streamed_check_to(check, emit); });
  return pass;
}

}  // namespace embcheck::cli
