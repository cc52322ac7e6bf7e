#!/usr/bin/env bash
# Hostile inputs beyond the invalid-case corpus: each ends in exactly the
# expected exit code and message, or in a packet that independent readers
# accept, within a time and memory bound (SECURITY.md "Limits and bounds";
# the bounds leave room for sanitizer builds). The small cases are committed
# in tests/hostile/; the large ones (a 50 MB text, 10,000 criteria, 100,000
# nested elements) and the links, FIFOs and devices are made here.
. "$(dirname "$0")/../tools/e2e_lib.sh"
bin=$(realpath "$bin")
hostile=$src/tests/hostile
base=$src/fixtures/invalid/base.xml
bounded=$src/tests/tools/run_bounded.py

# expect NAME EXIT MESSAGE SECONDS MIB -- ARGS...
# Runs appeal-packet ARGS within the bounds; the exit code must be EXIT and
# stderr must contain MESSAGE; every diagnostic is one line naming a file.
expect() {
  local name=$1 want=$2 msg=$3 secs=$4 mib=$5
  shift 6
  local m
  if m=$(/usr/bin/python3 "$bounded" "$secs" "$mib" -- "$bin" "$@"); then ok
  else bad "$name: outside ${secs}s / ${mib} MiB ($m)"; fi
  "$bin" "$@" >/dev/null 2>"$work/err"
  local rc=$?
  if [ "$rc" = "$want" ] && { [ -z "$msg" ] || grep -qF -- "$msg" "$work/err"; }; then ok
  else bad "$name: exit $rc (want $want), said: $(head -c 600 "$work/err")"; fi
  if [ "$want" != 0 ] && grep -vqE '^[^ ]+(:[0-9]+)?: (error|warning): |^\([0-9]+ further findings not shown\)$' "$work/err"; then
    bad "$name: a diagnostic is not one 'FILE:LINE: error: ...' line: $(head -c 600 "$work/err")"
  else ok; fi
}

# packet NAME CASE [ARGS...]: check passes, build gives a PDF the readers accept.
packet() {
  local name=$1 case=$2
  shift 2
  expect "$name (check)" 0 "is valid" 5 300 -- check "$case" "$@"
  expect "$name (build)" 0 "" 120 1500 -- build "$case" -o "$work/packet.pdf" --date 2026-10-09 "$@"
  if /usr/bin/python3 "$src/tests/tools/pdfcheck.py" "$work/packet.pdf" "$case" >"$work/pdfcheck" 2>&1; then ok
  else bad "$name: packet fails pdfcheck: $(tail -5 "$work/pdfcheck")"; fi
  rm -f "$work/packet.pdf"
}

# refused NAME EXIT MESSAGE CASE [ARGS...]: check and build both refuse, and
# build leaves no file behind.
refused() {
  local name=$1 want=$2 msg=$3 case=$4
  shift 4
  expect "$name (check)" "$want" "$msg" 5 1000 -- check "$case" "$@"
  mkdir -p "$work/out"
  expect "$name (build)" "$want" "$msg" 5 1000 -- build "$case" -o "$work/out/x.pdf" --date 2026-10-09 "$@"
  if [ -z "$(ls -A "$work/out")" ]; then ok; else bad "$name: build left $(ls -A "$work/out")"; fi
  # check --json reports on stdout only (libxml2 must not print on its own)
  "$bin" check --json "$case" "$@" >/dev/null 2>"$work/err"
  if [ -s "$work/err" ]; then bad "$name: check --json printed on stderr: $(head -c 300 "$work/err")"; else ok; fi
}

not_xml="the case file is not well-formed XML"
utf16="the case file is encoded as UTF-16 — export it as UTF-8"

# ---- committed cases ------------------------------------------------------
cd "$hostile" || exit 1
packet nest-200 nest-200.xml
refused nest-300 65 "$not_xml (Excessive depth in document: 256" nest-300.xml
refused control-raw 65 "$not_xml (PCDATA invalid Char value 1)" control-raw.xml
refused control-charref 65 "$not_xml (xmlParseCharRef: invalid xmlChar value 1)" control-charref.xml
refused control-escape-raw 65 "$not_xml (PCDATA invalid Char value 27)" control-escape-raw.xml
packet control-c1 control-c1.xml
# (build, which knows the fonts, names each control character it cannot draw)
expect "control-c1 (warning)" 0 "U+0085" 120 1500 -- build control-c1.xml -o "$work/c1.pdf" --date 2026-10-09
refused utf8-invalid 65 "$not_xml (Input is not proper UTF-8" utf8-invalid.xml
refused utf8-overlong 65 "$not_xml (Input is not proper UTF-8" utf8-overlong.xml
refused utf8-truncated 65 "$not_xml (Input is not proper UTF-8" utf8-truncated.xml
refused utf8-surrogate 65 "$not_xml (Char 0xD800 out of allowed range)" utf8-surrogate.xml
refused charref-surrogate 65 "$not_xml (xmlParseCharRef: invalid xmlChar value 55296)" charref-surrogate.xml
refused utf8-noncharacter 65 "$not_xml (Char 0xFFFE out of allowed range)" utf8-noncharacter.xml
refused nul-charref-attr 65 "$not_xml (xmlParseCharRef: invalid xmlChar value 0)" nul-charref-attr.xml
refused nul-raw-attr 65 "$not_xml (Char 0x0 out of allowed range)" nul-raw-attr.xml
refused duplicate-attr 65 "$not_xml (Attribute id redefined)" duplicate-attr.xml
refused duplicate-attr-ns 65 "$not_xml (Namespaced Attribute n in 'urn:x' redefined)" duplicate-attr-ns.xml
packet bom-utf8 bom-utf8.xml
for f in utf16le-bom utf16be-bom utf16le-bom-undeclared utf16le-no-bom; do
  refused "$f" 65 "$f.xml:1: error: $utf16" "$f.xml"
done
refused encoding-latin1 65 "encoding-latin1.xml:1: error: the case file is encoded as ISO-8859-1 — export it as UTF-8" encoding-latin1.xml
refused encoding-ebcdic 65 "$not_xml (input conversion failed due to input error)" encoding-ebcdic.xml
# the bytes libxml2 quotes after an encoding error are case text: never shown
for f in utf8-invalid encoding-ebcdic; do
  "$bin" check "$f.xml" 2>"$work/err"
  if grep -qi "bytes.*0x" "$work/err"; then bad "$f: the message quotes the file's bytes"; else ok; fi
done

# ---- large cases, made now ------------------------------------------------
big=$work/big
/usr/bin/python3 "$hostile/generate.py" --big "$big" || bad "cannot generate the large cases"
cd "$big" || exit 1
refused text-50mb 65 "<p> holds a text of 50000004 bytes, over the limit of 10000000 bytes for one text" text-50mb.xml
refused criteria-10000 65 "the case has 10001 criteria, over the limit of 500" criteria-10000.xml
refused nest-100000 65 "$not_xml (Excessive depth in document: 256" nest-100000.xml
packet criteria-500 criteria-500.xml
refused exhibits-10000 65 "the case has 10002 exhibits, over the limit of 200" exhibits-10000.xml
expect "guidelines-50000 (check)" 0 "is valid" 5 300 -- check guidelines-50000.xml
expect "refs-50000 (check)" 0 "is valid" 5 300 -- check refs-50000.xml
rm -f text-50mb.xml

# ---- links, FIFOs and devices ----------------------------------------------
mkcase() { # mkcase DIR: the base case with its two scans in DIR/scans
  mkdir -p "$1/scans" && cp "$base" "$1/case.xml" && cp "$hostile"/scans/ok.* "$1/scans/"
}
# a scan folder that is a link to a folder inside the case folder: fine
mkdir -p "$work/symdir-in/real"
cp "$base" "$work/symdir-in/case.xml"
cp "$hostile"/scans/ok.* "$work/symdir-in/real/"
ln -s real "$work/symdir-in/scans"
packet symdir-inside "$work/symdir-in/case.xml"
# ... and to a folder outside it: refused
mkdir -p "$work/symdir-out" "$work/elsewhere"
cp "$base" "$work/symdir-out/case.xml"
cp "$hostile"/scans/ok.* "$work/elsewhere/"
ln -s ../elsewhere "$work/symdir-out/scans"
refused symdir-outside 65 "case.xml:44: error: <page> src 'scans/ok.png' leads outside the case folder through a symbolic link" "$work/symdir-out/case.xml"
# a FIFO as a scan: refused at once, never read (no writer: reading would block)
mkcase "$work/fifo"
rm "$work/fifo/scans/ok.png" && mkfifo "$work/fifo/scans/ok.png"
refused fifo-scan 65 "<page> src 'scans/ok.png' is not a regular file" "$work/fifo/case.xml"
# /dev/zero through a link as a scan: outside the folder; and with
# --base-dir / (inside it), not a regular file
mkcase "$work/zero"
ln -sf /dev/zero "$work/zero/scans/ok.png"
refused dev-zero-scan 65 "<page> src 'scans/ok.png' leads outside the case folder through a symbolic link" "$work/zero/case.xml"
refused dev-zero-scan-base-dir 65 "<page> src 'scans/ok.png' is not a regular file" "$work/zero/case.xml" --base-dir /
# the case file itself a FIFO, /dev/zero, or a link to it
mkfifo "$work/case-fifo.xml"
ln -s /dev/zero "$work/case-zero.xml"
for c in "$work/case-fifo.xml" /dev/zero "$work/case-zero.xml"; do
  refused "case file $c" 66 "the case file is not a regular file" "$c"
done

# ---- a scan that changes between check and build ----------------------------
mkcase "$work/change"
c=$work/change/case.xml png=$work/change/scans/ok.png
expect "change: check" 0 "is valid" 5 300 -- check "$c"
head -c 60 "$hostile/scans/ok.png" > "$png"   # cut short after check
refused "change: truncated" 65 "<page> src 'scans/ok.png': the PNG file does not end with an IEND chunk" "$c"
# same size, IEND intact, one byte of image data flipped: only build sees it
/usr/bin/python3 -c '
import sys
d = bytearray(open(sys.argv[1], "rb").read()); i = d.find(b"IDAT"); d[i + 10] ^= 0xFF
open(sys.argv[2], "wb").write(d)' "$hostile/scans/ok.png" "$png"
expect "change: corrupt data (check)" 0 "is valid" 5 300 -- check "$c"
mkdir -p "$work/out"
expect "change: corrupt data (build)" 65 "scans/ok.png cannot be used: the PNG IDAT chunk has a bad CRC" 10 1000 -- build "$c" -o "$work/out/x.pdf" --date 2026-10-09
if [ -z "$(ls -A "$work/out")" ]; then ok; else bad "change: corrupt data: build left $(ls -A "$work/out")"; fi
# replaced by another valid scan of another size: build uses the new one
cp "$hostile/scans/other.png" "$png"
packet "change: replaced" "$c"
"$bin" build "$c" -o "$work/replaced.pdf" --date 2026-10-09 2>/dev/null
if pdfimages -list "$work/replaced.pdf" 2>/dev/null | grep -qE '^ +[0-9]+ +[0-9]+ +image +32 +32 '; then ok
else bad "change: replaced: the packet does not hold the new 32 x 32 scan: $(pdfimages -list "$work/replaced.pdf" 2>&1 | head -5)"; fi

finish
