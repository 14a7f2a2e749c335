#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for a bounded time.
#   tests/fuzz/run.sh [SECONDS_PER_TARGET]     (default 25; FUZZ_JOBS=n runs n workers per target)
# Each target first replays its committed seed corpus (tests/fuzz/corpus/<name>) and its crash
# regressions (tests/fuzz/regressions/<name>, one file per crash once found and fixed), then
# mutates for the time given. New corpus entries go to build/fuzz/corpus/<name>, never into the
# committed corpus; a crash leaves its input in build/fuzz/artifacts/ and fails the script.
# Without clang it says so and exits 0, so that CI without clang still passes its other stages.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-25}
compiler=$(command -v clang++ || command -v clang++-14 || true)
if [[ -z "$compiler" ]]; then
  echo "fuzz: clang++ not found; fuzz targets skipped" >&2
  exit 0
fi
build=build/fuzz
cmake -S tests/fuzz -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="$compiler" >/dev/null
cmake --build "$build"
mkdir -p "$build/artifacts"
for name in npy options; do
  target="$build/fuzz_$name"
  regressions=(tests/fuzz/regressions/$name/*)
  if [[ -e "${regressions[0]}" ]]; then
    echo "fuzz: $name: replaying ${#regressions[@]} regression inputs" >&2
    "$target" -runs=0 "${regressions[@]}" 2>"$build/regressions_$name.log" \
      || { cat "$build/regressions_$name.log" >&2; exit 1; }
  fi
  mkdir -p "$build/corpus/$name"
  echo "fuzz: $name: ${seconds} s" >&2
  if ! "$target" "$build/corpus/$name" "tests/fuzz/corpus/$name" -dict="tests/fuzz/$name.dict" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
      -artifact_prefix="$build/artifacts/${name}_" -print_final_stats=1 >"$build/fuzz_$name.log" 2>&1; then
    tail -n 60 "$build/fuzz_$name.log" >&2
    echo "fuzz: $name: crash; input in $build/artifacts/" >&2
    exit 1
  fi
  grep -E "^stat::number_of_executed_units|^Done" "$build/fuzz_$name.log" >&2 || true
done
