#!/bin/sh
# Crash safety of `lode index`: killed with SIGKILL at several points
# (while the index is created, early, while index files change, just after a
# commit, at random times, with -j1 and -j2, twice in a row, and while a new
# index is compacted), stopped with
# SIGINT/SIGTERM, run out of disk space and put on a read-only file system
# (those two need root to mount a tmpfs). Each time the index must open,
# pass `lode check`, answer with what was committed, and a re-run must give
# exactly the index a clean build gives (document count, and the --json
# output of a fixed query set: paths, order, scores).
# LODE_TEST_SEED=N repeats the random kill times of an earlier run.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/helpers/relib.sh"

# More than one batch (1000 documents, 500 a segment with two) so that
# commits happen mid-run.
NFILES=${LODE_CRASH_FILES:-$(scaled 3000 2200)}
SEED=${LODE_TEST_SEED:-$(date +%s)}
echo "# $NFILES files; random kill times from LODE_TEST_SEED=$SEED"
CORPUS="$T/corpus"
sh "$HELPERS/gencorpus.sh" "$CORPUS" "$NFILES" 7

# Queries drawn from the corpus itself: the words of the first file's title.
set -- $(sed -n '1s/^# //p' "$CORPUS/d00/f00000.md")
W1=$1 W2=$2 W3=$3
QUERIES="corpusall|group3|file17|$W1|$W1 OR $W2|$W2 $W3|\"$W1 $W2\"|$W1 NOT group0|group1 OR group2"


# The reference: a clean, uninterrupted build.
t0=$(now_ms)
run "$LODE" index -i "$T/clean" "$CORPUS"
T_CLEAN=$(( $(now_ms) - t0 ))
expect_rc "clean build: exit 0" 0
echo "# clean build: ${T_CLEAN} ms"
answers "$T/clean" "$T/ref"
expect_eq "clean build: every file a document" "$(docs_of "$T/clean")" "$NFILES"
if grep -q '"rank": 50,' "$T/ref"; then ok "reference answers are full pages"; else
	fail "reference answers are full pages" "no query reached 50 hits"; fi

# rand_ms K LO HI: the K-th random kill time, between LO% and HI% of the
# clean build's time (awk's srand/rand suffice: the seed need only repeat
# on the same machine).
rand_ms() {
	awk -v s="$SEED" -v k="$1" -v lo="$2" -v hi="$3" -v t="$T_CLEAN" \
		'BEGIN { srand(s + k * 7919); printf "%d", t * (lo + (hi - lo) * rand()) / 100 }'
}

# start IDX [OPTION...]: lode index in the background; its pid in $bpid.
start() {
	_i=$1; shift
	"$LODE" index -i "$_i" "$@" "$CORPUS" >"$T/bg.out" 2>"$T/bg.err" &
	bpid=$!
}
# finish [SIGNAL]: send SIGNAL (default KILL), reap; the status in $brc.
finish() {
	kill -"${1:-KILL}" "$bpid" 2>/dev/null
	{ wait "$bpid"; } 2>/dev/null # no "Killed" from the shell
	brc=$?
}
# wait_until CMD...: poll until CMD succeeds or the build ended (returns 1).
wait_until() {
	while alive "$bpid"; do
		"$@" && return 0
	done
	return 1
}
index_opens() { [ "$(docs_of "$1")" != none ]; }
has_docs() { _d=$(docs_of "$1"); [ "$_d" != none ] && [ "$_d" -gt 0 ]; }
files_changed() { [ "$(files_state "$1")" != "$2" ]; }

# after_kill NAME IDX [may-be-missing|no-path]: the index as the kill left
# it, then a re-run (with no path: the roots the index remembers) and the
# comparison with the clean build.
after_kill() {
	_n=$1 _i=$2
	case $brc in
	137|-) ;; # killed; "-": the caller checked the status
	0) echo "# $_n: the build had finished before the signal" ;;
	*) fail "$_n: the killed build had not failed before" "$(status_name "$brc")" \
		"stderr: $(head -c 300 "$T/bg.err")" ;;
	esac
	_d=$(docs_of "$_i")
	if [ "$_d" = none ] && [ "${3:-}" = may-be-missing ]; then
		ok "$_n: killed before the index existed (it need not open)"
	elif [ "$_d" = none ]; then
		fail "$_n: index opens after the kill" "$("$LODE" stats -i "$_i" 2>&1 | head -c 300)"
	else
		ok "$_n: index opens after the kill ($_d documents)"
		run "$LODE" check -i "$_i"
		expect_rc "$_n: lode check passes after the kill" 0
		if [ "$_d" -le "$NFILES" ]; then ok "$_n: committed count <= $NFILES"; else
			fail "$_n: committed count <= $NFILES" "$_d documents"; fi
		run "$LODE" search -i "$_i" -c corpusall
		expect_eq "$_n: a search finds every committed document" "$(cat "$T/out")" "$_d"
	fi
	rm -f "$T/rerun.json"
	if [ "${3:-}" = no-path ]; then
		run "$LODE" index -i "$_i" --stats-json "$T/rerun.json"
		expect_rc "$_n: re-run with no path (the remembered roots) exit 0" 0
	else
		run "$LODE" index -i "$_i" --stats-json "$T/rerun.json" "$CORPUS"
		expect_rc "$_n: re-run exit 0" 0
	fi
	_ix=$(json_num "$T/rerun.json" indexed) _un=$(json_num "$T/rerun.json" unchanged)
	_done=$(( ${_ix:-0} + ${_un:-0} ))
	expect_eq "$_n: re-run: every file indexed or unchanged" "$_done" "$NFILES"
	expect_eq "$_n: re-run: same document count as a clean build" "$(docs_of "$_i")" "$NFILES"
	run "$LODE" check -i "$_i"
	expect_rc "$_n: lode check passes after the re-run" 0
	answers "$_i" "$T/snap"
	if cmp -s "$T/ref" "$T/snap"; then
		ok "$_n: re-run answers exactly as the clean build"
	else
		fail "$_n: re-run answers exactly as the clean build" \
			"$(diff "$T/ref" "$T/snap" | head -6 | cut -c1-200)"
	fi
	rm -rf "$_i"
}

# 1. While the index directory is being created: the window is a few
# milliseconds, so several tries, killed when the directory holds 0, 1, 2 ...
# entries; each must leave a place where `lode index` can then build (tried
# with one small file), and one is compared with the clean build.
# An index of one segment, then of two (each built in a hidden directory
# beside it, then renamed into place: the directory holds its segments and
# the stub).
mkdir -p "$T/one"
echo "A single note about lighthouses." >"$T/one/one.txt"
entries_at_least() { # DIR N: DIR exists with N or more entries
	[ -d "$1" ] || return 1
	_want=$2
	set -- "$1"/* "$1"/.[!.]*
	_have=0
	for _e; do [ -e "$_e" ] && _have=$((_have + 1)); done
	[ "$_have" -ge "$_want" ]
}
new_at_least() { # N: the hidden directory of a new k1 holds N or more entries
	for _d in "$T"/.k1.new-*; do entries_at_least "$_d" "$1" && return 0; done
	return 1
}
bad="" first="" caught=0
tries="1:0 1:1 1:2 2:0 2:1 2:2 2:3"
[ "$SANITIZED" = 1 ] && tries="1:0 1:2 2:0 2:2"
for _t in $tries; do
	_s=${_t%%:*} _k=${_t#*:}
	start "$T/k1" --segments "$_s"
	got() { new_at_least "$_k"; }
	if ! wait_until got; then
		finish
		echo "# --segments $_s, $_k entries: the build went past that unseen"
		rm -rf "$T/k1"
		continue
	fi
	finish
	caught=$((caught + 1))
	if ! "$LODE" index -q -i "$T/k1" "$T/one" >"$T/out" 2>"$T/err" ||
	   [ "$(docs_of "$T/k1")" != 1 ]; then
		bad="$bad $_t"
		[ -n "$first" ] || first="left: $(ls -A "$T" "$T/k1" 2>&1 | tr '\n' ' ')-> $(head -c 200 "$T/err")"
	fi
	rm -rf "$T/k1"
done
if [ -z "$bad" ] && [ "$caught" -gt 0 ]; then
	ok "kill while creating the index: a new run builds there ($caught kills)"; else
	fail "kill while creating the index: a new run builds there" \
		"failed after kills at (segments:entries)$bad; $caught caught" "$first"; fi
# What a killed creation left beside the index goes with the next creation.
set -- "$T"/.k1.new-*
[ -e "$1" ] && left=yes || left=no
expect_eq "kill while creating the index: no hidden leftovers once a new index is made" "$left" no
start "$T/k1"
wait_until test -d "$T/k1"
finish
after_kill "kill while creating the index" "$T/k1" may-be-missing

# 2. As soon as the new index opens (committed empty).
start "$T/k2"
wait_until index_opens "$T/k2"
finish
after_kill "kill right after the index opens" "$T/k2"

# 3. When the index files first change after that: a batch being written or
# committed.
start "$T/k3"
wait_until index_opens "$T/k3"
s0=$(files_state "$T/k3")
wait_until files_changed "$T/k3" "$s0"
finish
after_kill "kill while index files change" "$T/k3"

# 4. Just after the first batch is committed; the re-run names no path, as
# after a crash a user runs `lode index` to bring the index up to date.
start "$T/k4"
wait_until has_docs "$T/k4"
finish
after_kill "kill after the first commit" "$T/k4" no-path

# 5-7. At random times, with one and two worker threads (one under the
# sanitizers, to keep the time).
specs="5 -j1 5 80|6 -j2 5 80|7 -j2 50 95"
[ "$SANITIZED" = 1 ] && specs="6 -j2 5 80"
_ifs=$IFS; IFS='|'
for spec in $specs; do
	IFS=$_ifs
	set -- $spec
	ms=$(rand_ms "$1" "$3" "$4")
	start "$T/k$1" "$2"
	sleep_ms "$ms"
	finish
	# a kill this early may land before the index is created (a build of
	# this corpus takes a few hundred ms): absent or whole, as in 1.
	after_kill "kill $2 after $ms ms" "$T/k$1" may-be-missing
done
IFS=$_ifs

# 8. Killed, then the re-run killed too, then a third run (not under the
# sanitizers, to keep the time).
if [ "$SANITIZED" = 0 ]; then
ms=$(rand_ms 8 10 60)
start "$T/k8" -j2
sleep_ms "$ms"
finish
ms2=$(rand_ms 9 10 60)
start "$T/k8" -j2
sleep_ms "$ms2"
finish
after_kill "killed after $ms ms, re-run killed after $ms2 ms" "$T/k8"
fi

# 9. While a new index is compacted at the end of its first build (each
# segment into a hidden directory beside it, then exchanged with it).
compacting() { set -- "$T"/k9/.s*.new-*; [ -e "$1" ]; }
start "$T/k9" -j2 --segments 2
if wait_until compacting; then
	finish
	after_kill "kill while compacting" "$T/k9" no-path
	set -- "$T"/k9/.s*.new-*
	[ -e "$1" ] && got=left || got=gone
	expect_eq "kill while compacting: the re-run clears what it left" "$got" gone
else
	finish
	echo "# kill while compacting: the build ended before it was seen compacting"
fi

# SIGINT and SIGTERM: the build stops after committing what it did, exit 130.
# The build runs a sixth of a clean build's time after the index opens (its
# handler is installed by then: a background job of a script starts with
# SIGINT ignored), is stopped (SIGSTOP), signalled and continued, so the
# signal lands mid-run however fast the machine; if the build had ended
# before the stop, there is nothing to check.
proc_state() { cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null; }
sigs="INT TERM"
[ "$SANITIZED" = 1 ] && sigs=INT # the same handler
for sig in $sigs; do
	# (the final compaction of a new index is not what is tested here)
	start "$T/s$sig" --stats-json "$T/s.json" --no-compact
	wait_until index_opens "$T/s$sig"
	sleep_ms $((T_CLEAN / 6))
	kill -STOP "$bpid" 2>/dev/null
	# the stop is asynchronous: wait for T (stopped), Z or nothing (it ended)
	n=0
	while state=$(proc_state "$bpid") && case $state in [RSD]) true ;; *) false ;; esac &&
	      [ $n -lt 5000 ]; do n=$((n + 1)); done
	kill -"$sig" "$bpid" 2>/dev/null
	kill -CONT "$bpid" 2>/dev/null
	wait "$bpid"
	brc=$?
	if [ "$state" != T ]; then
		skip "SIG$sig: the build ended before the signal (state '$state')"
		rm -rf "$T/s$sig"
		continue
	fi
	# stopped after its last file was in (syncing, writing the summary):
	# nothing was left to interrupt
	if [ "$brc" -eq 0 ] && [ "$(json_num "$T/s.json" documents_added)" = "$NFILES" ]; then
		skip "SIG$sig: every file was in before the signal"
		rm -rf "$T/s$sig"
		continue
	fi
	cp "$T/bg.err" "$T/err"
	rc=$brc
	expect_rc "SIG$sig: exit 130" 130
	expect_err "SIG$sig: summary says interrupted" "interrupted"
	d=$(docs_of "$T/s$sig")
	added=$(json_num "$T/s.json" documents_added)
	expect_eq "SIG$sig: every document it reported is committed" "$d" "$added"
	if [ "${added:-0}" -lt "$NFILES" ]; then ok "SIG$sig: stopped before the end"; else
		fail "SIG$sig: stopped before the end" "$added documents added"; fi
	run "$LODE" check -i "$T/s$sig"
	expect_rc "SIG$sig: lode check passes" 0
	brc=-
	after_kill "SIG$sig" "$T/s$sig"
done

# Disk full: the index on a tmpfs the size of the compacted clean index, too
# small for the uncompacted build. The run must end with a clear error,
# leave the index at its last commit, and finish once there is room.
# (libxapian 1.4.22 can die in std::terminate when a commit runs out of room
# part-way; lode commits only with room for the commit, so this is never
# left to chance.) Mounting needs root (CI has it); elsewhere this part is
# skipped.
SMALL="$T/small"
mkdir -p "$SMALL"
kb=$(du -sk "$T/clean" | cut -f1)
if [ "$(id -u)" -ne 0 ] || ! mount -t tmpfs -o size=${kb}k tmpfs "$SMALL" 2>/dev/null; then
	skip "disk full (cannot mount a tmpfs here; needs root)"
else
	trap 'umount "$SMALL" 2>/dev/null; chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
	run "$LODE" index -i "$SMALL/idx" "$CORPUS"
	not_crashed "disk full: no crash"
	expect_rc "disk full: exit 2" 2
	expect_err "disk full: the error says why" "No space left on device"
	if [ "$(grep -c 'error' "$T/err")" -eq 1 ]; then ok "disk full: one error line"; else
		fail "disk full: one error line" "$(grep error "$T/err" | head -3)"; fi
	d=$(docs_of "$SMALL/idx")
	if [ "$d" != none ] && [ "$d" -lt "$NFILES" ]; then
		ok "disk full: index opens at its last commit ($d documents)"
	else
		fail "disk full: index opens at its last commit" "documents: $d"
	fi
	said=$(sed -n 's/.* indexed (\([0-9]*\) documents).*/\1/p' "$T/err")
	expect_eq "disk full: the summary counts only the documents committed" "$said" "$d"
	run "$LODE" check -i "$SMALL/idx"
	expect_rc "disk full: lode check passes" 0
	run "$LODE" search -i "$SMALL/idx" -c corpusall
	expect_eq "disk full: searches answer with what was committed" "$(cat "$T/out")" "$d"
	if mount -o remount,size=$((kb * 4))k "$SMALL" 2>/dev/null; then
		brc=-
		after_kill "disk full, then room" "$SMALL/idx"
	else
		skip "disk full: cannot grow the tmpfs"
	fi
	# A write error of another kind: the file system turned read-only. The
	# index cannot be written, and lode must say so (not "busy"); reading
	# and checking it still work.
	"$LODE" index -q -i "$SMALL/ro" "$T/one" >/dev/null 2>&1
	if mount -o remount,ro "$SMALL" 2>/dev/null; then
		run "$LODE" index -i "$SMALL/ro" "$CORPUS/d00"
		not_crashed "read-only file system: no crash"
		expect_rc "read-only file system: index error, exit 2" 2
		expect_err "read-only file system: the error says why" "[Rr]ead-only file system"
		run "$LODE" search -i "$SMALL/ro" -c lighthouses
		expect_eq "read-only file system: search works" "$(cat "$T/out")" 1
		run "$LODE" check -i "$SMALL/ro"
		expect_rc "read-only file system: lode check passes" 0
	else
		skip "read-only file system (cannot remount the tmpfs)"
	fi
	umount "$SMALL"

	# Room for the build but not for its compacted copy: the build
	# completes uncompacted, says so, and the next run with room compacts.
	# (Xapian's writer, LODE_BULK=0: lode's own writes a new index compact
	# from the start.)
	env LODE_BULK=0 "$LODE" index -q --no-compact -i "$T/loose" "$CORPUS" >/dev/null 2>&1
	lkb=$(du -sk "$T/loose" | cut -f1)
	mount -t tmpfs -o size=$((lkb + lkb / 2))k tmpfs "$SMALL"
	run env LODE_BULK=0 "$LODE" index --stats-json "$T/stats.json" -i "$SMALL/idx" "$CORPUS"
	expect_rc "no room to compact: exit 0" 0
	expect_err "no room to compact: says it was not compacted, and why" \
		"not compacted: No space left on device"
	if grep -q '"warnings": 1,' "$T/stats.json"; then
		ok "no room to compact: counted as a warning"
	else
		fail "no room to compact: counted as a warning" "$(cat "$T/stats.json")"
	fi
	expect_eq "no room to compact: every file a document" "$(docs_of "$SMALL/idx")" "$NFILES"
	before=$(du -sk "$SMALL/idx" | cut -f1)
	mount -o remount,size=$((lkb * 3))k "$SMALL"
	run "$LODE" index -i "$SMALL/idx"
	expect_rc "no room to compact, then room: exit 0" 0
	after=$(du -sk "$SMALL/idx" | cut -f1)
	if [ "$after" -lt $((before * 3 / 4)) ]; then
		ok "no room to compact, then room: the next run compacts ($before -> $after KiB)"
	else
		fail "no room to compact, then room: the next run compacts" "$before -> $after KiB"
	fi
	run "$LODE" index -i "$SMALL/idx"
	n=$(grep -c "not compacted" "$T/err")
	expect_eq "no room to compact, then room: done once" "$n" 0
	run "$LODE" search -i "$SMALL/idx" -c corpusall
	expect_eq "no room to compact, then room: searches find every document" "$(cat "$T/out")" "$NFILES"
	umount "$SMALL"
fi
