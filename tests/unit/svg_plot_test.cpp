// The SVG picture and the histograms behind it. Well-formedness is checked by a small XML
// tokenizer here (every tag closed in order, attributes quoted, only the five predefined
// entities), since no XML library is a dependency; the CLI test cli.plot_xmllint runs
// libxml2's xmllint on a real file when it is installed.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <regex>
#include <vector>

#include "embcheck/generate/generate.hpp"
#include "embcheck/report/histogram.hpp"
#include "embcheck/report/svg_plot.hpp"
#include "embcheck/statistics/analysis.hpp"

namespace {

/// Checks XML well-formedness for the subset SVG uses; returns the element names in order.
std::vector<std::string> xml_elements(const std::string& text) {
  std::vector<std::string> open;
  std::vector<std::string> seen;
  std::size_t k = 0;
  const std::regex attribute(
      R"re(^\s+[A-Za-z_:][-A-Za-z0-9_:.]*="[^"<&]*(&(amp|lt|gt|quot|apos);[^"<&]*)*")re");
  while ((k = text.find('<', k)) != std::string::npos) {
    const std::size_t end = text.find('>', k);
    REQUIRE(end != std::string::npos);
    std::string tag = text.substr(k + 1, end - k - 1);
    k = end + 1;
    if (tag.starts_with("?xml")) continue;
    if (tag.starts_with('/')) {
      REQUIRE_FALSE(open.empty());
      CHECK(tag.substr(1) == open.back());
      open.pop_back();
      continue;
    }
    const bool empty = tag.ends_with('/');
    if (empty) tag.pop_back();
    const std::size_t name_end = std::min(tag.find_first_of(" \n\t"), tag.size());
    const std::string name = tag.substr(0, name_end);
    REQUIRE(std::regex_match(name, std::regex("[A-Za-z][A-Za-z0-9]*")));
    std::string rest = tag.substr(name_end);
    std::smatch m;
    while (std::regex_search(rest, m, attribute)) rest = m.suffix();
    CHECK_MESSAGE(rest.find_first_not_of(" \n\t") == std::string::npos, "bad attributes in <", name,
                  ">: ", rest);
    seen.push_back(name);
    if (!empty) open.push_back(name);
  }
  CHECK(open.empty());
  for (std::size_t amp = text.find('&'); amp != std::string::npos; amp = text.find('&', amp + 1)) {
    const std::string entity = text.substr(amp, 6);
    CHECK((entity.starts_with("&amp;") || entity.starts_with("&lt;") || entity.starts_with("&gt;") ||
           entity.starts_with("&quot;") || entity.starts_with("&apos;")));
  }
  return seen;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t k = text.find(what); k != std::string::npos; k = text.find(what, k + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("the SVG has a Q-Q plot and a histogram for the worst row and the pooled table") {
  embcheck::generate_spec spec;
  spec.rows = 4;
  spec.dim = 2000;
  const embcheck::table values = embcheck::generate_table(spec);
  embcheck::run_config config;
  config.tests = {embcheck::test_kind::ks, embcheck::test_kind::shapiro_wilk};
  embcheck::analysis_options options;
  options.tests = config.tests;
  const auto analysis = embcheck::analyse_table(values, options);
  const auto judgement = embcheck::judge(analysis, 0.01);
  const auto digest = embcheck::digest_of(values);
  const embcheck::check_result result{config, values, analysis, judgement, digest, {}, {}};
  const std::string svg = embcheck::format_svg_plot(result);

  const auto elements = xml_elements(svg);
  REQUIRE_FALSE(elements.empty());
  CHECK(elements.front() == "svg");
  CHECK(svg.find(R"(xmlns="http://www.w3.org/2000/svg")") != std::string::npos);
  // The worst row: the smallest p-value of any row's test.
  std::size_t worst = 0;
  double smallest = 2.0;
  for (std::size_t i = 0; i < 4; ++i) {
    for (const auto& t : analysis.rows[i].sample.tests) {
      if (t.p_value < smallest) {
        smallest = t.p_value;
        worst = i;
      }
    }
  }
  CHECK(svg.find("Q-Q plot, worst row " + std::to_string(worst) + " (n = 2000)") != std::string::npos);
  CHECK(svg.find("Histogram, worst row " + std::to_string(worst) + " (n = 2000)") != std::string::npos);
  CHECK(svg.find("Q-Q plot, pooled table (n = 8000)") != std::string::npos);
  CHECK(svg.find("Histogram, pooled table (n = 8000)") != std::string::npos);
  CHECK(count(svg, "quantiles of N(0, 1^2)") == 2);  // x axis labels of the Q-Q plots
  CHECK(count(svg, ">sample quantiles<") == 2);      // y axis labels
  CHECK(count(svg, ">density<") == 2);               // y axis labels of the histograms
  CHECK(count(svg, ">density of N(0, 1^2)<") == 2);  // legends
  CHECK(count(svg, "<polyline") == 2);               // the null density curves
  CHECK(count(svg, "<circle") == 2 * 400);           // Q-Q points, thinned to 400
  CHECK(count(svg, "ks: ") == 4);                    // annotations of each panel
  const auto& pooled_ks = analysis.pooled->tests[0];
  char p_text[32];
  std::snprintf(p_text, sizeof p_text, "p = %.3g", pooled_ks.p_value);
  CHECK(svg.find(p_text) != std::string::npos);
}

TEST_CASE("histogram counts and expected counts") {
  // 10 values in 4 bins over N(0, 1) +- 4: bin width 2, edges -4, -2, 0, 2, 4.
  const std::vector<double> values = {-5.0, -3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 3.0, NAN};
  const auto h = embcheck::make_histogram(values, embcheck::null_hypothesis::standard_normal(), 4);
  CHECK(h.low == -4.0);
  CHECK(h.high == 4.0);
  CHECK(h.counts == std::vector<std::size_t>{1, 2, 4, 1});
  CHECK(h.below == 1);
  CHECK(h.above == 0);
  // Expected: 9 finite values times Phi(-2) - Phi(-4) = 0.0227184 and Phi(0) - Phi(-2) = 0.4772499
  // (R: pnorm(-2) - pnorm(-4), 0.5 - pnorm(-2)); to 1e-6 relative.
  CHECK(h.expected[0] == doctest::Approx(9 * 0.022718366).epsilon(1e-6));
  CHECK(h.expected[1] == doctest::Approx(9 * 0.477249868).epsilon(1e-6));
  const std::string picture = embcheck::format_terminal_histogram(h, 20);
  CHECK(count(picture, "\n") == 4);
  // Bin around -1: 2 of the largest height 4.295 (expected) is 9.3 of 20 columns, '|' at 20.
  CHECK(picture.find("\n       -1 #########           |\n") != std::string::npos);
}

TEST_CASE("histogram counts at the edges, of non-finite values and across blocks and threads") {
  // 4 bins of width 2 over [-4, 4): a value on an edge belongs to the bin on its right, 4 is
  // above the range, and NaN and +-Inf are not counted at all (nor in n).
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<double> edges = {
      -4.0, -2.0, 0.0,  -0.0,  2.0,   4.0, std::nextafter(4.0, 0.0), std::nextafter(-4.0, -5.0),
      NAN,  inf,  -inf, 1e300, -1e300};
  const auto h = embcheck::make_histogram(edges, embcheck::null_hypothesis::standard_normal(), 4);
  CHECK(h.counts == std::vector<std::size_t>{1, 1, 2, 2});
  CHECK(h.below == 2);
  CHECK(h.above == 2);
  CHECK(h.expected[0] == doctest::Approx(10 * 0.022718366).epsilon(1e-6));  // 10 finite values

  // Three blocks of 2^16 values and a partial one, on 1 and 2 threads: the counts of the
  // definition (floor((x - low) / width), by a loop written out here), whichever thread counts.
  std::vector<double> values;
  std::mt19937_64 engine(16);
  std::normal_distribution<double> normal(0.0, 1.6);
  for (std::size_t i = 0; i < 3 * 65536 + 1001; ++i) values.push_back(i % 997 == 0 ? NAN : normal(engine));
  std::vector<std::size_t> expected(16, 0);
  std::size_t below = 0;
  std::size_t above = 0;
  for (const double x : values) {
    if (std::isnan(x)) continue;
    if (x < -4.0) {
      ++below;
    } else if (x >= 4.0) {
      ++above;
    } else {
      ++expected[std::min<std::size_t>(static_cast<std::size_t>((x + 4.0) / 0.5), 15)];
    }
  }
  for (const unsigned threads : {1u, 2u}) {
    CAPTURE(threads);
    const auto counted =
        embcheck::make_histogram(values, embcheck::null_hypothesis::standard_normal(), 16, threads);
    CHECK(counted.counts == expected);
    CHECK(counted.below == below);
    CHECK(counted.above == above);
  }
}
