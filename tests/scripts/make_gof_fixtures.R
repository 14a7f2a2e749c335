#!/usr/bin/env Rscript
# R half of tests/scripts/make_gof_fixtures.py (which runs it; R 4.2, goftest 1.2.3).
#
#   Rscript make_gof_fixtures.R <samples.txt> <grid.txt> <out.txt>
#
# samples.txt: one sample per line, "null,v1,v2,...", null "pnorm" (v = x) or "punif" (v = u).
# For each sample, one output line "sample,<i>,A2,pAD,ADinf,W2,pCvM,meanz,pmean,varstat,pvar":
#   goftest::ad.test (and pAD(A2, Inf, fast = FALSE)) and goftest::cvm.test with that null
#   (parameters fixed), and the mean and
#   variance tests against N(0, 1) computed with pnorm / pchisq directly (no package has them):
#   z = mean sqrt(n), p = 2 pnorm(-|z|); X = (n - 1) var, p = min(1, 2 min(pchisq(X, n - 1),
#   pchisq(X, n - 1, lower.tail = FALSE))).
# grid.txt: lines "dist,n,q" (n = 0 for the limit) give
#   "dist,n,q,pAD(q, n, upper),ADinf(q),pCvM(q, n, upper),VinfCDF"
#   where ADinf is pAD(q, Inf, fast = FALSE) (Marsaglia's full series) and VinfCDF is pCvM(q, Inf);
#   lines "moment,n,mean,var" give "moment,n,mean,var,z,pz,X,pvar", the mean and variance tests
#   above for given sample moments (N(0, 1) null).
suppressMessages(library(goftest))
args <- commandArgs(trailingOnly = TRUE)
num <- function(v) sprintf("%.17g", v)
out <- c()
lines <- readLines(args[1])
for (i in seq_along(lines)) {
  parts <- strsplit(lines[i], ",", fixed = TRUE)[[1]]
  null <- parts[1]
  v <- as.numeric(parts[-1])
  n <- length(v)
  ad <- ad.test(v, null)
  cv <- cvm.test(v, null)
  x <- if (null == "pnorm") v else qnorm(v)
  z <- mean(x) * sqrt(n)
  pz <- 2 * pnorm(-abs(z))
  vs <- (n - 1) * var(x)
  pv <- min(1, 2 * min(pchisq(vs, n - 1), pchisq(vs, n - 1, lower.tail = FALSE)))
  # Marsaglia's series diverges for large arguments (pAD(1000, Inf, fast = FALSE) = -1.7e36);
  # 1 - ADinf(40) is about 1e-18, so 1 from there on.
  adinf <- if (ad$statistic < 40) pAD(ad$statistic, Inf, fast = FALSE) else 1
  out <- c(out, paste("sample", i - 1, num(ad$statistic), num(ad$p.value), num(adinf), num(cv$statistic),
                      num(cv$p.value), num(z), num(pz), num(vs), num(pv), sep = ","))
}
for (line in readLines(args[2])) {
  parts <- strsplit(line, ",", fixed = TRUE)[[1]]
  if (parts[1] == "dist") {
    n <- as.numeric(parts[2])
    q <- as.numeric(parts[3])
    nn <- if (n == 0) Inf else n
    out <- c(out, paste("dist", n, num(q), num(pAD(q, nn, lower.tail = FALSE)),
                        num(pAD(q, Inf, fast = FALSE)), num(pCvM(q, nn, lower.tail = FALSE)),
                        num(pCvM(q, Inf)), sep = ","))
  } else {
    n <- as.numeric(parts[2])
    m <- as.numeric(parts[3])
    s2 <- as.numeric(parts[4])
    z <- m * sqrt(n)
    vs <- (n - 1) * s2
    pv <- min(1, 2 * min(pchisq(vs, n - 1), pchisq(vs, n - 1, lower.tail = FALSE)))
    out <- c(out, paste("moment", n, num(m), num(s2), num(z), num(2 * pnorm(-abs(z))), num(vs),
                        num(pv), sep = ","))
  }
}
writeLines(out, args[3])
