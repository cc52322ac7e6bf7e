#!/usr/bin/env bash
# The PngSuite (tests/data/pngsuite): every valid image embeds and its pixels,
# read back with mupdf (mutool extract), equal the source decoded by Pillow and composited
# on white; every broken one (x*.png) is refused with exit 65, a message
# naming the file, no output, and no crash.
. "$(dirname "$0")/../tools/e2e_lib.sh"
/usr/bin/python3 - "$src" "$bin" "$work" <<'PY'
import glob, os, re, shutil, subprocess, sys, xml.etree.ElementTree as ET
from PIL import Image
from casekit import Tally, build, copy_case, example, q
src, binary, work = sys.argv[1:4]
suite = sorted(glob.glob(os.path.join(src, "tests", "data", "pngsuite", "png", "*.png")))
valid = [p for p in suite if not os.path.basename(p).startswith("x")]
broken = [p for p in suite if os.path.basename(p).startswith("x")]
t = Tally()
check = t.check

def make_case(name, pngs):
    def pages(root):
        ex = root.find(f"{q('exhibits')}/{q('exhibit')}")
        for page in ex.findall(q("page")):
            ex.remove(page)
        for p in pngs:
            ET.SubElement(ex, q("page"), src="scans/" + os.path.basename(p))
    d = os.path.join(work, name)
    path = copy_case(example(src), d, pages)
    for p in pngs:
        shutil.copy(p, os.path.join(d, "scans", os.path.basename(p)))
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
r = build(binary, case, pdf)
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
    r = build(binary, case, pdf)
    check(r.returncode == 65, f"{name}: exit {r.returncode} (want 65): {r.stderr.strip()[:300]}")
    check(name in r.stderr, f"{name}: message does not name the file: {r.stderr.strip()[:300]}")
    check(not os.path.exists(pdf), f"{name}: output written")
t.finish()
PY
