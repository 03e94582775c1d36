#!/bin/sh
# test-eval.sh - `lode eval QRELS RUN`: output formats, errors, and agreement
# with the reference evaluator shared/ir/ireval.py on the shared collections
# (pseudo-random runs, fixed seeds; skipped when ../shared or python3 is absent).
. "$(dirname "$0")/lib.sh"

# Three judged queries (q4 has nothing relevant, q5 is only in the run);
# tests/test_eval.c works the figures out by hand.
cat >"$T/qrels.txt" <<'EOF'
q1 0 d1 1
q1 0 d2 2
q1 0 d3 0
q1 0 d4 1
q2 0 d5 1
q2 0 d6 3
q3 0 d7 1
q4 0 d8 0
EOF
cat >"$T/run.txt" <<'EOF'
q1 Q0 d3 1 6.0 t
q1 Q0 d1 2 7.0 t
q1 Q0 d9 3 8.0 t
q1 Q0 d2 4 9.0 t
q2 Q0 d5 1 5.0 t
q2 Q0 d8 2 5.0 t
q2 Q0 d6 3 1.0 t
q4 Q0 d8 1 1.0 t
q5 Q0 d1 1 1.0 t
EOF
tab=$(printf '\t')

run $LODE eval --help
expect_rc "eval --help exits 0" 0
expect_out "eval --help lists --gain-map" '--gain-map'

run $LODE eval "$T/qrels.txt" "$T/run.txt" -m map,P.2,ndcg@3,recall.3,mrr
expect_rc "eval exits 0" 0
want=$(printf 'num_q\tall\t3\nmap\tall\t0.3796\nP.2\tall\t0.3333\nndcg@3\tall\t0.4618\nrecall.3\tall\t0.5556\nmrr\tall\t0.5000')
expect_eq "eval prints num_q and one mean per metric" "$(cat "$T/out")" "$want"

run $LODE eval "$T/qrels.txt" "$T/run.txt"
expect_eq "eval's default metrics" "$(cut -f1 "$T/out" | tr '\n' ' ')" "num_q ndcg@10 map recall@100 p@30 mrr "

run $LODE eval -q -m map,mrr "$T/qrels.txt" "$T/run.txt"
want=$(printf 'map\tq1\t0.5556\nmrr\tq1\t1.0000\nmap\tq2\t0.5833\nmrr\tq2\t0.5000\nmap\tq3\t0.0000\nmrr\tq3\t0.0000\nnum_q\tall\t3\nmap\tall\t0.3796\nmrr\tall\t0.5000')
expect_eq "eval -q prints each query, then the means" "$(cat "$T/out")" "$want"

# Mapping 1 to 0 leaves q1 with d2 (rank 1), q2 with d6 (rank 3), q3 with nothing.
run $LODE eval --gain-map=1:0 -m mrr "$T/qrels.txt" "$T/run.txt"
want=$(printf 'num_q\tall\t2\nmrr\tall\t0.6667')
expect_eq "eval --gain-map=J:G remaps before judging relevance" "$(cat "$T/out")" "$want"
# Mapping 2 and 3 to 0: q1's d1 at rank 3, q2's d5 at rank 2, q3 0: (1/3 + 1/2) / 3.
run $LODE eval --gain-map 2:0,3:0 -m mrr "$T/qrels.txt" "$T/run.txt"
expect_out "eval --gain-map J:G (separate argument)" "^mrr${tab}all${tab}0\\.2778\$"

run sh -c "$LODE eval -m map '$T/qrels.txt' - < '$T/run.txt'"
expect_out "eval reads the run from stdin with -" "^map${tab}all${tab}0\\.3796\$"

run $LODE eval --json -m map,p@2 "$T/qrels.txt" "$T/run.txt"
expect_rc "eval --json exits 0" 0
if command -v python3 >/dev/null 2>&1; then
  got=$(python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); print(o["num_q"], round(o["all"]["map"],4), sorted(o["per_query"]), o["per_query"]["q2"]["p@2"])' "$T/out" 2>&1)
  expect_eq "eval --json: means and per-query figures" "$got" "3 0.3796 ['q1', 'q2', 'q3'] 0.5"
else
  expect_out "eval --json: means and per-query figures" '"per_query"'
fi

# Errors: exit 2 and one line on stderr naming the file and line.
printf '1 0 a 1\n1 0 b\n' >"$T/bad-qrels.txt"
run $LODE eval "$T/bad-qrels.txt" "$T/run.txt"
expect_rc "eval: malformed qrels exits 2" 2
expect_eq "eval: malformed qrels message" "$(cat "$T/err")" "lode: error: $T/bad-qrels.txt:2: expected 'qid 0 docid rel'"
printf 'q1 Q0 d1 1 high t\n' >"$T/bad-run.txt"
run $LODE eval "$T/qrels.txt" "$T/bad-run.txt"
expect_rc "eval: malformed run exits 2" 2
expect_eq "eval: malformed run message" "$(cat "$T/err")" "lode: error: $T/bad-run.txt:1: score 'high' is not a number"
run $LODE eval "$T/qrels.txt" "$T/missing.txt"
expect_rc "eval: missing run exits 2" 2
expect_eq "eval: missing run message" "$(cat "$T/err")" "lode: error: $T/missing.txt: No such file or directory"
run $LODE eval -m bleu "$T/qrels.txt" "$T/run.txt"
expect_rc "eval: unknown metric exits 2" 2
expect_err "eval: unknown metric named" "^lode: error: unknown metric 'bleu'"
run $LODE eval --gain-map 1:x "$T/qrels.txt" "$T/run.txt"
expect_rc "eval: bad gain map exits 2" 2
run $LODE eval "$T/qrels.txt"
expect_rc "eval: one file only exits 2" 2
expect_err "eval: says what is missing" "expected a qrels file and a run file"
run $LODE eval --frobnicate "$T/qrels.txt" "$T/run.txt"
expect_rc "eval: unknown option exits 2" 2
expect_err "eval: names the unknown option" "unknown option '--frobnicate'"
run $LODE eval "$T/qrels.txt" "$T/run.txt" -m
expect_rc "eval: -m without a value exits 2" 2
if [ -w /dev/full ]; then
  run sh -c "$LODE eval '$T/qrels.txt' '$T/run.txt' >/dev/full"
  expect_rc "eval: a failed write exits 2" 2
fi
printf 'q4 0 d8 0\n' >"$T/none.txt"
run $LODE eval -m map "$T/none.txt" "$T/run.txt"
expect_rc "eval: nothing relevant still exits 0" 0
expect_err "eval: warns that nothing is relevant" "no query has a relevant judgment"

# Agreement with ireval.py, per query and on average, to 1e-4.
SHARED=${LODE_SHARED:-$TOP/../shared}
IREVAL="$SHARED/ir/ireval.py"
if [ ! -f "$IREVAL" ] || [ ! -f "$SHARED/ir/cacm/qrels.trec" ]; then
  skip "eval agrees with ireval.py (no shared collections at $SHARED)"
  exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
  skip "eval agrees with ireval.py (no python3)"
  exit 0
fi

# One python3 process (its start-up is slow on a busy machine) generates the
# runs, scores each with ireval.py's own command line (run in-process with
# runpy) and with `$LODE eval --json`, and prints ok/not ok per comparison.
# The runs have coarse scores (many ties), duplicate docids, unjudged and
# unknown documents, queries left out, a query nobody judged, and rankings
# longer than the depth of 1000.
{ printf 'query-id\tcorpus-id\tscore\n'; awk '{print $1 "\t" $3 "\t" $4}' "$SHARED/ir/cacm/qrels.trec"; } >"$T/beir.tsv"
cat >"$T/agree.py" <<'EOF'
import contextlib, io, json, random, runpy, subprocess, sys
lode, ireval, tmp, shared = sys.argv[1:5]
lode_m = "ndcg@10,map,map@100,recall@100,p@30,mrr,ndcg@5,P.10,mrr@10,recall@1000"
ref_m = "ndcg_cut.10,map,map_cut.100,recall.100,P.30,recip_rank,ndcg_cut.5,P.10,recip_rank.10,recall.1000"
grades = "-1:5,1:4,2:3,3:2,4:1"
cases = [("CACM, seed 1", "cacm", None, 1), ("CACM, seed 2", "cacm", None, 2),
         ("Cranfield graded, seed 1", "cranfield", grades, 1),
         ("Cranfield graded, seed 2", "cranfield", grades, 2),
         ("Cranfield ungraded", "cranfield", None, 3), ("CACM as BEIR qrels", "beir", None, 4)]

def gen_run(qrels, out, seed):
    rnd = random.Random(seed)
    judged = {}
    for line in open(qrels):
        p = line.split()
        if len(p) >= 3 and p[0] != "query-id":
            judged.setdefault(p[0], []).append(p[-2])
    docs = sorted({d for ds in judged.values() for d in ds}) + ["X%d" % i for i in range(3000)]
    with open(out, "w") as f:
        for q in sorted(judged) + ["nosuchquery"]:
            if rnd.random() < 0.1:
                continue
            n, share = rnd.choice([3, 40, 300, 1500]), rnd.choice([0.3, 0.03, 0.005])
            for i in range(n):
                pool = judged.get(q, docs) if rnd.random() < share else docs
                f.write("%s Q0 %s %d %.2f gen\n" % (q, rnd.choice(pool), i + 1, rnd.randint(0, 60) / 4))

def reference(args):
    sys.argv = [ireval] + args
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        runpy.run_path(ireval, run_name="__main__")
    return json.loads(out.getvalue())

def differences(a, b):
    bad = []
    if a["num_q"] != b["num_q"]:
        bad.append("num_q %s vs %s" % (a["num_q"], b["num_q"]))
    names = list(zip(a["all"], b["all"]))
    if len(names) != len(a["all"]) or len(names) != len(b["all"]):
        bad.append("metric lists differ")
    for m, n in names:
        if abs(a["all"][m] - b["all"][n]) > 1e-4:
            bad.append("mean %s %.6f vs %s %.6f" % (m, a["all"][m], n, b["all"][n]))
    if list(a["per_query"]) != list(b["per_query"]):
        bad.append("queries differ")
    for q in a["per_query"]:
        for m, n in names:
            x, y = a["per_query"][q][m], b["per_query"].get(q, {}).get(n, -1)
            if abs(x - y) > 1e-4:
                bad.append("query %s %s %.6f vs %.6f" % (q, m, x, y))
    return bad

for name, coll, gains, seed in cases:
    qrels = tmp + "/beir.tsv" if coll == "beir" else "%s/ir/%s/qrels.trec" % (shared, coll)
    run = tmp + "/gen.run"
    gen_run(qrels, run, seed)
    gm = ["--gain-map=" + gains] if gains else []
    p = subprocess.run([lode, "eval", "--json", "-m", lode_m] + gm + [qrels, run],
                       capture_output=True, text=True)
    try:
        bad = differences(json.loads(p.stdout), reference(["--json", "-q", "-m", ref_m] + gm + [qrels, run]))
    except Exception as e:
        bad = ["exit %d: %s %s" % (p.returncode, p.stderr.strip(), e)]
    print(("not ok - " if bad else "ok - ") + "eval agrees with ireval.py: " + name)
    for b in bad[:5]:
        print("#   " + b)
EOF
python3 "$T/agree.py" "$LODE" "$IREVAL" "$T" "$SHARED"
