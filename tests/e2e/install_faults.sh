#!/usr/bin/env bash
# A damaged installation (fonts or templates) stops the build with a message
# naming the file and the fix, a non-zero exit and no packet, including a
# face that is only loaded when the packet first prints with it.
. "$(dirname "$0")/../tools/e2e_lib.sh"
case_xml=$src/fixtures/cases/format-example/case.xml

# no fonts at all: 70 before anything is read
out=$("$bin" build "$case_xml" -o "$work/a.pdf" --fonts "$work/nowhere" --date 2026-10-09 2>&1); rc=$?
if [ $rc -eq 70 ] && printf '%s' "$out" | grep -q "nowhere/DejaVuSerif.ttf cannot be opened — reinstall appeal-packet or pass --fonts DIR" \
   && [ ! -e "$work/a.pdf" ]; then ok; else bad "missing fonts: exit $rc: $out"; fi

# a face the packet only needs for its bold headings is damaged: 70, named, no file or leftover
cp -r "$src/fonts" "$work/f"
head -c 5000 "$src/fonts/DejaVuSans-Bold.ttf" > "$work/f/DejaVuSans-Bold.ttf"
mkdir "$work/out"
out=$("$bin" build "$case_xml" -o "$work/out/b.pdf" --fonts "$work/f" --date 2026-10-09 2>&1); rc=$?
if [ $rc -eq 70 ] && printf '%s' "$out" | grep -q "f/DejaVuSans-Bold.ttf could not be loaded — reinstall appeal-packet or pass --fonts DIR" \
   && [ -z "$(ls -A "$work/out")" ]; then ok; else bad "damaged bold face: exit $rc: $out; left: $(ls -A "$work/out")"; fi

# the same fonts folder with the face restored builds
cp "$src/fonts/DejaVuSans-Bold.ttf" "$work/f/"
if "$bin" build "$case_xml" -o "$work/out/c.pdf" --fonts "$work/f" --date 2026-10-09 >/dev/null 2>&1 && [ -s "$work/out/c.pdf" ]
then ok; else bad "restored fonts folder does not build"; fi

# a template path that is a folder cannot be read: 78, named, no packet
cp -r "$src/templates" "$work/t"
rm "$work/t/letter.txt" && mkdir "$work/t/letter.txt"
out=$("$bin" build "$case_xml" -o "$work/d.pdf" --templates "$work/t" --date 2026-10-09 2>&1); rc=$?
if [ $rc -eq 78 ] && printf '%s' "$out" | grep -q "t/letter.txt: error: the template cannot be read" && [ ! -e "$work/d.pdf" ]
then ok; else bad "template folder: exit $rc: $out"; fi

finish
