// Lilliefors test: Kolmogorov-Smirnov with the mean and standard deviation estimated from the sample.
//
// Sources: H. W. Lilliefors (1967), "On the Kolmogorov-Smirnov test for normality with mean and
// variance unknown", JASA 62, 399-402. p-value: G. E. Dallal and L. Wilkinson (1986), "An analytic
// approximation to the distribution of Lilliefors's test statistic for normality", The American
// Statistician 40(4), 294-296 (for p < 0.1, with D scaled by (n/100)^0.49 above n = 100), and
// M. A. Stephens (1974), JASA 69, 730-737, modified statistic D (sqrt(n) - 0.01 + 0.85/sqrt(n))
// with the polynomials of D'Agostino & Stephens (1986), "Goodness-of-Fit Techniques", Table 4.7.
// Reference implementation: R package nortest 1.0.4, lillie.test (J. Gross, U. Ligges); the tests
// match its D and p to 1e-10 relative.
//
// Speed: D needs Phi(z_i) only where the maximum can be. Phi is increasing and i/n too, so on a
// block of indices [a, b] the terms i/n - Phi(z_i) and Phi(z_i) - (i-1)/n are bounded by values at
// the block's ends. Phi is evaluated at every 32nd index first, then inside only the blocks whose
// bound reaches the largest term found so far (a margin covers erfc's few-ulp non-monotonicity).
// Every term that could be the maximum is evaluated exactly as a full pass would, so D is the same
// bit for bit; at n = 800000 about 1/30 of the erfc calls remain.
//
// This file also holds the helpers shared by the composite tests (composite_tests.hpp, detail).

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "embcheck/error.hpp"
#include "embcheck/statistics/composite_tests.hpp"

namespace embcheck {

namespace detail {

void check_composite_input(std::span<const double> sorted, std::size_t minimum, const char* test) {
  if (sorted.size() < minimum) {
    throw error(std::string(test) + " needs at least " + std::to_string(minimum) + " values");
  }
  if (!std::isfinite(sorted.front()) || !std::isfinite(sorted.back())) {
    throw error(std::string(test) + ": the sample has non-finite values");
  }
  if (!(sorted.back() > sorted.front())) {
    throw error(std::string(test) + ": the sample is constant or not sorted ascending");
  }
}

standardizer make_standardizer(std::span<const double> sorted) noexcept {
  standardizer s;
  const std::size_t n = sorted.size();
  const double an = static_cast<double>(n);
  // Deviations of values beyond 2^1000 could overflow: scale them down (exact for such values).
  // Values all below 2^-900 are scaled up (exact) so that the factor below stays finite.
  const double largest = std::max(std::fabs(sorted.front()), std::fabs(sorted.back()));
  if (largest > 0x1p1000) s.prescale = 0x1p-64;
  if (largest < 0x1p-900) s.prescale = 0x1p128;
  const double p = s.prescale;

  // Mean: centre on the middle value, then a compensated (Neumaier) sum of the deviations in two
  // lanes, so the rounded mean is the double nearest the true mean in all but rare ties. R's mean
  // (long double sum plus a correction pass) gives the same double, hence the same x - mean.
  const double centre = sorted[n / 2] * p;
  double sum[2] = {0.0, 0.0};
  double carry[2] = {0.0, 0.0};
  const auto add = [&](std::size_t lane, double value) {
    const double t = sum[lane] + value;
    carry[lane] +=
        std::fabs(sum[lane]) >= std::fabs(value) ? (sum[lane] - t) + value : (value - t) + sum[lane];
    sum[lane] = t;
  };
  std::size_t i = 0;
  for (; i + 1 < n; i += 2) {
    add(0, sorted[i] * p - centre);
    add(1, sorted[i + 1] * p - centre);
  }
  if (i < n) add(0, sorted[i] * p - centre);
  const double total = (sum[0] + sum[1]) + (carry[0] + carry[1]);
  s.mean = centre + total / an;

  // Standard deviation: two-pass with the correction term (Chan, Golub & LeVeque 1983), on
  // deviations scaled by a power of two when the range is so large or small that squares would
  // overflow or underflow.
  const double range = sorted[n - 1] * p - sorted[0] * p;
  if (!(range >= 0x1p-500 && range <= 0x1p500)) s.factor = std::ldexp(1.0, -std::ilogb(range));
  const double f = s.factor;
  double d[2] = {0.0, 0.0};
  double d2[2] = {0.0, 0.0};
  i = 0;
  for (; i + 1 < n; i += 2) {
    for (std::size_t lane = 0; lane < 2; ++lane) {
      const double dev = (sorted[i + lane] * p - s.mean) * f;
      d[lane] += dev;
      d2[lane] += dev * dev;
    }
  }
  if (i < n) {
    const double dev = (sorted[i] * p - s.mean) * f;
    d[0] += dev;
    d2[0] += dev * dev;
  }
  const double dsum = d[0] + d[1];
  s.sd = std::sqrt(((d2[0] + d2[1]) - dsum * dsum / an) / (an - 1.0));
  return s;
}

}  // namespace detail

namespace {

// nortest's p-value for D at sample size n.
double lilliefors_p_value(double d, std::size_t n) {
  const double an = static_cast<double>(n);
  double kd = d;
  double nd = an;
  if (n > 100) {
    kd = d * std::pow(an / 100.0, 0.49);
    nd = 100.0;
  }
  double p = std::exp(-7.01256 * (kd * kd) * (nd + 2.78019) + 2.99587 * kd * std::sqrt(nd + 2.78019) -
                      0.122119 + 0.974598 / std::sqrt(nd) + 1.67997 / nd);
  if (p > 0.1) {
    const double kk = (std::sqrt(an) - 0.01 + 0.85 / std::sqrt(an)) * d;
    const double kk2 = kk * kk;
    const double kk3 = kk2 * kk;
    const double kk4 = kk2 * kk2;
    if (kk <= 0.302) {
      p = 1.0;
    } else if (kk <= 0.5) {
      p = 2.76773 - 19.828315 * kk + 80.709644 * kk2 - 138.55152 * kk3 + 81.218052 * kk4;
    } else if (kk <= 0.9) {
      p = -4.901232 + 40.662806 * kk - 97.490286 * kk2 + 94.029866 * kk3 - 32.355711 * kk4;
    } else if (kk <= 1.31) {
      p = 6.198765 - 19.558097 * kk + 23.186922 * kk2 - 12.234627 * kk3 + 2.423045 * kk4;
    } else {
      p = 0.0;
    }
  }
  return p;
}

constexpr std::size_t block = 32;
// Bound on how far erfc's rounding can make the computed Phi non-monotone (a few ulps of 1).
constexpr double monotonicity_margin = 1e-14;

}  // namespace

composite_result lilliefors_test(std::span<const double> sorted) {
  detail::check_composite_input(sorted, lilliefors_minimum_size, "Lilliefors");
  const std::size_t n = sorted.size();
  const double an = static_cast<double>(n);
  const detail::standardizer standardize = detail::make_standardizer(sorted);
  const auto cdf = [&](std::size_t i) {
    return 0.5 * std::erfc(-standardize(sorted[i]) * (0.5 * std::numbers::sqrt2));
  };
  // The larger of the two terms of index i (0-based): (i+1)/n - Phi_i and Phi_i - i/n.
  const auto term = [&](std::size_t i, double phi) {
    return std::max((static_cast<double>(i) + 1.0) / an - phi, phi - static_cast<double>(i) / an);
  };

  // Grid: every block-th index and the last one.
  const std::size_t grid_size = (n - 1) / block + 2 - ((n - 1) % block == 0 ? 1 : 0);
  std::vector<double> grid_phi(grid_size);
  const auto grid_index = [&](std::size_t k) { return std::min(k * block, n - 1); };
  double d = 0.0;
  for (std::size_t k = 0; k < grid_size; ++k) {
    grid_phi[k] = cdf(grid_index(k));
    d = std::max(d, term(grid_index(k), grid_phi[k]));
  }
  for (std::size_t k = 0; k + 1 < grid_size; ++k) {
    const std::size_t first = grid_index(k) + 1;
    const std::size_t last = grid_index(k + 1) - 1;
    if (first > last) continue;
    // Inside the block: (i+1)/n <= (last+1)/n and Phi_i >= Phi_first-1; Phi_i <= Phi_last+1, i/n >= first/n.
    const double bound_plus = (static_cast<double>(last) + 1.0) / an - grid_phi[k];
    const double bound_minus = grid_phi[k + 1] - static_cast<double>(first) / an;
    if (std::max(bound_plus, bound_minus) + monotonicity_margin < d) continue;
    for (std::size_t i = first; i <= last; ++i) d = std::max(d, term(i, cdf(i)));
  }

  composite_result result;
  result.statistic = d;
  result.p_value = lilliefors_p_value(d, n);
  return result;
}

}  // namespace embcheck
