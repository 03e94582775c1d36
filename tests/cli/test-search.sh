#!/bin/sh
# lode search: query language, output modes, exit codes, fallbacks.
. "$(dirname "$0")/lib.sh"

IDX="$T/idx"
"$LODE" index -q -i "$IDX" --exclude README.md "$TOP/samples" >/dev/null 2>&1 || { fail "index samples" "lode index failed"; exit 1; }

run "$LODE" search -i "$IDX" mercenary
expect_rc "a match: exit 0" 0
expect_out "stemmed word matches" "mali-mercenaries.md"
expect_no_out "plain text in a pipe: no escape codes" "$(printf '\033')"

run "$LODE" search -i "$IDX" --json mercenary
expect_out "json: one object per hit with rank and score" '^\{"rank": 1, "score": [0-9.]+, "path": '
expect_out "json: highlight offsets present" '"highlights": \[\[[0-9]+, [0-9]+\]'
# The highlighted bytes are the original word forms.
hl=$(python3 -c '
import json,sys
for line in open(sys.argv[1]):
    h=json.loads(line)
    for s in h["snippets"]:
        b=s["text"].encode()
        for a,e in s["highlights"]:
            print(b[a:e].decode())
' "$T/out" | sort -u | tr '\n' ' ')
expect_eq "json: highlights are the original word forms" "$hl" "Mercenaries mercenaries "

run "$LODE" search -i "$IDX" xylophone
expect_rc "no match: exit 1" 1
expect_eq "no match: nothing on stdout" "$(cat "$T/out")" ""

run "$LODE" search -i "$IDX" -c harbour
expect_rc "-c: exit 0" 0
expect_eq "-c: bare count" "$(cat "$T/out")" "2"
run "$LODE" search -i "$IDX" -c xylophone
expect_rc "-c none: exit 1" 1
expect_eq "-c none: 0" "$(cat "$T/out")" "0"

run "$LODE" search -i "$IDX" -l cranes
expect_rc "-l: exit 0" 0
expect_eq "-l: the matching files, each once (two mails of tips.mbox match)" "$(sed 's|.*/samples/||' "$T/out" | sort | tr '\n' ' ')" "mail/tips.mbox news/harbour-strike.txt "
cp "$T/out" "$T/paths"
run "$LODE" search -i "$IDX" --json cranes
ranked=$(python3 -c '
import json, sys
seen = []
for line in open(sys.argv[1]):
    p = json.loads(line)["path"]
    if p not in seen:
        seen.append(p)
print("\n".join(seen))' "$T/out")
expect_eq "-l: in the order of the ranking" "$(cat "$T/paths")" "$ranked"

# -0: each path ended by a NUL, so that a path with a newline in it stays one.
mkdir -p "$T/nl"
printf 'Odd name\n\nA file about quokkas.\n' >"$T/nl/two
lines.txt"
printf 'Plain\n\nQuokkas again, quokkas.\n' >"$T/nl/plain.txt"
"$LODE" index -q -i "$T/nlidx" "$T/nl" 2>/dev/null
run "$LODE" search -i "$T/nlidx" -0 quokkas
expect_rc "-0: exit 0" 0
got=$(python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); print(repr(sorted(p.decode().rsplit("/", 1)[1] for p in d.split(b"\0")[:-1])), d.endswith(b"\0"))' "$T/out")
expect_eq "-0: each path once, NUL-ended, a newline in a name kept" "$got" "['plain.txt', 'two\\nlines.txt'] True"
run "$LODE" search -i "$T/nlidx" -l -0 quokkas
expect_eq "-l -0: the same" "$(od -c "$T/out" | md5sum)" "$("$LODE" search -i "$T/nlidx" -0 quokkas | od -c | md5sum)"

run "$LODE" search -i "$IDX" -c '"solar power"'
expect_eq "phrase: only the article with the phrase" "$(cat "$T/out")" "1"
run "$LODE" search -i "$IDX" -c '"power solar"'
expect_eq "phrase: word order matters" "$(cat "$T/out")" "0"
run "$LODE" search -i "$IDX" -c 'cranes NEAR/3 automated'
expect_eq "NEAR/3 within the window" "$(cat "$T/out")" "2"
run "$LODE" search -i "$IDX" -c 'harbour NEAR/2 fruit'
expect_eq "NEAR/2 outside the window" "$(cat "$T/out")" "0"
run "$LODE" search -i "$IDX" -c 'harbour -cranes'
expect_eq "-mustnot excludes" "$(cat "$T/out")" "0"
run "$LODE" search -i "$IDX" -c 'harbour OR glacier'
expect_eq "OR" "$(cat "$T/out")" "4"
run "$LODE" search -i "$IDX" -c 'title:glacier'
expect_eq "title: field" "$(cat "$T/out")" "1"
run "$LODE" search -i "$IDX" -c 'author:haddad'
expect_eq "author: field" "$(cat "$T/out")" "1"
run "$LODE" search -i "$IDX" -c 'date:2023 library'
expect_eq "date: year filter" "$(cat "$T/out")" "1"
run "$LODE" search -i "$IDX" -c 'date:2023-01-01..2023-01-31'
expect_eq "date: range only" "$(cat "$T/out")" "3"
run "$LODE" search -i "$IDX" -c 'format:markdown'
expect_eq "format: field" "$(cat "$T/out")" "5"
run "$LODE" search -i "$IDX" -c 'trai*'
expect_eq "prefix*: trains, train, training" "$(cat "$T/out")" "3"
run "$LODE" search -i "$IDX" -c 'CAFÉ'
expect_eq "case and accents ignored" "$(cat "$T/out")" "1"
run "$LODE" search -i "$IDX" -c 'wartorn'
expect_eq "hyphenated word joined" "$(cat "$T/out")" "1"
run "$LODE" search -i "$IDX" -c 'war torn'
expect_eq "hyphenated word as two words" "$(cat "$T/out")" "1"

run "$LODE" search -i "$IDX" '"harbour cranes'
expect_rc "pasted text never errors: exit 0" 0
expect_err "pasted text: literal search said on stderr" "searched its words literally"
run "$LODE" search -i "$IDX" 'AND OR ((('
expect_rc "only operators: exit 1 or 2, never a crash" 1

# A word longer than 64 bytes (a pasted hash or base64 line) is no term of any
# index: it is left out of the query, with a note, and no phrase spans it.
H=$(awk 'BEGIN { for (i = 0; i < 20; i++) printf "9f86d081" }')
mkdir -p "$T/long"
printf 'Checksums\n\nThe digest is sha %s follows below.\n' "$H" >"$T/long/with.txt"
printf 'Elsewhere\n\nThe digest is sha follows below.\n' >"$T/long/without.txt"
"$LODE" index -q -i "$T/long-idx" "$T/long" >/dev/null 2>&1
run "$LODE" search -i "$T/long-idx" "$H"
expect_rc "a 160-byte word alone: no match, exit 1 (no error)" 1
expect_err "a 160-byte word alone: the note says it was left out" \
	"^lode: 1 word longer than 64 bytes left out of the query"
run "$LODE" search -i "$T/long-idx" -l "\"sha $H follows\""
expect_rc "a phrase around a 160-byte word: exit 0" 0
expect_out "a phrase around a 160-byte word: finds the text it was pasted from" "/with.txt$"
expect_err "a phrase around a 160-byte word: the note" "left out of the query"

# A document without a title is shown by its id (its file's name), not as
# "(untitled)": hits must be told apart without reading their paths.
mkdir -p "$T/untitled"
printf 'it was a long and rambling sentence about the harbour that never ends, and it goes on.\n' \
	>"$T/untitled/minutes-1862.txt"
"$LODE" index -q -i "$T/untitled-idx" "$T/untitled" >/dev/null 2>&1
run "$LODE" search -i "$T/untitled-idx" harbour
expect_out "no title: the hit shows the file's name" '^1\. minutes-1862  '
expect_no_out "no title: not '(untitled)'" 'untitled\)'

run "$LODE" search -i "$IDX" glaceir
expect_rc "misspelling: exit 1" 1
expect_err "misspelling: did you mean" "did you mean: glacier"

run "$LODE" search -i "$IDX" --sort date -l -n 1 'date:..2024-12-31 the'
expect_eq "--sort date: newest first" "$(sed 's|.*/samples/||' "$T/out")" "blog/war-torn-libraries.md"
run "$LODE" search -i "$IDX" --sort -date -l -n 1 the
expect_eq "--sort -date: oldest first" "$(sed 's|.*/samples/||' "$T/out")" "blog/sourdough-notes.md"

run "$LODE" search -i "$IDX" --color=always harbour
expect_out "--color=always: escape codes" "$(printf '\033')\[1;31m"
run env NO_COLOR=1 "$LODE" search -i "$IDX" --color=auto harbour
expect_no_out "NO_COLOR: none" "$(printf '\033')"

# Options after the query, and -i given twice searches both as one.
"$LODE" index -q -i "$T/news" "$TOP/samples/news" >/dev/null 2>&1
"$LODE" index -q -i "$T/blog" "$TOP/samples/blog" >/dev/null 2>&1
run "$LODE" search war torn -i "$T/news" -i "$T/blog" -l
expect_out "several indexes: hit from the second" "war-torn-libraries.md"
run "$LODE" search -c -i "$T/news" -i "$T/blog" the
n1=$(cat "$T/out")
run "$LODE" search -c -i "$IDX" 'the -path:mail -path:data'
expect_eq "several indexes count as one" "$n1" "$(cat "$T/out")"
printf '%s\n%s\n' "$T/news" "$T/blog" > "$T/shards.txt"
run "$LODE" search -c -i "$T/shards.txt" the
expect_eq "shard list file" "$(cat "$T/out")" "$n1"

run "$LODE" search -i "$T/missing" harbour
expect_rc "missing index: exit 2" 2
expect_err "missing index: named" "$T/missing: no index there"

# batch: a TREC run
printf 'q1\tharbour cranes\nq2\tglacier ice\n' > "$T/topics.tsv"
run "$LODE" search -i "$IDX" --batch "$T/topics.tsv" --run-tag test
expect_rc "batch: exit 0" 0
expect_out "batch: TREC run lines" '^q1 Q0 [^ ]+ 1 [0-9.]+ test$'
expect_out "batch: the article among the hits" '^q1 Q0 harbour-strike [12] '
expect_out "batch: a message of an mbox is name#subkey" '^q1 Q0 tips#M2 [12] '
expect_out "batch: second topic" '^q2 Q0 glacier-retreat 1 '
