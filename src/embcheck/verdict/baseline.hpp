#pragma once
/// \file baseline.hpp
/// Comparison of a JSON report with a stored report of the same check (docs/ci.md): verdict
/// changes, digest changes and statistics that moved beyond a tolerance in standard errors.

#include <vector>

#include <nlohmann/json.hpp>

#include "embcheck/verdict/gates.hpp"

namespace embcheck {

/// Default tolerance of the statistics gate, in standard errors of the difference.
inline constexpr double default_baseline_sigmas = 5.0;

/// The gates "baseline-verdict", "baseline-digest" and "baseline-statistics" of `current`
/// (this run's JSON report) against `baseline` (a stored one). Throws embcheck::error with a
/// one-line message when `baseline` is not a report of this schema_version or is of another
/// check (rows, dim, dtype, padding_idx, null, tests or axis differ).
[[nodiscard]] std::vector<gate_result> compare_with_baseline(const nlohmann::ordered_json& current,
                                                             const nlohmann::json& baseline, double sigmas);

}  // namespace embcheck
