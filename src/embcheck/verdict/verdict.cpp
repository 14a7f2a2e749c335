// Holm, S. (1979). A simple sequentially rejective multiple test procedure. Scand. J. Statist. 6, 65-70.
// Adjusted p-values as R's p.adjust(method = "holm").
//
// The family is every calibrated p-value of the table: KS of each row, Shapiro-Wilk of each
// row with n <= 5000, and the same two for the pooled table when there is more than one
// tested row (with one row the pooled sample is that row). Holm needs no independence, so
// the dependence between two tests of one row and between rows and the pooled table is fine.
#include "embcheck/verdict/verdict.hpp"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

namespace embcheck {

std::string_view to_string(sample_verdict verdict) noexcept {
  switch (verdict) {
    case sample_verdict::pass:
      return "pass";
    case sample_verdict::fail:
      return "fail";
    case sample_verdict::untestable:
      return "untestable";
  }
  return "fail";
}

std::vector<double> holm_adjust(std::span<const double> p_values) {
  const std::size_t m = p_values.size();
  std::vector<std::size_t> order(m);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return p_values[a] < p_values[b]; });
  std::vector<double> adjusted(m);
  double running = 0.0;
  for (std::size_t rank = 0; rank < m; ++rank) {
    const double scaled = std::min(1.0, static_cast<double>(m - rank) * p_values[order[rank]]);
    running = std::max(running, scaled);
    adjusted[order[rank]] = running;
  }
  return adjusted;
}

namespace {

struct family_member {
  sample_judgement* target;
  bool is_ks;
  double p;
  const char* name;
};

void collect(const sample_analysis& sample, sample_judgement& judgement, std::vector<family_member>& family) {
  if (sample.ks) family.push_back({&judgement, true, sample.ks->p_value, "Kolmogorov-Smirnov"});
  if (sample.shapiro_wilk && sample.shapiro_wilk->p_calibrated) {
    family.push_back({&judgement, false, sample.shapiro_wilk->p_value, "Shapiro-Wilk"});
  }
}

void mark_untestable(const sample_analysis& sample, sample_judgement& judgement) {
  if (sample.untestable_reason) {
    judgement.verdict = sample_verdict::untestable;
    judgement.reason = *sample.untestable_reason;
  }
}

}  // namespace

table_judgement judge(const table_analysis& analysis, double alpha) {
  table_judgement result;
  result.alpha = alpha;
  result.rows.resize(analysis.rows.size());
  std::vector<family_member> family;
  std::size_t tested_rows = 0;
  for (std::size_t i = 0; i < analysis.rows.size(); ++i) {
    const row_analysis& row = analysis.rows[i];
    sample_judgement& judgement = result.rows[i];
    if (row.padding) {
      const std::size_t nonzero = row.sample.stats.n - row.sample.stats.zeros;
      if (nonzero > 0) {
        judgement.verdict = sample_verdict::fail;
        judgement.reason = fmt::format("padding row holds {} nonzero values", nonzero);
      }
      continue;
    }
    ++tested_rows;
    mark_untestable(row.sample, judgement);
    collect(row.sample, judgement, family);
  }
  mark_untestable(analysis.pooled, result.pooled);
  if (tested_rows > 1) collect(analysis.pooled, result.pooled, family);

  std::vector<double> p(family.size());
  std::transform(family.begin(), family.end(), p.begin(), [](const family_member& f) { return f.p; });
  const std::vector<double> adjusted = holm_adjust(p);
  result.family_size = family.size();
  for (std::size_t k = 0; k < family.size(); ++k) {
    const test_judgement t{adjusted[k], adjusted[k] < alpha};
    sample_judgement& target = *family[k].target;
    (family[k].is_ks ? target.ks : target.shapiro_wilk) = t;
    if (t.rejected) {
      target.verdict = sample_verdict::fail;
      if (!target.reason.empty()) target.reason += "; ";
      target.reason += fmt::format("{} rejects the null: Holm-adjusted p = {:.3g} < alpha = {}",
                                   family[k].name, adjusted[k], alpha);
    }
  }
  const auto passed = [](const sample_judgement& j) { return j.verdict == sample_verdict::pass; };
  result.pass = std::all_of(result.rows.begin(), result.rows.end(), passed) && passed(result.pooled);
  return result;
}

}  // namespace embcheck
