#!/usr/bin/env python3
"""prep-input.py SRC OUT [--slice-mb N]

Prepares one benchmark input for bench/run-bench.sh, so that every tool gets
the same documents and every MB/s figure divides the same byte count:

  OUT/plain/       the corpus with .gz files decompressed, for the peers (the
                   bare Xapian loop, FTS5, omindex, rg), which do not read gzip.
                   Names lose ".gz", and a name not ending in .txt/.html/.htm
                   gains ".txt" (foo.1.gz -> foo.1.txt, bar.pod -> bar.pod.txt)
                   so omindex sees text/plain by extension rather than guessing.
                   Files that need no change are hard links (copies across
                   file systems).
  OUT/orig/        only with --slice-mb: hard links to the chosen original
                   files (.gz kept), the directory lode indexes.
  OUT/plain.list   absolute paths of OUT/plain's files, one a line
  OUT/input.env    shell assignments: SRC ORIG_DIR PLAIN_DIR FILES BYTES
                   (BYTES = uncompressed bytes, the MB/s numerator) and KEY.

--slice-mb N keeps about N MB (uncompressed) of files spread evenly over the
sorted file list, so every sub-corpus is represented. Re-running with an
unchanged SRC and the same options reuses OUT (KEY in input.env matches).
"""
import argparse
import gzip
import os
import shlex
import shutil
import struct
import sys


def walk(src):
    """Regular files under SRC, sorted by relative path."""
    out = []
    for root, dirs, files in os.walk(src):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(root, f)
            if os.path.isfile(p) and not os.path.islink(p):
                out.append(os.path.relpath(p, src))
    return sorted(out)


def plain_size(path):
    """Uncompressed size: gzip's trailer (ISIZE, mod 2^32) for .gz files."""
    if path.endswith(".gz"):
        with open(path, "rb") as f:
            f.seek(-4, os.SEEK_END)
            return struct.unpack("<I", f.read(4))[0]
    return os.path.getsize(path)


def plain_name(rel, taken):
    name = rel[:-3] if rel.endswith(".gz") else rel
    if not name.lower().endswith((".txt", ".html", ".htm")):
        name += ".txt"
    base, n = name, 1
    while name in taken:  # foo.gz beside foo: keep both
        name = "%s~%d" % (base, n)
        n += 1
    taken.add(name)
    return name


def link_or_copy(src, dst):
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def pick_slice(src, rels, slice_bytes):
    """About slice_bytes of files: every k-th file of the sorted list, k from
    the byte ratio, so files and bytes shrink alike and every sub-corpus stays."""
    total = sum(plain_size(os.path.join(src, r)) for r in rels)
    if total <= slice_bytes:
        return rels
    frac = slice_bytes / total
    return [r for i, r in enumerate(rels) if int((i + 1) * frac) > int(i * frac)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--slice-mb", type=float, default=0)
    a = ap.parse_args()
    src = os.path.abspath(a.src)
    out = os.path.abspath(a.out)

    rels = walk(src)
    if not rels:
        sys.exit("prep-input: no files under %s" % src)
    st = [os.stat(os.path.join(src, r)) for r in rels]
    key = "v2|%s|%g|%d|%d|%d" % (src, a.slice_mb, len(rels), sum(s.st_size for s in st),
                              max(int(s.st_mtime) for s in st))
    env_path = os.path.join(out, "input.env")
    if os.path.exists(env_path):
        with open(env_path) as f:
            if "KEY=%s\n" % shlex.quote(key) in f.read():
                print("prep-input: reusing %s" % out, file=sys.stderr)
                return

    for d in ("plain", "orig"):
        shutil.rmtree(os.path.join(out, d), ignore_errors=True)
    if a.slice_mb > 0:
        rels = pick_slice(src, rels, a.slice_mb * 1e6)
        orig = os.path.join(out, "orig")
        for r in rels:
            os.makedirs(os.path.dirname(os.path.join(orig, r)), exist_ok=True)
            link_or_copy(os.path.join(src, r), os.path.join(orig, r))
    else:
        orig = src

    plain = os.path.join(out, "plain")
    taken, paths, nbytes = set(), [], 0
    for r in rels:
        dst = os.path.join(plain, plain_name(r, taken))
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        s = os.path.join(orig, r)
        if r.endswith(".gz"):
            try:
                with gzip.open(s, "rb") as fi, open(dst, "wb") as fo:
                    shutil.copyfileobj(fi, fo, 1 << 20)
            except (OSError, EOFError) as e:  # a broken .gz: peers get its bytes
                print("prep-input: %s: %s; copied as is" % (s, e), file=sys.stderr)
                shutil.copyfile(s, dst)
        else:
            link_or_copy(s, dst)
        paths.append(dst)
        nbytes += os.path.getsize(dst)

    with open(os.path.join(out, "plain.list"), "w") as f:
        f.writelines(p + "\n" for p in paths)
    with open(env_path, "w") as f:
        for k, v in (("SRC", src), ("ORIG_DIR", orig), ("PLAIN_DIR", plain),
                     ("FILES", len(paths)), ("BYTES", nbytes), ("KEY", key)):
            f.write("%s=%s\n" % (k, shlex.quote(str(v))))
    print("prep-input: %d files, %d bytes uncompressed -> %s" % (len(paths), nbytes, out),
          file=sys.stderr)


if __name__ == "__main__":
    main()
