#!/usr/bin/env bash
# What `batch` takes as input and how it answers: the folder rule (every
# case.xml below, else every *.xml directly in it), manifests from a file or
# stdin, the same file named twice, missing inputs, usage errors, --report,
# and progress only on a terminal.
. "$(dirname "$0")/../tools/e2e_lib.sh"

make_batch --count 4 --invalid-every 1000

# folder rule 1: every case.xml below the folder, at any depth; other *.xml ignored
mkdir -p tree/a/deeper
cp -r cases/b000 tree/a/deeper/
cp -r cases/b001 tree/
cp cases/b002/case.xml tree/not-a-case.xml
"$bin" batch tree -o o1 $D 2>/dev/null
rc=$?
if [ $rc -eq 0 ] && [ "$(inputs o1/report.jsonl)" = "tree/a/deeper/b000/case.xml tree/b001/case.xml" ]; then ok
else bad "folder with case.xml files: exit $rc, inputs: $(inputs o1/report.jsonl 2>&1)"; fi

# folder rule 2: no case.xml anywhere: every *.xml directly inside (not below), sorted
mkdir -p flat/sub
cp -r cases/b000/scans flat/
cp cases/b002/case.xml flat/zeta.xml
cp cases/b003/case.xml flat/alpha.xml
cp cases/b001/case.xml flat/sub/ignored.xml
touch flat/.hidden.xml
"$bin" batch flat/ -o o2 $D 2>/dev/null
rc=$?
if [ $rc -eq 0 ] && [ "$(inputs o2/report.jsonl)" = "flat/alpha.xml flat/zeta.xml" ] && \
   [ "$(ids o2/report.jsonl built)" = "CASE-B-002 CASE-B-003" ]; then ok
else bad "flat folder: exit $rc, inputs: $(inputs o2/report.jsonl 2>&1)"; fi

# a manifest: comments, blank lines, CRLF, relative to the manifest's folder,
# a folder entry, a missing entry (reported invalid, exit 65)
mkdir -p lists
printf '# nightly export\n\n../cases/b003/case.xml\r\n  ../cases/b001  \n../cases/gone/case.xml\n' >lists/m.txt
"$bin" batch @lists/m.txt -o o3 $D 2>/dev/null
rc=$?
if [ $rc -eq 65 ] && [ "$(inputs o3/report.jsonl)" = "lists/../cases/b001/case.xml lists/../cases/b003/case.xml lists/../cases/gone/case.xml" ] && \
   [ "$(ids o3/report.jsonl built)" = "CASE-B-001 CASE-B-003" ] && [ "$(ids o3/report.jsonl invalid)" = "None" ]; then ok
else bad "manifest: exit $rc: $(cat o3/report.jsonl 2>&1)"; fi
if grep -q '"input": "lists/../cases/gone/case.xml", "status": "invalid".*"errors": \[{"file": "lists/../cases/gone/case.xml"' o3/report.jsonl
then ok; else bad "missing manifest entry is not reported with its path: $(grep gone o3/report.jsonl)"; fi

# the same manifest on stdin (paths relative to the current folder), with --manifest too
printf 'cases/b000/case.xml\n' | "$bin" batch - --manifest lists/m.txt -o o4 $D 2>/dev/null
if [ "$(ids o4/report.jsonl built)" = "CASE-B-000 CASE-B-001 CASE-B-003" ]; then ok; else bad "stdin manifest: $(ids o4/report.jsonl built)"; fi
printf 'cases/b002/case.xml\n' | "$bin" batch @- -o o5 $D 2>/dev/null
if [ "$(ids o5/report.jsonl built)" = "CASE-B-002" ]; then ok; else bad "@- manifest"; fi

# one file named twice (as a file and through its folder): one case, not a duplicate id
"$bin" batch cases/b000/case.xml cases/b000 ./cases/b000/case.xml -o o6 $D 2>/dev/null
rc=$?
if [ $rc -eq 0 ] && [ "$(wc -l <o6/report.jsonl)" -eq 1 ]; then ok; else bad "same file twice: exit $rc, $(wc -l <o6/report.jsonl) lines"; fi

# --report elsewhere; OUTDIR created with its parents
"$bin" batch cases/b001/case.xml -o deep/new/out --report r.jsonl $D 2>/dev/null
if [ -f deep/new/out/CASE-B-001.pdf ] && [ "$(ids r.jsonl built)" = "CASE-B-001" ] && [ ! -e deep/new/out/report.jsonl ]; then ok
else bad "--report / new OUTDIR"; fi

# an id that cannot name a file: invalid, reported with a null case id
sed 's/id="CASE-B-000"/id="bad id"/' cases/b000/case.xml >cases/b000/badid.xml
"$bin" batch cases/b000/badid.xml -o o7 $D 2>/dev/null
rc=$?
if [ $rc -eq 65 ] && grep -q '"case_id": null, "input": "cases/b000/badid.xml", "status": "invalid"' o7/report.jsonl && [ -z "$(ls o7 | grep pdf)" ]
then ok; else bad "unusable id: exit $rc: $(cat o7/report.jsonl)"; fi
rm cases/b000/badid.xml

# command-line mistakes
expect() { # expect CODE MESSAGE-REGEX ARGS...
  local want=$1 re=$2; shift 2
  "$bin" batch "$@" >/dev/null 2>err
  local rc=$?
  if [ $rc -eq "$want" ] && grep -Eq -- "$re" err; then ok; else bad "batch $*: exit $rc (want $want): $(cat err)"; fi
}
expect 64 'needs -o OUTDIR' cases
expect 64 'needs at least one INPUT' -o x
expect 66 'no-such-dir: No such file' no-such-dir -o x
expect 66 'cannot read manifest nope.txt' @nope.txt -o x
expect 64 "--shard '3/2' is not K/N" cases -o x --shard 3/2
expect 64 "--shard '0/2' is not K/N" cases -o x --shard 0/2
expect 64 "--shard '1/x' is not K/N" cases -o x --shard 1/x
expect 64 "-j '0' is not a worker count" cases -o x -j 0
expect 64 "not a real date" cases -o x --date 2026-02-30
mkdir -p empty
expect 66 'no case files found' empty -o x
: >file-in-the-way
expect 73 'cannot create file-in-the-way/out' cases -o file-in-the-way/out
if [ ! -e x ]; then ok; else bad "a usage error created OUTDIR"; fi
if "$bin" batch --help | grep -q 'Usage: appeal-packet batch INPUT... -o OUTDIR'; then ok; else bad "batch --help"; fi
if "$bin" --help | grep -q 'batch INPUT... -o OUTDIR' && "$bin" --help | grep -q 'watch INBOX -o OUTDIR'; then ok; else bad "--help lists batch and watch"; fi

# progress on a terminal: done/total, rate and ETA on one rewritten line, then the summary
if command -v script >/dev/null; then
  script -qec "$bin batch cases -o o8 $D -j 2" /dev/null >tty.out 2>&1
  if grep -q '4/4 cases, [0-9]* cases/min, ETA 0:00' tty.out && grep -q $'\r' tty.out && \
     grep -q 'appeal-packet batch: 4 built, 0 invalid, 0 failed, 0 skipped in' tty.out; then ok
  else bad "no progress on a terminal: $(tr '\r' '|' <tty.out)"; fi
else
  echo "skip: script(1) not installed, progress on a terminal not tested"
fi

finish
