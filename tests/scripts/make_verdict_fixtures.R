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
