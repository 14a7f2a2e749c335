// Tests of the JSON report's text: format_json_report writes, row by row, exactly what
// nlohmann::json writes for the whole to_json_report tree (indent 2, invalid UTF-8 replaced).

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "embcheck/generate/generate.hpp"
#include "embcheck/report/report.hpp"
#include "embcheck/statistics/analysis.hpp"
#include "embcheck/verdict/gates.hpp"
#include "embcheck/verdict/verdict.hpp"

namespace {

/// format_json_report against the dump of to_json_report for a generated table and `axis`.
void check_same_text(const embcheck::axes& axis, std::size_t rows, std::size_t dim,
                     std::vector<std::string> words = {}) {
  embcheck::generate_spec spec;
  spec.rows = rows;
  spec.dim = dim;
  const embcheck::table values = embcheck::generate_table(spec);
  embcheck::run_config config;
  config.generated = spec;
  config.tests = {embcheck::test_kind::ks, embcheck::test_kind::shapiro_wilk, embcheck::test_kind::mean};
  config.axis = axis;
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
}
