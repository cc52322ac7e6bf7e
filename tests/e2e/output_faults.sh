#!/usr/bin/env bash
# Output faults: whatever goes wrong where the packet is written, build ends
# with 73 (cannot create) or 74 (I/O error), a message naming the output
# path, and no file at the target or beside it; devices, FIFOs and links at
# the target are never replaced. (The file-size limit and a missing folder
# are covered in build_fixtures.sh.) Faults that need root (a read-only
# mount, a full tmpfs, a device node) run in a private mount namespace when
# `unshare` allows it and are skipped with a note otherwise.
. "$(dirname "$0")/../tools/e2e_lib.sh"
bin=$(realpath "$bin")
demo=$src/fixtures/invalid/base.xml   # small and quick: two tiny scans
err=$(mktemp)   # outside $work: fault() compares what $work holds
trap 'rm -rf "$work" "$err"' EXIT

build() { "$bin" build "$demo" --date 2026-10-09 -o "$@"; }

# fault NAME WANT OUT DIR [RUNNER...]: build -o OUT (through RUNNER, e.g.
# unshare) exits WANT, names OUT in its message, and leaves DIR as it was.
fault() {
  local name=$1 want=$2 out=$3 dir=$4
  shift 4
  local before after rc
  before=$(ls -A "$dir" 2>/dev/null)
  "$@" "$bin" build "$demo" --date 2026-10-09 -o "$out" >"$err" 2>&1
  rc=$?
  after=$(ls -A "$dir" 2>/dev/null)
  if [ "$rc" = "$want" ]; then ok; else bad "$name: exit $rc, want $want: $(cat "$err")"; fi
  if grep -qF -- "$out" "$err"; then ok; else bad "$name: the message does not name $out: $(cat "$err")"; fi
  if [ "$before" = "$after" ]; then ok; else bad "$name: $dir changed: before [$before] after [$after]"; fi
}

# ---- the folder cannot take a file ------------------------------------------
# its "folder" is a regular file (ENOTDIR)
echo "not a folder" > "$work/plain"
fault "parent is a file" 73 "$work/plain/x.pdf" "$work"
[ "$(cat "$work/plain")" = "not a folder" ] && ok || bad "parent is a file: the file changed"

# a folder without write permission (EACCES): as a user, or as root dropped
# to nobody with setpriv (root ignores permission bits)
mkdir -p "$work/noperm" && chmod 555 "$work/noperm" && chmod 711 "$work"
if [ "$(id -u)" -ne 0 ]; then
  fault "unwritable folder" 73 "$work/noperm/x.pdf" "$work/noperm"
elif command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null \
     && setpriv --reuid=65534 --regid=65534 --clear-groups test -r "$demo" -a -x "$bin"; then
  fault "unwritable folder (as nobody)" 73 "$work/noperm/x.pdf" "$work/noperm" \
    setpriv --reuid=65534 --regid=65534 --clear-groups
else
  skip "unwritable folder: running as root without setpriv (or the tree is not readable by nobody)"
fi

# a read-only mount (EROFS), and a full file system (ENOSPC) on a tiny tmpfs
if unshare -m true 2>/dev/null; then
  mkdir -p "$work/ro" "$work/small"
  fault "read-only mount" 73 "$work/ro/x.pdf" "$work/ro" \
    unshare -m sh -c 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" && shift && exec "$@"' sh "$work/ro"
  fault "no space left" 74 "$work/small/x.pdf" "$work/small" \
    unshare -m sh -c 'mount -t tmpfs -o size=16k tmpfs "$1" && shift && exec "$@"' sh "$work/small"
  grep -q "No space left on device" "$err" && ok || bad "no space left: message: $(cat "$err")"
else
  skip "read-only mount and full tmpfs: unshare -m is not permitted here"
fi

# ---- what is already at the target -------------------------------------------
# a folder
mkdir -p "$work/t/dir.pdf"
fault "a folder at the target" 73 "$work/t/dir.pdf" "$work/t"
[ -d "$work/t/dir.pdf" ] && ok || bad "a folder at the target: it was replaced"
# a FIFO (never opened: no reader would block)
mkfifo "$work/t/fifo.pdf"
fault "a FIFO at the target" 73 "$work/t/fifo.pdf" "$work/t"
[ -p "$work/t/fifo.pdf" ] && ok || bad "a FIFO at the target: it was replaced"
# a link that leads nowhere
ln -s "$work/t/nothing/here.pdf" "$work/t/dangling.pdf"
fault "a dangling link at the target" 73 "$work/t/dangling.pdf" "$work/t"
[ -L "$work/t/dangling.pdf" ] && ok || bad "a dangling link at the target: it was replaced"
# a device node: first a private copy of /dev/full, then (only if that one
# survived) /dev/full itself
if mknod "$work/t/full" c 1 7 2>/dev/null; then
  fault "a device at the target" 73 "$work/t/full" "$work/t"
  if [ -c "$work/t/full" ]; then
    ok
    fault "/dev/full" 73 /dev/full /dev
    [ -c /dev/full ] && ok || bad "/dev/full is no longer a character device"
  else
    bad "a device at the target: it was replaced by $(ls -l "$work/t/full")"
  fi
else
  skip "a private device node: mknod is not permitted"
  if [ -w /dev ]; then skip "/dev/full: not tried without the private-node check"
  else fault "/dev/full" 73 /dev/full /dev; [ -c /dev/full ] && ok || bad "/dev/full changed"; fi
fi
grep -qF "is not a regular file" "$err" && ok || bad "device: message: $(cat "$err")"
# /dev/stdout is a link: it is followed, never replaced. Into a pipe there
# is no file to replace (73); into a redirected file, that file is replaced.
if [ -L /dev/stdout ]; then
  build /dev/stdout 2>"$err" | cat >/dev/null
  rc=${PIPESTATUS[0]}
  [ "$rc" = 73 ] && grep -qF /dev/stdout "$err" && ok || bad "/dev/stdout into a pipe: exit $rc: $(cat "$err")"
  [ -L /dev/stdout ] && ok || bad "/dev/stdout is no longer a link"
  build /dev/stdout >"$work/t/redirected.pdf" 2>"$err"
  rc=$?
  [ "$rc" = 0 ] && [ "$(head -c 5 "$work/t/redirected.pdf")" = "%PDF-" ] && ok || bad "/dev/stdout into a file: exit $rc: $(cat "$err")"
  [ -L /dev/stdout ] && ok || bad "/dev/stdout is no longer a link"
fi
[ -z "$(find "$work" /dev -maxdepth 2 -name '.*.partial-*' 2>/dev/null)" ] && ok || bad "temporary files left: $(find "$work" /dev -maxdepth 2 -name '.*.partial-*')"

# ---- a read-only file at the target -------------------------------------------
# Replaced, as mv would: write permission on the folder is what counts, the
# old file is never opened for writing, and other links to it keep the old
# content.
mkdir -p "$work/rof"
echo "previous packet" > "$work/rof/x.pdf"
chmod 444 "$work/rof/x.pdf"
ln "$work/rof/x.pdf" "$work/rof/other-link.pdf"
build "$work/rof/x.pdf" >"$err" 2>&1
rc=$?
if [ "$rc" = 0 ] && [ "$(head -c 5 "$work/rof/x.pdf")" = "%PDF-" ]; then ok; else bad "read-only file: exit $rc: $(cat "$err")"; fi
[ "$(cat "$work/rof/other-link.pdf")" = "previous packet" ] && ok || bad "read-only file: the old file was written in place"
[ "$(ls -A "$work/rof" | sort | tr '\n' ' ')" = "other-link.pdf x.pdf " ] && ok || bad "read-only file: left $(ls -A "$work/rof")"
# a link to a regular file: the file it leads to is replaced, the link stays
mkdir -p "$work/lnk/real"
echo "previous packet" > "$work/lnk/real/x.pdf"
ln -s real/x.pdf "$work/lnk/x.pdf"
build "$work/lnk/x.pdf" >"$err" 2>&1
rc=$?
if [ "$rc" = 0 ] && [ -L "$work/lnk/x.pdf" ] && [ "$(head -c 5 "$work/lnk/real/x.pdf")" = "%PDF-" ]; then ok
else bad "link to a file: exit $rc, link $(ls -l "$work/lnk/x.pdf"): $(cat "$err")"; fi

finish
