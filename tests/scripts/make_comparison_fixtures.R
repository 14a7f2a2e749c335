# Writes tests/fixtures/comparison/ksamples.json: two-sample Anderson-Darling references from
# R's kSamples 1.2-9 and goftest 1.2-3, for embcheck's asymptotic p-value of the standardized
# statistic T = (A2akN - 1) / sigma_N:
#   ksamples_p: kSamples' "asympt. P-value" of ad.test (version 2, midranks), unrounded: the
#     internal ad.pval(T, 1, 2), which interpolates tabled quantiles of T's limiting law;
#   limit_p: that limit law evaluated directly, P(A^2_inf > 1 + sigma_inf T) with goftest's
#     pAD(q, n = Inf, fast = FALSE) (the Marsaglias' ADinf), sigma_inf^2 = 2 (pi^2 - 9) / 3.
# A2akN is kSamples' C routine adkTestStat0 (what ad.test calls) and sigma_N its formula.
# Run: Rscript tests/scripts/make_comparison_fixtures.R  (needs r-cran-ksamples, r-cran-goftest)
suppressMessages(library(kSamples))
set.seed(20261127)
ad2 <- function(x, y) {
  z <- c(x, y); ns <- c(length(x), length(y)); n <- sum(ns); k <- 2
  zs <- sort(unique(z))
  out <- .C("adkTestStat0", ans = double(2), k = as.integer(k), x = as.double(z), ns = as.integer(ns),
            Z.star = as.double(zs), L = as.integer(length(zs)), PACKAGE = "kSamples")
  a2 <- out$ans[2]
  H <- sum(1 / ns); h <- sum(1 / (1:(n - 1))); g <- 0
  for (i in 1:(n - 2)) g <- g + (1 / (n - i)) * sum(1 / ((i + 1):(n - 1)))
  ca <- (4 * g - 6) * (k - 1) + (10 - 6 * g) * H
  cb <- (2 * g - 4) * k^2 + 8 * h * k + (2 * g - 14 * h - 4) * H - 8 * h + 4 * g - 6
  cc <- (6 * h + 2 * g - 2) * k^2 + (4 * h - 4 * g + 6) * k + (2 * h - 6) * H + 4 * h
  cd <- (2 * h + 6) * k^2 - 4 * h * k
  sig <- sqrt((ca * n^3 + cb * n^2 + cc * n + cd) / ((n - 1) * (n - 2) * (n - 3)))
  t <- (a2 - 1) / sig
  s_inf <- sqrt(2 * (pi^2 - 9) / 3)
  list(a2 = a2, sigma = sig, statistic = t, ksamples_p = kSamples:::ad.pval(t, 1, 2),
       limit_p = goftest::pAD(1 + s_inf * t, n = Inf, lower.tail = FALSE, fast = FALSE))
}
cases <- list()
for (spec in list(c(8, 8, 0, 1, 0), c(10, 12, 0.5, 1, 0), c(20, 30, 0, 1.8, 0), c(50, 50, 0.4, 1, 0),
                  c(100, 80, 0.6, 1, 0), c(200, 150, 0.5, 1.2, 0), c(300, 300, 0.1, 1, 0),
                  c(64, 64, 0, 1, 0.25), c(500, 400, 0.35, 1, 0.125), c(40, 200, 0.9, 1, 0),
                  c(1000, 1000, 0.2, 1, 0), c(25, 25, 1.2, 1, 0))) {
  x <- rnorm(spec[1]); y <- rnorm(spec[2], mean = spec[3], sd = spec[4])
  if (spec[5] > 0) { x <- round(x / spec[5]) * spec[5]; y <- round(y / spec[5]) * spec[5] }
  r <- ad2(x, y)
  num <- function(v) paste0("[", paste(sprintf("%.17g", v), collapse = ", "), "]")
  cases[[length(cases) + 1]] <- sprintf(
    '{"a": %s, "b": %s, "a2": %.17g, "sigma": %.17g, "statistic": %.17g, "ksamples_p": %.17g, "limit_p": %.17g}',
    num(x), num(y), r$a2, r$sigma, r$statistic, r$ksamples_p, r$limit_p)
}
# The limit law alone at given T, over the range where goftest's ADinf is accurate.
grid <- c(-1.5, -1, -0.5, 0, 0.5, 1, 2, 3, 4, 6, 8, 12, 16, 22, 28, 31, 35)
s_inf <- sqrt(2 * (pi^2 - 9) / 3)
limit <- sapply(grid, function(t) goftest::pAD(1 + s_inf * t, n = Inf, lower.tail = FALSE, fast = FALSE))
ks <- sapply(grid, function(t) kSamples:::ad.pval(t, 1, 2))
dir <- file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE))), "..", "fixtures",
                 "comparison")
dir.create(dir, showWarnings = FALSE, recursive = TRUE)
writeLines(c(sprintf('{"ksamples": "%s", "goftest": "%s",', packageVersion("kSamples"), packageVersion("goftest")),
             sprintf(' "grid": {"statistic": [%s], "limit_p": [%s], "ksamples_p": [%s]},',
                     paste(sprintf("%.17g", grid), collapse = ", "), paste(sprintf("%.17g", limit), collapse = ", "),
                     paste(sprintf("%.17g", ks), collapse = ", ")),
             ' "cases": [', paste(cases, collapse = ",\n"), ']}'),
           file.path(dir, "ksamples.json"))
