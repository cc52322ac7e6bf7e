#!/usr/bin/env bash
# A criterion longer than a whole page, and an evidence finding made of one
# 400-character token, split across pages: the table header row repeats on
# every page the row touches, every word extracts back in order, no word
# leaves the margins (tests/tools/pdfcheck.py), and the unbreakable token is
# broken inside the cell instead of running out of it.
. "$(dirname "$0")/../tools/e2e_lib.sh"

/usr/bin/python3 - "$src" "$work/case" <<'PY'
import sys
from casekit import copy_case, example, q
def long_texts(root):
    crit = root.find(f"{q('criteria')}/{q('criterion')}")
    words = []
    for i in range(1, 1101):
        words.append(f"w{i:04d}" + ("-joined" if i % 37 == 0 else ""))
    crit.find(q("requirement")).text = "Start " + " ".join(words) + " End."
    crit.find(q("evidence")).text = "Token " + "".join(f"{i:03d}X" for i in range(100)) + " done."
copy_case(example(sys.argv[1]), sys.argv[2], long_texts)
PY
pdf=$work/long.pdf
out=$("$bin" build "$work/case/case.xml" -o "$pdf" --date 2026-10-09 2>&1)
rc=$?
[ $rc -eq 0 ] || abort "build exit $rc: $out"
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
finish
