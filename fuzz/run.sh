#!/bin/sh
# Runs libFuzzer targets for a given time each.
#   fuzz/run.sh BUILD_DIR SECONDS [TARGET...]   (TARGET: case png jpeg linebreak; default all)
# New inputs go to BUILD_DIR/fuzz-corpus/TARGET (the committed seeds in
# fuzz/corpus/TARGET are only read); crashes, leaks and timeouts are written
# to BUILD_DIR/fuzz-artifacts/TARGET/. Each run ends with libFuzzer's final
# statistics (stat::number_of_executed_units is the execution count).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: fuzz/run.sh BUILD_DIR SECONDS [TARGET...]}
seconds=${2:?usage: fuzz/run.sh BUILD_DIR SECONDS [TARGET...]}
shift 2
[ $# -gt 0 ] || set -- case png jpeg linebreak
status=0
for t in "$@"; do
  bin=$build/fuzz/fuzz_$t
  [ -x "$bin" ] || { echo "fuzz/run.sh: $bin is not built (make fuzz builds it)" >&2; exit 2; }
  case $t in
    case) opts="-dict=$here/case.dict -max_len=65536" ;;
    png) opts="-dict=$here/png.dict -max_len=32768" ;;
    jpeg) opts="-dict=$here/jpeg.dict -max_len=16384" ;;
    linebreak) opts="-max_len=4096" ;;
    *) echo "fuzz/run.sh: unknown target $t" >&2; exit 2 ;;
  esac
  mkdir -p "$build/fuzz-corpus/$t" "$build/fuzz-artifacts/$t"
  echo "== fuzz_$t for ${seconds}s"
  # shellcheck disable=SC2086
  "$bin" $opts -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/fuzz-artifacts/$t/" "$build/fuzz-corpus/$t" "$here/corpus/$t" || status=1
done
exit $status
