# The common start of every end-to-end test (tests/e2e/*.sh), sourced first:
#
#   . "$(dirname "$0")/../tools/e2e_lib.sh"
#
# It sets
#   src    the source tree: $AP_SOURCE_DIR, else the tree this file is in
#   bin    the program under test: $AP_BIN, else $src/build/appeal-packet
#   work   a fresh temporary folder, removed on exit (a script that sets its
#          own EXIT trap removes it there)
# puts tests/tools on PYTHONPATH (casekit.py for the Python parts), and
# defines the tally every test keeps:
#   ok            one check passed
#   bad MESSAGE   one check failed: prints "FAIL: MESSAGE"
#   skip MESSAGE  one check could not run here: prints "SKIP: MESSAGE"
#   finish        prints "N passed, M failed" (", K skipped" when any were)
#                 and exits 1 when any check failed, else 0
#   abort MESSAGE bad MESSAGE, then finish: for a failure nothing after can
#                 be checked without
set -u
src=${AP_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
bin=${AP_BIN:-$src/build/appeal-packet}
export PYTHONPATH="$src/tests/tools${PYTHONPATH:+:$PYTHONPATH}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

pass=0 fail=0 skipped=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
skip() { skipped=$((skipped + 1)); echo "SKIP: $*"; }
finish() {
  if [ "$skipped" -gt 0 ]; then echo "$pass passed, $fail failed, $skipped skipped"
  else echo "$pass passed, $fail failed"; fi
  [ "$fail" -eq 0 ] && exit 0
  exit 1
}
abort() { bad "$@"; finish; }

# seed_cases: cases=(every fixtures/cases/*/case.xml), or abort when there is none
seed_cases() {
  cases=("$src"/fixtures/cases/*/case.xml)
  [ -e "${cases[0]}" ] || abort "no fixtures found"
}

# ---- batch and watch ---------------------------------------------------------
gen=$src/tests/tools/gen_batch.py
D="--date 2026-10-09"

# make_batch ARGS...: gen_batch.py make $work ARGS..., then cd into $work
# (cases/bNNN/case.xml, expected.json); aborts when either fails
make_batch() {
  /usr/bin/python3 "$gen" make "$work" "$@" || abort "the batch generator failed"
  cd "$work" || abort "cannot enter $work"
}
# ids REPORT STATUS: the case ids of the report's lines with STATUS, sorted,
# space-separated (None for a line without an id)
ids() { /usr/bin/python3 -c '
import json, sys
print(" ".join(sorted(str(l["case_id"]) for l in map(json.loads, open(sys.argv[1])) if l["status"] == sys.argv[2])))' "$1" "$2"; }
# count REPORT STATUS: how many of the report's lines have STATUS
count() { /usr/bin/python3 -c '
import json, sys
print(sum(1 for l in map(json.loads, open(sys.argv[1])) if l["status"] == sys.argv[2]))' "$1" "$2"; }
# inputs REPORT: the report's inputs, in report order
inputs() { /usr/bin/python3 -c '
import json, sys
print(" ".join(l["input"] for l in map(json.loads, open(sys.argv[1]))))' "$1"; }
# children PID: process ids whose parent is PID; running TEXT: whether a
# command line containing TEXT runs (both from /proc: procps may not be installed)
children() { awk -v p="$1" '$4 == p { print $1 }' /proc/[0-9]*/stat 2>/dev/null; }
running() { local f; for f in /proc/[0-9]*/cmdline; do tr '\0' ' ' <"$f" 2>/dev/null | grep -qF -- "$1" && return 0; done; return 1; }
# wait_for_pdfs DIR N: waits (up to 30 s) until DIR holds at least N packets
wait_for_pdfs() { for _ in $(seq 600); do [ "$(ls "$1"/*.pdf 2>/dev/null | wc -l)" -ge "$2" ] && return 0; sleep 0.05; done; return 1; }
