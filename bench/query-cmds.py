#!/usr/bin/env python3
"""query-cmds.py [--rg] QUERIES CMD...

Prints one shell-quoted command line per query of QUERIES (blank lines and
lines starting with # are skipped), for `hyperfine -N`: CMD with the argument
"{}" replaced by the query as one argument.

With --rg, "{}" becomes grep patterns instead: "-F -e P" for each word or
"phrase" that a match must contain (AND/OR dropped, NOT and its operand
dropped, parentheses dropped), so rg makes one pass for any of them. A pass
over every byte is the least any grep must do for the query; requiring all
of an AND's terms in one file would need more passes, so rg's figure is a
lower bound for a grep user.
"""
import shlex
import sys


def rg_patterns(query):
    """The words and phrases of QUERY in the shared syntax, without operators."""
    items, i, n = [], 0, len(query)
    while i < n:
        c = query[i]
        if c.isspace() or c in "()":
            i += 1
        elif c == '"':
            j = query.find('"', i + 1)
            j = n if j < 0 else j
            items.append(" ".join(query[i + 1:j].split()))
            i = j + 1
        else:
            j = i
            while j < n and not query[j].isspace() and query[j] not in '()"':
                j += 1
            items.append(query[i:j])
            i = j
    out, skip = [], False
    for w in items:
        if w == "NOT":
            skip = True
        elif w in ("AND", "OR"):
            continue
        elif skip:
            skip = False
        elif w:
            out.append(w)
    return out


def main():
    args = sys.argv[1:]
    rg = bool(args) and args[0] == "--rg"
    if rg:
        args = args[1:]
    if len(args) < 2 or "{}" not in args[1:]:
        sys.exit("usage: query-cmds.py [--rg] QUERIES CMD... (CMD has an argument {})")
    with open(args[0], encoding="utf-8") as f:
        queries = [q.strip() for q in f if q.strip() and not q.lstrip().startswith("#")]
    for q in queries:
        cmd = []
        for a in args[1:]:
            if a != "{}":
                cmd.append(a)
            elif rg:
                cmd.append("-F")
                for p in rg_patterns(q):
                    cmd += ["-e", p]
            else:
                cmd.append(q)
        print(" ".join(shlex.quote(a) for a in cmd))


if __name__ == "__main__":
    main()
