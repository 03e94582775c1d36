#!/bin/sh
# lode index: counts, fields, incremental runs, hostile files, the lock.
. "$(dirname "$0")/lib.sh"

cp -r "$TOP/samples" "$T/corpus"
rm -f "$T/corpus/README.md"
IDX="$T/idx"

run "$LODE" index -i "$IDX" "$T/corpus"
expect_rc "index samples: exit 0" 0
expect_err "index samples: summary line" "11 indexed \(14 documents\), 0 unchanged, 0 removed, 0 skipped, 0 failed"

run "$LODE" stats -i "$IDX" --json
expect_rc "stats: exit 0" 0
expect_out "stats: 14 documents" '"documents": 14'
expect_out "stats: language english" '"language": "english"'
expect_out "stats: root remembered" "\"roots\": \[\"$T/corpus\"\]"

run "$LODE" search -i "$IDX" --json mercenary
expect_out "markdown article: title" '"title": "Mercenaries leave Mali as junta turns to Russia"'
expect_out "markdown article: byline author" '"author": "Sahel Wire"'
expect_out "markdown article: date line" '"date": "2021-09-15"'
expect_out "markdown article: original url" '"url": "https://sahelwire.example.org/2021/09/15/mali-mercenaries"'
expect_no_out "markdown article: no link syntax in snippets" '\]\('

run "$LODE" search -i "$IDX" --json title:cafe
expect_out "html: title from <title>" '"title": "The last Café of the Rue des Martyrs"'
expect_out "html: author meta" '"author": "Élodie Marchand"'
expect_out "html: published time" '"date": "2020-11-04"'
run "$LODE" search -i "$IDX" -c tracking
expect_eq "html: script text not indexed" "$(cat "$T/out")" "0"

run "$LODE" search -i "$IDX" --json sleeper trains
expect_out "gzip text file indexed" 'night-trains.txt.gz'
run "$LODE" search -i "$IDX" --json author:weber
expect_out "e-mail: subject is the title" '"title": "Budget meeting moved to Thursday"'
run "$LODE" search -i "$IDX" -l Tomás
expect_out "e-mail: quoted-printable decoded" 'budget-meeting.eml'
run "$LODE" search -i "$IDX" -c format:email
expect_eq "mbox: one document per message (+1 eml)" "$(cat "$T/out")" "3"
run "$LODE" search -i "$IDX" --json id:brief-002
expect_out "jsonl: id and title" '"id": "brief-002", "title": "Museum returns bronze statues"'
run "$LODE" search -i "$IDX" -c 図書館
expect_eq "jsonl: CJK word found" "$(cat "$T/out")" "1"

# Incremental: nothing changed.
run "$LODE" index -i "$IDX" "$T/corpus"
expect_err "second run: all unchanged" "0 indexed \(0 documents\), 11 unchanged, 0 removed"
# With no path: the remembered roots.
run "$LODE" index -i "$IDX"
expect_err "no path: remembered roots" "0 indexed \(0 documents\), 11 unchanged"

# Modified, deleted, moved.
sleep 0.01
echo "An added paragraph about pelicans." >> "$T/corpus/news/harbour-strike.txt"
rm "$T/corpus/blog/sourdough-notes.md"
mv "$T/corpus/news/glacier-retreat.md" "$T/corpus/glacier-moved.md"
run "$LODE" index -i "$IDX" "$T/corpus"
expect_err "changes: 2 indexed, 2 removed" "2 indexed \(2 documents\), 8 unchanged, 2 removed"
run "$LODE" search -i "$IDX" -l pelicans
expect_out "modified file re-indexed" "harbour-strike.txt"
run "$LODE" search -i "$IDX" -c sourdough
expect_eq "deleted file removed" "$(cat "$T/out")" "0"
run "$LODE" search -i "$IDX" -l glacier
expect_out "moved file under its new path" "glacier-moved.md"
expect_no_out "moved file: old path gone" "news/glacier-retreat.md"
run "$LODE" stats -i "$IDX" --json
expect_out "stats after changes: 13 documents" '"documents": 13'

# stdin
run sh -c "printf 'A note about lighthouses\n\nThe keeper left in 1990.\n' | '$LODE' index -i '$IDX' -"
expect_rc "stdin: exit 0" 0
run "$LODE" search -i "$IDX" -c lighthouses
expect_eq "stdin document searchable" "$(cat "$T/out")" "1"

# check
run "$LODE" check -i "$IDX"
expect_rc "check: sound index" 0
expect_out "check: 0 problems" "0 problems"

# A missing path is a failure of that path, exit 1; the rest goes on.
run "$LODE" index -i "$IDX" "$T/nonexistent" "$T/corpus"
expect_rc "missing path: exit 1" 1
expect_err "missing path: named with the reason" "nonexistent: failed: No such file or directory"

# Language: saved, a different one refused.
run "$LODE" index -i "$IDX" --lang french "$T/corpus"
expect_rc "other language refused: exit 2" 2
expect_err "other language refused: says why" "built for language 'english'"
run "$LODE" index -i "$T/fr" --lang fr "$T/corpus/news/harbour-strike.txt"
run "$LODE" stats -i "$T/fr" --json
expect_out "--lang fr saved as french" '"language": "french"'
run "$LODE" index -i "$T/xx" --lang klingon "$T/corpus"
expect_rc "unknown language: exit 2" 2

# The lock: a writer waiting on stdin holds it.
( sleep 3 | "$LODE" index -i "$IDX" - >/dev/null 2>&1 ) &
holder=$!
sleep 1
run "$LODE" index -i "$IDX" --wait 1 "$T/corpus"
expect_rc "second writer: busy exit code 3" 3
expect_err "second writer: says busy and names the index" "$IDX: index is busy"
run "$LODE" search -i "$IDX" -c harbour
expect_rc "search during a write works" 0
wait $holder

# The default index comes from $LODE_INDEX.
run "$LODE" index "$T/corpus/news/harbour-strike.txt"
run "$LODE" search -c harbour
expect_eq "LODE_INDEX is the default index" "$(cat "$T/out")" "1"

# A root reached through a symbolic link: remembered, and its documents named,
# under the path the link leads to (lode-index(1)).
mkdir -p "$T/linked/real"
echo "the quokka sat on the linked root" >"$T/linked/real/quokka.txt"
ln -s real "$T/linked/via"
run "$LODE" index -i "$T/lidx" "$T/linked/via"
expect_rc "root through a link: indexed" 0
run "$LODE" search -i "$T/lidx" -l quokka
expect_eq "root through a link: its document is named under the link's target" \
	"$(cat "$T/out")" "$(cd "$T/linked/real" && pwd -P)/quokka.txt"
run "$LODE" stats -i "$T/lidx"
expect_out "root through a link: remembered as the target" "^  $(cd "$T/linked/real" && pwd -P)\$"

# A path longer than Xapian's longest key (245 bytes): indexed, found,
# unchanged on the next run, re-indexed once when it changes, removed when it
# goes - by lode's own writer (a new index) and by Xapian's (updates).
long="$T/longpath/$(printf 'a%.0s' $(seq 1 120))/$(printf 'b%.0s' $(seq 1 120))"
mkdir -p "$long"
lf="$long/$(printf 'c%.0s' $(seq 1 40)).txt"
echo "the wallaby crossed a long path" >"$lf"
echo "a short neighbour" >"$T/longpath/short.txt"
run "$LODE" index -i "$T/lpidx" "$T/longpath"
expect_rc "a ${#lf}-byte path: exit 0" 0
run "$LODE" search -i "$T/lpidx" -l wallaby
expect_eq "a long path: its document is found" "$(cat "$T/out")" "$lf"
run "$LODE" index -i "$T/lpidx" "$T/longpath"
expect_err "a long path: unchanged on the next run" "0 indexed .* 2 unchanged"
echo "the wallaby came back" >>"$lf"
run "$LODE" index -i "$T/lpidx" "$T/longpath"
expect_err "a long path, changed: re-indexed" "1 indexed .* 1 unchanged"
run "$LODE" search -i "$T/lpidx" -c wallaby
expect_eq "a long path, changed: one document, not two" "$(cat "$T/out")" 1
rm "$lf"
run "$LODE" index -i "$T/lpidx" "$T/longpath"
expect_err "a long path, deleted: removed" "1 removed"
run "$LODE" search -i "$T/lpidx" -c wallaby
expect_eq "a long path, deleted: not found" "$(cat "$T/out")" 0
