#!/usr/bin/env bash
# A criterion longer than a whole page, and an evidence finding made of one
# 400-character token, split across pages: the table header row repeats on
# every page the row touches, every word extracts back in order, no word
# leaves the margins (tests/tools/pdfcheck.py), and the unbreakable token is
# broken inside the cell instead of running out of it.
set -u
src=${AP_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${AP_BIN:-$src/build/appeal-packet}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

cp -r "$src/fixtures/cases/format-example" "$work/case"
/usr/bin/python3 - "$work/case/case.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
NS = "urn:appeal-packet:case:1"
ET.register_namespace("", NS)
path = sys.argv[1]
tree = ET.parse(path)
crit = tree.getroot().find(f"{{{NS}}}criteria/{{{NS}}}criterion")
words = []
for i in range(1, 1101):
    words.append(f"w{i:04d}" + ("-joined" if i % 37 == 0 else ""))
crit.find(f"{{{NS}}}requirement").text = "Start " + " ".join(words) + " End."
ev = crit.find(f"{{{NS}}}evidence")
ev.text = "Token " + "".join(f"{i:03d}X" for i in range(100)) + " done."
tree.write(path, encoding="UTF-8", xml_declaration=True)
PY
pdf=$work/long.pdf
out=$("$bin" build "$work/case/case.xml" -o "$pdf" --date 2026-10-09 2>&1)
rc=$?
if [ $rc -ne 0 ]; then bad "build exit $rc: $out"; echo "$pass passed, $fail failed"; exit 1; fi
ok
if /usr/bin/python3 "$src/tests/tools/pdfcheck.py" "$pdf" "$work/case/case.xml"; then ok; else bad "pdfcheck"; fi

/usr/bin/python3 - "$pdf" <<'PY' && ok || bad "criterion does not span pages with the header repeated"
import re, subprocess, sys
pdf = sys.argv[1]
n = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout).group(1))
spans = []
for k in range(1, n + 1):
    t = subprocess.run(["pdftotext", "-raw", "-f", str(k), "-l", str(k), pdf, "-"], capture_output=True, text=True).stdout
    words = re.findall(r"\bw(\d{4})\b", t)
    if words:
        header = re.search(r"#\s+Criterion\s+Evidence\s+Status\s+Where to find it", t) is not None
        spans.append((k, int(words[0]), int(words[-1]), header))
pages = [s[0] for s in spans]
assert len(spans) >= 3, spans                          # longer than a whole page
assert pages == list(range(pages[0], pages[0] + len(pages))), spans
assert all(s[3] for s in spans), spans                 # header row on each page
for a, b in zip(spans, spans[1:]):
    assert b[1] == a[2] + 1, (a, b)                     # nothing lost at the break
assert spans[0][1] == 1 and spans[-1][2] == 1100, spans
PY
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
