#!/usr/bin/python3
"""Writes the seed corpora of the reader fuzz targets, tests/fuzz/corpus/<target>/: small valid and
malformed files from tests/fixtures/readers (written by numpy, fastText and the layouts documented
in tests/scripts/make_reader_fixtures.py) and a few more made here, with the selector bytes the
targets expect in front (fuzz_raw: element type and row length; fuzz_input: extension, --tensor,
--dim, --input-format and --dtype). The corpora of fuzz_npy and fuzz_options are older and
hand-made; this script does not touch them.

Run: /usr/bin/python3 tests/fuzz/make_corpus.py   (deterministic: fixed data, no timestamps)
"""

import io
import pathlib
import struct
import zipfile

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent
READERS = ROOT.parent / "fixtures" / "readers"
CORPUS = ROOT / "corpus"


def put(target, name, data):
    directory = CORPUS / target
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(data)


def fixture(name):
    return (READERS / name).read_bytes()


def npy(array):
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


class Unseekable(io.RawIOBase):
    """A write-only stream without tell/seek: zipfile then writes data descriptors (flag bit 3)."""

    def __init__(self):
        self.data = bytearray()

    def writable(self):
        return True

    def write(self, b):
        self.data += b
        return len(b)


def zip_of(members, compression, streamed=False):
    """A zip of .npy members with fixed timestamps (numpy.savez uses the current time)."""
    sink = Unseekable() if streamed else io.BytesIO()
    with zipfile.ZipFile(sink, "w", compression=compression) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name + ".npy", date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = compression
            with archive.open(info, "w", force_zip64=True) as member:
                member.write(data)
    return bytes(sink.data) if streamed else sink.getvalue()


small = np.arange(6, dtype=np.float32).reshape(2, 3) / 4
column = np.array([0.5, -1.0, 2.0], dtype=np.float64)

# fuzz_npz: numpy's own archives, zipfile's streamed layout (data descriptors), broken ones.
for name in ["stored.npz", "compressed.npz", "single.npz", "cut.npz", "corrupt.npz", "int.npz"]:
    put("npz", name, fixture(name))
put("npz", "streamed_deflate.npz", zip_of({"weight": npy(small)}, zipfile.ZIP_DEFLATED, streamed=True))
put("npz", "stored_f8_1d.npz", zip_of({"weight": npy(column)}, zipfile.ZIP_STORED))
put("npz", "empty_archive.npz", zip_of({}, zipfile.ZIP_STORED))

# fuzz_safetensors: valid tensors of each dtype, then broken headers.
for name in ["model.safetensors", "model_half.safetensors", "model_vector.safetensors", "bf16.safetensors",
             "i64.safetensors", "lying_shape.safetensors", "cut.safetensors", "cut_header.safetensors",
             "number_overflow.safetensors", "bad_json.safetensors"]:
    put("safetensors", name, fixture(name))
header = b'{"__metadata__":{"format":"pt"},"w":{"dtype":"F64","shape":[3],"data_offsets":[0,24]}}'
put("safetensors", "metadata_f64.safetensors", struct.pack("<Q", len(header)) + header + column.tobytes())

# fuzz_word_vectors: GloVe, fastText .vec, header and token problems.
for name in ["glove.txt", "fasttext.vec", "header_lies.vec", "ragged.txt", "token.txt", "nan.txt"]:
    put("word_vectors", name, fixture(name))
put("word_vectors", "tabs_crlf.txt", b"the\t0.5\t-1e-3\r\nof +2 1.5E2\r\n")
put("word_vectors", "header.vec", b"2 3\nking 0.1 0.2 0.3 \nqueen -0.1 0.25 3e-5 \n")

# fuzz_word2vec: word2vec.c -binary 1 layout, with and without newlines between words.
for name in ["word2vec.bin", "word2vec_cut.bin", "word2vec_header.bin"]:
    put("word2vec", name, fixture(name))
rows = np.array([[0.5, -1.0], [2.0, 0.25]], dtype="<f4")
put("word2vec", "no_newlines.bin", b"2 2\n" + b"a " + rows[0].tobytes() + b"bc " + rows[1].tobytes())
put("word2vec", "crlf.bin", b"2 2\r\n" + b"a " + rows[0].tobytes() + b"\r\nbc " + rows[1].tobytes() + b"\r\n")

# fuzz_raw: byte 0 the element type (0 f16, 1 bf16, 2 f32, 3 f64), byte 1 the row length - 1.
for name, type_index, dim in [("raw_f16.bin", 0, 3), ("raw_bf16.bin", 1, 4), ("raw_f32.bin", 2, 4),
                              ("raw_f64.bin", 3, 2), ("raw_partial.bin", 2, 4), ("raw_ragged.bin", 2, 4)]:
    put("raw", name, bytes([type_index, dim - 1]) + fixture(name))
put("raw", "f16_specials.bin", bytes([0, 0]) + np.array([0, 0x8000, 0x7C00, 0xFC00, 0x7E00, 1, 0x3C00],
                                                        dtype="<u2").tobytes())

# fuzz_input: byte 0 = extension index (0 none, 1 .npy, 2 .npz, 3 .safetensors, 4 .vec, 5 .txt,
# 6 .bin, 7 .dat) + 8 for --tensor weight + 16 * --dim; byte 1 = --input-format index (0-2 auto,
# 3 npy, 4 npz, 5 safetensors, 6 text, 7 word2vec, 8 raw) + 9 * --dtype index (0 none, 1 f32,
# 2 f64, 3 f16, 4 bf16, 5 f8).
inputs = [
    ("torch_embedding.npy", 0, 0), ("stored.npz", 2 + 8, 0), ("single.npz", 0, 0), ("model_vector.safetensors", 3, 0),
    ("bf16.safetensors", 0, 0), ("glove.txt", 5, 0), ("fasttext.vec", 0, 0), ("word2vec.bin", 6, 0),
    ("raw_f32.bin", 6 + 16 * 4, 8 + 9 * 1), ("raw_f16.bin", 7 + 16 * 3, 0 + 9 * 3), ("cut.npz", 2, 4),
    ("token.txt", 4, 6), ("raw_partial.bin", 16 * 4, 9 * 1),
]
for name, first, second in inputs:
    put("input", name, bytes([first, second]) + fixture(name))
