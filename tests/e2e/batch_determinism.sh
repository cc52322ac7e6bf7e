#!/usr/bin/env bash
# The same cases give byte-identical packets with one worker, four workers
# and split into shards; shards are disjoint, cover every case, each write
# their own report, and agree on duplicate ids they cannot both see.
. "$(dirname "$0")/../tools/e2e_lib.sh"

make_batch --count 6 --invalid-every 1000

"$bin" batch cases -o j1 -j 1 $D 2>/dev/null; rc1=$?
"$bin" batch cases -o j4 -j 4 $D 2>/dev/null; rc4=$?
"$bin" batch cases -o sh --shard 1/3 $D 2>/dev/null; rs1=$?
"$bin" batch cases -o sh --shard 2/3 $D 2>/dev/null; rs2=$?
"$bin" batch cases -o sh --shard 3/3 $D 2>/dev/null; rs3=$?
if [ "$rc1$rc4$rs1$rs2$rs3" = "00000" ]; then ok; else bad "exit codes $rc1 $rc4 $rs1 $rs2 $rs3"; fi

n=$(ls j1/*.pdf | wc -l)
if [ "$n" -eq 6 ] && [ "$(ls j4/*.pdf | wc -l)" -eq 6 ] && [ "$(ls sh/*.pdf | wc -l)" -eq 6 ]; then ok
else bad "packet counts: $n $(ls j4/*.pdf | wc -l) $(ls sh/*.pdf | wc -l)"; fi
same=0
for f in j1/*.pdf; do
  b=$(basename "$f")
  if cmp -s "$f" "j4/$b" && cmp -s "$f" "sh/$b"; then same=$((same + 1)); else bad "$b differs between -j 1, -j 4 and shards"; fi
done
[ "$same" -eq 6 ] && ok

# reports: -j 1 and -j 4 identical; shard reports by name, disjoint, covering all,
# slice K = positions K-1, K-1+N, ... of the sorted inputs
if [ "$(sed 's/"output": "j4\//"output": "j1\//' j4/report.jsonl)" = "$(cat j1/report.jsonl)" ]; then ok; else bad "reports of -j 1 and -j 4 differ"; fi
if [ ! -e sh/report.jsonl ] && [ "$(ids sh/report-1-of-3.jsonl built)" = "CASE-B-000 CASE-B-003" ] && \
   [ "$(ids sh/report-2-of-3.jsonl built)" = "CASE-B-001 CASE-B-004" ] && \
   [ "$(ids sh/report-3-of-3.jsonl built)" = "CASE-B-002 CASE-B-005" ]; then ok
else bad "shard slices: $(ids sh/report-1-of-3.jsonl built) | $(ids sh/report-2-of-3.jsonl built) | $(ids sh/report-3-of-3.jsonl built)"; fi
if [ "$(cat sh/report-*-of-3.jsonl | sed 's/"output": "sh\//"output": "j1\//' | sort)" = "$(sort j1/report.jsonl)" ]; then ok
else bad "shard reports together are not the single-run report"; fi

# shards run at the same time into one folder do not disturb each other
"$bin" batch cases -o par --shard 1/2 $D -j 1 2>/dev/null & p1=$!
"$bin" batch cases -o par --shard 2/2 $D -j 1 2>/dev/null & p2=$!
wait $p1; r1=$?; wait $p2; r2=$?
ndiff=0
for f in j1/*.pdf; do cmp -s "$f" "par/$(basename "$f")" || ndiff=$((ndiff + 1)); done
if [ $r1 -eq 0 ] && [ $r2 -eq 0 ] && [ $ndiff -eq 0 ] && [ -z "$(find par -name '.*.partial-*')" ]; then ok
else bad "concurrent shards: exits $r1 $r2, $ndiff packets differ"; fi

# a duplicate id split across shards is invalid in both, and neither is built
sed 's/id="CASE-B-001"/id="CASE-B-000"/' cases/b001/case.xml >cases/b001/case.new && mv cases/b001/case.new cases/b001/case.xml
"$bin" batch cases -o dup --shard 1/2 $D 2>/dev/null; d1=$?
"$bin" batch cases -o dup --shard 2/2 $D 2>/dev/null; d2=$?
if [ $d1 -eq 65 ] && [ $d2 -eq 65 ] && [ ! -e dup/CASE-B-000.pdf ] && \
   grep -q '"input": "cases/b000/case.xml", "status": "invalid".*is also the id of cases/b001/case.xml' dup/report-1-of-2.jsonl && \
   grep -q '"input": "cases/b001/case.xml", "status": "invalid".*is also the id of cases/b000/case.xml' dup/report-2-of-2.jsonl
then ok; else bad "duplicate id across shards: exits $d1 $d2"; fi

# A4 differs from Letter, and -j does not change that either
"$bin" batch cases/b000 -o a4 -j 1 --a4 $D 2>/dev/null
if [ -f a4/CASE-B-000.pdf ] && ! cmp -s a4/CASE-B-000.pdf j1/CASE-B-000.pdf && \
   pdfinfo a4/CASE-B-000.pdf 2>/dev/null | grep -q '^Page size: *595.2'; then ok; else bad "--a4 not passed to workers"; fi

finish
