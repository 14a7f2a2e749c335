// Tables as PyTorch's CPU generator fills them (torch.manual_seed, then normal_ or uniform_).
//
// Source: PyTorch 1.13, torch/nn/modules/sparse.py (nn.Embedding.reset_parameters: normal_(0,
// 1), then the padding row filled with 0) and the ATen kernels cited in
// torch_distributions.cpp. The uninit imitation is uninit.cpp. On one thread (and for uninit,
// and tables under 2^17 values) the whole table is row_stream (row_stream.cpp) taken in one
// block, so the two cannot disagree.
//
// With several threads the table is cut into pieces at multiples of 16 values: below the end
// of the full 16-blocks, value i of normal_ and of uniform_ is made from draw i of the stream
// alone (normal_ transforms each 16-block of uniforms in place), so each piece is made from
// its own copy of the generator advanced past the draws before it (MT19937's state is
// regenerated 624 words at a time, without tempering: about 1 ns a draw against about 5 ns
// to make a value). The last piece also makes the tail block. Same bits as row_stream:
// generate_test checks both against PyTorch's tables, and against each other with tails and a
// padding row.

#include "embcheck/generate/generate.hpp"

#include <algorithm>
#include <span>

#include "embcheck/generate/row_stream.hpp"
#include "embcheck/generate/torch_distributions.hpp"
#include "embcheck/parallel.hpp"

namespace embcheck {

namespace {

/// Pieces shorter than this are not worth a thread.
constexpr std::size_t smallest_piece = std::size_t{1} << 16;

}  // namespace

table generate_table(const generate_spec& spec, unsigned threads) {
  row_stream stream(spec);  // validates spec
  table result;
  result.rows = spec.rows;
  result.dim = spec.dim;
  result.source_type = element_type::float32;
  result.floats.resize(spec.rows * spec.dim);
  const std::size_t count = result.floats.size();
  const std::size_t blocks = count / 16;
  const std::size_t pieces = spec.init == init_kind::uninit
                                 ? 1
                                 : std::min<std::size_t>(std::max(1u, threads), count / smallest_piece);
  if (pieces <= 1) {
    stream.next_rows(std::span<float>(result.floats));
    return result;
  }
  // Piece k starts at 16 * floor(blocks k / pieces): at most the full blocks' end minus 16
  // for k < pieces (blocks >= 4096 pieces), so before the tail block.
  detail::parallel_for(pieces, threads, [&](std::size_t k, unsigned) {
    const std::size_t begin = 16 * (blocks * k / pieces);
    const std::size_t end = k + 1 == pieces ? count : 16 * (blocks * (k + 1) / pieces);
    const std::span<float> piece(result.floats.data() + begin, end - begin);
    detail::torch_generator generator(spec.seed);
    if (spec.init == init_kind::normal) {
      detail::normal_stream values(count, spec.mean, spec.std, spec.rng);
      values.seek(generator, begin);
      values.fill(generator, piece);
    } else {
      generator.engine.discard(begin);
      detail::uniform_stream(spec.low, spec.high, spec.rng).fill(generator, piece);
    }
  });
  if (spec.padding_row) {
    const auto row = result.floats.begin() + static_cast<std::ptrdiff_t>(*spec.padding_row * spec.dim);
    std::fill(row, row + static_cast<std::ptrdiff_t>(spec.dim), 0.0F);
  }
  return result;
}

}  // namespace embcheck
