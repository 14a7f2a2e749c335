#!/usr/bin/python3
"""Writes tests/fixtures/readers/: tables written by real tools and manifest.json with the values
the readers must return (repr of the exact float64 values) or the substring of their error.

- .npz by numpy.savez and numpy.savez_compressed (NumPy 1.24);
- .safetensors assembled here by the documented layout (8-byte little-endian header length, JSON
  header, numpy's raw little-endian bytes), as Debian bookworm has no python3-safetensors;
- a torch-derived table: nn.Embedding(6, 4) weights (PyTorch 1.13, seed 0) dumped via numpy;
- a .vec trained by Debian's fasttext 0.9.2 (skipgram -dim 8 -epoch 1 -minCount 1 -thread 1) on a
  small text; it is committed and this script reuses it unless REGENERATE_FASTTEXT=1 (fastText's
  training is not bit-reproducible across machines);
- GloVe-style text and raw little-endian bytes written here.

Run: /usr/bin/python3 tests/scripts/make_reader_fixtures.py   (deterministic, fixed seeds)
"""

import io
import json
import os
import pathlib
import struct
import subprocess
import tempfile
import warnings
import zipfile

import numpy as np
import torch

OUT = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "readers"
OUT.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(5)
manifest = {"valid": [], "invalid": []}


def values_of(array):
    a = np.asarray(array, dtype=np.float64)
    a = a.reshape(1, -1) if a.ndim == 1 else a
    return {"rows": a.shape[0], "dim": a.shape[1], "values": [repr(float(v)) for v in a.reshape(-1)]}


def valid(name, data, fmt, array, tensor="", words=None, dtype="", dim=0):
    (OUT / name).write_bytes(data)
    entry = {"file": name, "format": fmt, "tensor": tensor, "dtype": dtype, "dim_option": dim}
    entry.update(values_of(array))
    if words is not None:
        entry["words"] = words
    manifest["valid"].append(entry)


def invalid(name, data, fmt, error, tensor="", dtype="", dim=0):
    (OUT / name).write_bytes(data)
    manifest["invalid"].append({"file": name, "format": fmt, "error": error, "tensor": tensor, "dtype": dtype,
                                "dim_option": dim})


def npz(compressed, **arrays):
    buffer = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buffer, **arrays)
    return buffer.getvalue()


def safetensors(tensors, metadata=None, header_override=None):
    header, data = {}, b""
    for name, array in tensors.items():
        raw, dtype = array
        header[name] = {"dtype": dtype, "shape": list(raw.shape) if hasattr(raw, "shape") else raw[1],
                        "data_offsets": [len(data), len(data) + len(raw.tobytes())]}
        data += raw.tobytes()
    if metadata is not None:
        header["__metadata__"] = metadata
    text = json.dumps(header if header_override is None else header_override).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data


# numpy .npz
emb = rng.standard_normal((7, 5)).astype(np.float32)
bias = rng.standard_normal(5)
valid("stored.npz", npz(False, weight=emb, bias=bias), "npz", emb, tensor="weight")
valid("stored_bias.npz", npz(False, weight=emb, bias=bias), "npz", bias, tensor="bias")
valid("compressed.npz", npz(True, weight=emb, bias=bias), "npz", emb, tensor="weight")
valid("single.npz", npz(True, table=emb.astype(np.float16)), "npz", emb.astype(np.float16))
invalid("missing_name.npz", npz(True, weight=emb, bias=bias), "npz",
        "no array 'nope' in the .npz; it holds: 'weight', 'bias'", tensor="nope")
invalid("ambiguous.npz", npz(False, weight=emb, bias=bias), "npz", "holds 2 arrays, choose one with --tensor")
good = npz(True, weight=emb)
invalid("cut.npz", good[: len(good) // 2], "npz", "no zip end of central directory")
corrupt = bytearray(good)
corrupt[60] ^= 0xFF
invalid("corrupt.npz", bytes(corrupt), "npz", "invalid .npz")
invalid("int.npz", npz(False, weight=np.arange(6, dtype=np.int32)), "npz", "dtype '<i4' is not supported")
# A name twice: Python's zipfile (numpy.load) would read the last, a scan of local headers the first.
twice = io.BytesIO()
with warnings.catch_warnings(), zipfile.ZipFile(twice, "w") as archive:
    warnings.simplefilter("ignore")  # zipfile warns "Duplicate name" and writes it
    for array in (emb, emb[:3]):
        member = io.BytesIO()
        np.save(member, array)
        archive.writestr(zipfile.ZipInfo("weight.npy", date_time=(1980, 1, 1, 0, 0, 0)), member.getvalue())
invalid("duplicate.npz", twice.getvalue(), "npz", "member 'weight.npy' appears twice", tensor="weight")

# safetensors
table16 = rng.standard_normal((4, 3)).astype(np.float16)
table32 = rng.standard_normal((5, 4)).astype(np.float32)
table64 = rng.standard_normal(6)
bf16_bits = (table32.view(np.uint32) >> 16).astype("<u2")
bf16_values = (bf16_bits.astype(np.uint32) << 16).view(np.float32)
tensors = {"embed.weight": (table32, "F32"), "half": (table16, "F16"), "vector": (table64, "F64")}
valid("model.safetensors", safetensors(tensors, {"format": "pt"}), "safetensors", table32, tensor="embed.weight")
valid("model_half.safetensors", safetensors(tensors), "safetensors", table16, tensor="half")
valid("model_vector.safetensors", safetensors(tensors), "safetensors", table64, tensor="vector")
valid("bf16.safetensors", safetensors({"w": (bf16_bits, "BF16")}), "safetensors", bf16_values)
invalid("missing.safetensors", safetensors(tensors), "safetensors",
        "no tensor 'weight' in the safetensors file; it holds: 'embed.weight', 'half', 'vector'", tensor="weight")
invalid("ambiguous.safetensors", safetensors(tensors), "safetensors", "holds 3 tensors")
invalid("i64.safetensors", safetensors({"ids": (np.arange(4, dtype="<i8"), "I64")}), "safetensors",
        "has dtype I64: only F16, BF16, F32 and F64")
lying = safetensors({"w": (table32, "F32")}, header_override={
    "w": {"dtype": "F32", "shape": [5, 5], "data_offsets": [0, 80]}})
invalid("lying_shape.safetensors", lying + table32.tobytes(), "safetensors", "needs 100 bytes")
full = safetensors({"w": (table32, "F32")})
invalid("cut.safetensors", full[:-4], "safetensors", "truncated safetensors")
invalid("cut_header.safetensors", full[:20], "safetensors", "truncated safetensors: header of")
invalid("number_overflow.safetensors", struct.pack("<Q", 19) + b'{"w": 1e9999999999}', "safetensors",
        "a number is out of range")  # found by libFuzzer: nlohmann/json throws out_of_range here
invalid("bad_json.safetensors", struct.pack("<Q", 8) + b'{"w": 1,', "safetensors", "JSON syntax error")
# A tensor name twice (json.dumps cannot write it): safetensors' own reader refuses such a file.
twice_header = (b'{"w": {"dtype": "F32", "shape": [5, 4], "data_offsets": [0, 80]}, '
                b'"w": {"dtype": "F32", "shape": [2, 4], "data_offsets": [0, 32]}}')
twice_header += b" " * (-len(twice_header) % 8)
invalid("duplicate.safetensors", struct.pack("<Q", len(twice_header)) + twice_header + table32.tobytes(),
        "safetensors", "key 'w' appears twice in one object")

# torch: nn.Embedding weights dumped through numpy
torch.manual_seed(0)
weights = torch.nn.Embedding(6, 4).weight.detach().numpy()
buffer = io.BytesIO()
np.save(buffer, weights)
valid("torch_embedding.npy", buffer.getvalue(), "npy", weights)

# raw little-endian bytes
valid("raw_f32.bin", table32.astype("<f4").tobytes(), "raw", table32, dtype="f32", dim=4)
valid("raw_f16.bin", table16.astype("<f2").tobytes(), "raw", table16, dtype="f16", dim=3)
valid("raw_bf16.bin", bf16_bits.tobytes(), "raw", bf16_values, dtype="bf16", dim=4)
valid("raw_f64.bin", table64.astype("<f8").tobytes(), "raw", table64.reshape(3, 2), dtype="f64", dim=2)
invalid("raw_ragged.bin", table32.astype("<f4").tobytes()[:-4], "raw", "partial row at offset 64", dtype="f32", dim=4)
invalid("raw_partial.bin", table32.astype("<f4").tobytes()[:-1], "raw", "partial value at offset 76", dtype="f32",
        dim=4)

# GloVe-style and .vec text
words = ["the", "cat", "sat", "on", "mat"]
glove_values = np.round(rng.standard_normal((5, 3)), 6)
glove = "".join(w + " " + " ".join(repr(float(v)) for v in row) + "\n" for w, row in zip(words, glove_values))
valid("glove.txt", glove.encode(), "text", glove_values, words=words)
invalid("ragged.txt", (glove + "dog 1.0 2.0\n").encode(), "text", "line 6: ragged row of 2 values, expected 3")
invalid("token.txt", glove.replace("cat ", "cat x", 1).encode(), "text", "line 2: value 1")
invalid("nan.txt", (glove + "dog nan 1 2\n").encode(), "text", "line 6: value 1 'nan' is not finite")
invalid("inf.txt", (glove + "dog 1 -inf 2\n").encode(), "text", "line 6: value 2 '-inf' is not finite")
invalid("empty.txt", b"", "text", "empty input")
invalid("header_lies.vec", ("9 3\n" + glove).encode(), "text", "the header declares 9 rows")

vec_path = OUT / "fasttext.vec"
if os.environ.get("REGENERATE_FASTTEXT") == "1" or not vec_path.exists():
    corpus = " ".join(["the quick brown fox jumps over the lazy dog", "a cat sat on the mat",
                       "embedding tables hold the distribution their init claims"] * 40)
    with tempfile.TemporaryDirectory() as tmp:
        (pathlib.Path(tmp) / "corpus.txt").write_text(corpus + "\n")
        subprocess.run(["fasttext", "skipgram", "-input", f"{tmp}/corpus.txt", "-output", f"{tmp}/model", "-dim", "8",
                        "-epoch", "1", "-minCount", "1", "-thread", "1", "-seed", "1"],
                       check=True, capture_output=True)
        vec_path.write_bytes((pathlib.Path(tmp) / "model.vec").read_bytes())
lines = vec_path.read_text().splitlines()
count, dim = map(int, lines[0].split())
vec_words = [line.split()[0] for line in lines[1:]]
vec_values = np.array([[float(t) for t in line.split()[1:]] for line in lines[1:]])
assert vec_values.shape == (count, dim)
manifest["valid"].append(dict({"file": "fasttext.vec", "format": "text", "tensor": "", "dtype": "", "dim_option": 0,
                               "words": vec_words}, **values_of(vec_values)))

# word2vec binary, laid out as word2vec.c (-binary 1) writes it: "count dim\n", then per word
# "word " + dim float32 + "\n" (Debian has no word2vec package; the vectors are fastText's above).
vec32 = vec_values.astype("<f4")
w2v = f"{count} {dim}\n".encode() + b"".join(w.encode() + b" " + row.tobytes() + b"\n" for w, row in zip(vec_words, vec32))
valid("word2vec.bin", w2v, "word2vec", vec32, words=vec_words)
invalid("word2vec_cut.bin", w2v[:-40], "word2vec", "truncated word2vec binary")
invalid("word2vec_header.bin", b"21 x\n" + w2v[6:], "word2vec", "is not \"count dim\"")

# UTF-8 words (bytes of 0x80 and above) in a .vec text file and in word2vec's binary format: the
# CLI tells the two apart by what follows the first word (decimal text or raw float32 bytes),
# not by the bytes of the words (tests/cli/CMakeLists.txt reads both without --input-format).
utf8_words = ["été", "naïve", "東京"]
utf8_values = np.round(rng.standard_normal((3, 4)), 6)
utf8_vec = "3 4\n" + "".join(w + " " + " ".join(repr(float(v)) for v in row) + "\n"
                             for w, row in zip(utf8_words, utf8_values))
valid("utf8_words.vec", utf8_vec.encode(), "text", utf8_values, words=utf8_words)
utf8_32 = utf8_values.astype("<f4")
utf8_w2v = b"3 4\n" + b"".join(w.encode() + b" " + row.tobytes() + b"\n" for w, row in zip(utf8_words, utf8_32))
valid("utf8_words.bin", utf8_w2v, "word2vec", utf8_32, words=utf8_words)

(OUT / "manifest.json").write_text(json.dumps(manifest, indent=1))
