#!/bin/sh
# quality.sh - ranking quality on the shared IR collections, with default
# settings: build each collection's index from corpus.jsonl, run its queries
# as a TREC run (lode search --batch), score it with lode eval, and print
#   collection  metric  lode  published  difference
# Published figures: Anserini's BM25 (Lucene, k1=0.9 b=0.4, Porter, stopwords)
# for CACM; a plain BM25 with those settings for Cranfield (../shared/README.md).
# Usage: bench/quality.sh [SHARED_DIR]   (default ../shared; skips when absent)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
LODE=${LODE:-$top/${LODE_BUILD:-build}/lode}
S=${1:-${LODE_SHARED:-$top/../shared}}/ir
if [ ! -d "$S/cacm" ] || [ ! -d "$S/cranfield" ]; then
  echo "quality: $S/cacm and $S/cranfield not found; nothing to measure" >&2
  exit 0
fi
W=$(mktemp -d "${TMPDIR:-/tmp}/lode-quality.XXXXXX")
trap 'rm -rf "$W"' EXIT

# collection qrels gain-map metric published
rows="cacm qrels.anserini.trec - map 0.3123
cacm qrels.anserini.trec - p@30 0.1942
cranfield qrels.trec -1:5,1:4,2:3,3:2,4:1 ndcg@10 0.499
cranfield qrels.trec -1:5,1:4,2:3,3:2,4:1 map 0.398"

for c in cacm cranfield; do
  "$LODE" index -q -i "$W/$c" "$S/$c/corpus.jsonl"
  "$LODE" search -i "$W/$c" --batch "$S/$c/queries.tsv" --run-tag lode > "$W/$c.run"
done
printf '%-10s %-8s %8s %10s %10s\n' collection metric lode published difference
printf '%s\n' "$rows" | while read -r c qrels gm metric pub; do
  if [ "$gm" = - ]; then
    v=$("$LODE" eval "$S/$c/$qrels" "$W/$c.run" -m "$metric" | awk -v m="$metric" '$1 == m {print $3}')
  else
    v=$("$LODE" eval "$S/$c/$qrels" "$W/$c.run" -m "$metric" --gain-map="$gm" | awk -v m="$metric" '$1 == m {print $3}')
  fi
  awk -v c="$c" -v m="$metric" -v v="$v" -v p="$pub" \
    'BEGIN { printf "%-10s %-8s %8.4f %10.4f %+10.4f\n", c, m, v, p, v - p }'
done
