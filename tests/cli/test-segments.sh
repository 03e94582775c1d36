#!/bin/sh
# Segmented indexes (lode index --segments N): the same documents, the same
# answers in the same order with the same scores as a one-database index,
# through updates (changed, deleted, new files), a run with fewer threads than
# segments, `lode compact` and Xapian's own tools.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/helpers/relib.sh"

NFILES=$(scaled 600 300)
CORPUS="$T/corpus"
sh "$HELPERS/gencorpus.sh" "$CORPUS" "$NFILES" 3
set -- $(sed -n '1s/^# //p' "$CORPUS/d00/f00000.md")
W1=$1 W2=$2
QUERIES="corpusall|group3|file17|$W1|$W1 OR $W2|\"$W1 $W2\"|$W1 NOT group0|title:$W1"

same_answers() { # NAME IDX REF
	answers "$2" "$T/got" 100
	if cmp -s "$T/got" "$3"; then ok "$1"; else
		fail "$1" "$(diff "$3" "$T/got" | head -n 6 | tr '\n' ' ')"; fi
}

# the reference: Xapian's writer, one segment
run env LODE_BULK=0 "$LODE" index -q -j1 --segments 1 -i "$T/one" "$CORPUS"
expect_rc "one segment: exit 0" 0
answers "$T/one" "$T/ref" 100
if grep -q '"rank": 50,' "$T/ref"; then ok "reference answers are long lists"; else
	fail "reference answers are long lists" "no query reached 50 hits"; fi

run "$LODE" index -q -j2 --segments 3 -i "$T/three" "$CORPUS"
expect_rc "three segments: exit 0" 0
if [ -f "$T/three/XAPIANDB" ] && [ -d "$T/three/s0" ] && [ -d "$T/three/s2" ] &&
   [ ! -e "$T/three/s3" ]; then ok "three segments: a stub and s0..s2"; else
	fail "three segments: a stub and s0..s2" "$(ls "$T/three" | tr '\n' ' ')"; fi
expect_eq "three segments: every file a document" "$(docs_of "$T/three")" "$NFILES"
# the files are spread: each segment holds some (a new file goes to the
# first of the two writers free, and within the first's two segments by its
# path's hash, so the shares follow the writers' speeds)
for s in 0 1 2; do
	n=$(LODE_INDEX= "$LODE" stats -i "$T/three/s$s" --json 2>/dev/null |
	    sed -n 's/.*"documents": \([0-9]*\).*/\1/p')
	if [ -n "$n" ] && [ "$n" -gt $((NFILES / 10)) ]; then ok "segment s$s holds its share ($n)"; else
		fail "segment s$s holds its share" "documents: ${n:-none} of $NFILES"; fi
done
same_answers "three segments: same answers, order and scores as one" "$T/three" "$T/ref"
run "$LODE" check -i "$T/three"
expect_rc "three segments: lode check passes" 0
run "$LODE" stats -i "$T/three"
expect_out "three segments: stats counts the segments' bytes" "size on disk: +[1-9][0-9]*\.[0-9] MB|size on disk: +0\.[1-9]"
expect_out "three segments: stats shows the root" "$CORPUS"

run "$LODE" index -i "$T/three" -j2
expect_rc "three segments, no change: exit 0" 0
expect_err "three segments, no change: all unchanged" "0 indexed .* $NFILES unchanged"

# A new index is compacted when its first build ends; --no-compact keeps
# what Xapian's writer left (LODE_BULK=0: a new index is otherwise written
# by lode's own writer, compact from the start).
run env LODE_BULK=0 "$LODE" index -q -j2 --segments 3 --no-compact -i "$T/loose" "$CORPUS"
expect_rc "--no-compact: exit 0" 0
same_answers "--no-compact: same answers" "$T/loose" "$T/ref"
# A new segmented index is written by lode's own writer: each batch a
# database of its own (a run, listed in the stub beside its segment and
# searchable at once), merged into the segments when the build ends.
runs_of() { grep -c '^auto s[0-9]*\.r[0-9]*$' "$1/XAPIANDB"; }
expect_eq "bulk build: no run left listed once it ends" "$(runs_of "$T/three")" 0
set -- "$T"/three/s*.r*
[ -e "$1" ] && got=left || got=gone
expect_eq "bulk build: no run directory left" "$got" gone
run "$LODE" index -q -j2 --segments 3 --no-compact -i "$T/runs" "$CORPUS"
expect_rc "bulk build, --no-compact: exit 0" 0
n=$(runs_of "$T/runs")
if [ "$n" -ge 3 ]; then ok "bulk build, --no-compact: its runs stay listed ($n)"; else
	fail "bulk build, --no-compact: its runs stay listed" "$n runs in $(cat "$T/runs/XAPIANDB" | tr '\n' ' ')"; fi
same_answers "bulk build, runs not merged: same answers, order and scores" "$T/runs" "$T/ref"
echo "zorblax bulk" >"$CORPUS/d00/bulk-late.md"
run "$LODE" index -q -i "$T/runs" -j2
expect_rc "update of an index with runs: exit 0" 0
expect_eq "update of an index with runs: merged first" "$(runs_of "$T/runs")" 0
run "$LODE" search -i "$T/runs" -c corpusall
expect_eq "update of an index with runs: every document once" "$(cat "$T/out")" "$NFILES"
run "$LODE" search -i "$T/runs" -c zorblax
expect_eq "update of an index with runs: the new file found" "$(cat "$T/out")" 1
rm -f "$CORPUS/d00/bulk-late.md"

set -- "$T"/.three.new-* "$T"/three/.s*
[ -e "$1" ] || [ -e "$2" ] && left=yes || left=no
expect_eq "compaction leaves nothing behind" "$left" no
run "$LODE" index -q -j2 --stats-json "$T/st.json" -i "$T/plain" --segments 1 "$CORPUS"
answers "$T/plain" "$T/ref3" 100
# A new index is compact: xapian-compact makes its tables no smaller than
# 10% (it makes an uncompacted one, such as $T/loose, smaller by a fifth or
# more). Its records are left out: lode stores short ones raw, which the
# compactor deflates.
tables() { # DIR...: KB in their postlist, position and termlist tables
	for d in "$@"; do for t in postlist position termlist; do
		[ -f "$d/$t.glass" ] && wc -c <"$d/$t.glass"; done; done |
		awk '{s += $1} END {print int(s / 1024)}'
}
if command -v xapian-compact >/dev/null 2>&1; then
	mkdir -p "$T/recomp"
	for s in "$T"/plain/s[0-9]; do
		xapian-compact "$s" "$T/recomp/${s##*/}" >/dev/null 2>&1
	done
	a=$(tables "$T"/plain/s[0-9]) b=$(tables "$T"/recomp/s[0-9])
	if [ "$b" -gt 0 ] && [ "$a" -le $(( b * 110 / 100 )) ]; then
		ok "a new index is compacted ($a KB of tables; $b KB through xapian-compact)"; else
		fail "a new index is compacted" "$a KB of tables, $b KB through xapian-compact"; fi
else
	skip "a new index is compacted: no xapian-compact"
fi

# --memory: a tiny heap limit means a commit every few documents, and the
# same index.
run "$LODE" index -q -j2 --memory 1M --no-compact --stats-json "$T/m.json" -i "$T/small" "$CORPUS"
expect_rc "--memory 1M: exit 0" 0
same_answers "--memory 1M: same answers" "$T/small" "$T/ref3"
run "$LODE" index -q --memory 10 -i "$T/x" "$CORPUS"
expect_rc "--memory 10 (bytes): usage error" 2

if grep -Eq '"compact": [0-9]+\.[0-9]*[1-9]' "$T/st.json"; then ok "--stats-json: compaction seconds"; else
	fail "--stats-json: compaction seconds" "$(cat "$T/st.json")"; fi
same_answers "one compacted database: same answers" "$T/plain" "$T/ref"

# A first build cut short (kill -9 once the index exists) is compacted by
# the run that completes it, and only by that one.
compacted() { grep -Eq '"compact": [0-9]+\.[0-9]*[1-9]' "$1"; }
"$LODE" index -q -j2 --memory 1M -i "$T/cut" "$CORPUS" >/dev/null 2>&1 &
cpid=$!
# (a file test, not `lode stats`: under the sanitizers a lode process takes
# long enough for the build to end before the kill)
while alive "$cpid" && [ ! -e "$T/cut/XAPIANDB" ]; do :; done
kill -9 "$cpid" 2>/dev/null
{ wait "$cpid"; } 2>/dev/null
if [ $? -eq 137 ]; then
	run "$LODE" index -q -j2 --stats-json "$T/cut1.json" -i "$T/cut" "$CORPUS"
	expect_rc "first build completed after a kill: exit 0" 0
	if compacted "$T/cut1.json"; then ok "... and the run that completes it compacts it"; else
		fail "... and the run that completes it compacts it" "$(cat "$T/cut1.json")"; fi
	same_answers "... same answers as a single database" "$T/cut" "$T/ref"
	run "$LODE" index -q -j2 --stats-json "$T/cut2.json" -i "$T/cut" "$CORPUS"
	if compacted "$T/cut2.json"; then fail "... the next run does not compact again" \
		"$(cat "$T/cut2.json")"; else ok "... the next run does not compact again"; fi
else
	skip "a first build cut short: the build ended before the kill"
fi

# Updates: one file changed, one deleted, one new; both indexes get them.
sleep 1
echo "zorblax appears in a changed file" >>"$CORPUS/d01/f00105.md"
rm "$CORPUS/d02/f00207.md"
printf '# New arrival\n\nzorblax and corpusall in a new file.\n' >"$CORPUS/d00/new.md"
run "$LODE" index -q -i "$T/one"
expect_rc "one segment update: exit 0" 0
answers "$T/one" "$T/ref2" 100
run "$LODE" index -i "$T/three" -j1
expect_rc "three segments updated by one thread: exit 0" 0
expect_err "three segments update: counts" "2 indexed .* 1 removed"
same_answers "three segments after the update: same answers as one" "$T/three" "$T/ref2"
run "$LODE" search -i "$T/three" -c zorblax
expect_eq "three segments: the changed and the new file match" "$(cat "$T/out")" 2
expect_eq "three segments after the update: no document twice" "$(docs_of "$T/three")" "$NFILES"

# Xapian's tools open the directory as one database.
if command -v xapian-delve >/dev/null 2>&1; then
	n=$(xapian-delve "$T/three" 2>/dev/null | sed -n 's/^number of documents = //p')
	expect_eq "xapian-delve opens a segmented index as one" "$n" "$NFILES"
else
	skip "xapian-delve opens a segmented index (xapian-tools not installed)"
fi

# A new index with one job still gets the segments asked for; without
# --segments, as many as jobs.
run "$LODE" index -q -j1 --segments 2 -i "$T/two" "$CORPUS"
expect_rc "two segments written by one thread: exit 0" 0
same_answers "two segments, one thread: same answers" "$T/two" "$T/ref2"
run "$LODE" index -q -j2 -i "$T/dflt" "$T/one" 2>/dev/null
[ -f "$T/dflt/XAPIANDB" ] && got=stub || got=plain
expect_eq "-j2 on a new index: two segments by default" "$got" stub
run "$LODE" index -q -j1 -i "$T/dflt1" "$CORPUS"
[ -f "$T/dflt1/XAPIANDB" ] && [ -d "$T/dflt1/s0" ] && [ ! -e "$T/dflt1/s1" ] && got=one || got=other
expect_eq "-j1 on a new index: a stub of one segment (written by lode's writer)" "$got" one

# Compacting makes one database; updates go on from there.
run "$LODE" compact -i "$T/three"
expect_rc "compact a segmented index: exit 0" 0
[ -f "$T/three/iamglass" ] && [ ! -e "$T/three/XAPIANDB" ] && got=plain || got=other
expect_eq "compact: one database" "$got" plain
same_answers "compacted: same answers" "$T/three" "$T/ref2"
echo "zorblax once more" >"$CORPUS/d00/later.md"
run "$LODE" index -q -i "$T/three" -j2
expect_rc "update after compact: exit 0" 0
run "$LODE" search -i "$T/three" -c zorblax
expect_eq "update after compact: found" "$(cat "$T/out")" 3

# A new index is synced once at the end, not at every batch; an update of an
# existing index waits for the disk at every commit.
if command -v strace >/dev/null 2>&1; then
	strace -f -e trace=fsync,fdatasync -o "$T/trace" "$LODE" index -q -j2 --segments 2 \
		-i "$T/synced" "$CORPUS" 2>/dev/null
	n_new=$(grep -c 'sync(' "$T/trace")
	mkdir -p "$T/extra"
	echo "One more article, about kelp." >"$T/extra/kelp.txt"
	strace -f -e trace=fsync,fdatasync -o "$T/trace2" "$LODE" index -q -j2 -i "$T/synced" \
		"$T/extra" 2>/dev/null
	n_upd=$(grep -c 'datasync(' "$T/trace2")
	if [ "$n_new" -gt 0 ] && [ "$n_upd" -gt 0 ]; then ok "syncs: a new index at the end ($n_new), an update per commit ($n_upd)"; else
		fail "syncs: a new index at the end, an update per commit" "new: $n_new, update: $n_upd"; fi
	expect_eq "a new index, synced at the end: every file a document" "$(docs_of "$T/synced")" "$(( $(docs_of "$T/three") + 1 ))"
else
	skip "syncs (strace not installed)"
fi

# What a killed compaction leaves (a hidden directory of a process that is
# gone, beside the index or a segment) goes with the next run; a live
# process's stays.
mkdir -p "$T/two/.s1.new-99999999-abcdef/x" "$T/.plain.new-99999999-abcdef" \
	"$T/two/.s0.new-$$-abcdef"
run "$LODE" index -q -i "$T/two" -j2
run "$LODE" index -q -i "$T/plain" -j2
left=""
for d in "$T/two/.s1.new-99999999-abcdef" "$T/.plain.new-99999999-abcdef"; do
	[ -e "$d" ] && left="$left $d"; done
expect_eq "leftovers of dead runs are removed" "$left" ""
[ -d "$T/two/.s0.new-$$-abcdef" ] && got=kept || got=removed
expect_eq "a live process's directory is kept" "$got" kept

# Bad layouts are errors, never a crash or a silent empty index.
mkdir -p "$T/bad"
printf 'remote tcp:example.org:1\n' >"$T/bad/XAPIANDB"
run "$LODE" index -q -i "$T/bad" "$T/one"
expect_rc "a stub lode does not write: exit 2" 2
expect_err "a stub lode does not write: says why" "XAPIANDB"
run "$LODE" index -q --segments 17 -i "$T/x" "$CORPUS"
expect_rc "--segments 17: usage error" 2

# A merge caught between its two steps: the segments already hold their
# runs' documents while the stub still lists the runs (made here by hand
# with xapian-compact). A search counts every document once.
if command -v xapian-compact >/dev/null 2>&1; then
	run "$LODE" index -q -j2 --segments 2 --no-compact -i "$T/half" "$CORPUS"
	answers "$T/half" "$T/ref_half" 100
	ndocs=$(docs_of "$T/half")
	for s in s0 s1; do
		set -- "$T"/half/$s.r*
		xapian-compact -q "$T/half/$s" "$@" "$T/half/.m$s" >/dev/null 2>&1 &&
			rm -rf "$T/half/$s" && mv "$T/half/.m$s" "$T/half/$s"
	done
	n=$(runs_of "$T/half")
	if [ "$n" -ge 2 ]; then ok "half-merged: the stub still lists its runs ($n)"; else
		fail "half-merged: the stub still lists its runs" "$n"; fi
	run "$LODE" search -i "$T/half" -c corpusall
	expect_eq "half-merged: every document counted once" "$(cat "$T/out")" "$NFILES"
	same_answers "half-merged: the answers, order and scores from before" "$T/half" "$T/ref_half"
	expect_eq "half-merged: lode stats counts every document once" "$(docs_of "$T/half")" "$ndocs"
	run "$LODE" check -i "$T/half"
	expect_rc "half-merged: lode check passes" 0
else
	skip "half-merged runs (xapian-compact not installed)"
fi
