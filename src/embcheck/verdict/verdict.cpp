// Holm, S. (1979). A simple sequentially rejective multiple test procedure. Scand. J. Statist. 6, 65-70.
// Adjusted p-values as R's p.adjust(method = "holm").
//
// The family is every calibrated p-value of every analysed sample: each row, each column and
// the pooled table (the pooled table only when more than one row is tested; with one row it
// is that row). Holm needs no independence, so the dependence between tests of one sample and
// between rows, columns and the pooled table is fine.
#include "embcheck/verdict/verdict.hpp"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

namespace embcheck {

std::string_view to_string(sample_verdict verdict) noexcept {
  switch (verdict) {
    case sample_verdict::pass: return "pass";
    case sample_verdict::fail: return "fail";
    case sample_verdict::untestable: return "untestable";
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
  const sample_analysis* sample;
  sample_judgement* judgement;
  std::size_t test;
};

void enter(const sample_analysis& sample, sample_judgement& judgement, bool in_family,
           std::vector<family_member>& family) {
  judgement.tests.assign(sample.tests.size(), std::nullopt);
  if (sample.untestable_reason) {
    judgement.verdict = sample_verdict::untestable;
    judgement.reason = *sample.untestable_reason;
    return;
  }
  if (!in_family) return;
  for (std::size_t t = 0; t < sample.tests.size(); ++t) {
    if (sample.tests[t].ran && sample.tests[t].p_calibrated) family.push_back({&sample, &judgement, t});
  }
}

}  // namespace

table_judgement judge(const table_analysis& analysis, double alpha) {
  table_judgement result;
  result.alpha = alpha;
  std::vector<family_member> family;
  std::size_t tested_rows = 0;
  result.rows.resize(analysis.rows.size());
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
    enter(row.sample, judgement, true, family);
  }
  result.columns.resize(analysis.columns.size());
  for (std::size_t j = 0; j < analysis.columns.size(); ++j)
    enter(analysis.columns[j], result.columns[j], true, family);
  if (analysis.pooled) {
    result.pooled.emplace();
    enter(*analysis.pooled, *result.pooled, analysis.rows.empty() || tested_rows > 1, family);
  }

  std::vector<double> p(family.size());
  std::transform(family.begin(), family.end(), p.begin(),
                 [](const family_member& f) { return f.sample->tests[f.test].p_value; });
  const std::vector<double> adjusted = holm_adjust(p);
  result.family_size = family.size();
  for (std::size_t k = 0; k < family.size(); ++k) {
    const test_judgement t{adjusted[k], adjusted[k] < alpha};
    sample_judgement& target = *family[k].judgement;
    target.tests[family[k].test] = t;
    if (t.rejected) {
      target.verdict = sample_verdict::fail;
      if (!target.reason.empty()) target.reason += "; ";
      target.reason +=
          fmt::format("{} rejects: Holm-adjusted p = {:.3g} < alpha = {}",
                      to_string(family[k].sample->tests[family[k].test].kind), adjusted[k], alpha);
    }
  }
  const auto passed = [](const sample_judgement& j) { return j.verdict == sample_verdict::pass; };
  result.pass = std::all_of(result.rows.begin(), result.rows.end(), passed) &&
                std::all_of(result.columns.begin(), result.columns.end(), passed) &&
                (!result.pooled || passed(*result.pooled));
  return result;
}

}  // namespace embcheck
