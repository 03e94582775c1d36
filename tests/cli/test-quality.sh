#!/bin/sh
# Ranking quality with default settings beats the published BM25 figures on
# the shared IR collections (skips when ../shared is absent).
. "$(dirname "$0")/lib.sh"
S=${LODE_SHARED:-$TOP/../shared}
if [ ! -d "$S/ir/cacm" ]; then
  skip "ranking quality: $S/ir not found"
  exit 0
fi
LODE="$LODE" sh "$TOP/bench/quality.sh" "$S" > "$T/table" 2>"$T/err" || fail "bench/quality.sh runs" "$(cat "$T/err")"
sed 1d "$T/table" | while read -r c m v p d; do
  if awk -v d="$d" 'BEGIN { exit !(d > 0) }'; then
    ok "$c $m $v above published $p"
  else
    fail "$c $m $v above published $p" "difference $d"
  fi
done
[ "$(sed 1d "$T/table" | wc -l)" -eq 4 ] && ok "quality table has 4 rows" || fail "quality table has 4 rows" "$(cat "$T/table")"
