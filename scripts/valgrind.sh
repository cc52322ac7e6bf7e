#!/bin/sh
# Runs the end-to-end build of every seed case (fixtures/cases/*/case.xml)
# and `check` of every invalid and hostile case under valgrind memcheck:
# any memory error or definite leak fails (libharu and libxml2 keep some
# memory reachable until exit; only definite leaks count).
#   scripts/valgrind.sh [BINARY]   (default: build/appeal-packet)
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$here/build/appeal-packet}
[ -e "$bin" ] && bin=$(realpath "$bin")
[ -x "$bin" ] || { echo "valgrind.sh: $bin is not built" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "valgrind.sh: valgrind is not installed (sh scripts/deps.sh --sanitize)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
vg="valgrind --quiet --error-exitcode=99 --errors-for-leak-kinds=definite --leak-check=full --track-fds=no"
pass=0 fail=0

# run WANT_EXIT LABEL ARGS...: the program's own exit code must be WANT_EXIT
# (valgrind's 99 means an error or a definite leak).
run() {
  want=$1 label=$2
  shift 2
  $vg --log-file="$work/vg.log" "$bin" "$@" >"$work/out" 2>&1
  rc=$?
  if [ "$rc" = "$want" ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL: $label: exit $rc (want $want; 99 = memcheck error or definite leak)"
    head -60 "$work/vg.log"
    tail -5 "$work/out"
  fi
}

for xml in "$here"/fixtures/cases/*/case.xml; do
  name=$(basename "$(dirname "$xml")")
  run 0 "build $name" build "$xml" -o "$work/$name.pdf" --date 2026-10-09
done
cd "$here/fixtures/invalid" || exit 1
[ -L scans/outside.png ] || ln -s ../../../README.md scans/outside.png
for xml in *.xml; do
  want=$(head -1 "expected/${xml%.xml}.txt" 2>/dev/null | sed 's/^exit: //')
  run "${want:-0}" "check invalid/$xml" check "$xml"
done
cd "$here/tests/hostile" || exit 1
for xml in *.xml; do
  case $xml in nest-200.xml|control-c1.xml|bom-utf8.xml) want=0 ;; *) want=65 ;; esac
  run "$want" "check hostile/$xml" check --json "$xml"
done
# a failed build (bad scan) and a failed save (folder missing) free everything too
run 65 "build with a corrupt scan" build "$here/fixtures/invalid/src-truncated-png.xml" -o "$work/x.pdf"
run 73 "build into a missing folder" build "$here/fixtures/invalid/base.xml" -o "$work/missing/x.pdf" --date 2026-10-09

echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
