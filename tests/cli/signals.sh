#!/usr/bin/env bash
# Signal cases (issue 7, docs/reliability.md):
#   signals.sh CASE EMBCHECK SIGNAL_SHIM
# *_during_write: embcheck writes its --output through signal_shim (LD_PRELOAD), whose fsync never
#   returns, so the run stops with the temporary file written and not renamed; once that file
#   exists the signal is sent. Expected: killed by the signal (status 128 + signo), nothing on
#   stderr, no report and no temporary file left.
# *_before_output: embcheck waits to read --baseline from a FIFO (after --save-table is written,
#   before the analysis and the report); the signal is sent once the saved table exists.
#   Expected: the same, the saved table complete, no report.
# Background jobs of a non-interactive shell start with SIGINT ignored, which embcheck keeps
# ignored; job control (set -m) starts them with the default action, as a terminal would, and is
# turned off once the job runs (it would print "Interrupt" when the job ends).
# Exit 0 pass, 1 fail, 77 skipped.
set -uo pipefail
case_name=$1
exe=$2
shim=$3
work=$(mktemp -d)
pid=
cleanup() {
  [[ -n "$pid" ]] && kill -KILL "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work" || exit 1
fail() {
  echo "FAIL ($case_name): $*"
  echo "status: ${status:-?}"
  echo "stderr: $(cat err 2>/dev/null)"
  echo "files: $(ls -A)"
  exit 1
}

# wait_for GLOB: polls until a file matching GLOB exists (30 s at most) while embcheck runs.
wait_for() {
  for _ in $(seq 300); do
    compgen -G "$1" >/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { wait "$pid"; status=$?; pid=; fail "embcheck ended before '$1' appeared"; }
    sleep 0.1
  done
  fail "'$1' did not appear within 30 s"
}

# finish SIGNAL NUMBER: sends the signal, waits, checks the status and that stderr is empty.
finish() {
  kill -s "$1" "$pid"
  wait "$pid"
  status=$?
  pid=
  [[ "$status" == $((128 + $2)) ]] || fail "expected status $((128 + $2)) (SIG$1)"
  [[ ! -s err ]] || fail "stderr must be empty"
}

no_report() {
  [[ ! -e out.json ]] || fail "the report out.json was left"
  ! compgen -G "*.tmp-*" >/dev/null || fail "temporary files left: $(compgen -G '*.tmp-*')"
}

during_write() {
  local asan=${ASAN_OPTIONS:-}
  set -m
  ASAN_OPTIONS="${asan:+$asan:}verify_asan_link_order=0" LD_PRELOAD="$shim" \
    "$exe" --rows 3 --dim 1000 --format json --output out.json >/dev/null 2>err &
  pid=$!
  set +m
  wait_for "out.json.tmp-*"
  finish "$1" "$2"
  no_report
}

before_output() {
  mkfifo baseline.json || { echo "SKIPPED: mkfifo failed"; exit 77; }
  set -m
  "$exe" --rows 3 --dim 1000 --save-table t.npy --baseline baseline.json --format json --output out.json \
    >/dev/null 2>err &
  pid=$!
  set +m
  wait_for "t.npy"
  finish "$1" "$2"
  no_report
  [[ $(stat -c %s t.npy) == $((128 + 3 * 1000 * 4)) ]] || fail "t.npy is not the whole table"
}

case "$case_name" in
  int_during_write) during_write INT 2 ;;
  term_during_write) during_write TERM 15 ;;
  hup_during_write) during_write HUP 1 ;;
  int_before_output) before_output INT 2 ;;
  term_before_output) before_output TERM 15 ;;
  *)
    echo "unknown case '$case_name'"
    exit 1
    ;;
esac
exit 0
