// Tables as PyTorch's CPU generator fills them (torch.manual_seed, then normal_ or uniform_).
//
// Source: PyTorch 1.13, torch/nn/modules/sparse.py (nn.Embedding.reset_parameters: normal_(0,
// 1), then the padding row filled with 0) and the ATen kernels cited in
// torch_distributions.cpp. The uninit imitation is generate_uninit (uninit.cpp).

#include "embcheck/generate/generate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>

#include "embcheck/error.hpp"
#include "embcheck/generate/torch_distributions.hpp"
#include "embcheck/generate/uninit.hpp"

namespace embcheck {

namespace {

std::size_t checked_count(std::size_t rows, std::size_t dim) {
  if (dim != 0 && rows > std::numeric_limits<std::size_t>::max() / sizeof(double) / dim) {
    throw error("table of rows x dim values is too large");
  }
  return rows * dim;
}

bool representable_float(double x) {
  return std::isfinite(x) && std::abs(x) <= static_cast<double>(std::numeric_limits<float>::max());
}

void check_parameters(const generate_spec& spec) {
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

}  // namespace

table generate_table(const generate_spec& spec) {
  const std::size_t count = checked_count(spec.rows, spec.dim);
  if (spec.padding_row && *spec.padding_row >= spec.rows) {
    throw error("padding row is outside the table");
  }
  table result;
  if (spec.init == init_kind::uninit) {
    result = generate_uninit(spec);
  } else {
    check_parameters(spec);
    result.rows = spec.rows;
    result.dim = spec.dim;
    result.source_type = element_type::float32;
    result.values.resize(count);
    detail::torch_generator generator(spec.seed);
    const std::span<double> values(result.values);
    if (spec.init == init_kind::normal) {
      detail::normal_fill(generator, values, spec.mean, spec.std, spec.rng);
    } else {
      detail::uniform_fill(generator, values, spec.low, spec.high, spec.rng);
    }
  }
  if (spec.padding_row) {
    const auto first = result.values.begin() + static_cast<std::ptrdiff_t>(*spec.padding_row * result.dim);
    std::fill(first, first + static_cast<std::ptrdiff_t>(result.dim), 0.0);
  }
  return result;
}

}  // namespace embcheck
