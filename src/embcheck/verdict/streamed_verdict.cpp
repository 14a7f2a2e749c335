// The verdict of a streamed analysis: the family, correction and thresholds of judge()
// (verdict.cpp: Holm 1979, Benjamini-Hochberg 1995, Bonferroni), with each sample reduced to its
// calibrated p-values as it is entered.
#include "embcheck/verdict/streamed_verdict.hpp"

#include <fmt/format.h>

namespace embcheck {
namespace {

constexpr unsigned place_shift = 62;
constexpr std::uint64_t index_mask = (std::uint64_t{1} << place_shift) - 1;

std::uint64_t pack(sample_place place, std::size_t index) noexcept {
  return (static_cast<std::uint64_t>(place) << place_shift) |
         (static_cast<std::uint64_t>(index) & index_mask);
}

sample_place place_of(std::uint64_t sample) noexcept {
  return static_cast<sample_place>(sample >> place_shift);
}

}  // namespace

std::string_view to_string(sample_place place) noexcept {
  switch (place) {
    case sample_place::row: return "row";
    case sample_place::column: return "column";
    case sample_place::table: return "table";
  }
  return "row";
}

void streamed_family::add(sample_place place, std::size_t index, const sample_analysis& sample,
                          bool in_family) {
  if (place == sample_place::row) ++rows_;
  if (place == sample_place::column) ++columns_;
  if (place == sample_place::table) table_seen_ = true;
  if (sample.untestable_reason) {
    if (place == sample_place::row) ++rows_seen_.untestable;
    if (place == sample_place::column) ++columns_seen_.untestable;
    if (place == sample_place::table) table_ = sample_verdict::untestable;
    if (failed_.size() < listed)
      failed_.push_back({place, index, sample_verdict::untestable, *sample.untestable_reason});
    ++failed_total_;
    return;
  }
  if (!in_family) {
    table_is_row_ = place == sample_place::table;
    return;
  }
  for (const test_outcome& test : sample.tests) {
    if (!test.ran || !test.p_calibrated) continue;
    p_values_.push_back(test.p_value);
    members_.push_back({pack(place, index), test.kind});
  }
}

void streamed_family::add_padding(std::size_t index, const moments& stats) {
  ++rows_;
  const std::size_t nonzero = stats.n - stats.zeros;
  if (nonzero == 0) return;
  ++rows_seen_.fail;
  if (failed_.size() < listed) {
    failed_.push_back({sample_place::row, index, sample_verdict::fail,
                       fmt::format("padding row holds {} nonzero values", nonzero)});
  }
  ++failed_total_;
}

streamed_judgement streamed_family::finish(const verdict_policy& policy) const {
  streamed_judgement out;
  out.policy = policy;
  out.family_size = p_values_.size();
  out.rows = rows_seen_;
  out.columns = columns_seen_;
  out.failed = failed_;
  out.failed_total = failed_total_;
  if (table_seen_) out.table = table_.value_or(sample_verdict::pass);
  const std::vector<double> adjusted = adjust(p_values_, policy.method);
  std::optional<std::uint64_t> last_rejected;
  for (std::size_t k = 0; k < members_.size(); ++k) {
    const bool rejected = adjusted[k] < policy.alpha;
    const bool warned = !rejected && p_values_[k] < policy.warn_below;
    if (warned) ++out.warnings;
    if (!rejected && !warned) continue;
    const member& m = members_[k];
    if (rejected && last_rejected != m.sample) {
      // Members of one sample are contiguous, so each rejected sample is counted once.
      last_rejected = m.sample;
      switch (place_of(m.sample)) {
        case sample_place::row:
          ++out.rows.fail;
          if (table_is_row_) out.table = sample_verdict::fail;
          break;
        case sample_place::column: ++out.columns.fail; break;
        case sample_place::table: out.table = sample_verdict::fail; break;
      }
    }
    ++out.tripped_total;
    if (out.tripped.size() < listed) {
      out.tripped.push_back({place_of(m.sample), static_cast<std::size_t>(m.sample & index_mask), m.kind,
                             p_values_[k], adjusted[k], rejected});
    }
  }
  out.rows.pass = rows_ - out.rows.fail - out.rows.untestable;
  out.columns.pass = columns_ - out.columns.fail - out.columns.untestable;
  out.pass = out.rows.fail == 0 && out.rows.untestable == 0 && out.columns.fail == 0 &&
             out.columns.untestable == 0 && (!out.table || *out.table == sample_verdict::pass);
  return out;
}

}  // namespace embcheck
