#!/usr/bin/python3
"""Generates a batch of small case files for the batch tests, and validates
a batch report against docs/batch-report.schema.json.

usage: gen_batch.py make DIR [--count N] [--invalid-every K]
           writes DIR/cases/bNNN/case.xml (+ scans/) from
           fixtures/cases/format-example, and DIR/expected.json:
           {"cases/bNNN/case.xml": {"status", "case_id", "line", "message"}}
           (paths relative to DIR)
       gen_batch.py validate SCHEMA REPORT
           checks every line of REPORT against SCHEMA (uses the jsonschema
           module when present, else the subset of JSON Schema the batch
           schema uses); prints the first problem and exits 1 on failure.

Every case is valid except one in K (default 10), which breaks a rule in one
of five ways, cycling: an impossible date, a reference to an unknown exhibit,
a missing scan, a shared case id (the case and the valid case before it both
become invalid) and a file that is not well-formed XML. Output is
deterministic for a given N and K."""
import json
import os
import re
import struct
import sys
import zlib

SRC = os.environ.get("AP_SOURCE_DIR") or os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))


def png(width, height, seed):
    """A small grayscale PNG with a few dark bars (a stand-in scan)."""
    rows = []
    for y in range(height):
        dark = (y // 9 + seed) % 4 == 0 and 10 < y < height - 10
        row = bytes([0]) + bytes((40 if dark and 8 < x < width - 8 - (y * 7 + seed) % 30 else 250) for x in range(width))
        rows.append(row)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


EXHIBITS = """  <exhibits>
    <exhibit id="E1" date="2026-10-02"><title>Denial notice</title>
      <page src="scans/p1.png"/></exhibit>
    <exhibit id="E2" date="2026-09-12"><title>Surgical pathology report</title>
      <page src="scans/p2.png"/></exhibit>
    <exhibit id="E3" date="2026-09-20"><title>Oncology consult note</title>
      <page src="scans/p3.png"/></exhibit>
  </exhibits>
"""


def template():
    with open(os.path.join(SRC, "fixtures", "cases", "format-example", "case.xml"), encoding="utf-8") as f:
        text = f.read()
    # small cases: one small scan per exhibit
    text = re.sub(r"  <exhibits>.*</exhibits>\n", EXHIBITS, text, flags=re.S)
    return text


def line_of(text, needle):
    i = text.index(needle)
    return text.count("\n", 0, i) + 1


def make(out_dir, count, every):
    base = template()
    cases_dir = os.path.join(out_dir, "cases")
    os.makedirs(cases_dir, exist_ok=True)
    scans = [png(120, 156, s) for s in range(3)]
    expected = {}
    kinds = ["bad-date", "unknown-ref", "missing-scan", "duplicate-id", "not-well-formed"]
    n_invalid = 0
    for i in range(count):
        name = "b%03d" % i
        case_id = "CASE-B-%03d" % i
        text = base.replace('id="CASE-2026-0417"', 'id="%s"' % case_id)
        text = text.replace("U4455102301", "U44551%05d" % i)
        text = text.replace("PA-88120045", "PA-8812%04d" % i)
        text = text.replace("<group-number>3340021<", "<group-number>33%05d<" % (i * 7))
        path = os.path.join(cases_dir, name, "case.xml")
        rel = "cases/%s/case.xml" % name
        exp = {"status": "built", "case_id": case_id, "line": None, "message": None}
        if i % every == every - 1:
            kind = kinds[n_invalid % len(kinds)]
            n_invalid += 1
            if kind == "bad-date":
                text = text.replace("<date>2026-10-02</date>", "<date>2026-02-30</date>")
                exp.update(status="invalid", line=line_of(text, "<date>2026-02-30</date>"),
                           message="is not a real calendar date")
            elif kind == "unknown-ref":
                text = text.replace('(<ref exhibit="E2"/>)', '(<ref exhibit="E9"/>)')
                exp.update(status="invalid", line=line_of(text, '<ref exhibit="E9"/>'),
                           message="refers to exhibit 'E9', which does not exist")
            elif kind == "missing-scan":
                text = text.replace('src="scans/p3.png"', 'src="scans/p3-missing.png"')
                exp.update(status="invalid", line=line_of(text, 'src="scans/p3-missing.png"'),
                           message="p3-missing.png")
            elif kind == "duplicate-id":
                # share the id of the case before; both become invalid
                prev = "cases/b%03d/case.xml" % (i - 1)
                case_id = expected[prev]["case_id"]
                text = text.replace('id="CASE-B-%03d"' % i, 'id="%s"' % case_id)
                root = line_of(text, "<appeal ")
                exp.update(status="invalid", case_id=case_id, line=root, message="is also the id of " + prev)
                expected[prev].update(status="invalid", line=root, message="is also the id of " + rel)
            else:
                text = text.replace("</requirement>", "</requirment>", 1)
                exp.update(status="invalid", line=line_of(text, "</requirment>"), message="not well-formed")
                exp["case_id"] = case_id
        expected[rel] = exp
        os.makedirs(os.path.join(cases_dir, name, "scans"), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        for k, data in enumerate(scans):
            with open(os.path.join(cases_dir, name, "scans", "p%d.png" % (k + 1)), "wb") as f:
                f.write(data)
    with open(os.path.join(out_dir, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, indent=1, sort_keys=True)


# ---- validation ------------------------------------------------------------

def _type_ok(value, t):
    if isinstance(t, list):
        return any(_type_ok(value, x) for x in t)
    return {
        "null": value is None,
        "boolean": isinstance(value, bool),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, (int, float)) and not isinstance(value, bool),
        "string": isinstance(value, str),
        "array": isinstance(value, list),
        "object": isinstance(value, dict),
    }[t]


def check(value, schema, root, where="$"):
    """Returns a list of problems; supports the keywords the batch schema uses."""
    if "$ref" in schema:
        ref = schema["$ref"]
        assert ref.startswith("#/$defs/"), ref
        return check(value, root["$defs"][ref[len("#/$defs/"):]], root, where)
    errs = []
    if "type" in schema and not _type_ok(value, schema["type"]):
        return ["%s: %r is not of type %s" % (where, value, schema["type"])]
    if "const" in schema and value != schema["const"]:
        errs.append("%s: %r is not %r" % (where, value, schema["const"]))
    if "enum" in schema and value not in schema["enum"]:
        errs.append("%s: %r is not one of %r" % (where, value, schema["enum"]))
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errs.append("%s: %r does not match %s" % (where, value, schema["pattern"]))
        if "minLength" in schema and len(value) < schema["minLength"]:
            errs.append("%s: %r is too short" % (where, value))
    if _type_ok(value, "integer") and "minimum" in schema and value < schema["minimum"]:
        errs.append("%s: %r is below %r" % (where, value, schema["minimum"]))
    if isinstance(value, list):
        if "minItems" in schema and len(value) < schema["minItems"]:
            errs.append("%s: fewer than %d items" % (where, schema["minItems"]))
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            errs.append("%s: more than %d items" % (where, schema["maxItems"]))
        if "items" in schema:
            for i, v in enumerate(value):
                errs += check(v, schema["items"], root, "%s[%d]" % (where, i))
    if isinstance(value, dict):
        for k in schema.get("required", []):
            if k not in value:
                errs.append("%s: missing %r" % (where, k))
        props = schema.get("properties", {})
        for k, v in value.items():
            if k in props:
                errs += check(v, props[k], root, "%s.%s" % (where, k))
            elif schema.get("additionalProperties", True) is False:
                errs.append("%s: unexpected property %r" % (where, k))
    for sub in schema.get("allOf", []):
        errs += check(value, sub, root, where)
    if "if" in schema:
        if not check(value, schema["if"], root, where):
            errs += check(value, schema.get("then", {}), root, where)
        elif "else" in schema:
            errs += check(value, schema["else"], root, where)
    known = {"$schema", "$id", "$defs", "$ref", "$comment", "title", "description", "type", "const", "enum",
             "pattern", "minLength", "minimum", "minItems", "maxItems", "items", "required", "properties",
             "additionalProperties", "allOf", "if", "then", "else", "examples"}
    unknown = set(schema) - known
    assert not unknown, "validator does not support %s" % sorted(unknown)
    return errs


def validate(schema_path, report_path):
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    try:
        import jsonschema  # noqa: F401
        validator = jsonschema.validators.validator_for(schema)(schema)
        run = lambda obj: ["%s: %s" % (list(e.absolute_path), e.message) for e in validator.iter_errors(obj)]
    except ImportError:
        run = lambda obj: check(obj, schema, schema)
    with open(report_path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines[-1] != "":
        print("%s: the last line has no newline" % report_path)
        return 1
    for n, line in enumerate(lines[:-1], 1):
        try:
            obj = json.loads(line)
        except ValueError as e:
            print("%s:%d: not JSON: %s" % (report_path, n, e))
            return 1
        errs = run(obj)
        if errs:
            print("%s:%d: %s" % (report_path, n, errs[0]))
            return 1
    return 0


def main(argv):
    if len(argv) >= 3 and argv[1] == "make":
        count, every = 200, 10
        args = argv[3:]
        while args:
            if args[0] == "--count":
                count = int(args[1])
            elif args[0] == "--invalid-every":
                every = int(args[1])
            else:
                sys.exit(__doc__)
            args = args[2:]
        make(argv[2], count, every)
        return 0
    if len(argv) == 4 and argv[1] == "validate":
        return validate(argv[2], argv[3])
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
