#!/usr/bin/env bash
# Replays every committed fuzz corpus (fuzz/corpus/TARGET: seeds and every
# crasher the fuzzers ever found) through its harness in seconds. In an
# AP_FUZZ build the libFuzzer binaries run with -runs=0; in any other build
# the harnesses are compiled here with a plain main() (fuzz/replay_main.c)
# using exactly the flags and link line CMake gave appeal-packet, so under
# `make sanitize` the replay runs with ASan + UBSan.
. "$(dirname "$0")/../tools/e2e_lib.sh"
build=${AP_BUILD_DIR:-$src/build}
targets=(case png jpeg linebreak)

replay_libfuzzer() {
  local t=$1
  if out=$("$build/fuzz/fuzz_$t" -runs=0 "$src/fuzz/corpus/$t" 2>&1); then ok
  else bad "fuzz_$t on its corpus:"; echo "$out" | tail -30; fi
}

# Builds fuzz/fuzz_T.c + fuzz/replay_main.c against the build's libapcore.a.
build_replay() {
  local t=$1 flags=$build/CMakeFiles/appeal-packet.dir/flags.make
  local link=$build/CMakeFiles/appeal-packet.dir/link.txt
  [ -f "$flags" ] && [ -f "$link" ] || { echo "no $flags or $link (this test needs CMake's Unix Makefiles generator)"; return 1; }
  local cc defs incs cflags
  cc=$(sed -n 's/^# compile C with //p' "$flags")
  defs=$(sed -n 's/^C_DEFINES = //p' "$flags")
  incs=$(sed -n 's/^C_INCLUDES = //p' "$flags")
  cflags=$(sed -n 's/^C_FLAGS = //p' "$flags")
  eval "\"\$cc\" $defs $incs $cflags -c \"\$src/fuzz/fuzz_$t.c\" -o \"\$work/fuzz_$t.o\"" || return 1
  [ -f "$work/replay_main.o" ] || eval "\"\$cc\" $defs $incs $cflags -c \"\$src/fuzz/replay_main.c\" -o \"\$work/replay_main.o\"" || return 1
  local cmd
  cmd=$(sed -e "s#\"CMakeFiles/appeal-packet.dir/src/main.c.o\"#\"$work/fuzz_$t.o\" \"$work/replay_main.o\"#" \
            -e "s#-o appeal-packet #-o \"$work/replay_$t\" #" "$link")
  (cd "$build" && eval "$cmd")
}

fuzz_build=$(sed -n 's/^AP_FUZZ:BOOL=//p' "$build/CMakeCache.txt" 2>/dev/null)
for t in "${targets[@]}"; do
  n=$(find "$src/fuzz/corpus/$t" -type f | wc -l)
  [ "$n" -gt 0 ] && ok || bad "fuzz/corpus/$t is empty"
  if [ "$fuzz_build" = ON ] && [ -x "$build/fuzz/fuzz_$t" ]; then
    replay_libfuzzer "$t"
    continue
  fi
  if ! build_replay "$t"; then bad "cannot build the replay driver for fuzz_$t"; continue; fi
  if out=$("$work/replay_$t" "$src/fuzz/corpus/$t" 2>&1) && [ "$out" = "$n inputs replayed" ]; then ok
  else bad "fuzz_$t replay:"; echo "$out" | tail -30; fi
done

finish
