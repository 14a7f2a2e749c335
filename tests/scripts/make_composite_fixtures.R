#!/usr/bin/env Rscript
# Makes tests/fixtures/composite/{composite.json, composite_large.json} with R's nortest package
# (lillie.test, ad.test, sf.test; run with R 4.2 and nortest 1.0.4; deterministic: fixed seeds).
#
#   Rscript tests/scripts/make_composite_fixtures.R            (from the repository root)
#
# composite.json: samples for 5 <= n <= 5000 (normal, shifted and scaled normal, t, uniform,
#   exponential, ties, 1e6 + noise, outliers, extreme scales) and what nortest says: Lilliefors D
#   and p (n >= 5), Anderson-Darling A and p (n >= 8), Shapiro-Francia W' and p (n <= 5000).
# composite_large.json: n = 800000, a Park-Miller sample the C++ test regenerates:
#   s_k = 16807 s_{k-1} mod (2^31 - 1), x_k = qnorm(s_k / (2^31 - 1)). lillie.test and ad.test
#   accept any n and are the reference. sf.test stops above 5000, so W' comes from plain R below
#   (sf_reference: sf.test's formulas, with 1 - W' as the residual sum of squares of the
#   regression of the centred data on the Blom scores over the total sum of squares; the script
#   stops unless sf_reference reproduces sf.test() on every sample of composite.json). The
#   p-value there is Royston's formula extrapolated beyond n = 5000.

suppressPackageStartupMessages(library(nortest))
args <- commandArgs(trailingOnly = TRUE)
out_dir <- if (length(args) >= 1) args[1] else "tests/fixtures/composite"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

# Shortest of %.15g / %.17g that reads back to the same double.
num <- function(v) {
  s <- sprintf("%.15g", v)
  bad <- as.numeric(s) != v
  s[bad] <- sprintf("%.17g", v[bad])
  s
}
json_array <- function(v) paste0("[", paste(num(v), collapse = ","), "]")
header <- sprintf('"generator":"tests/scripts/make_composite_fixtures.R","r_version":"%s","nortest":"%s",',
                  R.version.string, as.character(packageVersion("nortest")))

# ---------------------------------------------------------------- plain-R Shapiro-Francia
sf_reference <- function(x) {  # x sorted; returns c(1 - W', p)
  n <- length(x)
  m <- qnorm(ppoints(n, a = 3 / 8))
  x <- (x - x[n %/% 2 + 1]) / (x[n] - x[1])  # W' is invariant under shift and scale
  xc <- x - mean(x)
  mc <- m - mean(m)
  r <- xc - (sum(mc * xc) / sum(mc^2)) * mc
  w1 <- sum(r^2) / sum(xc^2)
  u <- log(n)
  v <- log(u)
  mu <- -1.2725 + 1.0521 * (v - u)
  sig <- 1.0308 - 0.26758 * (v + 2 / u)
  c(w1, pnorm((log(w1) - mu) / sig, lower.tail = FALSE))
}

# ---------------------------------------------------------------- samples for 5 <= n <= 5000
set.seed(20240611)
generators <- list(
  normal = function(n) rnorm(n),
  scaled = function(n) rnorm(n, mean = 3, sd = 0.1),
  wide = function(n) rnorm(n, mean = -2e3, sd = 5e2),
  t3 = function(n) rt(n, df = 3),
  t10 = function(n) rt(n, df = 10),
  uniform = function(n) runif(n),
  exponential = function(n) rexp(n),
  ties = function(n) round(rnorm(n), 1),
  offset = function(n) 1e6 + rnorm(n)
)
sizes <- c(5, 6, 7, 8, 9, 10, 12, 15, 20, 30, 50, 99, 100, 101, 200, 500, 1000, 2500, 5000)
cases <- list()
# scale: a power of two the stored sample is multiplied by (exact). nortest itself fails at extreme
# scales (sd() under- or overflows), and every statistic here is scale invariant, so the reference
# is nortest on the unscaled sample.
add_case <- function(name, x, scale = 1) {
  x <- sort(x)
  n <- length(x)
  stored <- x * scale
  stopifnot(all(stored / scale == x))
  lf <- lillie.test(x)
  fields <- sprintf('"lilliefors_d":%s,"lilliefors_p":%s', num(unname(lf$statistic)), num(lf$p.value))
  if (n >= 8) {
    ad <- ad.test(x)
    fields <- paste0(fields, sprintf(',"ad_a":%s,"ad_p":%s', num(unname(ad$statistic)), num(ad$p.value)))
  }
  sf <- sf.test(x)
  ref <- sf_reference(x)
  w <- unname(sf$statistic)
  # The plain-R reference must reproduce sf.test (it is what certifies the n = 800000 value);
  # sf.test's own 1 - W' (from cor^2) carries ~1e-16 / (1 - W') of rounding.
  stopifnot(abs(ref[1] - (1 - w)) <= 1e-9 * (1 - w) + 1e-14,
            abs(ref[2] - sf$p.value) <= 1e-8 * sf$p.value + 1e-14)
  fields <- paste0(fields, sprintf(',"sf_w":%s,"sf_one_minus_w":%s,"sf_p":%s', num(w), num(ref[1]), num(sf$p.value)))
  cases[[length(cases) + 1]] <<- sprintf('{"name":"%s","n":%d,%s,"x":%s}', name, n, fields, json_array(stored))
}
for (n in sizes) for (g in names(generators)) {
  # Keep the file small: the largest sizes for a few generators only.
  if (n >= 2500 && !(g %in% c("normal", "exponential", "t10", "offset", "ties"))) next
  x <- generators[[g]](n)
  if (max(x) == min(x)) next
  add_case(sprintf("%s_%d", g, n), x)
}
add_case("equally_spaced_5", c(1, 2, 3, 4, 5))
add_case("two_values_10", c(rep(0, 5), rep(1, 5)))
add_case("one_outlier_8", c(rep(0, 7), 1))
add_case("one_outlier_20", c(rnorm(19), 50))
add_case("far_outlier_5000", c(rnorm(4999), 1e4))     # z of the outlier ~ 70: log Phi(-z) far in the tail
add_case("tiny_scale_100", rnorm(100), scale = 2^-680)      # values ~1e-205: squares underflow
add_case("huge_scale_100", rnorm(100), scale = 2^680)       # values ~1e205: squares overflow
add_case("subnormal_scale_50", round(rnorm(50) * 2^20), scale = 2^-1060)  # integers * 2^-1060: exact subnormals
add_case("offset_small_noise_1000", 1e6 + rnorm(1000, sd = 1e-3))
add_case("negative_offset_500", -5e7 + rnorm(500))
add_case("heavy_ties_1000", round(rnorm(1000) * 2))
add_case("lognormal_2000", rlnorm(2000))
add_case("mixture_1000", c(rnorm(990), rnorm(10, sd = 5)))
writeLines(c("{", header, '"cases":[', paste(unlist(cases), collapse = ",\n"), "]}"),
           file.path(out_dir, "composite.json"))

# ---------------------------------------------------------------- n = 800000
park_miller_normal <- function(n, seed) {
  s <- numeric(n)
  state <- seed
  for (k in seq_len(n)) {
    state <- (state * 16807) %% 2147483647
    s[k] <- state
  }
  qnorm(s / 2147483647)
}
float32 <- function(v) readBin(writeBin(v, raw(), size = 4), "double", size = 4, n = length(v))
n_large <- 800000
seed <- 20240611
x <- sort(park_miller_normal(n_large, seed))
large_case <- function(name, x) {
  lf <- lillie.test(x)
  ad <- ad.test(x)
  ref <- sf_reference(x)
  sprintf(paste0('{"name":"%s","lilliefors_d":%s,"lilliefors_p":%s,"ad_a":%s,"ad_p":%s,',
                 '"sf_one_minus_w":%s,"sf_p":%s,"sum":%s,"probes":%s}'),
          name, num(unname(lf$statistic)), num(lf$p.value), num(unname(ad$statistic)), num(ad$p.value),
          num(ref[1]), num(ref[2]), num(sum(x)), json_array(x[c(1, 2, 1000, 400000, 400001, 799000, 799999, 800000)]))
}
large <- c(
  large_case("normal", x),
  # 1000 + x rounded to float32: thousands of ties and a large offset.
  large_case("float32_offset_1000", sort(float32(1000 + x))),
  # Slightly too wide (sd 1.003 would be invisible to composite tests by design: they estimate sd);
  # a 1% contamination by N(0, 3^2) is what they should see.
  large_case("mixture_1pct", sort(ifelse(seq_len(n_large) %% 100 == 0, 3 * x, x))))
writeLines(c("{", header,
  sprintf('"n":%d,"park_miller_seed":%d,"probe_indices":[0,1,999,399999,400000,798999,799998,799999],', n_large, seed),
  '"cases":[', paste(large, collapse = ",\n"), "]}"), file.path(out_dir, "composite_large.json"))
