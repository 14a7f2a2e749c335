// One-sample Kolmogorov-Smirnov test and the distributions of D_n (two-sided) and D+_n (one-sided).
//
// Sources:
//  [SL11]  R. Simard, P. L'Ecuyer (2011), "Computing the Two-Sided Kolmogorov-Smirnov Distribution",
//          J. Stat. Softw. 39(11): which method to use for which (n, n d^2).
//  [MTW03] G. Marsaglia, W. W. Tsang, J. Wang (2003), "Evaluating Kolmogorov's Distribution",
//          J. Stat. Softw. 8(18): Durbin's matrix, k-th diagonal entry of H^n, with scaling.
//  [P74]   J. Pomeranz (1974), "Exact Cumulative Distribution of the Kolmogorov-Smirnov Statistic
//          for Small Samples", CACM Algorithm 487.
//  [PG76]  W. Pelz, I. J. Good (1976), "Approximating the Lower Tail-areas of the Kolmogorov-Smirnov
//          One-sample Statistic", J. R. Stat. Soc. B 38(2): 152-156.
//  [RG82]  H. Ruben, J. Gambino (1982): exact P(D_n <= d) for d <= 1/n and d >= 1 - 1/n.
//  [BT51]  Z. W. Birnbaum, F. H. Tingey (1951), "One-Sided Confidence Contours for Probability
//          Distribution Functions", Ann. Math. Statist. 22: the exact sum for P(D+_n >= d).
//  [L00]   C. Loader (2000), "Fast and Accurate Computation of Binomial Probabilities":
//          stirlerr and bd0, used for the terms of the Birnbaum-Tingey sum at large n.
//  Reference implementation whose switching points are reproduced so that results agree:
//  SciPy 1.10, scipy/stats/_ksstats.py (kolmogn) and scipy/special/cephes/kolmogorov.c (smirnov,
//  P. van Mulbregt, arXiv:1802.06966).
//
// Where this code departs from SciPy's arithmetic (not its choices):
//  - The summand A(v) = C(n,v) (d+v/n)^(v-1) (1-d-v/n)^(n-v) is evaluated in
//    log space with Loader's saddle-point form of the binomial density (A(v) = dbinom(v; n,
//    d+v/n) / (d+v/n)). A(v) extends to an analytic function of real v that varies on a scale
//    of sqrt(n d) or more and is negligible (< e^-50 of its peak) at both ends of the range; by
//    Poisson summation the sum then equals the integral of A over the range to far below double
//    precision, so it is computed by adaptive Gauss-Kronrod quadrature in O(100) evaluations
//    instead of SciPy's O(n) terms. Where those conditions fail the terms are summed one by one.
//  - Tiny probabilities are carried as logarithms until the last step, so they come out as
//    (possibly subnormal) doubles instead of underflowing early.

#include "embcheck/statistics/kolmogorov_smirnov.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <numbers>
#include <utility>
#include <vector>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "embcheck/error.hpp"
#include "embcheck/statistics/vector_math.hpp"

namespace embcheck {
namespace detail {
namespace {

constexpr double two_p128 = 0x1p128;
constexpr double two_m128 = 0x1p-128;
constexpr int scale_exponent = 128;
// Cephes MINLOG = log(2^-1075): below -2 n d^2 < MINLOG SciPy's smirnov returns 0.
constexpr double cephes_minlog = -7.451332191019412076235e2;
constexpr std::int64_t smirnov_max_compute_n = 1000000;
constexpr double ln_sqrt_2pi = 0.918938533204672741780329736405617639861397473637783;
constexpr double pi = std::numbers::pi;

double clip_prob(double p) { return std::clamp(p, 0.0, 1.0); }

// ---------------------------------------------------------------------------------------------
// Square matrices for the Durbin method.
class square_matrix {
 public:
  explicit square_matrix(int m) : m_(m), a_(static_cast<std::size_t>(m) * static_cast<std::size_t>(m)) {}
  double& operator()(int i, int j) { return a_[static_cast<std::size_t>(i * m_ + j)]; }
  double operator()(int i, int j) const { return a_[static_cast<std::size_t>(i * m_ + j)]; }
  [[nodiscard]] int size() const { return m_; }
  void scale(double f) {
    for (double& v : a_) v *= f;
  }

 private:
  int m_;
  std::vector<double> a_;
};

square_matrix multiply(const square_matrix& a, const square_matrix& b) {
  const int m = a.size();
  square_matrix c(m);
  for (int i = 0; i < m; ++i) {
    for (int k = 0; k < m; ++k) {
      const double aik = a(i, k);
      if (aik == 0.0) continue;
      for (int j = 0; j < m; ++j) c(i, j) += aik * b(k, j);
    }
  }
  return c;
}

// P(D_n <= d) by Durbin's matrix [MTW03]: with d = (k - h)/n, the k-th diagonal entry of
// (n!/n^n) H^n for the (2k-1) x (2k-1) matrix H; powers of two keep the entries in range.
double kolmogorov_cdf_durbin(std::int64_t n, double d) {
  if (d >= 1.0) return 1.0;
  const double nd = static_cast<double>(n) * d;
  if (nd <= 0.5) return 0.0;
  const int k = static_cast<int>(std::ceil(nd));
  const double h = k - nd;
  const int m = 2 * k - 1;

  std::vector<double> v(static_cast<std::size_t>(m));
  std::vector<double> w(static_cast<std::size_t>(m));
  double fac = 1.0;
  for (int j = 1; j <= m; ++j) {
    w[static_cast<std::size_t>(j - 1)] = fac;
    fac /= j;
    v[static_cast<std::size_t>(j - 1)] = (1.0 - std::pow(h, j)) * fac;
  }
  const double tt = std::pow(std::max(2.0 * h - 1.0, 0.0), m) - 2.0 * std::pow(h, m);
  v[static_cast<std::size_t>(m - 1)] = (1.0 + tt) * fac;

  square_matrix hm(m);
  for (int i = 1; i < m; ++i) {
    for (int r = i - 1; r < m; ++r) hm(r, i) = w[static_cast<std::size_t>(r - (i - 1))];
  }
  for (int r = 0; r < m; ++r) hm(r, 0) = v[static_cast<std::size_t>(r)];
  for (int c = 0; c < m; ++c) hm(m - 1, c) = v[static_cast<std::size_t>(m - 1 - c)];

  square_matrix power(m);
  for (int i = 0; i < m; ++i) power(i, i) = 1.0;
  int expnt = 0;    // power = (true power) * 2^-expnt
  int h_expnt = 0;  // hm = (true H^(2^j)) * 2^-h_expnt
  std::int64_t nn = n;
  while (nn > 0) {
    if (nn % 2 != 0) {
      power = multiply(power, hm);
      expnt += h_expnt;
      if (std::abs(power(k - 1, k - 1)) > two_p128) {
        power.scale(two_m128);
        expnt += scale_exponent;
      }
    }
    nn /= 2;
    if (nn == 0) break;
    hm = multiply(hm, hm);
    h_expnt *= 2;
    if (std::abs(hm(k - 1, k - 1)) > two_p128) {
      hm.scale(two_m128);
      h_expnt += scale_exponent;
    }
  }

  double p = power(k - 1, k - 1);
  const double dn = static_cast<double>(n);
  for (std::int64_t i = 1; i <= n; ++i) {
    p = static_cast<double>(i) * p / dn;
    if (std::abs(p) < two_m128) {
      p *= two_p128;
      expnt -= scale_exponent;
    }
  }
  return clip_prob(std::ldexp(p, expnt));
}

// ---------------------------------------------------------------------------------------------
// P(D_n <= d) by Pomeranz's recursion [P74], in the two-row form of SciPy's _kolmogn_Pomeranz.

// One row of the recursion, a convolution: out[r] = sum over s of a[s] p[first + r - s] for
// r < count, over 0 <= s < a_len and 0 <= first + r - s < p_len. `padded` holds p[0 .. p_len)
// from index row_padding on, with zeros in the row_padding entries before and the
// row_padding - 1 after. Eight outputs at a time in two registers of four (two independent
// chains of additions), each lane its own running sum over s ascending; terms of s outside a
// lane's range read the zeros (adding +0 leaves a sum of non-negative terms unchanged). At
// n = 128 and n d = 20 an evaluation made one short dot product per output, and a table of rows
// of 128 makes about 500 evaluations (its pieces). The same arithmetic (no fused multiply-add)
// on SSE2 or AVX2 registers, so the same results on either.
using double4 = double __attribute__((vector_size(4 * sizeof(double))));
constexpr std::int64_t row_padding = pomeranz_row_padding;

[[gnu::always_inline]] inline void convolution_row_impl(const double* a, std::int64_t a_len,
                                                        const double* padded, std::int64_t p_len,
                                                        std::int64_t first, double* out,
                                                        std::int64_t count) noexcept {
  for (std::int64_t r = 0; r < count; r += 8) {
    const std::int64_t idx = first + r;
    const std::int64_t s_begin = std::max<std::int64_t>(0, idx - p_len + 1);
    const std::int64_t s_end = std::min(a_len - 1, idx + 7);
    double4 low = {0.0, 0.0, 0.0, 0.0};
    double4 high = {0.0, 0.0, 0.0, 0.0};
    for (std::int64_t s = s_begin; s <= s_end; ++s) {
      double4 p_low;
      double4 p_high;
      std::memcpy(&p_low, padded + row_padding + idx - s, sizeof p_low);
      std::memcpy(&p_high, padded + row_padding + idx + 4 - s, sizeof p_high);
      low += a[s] * p_low;
      high += a[s] * p_high;
    }
    const std::int64_t lanes = std::min<std::int64_t>(8, count - r);
    for (std::int64_t k = 0; k < lanes; ++k) out[r + k] = k < 4 ? low[k] : high[k - 4];
  }
}

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx2"))) void convolution_row_avx2(const double* a, std::int64_t a_len,
                                                          const double* padded, std::int64_t p_len,
                                                          std::int64_t first, double* out,
                                                          std::int64_t count) {
  convolution_row_impl(a, a_len, padded, p_len, first, out, count);
}
#endif

struct index_range {
  std::int64_t j1;
  std::int64_t j2;
};

index_range pomeranz_range(std::int64_t i, std::int64_t n, std::int64_t ll, int ceilf, int roundf) {
  std::int64_t j1 = 0;
  std::int64_t j2 = 0;
  if (i == 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const std::int64_t half = (i + 1) / 2;
    if ((i + 1) % 2 == 0) {
      if (half == n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = half - 1 - ll - roundf - 1;
        j2 = half + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundf - 1;
    }
  }
  return {std::max<std::int64_t>(j1 + 2, 0), std::min(j2, n)};
}

double kolmogorov_cdf_pomeranz(std::int64_t n, double d) {
  const double dn = static_cast<double>(n);
  const double t = dn * d;
  const auto ll = static_cast<std::int64_t>(std::floor(t));
  const double f = t - static_cast<double>(ll);
  const double g = std::min(f, 1.0 - f);
  const int ceilf = f > 0 ? 1 : 0;
  const int roundf = f > 0.5 ? 1 : 0;
  const auto npwrs = static_cast<std::size_t>(2 * (ll + 1));

  // (g/n)^m/m!, (2g/n)^m/m!, ((1-2g)/n)^m/m!: Poisson probabilities without the normalization,
  // power m at index row_padding + m, with zeros either side (as pomeranz_convolution_row reads them).
  const auto pad = static_cast<std::size_t>(row_padding);
  std::vector<double> gpower(npwrs + 2 * pad, 0.0);
  std::vector<double> twogpower(npwrs + 2 * pad, 0.0);
  std::vector<double> onem2gpower(npwrs + 2 * pad, 0.0);
  gpower[pad] = twogpower[pad] = onem2gpower[pad] = 1.0;
  const double g_over_n = g / dn;
  const double two_g_over_n = 2 * g / dn;
  const double one_minus_two_g_over_n = (1 - 2 * g) / dn;
  for (std::size_t m = 1; m < npwrs; ++m) {
    const auto dm = static_cast<double>(m);
    gpower[pad + m] = gpower[pad + m - 1] * g_over_n / dm;
    twogpower[pad + m] = twogpower[pad + m - 1] * two_g_over_n / dm;
    onem2gpower[pad + m] = onem2gpower[pad + m - 1] * one_minus_two_g_over_n / dm;
  }

  std::vector<double> v0(npwrs, 0.0);
  std::vector<double> v1(npwrs, 0.0);
  v1[0] = 1.0;
  std::int64_t v0s = 0;
  std::int64_t v1s = 0;
  int expnt = 0;
  auto range = pomeranz_range(0, n, ll, ceilf, roundf);
  const auto len = static_cast<std::int64_t>(npwrs);
  for (std::int64_t i = 1; i < 2 * n + 2; ++i) {
    const std::int64_t k1 = range.j1;
    std::swap(v0, v1);
    std::swap(v0s, v1s);
    std::fill(v1.begin(), v1.end(), 0.0);
    range = pomeranz_range(i, n, ll, ceilf, roundf);
    std::vector<double>& pwrs = (i == 1 || i == 2 * n + 1) ? gpower : (i % 2 != 0 ? twogpower : onem2gpower);
    const std::int64_t ln2 = range.j2 - k1 + 1;
    if (ln2 <= 0) continue;
    // Entries conv_start .. conv_start + conv_len - 1 of the full convolution of
    // v0[off .. off + ln2) (zero past the end of the row) with pwrs[0 .. ln2).
    const std::int64_t off = k1 - v0s;
    const std::int64_t a_len = std::clamp<std::int64_t>(len - off, 0, ln2);
    const std::int64_t conv_start = range.j1 - k1;
    const std::int64_t conv_len = range.j2 - range.j1 + 1;
    double vmax = 0.0;
    if (conv_len > 0) {
      // Only pwrs[0 .. ln2) take part: the powers after them that the last lanes of an output
      // block can read are zeroed for this row and put back after it.
      const std::int64_t p_len = std::min(ln2, len);
      const auto after = pwrs.begin() + row_padding + p_len;
      std::array<double, row_padding - 1> kept{};
      std::copy_n(after, kept.size(), kept.begin());
      std::fill_n(after, kept.size(), 0.0);
      pomeranz_convolution_row(v0.data() + off, a_len, pwrs.data(), p_len, conv_start, v1.data(), conv_len);
      std::copy(kept.begin(), kept.end(), after);
      vmax = *std::max_element(v1.begin(), v1.begin() + conv_len);
    }
    if (vmax > 0 && vmax < two_m128) {
      for (double& x : v1) x *= two_p128;
      expnt -= scale_exponent;
    }
    v1s = v0s + range.j1 - k1;
  }

  // Multiply by n!.
  double ans = v1[static_cast<std::size_t>(n - v1s)];
  for (std::int64_t m = 1; m <= n; ++m) {
    if (std::abs(ans) > two_p128) {
      ans *= two_m128;
      expnt += scale_exponent;
    }
    ans *= static_cast<double>(m);
  }
  return clip_prob(std::ldexp(ans, expnt));
}

// ---------------------------------------------------------------------------------------------
// Pelz-Good [PG76] approximation of P(D_n <= d): the Li-Chien/Korolyuk expansion
// K0(z) + K1(z)/sqrt(n) + K2(z)/n + K3(z)/n^1.5, z = d sqrt(n), in its theta-function form.
double kolmogorov_cdf_pelz_good(std::int64_t n, double d) {
  if (d <= 0.0) return 0.0;
  if (d >= 1.0) return 1.0;
  const double dn = static_cast<double>(n);
  const double z = std::sqrt(dn) * d;
  const double z2 = z * z;
  const double z3 = z2 * z;
  const double z4 = z2 * z2;
  const double z6 = z4 * z2;
  const double pi2 = pi * pi;
  const double pi4 = pi2 * pi2;
  const double pi6 = pi4 * pi2;

  const double qlog = -pi2 / 8 / z2;
  if (qlog < -708) return 0.0;
  double q = std::exp(qlog);

  const double k1a = -z2;
  const double k1b = pi2 / 4;
  const double k2a = 6 * z6 + 2 * z4;
  const double k2b = (2 * z4 - 5 * z2) * pi2 / 4;
  const double k2c = pi4 * (1 - 2 * z2) / 16;
  const double k3d = pi6 * (5 - 30 * z2) / 64;
  const double k3c = pi4 * (-60 * z2 + 212 * z4) / 16;
  const double k3b = pi2 * (135 * z4 - 96 * z6) / 4;
  const double k3a = -30 * z6 - 90 * std::pow(z, 8);

  // Horner scheme in q^8 over odd m = 2k - 1 for sum c(m) q^(m^2).
  std::array<double, 4> kk{0.0, 0.0, 0.0, 0.0};
  const auto maxk = static_cast<int>(std::ceil(16 * z / pi));
  for (int k = maxk; k > 0; --k) {
    const double m = 2.0 * k - 1;
    const double m2 = m * m;
    const double m4 = m2 * m2;
    const double m6 = m4 * m2;
    const double qpower = std::pow(q, 8 * k);
    const std::array<double, 4> coeffs{1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4,
                                       k3a + k3b * m2 + k3c * m4 + k3d * m6};
    for (std::size_t i = 0; i < 4; ++i) kk[i] = kk[i] * qpower + coeffs[i];
  }
  const double sqrt2pi = std::sqrt(2 * pi);
  const std::array<double, 4> denom{z, 6 * z4, 72 * std::pow(z, 7), 6480 * std::pow(z, 10)};
  for (std::size_t i = 0; i < 4; ++i) kk[i] = kk[i] * q * sqrt2pi / denom[i];

  // The sums over all k >= 1 of (pi^2 k^2) q^(k^2) and (3 pi^2 k^2 z^2 - pi^4 k^4) q^(k^2).
  q = std::exp(-pi2 / 2 / z2);
  const double sqrt3z = std::sqrt(3.0) * z;
  double k2extra = 0.0;
  double k3extra = 0.0;
  for (int k = maxk; k > 0; --k) {
    const double ks2 = static_cast<double>(k) * k;
    const double kspi = pi * k;
    const double qp = std::pow(q, ks2);
    k2extra += ks2 * qp;
    k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ks2 * qp;
  }
  kk[2] += k2extra * (pi2 * sqrt2pi / (-36 * z3));
  kk[3] += k3extra * (pi2 * sqrt2pi / (216 * z6));
  double sum = 0.0;
  for (std::size_t i = 0; i < 4; ++i) sum += kk[i] / std::pow(dn, static_cast<double>(i) / 2.0);
  return sum;
}

// log(n! / n^n) by Stirling's series with n log n removed up front (SciPy's
// _log_nfactorial_div_n_pow_n).
double log_nfactorial_div_n_pow_n(std::int64_t n) {
  static constexpr std::array<double, 8> stirling{-2.955065359477124183e-2,  6.4102564102564102564e-3,
                                                  -1.9175269175269175269e-3, 8.4175084175084175084e-4,
                                                  -5.952380952380952381e-4,  7.9365079365079365079e-4,
                                                  -2.7777777777777777778e-3, 8.3333333333333333333e-2};
  const double dn = static_cast<double>(n);
  const double rn = 1.0 / dn;
  double poly = 0.0;
  for (const double c : stirling) poly = poly * (rn / dn) + c;
  return std::log(dn) / 2 - dn + std::log(2 * pi) / 2 + rn * poly;
}

// ---------------------------------------------------------------------------------------------
// Birnbaum-Tingey terms in log space [L00].

// log(Gamma(v+1)) - ((v + 1/2) log v - v + log sqrt(2 pi)), for real v > 0.
double stirlerr(double v) {
  constexpr double s0 = 1.0 / 12;
  constexpr double s1 = 1.0 / 360;
  constexpr double s2 = 1.0 / 1260;
  constexpr double s3 = 1.0 / 1680;
  constexpr double s4 = 1.0 / 1188;
  if (v <= 15.0) return std::lgamma(v + 1.0) - (v + 0.5) * std::log(v) + v - ln_sqrt_2pi;
  const double vv = v * v;
  if (v > 500) return (s0 - s1 / vv) / v;
  if (v > 80) return (s0 - (s1 - s2 / vv) / vv) / v;
  if (v > 35) return (s0 - (s1 - (s2 - s3 / vv) / vv) / vv) / v;
  return (s0 - (s1 - (s2 - (s3 - s4 / vv) / vv) / vv) / vv) / v;
}

// x log(x/m) + m - x, with diff = x - m given exactly.
double bd0(double x, double m, double diff) {
  if (x == 0.0) return m;
  if (std::abs(diff) < 0.1 * (x + m)) {
    const double v = diff / (x + m);
    double s = diff * v;
    double ej = 2 * x * v;
    const double v2 = v * v;
    for (int j = 1; j < 1000; ++j) {
      ej *= v2;
      const double s1 = s + ej / (2 * j + 1);
      if (s1 == s) return s1;
      s = s1;
    }
    return s;
  }
  return x * std::log1p(diff / m) - diff;
}

// log A(v), A(v) = C(n,v) (d + v/n)^(v-1) (1 - d - v/n)^(n-v), for real 0 <= v < n - nd,
// as log(dbinom(v; n, p) / p) with p = d + v/n and Loader's form of dbinom.
double log_smirnov_term(double n, double d, double nd, double v) {
  if (v == 0.0) return n * std::log1p(-d) - std::log(d);
  const double m1 = v + nd;        // n p
  const double m2 = (n - v) - nd;  // n (1 - p)
  return stirlerr(n) - stirlerr(v) - stirlerr(n - v) - bd0(v, m1, -nd) - bd0(n - v, m2, nd) +
         0.5 * std::log(n / (2 * pi * v * (n - v))) + std::log(n / m1);
}

// Adaptive Gauss-Kronrod (7, 15) quadrature of exp(f(v) - shift) over [a, b].
template <typename F>
double integrate_scaled(F&& f, double shift, double a, double b) {
  static constexpr std::array<double, 8> xgk{
      0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
      0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
      0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
      0.207784955007898467600689403773245, 0.0};
  static constexpr std::array<double, 8> wgk{
      0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
      0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
      0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
      0.204432940075298892414161999234649, 0.209482141084727828012999174891714};
  static constexpr std::array<double, 4> wg{
      0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
      0.381830050505118944950369775488975, 0.417959183673469387755102040816327};
  struct panel {
    double a, b, value, error;
  };
  auto eval = [&](double lo, double hi) {
    const double c = 0.5 * (lo + hi);
    const double h = 0.5 * (hi - lo);
    const double fc = std::exp(f(c) - shift);
    double kr = wgk[7] * fc;
    double ga = wg[3] * fc;
    for (std::size_t j = 0; j < 7; ++j) {
      const double s = std::exp(f(c - h * xgk[j]) - shift) + std::exp(f(c + h * xgk[j]) - shift);
      kr += wgk[j] * s;
      if (j % 2 == 1) ga += wg[j / 2] * s;
    }
    return panel{lo, hi, kr * h, std::abs((kr - ga) * h)};
  };
  constexpr int initial_panels = 32;
  std::vector<panel> panels;
  for (int i = 0; i < initial_panels; ++i) {
    panels.push_back(eval(a + (b - a) * i / initial_panels, a + (b - a) * (i + 1) / initial_panels));
  }
  for (int iter = 0; iter < 4000; ++iter) {
    double total = 0.0;
    double err = 0.0;
    std::size_t worst = 0;
    for (std::size_t i = 0; i < panels.size(); ++i) {
      total += panels[i].value;
      err += panels[i].error;
      if (panels[i].error > panels[worst].error) worst = i;
    }
    if (err <= 1e-12 * total) break;
    const panel p = panels[worst];
    const double mid = 0.5 * (p.a + p.b);
    panels[worst] = eval(p.a, mid);
    panels.push_back(eval(mid, p.b));
  }
  double total = 0.0;
  for (const panel& p : panels) total += p.value;
  return total;
}

// The part of log A(v) that depends on n and v only, for integer 1 <= v < n:
// stirlerr(n) - stirlerr(v) - stirlerr(n - v) + log sqrt(n / (2 pi v (n - v))).
double log_smirnov_constant(double n, double v) {
  return stirlerr(n) - stirlerr(v) - stirlerr(n - v) + 0.5 * std::log(n / (2 * pi * v * (n - v)));
}

// log_smirnov_constant(n, v) for v = 0 .. last (entry 0 unused), kept per thread for the last n
// seen: rows of one table share n, and the constants are a pure function of (n, v), so results do
// not depend on which thread computed them.
constexpr std::int64_t largest_tabulated_last = std::int64_t{1} << 16;

const double* log_smirnov_constants(std::int64_t n, std::int64_t last) {
  thread_local std::int64_t table_n = 0;
  thread_local std::vector<double> table;
  if (table_n != n) {
    table_n = n;
    table.assign(1, 0.0);
  }
  const double dn = static_cast<double>(n);
  for (auto v = static_cast<std::int64_t>(table.size()); v <= last; ++v) {
    table.push_back(log_smirnov_constant(dn, static_cast<double>(v)));
  }
  return table.data();
}

// sum_{v=0}^{last} A(v) term by term. With the (n, v) part of Loader's form tabulated, the rest of
// log A(v) is v log1p(nd / v) - (n - v) log1p(nd / (n - v - nd)) + log(n / (v + nd)) (the two bd0
// of log_smirnov_term with their +-nd cancelled): terms of size nd, so log A(v) is accurate to
// about nd * 1e-16 absolute (the terms' relative error), with three logarithms and one exp a term.
// Two passes: the log-terms into `logs`, then the sum scaled by the largest. The logarithms and
// exponentials are taken a block at a time through vector_math.hpp (glibc's vector functions,
// within 4 ulp): the terms are all positive, so their relative errors of a few 1e-16 times nd
// stay that size in the sum, and this sum, building the tables of pieces below, was the fixed
// cost of a table's first rows (54 pieces of 12 sums of 1000 terms at n = 1000).
double smirnov_term_sum(std::int64_t n, double d, std::int64_t last, std::vector<double>& logs) {
  const double dn = static_cast<double>(n);
  const double nd = dn * d;
  const double nd_err = std::fma(dn, d, -nd);  // n d = nd + nd_err exactly
  const double* constants = last <= largest_tabulated_last ? log_smirnov_constants(n, last) : nullptr;
  logs.resize(static_cast<std::size_t>(last) + 1);
  logs[0] = dn * std::log1p(-d) - std::log(d);
  double peak = logs[0];
  constexpr std::int64_t block = 256;
  std::array<double, block> up;       // nd / v, then its log1p
  std::array<double, block> down;     // nd / (n (1 - p)), then its log1p
  std::array<double, block> inverse;  // n / (n p), then its log
  for (std::int64_t first = 1; first <= last; first += block) {
    const auto count = static_cast<std::size_t>(std::min(block, last - first + 1));
    for (std::size_t j = 0; j < count; ++j) {
      const auto dv = static_cast<double>(first + static_cast<std::int64_t>(j));
      up[j] = nd / dv;
      down[j] = nd / (((dn - dv) - nd) - nd_err);
      inverse[j] = dn / (dv + nd);
    }
    log1p_values(up.data(), up.data(), count);
    log1p_values(down.data(), down.data(), count);
    log_values(inverse.data(), inverse.data(), count);
    for (std::size_t j = 0; j < count; ++j) {
      const std::int64_t v = first + static_cast<std::int64_t>(j);
      const auto dv = static_cast<double>(v);
      const double constant = constants != nullptr ? constants[v] : log_smirnov_constant(dn, dv);
      const double lf = constant + dv * up[j] - (dn - dv) * down[j] + inverse[j];
      logs[static_cast<std::size_t>(v)] = lf;
      peak = std::max(peak, lf);
    }
  }
  for (double& lf : logs) lf -= peak;
  exp_values(logs.data(), logs.data(), logs.size());
  double sum = 0.0;
  for (const double term : logs) sum += term;
  return peak + std::log(sum);
}

// x * sum_{v=0}^{last} A(v): quadrature where valid (see the top of the file), else term by
// term; both in log space, whose terms are all positive (no cancellation) and accurate to
// about 1e-13 relative, where powl term by term cost 250 us at n = 128.
double smirnov_lower_sum(std::int64_t n, double d, std::int64_t last) {
  thread_local std::vector<double> reused;  // long rows' terms go to a buffer that is freed after
  std::vector<double> large;
  std::vector<double>& logs = last <= largest_tabulated_last ? reused : large;
  const double dn = static_cast<double>(n);
  const double nd = dn * d;
  const auto dlast = static_cast<double>(last);
  auto logf = [&](double v) { return log_smirnov_term(dn, d, nd, v); };

  double log_sum = 0.0;
  if (nd >= 50.0) {
    // Coarse look at the shape: the largest log-term on a grid, and the ends.
    constexpr int grid = 256;
    double peak = -std::numeric_limits<double>::infinity();
    for (int i = 0; i <= grid; ++i) peak = std::max(peak, logf(dlast * i / grid));
    const bool smooth_enough = logf(0.0) < peak - 50.0 && logf(dlast) < peak - 50.0;
    log_sum = smooth_enough ? peak + std::log(integrate_scaled(logf, peak, 0.0, dlast))
                            : smirnov_term_sum(n, d, last, logs);
  } else {
    log_sum = smirnov_term_sum(n, d, last, logs);
  }
  return std::exp(log_sum + std::log(d));
}

// x * sum over v = n, n-1, ..., n - terms + 1 of A(v) (the alternating upper sum, few terms).
double smirnov_upper_sum(std::int64_t n, double d, std::int64_t terms) {
  const auto ln = static_cast<long double>(n);
  const long double nd = ln * static_cast<long double>(d);
  long double c = 1.0L;
  long double sum = 0.0L;
  for (std::int64_t j = 0; j < terms; ++j) {
    const auto lj = static_cast<long double>(j);
    const long double log_p_power = (ln - lj - 1.0L) * std::log1p((nd - lj) / ln);
    sum += c * std::exp(log_p_power) * std::pow((lj - nd) / ln, lj);
    c = c * (ln - lj) / (lj + 1.0L);
  }
  return static_cast<double>(static_cast<long double>(d) * sum);
}

// ---------------------------------------------------------------------------------------------
// P(D_n >= d) for n <= 140 and 1 < n d, n d^2 <= 4 from a per-n table. The exact CDF is a
// polynomial in n d between consecutive multiples of 1/2 (in Durbin's form [MTW03] the matrix
// changes with k = ceil(n d) and with max(2h - 1, 0), h = k - n d), so on each such piece
// log P(D_n >= d) is smooth and a Chebyshev interpolant through 20 exact values (Durbin's or
// Pomeranz's, as kolmogorov_sf chooses them) reproduces it to the exact methods' own noise
// (about 2e-14 absolute against them at random points for n = 10 .. 140, the same with 16 or 32
// nodes, and with 12 from n = 64 on, where 12 nodes give 2e-12 at n = 10 .. 20; relative that
// is up to 3e-11 near n d^2 = 4, where p ~ 5e-4: against SciPy's kstwo in tests/fixtures/ks
// the largest relative difference went from 1.1e-12 to 2.8e-11). Each piece is
// built the first time a d falls in it and kept for the process; it is a pure function of
// (n, piece), so every call, thread and run gets the same value. Short rows of one length then
// cost one table lookup instead of an O(n (n d)^2) recursion each.
//
// P(D+_n >= d) is tabulated the same way for 10 <= n <= 4096 and n d^2 <= 4: the
// Birnbaum-Tingey sum has the terms v < n (1 - d), so it is a polynomial in d between
// consecutive integers of n d, and its pieces are interpolated through 20 exact sums (12 from
// n = 100 on, where log P is smoother on a piece; measured against the exact sums at random
// and boundary points: within 3e-14 relative for n >= 10 with 20 nodes, within 9e-14 for
// n >= 100 with 12, while 12 nodes give 2e-12 at n = 37 and 6e-9 at n = 10). The sum costs
// O(n) logarithms (about 10 us at n = 128, 20 us at n = 1000, and every row asks for D+ and
// D-); a row then costs a lookup and a Clenshaw sum, a new piece 12 or 20 sums.
constexpr int chebyshev_nodes = 20;

using chebyshev_piece = std::array<double, chebyshev_nodes>;

double kolmogorov_cdf_exact_small(std::int64_t n, double d) {
  const double nd2 = static_cast<double>(n) * d * d;
  return nd2 <= 0.754693 ? kolmogorov_cdf_durbin(n, d) : kolmogorov_cdf_pomeranz(n, d);
}

// Chebyshev coefficients of log_sf(n d) on n d in [lo, hi] through `nodes` (<= chebyshev_nodes)
// points; the coefficients past `nodes` are 0, which Clenshaw's recurrence passes through
// unchanged.
template <class LogSf>
chebyshev_piece make_piece(double lo, double hi, int nodes, const LogSf& log_sf) {
  std::array<double, chebyshev_nodes> values{};
  for (int i = 0; i < nodes; ++i) {
    const double x = std::cos(pi * (i + 0.5) / nodes);
    values[static_cast<std::size_t>(i)] = log_sf(0.5 * (lo + hi) + 0.5 * (hi - lo) * x);
  }
  chebyshev_piece coefficients{};
  for (int j = 0; j < nodes; ++j) {
    double sum = 0.0;
    for (int i = 0; i < nodes; ++i) {
      sum += values[static_cast<std::size_t>(i)] * std::cos(pi * j * (i + 0.5) / nodes);
    }
    coefficients[static_cast<std::size_t>(j)] = sum * (j == 0 ? 1.0 : 2.0) / nodes;
  }
  return coefficients;
}

// Nodes of a piece: 20 below n = 100, 12 from there on, where log p is smoother on a piece (the
// comments above give the accuracy; building pieces is most of the cost of a table of 10^6
// values in rows of 128).
int piece_nodes(std::int64_t n) { return n < 100 ? chebyshev_nodes : 12; }

// Pieces of one tabulated survival function, keyed by (n, piece), shared by all threads.
class piece_table {
 public:
  // The piece, made by make() outside the lock the first time it is asked for.
  template <class Make>
  std::shared_ptr<const chebyshev_piece> find(std::int64_t n, int piece, const Make& make) {
    const std::pair key{n, piece};
    {
      const std::lock_guard lock(mutex_);
      if (const auto it = pieces_.find(key); it != pieces_.end()) return it->second;
    }
    auto made = std::make_shared<const chebyshev_piece>(make());
    const std::lock_guard lock(mutex_);
    return pieces_.emplace(key, std::move(made)).first->second;
  }

 private:
  std::mutex mutex_;
  std::map<std::pair<std::int64_t, int>, std::shared_ptr<const chebyshev_piece>> pieces_;
};

// Clenshaw's recurrence for the piece's series at x in [-1, 1].
double chebyshev_value(const chebyshev_piece& c, double x) {
  double b1 = 0.0;
  double b2 = 0.0;
  for (int j = chebyshev_nodes - 1; j >= 1; --j) {
    const double b0 = 2.0 * x * b1 - b2 + c[static_cast<std::size_t>(j)];
    b2 = b1;
    b1 = b0;
  }
  return x * b1 - b2 + c[0];
}

double kolmogorov_sf_tabulated(std::int64_t n, double d) {
  static piece_table pieces;
  const double dn = static_cast<double>(n);
  const double nd = dn * d;
  const int piece = static_cast<int>(std::ceil(2.0 * nd)) - 1;  // n d in (piece / 2, (piece + 1) / 2]
  const auto found = pieces.find(n, piece, [&] {
    return make_piece(0.5 * piece, 0.5 * (piece + 1), piece_nodes(n),
                      [&](double t) { return std::log(1.0 - kolmogorov_cdf_exact_small(n, t / dn)); });
  });
  return clip_prob(std::exp(chebyshev_value(*found, 4.0 * nd - 2.0 * piece - 1.0)));
}

constexpr std::int64_t largest_tabulated_one_sided_n = 4096;

double smirnov_sf_impl(std::int64_t n, double d, bool tabulate);

// From n = 150 the pieces above n d = 12 are 4 units of n d wide, through 20 nodes. The sum's
// terms that begin or end at an integer n d = k are (1 - d - v/n)^(n - v) with n - v = k, so
// across a knot above 12 log P is smooth to its 12th derivative and more. Against the 30-digit
// sums of tests/fixtures/ks/smirnov_pieces.json (both sides of every wide piece's ends and four
// points inside, n = 150, 300, 1001, 4096): within 1.5e-14 to 2.7e-14 relative, where unit
// pieces were within 0.7e-14 to 1.2e-14 (2.8e-14 at n = 10); against SciPy's smirnov, wide
// pieces from n d = 8 were 2.2e-12 at n = 150. At n = 1000 a table makes about 280 exact sums
// instead of 650.
constexpr std::int64_t wide_pieces_min_n = 150;
constexpr double wide_pieces_from = 12.0;
constexpr double wide_piece_width = 4.0;

double smirnov_sf_tabulated(std::int64_t n, double d) {
  static piece_table pieces;
  const double dn = static_cast<double>(n);
  const double nd = dn * d;
  const auto log_sf = [&](double t) { return std::log(smirnov_sf_impl(n, t / dn, false)); };
  if (n >= wide_pieces_min_n && nd > wide_pieces_from) {
    // n d in (lo, lo + 4], lo = 12 + 4 k; keyed -(k + 1), apart from the unit pieces' keys.
    const int k = static_cast<int>(std::ceil((nd - wide_pieces_from) / wide_piece_width)) - 1;
    const double lo = wide_pieces_from + wide_piece_width * k;
    const auto found = pieces.find(
        n, -(k + 1), [&] { return make_piece(lo, lo + wide_piece_width, chebyshev_nodes, log_sf); });
    return clip_prob(std::exp(chebyshev_value(*found, 2.0 * (nd - lo) / wide_piece_width - 1.0)));
  }
  const int piece = static_cast<int>(std::ceil(nd)) - 1;  // n d in (piece, piece + 1]
  const auto found =
      pieces.find(n, piece, [&] { return make_piece(piece, piece + 1, piece_nodes(n), log_sf); });
  return clip_prob(std::exp(chebyshev_value(*found, 2.0 * (nd - piece) - 1.0)));
}

// P(D+_n >= d); from the table of pieces where `tabulate` and n, d are in its range.
double smirnov_sf_impl(std::int64_t n, double d, bool tabulate) {
  if (n < 1) throw error("smirnov_sf: n must be at least 1");
  if (std::isnan(d)) return d;
  if (d <= 0.0) return 1.0;
  if (d >= 1.0) return 0.0;
  if (n == 1) return 1.0 - d;
  const double dn = static_cast<double>(n);

  // floor(n d) and its fractional part alpha, exactly.
  const double nd = dn * d;
  const double nd_err = std::fma(dn, d, -nd);
  double nd_floor = std::floor(nd);
  double alpha = (nd - nd_floor) + nd_err;
  if (alpha < 0.0) {
    nd_floor -= 1.0;
    alpha += 1.0;
  }
  if (alpha >= 1.0) {
    nd_floor += 1.0;
    alpha = 0.0;
  }
  const auto nd_fl = static_cast<std::int64_t>(nd_floor);

  if (nd_fl == 0 || (nd_fl == 1 && alpha == 0.0)) {  // d <= 1/n
    const long double cdf = static_cast<long double>(d) * std::exp(static_cast<long double>(n - 1) *
                                                                   std::log1p(static_cast<long double>(d)));
    return clip_prob(1.0 - static_cast<double>(cdf));
  }
  if (static_cast<double>(-2 * n) * d * d < cephes_minlog) return 0.0;
  if (nd_fl >= n - 1) return std::pow(1.0 - d, dn);  // d >= 1 - 1/n
  if (n > smirnov_max_compute_n) {
    // SciPy's approximation for large n, p ~ exp(-(6nd+1)^2 / (18n)), same arithmetic.
    const double logp = -std::pow(6.0 * dn * d + 1, 2) / 18.0 / dn;
    if (logp < -std::numbers::ln2) return std::exp(logp);
    return 1.0 - (-std::expm1(logp));
  }
  const std::int64_t upper_terms = nd_fl + 1 - (alpha == 0.0 ? 1 : 0);
  if (n >= 10 && upper_terms <= 3 && d <= 0.5 / std::sqrt(dn)) {
    return clip_prob(1.0 - smirnov_upper_sum(n, d, upper_terms));
  }
  if (tabulate && n >= 10 && n <= largest_tabulated_one_sided_n && dn * d * d <= 4.0) {
    return smirnov_sf_tabulated(n, d);
  }
  const std::int64_t last = n - nd_fl - 1;  // largest v with v < n (1 - d)
  return clip_prob(smirnov_lower_sum(n, d, last));
}

}  // namespace

namespace {

// Continues d_plus = max ((i + 1)/n - c_i) and d_minus = max (c_i - i/n) over i = begin .. n - 1;
// false at a value outside [0, 1] or NaN.
bool ks_differences_from(const double* c, std::size_t begin, std::size_t n, double& d_plus,
                         double& d_minus) noexcept {
  const double dn = static_cast<double>(n);
  for (std::size_t i = begin; i < n; ++i) {
    if (!(c[i] >= 0.0 && c[i] <= 1.0)) return false;
    const double fi = static_cast<double>(i);
    d_plus = std::max(d_plus, (fi + 1.0) / dn - c[i]);
    d_minus = std::max(d_minus, c[i] - fi / dn);
  }
  return true;
}

// The same divisions and maxima four lanes at a time (a maximum is exact, so the order does not
// matter; no difference is -0), then the last values one by one: the two divisions a value were
// most of a sample's KS test.
#if defined(__x86_64__) && defined(__GNUC__)
[[gnu::target("avx2")]] bool ks_differences_avx2(const double* c, std::size_t n, double& d_plus,
                                                 double& d_minus) noexcept {
  const __m256d divisor = _mm256_set1_pd(static_cast<double>(n));
  const __m256d one = _mm256_set1_pd(1.0);
  const __m256d zero = _mm256_setzero_pd();
  const __m256d four = _mm256_set1_pd(4.0);
  __m256d index = _mm256_setr_pd(0.0, 1.0, 2.0, 3.0);
  __m256d plus = _mm256_set1_pd(-std::numeric_limits<double>::infinity());
  __m256d minus = plus;
  __m256d in_range = _mm256_castsi256_pd(_mm256_set1_epi64x(-1));
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const __m256d value = _mm256_loadu_pd(c + i);
    in_range = _mm256_and_pd(in_range, _mm256_and_pd(_mm256_cmp_pd(value, zero, _CMP_GE_OQ),
                                                     _mm256_cmp_pd(value, one, _CMP_LE_OQ)));
    plus = _mm256_max_pd(plus, _mm256_sub_pd(_mm256_div_pd(_mm256_add_pd(index, one), divisor), value));
    minus = _mm256_max_pd(minus, _mm256_sub_pd(value, _mm256_div_pd(index, divisor)));
    index = _mm256_add_pd(index, four);
  }
  if (_mm256_movemask_pd(in_range) != 0xf) return false;
  std::array<double, 4> lanes_plus;
  std::array<double, 4> lanes_minus;
  _mm256_storeu_pd(lanes_plus.data(), plus);
  _mm256_storeu_pd(lanes_minus.data(), minus);
  d_plus = std::max({lanes_plus[0], lanes_plus[1], lanes_plus[2], lanes_plus[3]});
  d_minus = std::max({lanes_minus[0], lanes_minus[1], lanes_minus[2], lanes_minus[3]});
  return ks_differences_from(c, i, n, d_plus, d_minus);
}
#endif

}  // namespace

void pomeranz_convolution_row(const double* a, std::int64_t a_len, const double* padded, std::int64_t p_len,
                              std::int64_t first, double* out, std::int64_t count, bool allow_avx2) noexcept {
#if defined(__x86_64__) && defined(__GNUC__)
  if (allow_avx2 && cpu_has_avx2()) {
    convolution_row_avx2(a, a_len, padded, p_len, first, out, count);
    return;
  }
#endif
  convolution_row_impl(a, a_len, padded, p_len, first, out, count);
}

bool ks_differences(const double* c, std::size_t n, double& d_plus, double& d_minus) noexcept {
#if defined(__x86_64__) && defined(__GNUC__)
  if (cpu_has_avx2()) return ks_differences_avx2(c, n, d_plus, d_minus);
#endif
  d_plus = -std::numeric_limits<double>::infinity();
  d_minus = -std::numeric_limits<double>::infinity();
  return ks_differences_from(c, 0, n, d_plus, d_minus);
}

}  // namespace detail

double smirnov_sf(std::int64_t n, double d) { return detail::smirnov_sf_impl(n, d, true); }

double kolmogorov_sf(std::int64_t n, double d) {
  using namespace detail;
  if (n < 1) throw error("kolmogorov_sf: n must be at least 1");
  if (std::isnan(d)) return d;
  if (d >= 1.0) return 0.0;
  if (d <= 0.0) return 1.0;
  const double dn = static_cast<double>(n);
  const double t = dn * d;
  if (t <= 1.0) {  // Ruben-Gambino: P(D_n <= d) = n!/n^n (2nd - 1)^n for 1/(2n) <= d <= 1/n
    if (t <= 0.5) return 1.0;
    double prob = 1.0;
    if (n <= 140) {
      for (std::int64_t i = 1; i <= n; ++i) prob *= static_cast<double>(i) * (1.0 / dn) * (2 * t - 1);
    } else {
      prob = std::exp(log_nfactorial_div_n_pow_n(n) + dn * std::log(2 * t - 1));
    }
    return clip_prob(1.0 - prob);
  }
  if (t >= dn - 1) return clip_prob(2 * std::pow(1.0 - d, dn));  // Ruben-Gambino
  if (d >= 0.5) return clip_prob(2 * smirnov_sf(n, d));          // D+ >= d and D- >= d exclude each other

  const double nd2 = t * d;
  if (n <= 140) {
    if (nd2 <= 4) return kolmogorov_sf_tabulated(n, d);
    return clip_prob(2 * smirnov_sf(n, d));  // Miller's approximation, error below 1e-16 here
  }
  if (nd2 >= 370.0) return 0.0;
  if (nd2 >= 2.2) return clip_prob(2 * smirnov_sf(n, d));
  const double cdf = (n <= 100000 && dn * std::pow(d, 1.5) <= 1.4) ? kolmogorov_cdf_durbin(n, d)
                                                                   : kolmogorov_cdf_pelz_good(n, d);
  return clip_prob(1.0 - clip_prob(cdf));
}

ks_result kolmogorov_smirnov_test(std::span<const double> cdf_values) {
  if (cdf_values.empty()) throw error("kolmogorov_smirnov_test: no values");
  const auto n = static_cast<std::int64_t>(cdf_values.size());
  ks_result r;
  if (!detail::ks_differences(cdf_values.data(), cdf_values.size(), r.d_plus, r.d_minus)) {
    throw error("kolmogorov_smirnov_test: a CDF value is outside [0, 1]");
  }
  r.statistic = std::max(r.d_plus, r.d_minus);
  r.p_value = kolmogorov_sf(n, r.statistic);
  r.p_value_plus = smirnov_sf(n, r.d_plus);
  r.p_value_minus = smirnov_sf(n, r.d_minus);
  return r;
}

}  // namespace embcheck
