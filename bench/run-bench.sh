#!/bin/sh
# run-bench.sh - index build speed and query latency of lode against its peers
# (a bare Xapian loop, SQLite FTS5, CLucene, Lucene++, omindex; rg for
# queries), all in one run on one input, with the latency floors (what
# starting a process, or a Xapian one, costs here) measured beside the
# searchers. `make bench` runs it; bench/README.md explains the figures.
#
# Environment:
#   LODE_BUILD      build directory with lode and bench/ peers (default: build)
#   BENCH_CORPUS    corpus directory; default /work/devcorpus, else ../shared's
#                   dev corpus built into bench/out/devcorpus, else 50 MB generated
#   BENCH_QUICK=1   a 20 MB slice of the corpus (BENCH_QUICK_MB to change it)
#   BENCH_SCALE=1   also a scale curve on generated corpora of BENCH_SCALE_SIZES MB
#                   (default "10 50 200")
#   BENCH_ROUNDS    rounds (default 3, 1 with BENCH_QUICK): every build and every
#                   query set runs once a round, tools in turn, so that a slow
#                   spell of a shared machine hits all of them; a build's figure
#                   is its best round, a query's latency pools every round's runs
#   BENCH_RUNS      timed runs of each query a round (default 3)
#   BENCH_QUERIES   query set, one a line (default bench/queries.txt)
#   BENCH_CACHE     warm (default): each build and query set starts with its
#                   input read once, so that the page cache holds it; cold: the
#                   page cache is dropped before each build and before each
#                   timed query run (root only: /proc/sys/vm/drop_caches), so
#                   what is measured includes reading the input or the index
#                   from the disk. Every table says which.
# Everything it writes goes under bench/out/.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
B=${LODE_BUILD:-build}
case $B in /*) ;; *) B=$top/$B ;; esac
LODE=$B/lode
PEERS=$B/bench
OUT=$top/bench/out
RAW=$OUT/raw
IDX=$OUT/idx
QUICK=${BENCH_QUICK:-0}
SCALE=${BENCH_SCALE:-0}
RUNS=${BENCH_RUNS:-3}
if [ "$QUICK" = 1 ]; then ROUNDS=${BENCH_ROUNDS:-1}; else ROUNDS=${BENCH_ROUNDS:-3}; fi
ROUND=1
QUERIES=${BENCH_QUERIES:-$top/bench/queries.txt}
CACHE=${BENCH_CACHE:-warm}

note() { printf 'bench: %s\n' "$*" >&2; }
die() { note "$*"; exit 2; }
have() { command -v "$1" >/dev/null 2>&1; }

case $CACHE in
  warm) ;;
  cold) [ -w /proc/sys/vm/drop_caches ] ||
          die "BENCH_CACHE=cold drops the page cache: it needs root (/proc/sys/vm/drop_caches)" ;;
  *) die "BENCH_CACHE must be warm or cold, not '$CACHE'" ;;
esac
have python3 || die "python3 is needed (the helpers in bench/ are Python 3, stdlib only)"
[ -x /usr/bin/time ] || die "/usr/bin/time is needed: scripts/install-deps --bench"
[ -f "$QUERIES" ] || die "no query set: $QUERIES"

# A generated corpus of $1 MB (cached: OUT/gen-NNmb, and a .done stamp that
# holds the generator's checksum, so a changed generator regenerates).
gen_corpus() {
  d=$OUT/gen-${1}mb
  sum=$(cksum <"$top/bench/gen-corpus.py")
  if [ "$(cat "$d.done" 2>/dev/null)" != "$sum" ]; then
    rm -rf "$d" "$d.done"
    note "generating a $1 MB corpus in $d"
    python3 "$top/bench/gen-corpus.py" "$d" "$1" || return 1
    printf '%s\n' "$sum" >"$d.done"
  fi
  printf '%s\n' "$d"
}

pick_corpus() {
  if [ -n "${BENCH_CORPUS:-}" ]; then
    [ -d "$BENCH_CORPUS" ] || die "BENCH_CORPUS=$BENCH_CORPUS is not a directory"
    (cd "$BENCH_CORPUS" && pwd); return
  fi
  if [ -d /work/devcorpus ]; then printf '%s\n' /work/devcorpus; return; fi
  mk=$top/../shared/corpus/make-dev-corpus.sh
  if [ -f "$mk" ]; then
    if [ ! -f "$OUT/devcorpus/MANIFEST.tsv" ]; then
      note "building the dev corpus into $OUT/devcorpus (log: $OUT/devcorpus.log)"
      if ! sh "$mk" "$OUT/devcorpus" >"$OUT/devcorpus.log" 2>&1; then
        note "make-dev-corpus.sh failed (see the log); using a generated corpus"
        rm -rf "$OUT/devcorpus"
        gen_corpus 50; return
      fi
    fi
    printf '%s\n' "$OUT/devcorpus"; return
  fi
  gen_corpus 50
}

# Sets the page cache up for the build or query set that follows: warm, it
# reads every file under $1 so that the page cache holds them; cold, it
# empties the page cache (dirty pages written first). The figures are
# labelled with $CACHE.
DROP_CACHES=$top/bench/drop-caches.sh
set_cache() {
  if [ "$CACHE" = cold ]; then "$DROP_CACHES"
  else find "$1" -type f -exec cat {} + >/dev/null 2>&1; fi
}

# Appends a row to $TSV for a tool that cannot run: measure_na TOOL REASON
measure_na() { printf '%s\tn/a\t\t\t\t\t\t\t%s\t%s\n' "$1" "$2" "$ROUND" >>"$TSV"; }

# measure TOOL INDEX INDIR CMD...: rebuild INDEX from scratch with CMD after
# set_cache INDIR; appends tool, status, wall, peak RSS, user, sys, index
# size, documents, note, round to $TSV. The full output of CMD goes to
# RAW/*.log.
measure() {
  tool=$1 idx=$2 indir=$3; shift 3
  slug=$(printf '%s' "$tool" | tr -c 'a-z0-9' '-')
  log=$RAW/build-$TAG$slug.r$ROUND.log tf=$RAW/build-$TAG$slug.r$ROUND.time
  rm -rf "$idx"
  set_cache "$indir"
  note "build: $tool (round $ROUND of $ROUNDS)"
  /usr/bin/time -f '%M %e %U %S' -o "$tf" "$@" >"$log" 2>&1
  rc=$?
  st=ok nt=""
  case "$tool:$rc" in
    *:0) ;;
    lode*:1) nt="some files failed (exit 1)" ;;  # lode index's documented partial success
    *) st=failed nt="exit $rc, see $log" ;;
  esac
  # /usr/bin/time -o: "Command exited with non-zero status N" first on failure
  read -r peak wall user sys <<EOF
$(tail -n 1 "$tf" 2>/dev/null)
EOF
  size=$(du -sb "$idx" 2>/dev/null | cut -f1)
  # Xapian databases say how many documents they hold; the peers print it.
  docs=$(xapian-delve "$idx" 2>/dev/null | sed -n 's/^number of documents = //p')
  [ -n "$docs" ] || docs=$(sed -n 's/^docs \([0-9]*\) .*/\1/p' "$log" | tail -n 1)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$st" "${wall:-}" "${peak:-}" \
    "${user:-}" "${sys:-}" "${size:-}" "${docs:-}" "$nt" "$ROUND" >>"$TSV"
}

# The status of TOOL's build in the latest round.
status_of() { awk -F'\t' -v t="$1" '$1 == t { s = $2 } END { print s }' "$TSV"; }

# Every builder on one prepared input ($INPUT: plain.list, input.env).
build_all() {
  if [ -x "$LODE" ]; then
    for j in 1 2; do
      measure "lode -j$j" "$IDX/lode-j$j" "$ORIG_DIR" "$LODE" index -q -i "$IDX/lode-j$j" -j "$j" "$ORIG_DIR"
    done
    # An update over the unchanged tree (goal: under 2% of the build's time).
    if [ "$(status_of "lode -j2")" = ok ]; then
      note "build: lode -j2, unchanged re-run"
      # cold: the morning after, when even the tree's metadata is on disk only
      if [ "$CACHE" = cold ]; then "$DROP_CACHES"; fi
      rr=$RAW/rerun-${TAG}r$ROUND
      /usr/bin/time -f '%e' -o "$rr.time" "$LODE" index -q -i "$IDX/lode-j2" -j 2 \
        >"$rr.log" 2>&1 || rm -f "$rr.time"
    fi
  else
    measure_na "lode -j1" "lode not built ($LODE)"
    measure_na "lode -j2" "lode not built ($LODE)"
  fi
  if [ -x "$PEERS/xapian_bare" ]; then
    measure "xapian bare" "$IDX/xapian-bare" "$PLAIN_DIR" "$PEERS/xapian_bare" "$IDX/xapian-bare" "$INPUT/plain.list"
  else
    measure_na "xapian bare" "not built ($PEERS/xapian_bare)"
  fi
  if [ -x "$PEERS/fts5_build" ]; then
    measure "fts5" "$IDX/fts5.db" "$PLAIN_DIR" "$PEERS/fts5_build" "$IDX/fts5.db" "$INPUT/plain.list"
  else
    measure_na "fts5" "not built ($PEERS/fts5_build)"
  fi
  # The Lucene peers: built by `make bench` only when their library is
  # installed (scripts/install-deps --bench; see BENCH_SKIP in the Makefile).
  for peer in "clucene:clucene_build:libclucene-dev" \
      "lucene++:lucenepp_build:liblucene++-dev and libboost-dev"; do
    tool=${peer%%:*} rest=${peer#*:}
    prog=${rest%%:*} pkg=${rest#*:}
    if [ -x "$PEERS/$prog" ]; then
      measure "$tool" "$IDX/$prog" "$PLAIN_DIR" "$PEERS/$prog" "$IDX/$prog" "$INPUT/plain.list"
    else
      measure_na "$tool" "not built ($PEERS/$prog needs $pkg)"
    fi
  done
  if have omindex; then
    # The plain copy's names end in .txt or .html, which omindex maps to
    # text/plain and text/html by itself.
    measure "omindex" "$IDX/omindex" "$PLAIN_DIR" omindex --db "$IDX/omindex" --url / \
      --overwrite --empty-docs=index "$PLAIN_DIR"
  else
    measure_na "omindex" "omindex not installed (xapian-omega)"
  fi
}

# latency TOOL CMD... ({} = the query): hyperfine, one process per query.
latency() {
  tool=$1; shift
  cmds=$RAW/lat-$tool.cmds
  if [ "$tool" = rg ]; then
    python3 "$top/bench/query-cmds.py" --rg "$QUERIES" "$@" >"$cmds"
  else
    python3 "$top/bench/query-cmds.py" "$QUERIES" "$@" >"$cmds"
  fi || return
  note "queries: $tool ($(wc -l <"$cmds") queries x $RUNS runs, round $ROUND of $ROUNDS)"
  set --
  while IFS= read -r c; do set -- "$@" "$c"; done <"$cmds"
  # -N: no shell in between; -i: exit 1 (no match) is an answer, not a failure.
  # Cold: the page cache is dropped before every run, the warm-up's included.
  set -- ${PREPARE:+--prepare "$PREPARE"} "$@"
  hyperfine -N -i --warmup 1 --runs "$RUNS" --style none \
    --export-json "$RAW/lat-$tool.r$ROUND.json" "$@" >"$RAW/lat-$tool.r$ROUND.log" 2>&1 ||
    note "hyperfine failed for $tool (see $RAW/lat-$tool.r$ROUND.log)"
}

# latency_na TOOL REASON: a latency row that cannot run; report.py prints why.
latency_na() { printf '%s\n' "$2" >"$RAW/lat-$1.na"; }

# Query latency of the searchers, then the floors: what starting a process
# costs on this machine, timed the same way on the same command lines (the
# query is passed and ignored, or searched with less work), so that the
# searchers' p50 can be read against it. Floors are not peers.
latency_all() {
  if ! have hyperfine; then
    note "hyperfine not installed: no query latency (scripts/install-deps --bench)"
    return
  fi
  LIDX=""
  for t in "lode -j2" "lode -j1"; do
    if [ "$(status_of "$t")" = ok ]; then
      LIDX=$IDX/lode-$(echo "$t" | sed 's/.* -//'); break
    fi
  done
  nolode="no lode index (lode not built or its build failed)"
  if [ -n "$LIDX" ]; then latency lode "$LODE" search -i "$LIDX" -n 10 {}; fi
  if [ "$(status_of fts5)" = ok ]; then latency fts5 "$PEERS/fts5_query" "$IDX/fts5.db" {}; fi

  true_cmd=""
  for t in /bin/true /usr/bin/true; do [ -x "$t" ] && { true_cmd=$t; break; }; done
  if [ -n "$true_cmd" ]; then latency noop-c "$true_cmd" {}; else latency_na noop-c "no /bin/true"; fi
  if [ -z "$LIDX" ]; then
    latency_na noop-xapian "$nolode"
  elif [ -x "$PEERS/xapian_noop" ]; then
    latency noop-xapian "$PEERS/xapian_noop" "$LIDX" {}
  else
    latency_na noop-xapian "not built ($PEERS/xapian_noop)"
  fi
  # quest's default parser and flags; -s none because lode's stems carry no
  # Z prefix: with quest's English stemmer most words would match nothing.
  if [ -z "$LIDX" ]; then
    latency_na quest "$nolode"
  elif have quest; then
    latency quest quest -d "$LIDX" -m 10 -s none {}
  else
    latency_na quest "quest not installed (xapian-tools)"
  fi
  if [ -n "$LIDX" ]; then
    latency lode-nosnip "$LODE" search -i "$LIDX" -n 10 --snippets 0 {}
  else
    latency_na lode-nosnip "$nolode"
  fi

  if have rg; then set_cache "$PLAIN_DIR"; latency rg rg -i -c {} "$PLAIN_DIR"; fi
}

mkdir -p "$OUT"
rm -rf "$RAW" "$IDX"
rm -f "$OUT"/results.* "$OUT"/*.png "$OUT"/*.dat "$OUT"/plot.gp
mkdir -p "$RAW" "$IDX"

CORPUS=$(pick_corpus) || die "no corpus"
if [ "$QUICK" = 1 ]; then
  INPUT=$OUT/input-quick
  python3 "$top/bench/prep-input.py" "$CORPUS" "$INPUT" --slice-mb "${BENCH_QUICK_MB:-20}" ||
    die "cannot prepare the input"
else
  INPUT=$OUT/input-full
  python3 "$top/bench/prep-input.py" "$CORPUS" "$INPUT" || die "cannot prepare the input"
fi
. "$INPUT/input.env"
NQUERIES=$(grep -cv '^[[:space:]]*\(#\|$\)' "$QUERIES")

q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
{
  echo "CORPUS=$(q "$CORPUS")"
  echo "ORIG_DIR=$(q "$ORIG_DIR")"
  echo "PLAIN_DIR=$(q "$PLAIN_DIR")"
  echo "FILES=$FILES"
  echo "BYTES=$BYTES"
  echo "QUICK=$QUICK"
  echo "CACHE=$CACHE"
  echo "NPROC=$(nproc 2>/dev/null || echo '?')"
  echo "DATE=$(q "$(date -u '+%Y-%m-%dT%H:%M:%SZ')")"
  echo "LOADAVG=$(q "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)")"
  echo "RUNS=$RUNS"
  echo "ROUNDS=$ROUNDS"
  echo "NQUERIES=$NQUERIES"
  echo "LODE=$(q "$LODE")"
  echo "LODE_VERSION=$(q "$("$LODE" --version 2>/dev/null | head -n 1)")"
  echo "XAPIAN=$(q "$(xapian-config --version 2>/dev/null | sed 's/.* //')")"
  echo "SQLITE=$(q "$(sqlite3 --version 2>/dev/null | cut -d' ' -f1)")"
  echo "OMINDEX=$(q "$(omindex --version 2>/dev/null | sed 's/.* //')")"
  echo "RG=$(q "$(rg --version 2>/dev/null | head -n 1 | cut -d' ' -f2)")"
  echo "QUEST=$(q "$(quest --version 2>/dev/null | head -n 1 | sed 's/.* //')")"
} >"$RAW/meta.env"
note "corpus $CORPUS: $FILES files, $BYTES bytes uncompressed (peers read $PLAIN_DIR)"

PREPARE=""
if [ "$CACHE" = cold ]; then PREPARE=$DROP_CACHES; fi

TSV=$RAW/build.tsv TAG=""
: >"$TSV"
while [ "$ROUND" -le "$ROUNDS" ]; do build_all; ROUND=$((ROUND + 1)); done

ROUND=1
while [ "$ROUND" -le "$ROUNDS" ]; do latency_all; ROUND=$((ROUND + 1)); done
ROUND=1

if [ "$SCALE" = 1 ]; then
  : >"$RAW/scale.tsv"
  for mb in ${BENCH_SCALE_SIZES:-10 50 200}; do
    d=$(gen_corpus "$mb") || { note "cannot generate $mb MB"; continue; }
    INPUT=$OUT/input-gen-${mb}mb
    python3 "$top/bench/prep-input.py" "$d" "$INPUT" || continue
    ( . "$INPUT/input.env"
      TSV=$RAW/scale-${mb}mb.tsv TAG=scale-${mb}mb-
      : >"$TSV"
      IDX=$OUT/idx-scale
      mkdir -p "$IDX"
      build_all
      rm -rf "$IDX"
      awk -F'\t' -v mb="$mb" -v f="$FILES" -v b="$BYTES" \
        '{ print mb "\t" $1 "\t" $2 "\t" f "\t" b "\t" $3 }' "$TSV" >>"$RAW/scale.tsv" )
  done
fi

python3 "$top/bench/report.py" "$RAW" "$OUT" | tee "$OUT/results.txt"
