#!/usr/bin/env bash
# A clinic edits the wording in a copy of templates/ and points --templates
# at it: the edit shows in the packet without recompiling; a mistake in a
# template or in rules.ini stops the build with exit 78 and FILE:LINE.
. "$(dirname "$0")/../tools/e2e_lib.sh"
case_xml=$src/fixtures/cases/format-example/case.xml
fresh() { rm -rf "$work/t"; cp -r "$src/templates" "$work/t"; }

# an edited sentence reaches the packet
fresh
sed -i 's/^Dear Appeals Reviewer:$/To the Medical Director, Appeals Unit:/' "$work/t/letter.txt"
"$bin" build "$case_xml" -o "$work/a.pdf" --templates "$work/t" --date 2026-10-09 >/dev/null 2>&1
if pdftotext "$work/a.pdf" - 2>/dev/null | grep -q "To the Medical Director, Appeals Unit:"; then ok; else bad "edited salutation not in the packet"; fi

# an unknown variable: 78, the template file and line, no output
fresh
printf '\nThis names {{no_such_value}}.\n' >> "$work/t/letter.txt"
line=$(grep -n "no_such_value" "$work/t/letter.txt" | cut -d: -f1)
out=$("$bin" build "$case_xml" -o "$work/b.pdf" --templates "$work/t" --date 2026-10-09 2>&1); rc=$?
if [ $rc -eq 78 ] && printf '%s' "$out" | grep -q "letter.txt:$line: error: unknown variable {{no_such_value}}" && [ ! -e "$work/b.pdf" ]
then ok; else bad "unknown variable: exit $rc: $out"; fi

# an unclosed condition and an unknown part
fresh
printf '@if expedited\n@insert nonsense\n' >> "$work/t/kinds/medical-necessity.txt"
out=$("$bin" build "$case_xml" -o "$work/c.pdf" --templates "$work/t" --date 2026-10-09 2>&1); rc=$?
if [ $rc -eq 78 ] && printf '%s' "$out" | grep -q "medical-necessity.txt:[0-9]*: error: unknown part @insert nonsense" \
   && [ ! -e "$work/c.pdf" ]; then ok; else bad "bad kind template: exit $rc: $out"; fi

# a missing kind template
fresh
rm "$work/t/kinds/medical-necessity.txt"
out=$("$bin" build "$case_xml" -o "$work/d.pdf" --templates "$work/t" --date 2026-10-09 2>&1); rc=$?
if [ $rc -eq 78 ] && printf '%s' "$out" | grep -q "kinds/medical-necessity.txt: error: the template cannot be opened"
then ok; else bad "missing template: exit $rc: $out"; fi

# a bad value in rules.ini: check and build both refuse, naming the line
fresh
sed -i '0,/^file_within = 180 days/s//file_within = 180 fortnights/' "$work/t/rules.ini"
line=$(grep -n "180 fortnights" "$work/t/rules.ini" | cut -d: -f1)
out=$("$bin" check "$case_xml" --templates "$work/t" --date 2026-10-09 2>&1); rc=$?
if [ $rc -eq 78 ] && printf '%s' "$out" | grep -q "rules.ini:$line: error: bad value for file_within"
then ok; else bad "bad rules.ini (check): exit $rc: $out"; fi
out=$("$bin" build "$case_xml" -o "$work/e.pdf" --templates "$work/t" --date 2026-10-09 2>&1); rc=$?
if [ $rc -eq 78 ] && [ ! -e "$work/e.pdf" ]; then ok; else bad "bad rules.ini (build): exit $rc: $out"; fi

# a template or rules file saved in Latin-1, not UTF-8: 78 naming the line,
# rather than a letter with mangled characters
fresh
printf '\nThe clinic\xe9s physician.\n' >> "$work/t/letter.txt"
line=$(grep -c '' "$work/t/letter.txt")
out=$("$bin" build "$case_xml" -o "$work/f.pdf" --templates "$work/t" --date 2026-10-09 2>&1); rc=$?
if [ $rc -eq 78 ] && printf '%s' "$out" | grep -q "letter.txt:$line: error: the line is not UTF-8 text — save the template as UTF-8" \
   && [ ! -e "$work/f.pdf" ]; then ok; else bad "Latin-1 template: exit $rc: $out"; fi
fresh
printf '# Caf\xe9\n' >> "$work/t/rules.ini"
line=$(grep -c '' "$work/t/rules.ini")
out=$("$bin" check "$case_xml" --templates "$work/t" --date 2026-10-09 2>&1); rc=$?
if [ $rc -eq 78 ] && printf '%s' "$out" | grep -q "rules.ini:$line: error: the line is not UTF-8 text"
then ok; else bad "Latin-1 rules.ini: exit $rc: $out"; fi

# the rules file changes the computed deadline without recompiling
fresh
sed -i '/^\[erisa-self-funded\]/,/^\[/s/^file_within = 180 days/file_within = 90 days/' "$work/t/rules.ini"
json=$("$bin" check --json "$case_xml" --templates "$work/t" --date 2026-10-09 2>/dev/null)
base=$("$bin" check --json "$case_xml" --date 2026-10-09 2>/dev/null)
if printf '%s\n%s' "$json" "$base" | /usr/bin/python3 -c '
import json, sys
from datetime import date
a, b = (json.loads(l)["deadlines"]["file_appeal_by"] for l in sys.stdin.read().splitlines())
assert (date.fromisoformat(b) - date.fromisoformat(a)).days == 90, (a, b)
'; then ok; else bad "rules.ini edit did not change the deadline: $json"; fi

finish
