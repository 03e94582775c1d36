#!/bin/sh
# shards.sh - what splitting an index costs at query time. The same queries
# over one index and over 2 and 4 shards of it (lode index --shard K/N), each
# local and served on loopback (lode serve), and what compaction takes and
# saves. Prints two tables.
#
# Environment:
#   LODE_BUILD      build directory holding lode (default: build)
#   SHARDS_CORPUS   corpus directory (default /work/devcorpus when present,
#                   else "generate": ~25 MB of text generated into the work
#                   directory; SHARDS_GEN_FILES files, default 6000)
#   SHARDS_RUNS     timed runs of each query (default 3)
#   SHARDS_KEEP=1   keep the work directory (its path is printed)
#
# Latency is measured two ways: "command" is the wall time of one
# `lode search -n 10 QUERY` with snippets (a process, its connections, the
# stored text of 10 hits), median and 90th percentile over every query and
# run; "batch" is the time per query of one `lode search --batch` process
# (one connection, no snippets): the search itself.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
B=${LODE_BUILD:-build}
case $B in /*) ;; *) B=$top/$B ;; esac
LODE=$B/lode
RUNS=${SHARDS_RUNS:-3}
[ -x "$LODE" ] || { echo "shards: $LODE not built (make)" >&2; exit 2; }
command -v python3 >/dev/null 2>&1 || { echo "shards: python3 is needed" >&2; exit 2; }
command -v xapian-tcpsrv >/dev/null 2>&1 || { echo "shards: xapian-tcpsrv is needed (xapian-tools)" >&2; exit 2; }

W=$(mktemp -d "${TMPDIR:-/tmp}/lode-shards.XXXXXX")
# servers are started in command substitutions (subshells): their pids go
# to a file, which the cleanup reads
: > "$W/pids"
cleanup() {
  for p in $(cat "$W/pids"); do kill "$p" 2>/dev/null || true; done
  for p in $(cat "$W/pids"); do
    while kill -0 "$p" 2>/dev/null; do sleep 0.1; done
  done
  if [ "${SHARDS_KEEP:-0}" = 1 ]; then echo "shards: kept $W" >&2; else rm -rf "$W"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE
note() { printf 'shards: %s\n' "$*" >&2; }

# ---------------------------------------------------------------- corpus
C=${SHARDS_CORPUS:-}
if [ -z "$C" ]; then
  if [ -d /work/devcorpus ]; then C=/work/devcorpus; else C=generate; fi
fi
if [ "$C" = generate ]; then
  C=$W/corpus
  note "generating a corpus in $C"
  python3 - "$C" "${SHARDS_GEN_FILES:-6000}" <<'EOF'
import os, sys
root = sys.argv[1]
# 20000 pronounceable words made of syllables, the same everywhere
syl = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
words = []
for i in range(20000):
    w, n = "", i
    for _ in range(2 + i % 3):
        w += syl[n % len(syl)]
        n = n // len(syl) + 7 * (i % 11)
    words.append(w)
x = 42
def rnd(n):
    global x
    x = (x * 1103515245 + 12345) % 2147483648
    return (x >> 8) % n
for i in range(int(sys.argv[2])):
    d = os.path.join(root, "d%02d" % (i % 50))
    os.makedirs(d, exist_ok=True)
    n = 200 + rnd(800)
    # Zipf-like: the product of two picks favours low ranks
    body = " ".join(words[rnd(len(words)) * rnd(len(words)) // len(words)] for _ in range(n))
    with open(os.path.join(d, "a%05d.txt" % i), "w") as f:
        f.write("%s %s\n\n%s\n" % (words[rnd(500)], words[rnd(5000)], body))
EOF
fi
if [ "$C" = /work/devcorpus ]; then
  cat > "$W/queries" <<'EOF'
whale
"white whale"
harpoon AND captain
"memory barrier"
"file descriptor"
postgresql vacuum
"foreign key" constraint
python dictionary
"virtual memory"
kernel module parameter
apt package upgrade
unicode string encoding
socket timeout
"regular expression"
interrupt handler
encod*
title:install
EOF
else
  # words of the generated corpus, common and rarer, single and paired
  python3 - "$C" > "$W/queries" <<'EOF'
import os, sys, collections
cnt = collections.Counter()
for d, _, fs in sorted(os.walk(sys.argv[1])):
    for f in sorted(fs)[:20]:
        cnt.update(open(os.path.join(d, f)).read().split())
common = [w for w, _ in cnt.most_common(400)]
for i in range(8):
    print(common[i * 40 + 5])
for i in range(6):
    print("%s %s" % (common[i * 30 + 3], common[i * 50 + 7]))
print('"%s %s"' % (common[0], common[1]))
print(common[100][:3] + "*")
EOF
fi
nq=$(wc -l < "$W/queries")
note "corpus $C, $nq queries, $RUNS runs"

# ---------------------------------------------------------------- indexes
secs() { python3 -c 'import time; print("%.3f" % time.time())'; }
size_mb() { du -sk "$1" | awk '{printf "%.1f", $1 / 1024}'; }

note "indexing one index"
"$LODE" index -q -i "$W/one" "$C" >/dev/null
for k in 1 2 3 4; do
  note "indexing shard $k/4"
  "$LODE" index -q -i "$W/q$k" --shard $k/4 "$C" >/dev/null
done
cp -R "$W/one" "$W/one-compact"

: > "$W/compact.tsv"
compact() {  # compact NAME DIR: in place, time and sizes into compact.tsv
  before=$(size_mb "$2"); t0=$(secs)
  "$LODE" compact -i "$2"
  t1=$(secs)
  printf '%s\t%s\t%s\t%s\n' "$1" "$before" "$(size_mb "$2")" \
    "$(python3 -c "print('%.1f' % ($t1 - $t0))")" >> "$W/compact.tsv"
}
note "compacting"
compact "one index" "$W/one-compact"
for k in 1 2 3 4; do compact "shard $k/4" "$W/q$k"; done
# A hash mod 4 is even exactly when the hash mod 2 is: shard 1/2 holds the
# files of shards 1/4 and 3/4, shard 2/2 those of 2/4 and 4/4.
note "merging shards 1/4+3/4 and 2/4+4/4 into 2 shards"
t0=$(secs)
"$LODE" merge "$W/q1" "$W/q3" --into "$W/h1"
"$LODE" merge "$W/q2" "$W/q4" --into "$W/h2"
t1=$(secs)
printf '%s\t%s\t%s\t%s\n' "merge 4 shards into 2" \
  "$(du -skc "$W"/q[1-4] | tail -n 1 | awk '{printf "%.1f", $1 / 1024}')" \
  "$(du -skc "$W"/h[12] | tail -n 1 | awk '{printf "%.1f", $1 / 1024}')" \
  "$(python3 -c "print('%.1f' % ($t1 - $t0))")" >> "$W/compact.tsv"

# ---------------------------------------------------------------- servers
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
serve() {  # serve INDEX: prints tcp:127.0.0.1:PORT once it accepts
  port=$(free_port)
  setsid "$LODE" serve -q -i "$1" --port "$port" >/dev/null 2>&1 &
  echo $! >> "$W/pids"
  i=0
  until python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()' "$port" 2>/dev/null; do
    i=$((i + 1)); [ $i -lt 100 ] || { note "lode serve $1 did not start"; exit 2; }
    sleep 0.1
  done
  echo "tcp:127.0.0.1:$port"
}
r1=$(serve "$W/one-compact")
rh1=$(serve "$W/h1"); rh2=$(serve "$W/h2")
rq1=$(serve "$W/q1"); rq2=$(serve "$W/q2"); rq3=$(serve "$W/q3"); rq4=$(serve "$W/q4")

# name<TAB>shards<TAB>where<TAB>sources (space-separated)
cat > "$W/configs" <<EOF
one index, as built	1	local	$W/one
one index, compact	1	local	$W/one-compact
2 shards	2	local	$W/h1 $W/h2
4 shards	4	local	$W/q1 $W/q2 $W/q3 $W/q4
one index, compact	1	loopback	$r1
2 shards	2	loopback	$rh1 $rh2
4 shards	4	loopback	$rq1 $rq2 $rq3 $rq4
EOF

note "timing"
python3 - "$LODE" "$W/configs" "$W/queries" "$RUNS" "$W" <<'EOF'
import statistics, subprocess, sys, time
lode, configs, queries, runs, work = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
qs = [q for q in open(queries).read().split("\n") if q]
topics = work + "/topics.tsv"
with open(topics, "w") as f:
    for i, q in enumerate(qs):
        f.write("%d\t%s\n" % (i + 1, q))
rows = []
for line in open(configs):
    name, shards, where, srcs = line.rstrip("\n").split("\t")
    args = []
    for s in srcs.split():
        args += ["-i", s]
    def one(q):
        t = time.perf_counter()
        subprocess.run([lode, "search", *args, "-n", "10", "--color", "never", "--", q],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - t
    docs = subprocess.run([lode, "search", *args, "-c", "--", "date:..2999"],
                          capture_output=True, text=True).stdout.strip()
    for q in qs:          # warm the page cache and the servers
        one(q)
    times = [one(q) for _ in range(runs) for q in qs]
    times.sort()
    batch = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([lode, "search", *args, "--batch", topics, "--full-syntax", "-n", "10"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        batch.append((time.perf_counter() - t) / len(qs))
    rows.append((name, shards, where, docs, statistics.median(times) * 1000,
                 times[int(0.9 * (len(times) - 1))] * 1000, min(batch) * 1000))
print("%-20s %6s %-9s %8s %12s %12s %12s" % ("index", "shards", "where", "docs",
      "cmd med ms", "cmd p90 ms", "batch ms/q"))
for r in rows:
    print("%-20s %6s %-9s %8s %12.1f %12.1f %12.2f" % r)
EOF
echo
printf '%-22s %14s %16s %9s\n' "compaction" "before MB" "after MB" "seconds"
while IFS="$(printf '\t')" read -r name before after t; do
  printf '%-22s %14s %16s %9s\n' "$name" "$before" "$after" "$t"
done < "$W/compact.tsv"
