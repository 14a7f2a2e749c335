// Histograms against the null: expected bin counts n (F(right) - F(left)) from the null's CDF.
#include "embcheck/report/histogram.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "embcheck/parallel.hpp"

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

histogram make_histogram(std::span<const double> values, const null_hypothesis& null, std::size_t bins,
                         unsigned threads) {
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
  const double width = (h.high - h.low) / static_cast<double>(bins);
  // Blocks of values counted independently (on all threads from 2^17 values on: a table of 10^6
  // values waited 5 ms for one thread), then added up in order.
  struct block_counts {
    std::vector<std::size_t> counts;
    std::size_t n = 0, below = 0, above = 0;
  };
  constexpr std::size_t block_size = std::size_t{1} << 16;
  const std::size_t blocks = std::max<std::size_t>(1, (values.size() + block_size - 1) / block_size);
  std::vector<block_counts> partial(blocks);
  detail::parallel_for(blocks, threads, [&](std::size_t block, unsigned) {
    block_counts& c = partial[block];
    c.counts.assign(bins, 0);
    const std::size_t begin = block * block_size;  // < values.size() unless values is empty
    const std::span<const double> part = values.subspan(begin, std::min(block_size, values.size() - begin));
    std::size_t n = 0, below = 0, above = 0;
    for (const double x : part) {
      if (!std::isfinite(x)) continue;
      ++n;
      if (x < h.low) {
        ++below;
      } else if (x >= h.high) {
        ++above;
      } else {
        const auto bin = static_cast<std::size_t>((x - h.low) / width);
        ++c.counts[std::min(bin, bins - 1)];
      }
    }
    c.n = n;
    c.below = below;
    c.above = above;
  });
  h.counts.assign(bins, 0);
  std::size_t n = 0;
  for (const block_counts& c : partial) {
    n += c.n;
    h.below += c.below;
    h.above += c.above;
    for (std::size_t k = 0; k < bins; ++k) h.counts[k] += c.counts[k];
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
