// Anderson-Darling test of a fully specified continuous null, and the distribution of A^2_n.
//
// Sources:
//  [AD54]  T. W. Anderson, D. A. Darling (1954), "A Test of Goodness of Fit", JASA 49: 765-769:
//          A^2_n = -n - (1/n) sum_i (2i - 1) [ln u_(i) + ln(1 - u_(n+1-i))].
//  [MM04]  G. Marsaglia, J. Marsaglia (2004), "Evaluating the Anderson-Darling Distribution",
//          J. Stat. Softw. 9(2): ADinf(z), the limiting CDF as a series in z whose coefficients
//          follow a two-term recursion started from erfc (about 15 digits), and errfix(n, x), a
//          fitted correction that turns ADinf into the CDF for sample size n ("off at the 5th,
//          rarely at the 4th digit"; not well suited to n < 7).
//  Reference implementation: R package goftest 1.2.3 (A. Baddeley), src/AnDarl.c and src/ADinf.c,
//  which holds the Marsaglias' C code. goftest's ad.test uses the short approximation adinf
//  (|error| < 2e-6); this file uses the full series ADinf, so ad.test's p-values differ from
//  ours by up to ~2e-6 (goftest's pAD(q, Inf, fast = FALSE) is ADinf itself).
//
// Decisions:
//  - errfix(n, x) does not vanish at x = 1: its polynomial there is -0.0006 / n, the noise of
//    the fit. So 1 - ADinf - errfix cannot go below about 6e-4 / n however large A^2 is (goftest
//    gives p = 2e-4 for n = 3 and A^2 = Inf). Below the floor max(1e-6, 1e-3 / n) we report the
//    floor as an upper bound instead of a number we cannot vouch for.
//  - goftest takes logs of 0 when a CDF value is 0 or 1 (A^2 = Inf). We clamp u = 0 to the
//    smallest subnormal and 1 - u = 0 to 2^-54 (a correctly rounded u = 1 means 1 - u < 2^-54):
//    the statistic is then a lower bound of the true one and the p-value an upper bound.
//  - 1 - u by subtraction keeps only ~1e-16 of absolute accuracy: at 8 sd (1 - u = 6e-16) it is
//    10% off, and A^2 of a sample of ten with one value at 8 sd was 0.2% off. The battery passes
//    1 - F of the upper tail computed directly (null_hypothesis::upper_tail_in_place), clamped at
//    the smallest subnormal like u.
//  - The statistic is summed as -(1/n) sum (2i - 1)(1 + ln(u_(i) (1 - u_(n+1-i)))), which is
//    A^2_n exactly (sum (2i - 1) = n^2) with terms that nearly cancel among themselves instead
//    of against -n: at n = 800000 the textbook form loses six digits to that cancellation (R's
//    A^2 is 2.5e-9 relative off at n = 100000). Terms are added with Neumaier's compensated sum
//    (the partial sums of a plain sum grow to ~n^2 and lose 1e-10 relative); the n logs cost far
//    more than the compensation.

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "embcheck/statistics/compensated_sum.hpp"
#include "embcheck/statistics/gof_tests.hpp"
#include "embcheck/statistics/vector_math.hpp"

namespace embcheck {
namespace {

constexpr double pi = std::numbers::pi;

// j-th function of the ADinf series [MM04, ADf]: with t = (4j + 1)^2 pi^2 / (8 z), the sum over i
// of c_i (z / 8)^i / i! where c_0 = pi / sqrt(2) e^-t / sqrt(t), c_1 = pi^1.5 / sqrt(2) erfc(sqrt t)
// and c_{i+1} = ((i - 1/2 - t) c_i + t c_{i-1}) / i.
double adinf_term(double z, int j) {
  const double t = (4.0 * j + 1.0) * (4.0 * j + 1.0) * (pi * pi / 8.0) / z;
  if (t > 150.0) return 0.0;
  double a = pi / std::numbers::sqrt2 * std::exp(-t) / std::sqrt(t);
  double b = pi * std::sqrt(pi) / std::numbers::sqrt2 * std::erfc(std::sqrt(t));
  double r = z * 0.125;
  double f = a + b * r;
  for (int i = 1; i < 200; ++i) {
    const double c = ((i - 0.5 - t) * b + t * a) / i;
    a = b;
    b = c;
    r *= z / (8.0 * i + 8.0);
    if (std::fabs(r) < 1e-40 || std::fabs(c) < 1e-40) return f;
    const double next = f + c * r;
    if (next == f) return f;
    f = next;
  }
  return f;
}

// Marsaglia's errfix(n, x): ADinf(z) + errfix(n, ADinf(z)) approximates P(A^2_n < z).
double errfix(double n, double x) {
  if (x > 0.8) {
    return (-130.2137 + (745.2337 - (1705.091 - (1950.646 - (1116.360 - 255.7844 * x) * x) * x) * x) * x) / n;
  }
  const double c = 0.01265 + 0.1757 / n;
  if (x < c) {
    double t = x / c;
    t = std::sqrt(t) * (1.0 - t) * (49.0 * t - 102.0);
    return t * (0.0037 / (n * n) + 0.00078 / n + 0.00006) / n;
  }
  double t = (x - c) / (0.8 - c);
  t = -0.00022633 + (6.54034 - (14.6538 - (14.458 - (8.259 - 1.91864 * t) * t) * t) * t) * t;
  return t * (0.04213 + 0.01365 / n) / n;
}

}  // namespace

double anderson_darling_limit_cdf(double a2) {
  if (std::isnan(a2)) return a2;
  if (a2 < 0.01) return 0.0;  // ADinf(0.01) = 5.3e-53
  // The series loses accuracy for large arguments (1e-12 absolute at 100, diverging at 1000);
  // 1 - ADinf(40) is about 1e-18, below what a double near 1 can hold.
  if (a2 >= 40.0) return 1.0;
  double r = 1.0 / a2;
  double sum = r * adinf_term(a2, 0);
  for (int j = 1; j < 100; ++j) {
    r *= (0.5 - j) / j;
    const double next = sum + (4.0 * j + 1.0) * r * adinf_term(a2, j);
    if (next == sum) break;
    sum = next;
  }
  return sum;
}

test_result anderson_darling_sf(double a2, std::size_t n) {
  if (n == 0) throw error("anderson_darling_sf: n must be positive");
  if (std::isnan(a2)) throw error("anderson_darling_sf: statistic is NaN");
  const double nn = static_cast<double>(n);
  const double floor = std::max(1e-6, 1e-3 / nn);
  test_result result;
  result.statistic = a2;
  const double x = std::clamp(anderson_darling_limit_cdf(a2), 0.0, 1.0);  // the series can give -1e-17
  const double p = std::min(1.0, 1.0 - (x + errfix(nn, x)));
  if (p < floor) {
    result.p_value = floor;
    result.p_is_upper_bound = true;
  } else {
    result.p_value = p;
  }
  return result;
}

namespace detail {

std::size_t anderson_darling_parts(std::size_t n) noexcept {
  return (n + anderson_darling_part_size - 1) / anderson_darling_part_size;
}

anderson_darling_part anderson_darling_sum_part(std::span<const double> cdf_values, std::size_t k,
                                                std::span<const double> upper_tail) {
  const std::size_t n = cdf_values.size();
  if (n == 0) throw error("anderson_darling_test: no values");
  if (upper_tail.size() > n) throw error("anderson_darling_test: more upper-tail values than values");
  const std::size_t begin = k * anderson_darling_part_size;
  const std::size_t end = std::min(n, begin + anderson_darling_part_size);
  // The part's values and the boundary with the previous part; term i also reads u[n - 1 - i],
  // which another part checks.
  const std::size_t checked_from = begin == 0 ? 0 : begin - 1;
  check_sorted_cdf_values(cdf_values.subspan(checked_from, end - checked_from), "anderson_darling_test");
  const double* u = cdf_values.data();
  constexpr double smallest_u = std::numeric_limits<double>::denorm_min();
  constexpr double smallest_one_minus_u = 0x1p-54;
  // 1 - u of value m: from `upper_tail` for the last values (exact to the CDF's own accuracy,
  // down to the smallest subnormal), else by the subtraction (below 2^-54 only when u = 1).
  const std::size_t tail_start = n - upper_tail.size();
  const auto one_minus = [&](std::size_t m) {
    return m >= tail_start ? upper_tail[m - tail_start] : 1.0 - u[m];
  };
  const auto smallest_one_minus = [&](std::size_t m) {
    return m >= tail_start ? smallest_u : smallest_one_minus_u;
  };
  anderson_darling_part part;
  compensated_sum total;
  // A block of products, their logarithms four at a time (detail::log_values_accurate: as
  // accurate as glibc's scalar log and without bias, which the sum would accumulate), then the
  // terms; products below the smallest normal double take the two logarithms apart, clamped.
  constexpr std::size_t block = 512;
  static_assert(anderson_darling_part_size % block == 0);
  std::array<double, block> logs;
  for (std::size_t first = begin; first < end; first += block) {
    const std::size_t count = std::min(block, end - first);
    bool tiny = false;
    // Terms i < upper_tail.size() read 1 - u from `upper_tail`, the others by subtraction: two
    // loops, so that the long one has no branch.
    const std::size_t from_tail = std::clamp(upper_tail.size(), first, first + count) - first;
    for (std::size_t j = 0; j < from_tail; ++j) {
      const std::size_t i = first + j;
      logs[j] = u[i] * upper_tail[upper_tail.size() - 1 - i];  // value n - 1 - i, in the tail
      tiny = tiny || !(logs[j] >= std::numeric_limits<double>::min());
    }
    for (std::size_t j = from_tail; j < count; ++j) {
      const std::size_t i = first + j;
      logs[j] = u[i] * (1.0 - u[n - 1 - i]);
      tiny = tiny || !(logs[j] >= std::numeric_limits<double>::min());
    }
    log_values_accurate(logs.data(), logs.data(), count);
    for (std::size_t j = 0; tiny && j < count; ++j) {
      const std::size_t i = first + j;
      const double lo = u[i];
      const double hi = one_minus(n - 1 - i);
      if (lo * hi >= std::numeric_limits<double>::min()) continue;
      part.clamped = part.clamped || lo == 0.0 || hi == 0.0;
      logs[j] = std::log(std::max(lo, smallest_u)) + std::log(std::max(hi, smallest_one_minus(n - 1 - i)));
    }
    for (std::size_t j = 0; j < count; ++j) {
      total.add((2.0 * static_cast<double>(first + j) + 1.0) * (1.0 + logs[j]));
    }
  }
  part.sum = total.sum;
  part.carry = total.carry;
  return part;
}

test_result anderson_darling_from_parts(std::span<const anderson_darling_part> parts, std::size_t n) {
  compensated_sum total;
  bool clamped = false;
  for (const anderson_darling_part& part : parts) {
    total.add(part.sum);
    total.add(part.carry);
    clamped = clamped || part.clamped;
  }
  const double a2 = -total.value() / static_cast<double>(n);
  test_result result = anderson_darling_sf(a2, n);
  result.p_is_upper_bound = result.p_is_upper_bound || clamped;
  return result;
}

}  // namespace detail

// The sum is added in parts of a fixed size (each with its own compensated sum, the parts' totals
// then added with compensation too), so that a long sample tested alone can add its parts on
// several threads (run_battery) and get the same bits as here.
test_result anderson_darling_test(std::span<const double> cdf_values, std::span<const double> upper_tail) {
  const std::size_t n = cdf_values.size();
  if (n == 0) throw error("anderson_darling_test: no values");
  std::vector<detail::anderson_darling_part> parts(detail::anderson_darling_parts(n));
  for (std::size_t k = 0; k < parts.size(); ++k)
    parts[k] = detail::anderson_darling_sum_part(cdf_values, k, upper_tail);
  return detail::anderson_darling_from_parts(parts, n);
}

}  // namespace embcheck
