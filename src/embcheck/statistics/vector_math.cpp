// erfc, log, log1p and exp over arrays through glibc's vector math library (libmvec, part of
// glibc; erfc and log1p since 2.35): the AVX2 entry points _ZGVdN4v_<name> (x86_64 vector
// function ABI, "d" = AVX2, 4 lanes), chosen once at run time when the CPU has AVX2 and FMA;
// otherwise, and where libmvec has no erfc at build time, the scalar functions of <cmath>.
//
// Measured on 4 M values (this machine, 2026-11-27): 36 -> 7 ms (AVX-512's 8-lane entry: also
// 7). glibc documents libmvec's functions as accurate to 4 ulp; against the scalar erfc on
// those 4 M values it differed by at most 4 ulp. The normal CDF built on it is then within a
// few 1e-16 of the scalar one, far below every tolerance of the statistics; the same CPU gives
// the same bits on every run and any number of threads (every value goes through the same
// 4-lane call, the last partial group padded). The one-sided KS sums use libmvec's log, log1p
// and exp: their terms are all positive, so a few ulp in each stays a few ulp in the sum
// (kolmogorov_smirnov.cpp). Anderson-Darling cannot: libmvec's log leans one way (0.21 ulp on
// average against glibc's scalar log), and A^2 at n = 100000, a sum of weighted logarithms
// that nearly cancel, moved 1.3e-11 from the exactly rounded sum (its test allows 1e-12). It
// uses log_values_accurate, written here after glibc's scalar log (Szabolcs Nagy, ARM
// optimized-routines, sysdeps/ieee754/dbl-64/e_log.c: a 128-entry table of 1/c and log c, a
// polynomial in r = z/c - 1), four lanes at a time with the table's logarithms in two parts
// (tests/scripts/make_log_table.py, mpmath): 4 M logarithms 17 -> 8 ms, within 1 ulp of
// glibc's log and 1e-5 ulp from it on average.

#include "embcheck/statistics/vector_math.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#if defined(EMBCHECK_HAVE_LIBMVEC) && defined(__x86_64__) && defined(__GNUC__)
#define EMBCHECK_VECTOR_MATH 1
// NOLINTBEGIN: glibc's vector ABI names
extern "C" [[gnu::target("avx2")]] __m256d _ZGVdN4v_erfc(__m256d);
extern "C" [[gnu::target("avx2")]] __m256d _ZGVdN4v_log(__m256d);
extern "C" [[gnu::target("avx2")]] __m256d _ZGVdN4v_log1p(__m256d);
extern "C" [[gnu::target("avx2")]] __m256d _ZGVdN4v_exp(__m256d);
// NOLINTEND
#endif

namespace embcheck::detail {
namespace {

#if defined(__x86_64__) && defined(__GNUC__)
#define EMBCHECK_AVX2_KERNELS 1

struct alignas(32) log_table_entry {
  double invc;    // 1 / c, c the middle of the subinterval
  double log_hi;  // -log(invc) = log_hi + log_lo to about 106 bits
  double log_lo;
  double pad = 0.0;  // a row is one aligned 4-lane load
};

#include "embcheck/statistics/log_table.inc"

// a + b = sum + error exactly (Knuth's TwoSum).
[[gnu::target("avx2,fma"), gnu::always_inline]] inline __m256d two_sum(__m256d a, __m256d b,
                                                                       __m256d& error) noexcept {
  const __m256d sum = _mm256_add_pd(a, b);
  const __m256d b_part = _mm256_sub_pd(sum, a);
  error = _mm256_add_pd(_mm256_sub_pd(a, _mm256_sub_pd(sum, b_part)), _mm256_sub_pd(b, b_part));
  return sum;
}

// log(x) = k ln 2 + log(z), x = 2^k z with z in [0.6875, 1.375) taken from x's bits; with c the
// middle of z's subinterval (one of 128) and r = z / c - 1 (|r| < 2^-8, one rounding by fma),
// log(z) = -log(1/c) + log1p(r). The sum k ln 2 - log(1/c) + r is carried exactly as hi + lo
// (Knuth's TwoSum twice, the table's logarithm in two parts), log1p(r) - r is Taylor's series to
// r^7 (the next term is below 2^-67), and hi + lo is rounded once at the end. Error: the final
// rounding (0.5 ulp) plus about 2^-61 absolute from r (measured against long double logl on 2 M
// values per range: at most 0.514 ulp, glibc's log 0.515), with nothing that leans one way (the
// table's logarithms are exact to 2^-106, not rounded doubles), as glibc's scalar log (Szabolcs
// Nagy's algorithm, which gets the same effect from specially chosen c). Lanes that are not
// positive normal finite numbers are recomputed with std::log by the caller.
[[gnu::target("avx2,fma")]] __m256d log_avx2(__m256d x) noexcept {
  const __m256i bits = _mm256_castpd_si256(x);
  const __m256i offset = _mm256_set1_epi64x(0x3fe6000000000000);
  const __m256i tmp = _mm256_sub_epi64(bits, offset);
  // k = tmp >> 52 (arithmetic): shifted logically after adding 2^63, then 2048 taken off as a
  // double (2^52 + kb - (2^52 + 2048), exact).
  const __m256i biased_k = _mm256_srli_epi64(
      _mm256_add_epi64(tmp, _mm256_set1_epi64x(std::numeric_limits<std::int64_t>::min())), 52);
  const __m256d k =
      _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(biased_k, _mm256_set1_epi64x(0x4330000000000000))),
                    _mm256_set1_pd(0x1p52 + 2048.0));
  const __m256i index = _mm256_and_si256(_mm256_srli_epi64(tmp, 45), _mm256_set1_epi64x(127));
  const __m256d z = _mm256_castsi256_pd(
      _mm256_add_epi64(_mm256_and_si256(tmp, _mm256_set1_epi64x(0x000fffffffffffff)), offset));
  // The four lanes' rows, loaded whole and transposed (faster than three gathers).
  alignas(32) std::array<std::int64_t, 4> rows;
  _mm256_store_si256(reinterpret_cast<__m256i*>(rows.data()), index);
  const __m256d row0 = _mm256_load_pd(&log_table[rows[0]].invc);
  const __m256d row1 = _mm256_load_pd(&log_table[rows[1]].invc);
  const __m256d row2 = _mm256_load_pd(&log_table[rows[2]].invc);
  const __m256d row3 = _mm256_load_pd(&log_table[rows[3]].invc);
  const __m256d even01 = _mm256_unpacklo_pd(row0, row1);  // invc0 invc1 lo0 lo1
  const __m256d odd01 = _mm256_unpackhi_pd(row0, row1);   // hi0 hi1 pad pad
  const __m256d even23 = _mm256_unpacklo_pd(row2, row3);
  const __m256d odd23 = _mm256_unpackhi_pd(row2, row3);
  const __m256d invc = _mm256_permute2f128_pd(even01, even23, 0x20);
  const __m256d log_lo = _mm256_permute2f128_pd(even01, even23, 0x31);
  const __m256d log_hi = _mm256_permute2f128_pd(odd01, odd23, 0x20);
  const __m256d r = _mm256_fmsub_pd(z, invc, _mm256_set1_pd(1.0));
  __m256d error1;
  __m256d error2;
  const __m256d s = two_sum(_mm256_mul_pd(k, _mm256_set1_pd(ln2_hi)), log_hi, error1);
  const __m256d hi = two_sum(s, r, error2);
  // log1p(r) - r = r^2 (-1/2 + r (1/3 + r (-1/4 + r (1/5 + r (-1/6 + r / 7))))).
  __m256d series = _mm256_fmadd_pd(r, _mm256_set1_pd(1.0 / 7.0), _mm256_set1_pd(-1.0 / 6.0));
  series = _mm256_fmadd_pd(r, series, _mm256_set1_pd(1.0 / 5.0));
  series = _mm256_fmadd_pd(r, series, _mm256_set1_pd(-1.0 / 4.0));
  series = _mm256_fmadd_pd(r, series, _mm256_set1_pd(1.0 / 3.0));
  series = _mm256_fmadd_pd(r, series, _mm256_set1_pd(-1.0 / 2.0));
  series = _mm256_mul_pd(_mm256_mul_pd(r, r), series);
  const __m256d small = _mm256_fmadd_pd(k, _mm256_set1_pd(ln2_lo), log_lo);
  const __m256d lo = _mm256_add_pd(_mm256_add_pd(error1, error2), _mm256_add_pd(small, series));
  return _mm256_add_pd(hi, lo);
}

bool positive_normal(double x) noexcept { return x >= 0x1p-1022 && x <= 0x1.fffffffffffffp1023; }

[[gnu::target("avx2,fma")]] void log_accurate_avx2(const double* in, double* out, std::size_t n) noexcept {
  const __m256d smallest = _mm256_set1_pd(0x1p-1022);
  const __m256d largest = _mm256_set1_pd(0x1.fffffffffffffp1023);
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const __m256d x = _mm256_loadu_pd(in + i);
    const __m256d in_range =
        _mm256_and_pd(_mm256_cmp_pd(x, smallest, _CMP_GE_OQ), _mm256_cmp_pd(x, largest, _CMP_LE_OQ));
    const bool all_in_range = _mm256_movemask_pd(in_range) == 0xf;
    _mm256_storeu_pd(out + i, log_avx2(x));
    if (!all_in_range) {
      std::array<double, 4> lanes;  // in[i..i+3], which out may have overwritten
      _mm256_storeu_pd(lanes.data(), x);
      for (std::size_t j = 0; j < 4; ++j) {
        if (!positive_normal(lanes[j])) out[i + j] = std::log(lanes[j]);
      }
    }
  }
  if (i < n) {  // the last values in one group, padded as in apply_avx2
    std::array<double, 4> x{1.0, 1.0, 1.0, 1.0};
    std::copy(in + i, in + n, x.begin());
    std::array<double, 4> y;
    _mm256_storeu_pd(y.data(), log_avx2(_mm256_loadu_pd(x.data())));
    for (std::size_t j = 0; i + j < n; ++j) out[i + j] = positive_normal(x[j]) ? y[j] : std::log(x[j]);
  }
}

#endif

#ifdef EMBCHECK_VECTOR_MATH

using vector_function = __m256d (*)(__m256d);

template <vector_function f>
[[gnu::target("avx2,fma")]] void apply_avx2(const double* in, double* out, std::size_t n) noexcept {
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) _mm256_storeu_pd(out + i, f(_mm256_loadu_pd(in + i)));
  if (i < n) {
    std::array<double, 4> last{1.0, 1.0, 1.0, 1.0};  // the padding lanes' results are dropped
    std::copy(in + i, in + n, last.begin());
    _mm256_storeu_pd(last.data(), f(_mm256_loadu_pd(last.data())));
    std::copy(last.begin(), last.begin() + static_cast<std::ptrdiff_t>(n - i), out + i);
  }
}

#endif

enum class function { erfc, log, log1p, exp };

template <function F>
double scalar_value(double x) noexcept {
  if constexpr (F == function::erfc) return std::erfc(x);
  if constexpr (F == function::log) return std::log(x);
  if constexpr (F == function::log1p) return std::log1p(x);
  if constexpr (F == function::exp) return std::exp(x);
}

template <function F>
void apply(const double* in, double* out, std::size_t n) noexcept {
#ifdef EMBCHECK_VECTOR_MATH
  if (cpu_has_avx2()) {
    constexpr vector_function vector = F == function::erfc    ? _ZGVdN4v_erfc
                                       : F == function::log   ? _ZGVdN4v_log
                                       : F == function::log1p ? _ZGVdN4v_log1p
                                                              : _ZGVdN4v_exp;
    apply_avx2<vector>(in, out, n);
    return;
  }
#endif
  for (std::size_t i = 0; i < n; ++i) out[i] = scalar_value<F>(in[i]);
}

}  // namespace

bool cpu_has_avx2() noexcept {
#ifdef EMBCHECK_AVX2_KERNELS
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return has;
#else
  return false;
#endif
}

bool vector_math_in_use() noexcept {
#ifdef EMBCHECK_VECTOR_MATH
  return cpu_has_avx2();
#else
  return false;
#endif
}

void erfc_values(const double* in, double* out, std::size_t n) noexcept { apply<function::erfc>(in, out, n); }

void log_values(const double* in, double* out, std::size_t n) noexcept { apply<function::log>(in, out, n); }

void log1p_values(const double* in, double* out, std::size_t n) noexcept {
  apply<function::log1p>(in, out, n);
}

void exp_values(const double* in, double* out, std::size_t n) noexcept { apply<function::exp>(in, out, n); }

void log_values_accurate(const double* in, double* out, std::size_t n) noexcept {
#ifdef EMBCHECK_AVX2_KERNELS
  if (cpu_has_avx2()) {
    log_accurate_avx2(in, out, n);
    return;
  }
#endif
  for (std::size_t i = 0; i < n; ++i) out[i] = std::log(in[i]);
}

}  // namespace embcheck::detail
