#include "embcheck/statistics/null_hypothesis.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <fmt/format.h>

namespace embcheck {

double null_hypothesis::mean() const noexcept { return family == null_family::normal ? a : 0.5 * (a + b); }

double null_hypothesis::std() const noexcept {
  return family == null_family::normal ? b : (b - a) / (2.0 * std::numbers::sqrt3);
}

double null_hypothesis::cdf(double x) const noexcept {
  if (family == null_family::normal) return 0.5 * std::erfc(-(x - a) / (b * std::numbers::sqrt2));
  return std::clamp((x - a) / (b - a), 0.0, 1.0);
}

std::string null_hypothesis::describe() const {
  if (fitted) return "normal with mean and std fitted to each sample";
  return family == null_family::normal ? fmt::format("N({}, {}^2)", a, b) : fmt::format("U({}, {})", a, b);
}

}  // namespace embcheck
