// SVG plots. Q-Q plot: the i-th smallest of n values against the null's quantile at
// (i - 0.5) / n (Hazen plotting positions; Wilk and Gnanadesikan 1968), thinned to at most
// 400 evenly spaced ranks plus the extremes. Histogram: densities count / (n width) against
// the null's density, over the range of histogram.hpp.
#include "embcheck/report/svg_plot.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "embcheck/report/histogram.hpp"
#include "embcheck/statistics/normal_quantile.hpp"

namespace embcheck {
namespace {

std::string escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

double quantile(const null_hypothesis& null, double p) {
  return null.family == null_family::normal ? null.a + null.b * normal_quantile(p)
                                            : null.a + (null.b - null.a) * p;
}

double density(const null_hypothesis& null, double x) {
  if (null.family == null_family::normal) {
    const double z = (x - null.a) / null.b;
    return std::exp(-0.5 * z * z) / (null.b * std::sqrt(2.0 * std::numbers::pi));
  }
  return x >= null.a && x <= null.b ? 1.0 / (null.b - null.a) : 0.0;
}

/// A plotting area of 360 x 250 pixels at (left, top) mapping [x0, x1] x [y0, y1].
struct panel {
  double left, top, x0, x1, y0, y1;
  static constexpr double width = 360.0;
  static constexpr double height = 250.0;
  [[nodiscard]] double x(double v) const { return left + (v - x0) / (x1 - x0) * width; }
  [[nodiscard]] double y(double v) const { return top + height - (v - y0) / (y1 - y0) * height; }
};

std::string axes(const panel& p, std::string_view title, std::string_view x_label, std::string_view y_label) {
  std::string out = fmt::format(
      R"(<rect x="{:.1f}" y="{:.1f}" width="{}" height="{}" fill="none" stroke="#444"/>)"
      "\n"
      R"(<text x="{:.1f}" y="{:.1f}" font-size="14" font-weight="bold">{}</text>)"
      "\n"
      R"(<text x="{:.1f}" y="{:.1f}" font-size="12" text-anchor="middle">{}</text>)"
      "\n"
      R"svg(<text x="{:.1f}" y="{:.1f}" font-size="12" text-anchor="middle" transform="rotate(-90 {:.1f} {:.1f})">{}</text>)svg"
      "\n",
      p.left, p.top, panel::width, panel::height, p.left, p.top - 8, escape(title), p.left + panel::width / 2,
      p.top + panel::height + 32, escape(x_label), p.left - 42, p.top + panel::height / 2, p.left - 42,
      p.top + panel::height / 2, escape(y_label));
  for (int k = 0; k <= 4; ++k) {
    const auto tick = [k](double from, double to) {
      const double v = from + (to - from) * k / 4.0;
      return std::abs(v) < 1e-9 * (to - from) ? 0.0 : v;  // no -2.9e-12 for zero
    };
    const double vx = tick(p.x0, p.x1);
    const double vy = tick(p.y0, p.y1);
    out += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="10" text-anchor="middle">{:.3g}</text>)"
                       "\n"
                       R"(<text x="{:.1f}" y="{:.1f}" font-size="10" text-anchor="end">{:.3g}</text>)"
                       "\n",
                       p.x(vx), p.top + panel::height + 14, vx, p.left - 4, p.y(vy) + 3, vy);
  }
  return out;
}

std::string legend(const panel& p, std::string_view first, std::string_view first_style,
                   std::string_view second) {
  const double x = p.left + 10;
  const double y = p.top + 16;
  return fmt::format(
      R"(<g font-size="11"><rect x="{:.1f}" y="{:.1f}" width="10" height="10" {}/><text x="{:.1f}" y="{:.1f}">{}</text>)"
      R"(<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="#d62728" stroke-width="2"/><text x="{:.1f}" y="{:.1f}">{}</text></g>)"
      "\n",
      x, y - 9, first_style, x + 16, y, escape(first), x, y + 11, x + 10, y + 11, x + 16, y + 15,
      escape(second));
}

std::string annotation(const panel& p, const sample_analysis& sample) {
  std::string out;
  double y = p.top + panel::height + 50;
  std::string line;
  for (const test_outcome& t : sample.tests) {
    if (!t.ran) continue;
    line +=
        fmt::format("{}{}: {:.4g}, p {} {:.3g}{}", line.empty() ? "" : "; ", to_string(t.kind), t.statistic,
                    t.p_is_upper_bound ? "<" : "=", t.p_value, t.p_calibrated ? "" : " (not calibrated)");
    if (line.size() > 60) {
      out += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="10">{}</text>)"
                         "\n",
                         p.left, y, escape(line));
      y += 13;
      line.clear();
    }
  }
  if (!line.empty())
    out += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="10">{}</text>)"
                       "\n",
                       p.left, y, escape(line));
  return out;
}

std::string qq_panel(double left, double top, std::vector<double> values, const null_hypothesis& given,
                     const sample_analysis& sample, const std::string& name) {
  std::erase_if(values, [](double v) { return !std::isfinite(v); });
  std::sort(values.begin(), values.end());
  const null_hypothesis null = simple_null(values, given);
  const std::size_t n = values.size();
  std::vector<std::size_t> ranks;
  const std::size_t points = std::min<std::size_t>(n, 400);
  for (std::size_t k = 0; k < points; ++k) ranks.push_back(points > 1 ? k * (n - 1) / (points - 1) : 0);
  double lo = quantile(null, 0.5 / static_cast<double>(std::max<std::size_t>(n, 1)));
  double hi = quantile(null, 1.0 - 0.5 / static_cast<double>(std::max<std::size_t>(n, 1)));
  if (n > 0) {
    lo = std::min(lo, values.front());
    hi = std::max(hi, values.back());
  }
  if (!(hi > lo)) hi = lo + 1.0;
  const panel p{left, top, lo, hi, lo, hi};
  std::string out = axes(p, fmt::format("Q-Q plot, {} (n = {})", name, n),
                         fmt::format("quantiles of {}", null.describe()), "sample quantiles");
  out += fmt::format(
      R"(<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="#d62728" stroke-width="2"/>)"
      "\n",
      p.x(lo), p.y(lo), p.x(hi), p.y(hi));
  out += R"(<g fill="#1f77b4">)";
  for (const std::size_t r : ranks) {
    const double theoretical = quantile(null, (static_cast<double>(r) + 0.5) / static_cast<double>(n));
    out += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="1.8"/>)", p.x(theoretical), p.y(values[r]));
  }
  out += "</g>\n";
  out += legend(p, "sample", R"(fill="#1f77b4")", "y = x (the null)");
  return out + annotation(p, sample);
}

std::string histogram_panel(double left, double top, const std::vector<double>& values,
                            const null_hypothesis& given, const sample_analysis& sample,
                            const std::string& name) {
  const histogram h = make_histogram(values, given, 40);
  std::size_t n = h.below + h.above;
  for (const std::size_t c : h.counts) n += c;
  const double bin = (h.high - h.low) / static_cast<double>(h.counts.size());
  const auto scale = [&](double count) { return n > 0 ? count / (static_cast<double>(n) * bin) : 0.0; };
  double top_density = 0.0;
  for (std::size_t k = 0; k < h.counts.size(); ++k)
    top_density = std::max({top_density, scale(static_cast<double>(h.counts[k])), scale(h.expected[k])});
  for (int k = 0; k <= 200; ++k)
    top_density = std::max(top_density, density(h.null, h.low + (h.high - h.low) * k / 200.0));
  const panel p{left, top, h.low, h.high, 0.0, top_density > 0.0 ? 1.1 * top_density : 1.0};
  std::string out = axes(p, fmt::format("Histogram, {} (n = {})", name, n), "value", "density");
  out += R"(<g fill="#1f77b4" fill-opacity="0.6">)";
  for (std::size_t k = 0; k < h.counts.size(); ++k) {
    const double x0 = h.low + bin * static_cast<double>(k);
    const double d = scale(static_cast<double>(h.counts[k]));
    out += fmt::format(R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}"/>)", p.x(x0), p.y(d),
                       p.x(x0 + bin) - p.x(x0), p.y(0.0) - p.y(d));
  }
  out += "</g>\n<polyline fill=\"none\" stroke=\"#d62728\" stroke-width=\"2\" points=\"";
  for (int k = 0; k <= 200; ++k) {
    const double x = h.low + (h.high - h.low) * k / 200.0;
    out += fmt::format("{}{:.1f},{:.1f}", k ? " " : "", p.x(x), p.y(density(h.null, x)));
  }
  out += "\"/>\n";
  out += legend(p, "sample", R"(fill="#1f77b4" fill-opacity="0.6")",
                fmt::format("density of {}", h.null.describe()));
  return out + annotation(p, sample);
}

/// The row with the smallest p-value of any test that ran, if any row was tested.
std::optional<std::size_t> worst_row(const table_analysis& analysis) {
  std::optional<std::size_t> worst;
  double smallest = 2.0;
  for (std::size_t i = 0; i < analysis.rows.size(); ++i) {
    if (analysis.rows[i].padding) continue;
    for (const test_outcome& t : analysis.rows[i].sample.tests) {
      if (t.ran && t.p_value < smallest) {
        smallest = t.p_value;
        worst = i;
      }
    }
    if (!worst) worst = i;
  }
  return worst;
}

}  // namespace

std::string format_svg_plot(const check_result& result) {
  std::string body;
  double top = 60;
  const null_hypothesis& null = result.config.null;
  if (const auto worst = worst_row(result.analysis)) {
    const row_analysis& row = result.analysis.rows[*worst];
    const std::vector<double> values = result.values.row_copy(row.index);
    const std::string name = fmt::format("worst row {}", row.index);
    body += qq_panel(70, top, values, null, row.sample, name);
    body += histogram_panel(550, top, values, null, row.sample, name);
    top += 360;
  }
  if (result.analysis.pooled) {
    const std::vector<double> values = result.values.visit([&](auto all) {
      std::vector<typename decltype(all)::value_type> gathered;
      const auto pooled = pooled_values(all, result.values.dim, result.padding_row(), gathered);
      return std::vector<double>(pooled.begin(), pooled.end());
    });
    body += qq_panel(70, top, values, null, *result.analysis.pooled, "pooled table");
    body += histogram_panel(550, top, values, null, *result.analysis.pooled, "pooled table");
    top += 360;
  }
  return fmt::format(R"(<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="960" height="{0:.0f}" viewBox="0 0 960 {0:.0f}" font-family="sans-serif">
<title>embcheck: {1} against {2}, verdict {3}</title>
<rect width="100%" height="100%" fill="white"/>
<text x="20" y="20" font-size="13">embcheck {4}: {1} against {2}; verdict {3}</text>
{5}</svg>
)",
                     top, escape(fmt::format("{} x {} values", result.values.rows, result.values.dim)),
                     escape(null.describe()), result.pass() ? "pass" : "fail", EMBCHECK_VERSION, body);
}

}  // namespace embcheck
