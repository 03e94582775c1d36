#!/bin/sh
# Ranking on a small fixed corpus: the order BM25 gives by hand.
#   tf:      more occurrences in documents of equal length rank higher
#   length:  the same count in a longer document ranks lower (b > 0)
#   idf:     a document with the rare word beats one with the common word
#   ties:    equal scores are ordered by path, whatever the indexing order
. "$(dirname "$0")/lib.sh"
C="$T/c"; mkdir -p "$C"
filler="alpha beta gamma delta epsilon zeta eta theta iota kappa"
printf 'glacier %s\n' "$filler" > "$C/one.txt"                              # tf 1, 11 words
printf 'glacier glacier glacier %s\n' "$filler" > "$C/three.txt"          # tf 3, 13 words
printf 'glacier %s %s %s %s %s %s %s %s %s\n' "$filler" "$filler" "$filler" "$filler" \
  "$filler" "$filler" "$filler" "$filler" "$filler" > "$C/long.txt"         # tf 1, 91 words
printf 'moraine lambda\n' > "$C/rare.txt"                                  # rare word only
printf 'common words here\n' > "$C/x1.txt"
for i in 2 3 4 5 6; do printf 'common words %s\n' "$i" > "$C/x$i.txt"; done
printf 'tie breaker text\n' > "$C/tie-b.txt"
printf 'tie breaker text\n' > "$C/tie-a.txt"
"$LODE" index -q -j2 -i "$T/idx" "$C" >/dev/null 2>&1

order() { "$LODE" search -i "$T/idx" --title-weight 0 -l "$@" | sed 's|.*/||' | tr '\n' ' '; }
expect_eq "tf, then length: three > one > long" "$(order glacier)" "three.txt one.txt long.txt "
expect_eq "idf: the rare word first" "$(order --or moraine common)" "rare.txt x1.txt x2.txt x3.txt x4.txt x5.txt x6.txt "
expect_eq "ties by path, not by indexing order" "$(order breaker)" "tie-a.txt tie-b.txt "
# b = 0 turns length normalisation off: one and long score the same, path decides
expect_eq "--b 0: no length normalisation" "$(order --b 0 glacier)" "three.txt long.txt one.txt "
# the scores themselves: three's is higher than one's by BM25's tf saturation
s1=$("$LODE" search -i "$T/idx" --title-weight 0 --json glacier | python3 -c '
import json, sys
print(" ".join("%.6f" % json.loads(l)["score"] for l in sys.stdin))')
python3 - "$s1" <<'PY' && ok "scores strictly decreasing and positive" || fail "scores strictly decreasing and positive" "$s1"
import sys
v = [float(x) for x in sys.argv[1].split()]
sys.exit(0 if len(v) == 3 and v[0] > v[1] > v[2] > 0 else 1)
PY

# Ties across pages: fifteen documents, three of which score higher, the
# later half of the paths indexed first, so that Xapian's docids follow no
# path order. Every page, however it cuts through a run of equal scores,
# shows the hits the whole order has there (ties by path), and -c counts
# them all.
P="$T/p"; mkdir -p "$P"
for i in 12 07 10 08 11 09; do printf 'page tie words\n' > "$P/t$i.txt"; done
printf 'page page tie words\n' > "$P/h3.txt"
"$LODE" index -q -j1 -i "$T/pidx" "$P" >/dev/null 2>&1
for i in 03 01 05 02 04 06; do printf 'page tie words\n' > "$P/t$i.txt"; done
for i in 2 1; do printf 'page page tie words\n' > "$P/h$i.txt"; done
"$LODE" index -q -j1 -i "$T/pidx" "$P" >/dev/null 2>&1
all="h1.txt h2.txt h3.txt t01.txt t02.txt t03.txt t04.txt t05.txt t06.txt t07.txt t08.txt t09.txt t10.txt t11.txt t12.txt "
page() { "$LODE" search -i "$T/pidx" --title-weight 0 -l "$@" page | sed 's|.*/||' | tr '\n' ' '; }
expect_eq "ties: the whole order" "$(page -n 20)" "$all"
for cut in "2 0" "3 0" "4 0" "5 2" "3 3" "4 5" "5 10" "7 8" "1 14" "5 13"; do
	set -- $cut
	want=$(echo "$all" | tr ' ' '\n' | grep . | sed -n "$(($2 + 1)),$(($2 + $1))p" | tr '\n' ' ')
	expect_eq "ties: page of $1 from $2" "$(page -n "$1" --offset "$2")" "$want"
done
expect_eq "ties: -c counts every match" "$("$LODE" search -i "$T/pidx" -c page)" 15
