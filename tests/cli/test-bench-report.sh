#!/bin/sh
# test-bench-report.sh - bench/report.py on measurements made by hand: a
# builder's figures are its quickest round's, the latency percentiles pool
# every round's runs, and the goal ratios follow from them. (The benchmark
# itself takes minutes and is not run here.)
. "$(dirname "$0")/lib.sh"

if ! command -v python3 >/dev/null 2>&1; then
  skip "bench report (no python3)"
  exit 0
fi

R=$T/raw O=$T/report
mkdir -p "$R" "$O"
cat >"$R/meta.env" <<'EOF'
CORPUS='/c'
FILES=1000
BYTES=100000000
QUICK=0
CACHE=warm
NPROC=2
RUNS=2
ROUNDS=2
NQUERIES=2
EOF
# tool status wall peak_kb user sys index_bytes docs note round: round 2 is
# lode -j1's and fts5's quickest, round 1 lode -j2's; clucene failed once.
{
  printf 'lode -j1\tok\t20\t100000\t19\t1\t50000000\t1000\t\t1\n'
  printf 'lode -j2\tok\t10\t100000\t19\t1\t50000000\t1000\t\t1\n'
  printf 'fts5\tok\t5\t20000\t4\t1\t60000000\t1000\t\t1\n'
  printf 'clucene\tfailed\t1\t1\t1\t1\t1\t\texit 2\t1\n'
  printf 'lode -j1\tok\t16\t100000\t15\t1\t50000000\t1000\t\t2\n'
  printf 'lode -j2\tok\t12.5\t100000\t19\t1\t50000000\t1000\t\t2\n'
  printf 'fts5\tok\t4\t20000\t3\t1\t60000000\t1000\t\t2\n'
  printf 'clucene\tok\t8\t20000\t7\t1\t9000000\t1000\t\t2\n'
} >"$R/build.tsv"
echo 3.0 >"$R/rerun-r1.time"
echo 0.1 >"$R/rerun-r2.time"
echo 0.001 >"$R/rerun-scale-10mb-r1.time" # another corpus: not this one's
# lat JSON: TOOL ROUND T1 T2 (seconds, the two runs of each of two queries)
lat() {
  cat >"$R/lat-$1.r$2.json" <<EOF
{"results": [
 {"command": "$1 q1", "times": [$3, $4], "exit_codes": [0, 0]},
 {"command": "$1 q2", "times": [$3, $4], "exit_codes": [1, 0]}]}
EOF
}
lat lode 1 0.010 0.010
lat lode 2 0.020 0.020
lat fts5 1 0.030 0.030
lat fts5 2 0.030 0.030
lat rg 1 0.200 0.200
lat rg 2 0.200 0.200
lat quest 1 0.012 0.012
lat quest 2 0.012 0.012

run python3 "$TOP/bench/report.py" "$R" "$O"
expect_rc "report runs" 0
# 100 MB in the best round: 16 s for -j1, 10 s for -j2, 4 s for fts5
expect_out "j1 at its quickest round" '^lode -j1 +6\.25 '
expect_out "j2 at its quickest round" '^lode -j2 +10\.00 '
expect_out "every round's wall shown" 'best of 2 rounds \(20\.0/16\.0 s\)'
expect_out "a failed round is not a figure" '^clucene +12\.50 '
expect_out "the rounds are said" 'each builder ran once in each of 2 rounds'
expect_out "j2 over j1 from the best rounds" 'lode_j2_over_lode_j1 +1\.60'
# 8 runs of lode, 4 at 10 ms and 4 at 20 ms: the median is between them
expect_out "latency pools the rounds" '^lode +15\.0 '
expect_out "queries x runs x rounds" '2 queries x 2 runs x 2 rounds'
expect_out "rerun: the quickest round, this corpus only" 'lode_unchanged_rerun_over_build +0\.010'
expect_out "p50 ratio" 'lode_p50_over_fts5_p50 +0\.50'
# fts5's p50 30 ms: the goal asks for 10 ms, beside what quest (a floor) takes
expect_out "the p50 the goal needs, beside quest's" 'goal needs, at most +10\.0 ms +\(fts5 p50 / 3; floor noop-xapian n/a ms, quest 12\.0 ms\)'
expect_out "builds labelled warm" '^Index build: .*; page cache warm; '
expect_out "latency labelled warm" '^Query latency: .*\(page cache warm\)$'
sed 's/^CACHE=warm$/CACHE=cold/' "$R/meta.env" >"$R/meta.cold" && mv "$R/meta.cold" "$R/meta.env"
mkdir -p "$T/report-cold"
run python3 "$TOP/bench/report.py" "$R" "$T/report-cold"
expect_rc "report runs (cold)" 0
expect_out "builds labelled cold" '^Index build: .*; page cache cold; '
expect_out "latency labelled cold, and how" '^Query latency: .*\(page cache cold: dropped before each run\)$'
if grep -q 'page cache cold' "$T/report-cold/plot.gp" 2>/dev/null; then ok "plot title labelled cold"; else
  fail "plot title labelled cold" "$(grep title "$T/report-cold/plot.gp" 2>/dev/null)"; fi
run env BENCH_CACHE=lukewarm sh "$TOP/bench/run-bench.sh"
expect_rc "bench: an unknown BENCH_CACHE is refused" 2
expect_err "bench: ... saying why" "BENCH_CACHE must be warm or cold, not 'lukewarm'"
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); b={x["tool"]: x for x in d["build"]}; sys.exit(0 if b["lode -j1"]["wall_s_rounds"] == [20.0, 16.0] and d["latency"][0]["runs"] == 8 else 1)' "$O/results.json"; then
  ok "results.json has every round"
else
  fail "results.json has every round" "$(head -c 400 "$O/results.json")"
fi
