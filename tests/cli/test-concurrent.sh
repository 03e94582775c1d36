#!/bin/sh
# Concurrent use: searches (and `lode check`) while `lode index` builds and
# updates, and two writers at once (the lock, --wait honoured).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/helpers/relib.sh"

NFILES=${LODE_CONCURRENT_FILES:-$(scaled 3000 2200)}
MAX_SECONDS=20 # the search loops stop after this, or when the build ends
CORPUS="$T/corpus"
IDX="$T/idx"
sh "$HELPERS/gencorpus.sh" "$CORPUS" "$NFILES" 11
set -- $(sed -n '1s/^# //p' "$CORPUS/d00/f00000.md")
W1=$1 W2=$2

# search_loop NAME PID EXPECT: search until PID ends (or MAX_SECONDS pass),
# checking every answer: exit 0 or 1, every --json line a JSON object,
# nothing about the index changing on stderr, and the document count: with
# EXPECT "grow" never smaller than the one before, with a number always that.
search_loop() {
	_name=$1 _pid=$2 _want=$3
	_end=$(( $(now_ms) + MAX_SECONDS * 1000 ))
	_n=0 _bad_rc="" _bad_err="" _bad_count="" _prev=0
	: >"$T/all.json" # every answer, checked at the end
	while alive "$_pid" && [ "$(now_ms)" -lt "$_end" ]; do
		_n=$((_n + 1))
		"$LODE" search -i "$IDX" --json -n 50 "$W1 OR $W2 OR corpusall" >"$T/s.out" 2>"$T/s.err"
		_rc=$?
		case $_rc in 0|1) ;; *) _bad_rc="$_bad_rc $_rc" ;; esac
		cat "$T/s.out" >>"$T/all.json"
		[ -s "$T/s.err" ] && _bad_err="$(head -c 200 "$T/s.err")"
		"$LODE" search -i "$IDX" -c corpusall >"$T/c.out" 2>"$T/c.err"
		_c=$(cat "$T/c.out")
		case $_want in
		grow) [ "${_c:-0}" -ge "$_prev" ] 2>/dev/null || _bad_count="$_bad_count $_prev->$_c" ;;
		*) [ "$_c" = "$_want" ] || _bad_count="$_bad_count $_c" ;;
		esac
		_prev=${_c:-0}
		[ -s "$T/c.err" ] && _bad_err="$(head -c 200 "$T/c.err")"
	done
	echo "# $_name: $_n rounds of searches"
	if [ "$_n" -gt 0 ]; then ok "$_name: searches ran during the build"; else
		skip "$_name: the build ended before a search ran"; fi
	expect_eq "$_name: every search exits 0 or 1" "$_bad_rc" ""
	expect_eq "$_name: every --json line is a JSON object" "$(json_lines_ok "$T/all.json")" ""
	expect_eq "$_name: nothing on stderr (no DatabaseModifiedError)" "$_bad_err" ""
	expect_eq "$_name: document counts as committed ($_want)" "$_bad_count" ""
}

# index_opens IDX: the index exists (committed empty, at least).
index_opens() { [ "$(docs_of "$1")" != none ]; }

# 1. A full build, searched from its first commit on.
"$LODE" index -q -i "$IDX" "$CORPUS" >"$T/b.out" 2>"$T/b.err" &
bpid=$!
while alive "$bpid" && ! index_opens "$IDX"; do :; done
search_loop "full build" "$bpid" grow
wait "$bpid"
rc=$?
cp "$T/b.err" "$T/err"
expect_rc "full build with searches: exit 0" 0
expect_eq "full build: all documents" "$(docs_of "$IDX")" "$NFILES"

# 2. An update that rewrites every other file: a batch deletes the old
# documents and adds the new ones in one commit, so a reader always sees
# exactly NFILES documents.
find "$CORPUS" -name 'f*[02468].*' |
	awk '{ n = $0; sub(/.*\//, "", n); print "rewritten corpusall rewrite" n > $0; close($0) }'
"$LODE" index -q -i "$IDX" "$CORPUS" >"$T/b.out" 2>"$T/b.err" &
bpid=$!
search_loop "update" "$bpid" "$NFILES"
wait "$bpid"
rc=$?
cp "$T/b.err" "$T/err"
expect_rc "update with searches: exit 0" 0
run "$LODE" search -i "$IDX" -c rewritten
expect_eq "update: the rewritten files found" "$(cat "$T/out")" "$((NFILES / 2))"

# 3. `lode check` while a writer commits: it may not report a sound index
# as damaged (exit 1). Exit 0 is the answer wanted; a refusal (exit 2) is
# tolerated only with a message saying why.
# Two segments, whatever the cores: each commits on its own, so the check
# sees them move under it more often than one database.
rm -rf "$IDX"
"$LODE" index -q --segments 2 -i "$IDX" "$CORPUS" >"$T/b.out" 2>"$T/b.err" &
bpid=$!
while alive "$bpid" && ! index_opens "$IDX"; do :; done
n=0 bad=""
while alive "$bpid" && [ $n -lt 10 ]; do
	n=$((n + 1))
	"$LODE" check -i "$IDX" >"$T/k.out" 2>"$T/k.err"
	krc=$?
	case $krc in
	0) ;;
	2) grep -q . "$T/k.err" || bad="$bad exit 2 without a message;" ;;
	*) bad="$bad exit $krc: $(head -c 200 "$T/k.out" "$T/k.err" | tr '\n' ' ');" ;;
	esac
done
wait "$bpid"
echo "# check during a build: $n runs"
expect_eq "lode check during a build: never reports problems" "$bad" ""

# 4. Two writers. The first holds the lock while it waits for its file list
# on a FIFO, so it holds it exactly until the test closes the FIFO (fd 7).
# Every other command is started with fd 7 closed, or it would keep the
# FIFO open and the holder would never see the end of its list.
hold() { # hold: start a writer and return once it holds the lock
	rm -f "$T/fifo"
	mkfifo "$T/fifo"
	"$LODE" index -q -i "$IDX" --wait 10 - <"$T/fifo" >/dev/null 2>&1 &
	holder=$!
	exec 7>"$T/fifo"
	# The lock is taken once another writer is refused. Probes pause between
	# tries: a probe holds the lock while it runs, and the holder polls for it.
	_t=0
	while [ $_t -lt 300 ]; do
		"$LODE" index -q -i "$IDX" --wait 0 "$T/none" >/dev/null 2>&1 7>&-
		[ $? -eq 3 ] && return 0
		_t=$((_t + 1))
		sleep 0.05
	done
	fail "a writer holds the lock" "no writer seen holding it"
}
release() { exec 7>&-; wait "$holder"; }
hold
t0=$(now_ms)
run "$LODE" index -i "$IDX" --wait 0 "$CORPUS" 7>&-
el=$(( $(now_ms) - t0 ))
expect_rc "--wait 0: busy at once, exit 3" 3
expect_err "--wait 0: the message names the index" "$IDX: index is busy"
if [ "$(grep -c . "$T/err")" -eq 1 ]; then ok "--wait 0: one line"; else
	fail "--wait 0: one line" "$(cat "$T/err")"; fi
if [ "$el" -lt 1000 ]; then ok "--wait 0: no waiting (${el} ms)"; else
	fail "--wait 0: no waiting" "${el} ms"; fi
t0=$(now_ms)
run "$LODE" index -i "$IDX" --wait 1 "$CORPUS" 7>&-
el=$(( $(now_ms) - t0 ))
expect_rc "--wait 1: still busy, exit 3" 3
expect_err "--wait 1: the message names the index" "$IDX: index is busy"
if [ "$el" -ge 900 ] && [ "$el" -lt 5000 ]; then ok "--wait 1: waited about 1 s (${el} ms)"; else
	fail "--wait 1: waited about 1 s" "${el} ms"; fi
run "$LODE" search -i "$IDX" -c corpusall 7>&-
expect_eq "search while a writer holds the lock" "$(cat "$T/out")" "$NFILES"
release

# A writer that waits long enough gets the index once the first is done:
# the holder lets go 1 s after the waiting writer starts.
hold
t0=$(now_ms)
"$LODE" index -i "$IDX" --wait 20 "$CORPUS/d00" >"$T/out" 2>"$T/err" 7>&- &
waiter=$!
sleep 1
release
wait "$waiter"
rc=$?
el=$(( $(now_ms) - t0 ))
expect_rc "--wait 20: gets the lock when the holder ends, exit 0" 0
if [ "$el" -ge 900 ] && [ "$el" -lt 15000 ]; then ok "--wait 20: waited for the holder (${el} ms)"; else
	fail "--wait 20: waited for the holder" "${el} ms"; fi
run "$LODE" check -i "$IDX"
expect_rc "after two writers: lode check passes" 0
