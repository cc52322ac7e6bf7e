#!/usr/bin/env bash
# Crashes: `batch` killed with SIGKILL at a random moment, then run again,
# ends with exactly the complete set of packets and no temporary files, and
# the re-run builds only what was missing. A worker killed mid-case is
# reported as failed (exit 70), replaced, and the batch goes on.
. "$(dirname "$0")/../tools/e2e_lib.sh"
pdf_ids() { (cd "$1" && ls -- *.pdf 2>/dev/null | sed 's/\.pdf$//' | sort | tr '\n' ' ' | sed 's/ $//'); }
partials() { find "$1" -name '.*.partial-*'; }

make_batch --count 48 --invalid-every 1000
all=$(for i in $(seq 0 47); do printf 'CASE-B-%03d\n' "$i"; done | tr '\n' ' ' | sed 's/ $//')

# a leftover of an earlier crash is cleared at start; other hidden files are not
mkdir -p out
echo partial >out/.CASE-B-000.pdf.partial-Ab12Cd
echo keep >out/.keep-me

# SIGKILL somewhere between the first packet and the last (a small case
# builds in a few tens of milliseconds, so the kill comes soon after)
"$bin" batch cases -o out -j 2 $D 2>/dev/null & pid=$!
wait_for_pdfs out $((1 + RANDOM % 20))
sleep "0.0$((RANDOM % 10))"
kill -KILL $pid
wait $pid 2>/dev/null
sleep 0.3   # the workers die with the batch (parent-death signal)
before=$(pdf_ids out)
n_before=$(echo "$before" | wc -w)
if [ "$n_before" -ge 1 ] && [ "$n_before" -lt 48 ]; then ok; else bad "kill landed outside the run: $n_before packets"; fi
if ! running "batch cases -o out -j 2"; then ok; else bad "workers survived the killed batch"; fi
# what is there is complete (the save is atomic)
incomplete=0
for f in out/*.pdf; do tail -c 8 "$f" | grep -q '%%EOF' || incomplete=$((incomplete + 1)); done
if [ $incomplete -eq 0 ]; then ok; else bad "$incomplete incomplete packets after SIGKILL"; fi

"$bin" batch cases -o out -j 2 $D 2>err
rc=$?
after=$(pdf_ids out)
if [ $rc -eq 0 ] && [ "$after" = "$all" ]; then ok; else bad "re-run: exit $rc, packets: $after"; fi
if [ -z "$(partials .)" ]; then ok; else bad "temporary files after the re-run: $(partials .)"; fi
if [ -f out/.keep-me ]; then ok; else bad "the re-run removed an unrelated hidden file"; fi
# the re-run built exactly the missing ones and skipped the rest
missing=$(comm -13 <(echo "$before" | tr ' ' '\n') <(echo "$all" | tr ' ' '\n') | tr '\n' ' ' | sed 's/ $//')
if [ "$(ids out/report.jsonl built)" = "$missing" ] && [ "$(ids out/report.jsonl skipped)" = "$before" ]; then ok
else bad "re-run built [$(ids out/report.jsonl built)], missing were [$missing]"; fi
# and every packet is byte-identical to an uninterrupted run
"$bin" batch cases -o ref -j 2 $D 2>/dev/null
ndiff=0
for f in ref/*.pdf; do cmp -s "$f" "out/$(basename "$f")" || ndiff=$((ndiff + 1)); done
if [ $ndiff -eq 0 ]; then ok; else bad "$ndiff packets differ from an uninterrupted run"; fi

# a worker killed in the middle of a case: that case fails, the rest are built
"$bin" batch cases -o crash -j 2 $D 2>err & pid=$!
wait_for_pdfs crash 3
victim=$(children $pid | head -1)
[ -n "$victim" ] && kill -KILL "$victim"
wait $pid
rc=$?
failed=$(ids crash/report.jsonl failed)
built=$(ids crash/report.jsonl built)
if [ $rc -eq 70 ] && [ "$(echo "$failed" | wc -w)" -eq 1 ] && [ "$(echo "$built" | wc -w)" -eq 47 ]; then ok
else bad "worker crash: exit $rc, failed [$failed], $(echo "$built" | wc -w) built: $(cat err)"; fi
if grep -q '"status": "failed".*killed by signal 9' crash/report.jsonl && grep -q ' 47 built, 0 invalid, 1 failed, 0 skipped' err
then ok; else bad "crash not reported: $(grep failed crash/report.jsonl)"; fi
# no temporary file; the failed case has no packet, or a complete one when the
# worker died in the instant between renaming it into place and reporting
had_pdf=no
[ -e "crash/$failed.pdf" ] && had_pdf=yes
if [ -z "$(partials crash)" ] && { [ $had_pdf = no ] || tail -c 8 "crash/$failed.pdf" | grep -q '%%EOF'; }; then ok
else bad "the crashed case left files: $(ls -A crash | grep -v '^CASE-B')"; fi
# its re-run builds just that case (or finds its packet up to date)
"$bin" batch cases -o crash -j 2 $D 2>/dev/null
rc=$?
want_built=$failed
[ $had_pdf = yes ] && want_built=
if [ $rc -eq 0 ] && [ "$(ids crash/report.jsonl built)" = "$want_built" ] && [ "$(pdf_ids crash)" = "$all" ]; then ok
else bad "re-run after crash: exit $rc, built [$(ids crash/report.jsonl built)], want [$want_built]"; fi

finish
