# Writes tests/fixtures/verdict/holm.json: p-value vectors and R's p.adjust(p, method) for
# methods "holm", "bonferroni" and "BH" (the holm values are those of the first version).
# Run: Rscript tests/scripts/make_verdict_fixtures.R  (needs r-base-core)
set.seed(20261126)
cases <- list(
  c(0.01, 0.04, 0.03, 0.005),
  c(0.5, 0.5, 0.5),
  c(1e-300, 0.2, 1e-10, 0.999, 0.04, 0.04),
  runif(50)^4,
  c(0.0, 1.0, 0.3),
  c(0.7)
)
fmt <- function(x) paste0("[", paste(sprintf("%.17g", x), collapse = ", "), "]")
out <- sapply(cases, function(p) sprintf('{"p": %s, "holm": %s, "bonferroni": %s, "BH": %s}', fmt(p),
                                         fmt(p.adjust(p, "holm")), fmt(p.adjust(p, "bonferroni")),
                                         fmt(p.adjust(p, "BH"))))
dir <- file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE))), "..", "fixtures", "verdict")
dir.create(dir, showWarnings = FALSE, recursive = TRUE)
writeLines(c("[", paste(out, collapse = ",\n"), "]"), file.path(dir, "holm.json"))

# holm_large.json: families of m p-values built by a formula the test repeats exactly
# (p_i = ((i * 7919) mod m + 0.5) / m / divisor, i = 0 .. m-1, a permutation of
# (k + 0.5) / (m divisor), then a few small values, two of them tied, put at fixed indices),
# and R's Holm-adjusted values below 1 as [0-based index, value] pairs (every other adjusted
# value is 1). Large enough that holm_adjust sorts only a prefix of the family: a few values
# below 1 in the first case, about 2000 in the second (the prefix grows twice).
large_case <- function(m, divisor, small) {
  i <- 0:(m - 1)
  p <- ((i * 7919) %% m + 0.5) / m / divisor
  for (s in small) p[s[1] + 1] <- s[2]
  holm <- p.adjust(p, "holm")
  below <- which(holm < 1)
  sprintf('{"m": %d, "multiplier": 7919, "divisor": %d, "small": [%s], "holm_below_one": [%s]}', m, divisor,
          paste(sapply(small, function(s) sprintf("[%d, %.17g]", s[1], s[2])), collapse = ", "),
          paste(sprintf("[%d, %.17g]", below - 1, holm[below]), collapse = ", "))
}
small <- list(c(17, 1e-12), c(18, 1e-12), c(99, 3e-9), c(5000, 2e-7), c(70000, 2.5e-6),
              c(99999, 1e-300))
writeLines(c("[", paste(c(large_case(200000, 1, small), large_case(100000, 2000, small)), collapse = ",\n"), "]"),
           file.path(dir, "holm_large.json"))
