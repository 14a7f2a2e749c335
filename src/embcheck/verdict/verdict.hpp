#pragma once
/// \file verdict.hpp
/// From many p-values to one verdict: Holm's step-down correction over everything tested.

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

/// The judgement of a row, a column or the pooled table.
struct sample_judgement {
  sample_verdict verdict = sample_verdict::pass;  ///< the outcome
  std::vector<std::optional<test_judgement>>
      tests;           ///< parallel to sample_analysis::tests; empty optional when not in the family
  std::string reason;  ///< why it failed or was untestable; empty on pass
};

/// The judgement of a whole table.
struct table_judgement {
  double alpha = 0.01;                     ///< family-wise error rate
  std::size_t family_size = 0;             ///< number of p-values the correction covered
  std::vector<sample_judgement> rows;      ///< one per analysed row
  std::vector<sample_judgement> columns;   ///< one per analysed column
  std::optional<sample_judgement> pooled;  ///< the pooled table, when analysed
  bool pass = true;                        ///< every sample passed
};

/// Default family-wise error rate: one false alarm in a hundred seeds of a correct generator.
inline constexpr double default_alpha = 0.01;

/// Holm's adjusted p-values (Holm 1979), in the order given: max over j <= rank of min(1, (m-j+1) p_(j)).
[[nodiscard]] std::vector<double> holm_adjust(std::span<const double> p_values);

/// Judges every analysed sample at family-wise level `alpha` (0 < alpha < 1).
[[nodiscard]] table_judgement judge(const table_analysis& analysis, double alpha);

}  // namespace embcheck
