#!/usr/bin/env bash
# `check` accepts every seed case in fixtures/cases and prints no patient
# data; `check --json` gives one well-formed JSON object for each.
. "$(dirname "$0")/../tools/e2e_lib.sh"

seed_cases
for xml in "${cases[@]}"; do
  name=$(basename "$(dirname "$xml")")
  out=$("$bin" check --date 2026-10-09 "$xml" 2>&1)
  rc=$?
  if [ $rc -eq 0 ]; then ok; else bad "$name: check exit $rc: $out"; fi
  json=$("$bin" check --json --date 2026-10-09 "$xml" 2>/dev/null)
  if printf '%s' "$json" | /usr/bin/python3 -c '
import json, sys
o = json.load(sys.stdin)
assert o["valid"] is True and o["errors"] == [], o
assert isinstance(o["case_id"], str) and o["case_id"]
assert set(o) >= {"case_id", "valid", "errors", "warnings"}
'; then ok; else bad "$name: check --json is not a valid result: $json"; fi
  # nothing from the patient block may appear in the output
  for field in given family birth-date; do
    value=$(sed -n "s:.*<$field>\([^<]*\)</$field>.*:\1:p" "$xml" | head -1)
    [ -z "$value" ] && continue
    if printf '%s\n%s' "$out" "$json" | grep -qF -- "$value"; then
      bad "$name: check output contains the patient's <$field>"
    else ok; fi
  done
done
finish
