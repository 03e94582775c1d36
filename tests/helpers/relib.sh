# relib.sh - helpers for the reliability tests (tests/cli/test-crash.sh,
# test-concurrent.sh, test-hostile.sh, test-query-robust.sh). Sourced after
# tests/cli/lib.sh, whose $LODE, $T, run and expect_* it uses. POSIX sh.

HELPERS="$TOP/tests/helpers"

# Sizes shrink under the sanitizers (LODE_BUILD=build-san), where lode runs
# 3-5 times slower, so that the suite keeps within its time.
case "${LODE_BUILD:-build}" in
*san*) SANITIZED=1 ;;
*) SANITIZED=0 ;;
esac
# scaled NORMAL SANITIZED: the size that fits this build.
scaled() { if [ "$SANITIZED" = 1 ]; then echo "$2"; else echo "$1"; fi; }

# Milliseconds since the epoch.
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# sleep_ms N: sleep N milliseconds.
sleep_ms() { sleep "$(awk -v m="$1" 'BEGIN { printf "%.3f", m / 1000 }')"; }

# alive PID: is the process still running (and not yet reaped)?
alive() { kill -0 "$1" 2>/dev/null; }

# docs_of IDX: the index's document count, or "none" when it does not open.
docs_of() {
	_s=$("$LODE" stats -i "$1" --json 2>/dev/null) || { echo none; return; }
	printf '%s\n' "$_s" | sed -n 's/.*"documents": \([0-9]*\).*/\1/p'
}

# json_num FILE NAME: the number after "NAME": in a one-line JSON object.
json_num() { sed -n "s/.*\"$2\": \([0-9]*\).*/\1/p" "$1" 2>/dev/null; }

# files_state DIR: one line per file under DIR with its size and mtime, so
# that a change to any index file (whatever the layout) shows.
files_state() { find "$1" -type f -printf '%P %s %T@\n' 2>/dev/null | sort; }

# The system's python3 first: a version manager's shim on PATH can take
# seconds to start.
if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; else PY=python3; fi

# json_lines_ok FILE: every line of FILE is a JSON object (exit 0), else
# prints the first bad line number.
json_lines_ok() {
	"$PY" - "$1" <<'PY'
import json, sys
def no_constant(name):  # NaN and Infinity are not JSON, though Python reads them
    raise ValueError("not JSON: " + name)
with open(sys.argv[1], "rb") as f:
    for n, line in enumerate(f, 1):
        try:
            if not isinstance(json.loads(line, parse_constant=no_constant), dict):
                raise ValueError("not an object")
        except ValueError as e:
            print("line %d: %s: %r" % (n, e, line[:120]))
            sys.exit(1)
PY
}

# status_name RC: "killed by SIGSEGV" etc. for a shell exit status over 128.
status_name() {
	if [ "$1" -gt 128 ]; then
		echo "exit $1 (signal $(kill -l $(($1 - 128)) 2>/dev/null || echo $(($1 - 128))))"
	else
		echo "exit $1"
	fi
}

# not_crashed NAME: fails when $rc says a signal ended the program (a crash,
# an abort), the timeout hit (124), or a sanitizer reported on $T/err (they
# exit 1, which alone looks like an ordinary failure); "ok" otherwise.
not_crashed() {
	if grep -Eq 'Sanitizer|runtime error:' "$T/err"; then
		fail "$1" "sanitizer report" "$(grep -E -m3 'Sanitizer|runtime error:|#[0-9] ' "$T/err")"
	elif [ "$rc" -eq 124 ]; then
		fail "$1" "timed out" "stderr: $(head -c 300 "$T/err")"
	elif [ "$rc" -gt 3 ] && [ "$rc" -ne 130 ]; then
		fail "$1" "$(status_name "$rc")" "stderr: $(head -c 600 "$T/err")"
	else
		ok "$1"
	fi
}

# answers IDX FILE [N]: the --json answers (the first N, default 50) to each
# query of $QUERIES ('|'-separated), with their exit statuses, as a user sees
# them: two indexes answer alike when these files are equal.
answers() {
	: >"$2"
	_ifs=$IFS; IFS='|'
	for _q in $QUERIES; do
		IFS=$_ifs
		echo "## $_q" >>"$2"
		"$LODE" search -i "$1" --json -n "${3:-50}" "$_q" >>"$2" 2>&1
		echo "## exit $?" >>"$2"
	done
	IFS=$_ifs
}
