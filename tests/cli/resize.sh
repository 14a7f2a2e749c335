#!/usr/bin/env bash
# A table file that changes size while embcheck reads it (issue 5):
#   resize.sh CASE EMBCHECK RESIZE_SHIM FIXTURE.npy
# resize_shim (LD_PRELOAD) truncates or extends a copy of FIXTURE at a chosen pread call:
# embcheck reads a .npy as its first 8 KiB with the header (call 1), the data (call 2, one block
# for a small file) and a probe past the end (call 3).
#   shrink: the copy is cut to 5000 bytes before the data is read.
#   grow: 100 bytes are appended before the probe past the end.
#   shrink_stream: as shrink, with --stream.
# Expected: exit 3, one line naming the file, the offset and the problem, no report on stdout.
# Exit 0 pass, 1 fail.
set -uo pipefail
case_name=$1
exe=$2
shim=$3
fixture=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
cp "$fixture" table.npy
size=$(stat -c %s table.npy)
extra=()
case $case_name in
  shrink) at="table.npy:2:5000"; expected="^embcheck: 'table.npy': the file shrank while being read: it ended at offset 5000 of ${size}\$" ;;
  shrink_stream) at="table.npy:2:5000"; extra=(--stream)
    expected="^embcheck: 'table.npy': the file shrank while being read: it ended at offset 5000 of ${size}\$" ;;
  grow) at="table.npy:3:$((size + 100))"; expected="^embcheck: 'table.npy': the file grew while being read, beyond offset ${size}\$" ;;
  *) echo "unknown case $case_name"; exit 1 ;;
esac
EMBCHECK_RESIZE=$at LD_PRELOAD=$shim ASAN_OPTIONS=verify_asan_link_order=0 \
  "$exe" --input table.npy "${extra[@]}" >out 2>err
status=$?
fail() { echo "FAIL ($case_name): $*"; echo "status: $status"; echo "stderr: $(cat err)"; echo "stdout: $(head -c 300 out)"; exit 1; }
[[ $status -eq 3 ]] || fail "expected exit 3"
[[ $(wc -l <err) -eq 1 ]] || fail "expected one line on stderr"
grep -Eq "$expected" err || fail "stderr does not match: $expected"
[[ ! -s out ]] || fail "expected no report on stdout"
echo "ok ($case_name)"
