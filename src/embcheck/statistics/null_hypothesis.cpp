#include "embcheck/statistics/null_hypothesis.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "embcheck/statistics/vector_math.hpp"

namespace embcheck {

double null_hypothesis::mean() const noexcept { return family == null_family::normal ? a : 0.5 * (a + b); }

double null_hypothesis::std() const noexcept {
  return family == null_family::normal ? b : (b - a) / (2.0 * std::numbers::sqrt3);
}

double null_hypothesis::cdf(double x) const noexcept {
  if (family == null_family::normal) return 0.5 * std::erfc(-(x - a) / (b * std::numbers::sqrt2));
  return std::clamp((x - a) / (b - a), 0.0, 1.0);
}

namespace {

// x[i] = erfc((x[i] - mean) / divisor) / 2, four values at a time: the normal CDF with divisor
// -sigma sqrt(2), its upper tail with +sigma sqrt(2) (negating the divisor is exact).
void half_erfc_in_place(std::span<double> x, double mean, double divisor) noexcept {
  for (double& v : x) v = (v - mean) / divisor;
  detail::erfc_values(x.data(), x.data(), x.size());
  for (double& v : x) v *= 0.5;
}

}  // namespace

void null_hypothesis::cdf_in_place(std::span<double> x) const noexcept {
  if (family != null_family::normal) {
    for (double& v : x) v = cdf(v);
    return;
  }
  half_erfc_in_place(x, a, -(b * std::numbers::sqrt2));
}

void null_hypothesis::upper_tail_in_place(std::span<double> x) const noexcept {
  if (family != null_family::normal) {
    for (double& v : x) v = std::clamp((b - v) / (b - a), 0.0, 1.0);
    return;
  }
  half_erfc_in_place(x, a, b * std::numbers::sqrt2);
}

std::string null_hypothesis::describe() const {
  if (fitted) return "normal with mean and std fitted to each sample";
  return family == null_family::normal ? fmt::format("N({}, {}^2)", a, b) : fmt::format("U({}, {})", a, b);
}

}  // namespace embcheck
