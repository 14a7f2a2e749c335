// Descriptive moments of a sample in double precision.
//
// Method: shifted two-pass algorithm with a correction term (Chan, Golub & LeVeque 1983,
// "Algorithms for computing the sample variance: analysis and recommendations", The American
// Statistician 37(3), 242-247, eq. 1.7), extended to the third and fourth central moments by the
// binomial expansion about the computed mean. Values are shifted by the first finite value K
// before any sum, so data such as 1000 + noise (float32 embeddings with an offset) lose no digits,
// and a constant sample gives exactly zero deviations. Sums run in blocks (several lanes inside a
// block, Neumaier's compensated sum across blocks), so rounding grows with the block length, not
// with n. Definitions follow scipy.stats.skew / kurtosis with bias=True (population moments).

#include "embcheck/statistics/moments.hpp"
#include "embcheck/statistics/compensated_sum.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace embcheck {

namespace {

constexpr std::size_t block_size = 1024;
constexpr std::size_t lanes = 4;

using detail::compensated_sum;

struct first_pass {
  std::size_t finite = 0;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  compensated_sum sum;  // of x - shift over finite x
};

// Pass 1 over one block: counts, min, max and the sum of x - shift over the finite values. Several
// lanes of accumulators for throughput; the branches on rare values are predictable in real data.
template <class T>
void first_pass_block(const T* x, std::size_t count, double shift, double smallest_normal, moments& out,
                      first_pass& pass) {
  std::array<double, lanes> sum{};
  std::array<double, lanes> lo;
  std::array<double, lanes> hi;
  std::array<std::size_t, lanes> finite{};
  lo.fill(std::numeric_limits<double>::infinity());
  hi.fill(-std::numeric_limits<double>::infinity());
  auto accumulate = [&](std::size_t l, double v) {
    const double magnitude = std::fabs(v);
    if (magnitude <= std::numeric_limits<double>::max()) [[likely]] {
      ++finite[l];
      sum[l] += v - shift;
      lo[l] = std::min(lo[l], v);
      hi[l] = std::max(hi[l], v);
      if (magnitude < smallest_normal) [[unlikely]] {
        ++(v == 0.0 ? out.zeros : out.subnormals);
      }
    } else if (std::isnan(v)) {
      ++out.nan;
    } else if (v > 0.0) {
      ++out.positive_infinity;
    } else {
      ++out.negative_infinity;
    }
  };
  std::size_t i = 0;
  for (; i + lanes <= count; i += lanes) {
    for (std::size_t l = 0; l < lanes; ++l) accumulate(l, x[i + l]);
  }
  for (; i < count; ++i) accumulate(0, x[i]);
  for (std::size_t l = 0; l < lanes; ++l) {
    pass.finite += finite[l];
    pass.min = std::min(pass.min, lo[l]);
    pass.max = std::max(pass.max, hi[l]);
  }
  pass.sum.add((sum[0] + sum[1]) + (sum[2] + sum[3]));
}

// Pass 1 over a block assumed finite and normal, without counting; returns false (accumulating
// nothing) if it is not, and first_pass_block then does the block again.
template <class T>
bool fast_block(const T* x, std::size_t count, double shift, double smallest_normal, first_pass& pass) {
  std::array<double, lanes> sum{};
  std::array<double, lanes> lo;
  std::array<double, lanes> hi;
  std::array<double, lanes> smallest;
  lo.fill(std::numeric_limits<double>::infinity());
  hi.fill(-std::numeric_limits<double>::infinity());
  smallest.fill(std::numeric_limits<double>::infinity());
  std::size_t i = 0;
  for (; i + lanes <= count; i += lanes) {
    for (std::size_t l = 0; l < lanes; ++l) {
      const double v = x[i + l];
      sum[l] += v - shift;
      lo[l] = std::min(lo[l], v);
      hi[l] = std::max(hi[l], v);
      smallest[l] = std::min(smallest[l], std::fabs(v));
    }
  }
  for (; i < count; ++i) {
    const double v = x[i];
    sum[0] += v - shift;
    lo[0] = std::min(lo[0], v);
    hi[0] = std::max(hi[0], v);
    smallest[0] = std::min(smallest[0], std::fabs(v));
  }
  const double block_sum = (sum[0] + sum[1]) + (sum[2] + sum[3]);
  const double block_smallest =
      std::min(std::min(smallest[0], smallest[1]), std::min(smallest[2], smallest[3]));
  // A NaN or an infinity makes the sum non-finite; zeros and subnormals show in the smallest
  // magnitude (a NaN there fails the comparison too).
  if (!std::isfinite(block_sum) || !(block_smallest >= smallest_normal)) return false;
  pass.finite += count;
  pass.min = std::min(pass.min, std::min(std::min(lo[0], lo[1]), std::min(lo[2], lo[3])));
  pass.max = std::max(pass.max, std::max(std::max(hi[0], hi[1]), std::max(hi[2], hi[3])));
  pass.sum.add(block_sum);
  return true;
}

// Sums of d, d^2, d^3, d^4 with d = (x - shift) - centre over the finite x.
struct power_sums {
  compensated_sum s1, s2, s3, s4;
};

template <bool check_finite, class T>
void power_block(const T* x, std::size_t count, double shift, double centre, double scale, power_sums& out) {
  std::array<double, lanes> p1{}, p2{}, p3{}, p4{};
  std::size_t i = 0;
  auto accumulate = [&](std::size_t l, double v) {
    if constexpr (check_finite) {
      if (!(std::fabs(v) <= std::numeric_limits<double>::max())) return;
    }
    const double d = ((v - shift) - centre) * scale;
    const double d2 = d * d;
    p1[l] += d;
    p2[l] += d2;
    p3[l] += d2 * d;
    p4[l] += d2 * d2;
  };
  for (; i + lanes <= count; i += lanes) {
    for (std::size_t l = 0; l < lanes; ++l) accumulate(l, x[i + l]);
  }
  for (; i < count; ++i) accumulate(0, x[i]);
  out.s1.add((p1[0] + p1[1]) + (p1[2] + p1[3]));
  out.s2.add((p2[0] + p2[1]) + (p2[2] + p2[3]));
  out.s3.add((p3[0] + p3[1]) + (p3[2] + p3[3]));
  out.s4.add((p4[0] + p4[1]) + (p4[2] + p4[3]));
}

template <class T>
moments compute_moments_of(std::span<const T> values, double smallest_normal) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  moments out;
  out.n = values.size();
  const T* x = values.data();
  const std::size_t n = values.size();

  // The shift K: the first finite value (0 if there is none).
  double shift = 0.0;
  for (const double v : values) {
    if (std::isfinite(v)) {
      shift = v;
      break;
    }
  }

  first_pass pass;
  // After a block fails the fast path, the next ones go straight to the counting path for a while
  // (rows with zeros or NaN tend to have them throughout), so no block is read twice in a row.
  std::size_t skip_fast = 0;
  for (std::size_t start = 0; start < n; start += block_size) {
    const std::size_t count = std::min(block_size, n - start);
    if (skip_fast > 0) {
      --skip_fast;
      first_pass_block(x + start, count, shift, smallest_normal, out, pass);
    } else if (!fast_block(x + start, count, shift, smallest_normal, pass)) {
      first_pass_block(x + start, count, shift, smallest_normal, out, pass);
      skip_fast = 16;
    }
  }
  out.finite = pass.finite;
  if (pass.finite == 0) {
    out.mean = out.variance = out.sample_variance = out.std = nan;
    out.min = out.max = out.skewness = out.excess_kurtosis = nan;
    return out;
  }
  out.min = pass.min;
  out.max = pass.max;
  const double count = static_cast<double>(pass.finite);
  const double sample_divisor = count - 1.0;
  if (pass.min == pass.max) {
    out.mean = pass.min;
    out.variance = 0.0;
    out.sample_variance = pass.finite >= 2 ? 0.0 : nan;
    out.std = std::sqrt(out.sample_variance);
    out.skewness = out.excess_kurtosis = nan;
    return out;
  }

  const double centre = pass.sum.value() / count;
  // The deviations are multiplied by 2^-e, which brings the largest to [1, 2) (to about 2^-54
  // for a spread of subnormals, where e is held at -1020 so that 2^-e stays finite), so that their
  // third and fourth powers neither underflow nor overflow for data at any scale (1e-110 or 1e80
  // times normal values, or a spread of subnormals): the moments were infinite or NaN there, and
  // the tests of skewness and kurtosis could not run. Scaling by a power of two is exact, so
  // wherever nothing underflowed or overflowed the results are the same bits as unscaled.
  const double reach =
      std::max(std::fabs((pass.max - shift) - centre), std::fabs((pass.min - shift) - centre));
  const int e = std::isfinite(reach) && reach > 0.0 ? std::clamp(std::ilogb(reach), -1020, 1020) : 0;
  const double scale = std::ldexp(1.0, -e);
  power_sums sums;
  const bool all_finite = pass.finite == n;
  for (std::size_t start = 0; start < n; start += block_size) {
    const std::size_t block = std::min(block_size, n - start);
    if (all_finite) {
      power_block<false>(x + start, block, shift, centre, scale, sums);
    } else {
      power_block<true>(x + start, block, shift, centre, scale, sums);
    }
  }
  // Central moments about the exact mean from the moments about the computed centre, whose error
  // is m1 (Chan, Golub & LeVeque's correction, extended to the 3rd and 4th moments), in units of
  // 2^e: skewness and kurtosis do not depend on the unit, the mean and variance are scaled back.
  const double m1 = sums.s1.value() / count;
  const double r2 = sums.s2.value() / count;
  const double r3 = sums.s3.value() / count;
  const double r4 = sums.s4.value() / count;
  const double m1_2 = m1 * m1;
  // Clamped at 0 against rounding; a NaN (sums that overflowed) stays NaN, not a variance of 0.
  const double m2 = std::isnan(r2 - m1_2) ? r2 - m1_2 : std::max(0.0, r2 - m1_2);
  const double m3 = r3 - 3.0 * m1 * r2 + 2.0 * m1_2 * m1;
  const double m4 = r4 - 4.0 * m1 * r3 + 6.0 * m1_2 * r2 - 3.0 * m1_2 * m1_2;

  out.mean = shift + (centre + std::ldexp(m1, e));
  out.variance = std::ldexp(m2, 2 * e);
  out.sample_variance = out.variance * count / sample_divisor;
  out.std = std::sqrt(out.sample_variance);
  if (m2 > 0.0) {
    out.skewness = m3 / (m2 * std::sqrt(m2));
    out.excess_kurtosis = m4 / (m2 * m2) - 3.0;
  } else {
    // Distinct values whose deviations all round to zero about the centre: as for a constant row.
    out.skewness = out.excess_kurtosis = nan;
  }
  return out;
}

}  // namespace

moments compute_moments(std::span<const double> values, double smallest_normal) {
  return compute_moments_of(values, smallest_normal);
}

moments compute_moments(std::span<const float> values, double smallest_normal) {
  return compute_moments_of(values, smallest_normal);
}

}  // namespace embcheck
