#pragma once
/// \file verdict.hpp
/// From many p-values to one verdict: Holm's step-down correction over the whole table.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "embcheck/statistics/analysis.hpp"

namespace embcheck {

/// The judgement of one sample.
enum class sample_verdict { pass, fail, untestable };

/// "pass", "fail" or "untestable".
[[nodiscard]] std::string_view to_string(sample_verdict verdict) noexcept;

/// How one test's p-value fared in the family.
struct test_judgement {
  double adjusted_p = 1.0;  ///< Holm-adjusted p-value
  bool rejected = false;    ///< adjusted_p < alpha
};

/// The judgement of a row or of the pooled table.
struct sample_judgement {
  sample_verdict verdict = sample_verdict::pass;  ///< the outcome
  std::optional<test_judgement> ks;               ///< set when KS ran
  std::optional<test_judgement> shapiro_wilk;     ///< set when SW ran with a calibrated p-value
  std::string reason;                             ///< why it failed or was untestable; empty on pass
};

/// The judgement of a whole table.
struct table_judgement {
  double alpha = 0.01;                 ///< family-wise error rate
  std::size_t family_size = 0;         ///< number of p-values the correction covered
  std::vector<sample_judgement> rows;  ///< one per row
  sample_judgement pooled;             ///< the pooled table
  bool pass = true;                    ///< every row and the pooled table passed
};

/// Default family-wise error rate: one false alarm in a hundred seeds of a correct generator.
inline constexpr double default_alpha = 0.01;

/// Holm's adjusted p-values (Holm 1979), in the order given: max over j <= rank of min(1, (m-j+1) p_(j)).
[[nodiscard]] std::vector<double> holm_adjust(std::span<const double> p_values);

/// Judges every row and the pooled table at family-wise level `alpha` (0 < alpha < 1).
[[nodiscard]] table_judgement judge(const table_analysis& analysis, double alpha);

}  // namespace embcheck
