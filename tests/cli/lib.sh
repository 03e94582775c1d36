# lib.sh - sourced by the command-line tests (tests/cli/test-*.sh).
# Each check prints "ok - NAME" or "not ok - NAME" (and what differed);
# run-tests.sh counts them. $LODE is the program under test; $T a scratch dir.
LODE=${LODE_BIN:-./lode}
TOP=${LODE_TOP:-$(pwd)}
T=$(mktemp -d "${TMPDIR:-/tmp}/lode-cli.XXXXXX")
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
export LODE_INDEX="$T/default-index"
export NO_COLOR=
unset NO_COLOR
export LC_ALL=C.UTF-8

ok()   { echo "ok - $1"; }
fail() { echo "not ok - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
skip() { echo "skip - $1"; }

# run CMD...: runs it, keeps stdout in $T/out, stderr in $T/err, status in $rc.
run() { "$@" >"$T/out" 2>"$T/err"; rc=$?; }

# expect_rc NAME WANT
expect_rc() {
  if [ "$rc" -eq "$2" ]; then ok "$1"; else fail "$1" "exit $rc, want $2" "stderr: $(head -c 400 "$T/err")"; fi
}
# expect_out NAME PATTERN (grep -E on stdout)
expect_out() {
  if grep -Eq -- "$2" "$T/out"; then ok "$1"; else fail "$1" "stdout lacks /$2/" "stdout: $(head -c 400 "$T/out")"; fi
}
expect_no_out() {
  if grep -Eq -- "$2" "$T/out"; then fail "$1" "stdout has /$2/" "stdout: $(head -c 400 "$T/out")"; else ok "$1"; fi
}
expect_err() {
  if grep -Eq -- "$2" "$T/err"; then ok "$1"; else fail "$1" "stderr lacks /$2/" "stderr: $(head -c 400 "$T/err")"; fi
}
# expect_eq NAME GOT WANT
expect_eq() {
  if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "got:  $2" "want: $3"; fi
}
