// Tests of the JSON report's text: format_json_report writes, row by row, exactly what
// nlohmann::json writes for the whole to_json_report tree (indent 2, invalid UTF-8 replaced).

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "embcheck/generate/generate.hpp"
#include "embcheck/report/json_writer.hpp"
#include "embcheck/report/report.hpp"
#include "embcheck/report/streamed_report.hpp"
#include "embcheck/statistics/analysis.hpp"
#include "embcheck/verdict/gates.hpp"
#include "embcheck/verdict/verdict.hpp"

namespace {

/// format_json_report against the dump of to_json_report for a generated table and `axis`,
/// formatted on `threads` threads.
void check_same_text(const embcheck::axes& axis, std::size_t rows, std::size_t dim,
                     std::vector<std::string> words = {}, unsigned threads = 1) {
  embcheck::generate_spec spec;
  spec.rows = rows;
  spec.dim = dim;
  const embcheck::table values = embcheck::generate_table(spec);
  embcheck::run_config config;
  config.generated = spec;
  config.tests = {embcheck::test_kind::ks, embcheck::test_kind::shapiro_wilk, embcheck::test_kind::mean};
  config.axis = axis;
  config.threads = threads;
  embcheck::analysis_options options;
  options.tests = config.tests;
  options.axis = axis;
  const embcheck::table_analysis analysis = embcheck::analyse_table(values, options);
  const embcheck::table_judgement judgement = embcheck::judge(analysis, config.alpha);
  const embcheck::table_digest digest = embcheck::digest_of(values);
  const embcheck::check_result result{config, values, analysis, judgement, digest, {}, words};
  const std::string expected =
      embcheck::to_json_report(result).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) +
      "\n";
  const std::string text = embcheck::format_json_report(result);
  CHECK(text.size() == expected.size());
  CHECK(text == expected);
  // The same text handed on in pieces: no piece empty but the ones around empty arrays.
  std::string joined;
  std::size_t pieces = 0;
  embcheck::write_json_report(result, [&](std::string_view piece) {
    joined += piece;
    ++pieces;
  });
  CHECK(joined == expected);
  CHECK(pieces > 3);
}

}  // namespace

TEST_CASE("format_json_report writes the dump of to_json_report byte for byte") {
  SUBCASE("rows and the pooled table") { check_same_text({true, false, true}, 4, 50); }
  SUBCASE("rows, columns and the pooled table") { check_same_text({true, true, true}, 3, 20); }
  SUBCASE("the pooled table alone (empty arrays)") { check_same_text({false, false, true}, 3, 20); }
  SUBCASE("one row") { check_same_text({true, false, false}, 1, 30); }
  SUBCASE("words with quotes, newlines and invalid UTF-8") {
    check_same_text({true, false, true}, 3, 20, {"a\"b", "line\nbreak", std::string("bad\xff")});
  }
  // Rows are formatted in blocks of 4096, as many blocks at a time as threads: one block, a
  // round of two, and rounds of three with a short last block and a last round of one.
  SUBCASE("4096 rows on two threads") { check_same_text({true, false, true}, 4096, 3, {}, 2); }
  SUBCASE("4097 rows on two threads") { check_same_text({true, false, true}, 4097, 3, {}, 2); }
  SUBCASE("4 x 4096 + 5 rows and columns on three threads") {
    check_same_text({true, true, true}, 4 * 4096 + 5, 3, {}, 3);
  }
}

TEST_CASE("json_text_writer writes what the tree of the same calls dumps, indented and compact") {
  // Numbers at the edges of nlohmann's float formatting (exponents, -0, integers as doubles),
  // empty and nested containers, escapes and invalid UTF-8, at a top level and indented.
  const auto write = [](auto& out) {
    out.begin_object();
    embcheck::detail::field(out, "count", std::uint64_t{18446744073709551615ULL});
    out.key("numbers");
    out.begin_array();
    for (const double x : {0.0, -0.0, 1.0, -2.5, 1e-5, 1e-4, 123456789012345.0, 1e16, 1e21, 5e-324,
                           1.7976931348623157e308, 0.1, 2.0 / 3.0, -1e-300})
      out.value(x);
    out.end();
    embcheck::detail::number_field(out, "nan", std::nan(""));
    out.key("empty_object");
    out.begin_object();
    out.end();
    out.key("empty_array");
    out.begin_array();
    out.end();
    out.key("nested");
    out.begin_array();
    out.begin_object();
    embcheck::detail::field(out, "flag", true);
    embcheck::detail::field(out, "none", nullptr);
    out.end();
    out.begin_array();
    out.value(false);
    out.end();
    out.end();
    embcheck::detail::field(out, "text", "quote \" backslash \\ newline \n tab \t bell \a");
    embcheck::detail::field(out, "bytes", std::string_view("caf\xc3\xa9 \xff\xfe end"));
    out.end();
  };
  embcheck::detail::json_tree_builder tree;
  write(tree);
  const std::string dumped =
      tree.result().dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  std::string top;
  embcheck::detail::json_text_writer at_top(top, 0);
  write(at_top);
  CHECK(top == dumped);
  // Indented by 4, as a row inside the report's "rows" array: every line but the first.
  std::string indented;
  embcheck::detail::json_text_writer inside(indented, 4);
  write(inside);
  std::string expected;
  for (const char c : dumped) {
    expected += c;
    if (c == '\n') expected += "    ";
  }
  CHECK(indented == expected);
  // Compact, as an NDJSON record: what dump(-1) writes.
  std::string one_line;
  auto compact = embcheck::detail::json_text_writer::compact(one_line);
  write(compact);
  CHECK(one_line == tree.result().dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

TEST_CASE("NDJSON record lines are nlohmann's compact dump of the documented fields") {
  // The lines are written as text (no tree): each must parse, dump back to itself with
  // nlohmann's dump(-1), and hold the fields of docs/report.md in order.
  std::vector<double> values;
  for (int i = 0; i < 50; ++i) values.push_back(std::sin(0.7 * i));
  const std::vector<embcheck::test_kind> tests{embcheck::test_kind::ks, embcheck::test_kind::shapiro_wilk,
                                               embcheck::test_kind::anderson_darling};
  embcheck::analysis_options options;
  options.tests = tests;
  embcheck::row_analysis row;
  row.index = 7;
  row.sample = embcheck::analyse_sample(values, embcheck::element_type::float64, options);
  REQUIRE(row.sample.find(embcheck::test_kind::ks) != nullptr);
  embcheck::sample_analysis untestable;
  untestable.stats.n = 3;
  untestable.untestable_reason = "constant: every value is 2";

  const auto round_trip = [](const std::string& line) {
    REQUIRE(!line.empty());
    CHECK(line.back() == '\n');
    const auto parsed = nlohmann::ordered_json::parse(line);
    CHECK(parsed.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n" == line);
    return parsed;
  };
  const auto keys = [](const nlohmann::ordered_json& object) {
    std::vector<std::string> names;
    for (const auto& item : object.items()) names.push_back(item.key());
    return names;
  };
  const std::vector<std::string> moment_keys{"n",         "finite", "mean", "variance", "sample_variance",
                                             "std",       "min",    "max",  "skewness", "excess_kurtosis",
                                             "nonfinite", "counts"};

  const auto with_word =
      round_trip(embcheck::ndjson_row_line(row, tests, "ab12", std::string_view("caf\xc3\xa9\xff")));
  std::vector<std::string> expected{"record", "index", "padding", "digest", "word"};
  expected.insert(expected.end(), moment_keys.begin(), moment_keys.end());
  expected.insert(expected.end(), {"tests", "untestable"});
  CHECK(keys(with_word) == expected);
  CHECK(with_word["record"] == "row");
  CHECK(with_word["index"] == 7);
  CHECK(with_word["word"] == "caf\xc3\xa9\xef\xbf\xbd");  // the invalid byte as U+FFFD
  CHECK(with_word["untestable"].is_null());
  CHECK(keys(with_word["tests"]) == std::vector<std::string>{"ks", "shapiro_wilk", "anderson_darling"});
  const auto& ks = with_word["tests"]["ks"];
  CHECK(ks["p_value"].get<double>() == row.sample.find(embcheck::test_kind::ks)->p_value);
  CHECK(!ks.contains("adjusted_p_value"));
  CHECK(!ks.contains("rejected"));
  CHECK(ks.contains("note"));

  const auto pooled =
      round_trip(embcheck::ndjson_sample_line(embcheck::sample_place::table, 0, untestable, tests));
  expected = {"record"};
  expected.insert(expected.end(), moment_keys.begin(), moment_keys.end());
  expected.insert(expected.end(), {"tests", "untestable"});
  CHECK(keys(pooled) == expected);
  CHECK(pooled["record"] == "table");
  CHECK(pooled["untestable"] == "constant: every value is 2");
  CHECK(pooled["tests"]["shapiro_wilk"]["p_value"].is_null());

  const auto column =
      round_trip(embcheck::ndjson_sample_line(embcheck::sample_place::column, 3, row.sample, tests));
  CHECK(column["record"] == "column");
  CHECK(column["index"] == 3);
}
