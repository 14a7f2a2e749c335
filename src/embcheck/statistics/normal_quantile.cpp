// Inverse of the standard normal CDF.
//
// Source: M. J. Wichura (1988), "Algorithm AS 241: The Percentage Points of the Normal
// Distribution", Applied Statistics 37(3), 477-484: PPND16, rational approximations
// accurate to about 1e-16 in three regions. R's qnorm (src/nmath/qnorm.c, R 4.2) uses the
// same algorithm and coefficients for lower-tail, non-log p; the tests compare against it.

#include "embcheck/statistics/normal_quantile.hpp"

#include <cmath>
#include <limits>

#include "embcheck/statistics/vector_math.hpp"

namespace embcheck {

namespace {

// Horner evaluation of c[0] + c[1] x + ... + c[7] x^7, highest power first as in AS 241, into
// `out`. Also for several values at once (GCC/Clang vector extensions: the same IEEE operations
// lane by lane, so the same results as one value at a time); vectors go by reference, since a
// 32-byte vector passed or returned by value would need AVX in the function's own signature.
template <class T>
[[gnu::always_inline]] inline void horner8(const double (&c)[8], const T& x, T& out) noexcept {
  out = ((((((c[7] * x + c[6]) * x + c[5]) * x + c[4]) * x + c[3]) * x + c[2]) * x + c[1]) * x + c[0];
}

/// horner8 of one value.
inline double horner8(const double (&c)[8], double x) noexcept {
  double out;
  horner8(c, x, out);
  return out;
}

using double2 = double __attribute__((vector_size(2 * sizeof(double))));

/// Whether normal_quantile(p) takes the central branch.
inline bool central(double p) noexcept { return std::fabs(p - 0.5) <= 0.425; }

// Region |p - 0.5| <= 0.425: z = q A(r) / B(r) with r = 0.180625 - q^2.
constexpr double a[8] = {3.3871328727963666080e+00, 1.3314166789178437745e+02, 1.9715909503065514427e+03,
                         1.3731693765509461125e+04, 4.5921953931549871457e+04, 6.7265770927008700853e+04,
                         3.3430575583588128105e+04, 2.5090809287301226727e+03};
constexpr double b[8] = {1.0,
                         4.2313330701600911252e+01,
                         6.8718700749205790830e+02,
                         5.3941960214247511077e+03,
                         2.1213794301586595867e+04,
                         3.9307895800092710610e+04,
                         2.8729085735721942674e+04,
                         5.2264952788528545610e+03};
// Tail, r = sqrt(-log(min(p, 1 - p))) <= 5: argument r - 1.6.
constexpr double c[8] = {1.42343711074968357734e+00, 4.63033784615654529590e+00, 5.76949722146069140550e+00,
                         3.64784832476320460504e+00, 1.27045825245236838258e+00, 2.41780725177450611770e-01,
                         2.27238449892691845833e-02, 7.74545014278341407640e-04};
constexpr double d[8] = {1.0,
                         2.05319162663775882187e+00,
                         1.67638483018380384940e+00,
                         6.89767334985100004550e-01,
                         1.48103976427480074590e-01,
                         1.51986665636164571966e-02,
                         5.47593808499534494600e-04,
                         1.05075007164441684324e-09};
// Far tail, r > 5: argument r - 5.
constexpr double e[8] = {6.65790464350110377720e+00, 5.46378491116411436990e+00, 1.78482653991729133580e+00,
                         2.96560571828504891230e-01, 2.65321895265761230930e-02, 1.24266094738807843860e-03,
                         2.71155556874348757815e-05, 2.01033439929228813265e-07};
constexpr double f[8] = {1.0,
                         5.99832206555887937690e-01,
                         1.36929880922735805310e-01,
                         1.48753612908506148525e-02,
                         7.86869131145613259100e-04,
                         1.84631831751005468180e-05,
                         1.42151175831644588870e-07,
                         2.04426310338993978564e-15};

}  // namespace

double normal_quantile(double p) noexcept {
  if (!(p >= 0.0 && p <= 1.0)) return std::numeric_limits<double>::quiet_NaN();
  const double q = p - 0.5;
  if (central(p)) {
    const double r = 0.180625 - q * q;
    return q * horner8(a, r) / horner8(b, r);
  }
  // 1 - p is exact for p >= 0.5 (Sterbenz), so the upper tail loses nothing beyond p's own rounding.
  const double tail = q < 0.0 ? p : 1.0 - p;
  if (tail == 0.0)
    return q < 0.0 ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  double r = std::sqrt(-std::log(tail));
  double value;
  if (r <= 5.0) {
    r -= 1.6;
    value = horner8(c, r) / horner8(d, r);
  } else {
    r -= 5.0;
    value = horner8(e, r) / horner8(f, r);
  }
  return q < 0.0 ? -value : value;
}

namespace {

using double4 = double __attribute__((vector_size(4 * sizeof(double))));

// Central scores i .. i + k*Lanes - 1 (k as many as fit before `last`), Lanes at a time, each lane
// computing what normal_quantile computes for its p; returns the first index not done.
template <class Vector, std::size_t Lanes>
[[gnu::always_inline]] inline std::size_t central_scores(std::size_t i, std::size_t last, double denominator,
                                                         double* out) noexcept {
  for (; i + Lanes <= last; i += Lanes) {
    Vector index;
    for (std::size_t k = 0; k < Lanes; ++k) index[k] = static_cast<double>(i + 1 + k);
    const Vector q = (index - 0.375) / denominator - 0.5;
    const Vector r = 0.180625 - q * q;
    Vector numerator;
    Vector denominator_poly;
    horner8(a, r, numerator);
    horner8(b, r, denominator_poly);
    const Vector z = q * numerator / denominator_poly;
    for (std::size_t k = 0; k < Lanes; ++k) out[i + k] = z[k];
  }
  return i;
}

#if defined(__x86_64__) && defined(__GNUC__)
// The same operations on AVX2 registers, four lanes (no FMA: the target does not enable it, so
// every product and sum is rounded as in the scalar code).
[[gnu::target("avx2")]] std::size_t central_scores_avx2(std::size_t i, std::size_t last, double denominator,
                                                        double* out) noexcept {
  return central_scores<double4, 4>(i, last, denominator, out);
}
#endif

}  // namespace

// The central region (|p - 0.5| <= 0.425, 85% of the scores) is a ratio of two polynomials with
// no branch, evaluated four scores at a time with AVX2, two without (kernel benchmark
// shapiro_wilk_constants/800000, with the coefficients no longer zeroed before they are written:
// 2.55 -> 2.17 ms); the tails, one at a time. p is monotone in i, so the central scores are one
// run [first, last).
void blom_scores(std::size_t n, std::span<double> out) noexcept {
  const double denominator = static_cast<double>(n) + 0.25;
  const auto p_at = [denominator](std::size_t i) {
    return (static_cast<double>(i + 1) - 0.375) / denominator;
  };
  std::size_t first = 0;
  while (first < out.size() && !central(p_at(first))) {
    out[first] = normal_quantile(p_at(first));
    ++first;
  }
  std::size_t last = out.size();
  while (last > first && !central(p_at(last - 1))) {
    --last;
    out[last] = normal_quantile(p_at(last));
  }
  std::size_t i = first;
#if defined(__x86_64__) && defined(__GNUC__)
  if (detail::cpu_has_avx2()) i = central_scores_avx2(i, last, denominator, out.data());
#endif
  i = central_scores<double2, 2>(i, last, denominator, out.data());
  for (; i < last; ++i) out[i] = normal_quantile(p_at(i));
}

}  // namespace embcheck
