// Two-sample Kolmogorov-Smirnov and k-sample Anderson-Darling tests.
//
// Sources. Kolmogorov-Smirnov: scipy.stats.ks_2samp of SciPy 1.10 (scipy/stats/_stats_py.py:
// ks_2samp, _attempt_exact_2kssamp, _compute_prob_outside_square and the pythran kernel
// _compute_outer_prob_inside_method), which follows Hodges (1958), "The significance probability
// of the Smirnov two-sample test", Arkiv for Matematik 3: the exact p-value is the share of
// lattice paths from (0, 0) to (m, n) that leave the band |x/m - y/n| < d, computed column by
// column as probabilities (each step from the left with weight i/(i+j), from below j/(i+j)); for
// m = n the reflection formula (Hodges 1958, eq. 2.4) sums alternating binomial ratios. Large
// samples use the one-sample distribution kstwo.sf(D, round(m n / (m + n))).
//
// Anderson-Darling: Scholz and Stephens (1987), "K-sample Anderson-Darling tests", JASA 82,
// eq. 7 (A2akN with midranks for ties), the variance of eq. 4 and Table 2's interpolation
// coefficients, as scipy.stats.anderson_ksamp of SciPy 1.10 (_morestats.py) computes them: the
// p-value is exp of a quadratic least-squares fit of log(significance) on the 7 critical
// values, evaluated at the statistic, and clipped to [0.001, 0.25] outside them.

#include "embcheck/statistics/two_sample.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>

#include "embcheck/error.hpp"
#include "embcheck/statistics/kolmogorov_smirnov.hpp"

namespace embcheck {

namespace {

constexpr std::size_t max_auto_exact = 10000;

double prob_outside_square(std::int64_t n, std::int64_t h) {
  double p = 0.0;
  for (std::int64_t k = n / h; k >= 0; --k) {
    double p1 = 1.0;
    for (std::int64_t j = 0; j < h; ++j) {
      p1 = static_cast<double>(n - k * h - j) * p1 / static_cast<double>(n + k * h + j + 1);
    }
    p = p1 * (1.0 - p);
  }
  return 2.0 * p;
}

double outer_prob_inside(std::int64_t m, std::int64_t n, std::int64_t g, std::int64_t h) {
  if (m < n) std::swap(m, n);
  const std::int64_t mg = m / g;
  const std::int64_t ng = n / g;
  const auto ceil_div = [](double a, double b) { return static_cast<std::int64_t>(std::ceil(a / b)); };
  const auto floor_div = [](double a, double b) { return static_cast<std::int64_t>(std::floor(a / b)); };
  std::int64_t minj = 0;
  std::int64_t maxj = std::min(ceil_div(static_cast<double>(h), static_cast<double>(mg)), n + 1);
  std::int64_t curlen = maxj - minj;
  std::vector<double> a(static_cast<std::size_t>(n + 2), 1.0);
  std::fill(a.begin(), a.begin() + maxj, 0.0);
  for (std::int64_t i = 1; i <= m; ++i) {
    const std::int64_t lastminj = minj;
    const std::int64_t lastlen = curlen;
    minj = std::max(floor_div(static_cast<double>(ng * i - h), static_cast<double>(mg)) + 1, std::int64_t{0});
    minj = std::min(minj, n);
    maxj = std::min(ceil_div(static_cast<double>(ng * i + h), static_cast<double>(mg)), n + 1);
    if (maxj <= minj) return 1.0;
    double val = minj == 0 ? 0.0 : 1.0;
    for (std::int64_t jj = 0; jj < maxj - minj; ++jj) {
      const std::int64_t j = jj + minj;
      val = (a[static_cast<std::size_t>(jj + minj - lastminj)] * static_cast<double>(i) +
             val * static_cast<double>(j)) /
            static_cast<double>(i + j);
      a[static_cast<std::size_t>(jj)] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) {
      std::fill(a.begin() + (maxj - minj), a.begin() + (maxj - minj + (lastlen - curlen)), 1.0);
    }
  }
  return a[static_cast<std::size_t>(maxj - minj - 1)];
}

}  // namespace

double ks_2samp_exact_p(std::size_t n1, std::size_t n2, double d) {
  const auto m = static_cast<std::int64_t>(n1);
  const auto n = static_cast<std::int64_t>(n2);
  const std::int64_t g = std::gcd(m, n);
  const double lcm = static_cast<double>(m / g) * static_cast<double>(n);
  const auto h = static_cast<std::int64_t>(std::nearbyint(d * lcm));
  if (h == 0) return 1.0;
  const double p = m == n ? prob_outside_square(m, h) : outer_prob_inside(m, n, g, h);
  if (!std::isfinite(p) || p < 0.0 || p > 1.0) return -1.0;
  return p;
}

ks_2samp_result ks_2samp(std::span<const double> first, std::span<const double> second) {
  std::vector<double> a(first.begin(), first.end());
  std::vector<double> b(second.begin(), second.end());
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return ks_2samp_sorted(a, b);
}

ks_2samp_result ks_2samp_sorted(std::span<const double> a, std::span<const double> b) {
  if (a.empty() || b.empty()) throw error("ks_2samp needs two non-empty samples");
  const auto n1 = static_cast<double>(a.size());
  const auto n2 = static_cast<double>(b.size());
  // ECDF differences just after each distinct value, as SciPy's searchsorted(side='right').
  double max_s = -2.0;
  double min_s = 2.0;
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() || j < b.size()) {
    const double v = i == a.size() ? b[j] : j == b.size() ? a[i] : std::min(a[i], b[j]);
    while (i < a.size() && a[i] <= v) ++i;
    while (j < b.size() && b[j] <= v) ++j;
    const double diff = static_cast<double>(i) / n1 - static_cast<double>(j) / n2;
    max_s = std::max(max_s, diff);
    min_s = std::min(min_s, diff);
  }
  const double minus = std::clamp(-min_s, 0.0, 1.0);
  ks_2samp_result result;
  result.statistic = minus > max_s ? minus : max_s;
  if (std::max(a.size(), b.size()) <= max_auto_exact) {
    const std::int64_t g = std::gcd(static_cast<std::int64_t>(a.size()), static_cast<std::int64_t>(b.size()));
    const double lcm = static_cast<double>(static_cast<std::int64_t>(a.size()) / g) * n2;
    const double p = ks_2samp_exact_p(a.size(), b.size(), result.statistic);
    result.statistic = std::nearbyint(result.statistic * lcm) / lcm;
    if (p >= 0.0) {
      result.p_value = p;
      result.method = ks_method::exact;
      return result;
    }
  }
  result.method = ks_method::asymptotic;
  const double en = n1 * n2 / (n1 + n2);
  result.p_value =
      std::clamp(kolmogorov_sf(static_cast<std::int64_t>(std::nearbyint(en)), result.statistic), 0.0, 1.0);
  return result;
}

namespace detail {

double anderson_ksamp_variance(std::span<const std::size_t> sizes) {
  double harmonic_n = 0.0;
  std::size_t total = 0;
  for (const std::size_t n : sizes) {
    harmonic_n += 1.0 / static_cast<double>(n);
    total += n;
  }
  const auto big_n = static_cast<double>(total);
  // h = sum_{i=1}^{N-1} 1/i; g = sum_{i=1}^{N-2} sum_{j=i+1}^{N-1} 1/((N-i) j), as SciPy's cumsum.
  const auto n_count = static_cast<std::int64_t>(total);
  double cumulative = 0.0;
  double g = 0.0;
  for (std::int64_t t = n_count - 1; t > 1; --t) {
    cumulative += 1.0 / static_cast<double>(t);
    g += cumulative / static_cast<double>(n_count + 1 - t);
  }
  const double h = cumulative + 1.0;
  const auto kd = static_cast<double>(sizes.size());
  const double ca = (4 * g - 6) * (kd - 1) + (10 - 6 * g) * harmonic_n;
  const double cb =
      (2 * g - 4) * kd * kd + 8 * h * kd + (2 * g - 14 * h - 4) * harmonic_n - 8 * h + 4 * g - 6;
  const double cc =
      (6 * h + 2 * g - 2) * kd * kd + (4 * h - 4 * g + 6) * kd + (2 * h - 6) * harmonic_n + 4 * h;
  const double cd = (2 * h + 6) * kd * kd - 4 * h * kd;
  return (ca * big_n * big_n * big_n + cb * big_n * big_n + cc * big_n + cd) /
         ((big_n - 1.0) * (big_n - 2.0) * (big_n - 3.0));
}

ksamp_significance anderson_ksamp_significance(double statistic, double m) {
  constexpr std::array<double, 7> b0 = {0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085};
  constexpr std::array<double, 7> b1 = {-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615};
  constexpr std::array<double, 7> b2 = {-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154};
  constexpr std::array<double, 7> significance = {0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001};
  ksamp_significance result;
  for (std::size_t i = 0; i < 7; ++i) result.critical_values[i] = b0[i] + b1[i] / std::sqrt(m) + b2[i] / m;
  const auto [lowest, highest] =
      std::minmax_element(result.critical_values.begin(), result.critical_values.end());
  if (statistic < *lowest) {
    result.p_value = 0.25;
    result.clipped = -1;
    return result;
  }
  if (statistic > *highest) {
    result.p_value = 0.001;
    result.clipped = 1;
    return result;
  }
  // Least squares of log(significance) on c, c^2: normal equations on centred, scaled
  // abscissae (well conditioned for 7 points), in long double.
  long double mean = 0;
  for (const double c : result.critical_values) mean += c;
  mean /= 7;
  std::array<std::array<long double, 4>, 3> system{};
  for (std::size_t i = 0; i < 7; ++i) {
    const long double u = result.critical_values[i] - mean;
    const std::array<long double, 3> row = {1, u, u * u};
    const long double y = std::log(static_cast<long double>(significance[i]));
    for (std::size_t r = 0; r < 3; ++r) {
      for (std::size_t c = 0; c < 3; ++c) system[r][c] += row[r] * row[c];
      system[r][3] += row[r] * y;
    }
  }
  for (std::size_t p = 0; p < 3; ++p) {
    for (std::size_t r = p + 1; r < 3; ++r) {
      const long double f = system[r][p] / system[p][p];
      for (std::size_t c = p; c < 4; ++c) system[r][c] -= f * system[p][c];
    }
  }
  std::array<long double, 3> coef{};
  for (std::size_t p = 3; p-- > 0;) {
    long double s = system[p][3];
    for (std::size_t c = p + 1; c < 3; ++c) s -= system[p][c] * coef[c];
    coef[p] = s / system[p][p];
  }
  const long double u = statistic - mean;
  result.p_value = static_cast<double>(std::exp(coef[0] + coef[1] * u + coef[2] * u * u));
  return result;
}

}  // namespace detail

anderson_ksamp_result anderson_ksamp(std::span<const std::span<const double>> samples) {
  const std::size_t k = samples.size();
  if (k < 2) throw error("anderson_ksamp needs at least two samples");
  std::vector<std::vector<double>> sorted;
  std::vector<double> z;
  for (const auto& sample : samples) {
    if (sample.empty()) throw error("anderson_ksamp encountered a sample without observations");
    sorted.emplace_back(sample.begin(), sample.end());
    std::sort(sorted.back().begin(), sorted.back().end());
    z.insert(z.end(), sample.begin(), sample.end());
  }
  std::sort(z.begin(), z.end());
  std::vector<double> distinct = z;
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  if (distinct.size() < 2) throw error("anderson_ksamp needs more than one distinct observation");
  const auto big_n = static_cast<double>(z.size());

  // Eq. 7 with midranks: for each distinct value z_j, l_j ties in the pooled sample, B_j the
  // midrank count below; M_ij the midrank count of sample i.
  double a2 = 0.0;
  for (std::size_t s = 0; s < k; ++s) {
    const std::vector<double>& x = sorted[s];
    const auto n_i = static_cast<double>(x.size());
    double inner = 0.0;
    for (const double v : distinct) {
      const auto z_left = static_cast<double>(std::lower_bound(z.begin(), z.end(), v) - z.begin());
      const auto z_right = static_cast<double>(std::upper_bound(z.begin(), z.end(), v) - z.begin());
      const double l = z_right - z_left;
      const double bj = z_left + l / 2.0;
      const auto right = static_cast<double>(std::upper_bound(x.begin(), x.end(), v) - x.begin());
      const auto left = static_cast<double>(std::lower_bound(x.begin(), x.end(), v) - x.begin());
      const double mij = right - (right - left) / 2.0;
      const double t = big_n * mij - bj * n_i;
      inner += l / big_n * t * t / (bj * (big_n - bj) - big_n * l / 4.0);
    }
    a2 += inner / n_i;
  }
  a2 *= (big_n - 1.0) / big_n;

  std::vector<std::size_t> sizes;
  for (const auto& x : sorted) sizes.push_back(x.size());
  const double sigma2 = detail::anderson_ksamp_variance(sizes);
  const auto kd = static_cast<double>(k);
  const double m = kd - 1.0;
  anderson_ksamp_result result;
  result.statistic = (a2 - m) / std::sqrt(sigma2);

  const detail::ksamp_significance significance = detail::anderson_ksamp_significance(result.statistic, m);
  result.critical_values = significance.critical_values;
  result.p_value = significance.p_value;
  result.p_at_least = significance.clipped < 0;
  result.p_at_most = significance.clipped > 0;
  return result;
}

}  // namespace embcheck
