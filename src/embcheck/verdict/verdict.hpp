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

/// One calibrated p-value of the family, and the judgement it goes to.
struct family_member {
  double p_value = 1.0;                   ///< unadjusted p-value
  std::string_view test;                  ///< the test's name, for reasons and warnings
  sample_judgement* judgement = nullptr;  ///< the judgement of the sample it belongs to
  std::size_t index = 0;                  ///< its place in judgement->tests
};

/// Marks `judgement` untestable when `sample` is, else sizes its tests and, when `in_family`,
/// adds its ran and calibrated p-values to `family` (any sample with `untestable_reason` and
/// `tests` of `kind`, `ran`, `p_calibrated`, `p_value`).
template <class Sample>
void enter_family(const Sample& sample, sample_judgement& judgement, bool in_family,
                  std::vector<family_member>& family) {
  judgement.tests.assign(sample.tests.size(), std::nullopt);
  if (sample.untestable_reason) {
    judgement.verdict = sample_verdict::untestable;
    judgement.reason = *sample.untestable_reason;
    return;
  }
  if (!in_family) return;
  for (std::size_t t = 0; t < sample.tests.size(); ++t) {
    const auto& test = sample.tests[t];
    if (test.ran && test.p_calibrated) family.push_back({test.p_value, to_string(test.kind), &judgement, t});
  }
}

/// Adjusts the family's p-values as `policy` says, judges each member (rejections fail their
/// sample with a reason; the warning band is noted) and sets `result`'s policy, family size,
/// warning count and pass.
void judge_family(std::span<const family_member> family, const verdict_policy& policy,
                  table_judgement& result);

}  // namespace detail

}  // namespace embcheck
