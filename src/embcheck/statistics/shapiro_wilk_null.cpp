// Null distribution of the Shapiro-Wilk W for 5000 < n <= 10^7, from simulation.
//
// Model (docs/shapiro_wilk_null.md): with x = n (1 - W), log(x - tau(n)) is normal with mean
// mu(n) and sd sigma(n), a three-parameter lognormal law for 1 - W. Royston's AS R94 (Royston 1995,
// Applied Statistics 44, 547-551) takes log(1 - W) normal, the case tau = 0; the threshold tau
// absorbs the right skewness that n (1 - W) inherits from its non-normal limit law, a centred sum of
// weighted chi-squares (de Wet & Venter 1972, Ann. Statist. 1, 380-387; Leslie, Stephens &
// Fotopoulos 1986, Ann. Statist. 14, 1497-1506). tau(n) is a straight line in log n fitted to the
// thresholds that make log(x - tau) symmetric at each simulated n; mu and sigma are the mean and sd
// of log(x - tau(n)) there, interpolated linearly in log n. All numbers come from
// tests/calibration/simulate_shapiro_wilk_null.cpp (output in
// tests/calibration/shapiro_wilk_null_output.txt): N(0,1) float32 rows drawn with generate_table.

#include "embcheck/statistics/shapiro_wilk_null.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <limits>
#include <numbers>

#include "embcheck/error.hpp"

namespace embcheck {

namespace {

struct null_point {
  double n;
  double mu;
  double sigma;
};

// From tests/calibration/shapiro_wilk_null_output.txt (the "threshold fit" line and the {n, mu, sigma} rows).
constexpr double tau_a = -0.024128;
constexpr double tau_b = 0.017151;
constexpr std::array<null_point, 12> table = {{
    {5000, 0.52344016, 0.39602400},
    {7500, 0.54800206, 0.39171324},
    {10000, 0.56609816, 0.38950844},
    {20000, 0.59700828, 0.38011858},
    {50000, 0.63866921, 0.36977455},
    {100000, 0.67095003, 0.36989660},
    {200000, 0.68579821, 0.36041381},
    {500000, 0.71097479, 0.35435212},
    {1000000, 0.74331693, 0.35513320},
    {2000000, 0.76191306, 0.35704365},
    {5000000, 0.79726347, 0.32798288},
    {10000000, 0.77655567, 0.33124293},
}};

static_assert(table.back().n == static_cast<double>(shapiro_wilk_null_max_n));

}  // namespace

double shapiro_wilk_null_p_value(std::size_t n, double one_minus_w) {
  if (n < shapiro_wilk_null_min_n || n > shapiro_wilk_null_max_n) {
    throw error("Shapiro-Wilk null: n outside the simulated range 5001..10000000");
  }
  if (std::isnan(one_minus_w)) return std::numeric_limits<double>::quiet_NaN();
  const double an = static_cast<double>(n);
  const double log_n = std::log(an);
  const auto upper = std::upper_bound(table.begin() + 1, table.end() - 1, an,
                                      [](double value, const null_point& point) { return value < point.n; });
  const auto lower = std::prev(upper);
  const double t = (log_n - std::log(lower->n)) / (std::log(upper->n) - std::log(lower->n));
  const double mu = lower->mu + t * (upper->mu - lower->mu);
  const double sigma = lower->sigma + t * (upper->sigma - lower->sigma);
  const double excess = an * one_minus_w - (tau_a + tau_b * log_n);
  if (!(excess > 0.0)) return 1.0;
  // Upper tail of the normal law of log(x - tau) at the observed value.
  return 0.5 * std::erfc((std::log(excess) - mu) / sigma * (0.5 * std::numbers::sqrt2));
}

}  // namespace embcheck
