#!/usr/bin/env bash
# The PngSuite (tests/data/pngsuite): every valid image embeds and its pixels,
# read back with mupdf (mutool extract), equal the source decoded by Pillow and composited
# on white; every broken one (x*.png) is refused with exit 65, a message
# naming the file, no output, and no crash.
set -u
src=${AP_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${AP_BIN:-$src/build/appeal-packet}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 - "$src" "$bin" "$work" <<'PY'
import glob, os, re, shutil, subprocess, sys, xml.etree.ElementTree as ET
from PIL import Image
src, binary, work = sys.argv[1:4]
NS = "urn:appeal-packet:case:1"
ET.register_namespace("", NS)
q = lambda t: f"{{{NS}}}{t}"
suite = sorted(glob.glob(os.path.join(src, "tests", "data", "pngsuite", "png", "*.png")))
valid = [p for p in suite if not os.path.basename(p).startswith("x")]
broken = [p for p in suite if os.path.basename(p).startswith("x")]
passed = failed = 0
def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)

def make_case(name, pngs):
    d = os.path.join(work, name)
    shutil.copytree(os.path.join(src, "fixtures", "cases", "format-example"), d)
    for p in pngs:
        shutil.copy(p, os.path.join(d, "scans", os.path.basename(p)))
    path = os.path.join(d, "case.xml")
    tree = ET.parse(path)
    ex = tree.getroot().find(f"{q('exhibits')}/{q('exhibit')}")
    for page in ex.findall(q("page")):
        ex.remove(page)
    for p in pngs:
        ET.SubElement(ex, q("page"), src="scans/" + os.path.basename(p))
    tree.write(path, encoding="UTF-8", xml_declaration=True)
    return path

def expected(path):
    im = Image.open(path)
    if im.mode in ("I;16", "I;16B", "I"):
        im = im.point(lambda v: v / 256).convert("L") if im.mode != "I" else im.point(lambda v: v / 256).convert("L")
    if im.mode == "P" and "transparency" in im.info:
        im = im.convert("RGBA")
    if im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info:
        im = im.convert("RGBA")
        white = Image.new("RGBA", im.size, (255, 255, 255, 255))
        im = Image.alpha_composite(white, im)
    return im.convert("RGB")

# one packet with every valid image as a page of the first exhibit
case = make_case("valid", valid)
pdf = os.path.join(work, "valid.pdf")
r = subprocess.run([binary, "build", case, "-o", pdf, "--date", "2026-10-09"], capture_output=True, text=True)
check(r.returncode == 0, f"valid PngSuite images: build exit {r.returncode}: {r.stderr[-2000:]}")
if r.returncode == 0:
    out = os.path.join(work, "img")
    os.mkdir(out)
    # mutool extract writes each image XObject at its own resolution (pdfimages
    # -png writes 1-bit indexed images as black and white, losing the palette)
    subprocess.run(["mutool", "extract", os.path.abspath(pdf)], cwd=out, capture_output=True)
    got = sorted(glob.glob(out + "/image-*.png"), key=lambda f: int(re.search(r"(\d+)", os.path.basename(f)).group(1)))
    # the first images belong to other exhibits of the base case; ours are the first exhibit
    check(len(got) >= len(valid), f"pdfimages gave {len(got)} images for {len(valid)} scans")
    for p, g in zip(valid, got):
        want = expected(p)
        have = Image.open(g).convert("RGB")
        name = os.path.basename(p)
        if have.size != want.size:
            check(False, f"{name}: size {have.size} != {want.size}")
            continue
        # exact for 8-bit and lower; 16-bit samples and alpha blending may round differently by 1
        tol = 1 if ("16" in name or re.match(r"^(tb|tm|tp|ba|bg|tbb|tbg|tbr|tbw|tbyn)", name) or name[4] in "46") else 0
        diff = max(max(abs(a - b) for a, b in zip(pa, pb)) for pa, pb in zip(have.getdata(), want.getdata()))
        check(diff <= tol, f"{name}: pixels differ by up to {diff} (allowed {tol})")

for p in broken:
    name = os.path.basename(p)
    case = make_case("bad-" + name, [p])
    pdf = os.path.join(work, name + ".pdf")
    r = subprocess.run([binary, "build", case, "-o", pdf, "--date", "2026-10-09"], capture_output=True, text=True)
    check(r.returncode == 65, f"{name}: exit {r.returncode} (want 65): {r.stderr.strip()[:300]}")
    check(name in r.stderr, f"{name}: message does not name the file: {r.stderr.strip()[:300]}")
    check(not os.path.exists(pdf), f"{name}: output written")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
