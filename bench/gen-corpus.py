#!/usr/bin/env python3
"""gen-corpus.py OUTDIR SIZE_MB [--seed N]

Writes SIZE_MB megabytes (10^6 bytes, +/- one file) of article-like plain text
into OUTDIR, for lode's scale curves when the real dev corpus is not at hand.
Deterministic: the same seed and size give the same bytes on every machine.

Each file (OUTDIR/dNNNN/aNNNNNNN.txt, 500 per directory) is a title line, a
date line, an author line, then paragraphs. Words follow a Zipf law (s=1.07)
over a vocabulary of common English words (the top ranks, as in real text)
followed by synthetic words built from syllables, some of them with English
suffixes so a stemmer has something to do. 40% of each article's words come
from its own small topic set, so words recur within a file as in real text.
Sizes are log-normal (median ~6.6 kB, a few over 100 kB); text mentions dates
and numbers. Tuned so that distinct terms per MB (what a Xapian indexer pays
for) are near the dev corpus's: ~43k per MB against its ~34k.

Python 3 standard library only.
"""
import argparse
import itertools
import math
import os
import random
import sys

COMMON = """the of and to a in is that for it as was with be by on not he this are or
his from at which but have an they you were her she there been one all we their has
would when if will more no out so said what up its about than into them can only other
new some could time these two may then do first any my now such like our over man me
even most made after also did many before must through back years where much your way
well down should because each just those people how too little state good very make
world still own see men work long get here between both life being under never day same
another know while last might us great old year off come since against go came right
used take three states himself few house use during without again place american around
however home small found thought went say part once general high upon school every
don does got united left number course war until always away something fact though
water less public put think almost hand enough far took head yet government system
better set told nothing night end why called didn find look going asked later point
knew city next program business give group toward young days let room president side
social given present several order national possible rather second face per among form
important often things looked early white case large become big need four within felt
along children saw best church ever least power development light thing seemed family
interest want members mind country area others done turned although open problem
free already began report money market court history market energy price policy
economy health report data water power system network music travel science research
""".split()

ONSETS = ["b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t",
          "v", "w", "z", "br", "ch", "cl", "cr", "dr", "fl", "gr", "pl", "pr", "sh",
          "sl", "st", "str", "th", "tr", ""]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ee", "io", "ou", "oa", "y"]
CODAS = ["", "", "", "n", "r", "l", "s", "t", "m", "nd", "rt", "st", "ck", "ng", "x"]
SUFFIXES = ["s", "ing", "ed", "er", "ation", "ness", "ly", "ment", "ies"]
TOPIC_SHARE = 0.4
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def synth_word(rng):
    n = rng.choice((1, 1, 2, 2, 2, 3))
    return "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
                   for _ in range(n))


def build_vocab(rng, n_synth):
    """Common English words first, then synthetic stems and inflections."""
    seen = set()
    vocab = []
    for w in COMMON:
        if w not in seen:
            seen.add(w)
            vocab.append(w)
    while len(vocab) < len(COMMON) + n_synth:
        stem = synth_word(rng)
        if len(stem) < 3 or stem in seen:
            continue
        forms = [stem] + [stem + s for s in rng.sample(SUFFIXES, rng.randint(0, 2))]
        for w in forms:
            if w not in seen:
                seen.add(w)
                vocab.append(w)
    return vocab


class Words:
    """An endless Zipf-distributed word stream, sampled in batches for speed."""

    def __init__(self, rng, vocab, s=1.07, batch=200000):
        self.rng, self.vocab, self.batch = rng, vocab, batch
        self.cum = list(itertools.accumulate(1.0 / (r ** s) for r in range(1, len(vocab) + 1)))
        self.buf, self.pos = [], 0

    def take(self, n):
        if self.pos + n > len(self.buf):
            self.buf = self.rng.choices(self.vocab, cum_weights=self.cum, k=max(self.batch, n))
            self.pos = 0
        out = self.buf[self.pos:self.pos + n]
        self.pos += n
        return out


def a_date(rng):
    return rng.randint(1990, 2024), rng.randint(1, 12), rng.randint(1, 28)


def sentence(rng, words, topic):
    ws = words.take(rng.randint(6, 24))
    # Real articles repeat their subject's words (burstiness); i.i.d. Zipf
    # draws alone would give each file ~2x the distinct terms of real text.
    for i in range(len(ws)):
        if rng.random() < TOPIC_SHARE:
            ws[i] = rng.choice(topic)
    r = rng.random()
    if r < 0.05:
        y, m, d = a_date(rng)
        ws.insert(rng.randint(0, len(ws)), "on %s %d, %d" % (MONTHS[m - 1], d, y))
    elif r < 0.10:
        ws.insert(rng.randint(0, len(ws)), str(rng.choice((rng.randint(2, 99),
                                                           rng.randint(100, 99999)))))
    if len(ws) > 10 and rng.random() < 0.4:
        k = rng.randint(3, len(ws) - 3)
        ws[k] += ","
    s = " ".join(ws)
    return s[0].upper() + s[1:] + rng.choice((".", ".", ".", ".", "?", "!"))


def article(rng, words, names, target):
    # titles draw from the middle ranks, as headlines avoid "the of and"
    mid = words.vocab[100:8000]
    title = " ".join(rng.choice(mid).capitalize() for _ in range(rng.randint(4, 9)))
    y, m, d = a_date(rng)
    head = "%s\n\nDate: %04d-%02d-%02d\nBy %s %s\n\n" % (
        title, y, m, d, rng.choice(names).capitalize(), rng.choice(names).capitalize())
    # a topic: a few mid-frequency words, the first ones favoured
    pool = rng.sample(mid, rng.randint(15, 50))
    topic = [w for i, w in enumerate(pool) for _ in range(max(1, 6 - i // 4))]
    parts, size = [head], len(head)
    while size < target:
        para = " ".join(sentence(rng, words, topic) for _ in range(rng.randint(2, 7))) + "\n\n"
        parts.append(para)
        size += len(para)
    return "".join(parts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[2])
    ap.add_argument("outdir")
    ap.add_argument("size_mb", type=float)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--vocab", type=int, default=60000, help="synthetic stems")
    a = ap.parse_args()

    rng = random.Random(a.seed)
    vocab = build_vocab(rng, a.vocab)
    names = [synth_word(rng) for _ in range(2000)]
    words = Words(rng, vocab)
    total, goal, n = 0, int(a.size_mb * 1e6), 0
    while total < goal:
        # log-normal sizes: median e^8.8 ~ 6.6 kB, clamped to 300 B .. 200 kB
        target = min(200000, max(300, int(math.exp(rng.gauss(8.8, 0.9)))))
        text = article(rng, words, names, min(target, goal - total)).encode("ascii")
        d = os.path.join(a.outdir, "d%04d" % (n // 500))
        if n % 500 == 0:
            os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "a%07d.txt" % n), "wb") as f:
            f.write(text)
        total += len(text)
        n += 1
    print("gen-corpus: %d files, %d bytes in %s" % (n, total, a.outdir), file=sys.stderr)


if __name__ == "__main__":
    main()
