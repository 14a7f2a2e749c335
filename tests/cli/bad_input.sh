#!/usr/bin/env bash
# Bad-input cases that need a shell (closed descriptors, ulimit, pipes, permissions).
#   bad_input.sh CASE EMBCHECK FIXTURE_DIR
# Each case runs embcheck in a fresh directory and asserts the exit status, that an error is
# exactly one line starting with 'embcheck: ' and naming the problem, that stdout is empty on an
# error, and that no report, table or temporary file is left. Exit 0 pass, 1 fail, 77 skipped.
set -uo pipefail
case_name=$1
exe=$2
fixtures=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

fail() {
  echo "FAIL ($case_name): $*"
  echo "exit: ${status:-?}"
  echo "stdout: $(head -c 2000 out 2>/dev/null)"
  echo "stderr: $(cat err 2>/dev/null)"
  exit 1
}

# expect STATUS REGEX: status as given, one line on stderr matching REGEX, nothing on stdout.
expect() {
  [[ "$status" == "$1" ]] || fail "expected exit $1"
  [[ $(wc -l <err) -eq 1 ]] || fail "stderr must be exactly one line"
  grep -Eq "^embcheck: .*$2" err || fail "stderr does not match '$2'"
  [[ ! -s out ]] || fail "stdout must be empty on an error"
}

no_leftovers() {
  local left
  left=$(find . -mindepth 1 ! -name out ! -name err ! -name ro | head -5)
  [[ -z "$left" ]] || fail "files left behind: $left"
}

case "$case_name" in
  ulimit_generated)
    # A table too large to hold is streamed row by row (stream_when_too_large), but rows of 2e7
    # values cannot even be streamed under 200 MB: refused before allocating, with the limit named.
    bash -c 'ulimit -v 200000; exec "$0" --rows 4 --dim 20000000 --output r.json' "$exe" >out 2>err
    status=$?
    expect 3 "not enough memory.*ulimit -v"
    no_leftovers
    ;;
  ulimit_columns)
    bash -c 'ulimit -v 200000; exec "$0" --rows 20 --dim 1000000 --axis columns --save-table t.npy' "$exe" >out 2>err
    status=$?
    expect 3 "not enough memory"
    no_leftovers
    ;;
  ulimit_input)
    # A 1-row .npy header claiming 2^40 float64 values, data missing: refused without allocating.
    python_free_header="{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1099511627776), }"
    printf '\x93NUMPY\x01\x00\x76\x00%s' "$python_free_header" >huge.npy
    printf '%*s\n' $((118 - ${#python_free_header} - 1)) '' >>huge.npy
    bash -c 'ulimit -v 200000; exec "$0" --input huge.npy --output r.json' "$exe" >out 2>err
    status=$?
    rm -f huge.npy
    expect 3 "huge.npy"
    no_leftovers
    ;;
  ulimit_json_columns | ulimit_json_rows)
    # A small table whose JSON report is large (100000 columns or rows of 3 values): the memory
    # check counts the table, not the report, so the allocation fails while the report's JSON
    # document is built. That used to abort (status 134: nlohmann::json's destructor allocates
    # while unwinding); the out-of-memory reserve (src/cli/out_of_memory.cpp) makes it exit 3.
    if [[ $case_name == ulimit_json_columns ]]; then shape=(--rows 3 --dim 100000 --axis columns)
    else shape=(--rows 100000 --dim 3 --axis rows); fi
    bash -c 'ulimit -v 200000; exec "$0" "$@" --format json --output r.json' "$exe" "${shape[@]}" >out 2>err
    status=$?
    expect 3 "out of memory"
    no_leftovers
    ;;
  empty_*)
    # An empty value (an unset shell variable) must not silently drop the output or the check.
    option=--${case_name#empty_}
    option=${option//_/-}
    if [[ $option == --input ]]; then args=(--input ""); else args=(--rows 2 --dim 10 "$option" ""); fi
    "$exe" "${args[@]}" >out 2>err
    status=$?
    expect 2 "$option: the value is empty"
    no_leftovers
    ;;
  stdin_closed)
    # --input /dev/stdin with standard input closed: an input error naming the file.
    "$exe" --input /dev/stdin --output r.json >out 2>err <&-
    status=$?
    expect 3 "/dev/stdin"
    no_leftovers
    ;;
  stdin_ends_early)
    # The stream ends in the middle of the data: truncated, named, nothing written.
    head -c 1000 "$fixtures/normal_float64_4x300.npy" | "$exe" --input /dev/stdin --output r.json >out 2>err
    status=$?
    expect 3 "/dev/stdin.*(truncated|needs)"
    no_leftovers
    ;;
  stdin_empty)
    "$exe" --input /dev/stdin --output r.json >out 2>err </dev/null
    status=$?
    expect 3 "/dev/stdin"
    no_leftovers
    ;;
  stdout_closed)
    # The report cannot be written: exit 3, one line, not a crash.
    "$exe" --rows 2 --dim 10 >&- 2>err
    status=$?
    : >out
    expect 3 "standard output"
    ;;
  sigpipe)
    # The reader goes away: SIGPIPE's conventional status 128 + 13, nothing on stderr.
    "$exe" --rows 2 --dim 2000 --axis columns --format json 2>err | head -c 10 >/dev/null
    status=${PIPESTATUS[0]}
    [[ "$status" == 141 ]] || fail "expected status 141 (SIGPIPE)"
    [[ ! -s err ]] || fail "stderr must be empty on SIGPIPE"
    ;;
  read_only_directory)
    mkdir ro && chmod 555 ro
    if touch ro/probe 2>/dev/null; then
      rm -f ro/probe
      echo "SKIPPED: chmod 555 does not stop writes here (running as root or with CAP_DAC_OVERRIDE)"
      exit 77
    fi
    "$exe" --rows 2 --dim 10 --output ro/r.json >out 2>err
    status=$?
    expect 3 "ro/r.json.*Permission denied"
    [[ -z $(ls -A ro) ]] || fail "files left in the read-only directory: $(ls -A ro)"
    ;;
  read_only_filesystem)
    # sysfs refuses new files even to root: the read-only case that root cannot bypass.
    [[ -d /sys/kernel ]] || { echo "SKIPPED: no /sys"; exit 77; }
    "$exe" --rows 2 --dim 10 --output /sys/embcheck-report.json >out 2>err
    status=$?
    expect 3 "/sys/embcheck-report.json"
    [[ ! -e /sys/embcheck-report.json ]] || fail "report created in /sys"
    ;;
  save_table_dev_full)
    "$exe" --rows 2 --dim 10 --save-table /dev/full >out 2>err
    status=$?
    expect 3 "/dev/full.*No space"
    ;;
  *)
    echo "unknown case '$case_name'"
    exit 1
    ;;
esac
exit 0
