#!/usr/bin/env bash
# Every invalid case in fixtures/invalid gives exactly its expected
# diagnostics and exit code from `check`, and `build` writes no file. The
# hostile ones are answered in well under a second with bounded memory.
# With --update, rewrites fixtures/invalid/expected/ from the current output.
. "$(dirname "$0")/../tools/e2e_lib.sh"
dir=$src/fixtures/invalid
cd "$dir" || exit 1

# the symbolic-link case needs its link (git keeps it; a tarball may not)
[ -L scans/outside.png ] || ln -s ../../../README.md scans/outside.png

for xml in *.xml; do
  name=${xml%.xml}
  [ "$name" = base ] && continue
  actual=$("$bin" check "$xml" 2>&1)
  rc=$?
  if [ "${1:-}" = --update ]; then
    { echo "exit: $rc"; echo "$actual"; } > "expected/$name.txt"
    continue
  fi
  expected=$(cat "expected/$name.txt" 2>/dev/null) || { bad "$name: no expected/$name.txt"; continue; }
  got=$(printf 'exit: %s\n%s' "$rc" "$actual")
  if [ "$got" = "$expected" ]; then ok; else
    bad "$name: diagnostics differ"; diff <(echo "$expected") <(echo "$got") | head -10
  fi
  case $rc in 65|66) ok ;; *) bad "$name: exit $rc, want 65 or 66" ;; esac
  # build must refuse too and leave nothing behind
  "$bin" build "$xml" -o "$work/$name.pdf" --date 2026-10-09 >/dev/null 2>&1
  brc=$?
  if [ "$brc" = "$rc" ] && [ -z "$(ls -A "$work")" ]; then ok; else
    bad "$name: build exit $brc (want $rc) or left files: $(ls -A "$work")"; rm -f "$work"/*
  fi
done

[ "${1:-}" = --update ] && { echo "expectations rewritten"; exit 0; }

# hostile inputs: fast and small (the bound is generous for sanitizer builds)
for name in entity-bomb xxe-external-entity src-huge-png src-oversized-declared src-symlink-escape src-dotdot src-truncated-png src-not-an-image; do
  if out=$(/usr/bin/python3 "$src/tests/tools/run_bounded.py" 1.0 200 -- "$bin" check "$name.xml"); then
    ok
  else
    bad "$name: not answered within bounds ($out)"
  fi
done

# the base case is valid
if "$bin" check base.xml >/dev/null 2>&1; then ok; else bad "base.xml should be valid"; fi

finish
