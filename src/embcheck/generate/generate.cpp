// Tables as PyTorch's CPU generator fills them (torch.manual_seed, then normal_ or uniform_).
//
// Source: PyTorch 1.13, torch/nn/modules/sparse.py (nn.Embedding.reset_parameters: normal_(0,
// 1), then the padding row filled with 0) and the ATen kernels cited in
// torch_distributions.cpp. The uninit imitation is uninit.cpp. The whole table is row_stream
// (row_stream.cpp) taken in one block, so the two cannot disagree.

#include "embcheck/generate/generate.hpp"

#include <span>

#include "embcheck/generate/row_stream.hpp"

namespace embcheck {

table generate_table(const generate_spec& spec) {
  row_stream stream(spec);
  table result;
  result.rows = spec.rows;
  result.dim = spec.dim;
  result.source_type = element_type::float32;
  result.values.resize(spec.rows * spec.dim);
  stream.next_rows(std::span<double>(result.values));
  return result;
}

}  // namespace embcheck
