#!/bin/sh
# gencorpus.sh DIR NFILES [SEED] - write a deterministic corpus of NFILES small
# text and Markdown articles under DIR (in subdirectories of 100 files), made
# from a vocabulary of invented words, so that tests need no downloaded data.
# The same arguments always give byte-identical files. Every file holds the
# word "corpusall"; file I holds "fileI" (e.g. file42) and "groupG" with
# G = I % 10, so that tests can count what a search should find.
set -eu
dir=$1 n=$2 seed=${3:-1}
mkdir -p "$dir"
awk -v dir="$dir" -v n="$n" -v seed="$seed" '
# Park-Miller, not rand(): rand differs between awks. The product stays below
# 2^53, so every awk computes it exactly in doubles.
function rnd() {
	state = (state * 16807) % 2147483647
	return state / 2147483647
}
function word(   k, w, i) {
	# Zipf-like: small indexes far more often than large ones
	k = int(nvocab * rnd() * rnd())
	return vocab[k]
}
BEGIN {
	state = seed + 0 < 1 ? 1 : seed + 0
	split("ka lo mi ne ru sa te vo bi da fe gu hi jo ma no pe qui ri so tu va we xi yo zu", syl, " ")
	nsyl = 26
	nvocab = 600
	for (i = 0; i < nvocab; i++) {
		w = ""
		len = 2 + int(rnd() * 3)
		for (s = 0; s < len; s++)
			w = w syl[1 + int(rnd() * nsyl)]
		vocab[i] = w
	}
	for (f = 0; f < n; f++) {
		sub_ = sprintf("%s/d%02d", dir, int(f / 100))
		if (f % 100 == 0)
			system("mkdir -p \"" sub_ "\"")
		md = f % 3 == 0
		path = sprintf("%s/f%05d.%s", sub_, f, md ? "md" : "txt")
		title = word() " " word() " " word()
		if (md)
			printf "# %s\n\n", title > path
		else
			printf "%s\n\n", title > path
		nw = 15 + int(rnd() * 50)
		line = "corpusall file" f " group" (f % 10)
		for (k = 0; k < nw; k++) {
			line = line (line == "" ? "" : " ") word()
			if (length(line) > 70) {
				print line > path
				line = ""
			}
		}
		if (line != "")
			print line > path
		close(path)
	}
}'
