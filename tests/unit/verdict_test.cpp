// Holm's adjustment against R's p.adjust(method = "holm") (tests/scripts/make_verdict_fixtures.R)
// and the verdict rules.
#include <doctest/doctest.h>

#include <cstdint>
#include <fstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "embcheck/verdict/streamed_verdict.hpp"
#include "embcheck/verdict/verdict.hpp"

TEST_CASE("holm_adjust matches R's p.adjust to 1e-15 relative") {
  std::ifstream in(EMBCHECK_FIXTURE_DIR "/verdict/holm.json");
  REQUIRE(in);
  const auto cases = nlohmann::json::parse(in);
  REQUIRE(cases.size() >= 5);
  for (const auto& c : cases) {
    const auto p = c["p"].get<std::vector<double>>();
    const auto want = c["holm"].get<std::vector<double>>();
    const auto got = embcheck::holm_adjust(p);
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      CAPTURE(i);
      CHECK(got[i] == doctest::Approx(want[i]).epsilon(1e-15));
    }
  }
}

TEST_CASE("holm_adjust of large families matches R's p.adjust (adjusted values below 1, the rest 1)") {
  std::ifstream in(EMBCHECK_FIXTURE_DIR "/verdict/holm_large.json");
  REQUIRE(in);
  const auto cases = nlohmann::json::parse(in);
  REQUIRE(cases.size() == 2);
  for (const auto& c : cases) {
    const auto m = c["m"].get<std::uint64_t>();
    const auto multiplier = c["multiplier"].get<std::uint64_t>();
    const auto divisor = c["divisor"].get<double>();
    std::vector<double> p(m);
    for (std::uint64_t i = 0; i < m; ++i) {
      p[i] = (static_cast<double>((i * multiplier) % m) + 0.5) / static_cast<double>(m) / divisor;
    }
    for (const auto& s : c["small"]) p[s[0].get<std::size_t>()] = s[1].get<double>();
    std::vector<double> want(m, 1.0);
    for (const auto& b : c["holm_below_one"]) want[b[0].get<std::size_t>()] = b[1].get<double>();
    const auto got = embcheck::holm_adjust(p);
    REQUIRE(got.size() == m);
    std::size_t below_one = 0;
    for (std::size_t i = 0; i < m; ++i) {
      CAPTURE(i);
      if (want[i] < 1.0) ++below_one;
      if (want[i] == 1.0) {
        REQUIRE(got[i] == 1.0);
      } else {
        REQUIRE(got[i] == doctest::Approx(want[i]).epsilon(1e-15));
      }
    }
    CHECK(below_one == c["holm_below_one"].size());
  }
}

namespace {

embcheck::test_outcome outcome(embcheck::test_kind kind, double p, bool calibrated = true) {
  embcheck::test_outcome t;
  t.kind = kind;
  t.ran = true;
  t.statistic = 0.1;
  t.p_value = p;
  t.p_calibrated = calibrated;
  return t;
}

embcheck::sample_analysis tested(double ks_p, double sw_p, bool sw_calibrated = true) {
  embcheck::sample_analysis s;
  s.stats.n = 100;
  s.tests = {outcome(embcheck::test_kind::ks, ks_p),
             outcome(embcheck::test_kind::shapiro_wilk, sw_p, sw_calibrated)};
  return s;
}

}  // namespace

TEST_CASE("a row fails when a Holm-adjusted p-value is below alpha") {
  embcheck::table_analysis analysis;
  analysis.rows.resize(3);
  for (std::size_t i = 0; i < 3; ++i) analysis.rows[i].index = i;
  analysis.rows[0].sample = tested(0.5, 0.6);
  analysis.rows[1].sample = tested(0.001, 0.7);  // 8 p-values: 8 * 0.001 = 0.008 < 0.01
  analysis.rows[2].sample = tested(0.02, 0.3);   // 0.02 alone would pass any correction
  analysis.pooled = tested(0.4, 0.5);
  const auto judgement = embcheck::judge(analysis, 0.01);
  CHECK(judgement.family_size == 8);
  CHECK(judgement.rows[0].verdict == embcheck::sample_verdict::pass);
  CHECK(judgement.rows[1].verdict == embcheck::sample_verdict::fail);
  REQUIRE(judgement.rows[1].tests[0]);
  CHECK(judgement.rows[1].tests[0]->adjusted_p == doctest::Approx(0.008));
  CHECK(judgement.rows[1].reason.find("ks rejects") != std::string::npos);
  CHECK(judgement.rows[2].verdict == embcheck::sample_verdict::pass);
  CHECK_FALSE(judgement.pass);

  const auto lenient = embcheck::judge(analysis, 0.05);
  CHECK(lenient.rows[1].verdict == embcheck::sample_verdict::fail);
  const auto strict = embcheck::judge(analysis, 0.005);
  CHECK(strict.rows[1].verdict == embcheck::sample_verdict::pass);
  CHECK(strict.pass);
}

TEST_CASE("columns join the family") {
  embcheck::table_analysis analysis;
  analysis.columns = {tested(0.5, 0.5), tested(0.5, 0.0001)};
  const auto judgement = embcheck::judge(analysis, 0.01);
  CHECK(judgement.family_size == 4);
  CHECK(judgement.columns[0].verdict == embcheck::sample_verdict::pass);
  CHECK(judgement.columns[1].verdict == embcheck::sample_verdict::fail);
  CHECK_FALSE(judgement.pass);
}

TEST_CASE("uncalibrated p-values stay out of the family") {
  embcheck::table_analysis analysis;
  analysis.rows.resize(1);
  analysis.rows[0].sample = tested(0.5, 1e-12, false);
  analysis.pooled = analysis.rows[0].sample;
  const auto judgement = embcheck::judge(analysis, 0.01);
  CHECK(judgement.family_size == 1);  // one row: the pooled sample is that row, not counted twice
  CHECK_FALSE(judgement.rows[0].tests[1]);
  CHECK(judgement.pass);
}

TEST_CASE("with one tested row the pooled table is judged as that row, held or streamed") {
  // Row 0 is an all-zero padding row, row 1 the one tested row; the pooled table is row 1's
  // sample. Before, the pooled table kept the default pass ("pooled table pass" under a failing row).
  for (const double ks_p : {1e-5, 0.5}) {
    CAPTURE(ks_p);
    const auto expected = ks_p < 0.01 ? embcheck::sample_verdict::fail : embcheck::sample_verdict::pass;
    embcheck::table_analysis analysis;
    analysis.rows.resize(2);
    analysis.rows[0].padding = true;
    analysis.rows[0].sample.stats.n = 10;
    analysis.rows[0].sample.stats.zeros = 10;
    analysis.rows[1].index = 1;
    analysis.rows[1].sample = tested(ks_p, 0.5);
    analysis.pooled = analysis.rows[1].sample;
    const auto judgement = embcheck::judge(analysis, 0.01);
    CHECK(judgement.family_size == 2);  // the row's two p-values, not counted twice
    REQUIRE(judgement.pooled);
    CHECK(judgement.rows[1].verdict == expected);
    CHECK(judgement.pooled->verdict == expected);
    CHECK(judgement.pooled->reason == judgement.rows[1].reason);
    CHECK_FALSE(judgement.pooled->tests[0]);  // its tests stay out of the family

    embcheck::streamed_family family;
    family.add_padding(0, analysis.rows[0].sample.stats);
    family.add(embcheck::sample_place::row, 1, analysis.rows[1].sample);
    family.add(embcheck::sample_place::table, 0, *analysis.pooled, false);
    const auto streamed = family.finish(embcheck::verdict_policy{});
    CHECK(streamed.family_size == 2);
    REQUIRE(streamed.table);
    CHECK(*streamed.table == expected);
    CHECK(streamed.pass == (expected == embcheck::sample_verdict::pass));
  }
}

TEST_CASE("untestable rows and a nonzero padding row fail the table") {
  embcheck::table_analysis analysis;
  analysis.rows.resize(3);
  analysis.rows[0].sample = tested(0.5, 0.5);
  analysis.rows[1].sample.stats.n = 10;
  analysis.rows[1].sample.untestable_reason = "constant: every value is 3";
  analysis.rows[2].padding = true;
  analysis.rows[2].sample.stats.n = 10;
  analysis.rows[2].sample.stats.zeros = 9;
  analysis.pooled = tested(0.5, 0.5);
  const auto judgement = embcheck::judge(analysis, 0.01);
  CHECK(judgement.rows[1].verdict == embcheck::sample_verdict::untestable);
  CHECK(judgement.rows[1].reason == "constant: every value is 3");
  CHECK(judgement.rows[2].verdict == embcheck::sample_verdict::fail);
  CHECK(judgement.rows[2].reason == "padding row holds 1 nonzero values");
  CHECK_FALSE(judgement.pass);
  analysis.rows[1].sample = tested(0.5, 0.5);
  analysis.rows[2].sample.stats.zeros = 10;
  CHECK(embcheck::judge(analysis, 0.01).pass);
}

TEST_CASE("bonferroni_adjust and bh_adjust match R's p.adjust to 1e-15 relative") {
  std::ifstream in(EMBCHECK_FIXTURE_DIR "/verdict/holm.json");
  REQUIRE(in);
  const auto cases = nlohmann::json::parse(in);
  for (const auto& c : cases) {
    const auto p = c["p"].get<std::vector<double>>();
    const auto want_bonferroni = c["bonferroni"].get<std::vector<double>>();
    const auto want_bh = c["BH"].get<std::vector<double>>();
    const auto bonferroni = embcheck::adjust(p, embcheck::correction::bonferroni);
    const auto bh = embcheck::adjust(p, embcheck::correction::bh);
    const auto none = embcheck::adjust(p, embcheck::correction::none);
    REQUIRE(bonferroni.size() == p.size());
    REQUIRE(bh.size() == p.size());
    for (std::size_t i = 0; i < p.size(); ++i) {
      CAPTURE(i);
      CHECK(bonferroni[i] == doctest::Approx(want_bonferroni[i]).epsilon(1e-15));
      CHECK(bh[i] == doctest::Approx(want_bh[i]).epsilon(1e-15));
      CHECK(none[i] == p[i]);
    }
  }
}

TEST_CASE("correction names round-trip") {
  for (const auto method : {embcheck::correction::holm, embcheck::correction::bonferroni,
                            embcheck::correction::bh, embcheck::correction::none}) {
    CHECK(embcheck::parse_correction(embcheck::to_string(method)) == method);
  }
  CHECK_FALSE(embcheck::parse_correction("BH"));
}

TEST_CASE("the correction decides; the warning band only warns") {
  embcheck::table_analysis analysis;
  analysis.rows.resize(2);
  analysis.rows[0].sample = tested(0.004, 0.5);   // 6 p-values: Holm 0.024, Bonferroni 0.024
  analysis.rows[1].sample = tested(0.0005, 0.5);  // Holm and Bonferroni 0.003: rejected at 0.01
  analysis.pooled = tested(0.3, 0.2);
  embcheck::verdict_policy policy;
  const auto holm = embcheck::judge(analysis, policy);
  CHECK(holm.method == embcheck::correction::holm);
  CHECK(holm.rows[0].verdict == embcheck::sample_verdict::pass);
  CHECK(holm.rows[1].verdict == embcheck::sample_verdict::fail);
  CHECK(holm.rows[1].reason.find("Holm-adjusted") != std::string::npos);
  CHECK(holm.warnings == 0);  // 0.004 is above 1e-3, 0.0005 is rejected (not a warning)

  policy.method = embcheck::correction::none;
  const auto none = embcheck::judge(analysis, policy);
  CHECK(none.rows[0].verdict == embcheck::sample_verdict::fail);  // 0.004 < 0.01 unadjusted

  policy.method = embcheck::correction::bonferroni;
  policy.alpha = 0.001;
  policy.warn_below = 0.01;
  const auto strict = embcheck::judge(analysis, policy);
  CHECK(strict.pass);  // 6 * 0.0005 = 0.003 >= 0.001
  CHECK(strict.warnings == 2);
  REQUIRE(strict.rows[1].tests[0]);
  CHECK(strict.rows[1].tests[0]->warned);
  CHECK(strict.rows[1].tests[0]->adjusted_p == doctest::Approx(0.003));
  CHECK(strict.rows[0].warning == "ks warns: p = 0.004 < 0.01");
  CHECK(strict.pooled->warning.empty());
}
