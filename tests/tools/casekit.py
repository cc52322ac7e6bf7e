"""Case files for the end-to-end tests: copy a case folder (scans and all),
change its case.xml with ElementTree, run appeal-packet on it, and keep the
"N passed, M failed" tally the tests print. tests/tools is on PYTHONPATH in
every test that sources tests/tools/e2e_lib.sh.

    from casekit import Tally, build, copy_case, example, q
    t = Tally()
    path = copy_case(example(src), f"{work}/x", lambda root: ...)
    r = build(binary, path, f"{work}/x.pdf")
    t.check(r.returncode == 0, f"build exit {r.returncode}: {r.stderr}")
    t.finish()
"""

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

NS = "urn:appeal-packet:case:1"
ET.register_namespace("", NS)
DATE = "2026-10-09"


def q(tag):
    """The element name tag in the case namespace, for find() and SubElement()."""
    return f"{{{NS}}}{tag}"


def example(src):
    """The folder of the complete example case in the source tree src."""
    return os.path.join(src, "fixtures", "cases", "format-example")


def edit(path, mutate, out=None):
    """Parses the case file path, calls mutate(root) and writes the result to
    out (default: path itself). Returns the path written."""
    tree = ET.parse(path)
    mutate(tree.getroot())
    out = out or path
    tree.write(out, encoding="UTF-8", xml_declaration=True)
    return out


def copy_case(base, dest, mutate=None):
    """Copies the case folder base to dest (which must not exist) and, given
    mutate, edits the copy's case.xml with it. Returns the copy's case.xml."""
    shutil.copytree(base, dest)
    path = os.path.join(dest, "case.xml")
    if mutate:
        edit(path, mutate)
    return path


def build(binary, case, pdf, *args, **kw):
    """Runs `appeal-packet build CASE -o PDF --date 2026-10-09 ARGS...` and
    returns the finished process (text output captured)."""
    return subprocess.run([binary, "build", case, "-o", pdf, "--date", DATE, *args],
                          capture_output=True, text=True, **kw)


class Tally:
    """Counts checks; prints "FAIL: ..." for each failed one."""

    def __init__(self):
        self.passed = self.failed = 0

    def check(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL: {what}")
        return cond

    def finish(self):
        """Prints "N passed, M failed" and exits 1 when any check failed."""
        print(f"{self.passed} passed, {self.failed} failed")
        sys.exit(1 if self.failed else 0)
