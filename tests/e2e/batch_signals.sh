#!/usr/bin/env bash
# SIGTERM and SIGINT stop `batch` cleanly: no new case is started, the cases
# in progress finish and are reported, the report is written, the exit code
# is 128 + the signal, and no temporary file is left. A second signal kills
# the cases in progress instead. A re-run completes the set.
. "$(dirname "$0")/../tools/e2e_lib.sh"

make_batch --count 24 --invalid-every 1000

# stop_test SIGNAL EXIT OUTDIR [SIGNALS]: stop a running batch, then check what it left
stop_test() {
  local sig=$1 want=$2 out=$3 times=${4:-1}
  "$bin" batch cases -o "$out" -j 2 $D 2>"$out.err" & local pid=$!
  wait_for_pdfs "$out" 2
  for _ in $(seq "$times"); do kill -"$sig" $pid; sleep 0.02; done
  wait $pid
  local rc=$?
  local pdfs built
  pdfs=$(ls "$out"/*.pdf | wc -l)
  built=$(count "$out/report.jsonl" built)
  if [ $rc -eq "$want" ]; then ok; else bad "$sig x$times: exit $rc (want $want): $(cat "$out.err")"; fi
  # every packet on disk is in the report, and nothing else happened; after a
  # second signal a case killed right after its rename may have a packet but no line
  local extra=0
  [ "$times" -gt 1 ] && extra=2
  if [ "$pdfs" -ge "$built" ] && [ "$pdfs" -le $((built + extra)) ] && [ "$built" -lt 24 ] && \
     [ "$(wc -l <"$out/report.jsonl")" -eq "$built" ]; then ok
  else bad "$sig x$times: $pdfs packets, $built built in the report of $(wc -l <"$out/report.jsonl") lines"; fi
  if /usr/bin/python3 -c '
import json, os, sys
assert all(os.path.isfile(l["output"]) for l in map(json.loads, open(sys.argv[1])))' "$out/report.jsonl"
  then ok; else bad "$sig x$times: a built line without its packet"; fi
  if [ -z "$(find "$out" -name '.*.partial-*')" ]; then ok; else bad "$sig x$times: temporary files left: $(find "$out" -name '.*.partial-*')"; fi
  if grep -Eq "^appeal-packet batch: stopped by $sig, $((24 - built)) not built: $built built, 0 invalid, 0 failed, 0 skipped in [0-9.]+ s; report $out/report.jsonl\$" "$out.err"
  then ok; else bad "$sig x$times summary: $(cat "$out.err")"; fi
  if [ -z "$(children $pid)" ]; then ok; else bad "$sig x$times: workers left running"; fi
}
stop_test SIGTERM 143 term
stop_test SIGINT 130 int
stop_test SIGTERM 143 twice 2

# the report of a stopped run validates; a re-run finishes the set
if /usr/bin/python3 "$gen" validate "$src/docs/batch-report.schema.json" term/report.jsonl; then ok; else bad "report of a stopped run"; fi
before=$(ls term/*.pdf | wc -l)
"$bin" batch cases -o term -j 2 $D 2>/dev/null
rc=$?
if [ $rc -eq 0 ] && [ "$(ls term/*.pdf | wc -l)" -eq 24 ] && [ "$(count term/report.jsonl skipped)" -eq "$before" ] && \
   [ "$(count term/report.jsonl built)" -eq $((24 - before)) ]; then ok; else bad "re-run after SIGTERM: exit $rc"; fi

finish
