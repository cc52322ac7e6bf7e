#!/usr/bin/env bash
# Latin (with Vietnamese stacked accents), Greek and Cyrillic text in a case
# comes back out of the PDF exactly, through poppler and through mupdf, in
# the serif letter face and the sans table face alike.
. "$(dirname "$0")/../tools/e2e_lib.sh"
/usr/bin/python3 - "$src" "$bin" "$work" <<'PY'
import re, subprocess, sys, unicodedata, xml.etree.ElementTree as ET
from casekit import Tally, build, copy_case, edit, example, q
src, binary, work = sys.argv[1:4]
SAMPLES = [
    "Łukasz Żółć Ødegård Núñez-Okafor Siobhán Œuvre ŠŽČĆĐ ğüşöçİı ÆÐÞ ẞß",
    "Nguyễn Thị Phương Trần Đặng Hoàng Quốc Việt ậẫẩầấ ứừửữự ọộớờởỡợ",
    "ΑΒΓΔΕΖΗΘ ΙΚΛΜΝΞΟΠ ΡΣΤΥΦΧΨΩ αβγδεζηθ ικλμνξοπ ρστυφχψω ά έ ή ί ό ύ ώ ϊ ϋ ΐ ΰ",
    "АБВГДЕЁЖЗИЙ КЛМНОПРСТУФ ХЦЧШЩЪЫЬЭЮЯ абвгдеёжзий клмнопрстуф хцчшщъыьэюя ґєії ЎўЈјЉљЊњЋћЏџ",
    "– — “quoted” ‘single’ … • µg/m² € § ° ± × ≥ ≤ → ½",
]
def samples(root):
    crit = root.find(f"{q('criteria')}/{q('criterion')}")
    crit.find(q("requirement")).text = " ".join(SAMPLES)          # table: sans
    summary = root.find(f"{q('letter')}/{q('summary')}")
    for s in SAMPLES:                                               # letter: serif
        ET.SubElement(summary, q("p")).text = s
path = copy_case(example(src), f"{work}/case", samples)
pdf = f"{work}/u.pdf"
r = build(binary, path, pdf)
if r.returncode != 0 or "warning" in r.stderr:
    print(f"FAIL: build exit {r.returncode}: {r.stderr}")
    sys.exit(1)
norm = lambda s: re.sub(r"\s+", " ", unicodedata.normalize("NFC", s))
poppler = norm(subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True).stdout)
mupdf = norm(subprocess.run(["mutool", "draw", "-F", "txt", "-o", "-", pdf], capture_output=True, text=True).stdout)
t = Tally()
for s in SAMPLES:
    for name, text in (("pdftotext", poppler), ("mutool", mupdf)):
        # every sample appears at least twice: in the letter and in the table
        # (words are short enough that no table cell has to break inside one)
        words = s.split(" ")
        missing = [w for w in words if text.count(w) < 2]
        t.check(not missing, f"{name} does not give back {missing[:5]}")
# stacked accents really print: the running header naming "Nguyễn" must
# carry more ink than one naming "Nguyen" (libharu's subsetter alone keeps
# only the base letter of a glyph built from nested composites, and the two
# then render with exactly the same ink)
from PIL import Image
def header_ink(family):
    def name(root):
        root.find(f"{q('patient')}/{q('name')}/{q('family')}").text = family
    edit(path, name, f"{work}/case/v.xml")
    out = f"{work}/{family}.pdf"
    subprocess.run([binary, "build", f"{work}/case/v.xml", "-o", out, "--date", "2026-10-09"], check=True)
    subprocess.run(["mutool", "draw", "-q", "-r", "100", "-c", "gray", "-o", f"{work}/{family}.png", out, "2"],
                   capture_output=True)
    im = Image.open(f"{work}/{family}.png").convert("L")
    w, h = im.size
    return sum(255 - v for v in im.crop((0, 0, w // 2, int(h * 0.06))).getdata())
plain, accented = header_ink("Nguyen"), header_ink("Nguyễn")
t.check(accented > plain * 1.003, f"'Nguyễn' prints with the ink of 'Nguyen' ({accented} vs {plain}): the accents were lost")
# U+FFFD is a character like any (it extracts), and one past the BMP, which
# the fonts lack, is warned about and drawn as a space without losing the text
def odd(root):
    ET.SubElement(root.find(f"{q('letter')}/{q('summary')}"), q("p")).text = "Before \U0001F600 after \uFFFD end."
edit(path, odd, f"{work}/case/odd.xml")
r = build(binary, f"{work}/case/odd.xml", f"{work}/odd.pdf")
t.check(r.returncode == 0 and "U+1F600" in r.stderr, f"emoji: exit {r.returncode}, {r.stderr[-200:]}")
p = subprocess.run(["pdftotext", "-enc", "UTF-8", f"{work}/odd.pdf", "-"], capture_output=True, text=True)
t.check("after \uFFFD end." in norm(p.stdout) and not p.stderr, f"U+FFFD does not extract: {p.stderr[:200]}")
t.finish()
PY
