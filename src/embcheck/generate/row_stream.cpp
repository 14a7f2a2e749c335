// The rows of generate_table one block at a time.
//
// Source: the kernels and their order of draws are PyTorch 1.13's (see torch_distributions.cpp
// and generate.cpp); the stream objects there keep the few values of state that a single
// normal_ or uniform_ call keeps in local variables (the position in the flat tensor, the
// current chunk of 16-blocks, whether the tail block has been drawn), so that the table's
// flat stream of rows * dim values can be cut anywhere, including inside a 16-block that
// spans two rows. generate_table itself is this stream taken all at once.
//
// Memory: the generator (2.5 KB), one chunk of 2048 floats and, for uninit, the
// std::mt19937_64 engine and the current run; nothing depends on the number of rows.

#include "embcheck/generate/row_stream.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <variant>

#include "embcheck/error.hpp"
#include "embcheck/generate/torch_distributions.hpp"
#include "embcheck/generate/uninit.hpp"

namespace embcheck {

namespace {

bool representable_float(double x) {
  return std::isfinite(x) && std::abs(x) <= static_cast<double>(std::numeric_limits<float>::max());
}

void check_spec(const generate_spec& spec) {
  if (spec.dim != 0 && spec.rows > std::numeric_limits<std::size_t>::max() / sizeof(double) / spec.dim) {
    throw error("table of rows x dim values is too large");
  }
  if (spec.padding_row && *spec.padding_row >= spec.rows) {
    throw error("padding row is outside the table");
  }
  if (spec.init == init_kind::normal) {
    if (!representable_float(spec.mean)) {
      throw error("normal mean must be finite");
    }
    if (!representable_float(spec.std) || spec.std < 0.0) {
      throw error("normal std must be finite and >= 0");
    }
  } else if (spec.init == init_kind::uniform) {
    if (!representable_float(spec.low) || !representable_float(spec.high)) {
      throw error("uniform bounds must be finite");
    }
    if (!(spec.high > spec.low)) {
      throw error("uniform high must be greater than low");
    }
    if (!representable_float(
            static_cast<double>(static_cast<float>(spec.high) - static_cast<float>(spec.low)))) {
      throw error("uniform range high - low overflows float32");
    }
  }
}

using value_stream = std::variant<detail::normal_stream, detail::uniform_stream, detail::uninit_stream>;

value_stream make_values(const generate_spec& spec) {
  const std::size_t count = spec.rows * spec.dim;
  switch (spec.init) {
    case init_kind::normal: return detail::normal_stream(count, spec.mean, spec.std, spec.rng);
    case init_kind::uniform: return detail::uniform_stream(spec.low, spec.high, spec.rng);
    case init_kind::uninit: break;
  }
  return detail::uninit_stream(count, spec.seed);
}

}  // namespace

struct row_stream::state {
  explicit state(const generate_spec& spec)
      : generator(spec.seed), values(make_values(spec)), padding_row(spec.padding_row) {}

  detail::torch_generator generator;
  value_stream values;
  std::optional<std::size_t> padding_row;
};

row_stream::row_stream(const generate_spec& spec) : rows_(spec.rows), dim_(spec.dim) {
  check_spec(spec);
  state_ = std::make_unique<state>(spec);
}

row_stream::~row_stream() = default;
row_stream::row_stream(row_stream&& other) noexcept = default;
row_stream& row_stream::operator=(row_stream&& other) noexcept = default;

template <typename T>
void row_stream::fill(std::span<T> out) {
  if (dim_ == 0) {
    if (!out.empty()) {
      throw error("row_stream: a table of dim 0 has no values");
    }
    return;
  }
  if (out.size() % dim_ != 0 || out.size() / dim_ > rows_ - next_row_) {
    throw error("row_stream: the block is not a whole number of the remaining rows");
  }
  state& s = *state_;
  if (auto* normal = std::get_if<detail::normal_stream>(&s.values)) {
    normal->fill(s.generator, out);
  } else if (auto* uniform = std::get_if<detail::uniform_stream>(&s.values)) {
    uniform->fill(s.generator, out);
  } else {
    std::get<detail::uninit_stream>(s.values).fill(out);
  }
  const std::size_t first = next_row_;
  next_row_ += out.size() / dim_;
  if (s.padding_row && *s.padding_row >= first && *s.padding_row < next_row_) {
    const auto begin = out.begin() + static_cast<std::ptrdiff_t>((*s.padding_row - first) * dim_);
    std::fill(begin, begin + static_cast<std::ptrdiff_t>(dim_), T{0});
  }
}

void row_stream::next_rows(std::span<double> out) { fill(out); }

void row_stream::next_rows(std::span<float> out) { fill(out); }

}  // namespace embcheck
