// libFuzzer target for the CLI's value parsers (src/cli/option_parsing.hpp): parse_seed,
// parse_expect (without and with a generated table), parse_tests and parse_axis.
// The first byte chooses the parser, the rest is the option's text. Contract checked: each
// returns or throws embcheck::cli::usage_error; the message is one line; parse_tests returns
// only tests that apply to the null; parse_expect returns a null with finite parameters,
// std > 0 or low < high.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "cli/option_parsing.hpp"

namespace {

using namespace embcheck;

void check_null(const null_hypothesis& null) {
  if (!std::isfinite(null.a) || !std::isfinite(null.b)) std::abort();
  if (null.family == null_family::normal && !null.fitted && !(null.b > 0.0)) std::abort();
  if (null.family == null_family::uniform && !(null.a < null.b)) std::abort();
}

generate_spec spec_from(std::uint8_t selector) {
  generate_spec spec;
  spec.init = (selector & 2U) != 0 ? init_kind::uniform
                                   : ((selector & 4U) != 0 ? init_kind::uninit : init_kind::normal);
  spec.mean = 2.0;
  spec.std = 0.5;
  spec.low = -1.0;
  spec.high = 3.0;
  return spec;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t selector = data[0];
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    switch (selector % 4U) {
      case 0: static_cast<void>(cli::parse_seed(text)); break;
      case 1: {
        const std::optional<generate_spec> generated =
            (selector & 8U) != 0 ? std::optional<generate_spec>(spec_from(selector)) : std::nullopt;
        check_null(cli::parse_expect(text, generated));
        break;
      }
      case 2: {
        null_hypothesis null;
        if ((selector & 8U) != 0) null = {null_family::uniform, -1.0, 1.0, false};
        if ((selector & 16U) != 0) null.fitted = null.family == null_family::normal;
        for (const test_kind kind : cli::parse_tests(text, null))
          if (!applies_to(kind, null)) std::abort();
        break;
      }
      default: {
        const axes parsed = cli::parse_axis(text);
        if (!parsed.rows && !parsed.columns && !parsed.table) std::abort();
        break;
      }
    }
  } catch (const cli::usage_error& e) {
    const std::string message = e.what();
    if (message.empty() || message.find('\n') != std::string::npos) {
      // A message quoting the user's text may carry the user's newline; the CLI prints it as is,
      // so a newline in the text breaks the one-line rule.
      if (text.find('\n') == std::string::npos) std::abort();
    }
  }
  return 0;
}
