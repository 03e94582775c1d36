#!/bin/sh
# Hostile queries: huge, deeply nested, only operators or stopwords, binary
# and random bytes, absurd options. Each must end within 20 s with either a
# clear error (exit 2, one line on stderr) or a search (exit 0/1, well-formed
# output), never a crash or a hang.
# LODE_TEST_SEED=N repeats the random queries of an earlier run.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/helpers/relib.sh"

IDX="$T/idx"
SEED=${LODE_TEST_SEED:-$(date +%s)}
echo "# random queries from LODE_TEST_SEED=$SEED"
sh "$HELPERS/gencorpus.sh" "$T/corpus" 300 3
cp -r "$TOP/samples" "$T/corpus/samples"
"$LODE" index -q -i "$IDX" "$T/corpus" >/dev/null 2>&1 || { fail "index the corpus"; exit 1; }

# words WORD N [SEP]: WORD1 SEP WORD2 SEP ... WORDN (SEP default a space).
words() { awk -v w="$1" -v n="$2" -v s="${3:- }" 'BEGIN {
	for (i = 1; i <= n; i++) printf "%s%s%d", (i > 1 ? s : ""), w, i }'; }
# rep STRING N: STRING N times.
rep() { awk -v s="$1" -v n="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'; }

# q NAME [OPTION...] -- QUERY...: the outcome must be a search or a clear error.
q() {
	_n=$1; shift
	_o=""
	while [ "$1" != "--" ]; do _o="$_o $1"; shift; done
	shift
	run timeout 20 "$LODE" search -i "$IDX" --json -n 20 $_o "$@"
	judge "$_n"
}
# judge NAME: the verdict on $rc, $T/out, $T/err.
judge() {
	if grep -Eq 'Sanitizer|runtime error:' "$T/err" || [ "$rc" -gt 2 ]; then
		not_crashed "$1"
	elif [ "$rc" -eq 2 ]; then
		_l=$(grep -c . "$T/err")
		if [ "$_l" -eq 1 ] && grep -q '^lode: error: ' "$T/err"; then
			ok "$1: a clear error ($(cut -c1-70 "$T/err"))"
		else
			fail "$1: exit 2 with one 'lode: error:' line" "$_l lines: $(head -c 300 "$T/err")"
		fi
	elif [ "$(grep -c . "$T/err")" -gt 1 ]; then
		fail "$1: at most one line on stderr" "$(head -c 300 "$T/err")"
	elif _why=$(json_lines_ok "$T/out"); then
		ok "$1: exit $rc, $(grep -c . "$T/out") hits"
	else
		fail "$1: --json output is JSON" "$_why"
	fi
}

# Sizes
q "10,000 words" -- "$(words w 10000)"
q "10,000 words, --or" --or -- "$(words w 10000)"
q "10,000 words joined by OR" -- "$(words w 10000 ' OR ')"
q "10,000 words joined by NOT" -- "$(words w 10000 ' NOT ')"
q "a 2000-word phrase" -- "\"$(words w 2000)\""
q "500 NEARs" -- "$(words w 500 ' NEAR ')"
q "1 MB in 11 arguments" -- $(i=0; while [ $i -lt 11 ]; do rep "lorem ipsum dolor " 5000 | tr ' ' '_'; echo; i=$((i + 1)); done)
q "one 100 KB word" -- "$(rep abcdefghij 10000)"
q "a 100 KB run of digits" -- "$(rep 0123456789 10000)"
run timeout 20 "$LODE" search -i "$IDX" -c "$(words w 10000)"
expect_err "10,000 words: the error says the query is too long" "too long"
q "1000 words (under the limit), --or" --or -- "$(words w 1000)"
expect_rc "1000 words, --or: searched (exit 1: no match)" 1

# Nesting
q "1000-deep parentheses" -- "$(rep '(' 1000)corpusall$(rep ')' 1000)"
q "1000 open parentheses" -- "$(rep '(' 1000)corpusall"
q "1000 close parentheses" -- "corpusall$(rep ')' 1000)"
q "1000 ')(' pairs" -- "$(rep ')(' 1000)"
q "1000 nested field prefixes" -- "$(rep 'title:' 1000)corpusall"
q "1000 NOTs" -- "$(rep 'NOT ' 1000)corpusall"
q "1000 quotes" -- "$(rep '"' 1000)"
q "1000-deep parentheses: found literally" -- "$(rep '(' 1000)group1$(rep ')' 1000)"
expect_rc "1000-deep parentheses: its word still found (exit 0)" 0

# Nothing but syntax
for op in AND OR NOT "AND OR NOT" + - "+ -" NEAR NEAR/5 "NEAR/99999999999" '"' '""' '*' '**' \
	: title: date: date:.. .. "date:0000-00-00..9999-99-99" "date:2021-02-30" "-(" "()" \
	"(AND)" "a NEAR" "NOT NOT NOT" "\\" "'" "id:" "path:/" "lang:" "tag:" "format:" "url:*"; do
	q "only operators: [$op]" -- "$op"
done
q "only stopwords" -- "the of and"
q "only stopwords, --or" --or -- "the of and"
q "only stopwords, --literal" --literal -- "the of and a"

# Bytes
q "control and invalid UTF-8 bytes" -- "$(printf '\001\002\003\377\376\033[31mcorpusall\033[0m')"
q "lone UTF-8 continuation bytes" -- "$(printf '\200\201\277 corpusall')"
q "surrogates and overlongs" -- "$(printf '\355\240\200 \300\257 \340\200\257')"
q "a right-to-left override and zero-width joiners" -- "$(printf '\342\200\256corpusall\342\200\215\342\200\215')"
q "combining marks only" -- "$(rep "$(printf '\314\201')" 5000)"

# Options at their limits
q "-n 4294967295" -n 4294967295 -- corpusall
q "--offset 4294967295" --offset 4294967295 -- corpusall
q "--offset past the end" --offset 100000 -- corpusall
q "--snippets 1000 --snippet-len 100000" --snippets 1000 --snippet-len 100000 -- corpusall
q "--snippet-len 1" --snippet-len 1 -- corpusall
q "--k1 0 --b 0" --k1 0 --b 0 -- corpusall
q "--k1 nan" --k1 nan -- corpusall
q "--k1 inf --b 1e308" --k1 inf --b 1e308 -- corpusall
q "--title-weight -1" --title-weight -1 -- corpusall
q "--title-weight 1e308" --title-weight 1e308 -- corpusall
q "-n -1" -n -1 -- corpusall
q "--sort date with 20 wildcards" --sort date -- "$(for c in a b c d e f g h i j k l m n o p q r s t; do printf '%s* ' $c; done)"

# Random bytes (no NUL, which argv cannot carry): some as arguments, many
# more through --batch --full-syntax in one process.
awk -v seed="$SEED" 'BEGIN {
	srand(seed)
	for (i = 0; i < 400; i++) {
		n = 1 + int(rand() * (i < 200 ? 12 : 200))
		s = ""
		for (k = 0; k < n; k++) {
			r = rand()
			if (r < 0.35) c = 33 + int(rand() * 94)          # ASCII punctuation, letters
			else if (r < 0.55) c = substr("()\"*:+-. ", 1 + int(rand() * 9), 1)
			else if (r < 0.75) c = 128 + int(rand() * 128)   # high bytes
			else if (r < 0.85) c = 1 + int(rand() * 31)      # controls
			else c = " "
			if (c ~ /^[0-9]+$/) {
				if (c == 9 || c == 10 || c == 13) c = 32
				c = sprintf("%c", c + 0)
			}
			s = s c
		}
		printf "r%d\t%s\n", i, s
	}
}' >"$T/topics"
bad=""
i=0
nargs=$(scaled 30 10)
while IFS= read -r line && [ $i -lt "$nargs" ]; do
	i=$((i + 1))
	qtext=${line#*	}
	run timeout 20 "$LODE" search -i "$IDX" --json -n 5 "$qtext"
	if grep -Eq 'Sanitizer|runtime error:' "$T/err" || [ "$rc" -gt 2 ] ||
	   { [ "$rc" -eq 2 ] && [ "$(grep -c . "$T/err")" -ne 1 ]; }; then
		bad="$bad [$(printf '%s' "$qtext" | od -An -tx1 | tr -d ' \n' | cut -c1-80): $(status_name $rc)]"
	fi
done <"$T/topics"
expect_eq "$nargs random queries as arguments: each a search or one error line" "$bad" ""
run timeout 60 "$LODE" search -i "$IDX" --batch "$T/topics" --full-syntax -n 5
not_crashed "400 random queries in --batch --full-syntax: no crash"
if [ "$rc" -le 1 ]; then ok "400 random queries in --batch: exit $rc"; else
	fail "400 random queries in --batch: exit 0 or 1" "$(status_name $rc)"; fi
bad=$(grep -Ev '^r[0-9]+ Q0 [^ ]+ [0-9]+ -?[0-9.e+-]+ lode$' "$T/out" | head -3)
expect_eq "400 random queries in --batch: every output line a TREC run line" "$bad" ""
run timeout 60 "$LODE" search -i "$IDX" --batch "$T/topics" -n 5
not_crashed "400 random queries in --batch (literal): no crash"

# A 1 MB topic line (too long for one argument)
{ printf 'big\t'; rep "corpusall (group1 OR \"file1 group1\") " 30000; echo; } >"$T/big-topic"
run timeout 20 "$LODE" search -i "$IDX" --batch "$T/big-topic" --full-syntax -n 5
not_crashed "a 1 MB topic line: no crash, no hang"
expect_err "a 1 MB topic line: refused as too long, in one line" "big-topic:1: query big: query too long"
