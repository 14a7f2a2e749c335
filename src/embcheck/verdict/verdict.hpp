#pragma once
/// \file verdict.hpp
/// From many p-values to one verdict: a multiple-testing correction (Holm's step-down by
/// default) over everything tested, and a warning band below the failure threshold.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "embcheck/statistics/analysis.hpp"

namespace embcheck {

/// The judgement of one sample.
enum class sample_verdict { pass, fail, untestable };

/// "pass", "fail" or "untestable".
[[nodiscard]] std::string_view to_string(sample_verdict verdict) noexcept;

/// Multiple-testing corrections, as R's p.adjust methods "holm", "bonferroni", "BH", "none".
enum class correction { holm, bonferroni, bh, none };

/// "holm", "bonferroni", "bh" or "none".
[[nodiscard]] std::string_view to_string(correction method) noexcept;

/// The correction named `name` ("holm", "bonferroni", "bh", "none"), if any.
[[nodiscard]] std::optional<correction> parse_correction(std::string_view name) noexcept;

/// How one test's p-value fared in the family.
struct test_judgement {
  double adjusted_p = 1.0;  ///< p-value adjusted by the family's correction
  bool rejected = false;    ///< adjusted_p < alpha
  bool warned = false;      ///< not rejected, but the unadjusted p-value is below the warning level
};

/// The judgement of a row, a column or the pooled table.
struct sample_judgement {
  sample_verdict verdict = sample_verdict::pass;  ///< the outcome
  std::vector<std::optional<test_judgement>>
      tests;            ///< parallel to sample_analysis::tests; empty optional when not in the family
  std::string reason;   ///< why it failed or was untestable; empty on pass
  std::string warning;  ///< which tests fell in the warning band; empty when none did
};

/// The judgement of a whole table.
struct table_judgement {
  double alpha = 0.01;                     ///< failure threshold for adjusted p-values
  correction method = correction::holm;    ///< the multiple-testing correction used
  double warn_below = 1e-3;                ///< warning threshold for unadjusted p-values
  std::size_t warnings = 0;                ///< number of tests in the warning band
  std::size_t family_size = 0;             ///< number of p-values the correction covered
  std::vector<sample_judgement> rows;      ///< one per analysed row
  std::vector<sample_judgement> columns;   ///< one per analysed column
  std::optional<sample_judgement> pooled;  ///< the pooled table, when analysed
  bool pass = true;                        ///< every sample passed
};

/// Default family-wise error rate: one false alarm in a hundred seeds of a correct generator.
inline constexpr double default_alpha = 0.01;

/// Default warning level for unadjusted p-values, the "suspicious" level of RNG batteries
/// (TestU01 flags p outside [0.001, 0.999]; here only the lower tail, since every test is
/// one-sided in its statistic).
inline constexpr double default_warn_below = 1e-3;

/// What decides a verdict.
struct verdict_policy {
  double alpha = default_alpha;            ///< failure threshold for adjusted p-values, in (0, 1)
  correction method = correction::holm;    ///< multiple-testing correction over the whole family
  double warn_below = default_warn_below;  ///< unadjusted p-values below this warn, in [0, 1)
};

/// Holm's adjusted p-values (Holm 1979), in the order given: max over j <= rank of min(1, (m-j+1) p_(j)).
[[nodiscard]] std::vector<double> holm_adjust(std::span<const double> p_values);

/// Bonferroni's adjusted p-values, in the order given: min(1, m p).
[[nodiscard]] std::vector<double> bonferroni_adjust(std::span<const double> p_values);

/// Benjamini-Hochberg adjusted p-values (false discovery rate), in the order given:
/// min over j >= rank of min(1, m p_(j) / j).
[[nodiscard]] std::vector<double> bh_adjust(std::span<const double> p_values);

/// The adjusted p-values of `method`, in the order given.
[[nodiscard]] std::vector<double> adjust(std::span<const double> p_values, correction method);

/// Judges every analysed sample with Holm's correction at family-wise level `alpha` (0 < alpha < 1).
[[nodiscard]] table_judgement judge(const table_analysis& analysis, double alpha);

/// Judges every analysed sample as `policy` says.
[[nodiscard]] table_judgement judge(const table_analysis& analysis, const verdict_policy& policy);

namespace detail {

/// Records one member of the family: test `index` of `judgement`, named `test`, with unadjusted
/// p-value `p` and adjusted p-value `adjusted` (a rejection fails the sample with a reason; the
/// warning band is noted and counted in `result`).
void judge_member(sample_judgement& judgement, std::size_t index, std::string_view test, double p,
                  double adjusted, const verdict_policy& policy, table_judgement& result);

/// Gives `judgement`, of a sample left out of the family because it is the sample `same` judges
/// (the pooled table of a table with one tested row), that sample's verdict, reason and warning;
/// its tests stay out of the family, where `same`'s are counted.
void judge_as(const sample_judgement& same, sample_judgement& judgement);

/// Sets `result`'s policy and family size, and whether every sample passed.
void finish_judgement(const verdict_policy& policy, std::size_t family_size, table_judgement& result);

/// Judges samples as `policy` says. `visit(f)` calls f(sample, judgement, in_family) for every
/// sample in family order, the same order each time (any sample with `untestable_reason` and
/// `tests` of `kind`, `ran`, `p_calibrated`, `p_value`). An untestable sample is marked so; the
/// ran and calibrated p-values of the others with `in_family` form the family. Two passes over
/// the samples instead of a list of the family's members: at 100000 rows that list and its
/// copies were 36 MB of fresh memory, and the page faults were most of the verdict's time.
template <class Visit>
void judge_samples(const Visit& visit, const verdict_policy& policy, table_judgement& result) {
  std::vector<double> p;
  visit([&](const auto& sample, sample_judgement& judgement, bool in_family) {
    judgement.tests.assign(sample.tests.size(), std::nullopt);
    if (sample.untestable_reason) {
      judgement.verdict = sample_verdict::untestable;
      judgement.reason = *sample.untestable_reason;
      return;
    }
    if (!in_family) return;
    for (const auto& test : sample.tests) {
      if (test.ran && test.p_calibrated) p.push_back(test.p_value);
    }
  });
  const std::vector<double> adjusted = adjust(p, policy.method);
  std::size_t member = 0;
  visit([&](const auto& sample, sample_judgement& judgement, bool in_family) {
    if (sample.untestable_reason || !in_family) return;
    for (std::size_t t = 0; t < sample.tests.size(); ++t) {
      const auto& test = sample.tests[t];
      if (!(test.ran && test.p_calibrated)) continue;
      judge_member(judgement, t, to_string(test.kind), p[member], adjusted[member], policy, result);
      ++member;
    }
  });
  finish_judgement(policy, p.size(), result);
}

}  // namespace detail

}  // namespace embcheck
