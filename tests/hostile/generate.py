#!/usr/bin/python3
"""Writes the hostile-input cases of tests/e2e/hostile.sh.

  ./generate.py          rewrites the small committed cases in this folder
  ./generate.py --big D  writes the large ones into folder D (at test time;
                         they are never committed)

Every case is fixtures/invalid/base.xml with one hostile change; the scans
it names are scans/ok.png and scans/ok.jpg (copies of the invalid corpus's
valid scans); scans/other.png is a second valid scan of another size. tests/e2e/hostile.sh holds the exact behaviour expected of
each one (exit code, message, time and memory bound)."""
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BASE = open(os.path.join(ROOT, "fixtures/invalid/base.xml"), encoding="utf-8").read()


def variant(old, new):
    assert old in BASE, old
    return BASE.replace(old, new, 1)


def in_summary(markup):
    return variant("<p>Stage IVB", "<p>" + markup + " Stage IVB")


def in_given(text):
    return variant("<given>Test</given>", "<given>" + text + "</given>")


def small():
    utf16_decl = BASE.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    return {
        # nesting: libxml2 stops at 256 levels; 200 is a deep but valid case
        "nest-200.xml": in_summary("<b>" * 200 + "deep" + "</b>" * 200),
        "nest-300.xml": in_summary("<b>" * 300 + "deep" + "</b>" * 300),
        # control characters: C0 (other than tab, newline, return) are not XML
        "control-raw.xml": in_given("Te\x01st"),
        "control-charref.xml": in_given("Te&#x1;st"),
        "control-escape-raw.xml": in_given("Te\x1bst"),
        # DEL and C1 controls are XML characters: accepted, drawn as nothing
        "control-c1.xml": in_given("Te\x7f&#x85;&#x9F;st"),
        # invalid UTF-8 in text
        "utf8-invalid.xml": in_given("Te\udcc3(st"),
        "utf8-overlong.xml": in_given("Te\udcc0\udcafst"),
        "utf8-truncated.xml": in_given("Te\udce2\udc82"),
        "utf8-surrogate.xml": in_given("Te\udced\udca0\udc80st"),
        "charref-surrogate.xml": in_given("Te&#xD800;st"),
        "utf8-noncharacter.xml": in_given("Te\ufffest"),
        # NUL in an attribute, as a character reference and as a raw byte
        "nul-charref-attr.xml": variant('id="G1"', 'id="G&#0;1"'),
        "nul-raw-attr.xml": variant('id="G1"', 'id="G\x001"'),
        # duplicate attributes, plain and through two prefixes of one namespace
        "duplicate-attr.xml": variant('id="INV-0001"', 'id="INV-0001" id="INV-0002"'),
        "duplicate-attr-ns.xml": variant('id="INV-0001"',
                                         'id="INV-0001" xmlns:a="urn:x" xmlns:b="urn:x" a:n="1" b:n="2"'),
        # byte-order marks: UTF-8 BOM accepted; UTF-16 refused however declared
        "bom-utf8.xml": b"\xef\xbb\xbf" + BASE.encode("utf-8"),
        "utf16le-bom.xml": b"\xff\xfe" + utf16_decl.encode("utf-16-le"),
        "utf16be-bom.xml": b"\xfe\xff" + utf16_decl.encode("utf-16-be"),
        "utf16le-bom-undeclared.xml": b"\xff\xfe" + BASE.replace(' encoding="UTF-8"', "").encode("utf-16-le"),
        "utf16le-no-bom.xml": utf16_decl.encode("utf-16-le"),
        # other declared encodings: refused, with nothing printed by libxml2
        # itself and none of the file's bytes quoted
        "encoding-latin1.xml": BASE.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
                                   .replace("Test", "T\xe9st").encode("latin-1"),
        "encoding-ebcdic.xml": BASE.replace('encoding="UTF-8"', 'encoding="EBCDIC-US"'),
    }


def big():
    filler = "lorem ipsum "
    text = filler * (50 * 1000 * 1000 // len(filler) + 1)
    criteria = "".join(
        '<criterion id="K%d"><requirement>Requirement %d.</requirement>'
        '<evidence exhibit="E2">Finding %d.</evidence></criterion>' % (i, i, i)
        for i in range(10000))
    at_limit = "".join(
        '<criterion id="K%d"><requirement>Requirement %d is met by the record.</requirement>'
        '<evidence exhibit="E2">Finding %d.</evidence></criterion>' % (i, i, i)
        for i in range(499))
    return {
        "text-50mb.xml": variant("<p>Stage IVB", "<p>" + text + "</p><p>Stage IVB"),
        "criteria-10000.xml": variant('<criteria source="Policy 0520">',
                                      '<criteria source="Policy 0520">' + criteria),
        "criteria-500.xml": variant('<criteria source="Policy 0520">',
                                    '<criteria source="Policy 0520">' + at_limit),
        "nest-100000.xml": in_summary("<b>" * 100000 + "deep" + "</b>" * 100000),
        # many ids and references: checked in linear time
        "guidelines-50000.xml": variant("</guidelines>", "".join(
            '<guideline id="H%d" organization="O" title="T">Text %d.</guideline>' % (i, i)
            for i in range(50000)) + "</guidelines>"),
        "refs-50000.xml": in_summary('<ref guideline="G1"/> <ref exhibit="E2"/>' * 25000),
        "exhibits-10000.xml": variant("</exhibits>", "".join(
            '<exhibit id="X%d"><title>T</title><page src="scans/ok.png"/></exhibit>' % i
            for i in range(10000)) + "</exhibits>"),
    }


def write(folder, cases):
    os.makedirs(os.path.join(folder, "scans"), exist_ok=True)
    for name in ("ok.png", "ok.jpg"):
        shutil.copyfile(os.path.join(ROOT, "fixtures/invalid/scans", name),
                        os.path.join(folder, "scans", name))
    # a second valid scan of another size (PngSuite basn2c08, 32 x 32 RGB)
    shutil.copyfile(os.path.join(ROOT, "fuzz/corpus/png/pngsuite-basn2c08.png"),
                    os.path.join(folder, "scans", "other.png"))
    for name, body in cases.items():
        if isinstance(body, str):
            body = body.encode("utf-8", "surrogateescape")
        with open(os.path.join(folder, name), "wb") as f:
            f.write(body)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--big":
        write(sys.argv[2], big())
    elif len(sys.argv) == 1:
        write(HERE, small())
    else:
        sys.exit(__doc__)
