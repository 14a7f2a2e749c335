#!/usr/bin/python3
"""Writes tests/fixtures/npy/: .npy files made by NumPy (1.24) or assembled by hand, and
manifest.json describing what parse_npy must return for each (shape and element bit patterns) or
the substring its error message must contain, plus arrays saved by numpy.save that
to_npy_float32 must reproduce byte for byte.

Every valid file is checked here to load with numpy.load to the recorded values; every
hand-assembled malformed header is checked to be rejected by numpy.load too; the manifest records
for each rejected file whether numpy.load accepts it (other dtypes, empty shapes, trailing bytes).

Run: /usr/bin/python3 tests/scripts/make_npy_fixtures.py   (deterministic, no randomness)
"""

import io
import json
import pathlib
import struct
import warnings

import numpy as np

OUT = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "npy"
MAGIC = b"\x93NUMPY"


def saved(array, version=None):
    """The bytes numpy writes for `array` (format version chosen by numpy unless given)."""
    buffer = io.BytesIO()
    if version is None:
        np.save(buffer, array, allow_pickle=False)
    else:
        np.lib.format.write_array(buffer, array, version=version, allow_pickle=False)
    return buffer.getvalue()


def assembled(header, data, version=(1, 0), align=64):
    """A .npy image with a hand-written header text, laid out like numpy's _wrap_header."""
    length_format = "<H" if version == (1, 0) else "<I"
    encoded = header.encode("latin1" if version != (3, 0) else "utf8")
    prefix_size = len(MAGIC) + 2 + struct.calcsize(length_format)
    padding = align - (prefix_size + len(encoded) + 1) % align
    encoded += b" " * padding + b"\n"
    return MAGIC + bytes(version) + struct.pack(length_format, len(encoded)) + encoded + data


def loads(image):
    return np.load(io.BytesIO(image), allow_pickle=False)


def element_bits(array):
    """Hex bit patterns of the elements in C order, as unsigned integers of the element size."""
    unsigned = {2: "<u2", 4: "<u4", 8: "<u8"}[array.dtype.itemsize]
    flat = np.ascontiguousarray(array).reshape(-1).astype(array.dtype.newbyteorder("<"))
    return ["0x%0*x" % (array.dtype.itemsize * 2, int(v)) for v in flat.view(unsigned)]


valid = []
invalid = []
written = []


def add_valid(name, image, note):
    array = loads(image)  # numpy itself must accept the file
    assert array.ndim in (1, 2) and array.dtype in (np.float16, np.float32, np.float64), name
    shape = [1, array.shape[0]] if array.ndim == 1 else list(array.shape)
    (OUT / name).write_bytes(image)
    # float16 values are recorded as the float32 bits they convert to exactly (parse_npy's table type).
    as_table = array.astype(np.float32) if array.dtype == np.float16 else array
    valid.append({"file": name, "note": note, "rows": shape[0], "dim": shape[1],
                  "type": str(array.dtype), "bits": element_bits(as_table)})


def add_invalid(name, image, error, numpy_rejects=False):
    """A file parse_npy must reject; numpy_rejects: numpy.load must reject it too."""
    try:
        loads(image)
        accepted = True
    except Exception:  # noqa: BLE001 - any numpy failure counts as rejection
        accepted = False
    assert not (numpy_rejects and accepted), name
    (OUT / name).write_bytes(image)
    invalid.append({"file": name, "error": error, "numpy_accepts": accepted})


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.npy"):
        old.unlink()
    warnings.simplefilter("ignore")

    specials32 = np.array([[0.0, -0.0, 1.5, np.nan],
                           [np.inf, -np.inf, 1e-45, np.finfo(np.float32).max],
                           [-2.5, 0.1, 1.0 / 3.0, 123456.789]], dtype=np.float32)
    specials64 = np.array([[0.0, -0.0, 5e-324, np.nan],
                           [np.inf, -1e308, 0.1, -1.0 / 3.0]], dtype=np.float64)
    ramp32 = (np.arange(10, dtype=np.float32) * np.float32(0.25) - np.float32(1.0)).reshape(2, 5)
    ramp64 = np.arange(6, dtype=np.float64) / 7.0

    add_valid("f4_2d_v1.npy", saved(specials32), "float32 3x4 with specials, numpy.save")
    add_valid("f8_2d_v1.npy", saved(specials64), "float64 2x4 with specials, numpy.save")
    add_valid("f4_1d_v1.npy", saved(ramp32.reshape(-1)), "float32 shape (10,): one row")
    add_valid("f8_1d_v2.npy", saved(ramp64, (2, 0)), "float64 (6,), format 2.0")
    add_valid("f4_2d_v2.npy", saved(ramp32, (2, 0)), "float32 2x5, format 2.0")
    add_valid("f8_2d_v3.npy", saved(ramp64.reshape(3, 2), (3, 0)), "float64 3x2, format 3.0")
    add_valid("f4_1x1.npy", saved(np.array([[-7.0]], dtype=np.float32)), "float32 1x1")
    add_valid("f4_pipe.npy", saved(ramp32).replace(b"'<f4'", b"'|f4'"), "descr '|f4' (native)")
    add_valid("f8_equals.npy", saved(ramp64).replace(b"'<f8'", b"'=f8'"), "descr '=f8' (native)")
    add_valid("f4_bare.npy",
              assembled("{'descr': 'f4', 'fortran_order': False, 'shape': (2, 5), }", ramp32.tobytes()),
              "descr 'f4' without byte-order mark")
    add_valid("f8_name.npy",
              assembled("{'descr': 'float64', 'fortran_order': False, 'shape': (6,), }", ramp64.tobytes()),
              "descr 'float64'")
    add_valid("f4_reordered.npy",
              assembled('{ "shape" :( 2 ,\t5 ) ,\n"fortran_order":False,  "descr" : "<" "f4"}',
                        ramp32.tobytes()),
              "keys reordered, double quotes, string concatenation, odd spaces, no trailing comma")
    add_valid("f4_long_suffix.npy",
              assembled("{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 5L), }", ramp32.tobytes()),
              "Python 2 'L' suffixes, format 1.0")
    add_valid("f4_align16.npy",
              assembled("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 5), }", ramp32.tobytes(),
                        align=16),
              "header padded to 16 bytes as numpy < 1.14 did")
    add_valid("f4_duplicate_key.npy",
              assembled("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 5), 'descr': '<f4'}",
                        ramp32.tobytes()),
              "repeated key: the last value counts, as in Python")
    add_valid("f4_underscore.npy",
              assembled("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1_0)}",
                        np.arange(20, dtype=np.float32).tobytes()),
              "integers with underscores")

    base = saved(ramp32)  # 128 header bytes, 40 data bytes
    assert len(base) == 168
    add_invalid("bad_magic.npy", b"\x93NUMPZ" + base[6:], "bad magic at offset 0")
    add_invalid("short_magic.npy", base[:4], "bad magic at offset 0")
    add_invalid("empty.npy", b"", "bad magic at offset 0")
    add_invalid("no_version.npy", base[:7], "truncated header")
    add_invalid("version_4.npy", base[:6] + b"\x04\x00" + base[8:], "unsupported .npy version 4.0 at offset 6")
    add_invalid("version_1_1.npy", base[:6] + b"\x01\x01" + base[8:], "unsupported .npy version 1.1")
    add_invalid("cut_header_length.npy", base[:9], "truncated header")
    add_invalid("cut_header.npy", base[:60], "truncated header: header of 118 bytes at offset 10 needs 128")
    add_invalid("cut_data.npy", base[:-3], "truncated: expected 40 data bytes at offset 128, found 37")
    add_invalid("no_data.npy", base[:128], "truncated: expected 40 data bytes at offset 128, found 0")
    add_invalid("trailing.npy", base + b"\0\0\0\0", "4 unexpected bytes after the data, at offset 168")
    add_invalid("i4.npy", saved(np.arange(6, dtype="<i4").reshape(2, 3)),
                "dtype '<i4' is not supported: expected float16, float32 or float64")
    add_valid("f2.npy", saved(np.array([0.0, -1.5, 65504.0, 6e-8, np.inf, -0.0], dtype="<f2")),
              "float16 1-D with subnormal, largest and infinite values, numpy.save")
    add_invalid("big_endian_f2.npy", saved(np.ones(3, dtype=">f2")), "dtype '>f2' is big-endian")
    add_invalid("c8.npy", saved(np.zeros(3, dtype="<c8")), "dtype '<c8' is not supported")
    add_invalid("structured.npy", saved(np.zeros(3, dtype=[("a", "<f4"), ("b", "<f4")])),
                "dtype [('a', '<f4'), ('b', '<f4')] is not supported")
    add_invalid("big_endian_f4.npy", saved(ramp32.astype(">f4")), "dtype '>f4' is big-endian")
    add_invalid("big_endian_f8.npy", saved(ramp64.astype(">f8")), "dtype '>f8' is big-endian")
    add_valid("fortran.npy", saved(np.asfortranarray(ramp32)), "float32 2x5 in Fortran order, numpy.save")
    add_valid("fortran_f8_1d.npy", saved(np.asfortranarray(ramp64.reshape(-1))), "float64 1-D, fortran_order True")
    add_valid("fortran_f2.npy", saved(np.asfortranarray(ramp32.astype(np.float16).reshape(5, 2))),
              "float16 5x2 in Fortran order, numpy.save")
    add_invalid("three_d.npy", saved(np.zeros((2, 3, 4), dtype=np.float32)),
                "shape (2, 3, 4) has 3 dimensions")
    add_invalid("scalar.npy", saved(np.float32(1.0) * np.ones((), dtype=np.float32)), "shape () is a scalar")
    add_invalid("zero_rows.npy", saved(np.zeros((0, 5), dtype=np.float32)), "shape (0, 5) has 0 rows")
    add_invalid("zero_columns.npy", saved(np.zeros((5, 0), dtype=np.float32)), "shape (5, 0) has 0 columns")
    add_invalid("zero_values.npy", saved(np.zeros((0,), dtype=np.float64)), "shape (0,) has 0 values")

    data = ramp32.tobytes()

    def header(text, error, version=(1, 0)):
        return assembled(text, data, version), error

    hand = {
        "not_dict.npy": header("[1, 2]", "not a dictionary"),
        "missing_key.npy": header("{'descr': '<f4', 'shape': (2, 5), }", "the key 'fortran_order' is missing"),
        "extra_key.npy": header("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 5), 'x': 1}",
                                "unexpected key 'x'"),
        "shape_list.npy": header("{'descr': '<f4', 'fortran_order': False, 'shape': [2, 5], }",
                                 "shape [2, 5] is not a tuple of integers"),
        "shape_float.npy": header("{'descr': '<f4', 'fortran_order': False, 'shape': (2.0, 5), }",
                                  "shape (2.0, 5) is not a tuple of integers"),
        "shape_int.npy": header("{'descr': '<f4', 'fortran_order': False, 'shape': (10), }",
                                "shape 10 is not a tuple of integers"),
        "fortran_int.npy": header("{'descr': '<f4', 'fortran_order': 0, 'shape': (2, 5), }",
                                  "fortran_order 0 is not True or False"),
        "unterminated.npy": header("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 5), ",
                                   "invalid .npy header: unexpected end of header at offset"),
        "unterminated_string.npy": header("{'descr': '<f4, 'fortran_order': False, 'shape': (2, 5), }",
                                          "invalid .npy header"),
        "missing_colon.npy": header("{'descr' '<f4', 'fortran_order': False, 'shape': (2, 5), }",
                                    "expected ':' after a dictionary key at offset 24"),
        "unknown_name.npy": header("{'descr': '<f4', 'fortran_order': false, 'shape': (2, 5), }",
                                   "unexpected name 'false' at offset 44"),
        "leading_zero.npy": header("{'descr': '<f4', 'fortran_order': False, 'shape': (02, 5), }",
                                   "is not a tuple of integers"),
        "long_suffix_v3.npy": header("{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 5L), }",
                                     "is not a tuple of integers", (3, 0)),
        "negative.npy": header("{'descr': '<f4', 'fortran_order': False, 'shape': (-2, 5), }",
                               "shape (-2, 5) has a negative dimension"),
        "huge_product.npy": header(
            "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4611686018427387904), }",
            "is too large"),
        "huge_extent.npy": header("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000000000000000, 1), }",
                                  "is too large"),
        "text_after.npy": header("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 5)} x",
                                 "unexpected text after the dictionary"),
        "deep.npy": header("{'descr': " + "(" * 100 + "'<f4'," + ")" * 100 + ", 'fortran_order': False, "
                           "'shape': (2, 5)}", "nested too deeply"),
        "nul.npy": header("{'descr': '<f4', \0'fortran_order': False, 'shape': (2, 5), }",
                          "unexpected character '\\x00' at offset 27"),
    }
    for name, (image, error) in hand.items():
        add_invalid(name, image, error, numpy_rejects=True)

    # numpy.save output that to_npy_float32 must reproduce byte for byte, from these doubles.
    for name, doubles, shape in [
        ("written_3x4.npy", [0.1, -2.5, 1e-40, 3.4e38, 1e39, -0.0, 1.0 + 2.0**-24, 1.0 + 3 * 2.0**-24,
                             -1.0 / 3.0, 6.02214076e23, 5e-324, 12345.678], (3, 4)),
        ("written_1x1.npy", [0.5], (1, 1)),
        ("written_1x3.npy", [1.0, 2.0, 3.0], (1, 3)),
        ("written_0x3.npy", [], (0, 3)),
        ("written_1234567x0.npy", [], (1234567, 0)),
    ]:
        array = np.array(doubles, dtype=np.float64).reshape(shape).astype(np.float32)
        image = saved(array)
        assert image[6:8] == b"\x01\x00"
        (OUT / name).write_bytes(image)
        written.append({"file": name, "rows": shape[0], "dim": shape[1],
                        "double_bits": ["0x%016x" % v for v in np.array(doubles, dtype="<f8").view("<u8")]})

    manifest = {"numpy_version": np.__version__, "valid": valid, "invalid": invalid, "written": written}
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")


if __name__ == "__main__":
    main()
