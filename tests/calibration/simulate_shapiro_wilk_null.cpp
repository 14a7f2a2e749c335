// Monte Carlo null distribution of the Shapiro-Wilk statistic above n = 5000 (see
// docs/shapiro_wilk_null.md). Not built by CMake; after `cmake --workflow --preset release`,
// compile from the repository root against the library with
//
//   g++ -std=c++20 -O2 -Wall -Wextra -DFMT_HEADER_ONLY -I src
//     tests/calibration/simulate_shapiro_wilk_null.cpp build/release/libembcheck_lib.a
//     -lcrypto -lz -lmvec -o /tmp/simulate_shapiro_wilk_null
//
// (one command line). The committed output is `fit RAW_FILE` (about 20 minutes of one core; run it
// in the background with nice).
//
// Modes (all deterministic: replicate r of grid point k uses torch seed base + k * 10^7 + r):
//   fit RAW_FILE            the fitting grid, seeds from 1'000'000'000; writes every "n log(1-W)"
//                           pair to RAW_FILE, then runs `summarize RAW_FILE`.
//   summarize RAW_FILE      per-n moments and quantiles of log(1 - W), the threshold fit and the
//                           table of shapiro_wilk_null.cpp (committed as shapiro_wilk_null_output.txt).
//   validate REPS N...      null calibration of shapiro_wilk_test's p-value at each N, fresh
//                           seeds from 2'000'000'000 (never used by fit).
//   power REPS N...         Student t with 30 df (float32), seeds from 3'000'000'000.
// Each replicate is generate_table({rows 1, dim n, init normal, seed}), i.e.
// torch.manual_seed(seed); torch.empty(1, n).normal_(), float32 values with their ties.
#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "embcheck/generate/generate.hpp"
#include "embcheck/statistics/kolmogorov_smirnov.hpp"
#include "embcheck/statistics/shapiro_wilk.hpp"
#include "embcheck/statistics/sort.hpp"

namespace {

struct grid_point {
  std::size_t n;
  std::size_t replicates;
};

// About 20 minutes of one core in total (30-37 ns per value on a shared machine); cheap small n get
// more replicates.
constexpr grid_point fit_grid[] = {
    {5000, 20000},   {7500, 20000},  {10000, 20000},  {20000, 20000},  {50000, 20000}, {100000, 20000},
    {200000, 10000}, {500000, 6000}, {1000000, 2000}, {2000000, 1200}, {5000000, 600}, {10000000, 400},
};

constexpr std::uint64_t fit_seed_base = 1'000'000'000;
constexpr std::uint64_t validate_seed_base = 2'000'000'000;
constexpr std::uint64_t power_seed_base = 3'000'000'000;
constexpr std::uint64_t seed_stride = 10'000'000;

std::vector<double> sorted_normal_row(std::size_t n, std::uint64_t seed) {
  embcheck::generate_spec spec;
  spec.rows = 1;
  spec.dim = n;
  spec.seed = seed;
  const embcheck::table_floats generated = embcheck::generate_table(spec).floats;
  std::vector<double> values(generated.begin(), generated.end());
  embcheck::sort_values(values, embcheck::element_type::float32);
  return values;
}

// Student t with 30 df rounded to float32: row 0 of a 31-row normal table over the root mean square
// of rows 1..30.
std::vector<double> sorted_t30_row(std::size_t n, std::uint64_t seed) {
  embcheck::generate_spec spec;
  spec.rows = 31;
  spec.dim = n;
  spec.seed = seed;
  const auto normals = embcheck::generate_table(spec);
  std::vector<double> values(n);
  for (std::size_t i = 0; i < n; ++i) {
    double chi_square = 0.0;
    for (std::size_t row = 1; row < 31; ++row)
      chi_square += normals.value(row * n + i) * normals.value(row * n + i);
    values[i] = static_cast<float>(normals.value(i) / std::sqrt(chi_square / 30.0));
  }
  embcheck::sort_values(values, embcheck::element_type::float32);
  return values;
}

struct moments3 {
  double mean = 0.0;
  double sd = 0.0;
  double skewness = 0.0;
  double excess_kurtosis = 0.0;
};

moments3 moments_of(const std::vector<double>& v) {
  const double count = static_cast<double>(v.size());
  moments3 m;
  for (double x : v) m.mean += x;
  m.mean /= count;
  double m2 = 0.0, m3 = 0.0, m4 = 0.0;
  for (double x : v) {
    const double d = x - m.mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= count;
  m3 /= count;
  m4 /= count;
  m.sd = std::sqrt(m2 * count / (count - 1.0));
  m.skewness = m3 / std::pow(m2, 1.5);
  m.excess_kurtosis = m4 / (m2 * m2) - 3.0;
  return m;
}

std::vector<double> log_shifted(const std::vector<double>& x, double tau) {
  std::vector<double> z(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) z[i] = std::log(x[i] - tau);
  return z;
}

int summarize(const char* raw_file) {
  std::map<std::size_t, std::vector<double>> y_by_n;
  std::FILE* raw = std::fopen(raw_file, "r");
  if (!raw) return 1;
  std::size_t n = 0;
  double y = 0.0;
  while (std::fscanf(raw, "%zu %lf", &n, &y) == 2) y_by_n[n].push_back(y);
  std::fclose(raw);

  std::printf(
      "# Shapiro-Wilk null: y = log(1 - W), x = n (1 - W), N(0,1) float32 rows from generate_table\n");
  std::printf(
      "# n replicates | y: mean sd skewness excess_kurtosis | x: mean sd skewness excess_kurtosis | tau0\n");
  // tau0: the threshold that makes log(x - tau) symmetric (zero sample skewness), by bisection.
  std::vector<double> log_n, tau0, weight;
  for (const auto& [size, ys] : y_by_n) {
    std::vector<double> x(ys.size());
    for (std::size_t i = 0; i < ys.size(); ++i) x[i] = static_cast<double>(size) * std::exp(ys[i]);
    const auto my = moments_of(ys);
    const auto mx = moments_of(x);
    double lo = mx.mean - 100.0 * mx.sd;
    double hi = *std::min_element(x.begin(), x.end());
    for (int iteration = 0; iteration < 200; ++iteration) {
      const double mid = 0.5 * (lo + hi);
      if (mid == lo || mid == hi) break;
      (moments_of(log_shifted(x, mid)).skewness > 0.0 ? lo : hi) = mid;
    }
    std::printf("%zu %zu | %.8f %.8f %.5f %.5f | %.6f %.6f %.5f %.5f | %.5f\n", size, ys.size(), my.mean,
                my.sd, my.skewness, my.excess_kurtosis, mx.mean, mx.sd, mx.skewness, mx.excess_kurtosis, lo);
    log_n.push_back(std::log(static_cast<double>(size)));
    tau0.push_back(lo);
    weight.push_back(static_cast<double>(ys.size()));
  }
  // tau(n) = tau_a + tau_b log n, least squares weighted by the replicates.
  double sw = 0.0, sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0;
  for (std::size_t k = 0; k < log_n.size(); ++k) {
    sw += weight[k];
    sx += weight[k] * log_n[k];
    sy += weight[k] * tau0[k];
    sxx += weight[k] * log_n[k] * log_n[k];
    sxy += weight[k] * log_n[k] * tau0[k];
  }
  const double tau_b = (sw * sxy - sx * sy) / (sw * sxx - sx * sx);
  const double tau_a = (sy - tau_b * sx) / sw;
  std::printf("# threshold fit: tau(n) = %.6f + %.6f log n\n", tau_a, tau_b);
  std::printf("# model: log(n (1 - W) - tau(n)) ~ N(mu, sigma^2); mu, sigma per grid n:\n");
  std::printf("# {n, mu, sigma, skewness of log(x - tau(n))}\n");
  for (const auto& [size, ys] : y_by_n) {
    const double tau = tau_a + tau_b * std::log(static_cast<double>(size));
    std::vector<double> x(ys.size());
    for (std::size_t i = 0; i < ys.size(); ++i) x[i] = static_cast<double>(size) * std::exp(ys[i]);
    const auto mz = moments_of(log_shifted(x, tau));
    std::printf("    {%zu, %.8f, %.8f},  // skewness %.4f, excess kurtosis %.4f\n", size, mz.mean, mz.sd,
                mz.skewness, mz.excess_kurtosis);
  }
  const double levels[] = {0.0005, 0.001, 0.005, 0.01,  0.025, 0.05,  0.1,   0.25,  0.5,
                           0.75,   0.9,   0.95,  0.975, 0.99,  0.995, 0.999, 0.9995};
  std::printf("# empirical quantiles (type 7) of y at levels");
  for (double level : levels) std::printf(" %g", level);
  std::printf("\n");
  for (auto& [size, ys] : y_by_n) {
    std::sort(ys.begin(), ys.end());
    std::printf("%zu", size);
    for (double level : levels) {
      const double h = static_cast<double>(ys.size() - 1) * level;
      const auto lo = static_cast<std::size_t>(h);
      const double hi_value = ys[std::min(lo + 1, ys.size() - 1)];
      std::printf(" %.5f", ys[lo] + (h - static_cast<double>(lo)) * (hi_value - ys[lo]));
    }
    std::printf("\n");
  }
  return 0;
}

int fit(const char* raw_file) {
  std::FILE* raw = std::fopen(raw_file, "w");
  if (!raw) return 1;
  for (std::size_t k = 0; k < std::size(fit_grid); ++k) {
    const auto [n, replicates] = fit_grid[k];
    const auto start = std::chrono::steady_clock::now();
    const embcheck::shapiro_wilk_coefficients coefficients(n);
    for (std::size_t r = 0; r < replicates; ++r) {
      const auto values = sorted_normal_row(n, fit_seed_base + k * seed_stride + r);
      std::fprintf(raw, "%zu %.17g\n", n,
                   std::log(embcheck::shapiro_wilk_test(values, coefficients).one_minus_w));
    }
    std::fprintf(stderr, "n %zu: %zu replicates in %.1f s\n", n, replicates,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::fclose(raw);
  return summarize(raw_file);
}

// Rejection rates at 0.05 and 0.01 with 99% Clopper-Pearson intervals, and the KS test of uniformity.
void report_rates(const char* label, std::size_t n, std::vector<double> p, double seconds) {
  const double count = static_cast<double>(p.size());
  std::printf("%s n %zu, %zu replicates, %.0f s:", label, n, p.size(), seconds);
  for (double alpha : {0.05, 0.01, 0.001}) {
    const auto rejected =
        static_cast<double>(std::count_if(p.begin(), p.end(), [&](double v) { return v < alpha; }));
    const double lower =
        rejected == 0 ? 0.0 : boost::math::ibeta_inv(rejected, count - rejected + 1.0, 0.005);
    const double upper =
        rejected == count ? 1.0 : boost::math::ibeta_inv(rejected + 1.0, count - rejected, 0.995);
    std::printf(" | alpha %g: %.4f [%.4f, %.4f]", alpha, rejected / count, lower, upper);
  }
  std::sort(p.begin(), p.end());
  std::printf(" | median p %.3g | KS uniformity p %.3f\n", p[p.size() / 2],
              embcheck::kolmogorov_smirnov_test(p).p_value);
  std::fflush(stdout);
}

int validate(std::size_t replicates, const std::vector<std::size_t>& sizes, bool t30) {
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    const std::size_t n = sizes[k];
    const auto start = std::chrono::steady_clock::now();
    const embcheck::shapiro_wilk_coefficients coefficients(n);
    std::vector<double> p(replicates);
    bool calibrated = true;
    for (std::size_t r = 0; r < replicates; ++r) {
      const std::uint64_t seed = (t30 ? power_seed_base : validate_seed_base) + k * seed_stride + r;
      const auto values = t30 ? sorted_t30_row(n, seed) : sorted_normal_row(n, seed);
      const auto result = embcheck::shapiro_wilk_test(values, coefficients);
      p[r] = result.p_value;
      calibrated = calibrated && result.p_calibrated;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    report_rates(t30 ? "t(30)" : (calibrated ? "N(0,1)" : "N(0,1) UNCALIBRATED"), n, p, seconds);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "fit" && argc == 3) return fit(argv[2]);
  if (mode == "summarize" && argc == 3) return summarize(argv[2]);
  if ((mode == "validate" || mode == "power") && argc >= 4) {
    std::vector<std::size_t> sizes;
    for (int i = 3; i < argc; ++i) sizes.push_back(std::strtoull(argv[i], nullptr, 10));
    return validate(std::strtoull(argv[2], nullptr, 10), sizes, mode == "power");
  }
  std::fprintf(stderr,
               "usage: simulate_shapiro_wilk_null fit RAW_FILE | summarize RAW_FILE | validate REPS N... | "
               "power REPS N...\n");
  return 2;
}
