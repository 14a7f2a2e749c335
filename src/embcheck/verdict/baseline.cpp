// Baseline comparison of two reports. Statistics are compared by their difference in standard
// errors, z = |new - old| / sqrt(se_new^2 + se_old^2), with each sample's large-sample
// standard errors (Kendall and Stuart, The Advanced Theory of Statistics, vol. 1, ch. 10):
//   mean:            var / n
//   variance:        var^2 (excess kurtosis + 2) / n
//   skewness:        6 / n       (normal null)
//   excess kurtosis: 24 / n      (normal null)
// The sqrt of the sum treats the two runs as independent draws, which is conservative when
// they share a seed (their difference then varies less). p-values are not compared: a change
// from 0.4 to 0.7 says nothing, and moments carry the same information with a scale.
#include "embcheck/verdict/baseline.hpp"

#include <cmath>
#include <string>

#include <fmt/format.h>

#include "embcheck/error.hpp"

namespace embcheck {
namespace {

using ordered = nlohmann::ordered_json;
using plain = nlohmann::json;

/// Config fields that define which check a report is of; the others (seed, init, rng, mean,
/// std, low, high, input, alpha, correction, threads) may differ: that is what a baseline tests.
constexpr std::string_view check_fields[] = {"rows", "dim", "dtype", "padding_idx", "null", "tests", "axis"};

const plain& field(const plain& object, const char* key, std::string_view what) {
  if (!object.is_object() || !object.contains(key))
    throw error(fmt::format("not an embcheck report: no {}", what));
  return object.at(key);
}

/// The baseline's entry for one sample, checked where the comparison reads it: an object whose
/// verdict and digest are strings and whose statistics are numbers or null (not finite).
const plain& checked_sample(const plain& sample, const std::string& name) {
  const auto refuse = [&](std::string_view what, const plain& value, std::string_view expected) {
    throw error(
        fmt::format("not an embcheck report: {}{} is {}, not {}", name, what, value.type_name(), expected));
  };
  if (!sample.is_object()) refuse("", sample, "an object");
  for (const char* key : {"verdict", "digest"}) {
    const auto it = sample.find(key);
    if (it != sample.end() && !it->is_string() && !(it->is_null() && std::string_view(key) == "digest"))
      refuse(fmt::format(" {}", key), *it, "a string");
  }
  for (const char* key : {"finite", "mean", "variance", "skewness", "excess_kurtosis"}) {
    const auto it = sample.find(key);
    if (it != sample.end() && !it->is_number() && !it->is_null())
      refuse(fmt::format(" {}", key), *it, "a number");
  }
  return sample;
}

struct sample_pair {
  std::string name;
  const ordered* now;
  const plain* before;
};

std::vector<sample_pair> samples(const ordered& current, const plain& baseline) {
  std::vector<sample_pair> out;
  for (const char* axis : {"rows", "columns"}) {
    const ordered& now = current.at(axis);
    const plain& before = field(baseline, axis, axis);
    if (!before.is_array() || before.size() != now.size())
      throw error(fmt::format("not an embcheck report of this check: {} has {} entries, expected {}", axis,
                              before.is_array() ? before.size() : 0, now.size()));
    const std::string label = std::string(axis) == "rows" ? "row" : "column";
    for (std::size_t i = 0; i < now.size(); ++i) {
      std::string name = fmt::format("{} {}", label, i);
      const plain& checked = checked_sample(before[i], name);
      out.push_back({std::move(name), &now[i], &checked});
    }
  }
  if (!current.at("table").is_null())
    out.push_back(
        {"table", &current.at("table"), &checked_sample(field(baseline, "table", "table"), "table")});
  return out;
}

double number(const plain& sample, const char* key) {
  const auto it = sample.find(key);
  return it != sample.end() && it->is_number() ? it->get<double>() : NAN;
}
double number(const ordered& sample, const char* key) {
  const auto it = sample.find(key);
  return it != sample.end() && it->is_number() ? it->get<double>() : NAN;
}

/// Squared standard error of `stat` for a sample of `n` values with this variance and kurtosis.
double squared_se(std::string_view stat, double n, double variance, double kurtosis) {
  if (stat == "mean") return variance / n;
  if (stat == "variance") return variance * variance * std::max(kurtosis + 2.0, 0.0) / n;
  if (stat == "skewness") return 6.0 / n;
  return 24.0 / n;
}

}  // namespace

std::vector<gate_result> compare_with_baseline(const ordered& current, const plain& baseline, double sigmas) {
  const plain& version = field(baseline, "schema_version", "schema_version");
  if (!version.is_number_integer()) throw error("not an embcheck report: schema_version is not an integer");
  if (version.get<long long>() != current.at("schema_version").get<long long>()) {
    throw error(fmt::format("report schema_version {} cannot be compared; this embcheck writes and reads {}",
                            version.dump(), current.at("schema_version").dump()));
  }
  const plain& config = field(baseline, "config", "config");
  for (const std::string_view key : check_fields) {
    const std::string k(key);
    const plain& before = field(config, k.c_str(), "config." + k);
    const plain now = plain::parse(current.at("config").at(k).dump());
    if (before != now) {
      throw error(fmt::format("a report of a different check: config.{} is {} here, {} in the baseline", k,
                              now.dump(), before.dump()));
    }
  }
  const std::vector<sample_pair> pairs = samples(current, baseline);

  gate_result verdicts{"baseline-verdict", true, "", {}};
  for (const sample_pair& s : pairs) {
    const std::string now = s.now->value("verdict", "");
    const std::string before = s.before->value("verdict", "");
    if (now == before) continue;
    verdicts.details.push_back(fmt::format("{}: {} in the baseline, {} now", s.name, before, now));
    if (before == "pass") verdicts.pass = false;
  }
  verdicts.message = verdicts.details.empty()
                         ? fmt::format("every verdict as in the baseline ({} samples)", pairs.size())
                         : fmt::format("{} of {} verdicts changed", verdicts.details.size(), pairs.size());

  gate_result digests{"baseline-digest", true, "", {}};
  const auto before_digest = baseline.find("digest");
  if (before_digest == baseline.end() || !before_digest->is_object() || !before_digest->contains("table")) {
    digests.message = "the baseline has no digest";
  } else {
    const plain& before_table = before_digest->at("table");
    if (!before_table.is_string()) {
      throw error(
          fmt::format("not an embcheck report: digest.table is {}, not a string", before_table.type_name()));
    }
    const std::string now = current.at("digest").at("table").get<std::string>();
    const std::string before = before_table.get<std::string>();
    digests.pass = now == before;
    digests.message = digests.pass
                          ? fmt::format("table sha256 {} as in the baseline", now)
                          : fmt::format("table sha256 {} differs from the baseline's {}", now, before);
    for (const sample_pair& s : pairs) {
      if (s.name.rfind("row ", 0) != 0) continue;
      const auto a = s.now->find("digest");
      const auto b = s.before->find("digest");
      if (a != s.now->end() && b != s.before->end() && *a != plain::parse(b->dump()))
        digests.details.push_back(fmt::format("{}: sha256 {}, baseline {}", s.name, a->get<std::string>(),
                                              b->is_string() ? b->get<std::string>() : b->dump()));
    }
  }

  gate_result statistics{"baseline-statistics", true, "", {}};
  std::size_t compared = 0;
  double worst = 0.0;
  for (const sample_pair& s : pairs) {
    const double n_now = number(*s.now, "finite");
    const double n_before = number(*s.before, "finite");
    for (const char* stat : {"mean", "variance", "skewness", "excess_kurtosis"}) {
      const double now = number(*s.now, stat);
      const double before = number(*s.before, stat);
      if (std::isnan(now) && std::isnan(before)) continue;
      ++compared;
      const double se2 =
          squared_se(stat, n_now, number(*s.now, "variance"), number(*s.now, "excess_kurtosis")) +
          squared_se(stat, n_before, number(*s.before, "variance"), number(*s.before, "excess_kurtosis"));
      const double z = now == before ? 0.0 : std::abs(now - before) / std::sqrt(se2);
      if (!(z <= sigmas)) {
        statistics.pass = false;
        statistics.details.push_back(
            fmt::format("{} {}: {:.6g} now, {:.6g} in the baseline ({:.3g} standard errors)", s.name, stat,
                        now, before, z));
      }
      if (std::isfinite(z)) worst = std::max(worst, z);
    }
  }
  statistics.message =
      statistics.pass
          ? fmt::format("{} statistics within {} standard errors of the baseline (largest move {:.2f})",
                        compared, sigmas, worst)
          : fmt::format("{} of {} statistics moved more than {} standard errors", statistics.details.size(),
                        compared, sigmas);
  return {verdicts, digests, statistics};
}

}  // namespace embcheck
