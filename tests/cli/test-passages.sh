#!/bin/sh
# Passages of long documents: chosen from the whole text where the query's
# terms occur (the index's positions say where), not from its beginning;
# a phrase that straddles two parts of the text is still found; an index
# made before restart marks existed still gets its snippets.
. "$(dirname "$0")/lib.sh"

C="$T/corpus"
mkdir -p "$C"
# A long report: its beginning names the harbour and the cranes, but far
# apart; about 60 KB in, one sentence has both. Filler paragraphs between.
python3 - "$C" <<'EOF'
import sys
out = sys.argv[1]
filler = ("The committee met again and discussed the budget for the coming year, "
          "the roads, the schools and the library. ")
paras = []
paras.append("The harbour is old. " + filler * 3)
paras.append(filler * 3 + "Tall cranes are a sight.")
for i in range(120):
    paras.append(filler * 4)
paras.insert(100, "At last the harbour cranes stood still as the strike began.")
open(out + "/report.txt", "w").write("Annual report\n\n" + "\n\n".join(paras) + "\n")

# The phrase "tidal basin" at 64 alignments, 8 bytes apart, in 64 texts:
# the text is cut into parts of about 512 bytes (at a word after white
# space), so in some of them the phrase straddles two parts.
for k in range(64):
    fill = ("plain words here " * 200)[: 1000 + 8 * k]
    open(out + "/tide-%02d.txt" % k, "w").write(
        "Tides %d\n\n%s the tidal basin fills at noon. %s\n" % (k, fill, fill))
EOF

IDX="$T/idx"
"$LODE" index -q -i "$IDX" "$C" 2>"$T/ierr"
expect_eq "index the long documents: no complaint" "$(cat "$T/ierr")" ""

# hl FILE: the highlighted words of every passage of every hit, one passage
# per line.
hl() {
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    for s in json.loads(line)["snippets"]:
        b = s["text"].encode()
        print(" ".join(" ".join(b[a:e].decode().lower().split()) for a, e in s["highlights"]))
' "$1"
}

run "$LODE" search -i "$IDX" --json harbour cranes
expect_rc "long document: found" 0
if hl "$T/out" | grep -qx "harbour cranes"; then
	ok "long document: a passage holds both words, from deep in the text"
else
	fail "long document: a passage holds both words, from deep in the text" "$(hl "$T/out" | tr '\n' '|')"
fi
line=$(python3 -c 'import json,sys; print(max(s["line"] for s in json.loads(open(sys.argv[1]).readline())["snippets"]))' "$T/out")
if [ "$line" -gt 150 ]; then ok "long document: the passage's line is where it is ($line)"; else
	fail "long document: the passage's line is where it is" "line $line"; fi

run "$LODE" search -i "$IDX" -n 100 --json '"tidal basin"'
expect_rc "a phrase across two parts: found" 0
expect_eq "a phrase across two parts: every text" "$(grep -c . "$T/out")" 64
expect_eq "a phrase across two parts: highlighted in every text" \
	"$(hl "$T/out" | grep -c '^tidal basin$')" 64
