// Google Benchmark of embcheck's kernels (issue "Fast at every size"): generation, moments,
// radix sort, the Kolmogorov-Smirnov p-value, Shapiro-Wilk coefficients and one sample's whole
// analysis, at the sizes the targets name. Built only with -DEMBCHECK_BUILD_BENCHMARKS=ON
// where Google Benchmark is installed; not part of the test suite. Each benchmark reports
// items per second (values processed).
#include <benchmark/benchmark.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <vector>

#include "embcheck/generate/generate.hpp"
#include "embcheck/statistics/analysis.hpp"
#include "embcheck/statistics/kolmogorov_smirnov.hpp"
#include "embcheck/statistics/moments.hpp"
#include "embcheck/statistics/shapiro_wilk.hpp"
#include "embcheck/statistics/sort.hpp"

namespace {

embcheck::table normal_table(std::size_t rows, std::size_t dim) {
  embcheck::generate_spec spec;
  spec.rows = rows;
  spec.dim = dim;
  return embcheck::generate_table(spec);
}

void set_items(benchmark::State& state, std::int64_t per_iteration) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * per_iteration);
}

void generate(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(normal_table(1, n));
  set_items(state, state.range(0));
}
BENCHMARK(generate)->Arg(1 << 10)->Arg(800000)->Arg(10000000)->Unit(benchmark::kMillisecond);

void moments(benchmark::State& state) {
  const embcheck::table t = normal_table(1, static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(embcheck::compute_moments(t.floats, double{FLT_MIN}));
  set_items(state, state.range(0));
}
BENCHMARK(moments)->Arg(128)->Arg(800000)->Unit(benchmark::kMicrosecond);

// Rows of a table taken in turn (a short row sorted over and over would train the branch
// predictor of a comparison sort).
void radix_sort(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const std::size_t rows = std::max<std::size_t>(1, (std::size_t{1} << 20) / n);
  const embcheck::table t = normal_table(rows, n);
  std::vector<double> copy(n);
  std::size_t row = 0;
  for (auto _ : state) {
    t.visit_row(row, [&](auto values) { std::copy(values.begin(), values.end(), copy.begin()); });
    embcheck::sort_values(copy, embcheck::element_type::float32);
    benchmark::DoNotOptimize(copy.data());
    row = row + 1 == rows ? 0 : row + 1;
  }
  set_items(state, state.range(0));
}
BENCHMARK(radix_sort)
    ->Arg(32)
    ->Arg(64)
    ->Arg(128)
    ->Arg(1000)
    ->Arg(2000)
    ->Arg(4000)
    ->Arg(16000)
    ->Arg(800000)
    ->Arg(4000000)
    ->Arg(12800000)
    ->Unit(benchmark::kMicrosecond);

// The exact p-value (Durbin's matrix for small n) is the cost of many short rows.
void kolmogorov_p_value(benchmark::State& state) {
  const auto n = state.range(0);
  for (auto _ : state)
    benchmark::DoNotOptimize(embcheck::kolmogorov_sf(n, 0.8 / std::sqrt(static_cast<double>(n))));
  set_items(state, 1);
}
BENCHMARK(kolmogorov_p_value)->Arg(100)->Arg(128)->Arg(1000)->Arg(800000)->Unit(benchmark::kMicrosecond);

void shapiro_wilk_constants(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(embcheck::shapiro_wilk_coefficients(n));
  set_items(state, state.range(0));
}
BENCHMARK(shapiro_wilk_constants)->Arg(128)->Arg(800000)->Unit(benchmark::kMillisecond);

// One row through moments, sort and the default battery, as analyse_table runs it per row.
void analyse_row(benchmark::State& state) {
  const embcheck::table t = normal_table(1, static_cast<std::size_t>(state.range(0)));
  embcheck::analysis_options options;
  options.tests = embcheck::default_tests(options.null);
  for (auto _ : state) {
    benchmark::DoNotOptimize(embcheck::analyse_sample(t.floats, options));
  }
  set_items(state, state.range(0));
}
BENCHMARK(analyse_row)->Arg(128)->Arg(1000)->Arg(800000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
