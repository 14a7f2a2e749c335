#pragma once
/// \file json_writer.hpp
/// Two ways to write one JSON document from the same calls (internal to report/): as an
/// nlohmann tree, or straight into text laid out exactly as that tree's dump(2) would be, for
/// reports of many rows where building and destroying a tree per row costs more than the rest
/// of the report.

#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace embcheck::detail {

/// Builds an nlohmann::ordered_json from begin/key/value/end calls.
class json_tree_builder {
 public:
  /// Starts an object (at the top, as the next array element, or as the value of the last key).
  void begin_object() { open(nlohmann::ordered_json::object()); }
  /// Starts an array.
  void begin_array() { open(nlohmann::ordered_json::array()); }
  /// Ends the innermost object or array.
  void end() { stack_.pop_back(); }
  /// Names the next value of the innermost object.
  void key(std::string_view name) { key_ = name; }
  /// A null.
  void value(std::nullptr_t) { slot() = nullptr; }
  /// A boolean.
  void value(bool flag) { slot() = flag; }
  /// An unsigned integer.
  void value(std::uint64_t number) { slot() = number; }
  /// A number (finite: the callers write null for the others).
  void value(double number) { slot() = number; }
  /// A string.
  void value(std::string_view text) { slot() = std::string(text); }
  /// A string (not the bool a pointer converts to).
  void value(const char* text) { value(std::string_view(text)); }
  /// The document built.
  [[nodiscard]] nlohmann::ordered_json& result() noexcept { return root_; }

 private:
  nlohmann::ordered_json& slot() {
    if (stack_.empty()) return root_;
    nlohmann::ordered_json& parent = *stack_.back();
    if (parent.is_array()) {
      parent.push_back(nullptr);
      return parent.back();
    }
    return parent[key_];
  }
  void open(nlohmann::ordered_json container) {
    nlohmann::ordered_json& at = slot();
    at = std::move(container);
    stack_.push_back(&at);  // stable: only the innermost container grows while it is open
  }

  nlohmann::ordered_json root_;
  std::vector<nlohmann::ordered_json*> stack_;
  std::string key_;
};

/// Appends to a string the text that nlohmann's dump(2, ' ', false, error_handler_t::replace)
/// writes for the same calls, every line after the first indented by `indent` more spaces; or,
/// compact, what dump(-1, ...) writes (one line, no spaces).
class json_text_writer {
 public:
  /// Writes into `out`; lines after the first start with `indent` extra spaces.
  json_text_writer(std::string& out, std::size_t indent) : out_(out), indent_(indent) {}
  /// Writes into `out` on one line, as dump(-1) (NDJSON records).
  static json_text_writer compact(std::string& out) {
    json_text_writer writer(out, 0);
    writer.compact_ = true;
    return writer;
  }
  /// Starts an object.
  void begin_object() { open('{'); }
  /// Starts an array.
  void begin_array() { open('['); }
  /// Ends the innermost object or array ("{}" or "[]" when empty).
  void end() {
    const level closed = stack_.back();
    stack_.pop_back();
    if (closed.members > 0) new_line();
    out_ += closed.close;
  }
  /// Names the next value of the innermost object.
  void key(std::string_view name) {
    separate();
    out_ += '"';
    out_ += name;  // the report's own keys: plain ASCII, nothing to escape
    out_ += compact_ ? "\":" : "\": ";
    keyed_ = true;
  }
  /// A null.
  void value(std::nullptr_t) { scalar("null"); }
  /// A boolean.
  void value(bool flag) { scalar(flag ? "true" : "false"); }
  /// An unsigned integer.
  void value(std::uint64_t number) {
    std::array<char, 24> digits{};
    const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), number).ptr;
    scalar(std::string_view(digits.data(), static_cast<std::size_t>(end - digits.data())));
  }
  /// A finite number, in nlohmann's own shortest form (its Grisu2 to_chars).
  void value(double number) {
    std::array<char, 64> digits{};
    const char* end = nlohmann::detail::to_chars(digits.data(), digits.data() + digits.size(), number);
    scalar(std::string_view(digits.data(), static_cast<std::size_t>(end - digits.data())));
  }
  /// A string, escaped by nlohmann itself (invalid UTF-8 replaced by U+FFFD).
  void value(std::string_view text) {
    scalar(nlohmann::ordered_json(std::string(text))
               .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
  }
  /// A string (not the bool a pointer converts to).
  void value(const char* text) { value(std::string_view(text)); }

 private:
  struct level {
    char close;
    std::size_t members;
  };
  void new_line() {
    if (compact_) return;
    out_ += '\n';
    out_.append(indent_ + 2 * stack_.size(), ' ');
  }
  /// Before an array element or an object's key: a comma after the previous one, a new line.
  void separate() {
    if (stack_.empty()) return;
    if (stack_.back().members++ > 0) out_ += ',';
    new_line();
  }
  void scalar(std::string_view text) {
    if (!keyed_) separate();
    keyed_ = false;
    out_ += text;
  }
  void open(char opening) {
    if (!keyed_) separate();
    keyed_ = false;
    out_ += opening;
    stack_.push_back({opening == '{' ? '}' : ']', 0});
  }

  std::string& out_;
  std::size_t indent_;
  std::vector<level> stack_;
  bool keyed_ = false;    ///< a key was written; the next value follows it on the same line
  bool compact_ = false;  ///< dump(-1)'s layout
};

/// key then value.
template <class Writer, class Value>
void field(Writer& out, std::string_view name, const Value& value) {
  out.key(name);
  out.value(value);
}

/// A finite number, or null (JSON has no NaN or Infinity).
template <class Writer>
void number_field(Writer& out, std::string_view name, double value) {
  out.key(name);
  if (std::isfinite(value)) {
    out.value(value);
  } else {
    out.value(nullptr);
  }
}

}  // namespace embcheck::detail
