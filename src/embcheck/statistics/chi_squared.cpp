// Chi-squared goodness-of-fit test with k equiprobable bins under a fully specified null.
//
// Sources:
//  [P1900] K. Pearson (1900), "On the criterion that a given system of deviations ...",
//          Phil. Mag. 50: X^2 = sum (O - E)^2 / E, asymptotically chi-squared with k - 1 df when
//          the null is fully specified.
//  [MW42]  H. B. Mann, A. Wald (1942), "On the Choice of the Number of Class Intervals in the
//          Application of the Chi Square Test", Ann. Math. Statist. 13: 306-317: k grows like
//          n^(2/5). [M86] D. S. Moore (1986), "Tests of chi-squared type", in D'Agostino &
//          Stephens (eds.), Goodness-of-Fit Techniques, ch. 3: recommends k = 2 n^(2/5)
//          equiprobable cells, used here as the default (at most n/5, so that E >= 5, and 1000).
//  Reference implementation: scipy.stats.chisquare(counts) (SciPy 1.10); the chi-squared upper
//  tail is Boost.Math's complement, gamma_q((k - 1)/2, X^2/2), accurate far into the tail.
//
// Bins: with b_i = i/k rounded to double, bin i (0-based) holds b_i <= u < b_{i+1}; u = 1 goes to
// the last bin. Counts come from k - 1 binary searches in the sorted CDF values.

#include <algorithm>
#include <cmath>
#include <string>

#include <boost/math/distributions/chi_squared.hpp>

#include "embcheck/statistics/gof_tests.hpp"

namespace embcheck {

std::size_t chi_squared_default_bins(std::size_t n) {
  const double moore = std::floor(2.0 * std::pow(static_cast<double>(n), 0.4));
  const auto by_rule = static_cast<std::size_t>(moore);
  return std::max<std::size_t>(2, std::min({by_rule, n / 5, std::size_t{1000}}));
}

test_result chi_squared_test(std::span<const double> cdf_values, std::size_t bins) {
  detail::check_sorted_cdf_values(cdf_values, "chi_squared_test");
  if (bins < 2) throw error("chi_squared_test: need at least 2 bins, got " + std::to_string(bins));
  const double n = static_cast<double>(cdf_values.size());
  const double k = static_cast<double>(bins);
  const double expected = n / k;
  double statistic = 0.0;
  auto lower = cdf_values.begin();
  for (std::size_t i = 1; i <= bins; ++i) {
    const auto upper =
        i == bins ? cdf_values.end() : std::lower_bound(lower, cdf_values.end(), static_cast<double>(i) / k);
    const double observed = static_cast<double>(upper - lower);
    const double d = observed - expected;
    statistic += d * d;
    lower = upper;
  }
  statistic /= expected;
  const boost::math::chi_squared_distribution<double> null(k - 1.0);
  test_result result;
  result.statistic = statistic;
  result.p_value = boost::math::cdf(boost::math::complement(null, statistic));
  return result;
}

test_result chi_squared_test(std::span<const double> cdf_values) {
  return chi_squared_test(cdf_values, chi_squared_default_bins(cdf_values.size()));
}

}  // namespace embcheck
