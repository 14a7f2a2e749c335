#include "option_parsing.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace embcheck::cli {
namespace {

std::optional<double> parse_number(const std::string& text) {
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::string all_test_names() {
  std::vector<std::string_view> names;
  for (const test_kind kind : all_test_kinds) names.push_back(to_string(kind));
  return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace

const std::map<std::string, init_kind> init_names{
    {"normal", init_kind::normal}, {"uniform", init_kind::uniform}, {"uninit", init_kind::uninit}};

const std::map<std::string, rng_mode> rng_names{{"torch", rng_mode::torch},
                                                {"torch-scalar", rng_mode::torch_scalar}};

const std::map<std::string, correction> correction_names{{"holm", correction::holm},
                                                         {"bonferroni", correction::bonferroni},
                                                         {"bh", correction::bh},
                                                         {"none", correction::none}};

const CLI::Validator open_unit_interval(
    [](std::string& text) -> std::string {
      double value = 0.0;
      if (!CLI::detail::lexical_cast(text, value) || !(value > 0.0 && value < 1.0)) {
        return fmt::format("value {} not in the open interval (0, 1)", text);
      }
      return {};
    },
    "in (0, 1)");

const CLI::Validator unit_interval_from_zero(
    [](std::string& text) -> std::string {
      double value = 0.0;
      if (!CLI::detail::lexical_cast(text, value) || !(value >= 0.0 && value < 1.0)) {
        return fmt::format("value {} not in [0, 1)", text);
      }
      return {};
    },
    "in [0, 1)");

const CLI::Validator positive_finite(
    [](std::string& text) -> std::string {
      double value = 0.0;
      if (!CLI::detail::lexical_cast(text, value) || !(value > 0.0 && std::isfinite(value))) {
        return fmt::format("value {} is not a finite number above 0", text);
      }
      return {};
    },
    "> 0");

const CLI::Validator not_empty(
    [](std::string& text) -> std::string { return text.empty() ? "the value is empty" : std::string{}; }, "");

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

std::optional<std::string> generate_spec_problem(const generate_spec& spec, std::string_view prefix) {
  if (spec.init == init_kind::uniform && !(spec.low < spec.high)) {
    return fmt::format("{}low {} must be below {}high {}", prefix, spec.low, prefix, spec.high);
  }
  if (spec.init == init_kind::uniform &&
      !std::isfinite(static_cast<float>(spec.high) - static_cast<float>(spec.low))) {
    return fmt::format("{}high {} - {}low {} overflows float32", prefix, spec.high, prefix, spec.low);
  }
  if (spec.dim != 0 && spec.rows > std::numeric_limits<std::size_t>::max() / spec.dim) {
    return fmt::format("{}rows {} x {}dim {} overflows", prefix, spec.rows, prefix, spec.dim);
  }
  return std::nullopt;
}

std::uint64_t parse_seed(const std::string& text) {
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (!text.empty() && text.front() == '-') {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(first, last, value);
    if (ec == std::errc() && end == last) return static_cast<std::uint64_t>(value);
  } else {
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(first, last, value);
    if (ec == std::errc() && end == last) return value;
  }
  throw usage_error(fmt::format("--seed: '{}' is not an integer in [-2^63, 2^64 - 1]", text));
}

null_hypothesis parse_expect(const std::string& text, const std::optional<generate_spec>& generated) {
  const auto bad = [&](std::string_view why) {
    return usage_error(
        fmt::format("--expect: '{}' {}; expected normal[:MEAN,STD], uniform[:LOW,HIGH], "
                    "normal:fit or init",
                    text, why));
  };
  if (text == "init") {
    if (!generated) throw usage_error("--expect init needs a generated table (not --input)");
    switch (generated->init) {
      case init_kind::normal:
        if (!(generated->std > 0.0))
          throw usage_error("--expect init: --std 0 claims a constant, not a distribution");
        return {null_family::normal, generated->mean, generated->std, false};
      case init_kind::uniform: return {null_family::uniform, generated->low, generated->high, false};
      case init_kind::uninit: throw usage_error("--expect init: --init uninit claims no distribution");
    }
  }
  const std::size_t colon = text.find(':');
  const std::string family = text.substr(0, colon);
  null_hypothesis null;
  if (family == "normal") {
    null.family = null_family::normal;
  } else if (family == "uniform") {
    null = {null_family::uniform, 0.0, 1.0, false};
  } else {
    throw bad("names no known distribution");
  }
  if (colon == std::string::npos) return null;
  const std::string parameters = text.substr(colon + 1);
  if (parameters == "fit") {
    if (null.family != null_family::normal) throw bad("fits only the normal");
    null.fitted = true;
    return null;
  }
  const std::vector<std::string> values = split(parameters, ',');
  if (values.size() != 2) throw bad("needs two parameters");
  const auto first = parse_number(values[0]);
  const auto second = parse_number(values[1]);
  if (!first || !second) throw bad("has a parameter that is not a finite number");
  null.a = *first;
  null.b = *second;
  if (null.family == null_family::normal && !(null.b > 0.0)) throw bad("needs STD > 0");
  if (null.family == null_family::uniform && !(null.a < null.b)) throw bad("needs LOW < HIGH");
  if (null.family == null_family::uniform && !std::isfinite(null.b - null.a))
    throw bad("needs HIGH - LOW finite in double");
  return null;
}

std::vector<test_kind> parse_tests(const std::string& text, const null_hypothesis& null) {
  if (text == "default") return default_tests(null);
  std::vector<test_kind> tests;
  if (text == "all") {
    for (const test_kind kind : all_test_kinds) {
      if (applies_to(kind, null)) tests.push_back(kind);
    }
    return tests;
  }
  for (const std::string& name : split(text, ',')) {
    const std::optional<test_kind> kind = parse_test_kind(name);
    if (!kind) {
      throw usage_error(
          fmt::format("--tests: '{}' is not a test; known: {} (or default, all)", name, all_test_names()));
    }
    if (!applies_to(*kind, null)) {
      throw usage_error(fmt::format("--tests: {} does not test the null {}", name, null.describe()));
    }
    if (std::find(tests.begin(), tests.end(), *kind) == tests.end()) tests.push_back(*kind);
  }
  // Report order is the battery's order, whatever the order given.
  std::vector<test_kind> ordered;
  for (const test_kind kind : all_test_kinds) {
    if (std::find(tests.begin(), tests.end(), kind) != tests.end()) ordered.push_back(kind);
  }
  return ordered;
}

axes parse_axis(const std::string& text) {
  if (text == "all") return {true, true, true};
  axes axis{false, false, false};
  for (const std::string& name : split(text, ',')) {
    if (name == "rows") {
      axis.rows = true;
    } else if (name == "columns") {
      axis.columns = true;
    } else if (name == "table") {
      axis.table = true;
    } else {
      throw usage_error(fmt::format("--axis: '{}' is not one of rows, columns, table, all", name));
    }
  }
  return axis;
}

}  // namespace embcheck::cli
