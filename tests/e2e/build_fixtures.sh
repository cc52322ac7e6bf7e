#!/usr/bin/env bash
# `build` turns every seed case into a packet that independent readers
# accept (tests/tools/pdfcheck.py: qpdf, poppler, mupdf), byte-identical
# from run to run, in Letter or A4, leaving nothing half-written.
. "$(dirname "$0")/../tools/e2e_lib.sh"

seed_cases
for xml in "${cases[@]}"; do
  name=$(basename "$(dirname "$xml")")
  pdf=$work/$name.pdf
  out=$("$bin" build "$xml" -o "$pdf" --date 2026-10-09 2>&1)
  rc=$?
  if [ $rc -ne 0 ] || [ ! -s "$pdf" ]; then bad "$name: build exit $rc: $out"; continue; fi
  ok
  if printf '%s' "$out" | grep -q "warning"; then bad "$name: seed case builds with warnings: $out"; else ok; fi
  if /usr/bin/python3 "$src/tests/tools/pdfcheck.py" "$pdf" "$xml"; then ok; else bad "$name: pdfcheck"; fi
  # the same input gives the same bytes
  "$bin" build "$xml" -o "$work/again.pdf" --date 2026-10-09 >/dev/null 2>&1
  if cmp -s "$pdf" "$work/again.pdf"; then ok; else bad "$name: two builds differ"; fi
  # the PDF's info dates come from --date, not the clock
  if pdfinfo "$pdf" 2>/dev/null | grep -q "^CreationDate:.*Oct  9 .*2026"; then ok
  else bad "$name: CreationDate is not the --date: $(pdfinfo "$pdf" 2>/dev/null | grep CreationDate)"; fi
done

demo=$src/fixtures/cases/genomic-profiling/case.xml
# A4 on request, Letter by default
"$bin" build "$demo" -o "$work/a4.pdf" --a4 --date 2026-10-09 >/dev/null 2>&1
if pdfinfo "$work/a4.pdf" 2>/dev/null | grep -q "^Page size: *595.2.* x 841.8"; then ok; else bad "--a4 does not give A4 pages"; fi
if pdfinfo "$work/genomic-profiling.pdf" 2>/dev/null | grep -q "^Page size: *612 x 792"; then ok; else bad "default paper is not Letter"; fi
if /usr/bin/python3 "$src/tests/tools/pdfcheck.py" "$work/a4.pdf" "$demo"; then ok; else bad "A4 packet fails pdfcheck"; fi

# the title names the case id and the service
if pdfinfo "$work/genomic-profiling.pdf" 2>/dev/null | grep -q "^Title: *Appeal packet CASE-2026-0502 — Comprehensive genomic profiling"; then ok
else bad "title does not name the case and service"; fi

# an output folder that does not exist: 73, and nothing written
"$bin" build "$demo" -o "$work/missing/dir/x.pdf" --date 2026-10-09 >"$work/err" 2>&1
rc=$?
if [ $rc -eq 73 ] && [ ! -e "$work/missing" ]; then ok; else bad "missing output folder: exit $rc: $(cat "$work/err")"; fi

# an invalid case: 65, no output file, no temporary file left behind
mkdir -p "$work/inv"
"$bin" build "$src/fixtures/invalid/unknown-plan-type.xml" -o "$work/inv/x.pdf" >/dev/null 2>&1
rc=$?
if [ $rc -eq 65 ] && [ -z "$(ls -A "$work/inv")" ]; then ok; else bad "invalid case: exit $rc, left: $(ls -A "$work/inv")"; fi

# a letter date past the filing deadline: check warns, the packet still builds
out=$("$bin" check "$demo" --date 2027-06-01 2>&1); rc=$?
if [ $rc -eq 0 ] && printf '%s' "$out" | grep -q "warning: the filing deadline (2027-03-29) has passed"; then ok
else bad "past deadline not warned: exit $rc: $out"; fi
out=$("$bin" check "$demo" --date 2027-03-25 2>&1)
if printf '%s' "$out" | grep -q "warning: the filing deadline (2027-03-29) is 4 days away"; then ok
else bad "near deadline not warned: $out"; fi
"$bin" build "$demo" -o "$work/late.pdf" --date 2027-06-01 >/dev/null 2>&1; rc=$?
if [ $rc -eq 0 ] && [ -s "$work/late.pdf" ]; then ok; else bad "a late packet did not build: exit $rc"; fi

# a character the fonts lack is a warning naming the element and line, not a silent gap
mkdir -p "$work/glyph"
cp -r "$src/fixtures/cases/format-example/." "$work/glyph/"
sed -i '0,/<requirement>/s/<requirement>/<requirement>Emoji \xF0\x9F\x98\x80 and CJK \xE4\xB8\xAD: /' "$work/glyph/case.xml"
line=$(grep -n "<criterion " "$work/glyph/case.xml" | head -1 | cut -d: -f1)   # the criterion holding it
out=$("$bin" build "$work/glyph/case.xml" -o "$work/glyph.pdf" --date 2026-10-09 2>&1)
rc=$?
if [ $rc -eq 0 ] && printf '%s' "$out" | grep -q "case.xml:$line: warning: <requirement> contains U+1F600" \
   && printf '%s' "$out" | grep -q "U+4E2D"; then ok; else bad "missing glyphs not reported (exit $rc): $out"; fi

# a failed build leaves an existing file at the target untouched
echo "previous packet" > "$work/inv/keep.pdf"
"$bin" build "$src/fixtures/invalid/unknown-plan-type.xml" -o "$work/inv/keep.pdf" >/dev/null 2>&1
if [ "$(cat "$work/inv/keep.pdf")" = "previous packet" ]; then ok; else bad "failed build changed the existing target"; fi

# no temporary files anywhere after the successful builds
if [ -z "$(find "$work" -name '.*.partial-*')" ]; then ok; else bad "temporary files left: $(find "$work" -name '.*.partial-*')"; fi

# the disk fills up mid-save (a file-size limit makes write fail with EFBIG):
# 74, a message naming the target, and nothing left at the target or beside it
mkdir -p "$work/full"
(trap '' XFSZ; ulimit -f 100; exec "$bin" build "$demo" -o "$work/full/x.pdf" --date 2026-10-09) >"$work/err" 2>&1
rc=$?
if [ $rc -eq 74 ] && [ -z "$(ls -A "$work/full")" ] && grep -q "x.pdf" "$work/err"; then ok
else bad "write failure: exit $rc, left: $(ls -A "$work/full"), said: $(cat "$work/err")"; fi

finish
