#!/usr/bin/env bash
# bench/run.sh [BENCH_DIR] -- appeal-packet beside the tools a clinic would
# otherwise use, on the three generated cases of the peer benchmark, plus
# batch throughput.  See bench/README.md.
#
#   sh ../shared/bench/setup.sh     # once, as root: the peers, hyperfine, qpdf, poppler
#   bench/run.sh                    # about 15 minutes on 2 cores
#
# Generates (once; gen_case.py is deterministic) into BENCH_DIR, outside the
# repository:
#   case-default  25 criteria, 8 exhibits, 20 scanned 300-dpi pages, PNG and JPEG mixed
#   case-text     the same text, 8 exhibits of one 40-dpi page ("text only")
#   case-big      25 criteria, 20 exhibits, 100 scanned 300-dpi pages
# then, per case and in one run, times appeal-packet (default and
# --fast-images) and every peer side by side: medians from hyperfine
# (-w 1 -r 5) when installed, peak RSS from /usr/bin/time -v, output size.
# Every appeal-packet PDF is checked: qpdf --check clean, one image per scan
# page (plus the signature), the member id and "Page 1 of" in its text, and
# the output size against the scans' bytes plus the embedded font files.
# The peers' PDFs are checked by the peer bench's run_peers.sh.
#
# Batch figures (issue 5): cases per minute for BATCH_SMALL_N copies of the
# text-only case and BATCH_DEFAULT_N copies of the default case (each copy
# with its own case id), BATCH_JOBS workers at once: `appeal-packet batch
# -j N` when this binary has it, else `xargs -P N` over `appeal-packet build`
# (labelled as such in the table).
#
# Prints Markdown tables and the targets of issue 7, met or not; writes them
# to BENCH_DIR/results/summary.md with the raw figures (*.tsv, hyperfine JSON)
# and logs beside it.  Exit status: 0 when every check passed (targets missed
# are reported, not failures), 1 when an output failed a check, 2 on a setup
# problem.
#
# Environment (defaults in brackets):
#   BENCH_DIR      where cases and outputs go [/tmp/appeal-bench]; must be
#                  outside the repository (first argument also sets it)
#   PEER_BENCH     the peer benchmark folder [REPO/../shared/bench]
#   APPEAL_PACKET  the binary [REPO/build-bench/appeal-packet, built Release if missing]
#   CASES          [default text big]
#   PEERS          [fop reportlab weasyprint htmldoc img2pdf cat]; "" for none
#   RUNS, WARMUP   hyperfine runs and warm-ups per command [5, 1]
#   BATCH          batch figures to take [small default]; "" for none
#   BATCH_SMALL_N, BATCH_DEFAULT_N, BATCH_JOBS, BATCH_RUNS  [500, 50, 2, 3]
#   PACKET_DATE    letter date [2026-10-09]
#   PYTHON         a python3 with Pillow and lxml [/usr/bin/python3]
set -u -o pipefail

usage() { sed -n '2,/^set -u/p' "$0" | sed -e 's/^# \{0,1\}//' -e '/^set -u/d'; }
case ${1:-} in -h|--help) usage; exit 0 ;; esac
[ $# -le 1 ] || { usage >&2; exit 2; }

repo=$(cd "$(dirname "$0")/.." && pwd)
BENCH_DIR=${1:-${BENCH_DIR:-/tmp/appeal-bench}}
PEER_BENCH=${PEER_BENCH:-$repo/../shared/bench}
APPEAL_PACKET=${APPEAL_PACKET:-}
CASES=${CASES-default text big}
PEERS=${PEERS-fop reportlab weasyprint htmldoc img2pdf cat}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
BATCH=${BATCH-small default}
BATCH_SMALL_N=${BATCH_SMALL_N:-500}
BATCH_DEFAULT_N=${BATCH_DEFAULT_N:-50}
BATCH_JOBS=${BATCH_JOBS:-2}
BATCH_RUNS=${BATCH_RUNS:-3}
PACKET_DATE=${PACKET_DATE:-2026-10-09}
PYTHON=${PYTHON:-/usr/bin/python3}
TIME=/usr/bin/time

say() { echo "run.sh: $*" >&2; }
die() { say "$*"; exit 2; }
have() { command -v "$1" > /dev/null 2>&1; }

gen_args() {
    case $1 in
    default) echo "" ;;
    text) echo "--exhibits 8 --pages 8 --dpi 40" ;;
    big) echo "--exhibits 20 --pages 100" ;;
    *) return 1 ;;
    esac
}

# ---- set-up checks ----------------------------------------------------------

BENCH_DIR=$(realpath -m "$BENCH_DIR")
case $BENCH_DIR/ in
"$(cd "$repo" && pwd -P)"/*) die "BENCH_DIR=$BENCH_DIR is inside the repository; generated scans and PDFs stay out of it (use /tmp/...)" ;;
esac
mkdir -p "$BENCH_DIR" || die "cannot create $BENCH_DIR"
for c in $CASES; do gen_args "$c" > /dev/null || die "unknown case '$c' (default, text, big)"; done

missing_tools=""
for t in qpdf pdfimages pdfinfo pdftotext; do have "$t" || missing_tools="$missing_tools $t"; done
[ -x "$TIME" ] || missing_tools="$missing_tools /usr/bin/time"
[ -z "$missing_tools" ] || die "missing:$missing_tools (Debian: apt-get install qpdf poppler-utils time; or run the peer bench's setup.sh)"
have hyperfine || say "hyperfine is not installed: timing each command $RUNS times with /usr/bin/time instead (apt-get install hyperfine)"

peer_ok=yes
if [ ! -f "$PEER_BENCH/run_peers.sh" ] || [ ! -f "$PEER_BENCH/gen_case.py" ]; then
    peer_ok=no
    say "PEER BENCH MISSING: $PEER_BENCH has no run_peers.sh / gen_case.py."
    say "  The peers (FOP, ReportLab, WeasyPrint, HTMLDOC, img2pdf) and the case generator live there;"
    say "  set PEER_BENCH=/path/to/shared/bench.  Going on with appeal-packet alone, on cases already in $BENCH_DIR."
    PEERS=""
else
    PEER_BENCH=$(cd "$PEER_BENCH" && pwd)
fi

if [ -z "$APPEAL_PACKET" ]; then
    APPEAL_PACKET=$repo/build-bench/appeal-packet
    if [ ! -x "$APPEAL_PACKET" ]; then
        say "building $APPEAL_PACKET (Release)"
        { cmake -S "$repo" -B "$repo/build-bench" -DCMAKE_BUILD_TYPE=Release &&
          cmake --build "$repo/build-bench" -j "$(nproc)" --target appeal-packet; } > "$BENCH_DIR/build.log" 2>&1 ||
            die "build failed, see $BENCH_DIR/build.log"
    fi
fi
[ -x "$APPEAL_PACKET" ] || die "APPEAL_PACKET=$APPEAL_PACKET is not an executable"
AP=$(cd "$(dirname "$APPEAL_PACKET")" && pwd)/$(basename "$APPEAL_PACKET")

res=$BENCH_DIR/results
mkdir -p "$res"
summary=$res/summary.md
: > "$summary"
out() { printf '%s\n' "$*" | tee -a "$summary"; }
check_failed=0

# ---- helpers -----------------------------------------------------------------

# measure TSV WARMUP RUNS PREPARE NAME CMD [NAME CMD...]
# Times each shell command; writes "name median min max cpu ok" lines to TSV
# (seconds; cpu is the mean user+sys of the command and its children).
measure() {
    local tsv=$1 w=$2 r=$3 prep=$4; shift 4
    : > "$tsv"
    if have hyperfine; then
        local args=()
        while [ $# -gt 0 ]; do args+=(-n "$1" "$2"); shift 2; done
        local pa=()
        [ -n "$prep" ] && pa=(--prepare "$prep")
        hyperfine -w "$w" -r "$r" -i --style basic "${pa[@]}" --export-json "$tsv.json" "${args[@]}" > "$tsv.log" 2>&1
        "$PYTHON" - "$tsv.json" >> "$tsv" <<'EOF'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    ok = "ok" if all(c == 0 for c in r.get("exit_codes", [0])) else "FAIL"
    print("%s\t%.4f\t%.4f\t%.4f\t%.4f\t%s" % (r["command"], r["median"], r["min"], r["max"], r["user"] + r["system"], ok))
EOF
    else
        while [ $# -gt 0 ]; do
            local name=$1 cmd=$2 i ok=ok samples
            shift 2
            samples=$(mktemp)
            for ((i = 0; i < w; i++)); do
                [ -n "$prep" ] && sh -c "$prep"
                sh -c "$cmd" > /dev/null 2>&1
            done
            for ((i = 0; i < r; i++)); do
                [ -n "$prep" ] && sh -c "$prep"
                "$TIME" -f '%e %U %S' -a -o "$samples" sh -c "$cmd" > /dev/null 2>&1 || ok=FAIL
            done
            sort -n -k1,1 "$samples" | awk -v n="$name" -v ok="$ok" '
                { w[NR] = $1; c += $2 + $3 }
                END { m = (NR % 2) ? w[(NR + 1) / 2] : (w[NR / 2] + w[NR / 2 + 1]) / 2
                      printf "%s\t%.4f\t%.4f\t%.4f\t%.4f\t%s\n", n, m, w[1], w[NR], c / NR, ok }' >> "$tsv"
            rm -f "$samples"
        done
    fi
}

# peak RSS in MiB of one run of a shell command, from GNU time
peak_rss() {
    "$TIME" -v -o "$res/rss.time" sh -c "$1" > /dev/null 2>&1
    awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$res/rss.time"
}

# case facts from case.xml: "member<TAB>has_signature<TAB>case_id", then one scan path per line
case_facts() {
    "$PYTHON" - "$1" <<'EOF'
import sys, xml.etree.ElementTree as ET
ns = "{urn:appeal-packet:case:1}"
r = ET.parse(sys.argv[1]).getroot()
sig = r.find(ns + "prescriber/" + ns + "signature")
print("%s\t%d\t%s" % (r.find(ns + "coverage/" + ns + "member-id").text,
                      1 if sig is not None and sig.get("src") else 0, r.get("id")))
for p in r.iter(ns + "page"):
    print(p.get("src"))
EOF
}

# bytes of the embedded font programs (FontFile/FontFile2/FontFile3 streams, as stored)
font_bytes() {
    local pdf=$1 total=0 n
    for n in $(grep -a -o '/FontFile[23]\{0,1\} [0-9]* 0 R' "$pdf" | awk '{ print $2 }' | sort -u); do
        total=$((total + $(qpdf --show-object="$n" --raw-stream-data "$pdf" 2> /dev/null | wc -c)))
    done
    echo "$total"
}

mb() { awk -v b="$1" 'BEGIN { printf "%.2f", b / 1e6 }'; }

# ---- machine -------------------------------------------------------------------

out "# appeal-packet benchmark"
out ""
out "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
out "- machine: $(nproc) cores, $(lscpu 2> /dev/null | sed -n 's/^Model name: *//p' | head -1), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM, $(uname -sr)"
out "- appeal-packet: $("$AP" --version 2> /dev/null), binary $AP; repository at $(git -C "$repo" rev-parse --short HEAD 2> /dev/null)$(git -C "$repo" diff --quiet HEAD 2> /dev/null || echo ' (working tree has uncommitted changes)')"
out "- timing: $(if have hyperfine; then echo "hyperfine $(hyperfine --version | awk '{print $2}'), -w $WARMUP -r $RUNS, medians"; else echo "/usr/bin/time, $RUNS runs after $WARMUP warm-up, medians"; fi); peak RSS: /usr/bin/time -v, one run"
out "- peers: $(if [ "$peer_ok" = yes ]; then echo "$PEER_BENCH (${PEERS:-none})"; else echo "NOT RUN: $PEER_BENCH missing"; fi)"
out ""

# ---- cases ---------------------------------------------------------------------

gen_case() {   # gen_case NAME -> BENCH_DIR/case-NAME
    local c=$1 dir=$BENCH_DIR/case-$1 args
    args=$(gen_args "$c")
    if [ -f "$dir/case.xml" ] && [ "$(cat "$dir/.gen-args" 2> /dev/null)" = "$args" ]; then
        return 0
    fi
    if [ "$peer_ok" != yes ]; then
        [ -f "$dir/case.xml" ] && return 0
        die "no case in $dir and no gen_case.py to make it (PEER_BENCH=$PEER_BENCH is missing)"
    fi
    say "generating $dir (gen_case.py $args)"
    rm -rf "$dir"
    # shellcheck disable=SC2086  # args is a list of options
    "$PYTHON" "$PEER_BENCH/gen_case.py" $args --quiet --out "$dir" || die "gen_case.py failed (needs python3-pil: set PYTHON to a python3 with Pillow)"
    printf '%s' "$args" > "$dir/.gen-args"
}

declare -A MED MINMAX CPU RSS SIZE OK SCANB FONTB PAGES
for c in $CASES; do gen_case "$c"; done

for c in $CASES; do
    dir=$BENCH_DIR/case-$c
    o=$res/$c
    mkdir -p "$o"
    mapfile -t facts < <(case_facts "$dir/case.xml")
    IFS=$'\t' read -r member has_sig _ <<< "${facts[0]}"
    srcs=("${facts[@]:1}")
    scan_bytes=0
    for s in "${srcs[@]}"; do scan_bytes=$((scan_bytes + $(stat -c %s "$dir/$s"))); done
    SCANB[$c]=$scan_bytes
    say "== case $c: ${#srcs[@]} scanned pages, $(mb "$scan_bytes") MB"

    # the peers, once each with their checks (run_peers.sh), for RSS, size and status
    names=() cmds=()
    : > "$o/peers.tsv"
    if [ -n "$PEERS" ]; then
        say "   peers, one checked run each: $PEERS"
        PEERS="$PEERS" PACKET_DATE="$PACKET_DATE" PYTHON="$PYTHON" \
            "$PEER_BENCH/run_peers.sh" "$dir" "$o/peers" > "$o/peers.md" 2> "$o/peers.log"
        tail -n +2 "$o/peers/results.tsv" > "$o/peers.tsv"
        mapfile -t pcmds < "$o/peers/commands.txt"
        i=0
        while IFS=$'\t' read -r n st rest; do
            [ "$st" = "not installed" ] && continue
            names+=("$n"); cmds+=("${pcmds[$i]}"); i=$((i + 1))
        done < "$o/peers.tsv"
    fi

    # appeal-packet, default and --fast-images, checked
    apcmd() { printf '%q build %q -o %q --date %q%s' "$AP" "$dir/case.xml" "$o/$1.pdf" "$PACKET_DATE" "${2:+ $2}"; }
    for mode in appeal-packet appeal-packet-fast; do
        flag=""; [ "$mode" = appeal-packet-fast ] && flag=--fast-images
        cmd=$(apcmd "$mode" "$flag")
        rm -f "$o/$mode.pdf"
        if ! sh -c "$cmd" > "$o/$mode.log" 2>&1; then
            say "   $mode FAILED on case $c: $(tail -3 "$o/$mode.log")"
            OK[$c/$mode]="FAIL(build: $(head -1 "$o/$mode.log" | cut -c1-120))"
            check_failed=1
            continue
        fi
        pdf=$o/$mode.pdf
        bad=""
        qpdf --check "$pdf" > "$o/$mode.qpdf" 2>&1; q=$?
        [ $q -eq 0 ] || bad="$bad qpdf-check-rc=$q"
        want=$((${#srcs[@]} + has_sig))
        imgs=$(pdfimages -list "$pdf" 2> /dev/null | awk 'NR > 2 && $3 == "image"' | wc -l)
        [ "$imgs" -eq "$want" ] || bad="$bad images=$imgs/$want"
        pdftotext -enc UTF-8 "$pdf" "$o/$mode.txt" 2> /dev/null
        { grep -q -- "$member" "$o/$mode.txt" && grep -q "Page 1 of" "$o/$mode.txt"; } || bad="$bad text-missing"
        if [ -z "$bad" ]; then
            OK[$c/$mode]="ok (qpdf clean, images $imgs/$want, text)"
        else
            OK[$c/$mode]="FAIL:$bad"; check_failed=1
        fi
        SIZE[$c/$mode]=$(stat -c %s "$pdf")
        PAGES[$c/$mode]=$(pdfinfo "$pdf" 2> /dev/null | awk '/^Pages:/ { print $2 }')
        FONTB[$c/$mode]=$(font_bytes "$pdf")
        names=("$mode" "${names[@]}"); cmds=("$cmd" "${cmds[@]}")
    done
    # keep appeal-packet first, then appeal-packet-fast
    if [ "${names[0]:-}" = appeal-packet-fast ] && [ "${names[1]:-}" = appeal-packet ]; then
        names=("appeal-packet" "appeal-packet-fast" "${names[@]:2}"); cmds=("${cmds[1]}" "${cmds[0]}" "${cmds[@]:2}")
    fi

    # all of them side by side
    say "   timing ${names[*]} (-w $WARMUP -r $RUNS)"
    margs=()
    for i in "${!names[@]}"; do margs+=("${names[$i]}" "${cmds[$i]}"); done
    measure "$o/times.tsv" "$WARMUP" "$RUNS" "" "${margs[@]}"
    for i in "${!names[@]}"; do
        n=${names[$i]}
        case $n in appeal-packet*) RSS[$c/$n]=$(peak_rss "${cmds[$i]}") ;; esac
    done
    while IFS=$'\t' read -r n med mn mx cpu ok; do
        MED[$c/$n]=$med; CPU[$c/$n]=$(printf '%.2f' "$cpu")
        MINMAX[$c/$n]="$(printf '%.3f–%.3f' "$mn" "$mx")"
        [ "$ok" = ok ] || OK[$c/$n]="FAIL (non-zero exit while timing)"
    done < "$o/times.tsv"
    while IFS=$'\t' read -r n st w r sz p im q t u; do
        [ "$st" = "not installed" ] && { OK[$c/$n]="not installed"; continue; }
        RSS[$c/$n]=$r; SIZE[$c/$n]=$sz; PAGES[$c/$n]=$p
        [ -z "${OK[$c/$n]:-}" ] && OK[$c/$n]="$st (qpdf $q, images $im, text $t, Unicode $u)"
    done < "$o/peers.tsv"

    out "## Case $c: $(gen_args "$c" | sed 's/^$/default gen_case.py arguments/'); ${#srcs[@]} scanned pages, $(mb "$scan_bytes") MB of scans"
    out ""
    out "| tool | wall s, median (min–max) | CPU s | peak RSS MiB | output MB | output ÷ scans | pages | checks |"
    out "|---|---:|---:|---:|---:|---:|---:|---|"
    for n in appeal-packet appeal-packet-fast $PEERS; do
        [ -n "${OK[$c/$n]:-}${MED[$c/$n]:-}" ] || continue
        label=$n
        [ "$n" = appeal-packet-fast ] && label="appeal-packet --fast-images"
        [ "$n" = img2pdf ] && label="img2pdf (scans only)"
        [ "$n" = cat ] && label="cat (I/O floor)"
        sz=${SIZE[$c/$n]:--}; ratio=-
        if [ "$n" != cat ] && [ "$sz" != - ] && [ -n "$sz" ]; then
            ratio=$(awk -v a="$sz" -v b="$scan_bytes" 'BEGIN { printf "%.3f", a / b }'); sz=$(mb "$sz")
        else sz=-; fi
        med=${MED[$c/$n]:-}
        [ -n "$med" ] && med="$(printf '%.3f' "$med") (${MINMAX[$c/$n]})"
        out "| $label | ${med:--} | ${CPU[$c/$n]:--} | ${RSS[$c/$n]:--} | $sz | $ratio | ${PAGES[$c/$n]:--} | ${OK[$c/$n]:-} |"
    done
    out ""
done

# ---- batch -------------------------------------------------------------------------

batch_help=no
"$AP" batch --help > /dev/null 2>&1 && batch_help=yes
declare -A BRATE BNOTE
for b in $BATCH; do
    case $b in
    small) src=text; n=$BATCH_SMALL_N ;;
    default) src=default; n=$BATCH_DEFAULT_N ;;
    *) die "unknown batch '$b' (small, default)" ;;
    esac
    gen_case "$src"
    bdir=$BENCH_DIR/batch-$b
    # n copies of the case, each with its own case id; scans hard-linked
    if [ "$(cat "$bdir/.copies" 2> /dev/null)" != "$n $(stat -c %Y "$BENCH_DIR/case-$src/case.xml")" ]; then
        say "== preparing $n copies of case-$src in $bdir"
        rm -rf "$bdir"; mkdir -p "$bdir/cases"
        id=$(case_facts "$BENCH_DIR/case-$src/case.xml" | head -1 | cut -f3)
        for ((i = 1; i <= n; i++)); do
            d=$(printf '%s/cases/c%04d' "$bdir" "$i")
            mkdir -p "$d"
            cp -al "$BENCH_DIR/case-$src/scans" "$d/scans" 2> /dev/null || cp -a "$BENCH_DIR/case-$src/scans" "$d/scans"
            sed "0,/ id=\"$id\"/s// id=\"$id-$(printf '%04d' "$i")\"/" "$BENCH_DIR/case-$src/case.xml" > "$d/case.xml"
        done
        printf '%s %s' "$n" "$(stat -c %Y "$BENCH_DIR/case-$src/case.xml")" > "$bdir/.copies"
    fi
    find "$bdir/cases" -name case.xml | sort > "$bdir/manifest.txt"
    if [ "$batch_help" = yes ]; then
        dateopt=""
        "$AP" batch --help 2>&1 | grep -q -- '--date' && dateopt=" --date $PACKET_DATE"
        cmd="$(printf '%q' "$AP") batch -j $BATCH_JOBS$dateopt -o $(printf '%q' "$bdir/out") @$(printf '%q' "$bdir/manifest.txt")"
        how="appeal-packet batch -j $BATCH_JOBS"
    else
        cmd="xargs -P $BATCH_JOBS -n 1 sh -c '$(printf '%q' "$AP") build \"\$1\" -o $(printf '%q' "$bdir/out")/\$(basename \$(dirname \"\$1\")).pdf --date $PACKET_DATE' sh < $(printf '%q' "$bdir/manifest.txt")"
        how="xargs -P $BATCH_JOBS over appeal-packet build (no batch subcommand in this binary yet)"
    fi
    say "== batch $b: $n cases, $how"
    measure "$res/batch-$b.tsv" 0 "$BATCH_RUNS" "rm -rf $(printf '%q' "$bdir/out") && mkdir -p $(printf '%q' "$bdir/out")" "batch-$b" "$cmd"
    IFS=$'\t' read -r _ med mn mx cpu ok < "$res/batch-$b.tsv"
    built=$(find "$bdir/out" -maxdepth 1 -name '*.pdf' | wc -l)
    reported=$n
    [ -f "$bdir/out/report.jsonl" ] && reported=$(grep -c '"status": *"built"' "$bdir/out/report.jsonl")
    if [ "$built" -eq "$n" ] && [ "$reported" -eq "$n" ] && [ "$ok" = ok ]; then ok="ok"; else check_failed=1; ok="FAIL"; fi
    BRATE[$b]=$(awk -v n="$n" -v s="$med" 'BEGIN { printf "%.0f", n * 60 / s }')
    BNOTE[$b]="| $b: $n × case-$src | $how | $(printf '%.2f (%.2f–%.2f)' "$med" "$mn" "$mx") | $(awk -v c="$cpu" -v s="$med" 'BEGIN { printf "%.2f", c / s }') | **${BRATE[$b]}** | $ok, $built PDFs |"
done
if [ -n "$BATCH" ]; then
    out "## Batch throughput ($BATCH_JOBS workers, $(nproc) cores; $BATCH_RUNS runs, outputs removed before each)"
    out ""
    out "| batch | how | wall s, median (min–max) | cores busy (CPU ÷ wall) | cases per minute | checks |"
    out "|---|---|---:|---:|---:|---|"
    for b in $BATCH; do out "${BNOTE[$b]}"; done
    out ""
fi

# ---- targets (issue 7) ------------------------------------------------------------

met() { awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN { r = (op == ">=") ? a >= b : (op == "<") ? a < b : (op == ">") ? a > b : 0; print r ? "met" : "**MISSED**" }'; }
out "## Targets (issue 7)"
out ""
out "| target | measured | goal | |"
out "|---|---|---|---|"
if [ -n "${MED[default/appeal-packet]:-}" ]; then
    best=""; bestt=""
    for p in fop reportlab weasyprint htmldoc; do
        t=${MED[default/$p]:-}
        [ -n "$t" ] || continue
        case ${OK[default/$p]:-} in ok*) ;; *) continue ;; esac   # a peer that failed its checks does not count
        if [ -z "$bestt" ] || awk -v a="$t" -v b="$bestt" 'BEGIN { exit !(a < b) }'; then best=$p; bestt=$t; fi
    done
    if [ -n "$best" ]; then
        for m in appeal-packet appeal-packet-fast; do
            t=${MED[default/$m]:-}; [ -n "$t" ] || continue
            goal=10; [ $m = appeal-packet-fast ] && goal=20
            r=$(awk -v a="$bestt" -v b="$t" 'BEGIN { printf "%.1f", a / b }')
            extra=""
            [ -n "${MED[default/fop]:-}" ] && [ "$best" != fop ] && extra="; vs FOP ($(printf '%.2f' "${MED[default/fop]}") s): $(awk -v a="${MED[default/fop]}" -v b="$t" 'BEGIN { printf "%.1f", a / b }')x"
            out "| default case$([ $m = appeal-packet-fast ] && echo ', --fast-images'): fastest full-packet peer ÷ appeal-packet | $best $(printf '%.2f' "$bestt") s ÷ $(printf '%.3f' "$t") s = **${r}x**$extra | ≥ ${goal}x | $(met "$r" ">=" "$goal") |"
        done
    else
        out "| default case vs the fastest full-packet peer | no peer measured | ≥ 10x / ≥ 20x | not measured |"
    fi
fi
if [ -n "${MED[big/appeal-packet]:-}" ]; then
    t=${MED[big/appeal-packet]}
    if [ -n "${MED[big/img2pdf]:-}" ]; then
        r=$(awk -v a="${MED[big/img2pdf]}" -v b="$t" 'BEGIN { printf "%.2f", a / b }')
        out "| big case: img2pdf ÷ appeal-packet | $(printf '%.2f' "${MED[big/img2pdf]}") s ÷ $(printf '%.3f' "$t") s = **${r}x** | > 1x | $(met "$r" ">" 1) |"
    fi
    out "| big case: peak RSS | **${RSS[big/appeal-packet]} MiB** (--fast-images: ${RSS[big/appeal-packet-fast]:--} MiB) | < 64 MiB | $(met "${RSS[big/appeal-packet]}" "<" 64) |"
    sz=${SIZE[big/appeal-packet]}; fb=${FONTB[big/appeal-packet]}; sb=${SCANB[big]}
    d=$(awk -v o="$sz" -v s="$sb" -v f="$fb" 'BEGIN { printf "%+.2f", (o / (s + f) - 1) * 100 }')
    out "| big case: output vs scans + fonts | $(mb "$sz") MB vs $(mb "$sb") + $(mb "$fb") MB = **${d}%** | within ±2% | $(met "$(echo "$d" | tr -d +-)" "<" 2) |"
fi
if [ -n "${MED[text/appeal-packet]:-}" ]; then
    ms=$(awk -v a="${MED[text/appeal-packet]}" 'BEGIN { printf "%.0f", a * 1000 }')
    out "| text-only case: wall | **$ms ms** (--fast-images: $(awk -v a="${MED[text/appeal-packet-fast]:-0}" 'BEGIN { printf "%.0f", a * 1000 }') ms) | < 100 ms | $(met "$ms" "<" 100) |"
fi
for b in $BATCH; do
    out "| batch $b: cases per minute, $BATCH_JOBS workers | **${BRATE[$b]}** | reported (issue 5) | — |"
done
out ""
out "Raw figures, hyperfine JSON and logs: $res"
[ "$check_failed" -eq 0 ] || say "some outputs FAILED their checks (see the checks columns)"
exit "$check_failed"
