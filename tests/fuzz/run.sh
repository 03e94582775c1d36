#!/bin/sh
# run.sh [SECONDS] - build the libFuzzer targets (tests/fuzz/fuzz_*.c) with
# clang into build/fuzz/ and run each for SECONDS (default $FUZZ_SECONDS, else
# 60) on its corpus build/fuzz/corpus/<target>, which starts as a copy of
# tests/fuzz/seeds/<target> and keeps what earlier runs found (FUZZ_FRESH=1
# starts over). The repository is never written to.
#
# Before fuzzing, the saved crashes in tests/fuzz/regressions/<target>/ are
# replayed: a bug that came back fails at once. tests/fuzz/<target>.dict, when
# there, is the target's libFuzzer dictionary (tokens of its format).
#
# Prints one line per target:
#   fuzz <target>: N execs, cov C, ft F, ok
#   fuzz <target>: FAILED (what) crash file: PATH, log: PATH
# and exits non-zero when any target crashed, leaked, timed out or did not
# build. FUZZ_TARGETS="query tokenize" runs only those; FUZZ_JOBS=2 runs two
# targets at a time; FUZZ_FLAGS adds libFuzzer options.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
B=build/fuzz
# stack traces for UBSan reports too; leaks are checked (libFuzzer's default)
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

# --one TARGET SECONDS: fuzz one target and print its line (used through xargs)
if [ "${1:-}" = "--one" ]; then
	t=$2 secs=$3
	bin=$B/fuzz_$t
	corpus=$B/corpus/$t
	crashes=$B/crashes/$t
	log=$B/logs/$t.log
	status=$B/logs/$t.status
	mkdir -p "$corpus" "$crashes" "$B/logs"
	rm -f "$status"
	[ "${FUZZ_FRESH:-0}" = 1 ] && rm -rf "$corpus" && mkdir -p "$corpus"
	[ -d "tests/fuzz/seeds/$t" ] && cp -p "tests/fuzz/seeds/$t"/* "$corpus"/ 2>/dev/null
	opts="-max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1"
	dict=""
	[ -f "tests/fuzz/$t.dict" ] && dict="-dict=tests/fuzz/$t.dict"
	# fail WHAT [CRASH_FILE]: print the failure line and stop
	fail() {
		crash=${2:-$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)}
		summary=$(grep -m1 -E '^SUMMARY:|fuzz check failed' "$log" | cut -c1-160)
		echo "fuzz $t: FAILED ($1${summary:+: $summary}) crash file: ${crash:-none}, log: $log"
		echo fail >"$status"
		exit 1
	}
	# a target that failed to build must not run an older binary, nor one
	# whose sources were edited since the build at the start of this run
	if [ ! -x "$bin" ]; then
		: >"$log"
		fail "not built, see $B/build.log" none
	elif ! make -s -q -f tests/fuzz/fuzz.mk "$bin" 2>/dev/null; then
		: >"$log"
		fail "out of date: its sources changed during this run; run again" none
	fi
	# replay the saved reproducers first (libFuzzer runs files given as arguments)
	regs=$(find "tests/fuzz/regressions/$t" -type f 2>/dev/null | sort)
	if [ -n "$regs" ]; then
		# shellcheck disable=SC2086 # word splitting wanted: one argument per file
		if ! "$bin" $opts -artifact_prefix="$crashes/" $regs >"$log" 2>&1; then
			fail "regression" "$(sed -n 's/^Running: //p' "$log" | tail -n 1)"
		fi
	fi
	# shellcheck disable=SC2086
	"$bin" $opts $dict ${FUZZ_FLAGS:-} -max_total_time="$secs" -artifact_prefix="$crashes/" \
		"$corpus" >"$log" 2>&1
	rc=$?
	if [ $rc -ne 0 ]; then
		if grep -q 'ERROR: libFuzzer: timeout' "$log"; then fail "timeout"
		elif grep -q 'ERROR: LeakSanitizer' "$log"; then fail "leak"
		elif grep -qE 'out-of-memory|malloc\(.*\) exceeds' "$log"; then fail "out of memory"
		else fail "crash, exit $rc"
		fi
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -n 1)
	cov=$(printf '%s\n' "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	ft=$(printf '%s\n' "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
	echo "fuzz $t: ${execs:-?} execs, cov ${cov:-?}, ft ${ft:-?}, ok"
	echo ok >"$status"
	exit 0
fi

secs=${1:-${FUZZ_SECONDS:-60}}
case "$secs" in '' | *[!0-9]*) echo "usage: tests/fuzz/run.sh [SECONDS]" >&2; exit 2 ;; esac
if ! command -v clang >/dev/null 2>&1; then
	echo "fuzz: clang is not installed (scripts/install-deps --fuzz)" >&2
	exit 2
fi
targets=${FUZZ_TARGETS:-$(ls tests/fuzz/fuzz_*.c | sed 's|.*/fuzz_\(.*\)\.c|\1|')}
mkdir -p "$B"
# -k: a target that does not build fails alone, the others still run
# shellcheck disable=SC2046
if ! make -s -k -f tests/fuzz/fuzz.mk -j"${FUZZ_MAKE_JOBS:-2}" \
	$(printf "$B/fuzz_%s " $targets) >"$B/build.log" 2>&1; then
	grep -E 'error|Error' "$B/build.log" | head -n 20 >&2
	echo "fuzz: the build failed for some targets (log: $B/build.log)"
fi
for t in $targets; do rm -f "$B/logs/$t.status"; done
printf '%s\n' $targets | xargs -P "${FUZZ_JOBS:-1}" -I{} sh "$top/tests/fuzz/run.sh" --one {} "$secs"
failed=0
for t in $targets; do
	[ "$(cat "$B/logs/$t.status" 2>/dev/null)" = ok ] || failed=$((failed + 1))
done
[ $failed -eq 0 ] || echo "fuzz: $failed target(s) FAILED"
[ $failed -eq 0 ]
