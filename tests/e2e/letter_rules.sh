#!/usr/bin/env bash
# The letter cites exactly the rights the plan type gives: for every plan
# type and every denial kind, build a packet and assert the plan's own
# citations and sentences are there and the ones that do not bind it are
# absent (ERISA claim-file rights never on Medicare, Medicaid or FEHB;
# state step-therapy law never on self-funded ERISA, Medicare or FEHB).
. "$(dirname "$0")/../tools/e2e_lib.sh"
/usr/bin/python3 - "$src" "$bin" "$work" <<'PY'
import os, re, subprocess, sys, xml.etree.ElementTree as ET
from casekit import Tally, build, copy_case, example, q
src, binary, work = sys.argv[1:4]
t = Tally()

def letter(plan, kind, name):
    def mutate(root):
        root.find(f"{q('coverage')}/{q('plan-type')}").text = plan
        root.find(f"{q('denial')}/{q('kind')}").text = kind
        req = root.find(q("requests"))
        ET.SubElement(req, q("peer-to-peer"))
        if kind == "step-therapy":
            ET.SubElement(req, q("step-therapy-exception"))
            hist = ET.Element(q("treatment-history"))
            ET.SubElement(hist, q("treatment"), start="2026-01-05", end="2026-04-01", outcome="failed",
                          exhibit="E1").text = "Carboplatin and pemetrexed, four cycles."
            kids = list(root)
            root.insert(kids.index(root.find(q("criteria"))), hist)
    path = copy_case(example(src), os.path.join(work, name), mutate)
    pdf = os.path.join(work, name + ".pdf")
    p = build(binary, path, pdf)
    if p.returncode != 0:
        raise RuntimeError(f"{name}: build exit {p.returncode}: {p.stderr}")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", "2", "-l", "6", pdf, "-"],
                          capture_output=True, text=True).stdout
    return re.sub(r"\s+", " ", text)

def check(name, cond, what):
    t.check(cond, f"{name}: {what}")

PLANS = {
    # plan: (must appear, must not appear)
    "aca-individual": (["45 CFR 147.136(b)(3)", "(h)(2)(iii)", "independent external review"], ["422.5", "438.4", "890.105"]),
    "aca-group-insured": (["29 CFR 2560.503-1(h)", "(h)(2)(iii)", "147.136(b)(2)"], ["422.5", "438.4", "890.105"]),
    "erisa-insured": (["29 CFR 2560.503-1(h)", "(h)(2)(iii)"], ["422.5", "438.4", "890.105"]),
    "erisa-self-funded": (["29 CFR 2560.503-1(h)", "(h)(2)(iii)", "2590.715-2719"], ["422.5", "438.4", "890.105"]),
    "medicare-advantage": (["42 CFR 422.578", "422.582(b)", "Independent Review Entity"], ["2560.503", "147.136", "438.4", "890.105", "(h)(2)(iii)"]),
    "medicare-part-d": (["42 CFR 423.580", "423.582(b)"], ["2560.503", "147.136", "438.4", "890.105", "(h)(2)(iii)"]),
    "medicaid-mco": (["42 CFR 438.402", "438.402(c)(2)(ii)", "State fair hearing"], ["2560.503", "147.136", "422.5", "890.105", "(h)(2)(iii)"]),
    "fehb": (["5 CFR 890.105", "Office of Personnel Management"], ["2560.503", "147.136", "422.5", "438.4", "(h)(2)(iii)"]),
    "state-regulated": (["45 CFR 147.136(b)", "external review under the State"], ["422.5", "438.4", "890.105"]),
    "other": ([], ["2560.503", "147.136", "422.5", "438.4", "890.105"]),
}
STATE_LAW = {"aca-individual", "aca-group-insured", "erisa-insured", "state-regulated"}
STATE_SENTENCE = "step-therapy exception law of the State"
for plan, (present, absent) in PLANS.items():
    for kind in ("medical-necessity", "step-therapy"):
        name = f"{plan}-{kind}"
        text = letter(plan, kind, name)
        for s in present:
            check(name, s in text, f"missing {s!r}")
        check(name, "()" not in text and "within (" not in text and "{{" not in text,
              "a rules value is empty where the letter prints it")
        for s in absent:
            check(name, s not in text, f"cites {s!r}, which does not bind this plan type")
        if kind == "step-therapy":
            check(name, (STATE_SENTENCE in text) == (plan in STATE_LAW),
                  "state step-therapy law sentence " + ("missing" if plan in STATE_LAW else "cited for a plan it does not bind"))
            check(name, "Carboplatin and pemetrexed" in text and "tried and stopped for lack of effect" in text,
                  "the prior treatment and its exception ground are not in the letter")
        else:
            check(name, STATE_SENTENCE not in text, "state law sentence in a non-step-therapy letter")

KINDS = {
    "medical-necessity": "is medically necessary for my patient",
    "step-therapy": "exception to a step-therapy requirement",
    "experimental-investigational": "experimental or investigational",
    "out-of-network": "in-network level of benefits",
    "not-a-covered-benefit": "not a covered benefit",
    "prior-authorization-required": "what prior authorization exists to confirm",
    "coding-or-billing": "reprocess the claim",
    "other": "answer each point of the denial",
}
for kind, sentence in KINDS.items():
    name = f"kind-{kind}"
    text = letter("erisa-self-funded", kind, name)
    check(name, sentence in text, f"missing the {kind} argument")
    for other, s in KINDS.items():
        if other != kind and not (kind == "step-therapy" and other == "step-therapy"):
            check(name, s not in text, f"carries the {other} argument")
t.finish()
PY
