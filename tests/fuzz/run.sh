#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for a bounded time.
#   tests/fuzz/run.sh [TOTAL_SECONDS [TARGET...]]
# TOTAL_SECONDS (default 150) is the fuzzing budget of the whole run, split evenly over the
# targets with at least 15 s each (8 targets: 18 s each by default; the build and the replay of
# the corpora come on top). TARGET names (npy, npz, ...) restrict the run to those targets, e.g.
# `tests/fuzz/run.sh 600 npz` fuzzes the .npz reader for 10 minutes.
# Each target first replays its crash regressions (tests/fuzz/regressions/<name>, one file per
# crash once found and fixed) and its committed seed corpus (tests/fuzz/corpus/<name>), then
# mutates for its share of the time, with tests/fuzz/<name>.dict when there is one. New corpus
# entries go to build/fuzz/corpus/<name>, never into the committed corpus; a crash leaves its
# input in build/fuzz/artifacts/ and fails the script.
# Without clang it says so and exits 0, so that CI without clang still passes its other stages.
set -euo pipefail
cd "$(dirname "$0")/../.."
total=${1:-150}
shift || true
all_targets=(npy npz safetensors word_vectors word2vec raw input options)
[[ $# -gt 0 ]] && targets=("$@") || targets=("${all_targets[@]}")
if ! [[ "$total" =~ ^[0-9]+$ ]]; then
  echo "fuzz: TOTAL_SECONDS must be a whole number of seconds, not '$total'" >&2
  exit 2
fi
seconds=$((total / ${#targets[@]}))
((seconds >= 15)) || seconds=15
compiler=$(command -v clang++ || command -v clang++-14 || true)
if [[ -z "$compiler" ]]; then
  echo "fuzz: clang++ not found; fuzz targets skipped" >&2
  exit 0
fi
build=build/fuzz
cmake -S tests/fuzz -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="$compiler" >/dev/null
cmake --build "$build"
mkdir -p "$build/artifacts"
echo "fuzz: ${#targets[@]} targets, ${seconds} s each" >&2
for name in "${targets[@]}"; do
  target="$build/fuzz_$name"
  [[ -x "$target" ]] || { echo "fuzz: no target fuzz_$name (known: ${all_targets[*]})" >&2; exit 2; }
  limits=(-timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024)
  regressions=(tests/fuzz/regressions/$name/*)
  if [[ -e "${regressions[0]}" ]]; then
    echo "fuzz: $name: replaying ${#regressions[@]} regression inputs" >&2
    "$target" "${limits[@]}" -runs=0 "${regressions[@]}" 2>"$build/regressions_$name.log" \
      || { tail -n 60 "$build/regressions_$name.log" >&2; exit 1; }
  fi
  dict=()
  [[ -f "tests/fuzz/$name.dict" ]] && dict=(-dict="tests/fuzz/$name.dict")
  mkdir -p "$build/corpus/$name"
  echo "fuzz: $name: ${seconds} s" >&2
  if ! "$target" "$build/corpus/$name" "tests/fuzz/corpus/$name" "${dict[@]}" "${limits[@]}" \
      -max_total_time="$seconds" -artifact_prefix="$build/artifacts/${name}_" -print_final_stats=1 \
      >"$build/fuzz_$name.log" 2>&1; then
    tail -n 60 "$build/fuzz_$name.log" >&2
    echo "fuzz: $name: crash; input in $build/artifacts/" >&2
    exit 1
  fi
  grep -E "^stat::number_of_executed_units|^Done" "$build/fuzz_$name.log" >&2 || true
done
