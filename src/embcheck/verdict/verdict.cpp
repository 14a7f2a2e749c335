// Holm, S. (1979). A simple sequentially rejective multiple test procedure. Scand. J. Statist. 6, 65-70.
// Benjamini, Y. and Hochberg, Y. (1995). Controlling the false discovery rate. JRSS B 57, 289-300.
// Bonferroni: min(1, m p). Adjusted p-values as R's p.adjust(method = "holm", "BH", "bonferroni").
//
// Warning band: as RNG batteries (TestU01's "suspicious" p-values, L'Ecuyer and Simard 2007)
// a test whose unadjusted p-value is below warn_below, but which the correction does not
// reject, is reported as a warning and leaves the verdict a pass.
//
// The family is every calibrated p-value of every analysed sample: each row, each column and
// the pooled table (the pooled table only when more than one row is tested; with one row it
// is that row). Holm needs no independence, so the dependence between tests of one sample and
// between rows, columns and the pooled table is fine.
#include "embcheck/verdict/verdict.hpp"

#include <algorithm>
#include <numeric>
#include <utility>

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

std::string_view to_string(correction method) noexcept {
  switch (method) {
    case correction::holm: return "holm";
    case correction::bonferroni: return "bonferroni";
    case correction::bh: return "bh";
    case correction::none: return "none";
  }
  return "holm";
}

std::optional<correction> parse_correction(std::string_view name) noexcept {
  for (const correction method :
       {correction::holm, correction::bonferroni, correction::bh, correction::none}) {
    if (name == to_string(method)) return method;
  }
  return std::nullopt;
}

std::vector<double> bonferroni_adjust(std::span<const double> p_values) {
  const auto m = static_cast<double>(p_values.size());
  std::vector<double> adjusted(p_values.size());
  std::transform(p_values.begin(), p_values.end(), adjusted.begin(),
                 [m](double p) { return std::min(1.0, m * p); });
  return adjusted;
}

std::vector<double> bh_adjust(std::span<const double> p_values) {
  const std::size_t m = p_values.size();
  std::vector<std::size_t> order(m);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return p_values[a] > p_values[b]; });
  std::vector<double> adjusted(m);
  double running = 1.0;
  for (std::size_t k = 0; k < m; ++k) {
    const auto rank = static_cast<double>(m - k);  // rank among the ascending p-values, 1-based
    running = std::min(running, static_cast<double>(m) / rank * p_values[order[k]]);
    adjusted[order[k]] = std::min(1.0, running);
  }
  return adjusted;
}

std::vector<double> adjust(std::span<const double> p_values, correction method) {
  switch (method) {
    case correction::holm: return holm_adjust(p_values);
    case correction::bonferroni: return bonferroni_adjust(p_values);
    case correction::bh: return bh_adjust(p_values);
    case correction::none: break;
  }
  return {p_values.begin(), p_values.end()};
}

// Holm's adjusted p-value at rank r (0-based, ascending p) is max over j <= r of
// min(1, (m - j) p_(j)): once that running maximum reaches 1 every later rank is 1 too. Under
// the null only the few smallest p-values stay below 1, so instead of sorting all m p-values
// only those below 4/m are gathered: when fewer than m/2 are, the first p-value not gathered
// has rank c < m/2 and (m - c) p_(c) > (m/2)(4/m) = 2, so every rank from c on adjusts to 1
// and only the c gathered ones need their order. Of those, the smallest k are selected
// (nth_element) and sorted, k doubling until the running maximum reaches 1 within them: O(m),
// one pass over the p-values and no copy of the family for a passing table (at 500000 p-values
// the copy was most of the verdict's 9 ms). When half the family or more is below 4/m all of it
// is gathered. Ties are ordered by index (as a stable sort would); tied p-values get the same
// adjusted value whatever their order.
std::vector<double> holm_adjust(std::span<const double> p_values) {
  const std::size_t m = p_values.size();
  const double gathered_below = 4.0 / static_cast<double>(m);
  std::vector<std::pair<double, std::size_t>> order;
  for (std::size_t i = 0; i < m; ++i) {
    if (p_values[i] < gathered_below) order.emplace_back(p_values[i], i);
  }
  if (2 * order.size() >= m) {
    order.resize(m);
    for (std::size_t i = 0; i < m; ++i) order[i] = {p_values[i], i};
  }
  const std::size_t c = order.size();
  std::vector<double> adjusted(m, 1.0);
  std::size_t sorted = 0;  // order[0, sorted) holds the `sorted` smallest, ascending
  double running = 0.0;
  for (std::size_t k = std::min<std::size_t>(c, 1024); sorted < c; k = std::min(c, 2 * k)) {
    const auto first = order.begin() + static_cast<std::ptrdiff_t>(sorted);
    const auto last = order.begin() + static_cast<std::ptrdiff_t>(k);
    if (k < c) std::nth_element(first, last, order.end());
    std::sort(first, last);
    for (std::size_t rank = sorted; rank < k; ++rank) {
      const double scaled = std::min(1.0, static_cast<double>(m - rank) * order[rank].first);
      running = std::max(running, scaled);
      if (running >= 1.0) return adjusted;
      adjusted[order[rank].second] = running;
    }
    sorted = k;
  }
  return adjusted;
}

namespace {

std::string_view adjusted_name(correction method) {
  switch (method) {
    case correction::holm: return "Holm-adjusted p";
    case correction::bonferroni: return "Bonferroni-adjusted p";
    case correction::bh: return "BH-adjusted p";
    case correction::none: break;
  }
  return "p";
}

}  // namespace

namespace detail {

void judge_member(sample_judgement& judgement, std::size_t index, std::string_view test, double p,
                  double adjusted, const verdict_policy& policy, table_judgement& result) {
  const bool rejected = adjusted < policy.alpha;
  const test_judgement t{adjusted, rejected, !rejected && p < policy.warn_below};
  judgement.tests[index] = t;
  if (t.rejected) {
    judgement.verdict = sample_verdict::fail;
    if (!judgement.reason.empty()) judgement.reason += "; ";
    judgement.reason += fmt::format("{} rejects: {} = {:.3g} < alpha = {}", test,
                                    adjusted_name(policy.method), adjusted, policy.alpha);
  }
  if (t.warned) {
    ++result.warnings;
    if (!judgement.warning.empty()) judgement.warning += "; ";
    judgement.warning += fmt::format("{} warns: p = {:.3g} < {}", test, p, policy.warn_below);
  }
}

void judge_as(const sample_judgement& same, sample_judgement& judgement) {
  judgement.verdict = same.verdict;
  judgement.reason = same.reason;
  judgement.warning = same.warning;
}

void finish_judgement(const verdict_policy& policy, std::size_t family_size, table_judgement& result) {
  result.alpha = policy.alpha;
  result.method = policy.method;
  result.warn_below = policy.warn_below;
  result.family_size = family_size;
  const auto passed = [](const sample_judgement& j) { return j.verdict == sample_verdict::pass; };
  result.pass = std::all_of(result.rows.begin(), result.rows.end(), passed) &&
                std::all_of(result.columns.begin(), result.columns.end(), passed) &&
                (!result.pooled || passed(*result.pooled));
}

}  // namespace detail

table_judgement judge(const table_analysis& analysis, double alpha) {
  return judge(analysis, verdict_policy{alpha, correction::holm, default_warn_below});
}

table_judgement judge(const table_analysis& analysis, const verdict_policy& policy) {
  table_judgement result;
  result.rows.resize(analysis.rows.size());
  result.columns.resize(analysis.columns.size());
  if (analysis.pooled) result.pooled.emplace();
  std::size_t tested_rows = 0;
  for (std::size_t i = 0; i < analysis.rows.size(); ++i) {
    const row_analysis& row = analysis.rows[i];
    if (!row.padding) {
      ++tested_rows;
      continue;
    }
    const std::size_t nonzero = row.sample.stats.n - row.sample.stats.zeros;
    if (nonzero > 0) {
      result.rows[i].verdict = sample_verdict::fail;
      result.rows[i].reason = fmt::format("padding row holds {} nonzero values", nonzero);
    }
  }
  const bool pooled_in_family = analysis.rows.empty() || tested_rows > 1;
  detail::judge_samples(
      [&](const auto& f) {
        for (std::size_t i = 0; i < analysis.rows.size(); ++i) {
          if (!analysis.rows[i].padding) f(analysis.rows[i].sample, result.rows[i], true);
        }
        for (std::size_t j = 0; j < analysis.columns.size(); ++j)
          f(analysis.columns[j], result.columns[j], true);
        if (analysis.pooled) f(*analysis.pooled, *result.pooled, pooled_in_family);
      },
      policy, result);
  // With one tested row the pooled table is that row (its analysis is a copy) and stays out of
  // the family, so that its p-values are not counted twice; it gets the row's verdict. Before,
  // it kept the default pass, and a one-row table that failed read "pooled table pass".
  if (analysis.pooled && !pooled_in_family && tested_rows == 1) {
    for (std::size_t i = 0; i < analysis.rows.size(); ++i) {
      if (!analysis.rows[i].padding) detail::judge_as(result.rows[i], *result.pooled);
    }
  }
  return result;
}

}  // namespace embcheck
