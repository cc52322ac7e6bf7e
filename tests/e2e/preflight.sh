#!/usr/bin/env bash
# Preflight warnings in check: an exhibit never cited, a criterion backed
# only by the denial notice, no denial notice among the exhibits, and an
# expedited request without a reason. Each is a warning with its line; the
# case stays valid (exit 0).
set -u
src=${AP_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${AP_BIN:-$src/build/appeal-packet}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 - "$src" "$bin" "$work" <<'PY'
import json, os, shutil, subprocess, sys, xml.etree.ElementTree as ET
src, binary, work = sys.argv[1:4]
NS = "urn:appeal-packet:case:1"
ET.register_namespace("", NS)
q = lambda t: f"{{{NS}}}{t}"
base = os.path.join(src, "fixtures", "cases", "format-example")
passed = failed = 0

def run(name, mutate):
    d = os.path.join(work, name)
    shutil.copytree(base, d)
    path = os.path.join(d, "case.xml")
    tree = ET.parse(path)
    mutate(tree.getroot())
    tree.write(path, encoding="UTF-8", xml_declaration=True)
    r = subprocess.run([binary, "check", "--json", path, "--date", "2026-10-09"], capture_output=True, text=True)
    return r.returncode, json.loads(r.stdout)

def expect(name, mutate, needle):
    global passed, failed
    rc, o = run(name, mutate)
    hits = [w for w in o["warnings"] if needle in w["message"] and w["line"] > 0]
    if rc == 0 and o["valid"] and hits:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {name}: exit {rc}, warnings {o['warnings']}")

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
    path = os.path.join(src, "fixtures", "cases", case, "case.xml")
    o = json.loads(subprocess.run([binary, "check", "--json", path, "--date", "2026-10-09"], capture_output=True, text=True).stdout)
    if o["warnings"]:
        failed += 1
        print(f"FAIL: seed case {case} has warnings: {o['warnings']}")
    else:
        passed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
