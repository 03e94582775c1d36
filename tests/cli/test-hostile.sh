#!/bin/sh
# Hostile input: a corpus made here (tests/helpers/genhostile.py) of broken
# encodings, binary and empty files, gzip bombs and broken gzip, pathological
# markup, broken JSON lines and MIME, a 100 MB line, a 10,000-deep directory,
# symbolic link loops, strange file names, unreadable files, files that
# change during the run. For each: the good documents around it are found,
# each bad file gets exactly one line on stderr naming it and the reason,
# the summary counts it, and the exit status is 0 (skips) or 1 (failures).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/helpers/relib.sh"

H="$T/h"
IDX="$T/idx"
BIG_MB=$(scaled 100 10)
"$PY" "$HELPERS/genhostile.py" "$H" --big-mb "$BIG_MB" || { fail "generate the hostile corpus"; exit 1; }

# found NAME WORD [N]: a search for WORD finds N documents (default 1).
found() {
	_c=$("$LODE" search -i "$IDX" -c "$2" 2>&1)
	expect_eq "$1" "$_c" "${3:-1}"
}
# lines_naming NAME FILE N: exactly N lines of stderr name FILE (a base name).
lines_naming() {
	_c=$(grep -c -F "/$2" "$T/err")
	expect_eq "$1" "$_c" "$3"
}
# only_lode_lines NAME: every stderr line is a whole "lode: " message (a
# raw newline in a name would split one).
only_lode_lines() {
	_bad=$(grep -v '^lode: ' "$T/err" | head -3)
	expect_eq "$1" "$_bad" ""
}

# ---------------------------------------------------------------- skips
run timeout 120 "$LODE" index -i "$IDX" "$H/skips"
not_crashed "skips: no crash"
expect_rc "skips: exit 0 (nothing failed)" 0
only_lode_lines "skips: one message per line"
expect_err "skips: summary counts them" \
	"30 indexed \(37 documents\), 0 unchanged, 0 removed, 4 skipped, 0 failed"
for i in 0 1 2 3 4 5 6 7 8 9; do found "skips: good file good$i found" "good$i"; done

for c in badlead lonecont truncmid trunceof trunc4 overlong surrogate beyond; do
	found "invalid UTF-8 ($c): indexed, its words found" "hostile$c"
	lines_naming "invalid UTF-8 ($c): no message" "utf8-$c.txt" 0
done
for c in le be nobom; do found "UTF-16 $c: decoded and found" "hostileutf16$c"; done
found "UTF-16 with BOM: the words after the umlauts found" "bruecke OR brucke OR brücke" 3

lines_naming "empty files: one line each" "empty.txt" 1
expect_err "empty.txt: skipped: empty" "/empty\.txt: skipped: empty$"
expect_err "empty.md: skipped: empty" "/empty\.md: skipped: empty$"
lines_naming "NUL bytes: one line" "nul.txt" 1
expect_err "NUL bytes: skipped: binary" "/nul\.txt: skipped: binary$"
found "NUL bytes: not indexed" hostilenul 0
lines_naming "gzip bomb: one line" "bomb.txt.gz" 1
expect_err "gzip bomb: skipped: too large" "/bomb\.txt\.gz: skipped: too large"
found "gzip in gzip: unpacked and found" hostilenested2

found "HTML, 100k unclosed tags: indexed (title)" hostileunclosed
lines_naming "HTML, 100k unclosed tags: one line" "unclosed.html" 1
expect_err "HTML, 100k unclosed tags: warning with a line number" \
	"/unclosed\.html:[0-9]+: html: elements nested too deeply"
for c in quote:nested-quote list:nested-list emph:nested-emph brackets:brackets; do
	file=${c#*:}.md c=${c%%:*}
	found "deep Markdown ($c): title found" "hostile$c"
	found "deep Markdown ($c): body found" "hostile${c}body"
	lines_naming "deep Markdown ($c): no message" "$file" 0
done

for w in one three six; do found "JSON lines: good line ($w) indexed" "hostilejson$w"; done
lines_naming "JSON lines: one line per bad line" "mixed.jsonl" 3
for l in 2 4 5; do expect_err "JSON lines: bad line $l reported as file:LINE" "/mixed\.jsonl:$l: "; done

for w in one two three four five; do found "mbox, broken MIME: message $w indexed" "hostilemime$w"; done
if grep -F "/broken.mbox" "$T/err" | grep -Evq '/broken\.mbox:[0-9]+: email: '; then
	fail "mbox, broken MIME: every warning is 'file:LINE: email: ...'" "$(grep -F /broken.mbox "$T/err")"
else
	ok "mbox, broken MIME: every warning is 'file:LINE: email: ...'"
fi
found "mbox, a raw binary attachment: its text part indexed" hostilebinpartone
found "mbox, a raw binary attachment: the next message indexed" hostilebinparttwo

# ---------------------------------------------------------------- failures
run timeout 60 "$LODE" index -i "$IDX" "$H/fails"
not_crashed "failures: no crash"
expect_rc "failures: exit 1" 1
only_lode_lines "failures: one message per line"
expect_err "failures: summary counts them" "3 indexed \(3 documents\), 0 unchanged, 0 removed, 0 skipped, 3 failed"
for i in 10 11 12; do found "failures: good file good$i found" "good$i"; done
lines_naming "truncated gzip: one line" "truncated.txt.gz" 1
expect_err "truncated gzip: failed with the reason" "/truncated\.txt\.gz: failed: truncated gzip stream$"
lines_naming "corrupt gzip: one line" "corrupt.txt.gz" 1
expect_err "corrupt gzip: failed with the reason" "/corrupt\.txt\.gz: failed: corrupt gzip stream$"
lines_naming "gzip 5 deep: one line" "nested5.txt.gz" 1
expect_err "gzip 5 deep: failed with the reason" "/nested5\.txt\.gz: failed: gzip nested too deeply$"

# ---------------------------------------------------------------- one long line
half=$((BIG_MB / 2))
run timeout 120 "$LODE" index -i "$IDX" --max-size "${half}M" "$H/big"
not_crashed "$BIG_MB MB line, --max-size ${half}M: no crash"
expect_rc "$BIG_MB MB line, --max-size ${half}M: exit 0" 0
expect_err "$BIG_MB MB line, --max-size ${half}M: skipped: too large" "/oneline\.txt: skipped: too large"
lines_naming "$BIG_MB MB line, --max-size ${half}M: one line" "oneline.txt" 1
run timeout 120 "$LODE" index -i "$IDX" --max-size "$((BIG_MB * 2))M" "$H/big"
not_crashed "$BIG_MB MB line, --max-size $((BIG_MB * 2))M: no crash"
expect_rc "$BIG_MB MB line, --max-size $((BIG_MB * 2))M: exit 0" 0
found "$BIG_MB MB line: its first word found" hostilebigline
found "$BIG_MB MB line: its last word found" hostilebigend
rm -rf "$H/big"

# ---------------------------------------------------------------- deep directories
run timeout 60 "$LODE" index -i "$IDX" "$H/deep"
not_crashed "10,000-deep directories: no crash"
expect_rc "10,000-deep directories: exit 0" 0
only_lode_lines "10,000-deep directories: one message per line"
found "10,000-deep directories: the file at the top found" hostiledeeptop
found "10,000-deep directories: a file 4 deep found" hostiledeepshallow
expect_err "10,000-deep directories: the deep part reported" "$H/deep/d/d/d/.*: skipped: directories nested too deeply$"
lines_naming "10,000-deep directories: one line for it" "deep/d/d/d" 1

# ---------------------------------------------------------------- file names
run timeout 60 "$LODE" index -i "$IDX" "$H/names"
expect_rc "strange names: exit 0" 0
only_lode_lines "strange names: one message per line"
expect_err "name with a newline: shown escaped" "/empty\\\\nnewline\.txt: skipped: empty$"
expect_err "name with invalid UTF-8: shown escaped" "/empty\\\\xfe\.txt: skipped: empty$"
found "name with a newline: indexed" hostilenewline
found "name with invalid UTF-8: indexed" hostilebadname
found "name with a tab and ESC: indexed" hostileescape
run "$LODE" search -i "$IDX" --json "hostilenewline OR hostilebadname OR hostileescape"
expect_eq "strange names: --json answers are JSON" "$(json_lines_ok "$T/out")" ""
expect_out "strange names: newline escaped in JSON" '"path": "[^"]*/new\\nline\.txt"'
expect_out "strange names: ESC escaped in JSON" '"path": "[^"]*/tab\\tand\\u001bescape\.txt"'

# ---------------------------------------------------------------- links and special files
L="$T/links"
mkdir -p "$L/a/b"
echo "hostilelinkok text" >"$L/a/b/f.txt"
ln -s ../.. "$L/a/b/up"
ln -s loop2 "$L/loop1"
ln -s loop1 "$L/loop2"
ln -s self "$L/self"
ln -s /nonexistent/file "$L/dangling"
ln -s /dev/zero "$L/zero.txt"
mkfifo "$L/pipe.txt"
run timeout 60 "$LODE" index -i "$IDX" "$L"
not_crashed "links: no crash, no hang"
expect_rc "links: exit 0" 0
found "links: the file reached through a loop indexed once" hostilelinkok
expect_err "link to itself: skipped: symbolic link loop" "/self: skipped: symbolic link loop$"
expect_err "two links to each other: skipped" "/loop1: skipped: symbolic link loop$"
expect_err "link to an ancestor: skipped once" "/a/b/up: skipped: directory already walked"
expect_err "dangling link: skipped" "/dangling: skipped: broken symbolic link$"
expect_err "named pipe: skipped, not opened" "/pipe\.txt: skipped: not a regular file$"
expect_err "link to /dev/zero: skipped, not read" "zero.*: skipped: not a regular file$"
expect_err "links: summary" "1 indexed \(1 documents\), 0 unchanged, 0 removed, 7 skipped, 0 failed"

# ---------------------------------------------------------------- unreadable
# Root reads everything, so the run is made as nobody when we are root
# (setpriv); skipped when that cannot run lode.
U="$T/unread"
mkdir -p "$U/c/closed" "$U/c/noexec" "$U/idx"
echo "hostileunreadable" >"$U/c/secret.txt"
echo "hostileinside" >"$U/c/closed/in.txt"
echo "hostilenoexec" >"$U/c/noexec/x.txt"
echo "hostileopen" >"$U/c/open.txt"
chmod 000 "$U/c/secret.txt" "$U/c/closed"
chmod 644 "$U/c/noexec"
as=""
if [ "$(id -u)" -eq 0 ]; then
	chmod 755 "$T" "$U"
	chown 65534 "$U/idx"
	as="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
if [ -n "$as" ] && ! $as "$LODE" version >/dev/null 2>&1; then
	skip "unreadable files (root, and lode cannot run as nobody here)"
else
	run timeout 60 $as "$LODE" index -i "$U/idx/i" "$U/c"
	not_crashed "unreadable: no crash"
	expect_rc "unreadable: exit 1" 1
	expect_err "unreadable file: failed: Permission denied" "/secret\.txt: failed: Permission denied$"
	expect_err "unreadable directory: failed: Permission denied" "/closed: failed: Permission denied$"
	expect_err "directory without x: its file failed" "/noexec/x\.txt: failed: Permission denied$"
	expect_err "unreadable: summary" "1 indexed \(1 documents\), 0 unchanged, 0 removed, 0 skipped, 3 failed"
	run $as "$LODE" search -i "$U/idx/i" -c hostileopen
	expect_eq "unreadable: the readable file found" "$(cat "$T/out")" 1
fi

# ---------------------------------------------------------------- changing files
# Best effort, as the timing is not ours: after the walk, one file vanishes,
# one grows, one becomes a named pipe. The run must end (no hang on the
# pipe), say what became of each in at most one line, and leave a sound index.
C="$T/changing"
sh "$HELPERS/gencorpus.sh" "$C" "$(scaled 1500 600)" 5
for f in vanish grow swap; do echo "hostile$f first words" >"$C/zz-$f.txt"; done
rm -rf "$T/cidx"
timeout 20 "$LODE" index -j1 -i "$T/cidx" "$C" >"$T/out" 2>"$T/err" &
bpid=$!
while alive "$bpid" && [ "$(docs_of "$T/cidx")" = none ]; do :; done
sleep_ms 100
rm -f "$C/zz-vanish.txt"
rm -f "$C/zz-swap.txt" && mkfifo "$C/zz-swap.txt"
i=0
while [ $i -lt 300 ]; do echo "hostilegrow more words $i"; i=$((i + 1)); done >>"$C/zz-grow.txt"
wait "$bpid"
rc=$?
not_crashed "changing files: no crash, no hang"
if [ "$rc" -le 1 ]; then ok "changing files: exit 0 or 1"; else fail "changing files: exit 0 or 1" "$(status_name $rc)"; fi
for f in vanish grow swap; do
	n=$(grep -c -F "/zz-$f.txt" "$T/err")
	if [ "$n" -le 1 ]; then ok "changing files: at most one line for $f"; else
		fail "changing files: at most one line for $f" "$(grep -F "zz-$f" "$T/err")"; fi
done
run "$LODE" check -i "$T/cidx"
expect_rc "changing files: lode check passes" 0
