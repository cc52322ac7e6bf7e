#!/usr/bin/env bash
# Preflight warnings in check: an exhibit never cited, a criterion backed
# only by the denial notice, no denial notice among the exhibits, and an
# expedited request without a reason. Each is a warning with its line; the
# case stays valid (exit 0).
. "$(dirname "$0")/../tools/e2e_lib.sh"
/usr/bin/python3 - "$src" "$bin" "$work" <<'PY'
import json, os, subprocess, sys, xml.etree.ElementTree as ET
from casekit import Tally, copy_case, example, q
src, binary, work = sys.argv[1:4]
t = Tally()

def check_json(path):
    r = subprocess.run([binary, "check", "--json", path, "--date", "2026-10-09"], capture_output=True, text=True)
    return r.returncode, json.loads(r.stdout)

def expect(name, mutate, needle):
    rc, o = check_json(copy_case(example(src), os.path.join(work, name), mutate))
    hits = [w for w in o["warnings"] if needle in w["message"] and w["line"] > 0]
    t.check(rc == 0 and o["valid"] and hits, f"{name}: exit {rc}, warnings {o['warnings']}")

def unreferenced(root):
    ex = root.find(q("exhibits"))
    e = ET.SubElement(ex, q("exhibit"), id="E9")
    ET.SubElement(e, q("title")).text = "Unrelated letter"
    ET.SubElement(e, q("page"), src="scans/consult-1.png")

def only_denial(root):
    for ev in root.iter(q("evidence")):
        ev.set("exhibit", "E1")

def no_denial(root):
    for t in root.iter(q("title")):
        t.text = "Clinic record"

def no_reason(root):
    root.find(f"{q('requests')}/{q('expedited')}").attrib.pop("reason", None)

expect("unreferenced", unreferenced, "exhibit E9 is never referenced")
expect("only-denial", only_denial, "is supported only by the denial notice")
expect("no-denial", no_denial, "no exhibit looks like the denial notice")
expect("no-reason", no_reason, "expedited review is requested without a reason")
# the seed cases themselves are clean
for case in sorted(os.listdir(os.path.join(src, "fixtures", "cases"))):
    rc, o = check_json(os.path.join(src, "fixtures", "cases", case, "case.xml"))
    t.check(not o["warnings"], f"seed case {case} has warnings: {o['warnings']}")
t.finish()
PY
