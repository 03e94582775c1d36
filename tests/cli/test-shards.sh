#!/bin/sh
# Beyond one machine: shards built apart (--shard K/N), searched together
# locally and through `lode serve` on loopback, a shard going down (an error
# naming it, or --allow-partial), merging shards, compacting under a reader.
# Every comparison is against one index of the same corpus: same hits in the
# same order, same snippets, scores equal to 1e-9 relative.
. "$(dirname "$0")/lib.sh"
B=${LODE_BUILD:-build}

# Servers started here, stopped here whatever happens (xapian-tcpsrv signals
# its whole process group on SIGTERM: each runs in a session of its own).
SERVERS=""
stop_servers() {
  for p in $SERVERS; do
    kill -CONT "$p" 2>/dev/null
    kill "$p" 2>/dev/null
  done
  for p in $SERVERS; do wait "$p" 2>/dev/null; done
  SERVERS=""
}
trap 'stop_servers; chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ corpus
C="$T/corpus"
mkdir -p "$C"
cp -R "$TOP/samples/." "$C/"
# 200 articles from a fixed generator (an LCG, the same on every machine):
# varied lengths so that BM25's length normalisation matters, shared words so
# that every query matches in both shards.
python3 - "$C/gen" <<'EOF'
import os, sys
root = sys.argv[1]
words = ("river harbour glacier solar wind grid train station library archive "
         "market bread coffee school budget council election mountain forest "
         "ocean storm bridge tunnel museum festival music theatre garden farm "
         "harvest winter summer spring autumn village city port ship crane "
         "strike union worker factory energy battery copper steel timber "
         "research science climate record survey report minister court law "
         "border road canal island valley lake desert coast cliff lighthouse").split()
x = 12345
def rnd(n):
    global x
    x = (x * 1103515245 + 12345) % 2147483648
    return (x >> 8) % n
for i in range(200):
    d = os.path.join(root, "d%d" % (i % 10))
    os.makedirs(d, exist_ok=True)
    title = " ".join(words[rnd(len(words))] for _ in range(3 + rnd(4)))
    paras = []
    for p in range(1 + rnd(5)):
        # a skewed pick: low indexes are common words, high ones rare
        sent = [words[min(rnd(len(words)), rnd(len(words)))] for _ in range(8 + rnd(40))]
        paras.append(" ".join(sent).capitalize() + ".")
    with open(os.path.join(d, "a%03d.md" % i), "w") as f:
        f.write("---\ntitle: %s\nauthor: Writer %d\ndate: 20%02d-%02d-%02d\n---\n\n%s\n"
                % (title.capitalize(), rnd(7), 15 + rnd(9), 1 + rnd(12), 1 + rnd(28),
                   "\n\n".join(paras)))
EOF

ONE="$T/one" S1="$T/s1" S2="$T/s2"
run "$LODE" index -q -i "$ONE" "$C"
expect_rc "index the corpus as one index" 0
run "$LODE" index -q -i "$S1" --shard 1/2 "$C"
expect_rc "index shard 1/2" 0
run "$LODE" index -q -i "$S2" --shard 2/2 "$C"
expect_rc "index shard 2/2" 0

docs() { "$LODE" stats -i "$1" 2>/dev/null | sed -n 's/^documents: *//p'; }
n1=$(docs "$ONE"); a=$(docs "$S1"); b=$(docs "$S2")
expect_eq "the shards hold every document once" "$((a + b))" "$n1"
[ "$a" -gt 50 ] && [ "$b" -gt 50 ] && ok "both shards hold many documents ($a, $b)" ||
  fail "both shards hold many documents" "$a and $b"

# Three shards split the same tree too, each file in one.
for k in 1 2 3; do "$LODE" index -q -i "$T/t$k" --shard $k/3 "$C" >/dev/null 2>&1; done
expect_eq "three shards hold every document once" \
  "$(( $(docs "$T/t1") + $(docs "$T/t2") + $(docs "$T/t3") ))" "$n1"
for f in "$T/t1" "$T/t2" "$T/t3"; do "$LODE" search -i "$f" -l -n 1000 'date:..2100' ; done |
  sort | uniq -d > "$T/dups"
expect_eq "no file is in two of three shards" "$(cat "$T/dups")" ""

for bad in 0/2 3/2 1/0 x/2 2 1/2/3 -1/2; do
  run "$LODE" index -q -i "$T/bad" --shard "$bad" "$C"
  expect_rc "--shard $bad: usage error" 2
done
expect_err "--shard: says what it expects" "expected K/N"

# A problem with a file is reported by the one shard that owns it.
mkdir -p "$T/probs"
cp "$TOP/samples/news/harbour-strike.txt" "$T/probs/ok.txt"
for i in 1 2 3 4 5 6; do ln -s "$T/nowhere-$i" "$T/probs/dangling-$i.txt"; done
"$LODE" index -i "$T/p1" --shard 1/2 "$T/probs" 2>"$T/e1" >/dev/null
"$LODE" index -i "$T/p2" --shard 2/2 "$T/probs" 2>"$T/e2" >/dev/null
expect_eq "each broken link is reported by one shard only" \
  "$(cat "$T/e1" "$T/e2" | grep -o 'dangling-[0-9]' | sort | tr '\n' ' ')" \
  "dangling-1 dangling-2 dangling-3 dangling-4 dangling-5 dangling-6 "

# ------------------------------------------------------------------ compare
# Queries of every kind the compiler makes: words, OR, phrases, NEAR, fields,
# wildcards, dates, NOT, date order.
cat > "$T/queries" <<'EOF'
harbour
river OR glacier OR solar
climate record
"solar power"
harbour NEAR/5 crane
title:library
author:writer
mount*
date:2018..2020 bridge
council -election
--sort date storm
--or market bread coffee
EOF

# json_all OUT SOURCE-ARGS...: every query's --json hits, one block per query.
json_all() (
  set -f   # queries such as mount* are for lode, not the shell
  out=$1; shift
  : > "$out"
  while IFS= read -r q; do
    echo "## $q" >> "$out"
    # shellcheck disable=SC2086
    "$LODE" search "$@" --json -n 40 --snippets 3 $q >> "$out" 2>>"$T/json-err"
    echo "## rc=$?" >> "$out"
  done < "$T/queries"
)

# same_json NAME GOT WANT: the same hits in order, fields and snippets equal,
# scores equal to their printed precision (%.6f).
same_json() {
  if python3 - "$2" "$3" > "$T/diff" <<'EOF'
import json, sys
got, want = (open(f).read().split("\n") for f in sys.argv[1:3])
if len(got) != len(want):
    print("%d lines, want %d" % (len(got), len(want))); sys.exit(1)
hits = 0
for g, w in zip(got, want):
    if g.startswith("##") or w.startswith("##") or not g or not w:
        if g != w:
            print("got %r want %r" % (g, w)); sys.exit(1)
        continue
    g, w = json.loads(g), json.loads(w)
    gs, ws = g.pop("score"), w.pop("score")
    if abs(gs - ws) > 1.5e-6 * max(1.0, abs(ws)):
        print("score %r want %r (%s)" % (gs, ws, w["path"])); sys.exit(1)
    if g != w:
        print("hit %r\nwant %r" % (g, w)); sys.exit(1)
    hits += 1
if hits < 30:
    print("only %d hits compared" % hits); sys.exit(1)
EOF
  then ok "$1"; else fail "$1" "$(head -c 600 "$T/diff")"; fi
}

# The scores to 1e-9: a small program prints them with every digit.
cat > "$T/probe.c" <<'EOF'
#include <lode.h>
#include <stdio.h>
#include <string.h>
/* probe SOURCE... < queries: each query's hits as "path id score" with
 * every digit of the score, and each passage's text. */
int main(int argc, char **argv)
{
	lode_search_t *s = NULL;
	char *em = NULL, q[1024];
	if (lode_search_open((const char *const *)argv + 1, (size_t)argc - 1, 5000, &s, &em)) {
		fprintf(stderr, "probe: %s\n", em);
		return 2;
	}
	lode_query_opts_t o;
	lode_query_opts_init(&o);
	o.limit = 40;
	o.snippets = 3;
	while (fgets(q, sizeof q, stdin)) {
		q[strcspn(q, "\n")] = '\0';
		lode_results_t *r = NULL;
		printf("## %s\n", q);
		if (lode_search_run(s, q, &o, &r) != LODE_OK) {
			printf("error %s\n", lode_search_errmsg(s));
			continue;
		}
		for (size_t i = 0; i < lode_results_count(r); i++) {
			lode_hit_t h;
			lode_results_hit(r, i, &h);
			printf("%s\t%s\t%.17g\n", h.path, h.id ? h.id : "", h.score);
			for (size_t k = 0; k < h.nsnippets; k++)
				printf("\t%.*s\n", (int)h.snippets[k].len, h.snippets[k].text);
		}
		lode_results_free(r);
	}
	lode_search_close(s);
	return 0;
}
EOF
san=""
[ "$B" = build-san ] && san="-fsanitize=address,undefined"
PROBE=""
# the library's soname, pointing at the one built
mkdir -p "$T/lib"
soname=$(objdump -p "$TOP/$B/liblode.so" 2>/dev/null | sed -n 's/^ *SONAME *//p')
ln -s "$TOP/$B/liblode.so" "$T/lib/${soname:-liblode.so}"
if cc $san -o "$T/probe" "$T/probe.c" -I"$TOP/include" -L"$TOP/$B" -llode \
     -Wl,-rpath,"$T/lib" 2>"$T/cc-err"; then
  PROBE="$T/probe"
else
  skip "scores to 1e-9 (no C compiler: $(head -c 200 "$T/cc-err"))"
fi
# Queries with options are for the CLI only.
grep -v '^--' "$T/queries" > "$T/probe-queries"

# same_scores NAME SOURCE...: the probe over SOURCE... against the one index.
same_scores() {
  name=$1; shift
  [ -n "$PROBE" ] || return 0
  "$PROBE" "$@" < "$T/probe-queries" > "$T/probe-got" 2>&1
  if python3 - "$T/probe-got" "$T/probe-want" > "$T/diff" <<'EOF'
import sys
got, want = (open(f).read().split("\n") for f in sys.argv[1:3])
if len(got) != len(want):
    print("%d lines, want %d" % (len(got), len(want))); sys.exit(1)
n = 0
for g, w in zip(got, want):
    gf, wf = g.split("\t"), w.split("\t")
    if len(wf) == 3 and len(gf) == 3 and gf[:2] == wf[:2]:
        a, b = float(gf[2]), float(wf[2])
        if abs(a - b) > 1e-9 * abs(b):
            print("score %r want %r: %s" % (a, b, g)); sys.exit(1)
        n += 1
    elif g != w:
        print("got %r\nwant %r" % (g, w)); sys.exit(1)
if n < 30:
    print("only %d scores compared" % n); sys.exit(1)
EOF
  then ok "$name"; else fail "$name" "$(head -c 600 "$T/diff")"; fi
}

json_all "$T/want.json" -i "$ONE"
if [ -n "$PROBE" ]; then
  "$PROBE" "$ONE" < "$T/probe-queries" > "$T/probe-want" 2>&1
  n=$(grep -c "$(printf '\t')[0-9.e+-]*\$" "$T/probe-want")
  [ "$n" -ge 30 ] && ok "the probe prints full scores ($n hits)" ||
    { fail "the probe prints full scores" "$(head -c 300 "$T/probe-want")"; PROBE=""; }
fi

json_all "$T/got.json" -i "$S1" -i "$S2"
same_json "local shards: same hits, order and snippets as one index" "$T/got.json" "$T/want.json"
same_scores "local shards: scores equal to 1e-9" "$S1" "$S2"
"$LODE" search -i "$ONE" --json -n 40 'river OR glacier' > "$T/a.json"
"$LODE" search -i "$S2" -i "$S1" --json -n 40 'river OR glacier' > "$T/b.json"
cmp -s "$T/a.json" "$T/b.json" && ok "local shards in the other order: the same" ||
  fail "local shards in the other order: the same" "$(diff "$T/a.json" "$T/b.json" | head -4)"
json_all "$T/got.json" -i "$T/t1" -i "$T/t2" -i "$T/t3"
same_json "three local shards: the same" "$T/got.json" "$T/want.json"

# ------------------------------------------------------------------ remote
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
can_connect() {
  python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()' "$1" 2>/dev/null
}
# serve INDEX: starts `lode serve` on a free port in its own session; sets
# $port and $pid, or returns 1.
serve() {
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    setsid "$LODE" serve -q -i "$1" --port "$port" >"$T/serve-$port.log" 2>&1 &
    pid=$!
    SERVERS="$SERVERS $pid"
    i=0
    while [ $i -lt 50 ]; do
      kill -0 "$pid" 2>/dev/null || break   # died: the port was taken meanwhile
      can_connect "$port" && return 0
      sleep 0.1; i=$((i + 1))
    done
    stop "$pid"
  done
  return 1
}
# stop PID: one server, forgotten at once so that the trap never signals a
# process that reused its pid
stop() {
  kill -CONT "$1" 2>/dev/null; kill "$1" 2>/dev/null; wait "$1" 2>/dev/null
  SERVERS=$(for p in $SERVERS; do [ "$p" = "$1" ] || printf '%s ' "$p"; done)
}

if ! command -v xapian-tcpsrv >/dev/null 2>&1; then
  skip "remote shards (xapian-tcpsrv is not installed)"
else
  serve "$S1" && P1=$port && PID1=$pid || fail "lode serve shard 1"
  serve "$S2" && P2=$port && PID2=$pid || fail "lode serve shard 2"
  R1="tcp:127.0.0.1:$P1" R2="tcp:127.0.0.1:$P2"

  json_all "$T/got.json" -i "$R1" -i "$R2"
  same_json "remote shards: same hits, order and snippets as one index" "$T/got.json" "$T/want.json"
  same_scores "remote shards: scores equal to 1e-9" "$R1" "$R2"
  printf '# the two halves\n%s\n\n%s\n' "$R1" "s2" > "$T/shards.txt"
  json_all "$T/got.json" -i "$T/shards.txt"
  same_json "a shard list (a remote and a local shard): the same" "$T/got.json" "$T/want.json"
  run "$LODE" search -i "$R1" -i "$R2" harbor
  expect_err "remote: did you mean, from the shards' words" "did you mean: harbour"

  # A server that does not answer: the timeout, and an error naming it.
  kill -STOP "$PID1"
  t0=$(date +%s)
  run "$LODE" search --timeout 300 -i "$R1" -i "$S2" harbour
  t1=$(date +%s)
  kill -CONT "$PID1"
  expect_rc "a shard that does not answer: exit 2" 2
  expect_err "... the error names it and says it timed out" "$R1: .*[Tt]imeout"
  [ $((t1 - t0)) -le 3 ] && ok "... after --timeout, not the default 10 s" ||
    fail "... after --timeout" "took $((t1 - t0)) s"

  # One server down.
  stop "$PID2"
  run "$LODE" search -i "$R1" -i "$R2" --json harbour
  expect_rc "a shard down: exit 2" 2
  expect_err "... the error names the shard" "^lode: error: $R2: cannot reach the shard"
  expect_eq "... nothing on stdout" "$(cat "$T/out")" ""
  run "$LODE" search --allow-partial -i "$R1" -i "$R2" --json -n 40 train
  expect_rc "--allow-partial, a shard down: exit 4 (partial)" 4
  expect_err "... a warning names the shard" "^lode: $R2: cannot reach the shard.*partial"
  cp "$T/out" "$T/partial.json"
  "$LODE" search -i "$S1" --json -n 40 train > "$T/s1.json"
  if [ -s "$T/s1.json" ] && cmp -s "$T/partial.json" "$T/s1.json"; then
    ok "... the hits are those of the other shard"
  else
    fail "... the hits are those of the other shard" "$(diff "$T/partial.json" "$T/s1.json" | head -5)"
  fi
  run "$LODE" search --allow-partial -i "$R1" -i "$R2" -c xylophone
  expect_rc "--allow-partial, no match: still 4, the answer is partial" 4
  run "$LODE" search --allow-partial -i "$R2" -i "tcp:127.0.0.1:$P2" harbour
  expect_rc "--allow-partial, every shard down: exit 2" 2
  expect_err "... said so" "no shard answers"
  run "$LODE" search --allow-partial -i "$R1" -i "$S2" harbour
  expect_rc "--allow-partial, all shards up: exit 0" 0
  expect_eq "... no warning" "$(cat "$T/err")" ""
  run "$LODE" search --allow-partial -i "tcp:127.0.0.1:0" -i "$S2" harbour
  expect_rc "--allow-partial: a malformed source is still a usage error" 2

  # A shard that goes down between two queries of one batch: the first is
  # whole; the second fails naming it, or comes from the rest (partial).
  printf '1\ttrain\n' > "$T/q1"
  printf '2\ttrain\n' > "$T/q2"
  for mode in strict partial; do
    serve "$S2" && P2=$port && PID2=$pid || fail "lode serve shard 2 again"
    R2="tcp:127.0.0.1:$P2"
    rm -f "$T/fifo"; mkfifo "$T/fifo"
    flag=""; [ $mode = partial ] && flag=--allow-partial
    "$LODE" search $flag -i "$R1" -i "$R2" --batch "$T/fifo" >"$T/bout" 2>"$T/berr" &
    bpid=$!
    exec 3>"$T/fifo"
    cat "$T/q1" >&3
    sleep 1          # the first query is answered by both
    stop "$PID2"
    cat "$T/q2" >&3
    exec 3>&-
    wait $bpid; rc=$?
    cp "$T/berr" "$T/err"
    if [ $mode = strict ]; then
      expect_rc "batch, a shard dies mid-run: exit 2" 2
      expect_err "... the error names it" "^lode: error: $R2:"
    else
      expect_rc "batch --allow-partial, a shard dies mid-run: exit 4" 4
      expect_err "... a warning names it" "^lode: $R2: .*partial"
      expect_eq "... the second query is answered by the other shard" \
        "$(grep -c '^2 Q0' "$T/bout")" "$("$LODE" search -i "$S1" -c train)"
    fi
    expect_eq "... the first query was answered by both" \
      "$(grep -c '^1 Q0' "$T/bout")" "$("$LODE" search -i "$ONE" -c train)"
  done
  stop_servers
fi

# ------------------------------------------------------------------ merge
run "$LODE" merge "$S1" "$S2" --into "$T/merged"
expect_rc "merge two shards" 0
expect_eq "the merged index holds every document" "$(docs "$T/merged")" "$n1"
json_all "$T/got.json" -i "$T/merged"
same_json "merged shards: same hits, order and snippets as one index" "$T/got.json" "$T/want.json"
same_scores "merged shards: scores equal to 1e-9" "$T/merged"
run "$LODE" merge "$S1" "$S2" --into "$T/merged"
expect_rc "merge into an existing path: exit 2" 2
run "$LODE" merge "$S1" "$T/nothing-here" --into "$T/merged2"
expect_rc "merge a missing index: exit 2" 2
[ -e "$T/merged2" ] && fail "... leaves nothing behind" || ok "... leaves nothing behind"

# ------------------------------------------------------------------ compact
CI="$T/compact-me"
"$LODE" index -q -i "$CI" "$C" >/dev/null 2>&1
# A search process that opened the index before compaction keeps answering
# (from the old files); searches started after see the compact index.
rm -f "$T/fifo"; mkfifo "$T/fifo"
"$LODE" search -i "$CI" --batch "$T/fifo" --full-syntax >"$T/bout" 2>"$T/berr" &
bpid=$!
exec 3>"$T/fifo"
printf '1\ttrain\n' >&3
sleep 0.5
ino_before=$(ls -di "$CI" | cut -d' ' -f1)
run "$LODE" compact -i "$CI"
expect_rc "compact in place while a search has the index open" 0
printf '2\ttrain\n3\t"harbour strike"\n' >&3
exec 3>&-
wait $bpid; brc=$?
expect_eq "... the open search answers after it (exit)" "$brc" "0"
expect_eq "... with the same hits as before" "$(grep '^2 Q0' "$T/bout" | cut -d' ' -f3-)" \
  "$(grep '^1 Q0' "$T/bout" | cut -d' ' -f3-)"
expect_eq "... and finds phrases (positions) too" "$(grep -c '^3 Q0' "$T/bout")" \
  "$("$LODE" search -i "$ONE" -c '"harbour strike"')"
ino_after=$(ls -di "$CI" | cut -d' ' -f1)
[ "$ino_before" != "$ino_after" ] && ok "a new search opens the compact index" ||
  fail "a new search opens the compact index" "same directory"
ls -d "$CI".* 2>/dev/null > "$T/left"
expect_eq "... and nothing is left beside it" "$(cat "$T/left")" ""
json_all "$T/got.json" -i "$CI"
same_json "the compact index: same hits, order and snippets" "$T/got.json" "$T/want.json"
same_scores "the compact index: scores equal to 1e-9" "$CI"
run "$LODE" index -q -i "$CI" "$C"
expect_rc "lode index updates the compact index" 0
expect_eq "... finding nothing to do" "$(docs "$CI")" "$n1"

# A writer holds the index: compaction waits for none and says busy.
rm -f "$T/fifo"; mkfifo "$T/fifo"
"$LODE" index -q -i "$CI" - < "$T/fifo" >/dev/null 2>&1 &
wpid=$!
exec 3>"$T/fifo"
sleep 0.5
run "$LODE" compact -i "$CI"
expect_rc "compact while lode index writes: exit 3 (busy)" 3
expect_err "... says so" "busy"
ls -d "$CI".* 2>/dev/null > "$T/left"
expect_eq "... and leaves nothing behind" "$(cat "$T/left")" ""
exec 3>&-
wait $wpid

run "$LODE" compact -i "$T/no-index-here"
expect_rc "compact a missing index: exit 2" 2
[ -e "$T/no-index-here" ] && fail "... creates nothing" || ok "... creates nothing"
mkdir "$T/plain-dir"; echo keep > "$T/plain-dir/file"
run "$LODE" compact -i "$T/plain-dir"
expect_rc "compact a directory that is no index: exit 2" 2
expect_eq "... and leaves it alone" "$(ls "$T/plain-dir")" "file"
run "$LODE" compact -i "$CI" --into "$T/copy"
expect_rc "compact --into" 0
expect_eq "... a copy with every document" "$(docs "$T/copy")" "$n1"

# ------------------------------------------------------------------ updates
# An update of one shard leaves the other shard's files alone (they are not
# in it) and removes its own deleted files only.
victim=$("$LODE" search -i "$S2" -l -n 1000 'date:..2100' | grep '/gen/' | head -n 1)
[ -f "$victim" ] && ok "a file of shard 2 to delete" || fail "a file of shard 2 to delete" "'$victim'"
rm -f "$victim"
run "$LODE" index -i "$S1" --shard 1/2
expect_err "updating shard 1 after a shard-2 file is gone: nothing removed" " 0 removed"
expect_eq "... shard 1 unchanged" "$(docs "$S1")" "$a"
run "$LODE" index -i "$S2" --shard 2/2
expect_err "updating shard 2: its file is removed" " 1 removed"
expect_eq "... shard 2 lost one document" "$(docs "$S2")" "$((b - 1))"
