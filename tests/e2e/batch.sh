#!/usr/bin/env bash
# `batch` over 200 generated cases, one in ten broken in one of five ways
# (tests/tools/gen_batch.py): every valid case is built, every invalid one
# is reported with its error and line, the report validates against
# docs/batch-report.schema.json and carries no patient data, and re-runs
# skip what is up to date and rebuild what is not.
. "$(dirname "$0")/../tools/e2e_lib.sh"
schema=$src/docs/batch-report.schema.json

make_batch --count 200

"$bin" batch cases -o out --date 2026-10-09 >stdout 2>stderr
rc=$?
if [ $rc -eq 65 ]; then ok; else bad "first run: exit $rc (want 65): $(cat stderr)"; fi
if [ ! -s stdout ]; then ok; else bad "batch wrote to stdout: $(head -3 stdout)"; fi
# not a terminal: no progress, exactly the summary line
if [ "$(wc -l <stderr)" -eq 1 ] && grep -Eq '^appeal-packet batch: 176 built, 24 invalid, 0 failed, 0 skipped in [0-9.]+ s; report out/report.jsonl$' stderr
then ok; else bad "summary: $(cat stderr)"; fi

if /usr/bin/python3 "$gen" validate "$schema" out/report.jsonl; then ok; else bad "report does not match the schema"; fi

# every case as expected: status, packet, digest, error and its line
if /usr/bin/python3 - <<'PY'
import hashlib, json, os, sys
exp = json.load(open("expected.json"))
lines = [json.loads(l) for l in open("out/report.jsonl")]
problems = []
def bad(msg):
    problems.append(msg)
inputs = [l["input"] for l in lines]
if inputs != sorted(inputs):
    bad("report is not in input order")
want = exp
if sorted(inputs) != sorted(want):
    bad("report inputs differ from the generated cases: %d vs %d" % (len(inputs), len(want)))
for l in lines:
    e = want.get(l["input"])
    if e is None:
        continue
    if l["status"] != e["status"] or l["case_id"] != e["case_id"]:
        bad("%s: %s %s, want %s %s" % (l["input"], l["status"], l["case_id"], e["status"], e["case_id"]))
        continue
    if e["status"] == "built":
        pdf = "out/%s.pdf" % e["case_id"]
        if l["output"] != pdf or not os.path.isfile(pdf):
            bad("%s: output %s" % (l["input"], l["output"]))
            continue
        data = open(pdf, "rb").read()
        if hashlib.sha256(data).hexdigest() != l["sha256"] or len(data) != l["bytes"]:
            bad("%s: sha256/bytes do not match the packet" % l["input"])
        if not data.startswith(b"%PDF-") or not data.rstrip().endswith(b"%%EOF"):
            bad("%s: not a complete PDF" % pdf)
        if not isinstance(l["pages"], int) or l["pages"] < 1 or l["file_appeal_by"] is None or l["errors"]:
            bad("%s: pages/file_appeal_by/errors: %r" % (l["input"], l))
    else:
        hits = [x for x in l["errors"] if x["line"] == e["line"] and e["message"] in x["message"]]
        if not hits:
            bad("%s: no error at line %s containing %r: %r" % (l["input"], e["line"], e["message"], l["errors"]))
        if l["output"] is not None:
            bad("%s: invalid case has an output" % l["input"])
built = sorted("%s.pdf" % v["case_id"] for v in want.values() if v["status"] == "built")
present = sorted(f for f in os.listdir("out") if f.endswith(".pdf"))
if built != present:
    bad("packets in out/ are not exactly the valid cases: %d present, %d expected; extra %s" %
        (len(present), len(built), sorted(set(present) - set(built))[:5]))
for p in problems[:10]:
    print(p)
sys.exit(1 if problems else 0)
PY
then ok; else bad "report contents"; fi

# no temporary files, anywhere
if [ -z "$(find . -name '.*.partial-*')" ]; then ok; else bad "temporary files left: $(find . -name '.*.partial-*' | head)"; fi

# no patient data in the report or on stderr
for value in "María" "Núñez-Okafor" "1961-03-14" "1420 Alder Street"; do
  if grep -qF -- "$value" out/report.jsonl stderr; then bad "report contains patient data ($value)"; else ok; fi
done

# a second run: every packet is up to date
cp out/report.jsonl first.jsonl
sha_before=$(cd out && sha256sum ./*.pdf)
"$bin" batch cases -o out --date 2026-10-09 >/dev/null 2>stderr
rc=$?
if [ $rc -eq 65 ] && grep -q ' 0 built, 24 invalid, 0 failed, 176 skipped in ' stderr; then ok
else bad "second run: exit $rc: $(cat stderr)"; fi
if [ "$(cd out && sha256sum ./*.pdf)" = "$sha_before" ]; then ok; else bad "second run changed packets"; fi
if /usr/bin/python3 - <<'PY'
import json, sys
first = {json.loads(l)["input"]: json.loads(l) for l in open("first.jsonl")}
for l in map(json.loads, open("out/report.jsonl")):
    f = first[l["input"]]
    if f["status"] == "built":
        assert l["status"] == "skipped", l
        # a skipped line repeats the packet's size, digest and deadline; pages are unknown
        assert (l["output"], l["bytes"], l["sha256"], l["file_appeal_by"]) == \
               (f["output"], f["bytes"], f["sha256"], f["file_appeal_by"]) and l["pages"] is None, l
    else:
        assert l == f, (l, f)
PY
then ok; else bad "second report is not the first with built -> skipped"; fi

# a changed scan, a changed case file and a deleted packet: exactly those three rebuilt
sleep 0.05
touch cases/b003/scans/p2.png cases/b004/case.xml
rm out/CASE-B-005.pdf
"$bin" batch cases -o out --date 2026-10-09 >/dev/null 2>stderr
rc=$?
got=$(/usr/bin/python3 -c '
import json
print(" ".join(sorted(l["case_id"] for l in map(json.loads, open("out/report.jsonl")) if l["status"] == "built")))')
if [ $rc -eq 65 ] && [ "$got" = "CASE-B-003 CASE-B-004 CASE-B-005" ]; then ok; else bad "rebuilt after changes: exit $rc, built: $got"; fi

# a packet older than its case is rebuilt even when nothing else changed
touch -d '2000-01-01' out/CASE-B-006.pdf
"$bin" batch cases/b006/case.xml -o out --date 2026-10-09 >/dev/null 2>stderr
if grep -q ' 1 built, 0 invalid, 0 failed, 0 skipped in ' stderr; then ok; else bad "old packet not rebuilt: $(cat stderr)"; fi

# --force rebuilds up-to-date packets (here: two, through a manifest), byte-identical
printf 'cases/b000/case.xml\ncases/b001/case.xml\n' >two.txt
cp out/CASE-B-000.pdf b000.before
"$bin" batch @two.txt -o out --force --date 2026-10-09 >/dev/null 2>stderr
rc=$?
if [ $rc -eq 0 ] && grep -q ' 2 built, 0 invalid, 0 failed, 0 skipped in ' stderr && cmp -s b000.before out/CASE-B-000.pdf
then ok; else bad "--force: exit $rc: $(cat stderr)"; fi

# the report was replaced, never appended: one line per case of the last run
if [ "$(wc -l <out/report.jsonl)" -eq 2 ]; then ok; else bad "report has $(wc -l <out/report.jsonl) lines after a 2-case run"; fi
if [ -z "$(find . -name '.*.partial-*')" ]; then ok; else bad "temporary files left after re-runs"; fi

finish
