#pragma once
/// \file svg_plot.hpp
/// An SVG picture of a result: Q-Q plots against the null and histograms with the null
/// density, for the worst row and the pooled table.

#include <string>

#include "embcheck/report/report.hpp"

namespace embcheck {

/// A standalone SVG 1.1 document (960 pixels wide, 360 high per sample): for the worst row (smallest p-value)
/// and the pooled table, a Q-Q plot against the null and a histogram with the null density, each annotated
/// with the tests' statistics and p-values.
[[nodiscard]] std::string format_svg_plot(const check_result& result);

}  // namespace embcheck
