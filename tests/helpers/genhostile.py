#!/usr/bin/env python3
"""genhostile.py DIR [--big-mb N] - write the hostile corpus of
tests/cli/test-hostile.sh into DIR: files that are malformed, huge, strange
or dangerous to a careless reader, each holding a marker word (hostileNAME)
where it has text at all, and good files ("goodN") between them.

Nothing is downloaded; the same arguments give the same bytes. Layout:
  DIR/skips/     files lode must skip, or index despite their bytes (exit 0)
  DIR/fails/     files lode must report as failed (exit 1)
  DIR/big/       the long single line (indexed or skipped per --max-size)
  DIR/deep/      a 10,000-deep directory path
  DIR/names/     file names with a newline and with invalid UTF-8
"""
import gzip
import os
import sys
import zlib


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def text(marker, extra=b""):
    """A small article holding MARKER (bytes)."""
    return (b"Notes on " + marker + b"\n\nThe harbour pilots met on Tuesday. " + marker +
            b" was the word of the day.\n" + extra)


def good_files(d, first, n):
    for i in range(first, first + n):
        write(os.path.join(d, "good%02d.txt" % i),
              b"A good plain article good%d about lighthouses and tides.\n" % i)


def utf8_cases(d):
    """Invalid UTF-8 at every kind of position; each file is still text."""
    cases = {
        "badlead": b"caf\xff word hostilebadlead next \xfe\xfd words.\n",
        "lonecont": b"alpha \x80 hostilelonecont \xbf omega\n",
        "truncmid": b"euro \xe2\x82 hostiletruncmid and more text\n",
        "trunceof": b"hostiletrunceof ends in a cut sequence \xe2\x82",
        "trunc4": b"hostiletrunc4 four byte cut \xf0\x9f\x98",
        "overlong": b"slash \xc0\xaf dot \xe0\x80\xae hostileoverlong \xf0\x80\x80\xaf\n",
        "surrogate": b"half \xed\xa0\x80 pair \xed\xbf\xbf hostilesurrogate\n",
        "beyond": b"too high \xf4\x90\x80\x80 \xf5\x80\x80\x80 hostilebeyond\n",
    }
    for name, body in cases.items():
        write(os.path.join(d, "utf8-%s.txt" % name), body)


def utf16_cases(d):
    body = "Über die Brücke hostileutf16%s und zurück.\n"
    write(os.path.join(d, "utf16le-bom.txt"), b"\xff\xfe" + (body % "le").encode("utf-16-le"))
    write(os.path.join(d, "utf16be-bom.txt"), b"\xfe\xff" + (body % "be").encode("utf-16-be"))
    write(os.path.join(d, "utf16le-nobom.txt"), (body % "nobom").encode("utf-16-le"))


def markup_cases(d):
    # 100,000 unclosed tags around some text
    write(os.path.join(d, "unclosed.html"),
          b"<html><head><title>hostileunclosed</title></head><body>" +
          b"<div><span><b>" * 33334 + b"<p>deep text hostileunclosedbody</p>")
    # deeply nested Markdown: block quotes and lists
    write(os.path.join(d, "nested-quote.md"),
          b"# hostilequote\n\n" + b">" * 10000 + b" hostilequotebody\n")
    write(os.path.join(d, "nested-list.md"),
          b"# hostilelist\n\n" + b"".join(b"  " * i + b"- item\n" for i in range(2000)) +
          b"hostilelistbody\n")
    write(os.path.join(d, "nested-emph.md"),
          b"# hostileemph\n\n" + b"*_" * 20000 + b"hostileemphbody" + b"_*" * 20000 + b"\n")
    write(os.path.join(d, "brackets.md"),
          b"# hostilebrackets\n\n" + b"[" * 50000 + b"hostilebracketsbody" + b"](x)" * 100 + b"\n")
    # JSON lines with broken lines among good ones (lines 2, 4 and 5 bad)
    write(os.path.join(d, "mixed.jsonl"),
          b'{"id": "j1", "title": "First", "text": "hostilejsonone"}\n'
          b'{"id": "j2", "title": "Broken", "text": "unterminated\n'
          b'{"id": "j3", "title": "Third", "text": "hostilejsonthree"}\n'
          b'[1, 2, 3]\n'
          b'{"id": "j5", "text": \xff\xfe}\n'
          b'{"id": "j6", "title": "Sixth", "text": "hostilejsonsix"}\n')
    # an mbox whose MIME is broken in several ways; each message keeps its text
    write(os.path.join(d, "broken.mbox"),
          b"From a@example.org Mon Jan  1 00:00:00 2024\n"
          b"From: a@example.org\nSubject: no closing boundary\nMIME-Version: 1.0\n"
          b'Content-Type: multipart/mixed; boundary="XYZ"\n\n'
          b"--XYZ\nContent-Type: text/plain\n\nhostilemimeone body text\n"
          b"\nFrom b@example.org Mon Jan  1 00:00:00 2024\n"
          b"From: b@example.org\nSubject: bad base64 hostilemimetwo\nMIME-Version: 1.0\n"
          b"Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\n"
          b"!!!not base64 at all!!!\n"
          b"\nFrom c@example.org Mon Jan  1 00:00:00 2024\n"
          b"From: c@example.org\nSubject: unknown charset\nMIME-Version: 1.0\n"
          b"Content-Type: text/plain; charset=x-no-such-charset\n\nhostilemimethree caf\xe9\n"
          b"\nFrom d@example.org Mon Jan  1 00:00:00 2024\n"
          b"From: d@example.org\nSubject: boundary missing\nMIME-Version: 1.0\n"
          b"Content-Type: multipart/alternative\n\nhostilemimefour stray text\n"
          b"\nFrom e@example.org Mon Jan  1 00:00:00 2024\n"
          b"From: e@example.org\nSubject: =?utf-8?B?broken?= =?x-bad?Q?=ZZ?= hostilemimefive\n"
          b"Content-Type: multipart/mixed; boundary=\"" + b"B" * 5000 + b"\"\n\n"
          b"--" + b"B" * 5000 + b"\n\n" + b"--" + b"B" * 5000 + b"--\n")
    # a mailbox whose first message carries a raw binary attachment (NUL
    # bytes, no transfer encoding): the other messages and parts still count
    write(os.path.join(d, "binary-part.mbox"),
          b"From a@example.org Mon Jan  1 00:00:00 2024\n"
          b"From: a@example.org\nSubject: with an attachment\nMIME-Version: 1.0\n"
          b'Content-Type: multipart/mixed; boundary="QQ"\n\n'
          b"--QQ\nContent-Type: text/plain\n\nhostilebinpartone the text part\n"
          b"--QQ\nContent-Type: application/octet-stream\n\n" +
          bytes(range(256)) * 4 + b"\n--QQ--\n"
          b"\nFrom b@example.org Mon Jan  1 00:00:00 2024\n"
          b"From: b@example.org\nSubject: plain hostilebinparttwo\n\nA plain message.\n")


def skip_cases(d):
    write(os.path.join(d, "empty.txt"), b"")
    write(os.path.join(d, "empty.md"), b"")
    write(os.path.join(d, "nul.txt"), b"hostilenul text\x00\x00\x00 with NUL bytes\x00" * 20)
    # a gzip bomb: 200 MB of text in about 200 KB (skipped at --max-size 64M)
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"a" * (1 << 20)
    parts = [c.compress(chunk) for _ in range(200)]
    write(os.path.join(d, "bomb.txt.gz"), b"".join(parts) + c.flush())
    # gzip inside gzip: unpacked (three layers at most)
    write(os.path.join(d, "nested2.txt.gz"), gzip.compress(gzip.compress(text(b"hostilenested2"), mtime=0), mtime=0))


def fail_cases(d):
    full = gzip.compress(text(b"hostiletruncgz", b"more words\n" * 200), mtime=0)
    write(os.path.join(d, "truncated.txt.gz"), full[: len(full) // 2])
    write(os.path.join(d, "corrupt.txt.gz"), full[:20] + b"\x00garbage\xff" * 10 + full[-8:])
    # gzip inside gzip five times: beyond the three layers unpacked
    inner = text(b"hostilenested5")
    for _ in range(5):
        inner = gzip.compress(inner, mtime=0)
    write(os.path.join(d, "nested5.txt.gz"), inner)


def names(d):
    write(os.path.join(d, "new\nline.txt"), text(b"hostilenewline"))
    write(os.fsdecode(os.path.join(os.fsencode(d), b"bad\xffname.txt")), text(b"hostilebadname"))
    write(os.path.join(d, "tab\tand\x1bescape.txt"), text(b"hostileescape"))
    # the same strange names, empty: each gets its one "skipped" line
    write(os.path.join(d, "empty\nnewline.txt"), b"")
    write(os.fsdecode(os.path.join(os.fsencode(d), b"empty\xfe.txt")), b"")


def deep(d, levels):
    """DIR/deep/d/d/d/... LEVELS deep, a file near the top and at the bottom."""
    os.makedirs(d, exist_ok=True)
    write(os.path.join(d, "top.txt"), text(b"hostiledeeptop"))
    fd = os.open(d, os.O_RDONLY)
    try:
        for i in range(levels):
            os.mkdir("d", dir_fd=fd)
            nfd = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = nfd
            if i == 3:
                wfd = os.open("shallow.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
                os.write(wfd, text(b"hostiledeepshallow"))
                os.close(wfd)
        wfd = os.open("bottom.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(wfd, text(b"hostiledeepbottom"))
        os.close(wfd)
    finally:
        os.close(fd)


def main():
    d = sys.argv[1]
    big_mb = 100
    if "--big-mb" in sys.argv:
        big_mb = int(sys.argv[sys.argv.index("--big-mb") + 1])
    skips = os.path.join(d, "skips")
    good_files(skips, 0, 5)
    utf8_cases(skips)
    utf16_cases(skips)
    markup_cases(skips)
    skip_cases(skips)
    good_files(skips, 5, 5)
    fails = os.path.join(d, "fails")
    good_files(fails, 10, 3)
    fail_cases(fails)
    # the long line: words, no newline
    line = b"hostilebigline " + b"lorem ipsum dolor sit amet " * (big_mb * (1 << 20) // 27)
    write(os.path.join(d, "big", "oneline.txt"), line + b"hostilebigend")
    deep(os.path.join(d, "deep"), 10000)
    names(os.path.join(d, "names"))


if __name__ == "__main__":
    main()
