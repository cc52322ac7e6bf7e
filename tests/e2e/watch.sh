#!/usr/bin/env bash
# `watch`: cases already in the inbox and cases dropped while it runs (a case
# folder moved in, a lone case file written in place) are built; each is
# moved to done/ or failed/ with its line appended to the report; partly
# written or hidden files are left alone; SIGTERM stops it cleanly.
. "$(dirname "$0")/../tools/e2e_lib.sh"
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT
wait_for() { for _ in $(seq 400); do [ -e "$1" ] && return 0; sleep 0.05; done; return 1; }

make_batch --count 6 --invalid-every 3
# b000, b001 valid; b002 has an impossible date; b004 valid
mkdir -p inbox out

# --once: a dropped case folder, a bad case folder, a lone case file, a folder
# without case.xml, a hidden file and a non-xml file
cp -r cases/b000 inbox/clinic-drop-1
cp -r cases/b002 inbox/bad-drop
sed 's/id="CASE-B-004"/id="CASE-LONE"/; s|scans/p[0-9].png|scans/p1.png|' cases/b004/case.xml >inbox/lone.xml
mkdir -p inbox/scans && cp cases/b004/scans/p1.png inbox/scans/
mkdir inbox/empty-folder inbox/misnamed
cp cases/b001/case.xml inbox/misnamed/appeal.xml
cp cases/b001/case.xml inbox/.in-progress.xml
echo notes >inbox/readme.txt
"$bin" watch inbox -o out --once $D 2>err
rc=$?
if [ $rc -eq 65 ]; then ok; else bad "watch --once: exit $rc (want 65): $(cat err)"; fi
if [ -f out/CASE-B-000.pdf ] && [ -f out/CASE-LONE.pdf ] && [ "$(ls out/*.pdf | wc -l)" -eq 2 ]; then ok; else bad "packets: $(ls out)"; fi
if [ -f inbox/done/clinic-drop-1/case.xml ] && [ -f inbox/done/clinic-drop-1/scans/p1.png ] && [ -f inbox/done/lone.xml ] && \
   [ -f inbox/failed/bad-drop/case.xml ] && [ -f inbox/failed/misnamed/appeal.xml ]; then ok
else bad "moves: $(find inbox | sort | tr '\n' ' ')"; fi
# only the lone xml is moved; its scans stay; hidden and non-case files and
# folders without any case file stay
if [ -f inbox/scans/p1.png ] && [ -f inbox/.in-progress.xml ] && [ -f inbox/readme.txt ] && [ -d inbox/empty-folder ] && \
   [ ! -e inbox/clinic-drop-1 ]; then ok
else bad "what stayed in the inbox: $(ls -A inbox)"; fi
if /usr/bin/python3 "$gen" validate "$src/docs/batch-report.schema.json" out/report.jsonl; then ok; else bad "watch report does not match the schema"; fi
if /usr/bin/python3 - <<'PY'
import json
lines = {l["input"]: l for l in map(json.loads, open("out/report.jsonl"))}
assert len(lines) == 4, lines.keys()
a = lines["inbox/clinic-drop-1/case.xml"]
assert a["status"] == "built" and a["case_id"] == "CASE-B-000" and a["output"] == "out/CASE-B-000.pdf", a
assert a["moved_to"] == "inbox/done/clinic-drop-1", a
b = lines["inbox/bad-drop/case.xml"]
assert b["status"] == "invalid" and b["moved_to"] == "inbox/failed/bad-drop", b
assert any("is not a real calendar date" in e["message"] and e["line"] for e in b["errors"]), b
c = lines["inbox/lone.xml"]
assert c["status"] == "built" and c["moved_to"] == "inbox/done/lone.xml", c
d = lines["inbox/misnamed"]
assert d["status"] == "invalid" and d["case_id"] is None and d["moved_to"] == "inbox/failed/misnamed", d
assert "has no case.xml — name the case file misnamed/case.xml" in d["errors"][0]["message"], d
PY
then ok; else bad "watch report lines"; fi
if grep -q 'clinic-drop-1: built out/CASE-B-000.pdf, moved to inbox/done/clinic-drop-1' err && \
   grep -q 'bad-drop: invalid (see the report), moved to inbox/failed/bad-drop' err && \
   grep -q 'empty-folder: no case.xml and no \*.xml, left in place' err && \
   grep -q '^appeal-packet watch: 2 built, 2 invalid, 0 failed, 0 skipped in' err; then ok; else bad "watch log: $(cat err)"; fi

# the same name again: moved beside the first under a new name; the report is appended to
cp -r cases/b001 inbox/clinic-drop-1
"$bin" watch inbox -o out --once $D 2>err
rc=$?
if [ $rc -eq 0 ] && [ -f inbox/done/clinic-drop-1-2/case.xml ] && [ "$(wc -l <out/report.jsonl)" -eq 5 ]; then ok
else bad "second drop of a name: exit $rc, $(ls inbox/done), $(wc -l <out/report.jsonl) lines"; fi

# running: a folder moved in, a file written in place (taken only once closed),
# then SIGTERM
"$bin" watch inbox -o out $D 2>err & pid=$!
for _ in $(seq 100); do grep -q watching err && break; sleep 0.05; done
cp -r cases/b004 .staging && mv .staging inbox/moved-in
wait_for inbox/done/moved-in
{ head -c 200 cases/b001/case.xml; sleep 0.5; tail -c +201 cases/b001/case.xml; } >inbox/slow.xml &
writer=$!
sleep 0.25
if [ -f inbox/slow.xml ] && [ ! -e inbox/done/slow.xml ] && [ ! -e inbox/failed/slow.xml ]; then ok; else bad "a half-written file was taken"; fi
wait $writer
wait_for inbox/failed/slow.xml   # two of its scans are not in the inbox: invalid, but read whole
if [ -f out/CASE-B-004.pdf ] && [ -f inbox/done/moved-in/case.xml ]; then ok; else bad "moved-in folder not built: $(cat err)"; fi
if grep -q '"input": "inbox/slow.xml", "status": "invalid".*scans/p3.png' out/report.jsonl && ! grep -q 'slow.xml.*not well-formed' out/report.jsonl
then ok; else bad "written-in-place file: $(grep slow out/report.jsonl)"; fi
kill -TERM $pid
wait $pid
rc=$?
pid=
if [ $rc -eq 0 ] && grep -q '^appeal-packet watch: stopped by SIGTERM: 1 built, 1 invalid, 0 failed, 0 skipped in' err; then ok
else bad "SIGTERM: exit $rc: $(tail -2 err)"; fi
if [ -z "$(find . -name '.*.partial-*')" ]; then ok; else bad "temporary files left"; fi
if /usr/bin/python3 "$gen" validate "$src/docs/batch-report.schema.json" out/report.jsonl && [ "$(wc -l <out/report.jsonl)" -eq 7 ]; then ok
else bad "report after the running watch: $(wc -l <out/report.jsonl) lines"; fi

# usage
"$bin" watch no-such-inbox -o out >/dev/null 2>&1; rc=$?
if [ $rc -eq 66 ]; then ok; else bad "missing inbox: exit $rc"; fi
"$bin" watch inbox >/dev/null 2>&1; rc=$?
if [ $rc -eq 64 ]; then ok; else bad "watch without -o: exit $rc"; fi
if "$bin" watch --help | grep -q 'Usage: appeal-packet watch INBOX -o OUTDIR'; then ok; else bad "watch --help"; fi

finish
