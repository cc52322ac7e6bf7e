#!/usr/bin/python3
"""Reads a built packet back with independent tools and checks it against
its case file. Used by the end-to-end tests; prints one line per failure
and exits 1 if there was any.

    pdfcheck.py PACKET.pdf CASE.xml [--margin PT]

Checks (each with poppler, qpdf or mupdf, never with our own code):
  - qpdf --check finds no errors or warnings;
  - pdffonts: every font embedded, subset, with a Unicode map;
  - pdfinfo: page size and count; pdfimages: one image per scanned page
    (plus the signature image when the case has one);
  - pdftotext -bbox reads it without a warning (fonts' ToUnicode maps
    included), every word lies inside the page margins and no two words
    overlap;
  - every page carries the member id, the claim reference and
    "Page k of N" with the right k and N;
  - the patient's name, every criterion's text and every evidence finding
    extract back exactly (NFC, whitespace-normalised, in order);
  - mutool: the outline has an entry per exhibit and the pages render
    without complaint.
"""

import argparse
import html
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET

NS = {"a": "urn:appeal-packet:case:1"}
IGNORED_STDERR = ("ICC support is not available",)   # how this machine's mupdf was built


def run(cmd):
    p = subprocess.run(cmd, capture_output=True)
    err = "\n".join(l for l in p.stderr.decode("utf-8", "replace").splitlines()
                    if l.strip() and not any(s in l for s in IGNORED_STDERR))
    return p.returncode, p.stdout.decode("utf-8", "replace"), err


def tokens(s):
    """Words, split after the characters a line may break after."""
    out = []
    for word in norm(s).split(" "):
        out.extend(t for t in re.split(r"(?<=[-/\u2010\u2013\u2014])", word) if t)
    return out


def in_order(needle, hay):
    """True when needle's tokens occur in hay in the same order; a token
    wider than its column may be broken into consecutive pieces."""
    j = 0
    for t in needle:
        while j < len(hay):
            if hay[j] == t:
                j += 1
                break
            if t.startswith(hay[j]):
                k, acc = j, ""
                while k < len(hay) and t.startswith(acc + hay[k]):
                    acc += hay[k]
                    k += 1
                    if acc == t:
                        break
                if acc == t:
                    j = k
                    break
            j += 1
        else:
            return False
    return True


def norm(s):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip()


class Checker:
    def __init__(self, pdf, case, margin):
        self.pdf, self.case, self.margin = pdf, case, margin
        self.failures = []

    def fail(self, msg):
        self.failures.append(msg)

    def case_facts(self):
        root = ET.parse(self.case).getroot()
        t = lambda path: norm("".join(root.find(path, NS).itertext())) if root.find(path, NS) is not None else None
        name = " ".join(x for x in [t("a:patient/a:name/a:given"), t("a:patient/a:name/a:middle"),
                                    t("a:patient/a:name/a:family")] if x)
        self.member_id = t("a:coverage/a:member-id")
        self.reference = t("a:denial/a:reference")
        self.name = name
        self.criteria = [norm("".join(c.itertext())) for c in root.findall("a:criteria/a:criterion/a:requirement", NS)]
        self.findings = [norm("".join(e.itertext())) for e in root.findall("a:criteria/a:criterion/a:evidence", NS)]
        self.scan_pages = len(root.findall("a:exhibits/a:exhibit/a:page", NS))
        self.signature = root.find("a:prescriber/a:signature", NS) is not None
        self.exhibits = [norm("".join(e.find("a:title", NS).itertext())) for e in root.findall("a:exhibits/a:exhibit", NS)]

    def structure(self):
        rc, out, err = run(["qpdf", "--check", self.pdf])
        if rc != 0:
            self.fail(f"qpdf --check exited {rc}: {(out + err)[-400:]}")
        _, out, _ = run(["pdffonts", self.pdf])
        for line in out.splitlines()[2:]:
            cols = line.split()
            if len(cols) >= 7 and cols[-5:-2] != ["yes", "yes", "yes"]:
                self.fail(f"font not embedded+subset+unicode: {line}")
        _, out, _ = run(["pdfinfo", self.pdf])
        m = re.search(r"^Pages:\s+(\d+)", out, re.M)
        self.pages = int(m.group(1)) if m else 0
        m = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", out, re.M)
        self.width, self.height = (float(m.group(1)), float(m.group(2))) if m else (0, 0)
        if self.pages == 0:
            self.fail("pdfinfo reports no pages")
        _, out, _ = run(["pdfimages", "-list", self.pdf])
        images = [l for l in out.splitlines()[2:] if l.strip() and l.split()[2] == "image"]
        want = self.scan_pages + (1 if self.signature else 0)
        if len(images) != want:
            self.fail(f"pdfimages lists {len(images)} images, the case has {want}")

    def words(self):
        rc, out, err = run(["pdftotext", "-bbox", self.pdf, "-"])
        if rc != 0:
            self.fail(f"pdftotext -bbox failed: {err}")
            return []
        if err:
            self.fail(f"pdftotext complained: {err[:300]}")
        pages = []
        for block in re.findall(r"<page (.*?)</page>", out, re.S):
            words = []
            for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', block):
                words.append((float(m.group(1)), float(m.group(2)), float(m.group(3)), float(m.group(4)),
                              html.unescape(m.group(5))))
            pages.append(words)
        return pages

    def geometry(self, pages):
        m = self.margin
        for i, words in enumerate(pages, 1):
            for (x0, y0, x1, y1, w) in words:
                if x0 < m - 0.5 or y0 < m - 0.5 or x1 > self.width - m + 0.5 or y1 > self.height - m + 0.5:
                    self.fail(f"page {i}: word outside the {m}pt margins at ({x0:.1f},{y0:.1f})-({x1:.1f},{y1:.1f})")
            ordered = sorted(words, key=lambda w: w[1])
            for a in range(len(ordered)):
                for b in range(a + 1, len(ordered)):
                    A, B = ordered[a], ordered[b]
                    if B[1] >= A[3]:
                        break
                    ix = min(A[2], B[2]) - max(A[0], B[0])
                    iy = min(A[3], B[3]) - max(A[1], B[1])
                    # glyph boxes touch at line edges; a real collision overlaps by more than a point
                    if ix > 1.0 and iy > 1.5:
                        self.fail(f"page {i}: words overlap: {A[4]!r} and {B[4]!r}")

    def bands(self):
        for k in range(1, self.pages + 1):
            _, out, _ = run(["pdftotext", "-f", str(k), "-l", str(k), "-enc", "UTF-8", self.pdf, "-"])
            text = norm(out)
            if self.member_id not in text:
                self.fail(f"page {k}: member id missing")
            if self.reference not in text:
                self.fail(f"page {k}: claim reference missing")
            if f"Page {k} of {self.pages}" not in text:
                self.fail(f"page {k}: 'Page {k} of {self.pages}' missing")

    def content(self):
        _, out, _ = run(["pdftotext", "-enc", "UTF-8", "-nopgbrk", self.pdf, "-"])
        if self.name not in norm(out):
            self.fail("the patient's name does not extract back exactly")
        # content-stream order: each table cell's lines are drawn together, so
        # a cell's text is contiguous unless its row splits across pages, when
        # the rest of the row, the running bands and the repeated header come
        # between its parts; either way its tokens must appear in order
        _, raw, _ = run(["pdftotext", "-raw", "-enc", "UTF-8", "-nopgbrk", self.pdf, "-"])
        stream = tokens(raw)
        for i, c in enumerate(self.criteria, 1):
            if not in_order(tokens(c), stream):
                self.fail(f"criterion {i} does not extract back whole and in order")
        for i, f in enumerate(self.findings, 1):
            if not in_order(tokens(f), stream):
                self.fail(f"evidence finding {i} does not extract back whole and in order")

    def outline(self):
        _, out, _ = run(["mutool", "show", self.pdf, "outline"])
        entries = [l for l in out.splitlines() if l.strip()]
        ex = [l for l in entries if "Exhibit" in l]
        if len(ex) < len(self.exhibits):
            self.fail(f"outline has {len(ex)} exhibit entries, the case has {len(self.exhibits)} exhibits")
        rc, out, err = run(["mutool", "draw", "-r", "20", "-o", "/dev/null", self.pdf])
        err = "\n".join(l for l in err.splitlines() if not l.startswith("page "))
        if rc != 0 or err:
            self.fail(f"mutool draw complained: {err[:300]}")

    def run_all(self):
        self.case_facts()
        self.structure()
        if self.pages:
            self.geometry(self.words())
            self.bands()
            self.content()
            self.outline()
        return self.failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pdf")
    ap.add_argument("case")
    ap.add_argument("--margin", type=float, default=36.0)
    args = ap.parse_args()
    failures = Checker(args.pdf, args.case, args.margin).run_all()
    for f in failures:
        print(f"FAIL: {args.pdf}: {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
