// Histograms against the null: expected bin counts n (F(right) - F(left)) from the null's CDF.
#include "embcheck/report/histogram.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace embcheck {

null_hypothesis simple_null(std::span<const double> values, const null_hypothesis& null) {
  if (!null.fitted) return null;
  double sum = 0.0;
  double count = 0.0;
  for (const double x : values) {
    if (std::isfinite(x)) {
      sum += x;
      count += 1.0;
    }
  }
  const double mean = count > 0.0 ? sum / count : 0.0;
  double squares = 0.0;
  for (const double x : values) {
    if (std::isfinite(x)) squares += (x - mean) * (x - mean);
  }
  const double std = count > 1.0 ? std::sqrt(squares / (count - 1.0)) : 1.0;
  return {null_family::normal, mean, std > 0.0 ? std : 1.0, false};
}

histogram make_histogram(std::span<const double> values, const null_hypothesis& null, std::size_t bins) {
  histogram h;
  h.null = simple_null(values, null);
  if (h.null.family == null_family::normal) {
    h.low = h.null.a - 4.0 * h.null.b;
    h.high = h.null.a + 4.0 * h.null.b;
  } else {
    const double margin = 0.1 * (h.null.b - h.null.a);
    h.low = h.null.a - margin;
    h.high = h.null.b + margin;
  }
  bins = std::max<std::size_t>(bins, 1);
  h.counts.assign(bins, 0);
  const double width = (h.high - h.low) / static_cast<double>(bins);
  std::size_t n = 0;
  for (const double x : values) {
    if (!std::isfinite(x)) continue;
    ++n;
    if (x < h.low) {
      ++h.below;
    } else if (x >= h.high) {
      ++h.above;
    } else {
      const auto bin = static_cast<std::size_t>((x - h.low) / width);
      ++h.counts[std::min(bin, bins - 1)];
    }
  }
  h.expected.resize(bins);
  for (std::size_t k = 0; k < bins; ++k) {
    const double left = h.low + width * static_cast<double>(k);
    h.expected[k] = static_cast<double>(n) * (h.null.cdf(left + width) - h.null.cdf(left));
  }
  return h;
}

std::string format_terminal_histogram(const histogram& h, std::size_t width) {
  const double top = std::max(static_cast<double>(*std::max_element(h.counts.begin(), h.counts.end())),
                              *std::max_element(h.expected.begin(), h.expected.end()));
  const double bin = (h.high - h.low) / static_cast<double>(h.counts.size());
  const auto columns = [&](double count) {
    return top > 0.0 ? static_cast<std::size_t>(std::lround(count / top * static_cast<double>(width))) : 0;
  };
  std::string out;
  for (std::size_t k = 0; k < h.counts.size(); ++k) {
    std::string bar(width + 1, ' ');
    std::fill_n(bar.begin(), columns(static_cast<double>(h.counts[k])), '#');
    bar[columns(h.expected[k])] = '|';
    while (!bar.empty() && bar.back() == ' ') bar.pop_back();
    out += fmt::format("{:>9.3g} {}\n", h.low + bin * (static_cast<double>(k) + 0.5), bar);
  }
  return out;
}

}  // namespace embcheck
