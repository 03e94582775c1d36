#!/bin/sh
# test-fuzz.sh - a few seconds of every libFuzzer target (tests/fuzz/run.sh):
# the saved crash reproducers are replayed, then each target fuzzes its corpus
# for FUZZ_SECONDS (default 4), two at a time. The build into build/fuzz/ is
# reused when up to date. Skipped when clang is not installed
# (scripts/install-deps installs it). `make fuzz` runs longer.
. "$(dirname "$0")/lib.sh"

if ! command -v clang >/dev/null 2>&1 || ! command -v clang++ >/dev/null 2>&1; then
	skip "fuzzing: clang not installed"
	exit 0
fi
FUZZ_SECONDS=${FUZZ_SECONDS:-4} FUZZ_JOBS=${FUZZ_JOBS:-2} \
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL sh "$TOP/tests/fuzz/run.sh" >"$T/out" 2>"$T/err"
rc=$?
targets=$(ls "$TOP"/tests/fuzz/fuzz_*.c | sed 's|.*/fuzz_\(.*\)\.c|\1|')
for t in $targets; do
	line=$(grep "^fuzz $t: " "$T/out")
	case "$line" in
	*", ok") ok "fuzz $t" ;;
	"") fail "fuzz $t" "no result line" "stderr: $(tail -n 5 "$T/err")" ;;
	*) fail "fuzz $t" "$line" ;;
	esac
done
[ $rc -eq 0 ] || grep -q '^fuzz .*FAILED' "$T/out" || fail "fuzz run" "run.sh exited $rc" "$(tail -n 5 "$T/err")"
