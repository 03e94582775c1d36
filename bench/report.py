#!/usr/bin/env python3
"""report.py RAWDIR OUTDIR

Turns the measurements bench/run-bench.sh left in RAWDIR into
  - a table on stdout (index build, query latency, the ratios the goals need),
  - OUTDIR/results.json (the same, machine-readable),
  - OUTDIR/throughput.png (MB/s per tool) and, when RAWDIR/scale.tsv exists,
    OUTDIR/scale.png (MB/s against corpus size), drawn by gnuplot if present.

RAWDIR holds meta.env (KEY=VALUE lines), build.tsv (one row per builder and
round: a builder's figures are those of its quickest round),
lat-<tool>.r<N>.json (hyperfine --export-json of round N, one command per
query; for the searchers and for the latency floors: the percentiles pool
every round), lat-<tool>.na (why a floor could not run) and optionally
scale.tsv. MB means 10^6 bytes everywhere; MB/s divides the
uncompressed input size, whatever the tool read.
"""
import glob
import json
import os
import shlex
import shutil
import subprocess
import sys

BUILDERS = ["lode -j1", "lode -j2", "xapian bare", "fts5", "clucene", "lucene++", "omindex"]
SEARCHERS = ["lode", "fts5", "rg"]
# Latency floors: timed like the searchers on the same command lines, they say
# what starting a process costs on this machine. Not peers: none of them
# answers the query as the searchers do.
FLOORS = [
    ("noop-c", "an empty C process (/bin/true)"),
    ("noop-xapian", "links libxapian, opens the lode index, exits"),
    ("quest", "xapian-tools quest -m 10 -s none on the lode index"),
    ("lode-nosnip", "lode search --snippets 0"),
]
# What a row's figures cover when it does less work than the others: shown in
# the note column of a row that ran (a failed row's note says why instead).
CAVEATS = {
    "clucene": "StandardAnalyzer: no stemming, no stored text",
    "lucene++": "StandardAnalyzer: no stemming, no stored text",
}
BUILD_COLS = ["tool", "status", "wall_s", "peak_kb", "user_s", "sys_s", "index_bytes",
              "docs_indexed", "note", "round"]


def read_env(path):
    env = {}
    with open(path) as f:
        for line in f:
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                env[k] = " ".join(shlex.split(v)) if v else ""
    return env


def num(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


def read_tsv(path, cols):
    rows = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                vals = line.rstrip("\n").split("\t")
                rows.append(dict(zip(cols, vals + [""] * (len(cols) - len(vals)))))
    return rows


def percentile(xs, p):
    """Linear interpolation between closest ranks (numpy's default)."""
    xs = sorted(xs)
    if not xs:
        return None
    k = (len(xs) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def ratio(a, b):
    return a / b if a is not None and b else None


def best_rounds(rows):
    """Per tool, the row of its fastest successful round (else its last row),
    and the wall seconds of every successful round in round order."""
    best, walls = {}, {}
    for r in rows:
        t, w = r["tool"], num(r.get("wall_s"))
        if r.get("status") == "ok" and w is not None:
            walls.setdefault(t, []).append(w)
            b = best.get(t)
            if b is None or b.get("status") != "ok" or w < num(b.get("wall_s")):
                best[t] = r
        elif best.get(t, {}).get("status") != "ok":
            best[t] = r
    return best, walls


def build_results(raw, meta):
    nbytes, nfiles = num(meta.get("BYTES")), num(meta.get("FILES"))
    rows, walls = best_rounds(read_tsv(os.path.join(raw, "build.tsv"), BUILD_COLS))
    out = []
    for tool in BUILDERS:
        r = rows.get(tool, {"tool": tool, "status": "n/a", "note": "not run"})
        ok = r.get("status") == "ok"
        wall = num(r.get("wall_s")) if ok else None
        peak = num(r.get("peak_kb"))
        idx = num(r.get("index_bytes"))
        u, sy = num(r.get("user_s")), num(r.get("sys_s"))
        note = r.get("note", "")
        if ok and tool in CAVEATS:
            note = "; ".join(n for n in (CAVEATS[tool], note) if n)
        w = walls.get(tool, [])
        if ok and len(w) > 1:
            note = "; ".join(n for n in ("best of %d rounds (%s s)" % (
                len(w), "/".join("%.1f" % x for x in w)), note) if n)
        out.append({
            "tool": tool, "status": r.get("status", "n/a"), "note": note,
            "wall_s": wall,
            "mb_per_s": nbytes / 1e6 / wall if wall else None,
            "docs_per_s": nfiles / wall if wall else None,
            "mb_per_cpu_s": nbytes / 1e6 / (u + sy) if ok and u is not None and sy is not None
            and u + sy > 0 else None,
            "peak_rss_mb": peak * 1024 / 1e6 if ok and peak else None,
            "index_mb": idx / 1e6 if ok and idx else None,
            "user_s": num(r.get("user_s")) if ok else None,
            "sys_s": num(r.get("sys_s")) if ok else None,
            "docs_indexed": int(num(r["docs_indexed"])) if ok and num(r.get("docs_indexed"))
            is not None else None,
            "wall_s_rounds": w,
        })
    ref = next(b["mb_per_s"] for b in out if b["tool"] == "lode -j2")
    for b in out:
        b["ratio_to_lode_j2"] = ratio(b["mb_per_s"], ref)
    return out


def latency_row(raw, tool):
    """p50 and p95 (ms) over every timed run of every query of every round
    (lat-TOOL.rN.json)."""
    times, errors, queries = [], 0, set()
    for path in sorted(glob.glob(os.path.join(raw, "lat-%s.r*.json" % tool))):
        with open(path) as f:
            for res in json.load(f).get("results", []):
                queries.add(res.get("command"))
                times += [t * 1000 for t in res.get("times", [])]
                errors += sum(1 for c in res.get("exit_codes", []) if c not in (0, 1))
    return {"tool": tool, "status": "ok" if times else "n/a", "queries": len(queries),
            "runs": len(times), "error_runs": errors,
            "p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95)}


def latency_results(raw):
    out = [latency_row(raw, tool) for tool in SEARCHERS]
    ref = out[0]["p50_ms"]
    for r in out:
        r["ratio_to_lode"] = ratio(r["p50_ms"], ref)
    return out


def floor_results(raw, lode_p50):
    """The floor rows; a floor that did not run says why (lat-TOOL.na)."""
    out = []
    for tool, what in FLOORS:
        r = latency_row(raw, tool)
        r["what"] = what
        r["ratio_to_lode"] = ratio(r["p50_ms"], lode_p50)
        if r["status"] != "ok":
            try:
                with open(os.path.join(raw, "lat-%s.na" % tool)) as f:
                    r["note"] = f.read().strip()
            except OSError:
                r["note"] = "not run" if not r["queries"] else "every run failed"
        out.append(r)
    return out


def diff(a, b):
    return a - b if a is not None and b is not None else None


def floor_summary(lat, floors):
    """Each searcher's p50 less the floor it stands on, and the lode p50 the
    two latency goals ask for, in ms (None where a figure is missing)."""
    p = {x["tool"]: x["p50_ms"] for x in lat}
    f = {x["tool"]: x["p50_ms"] for x in floors}
    return {
        "lode_p50_minus_noop_xapian_ms": diff(p["lode"], f["noop-xapian"]),
        "fts5_p50_minus_noop_c_ms": diff(p["fts5"], f["noop-c"]),
        "lode_p50_needed_fts5_ms": p["fts5"] / 3 if p["fts5"] is not None else None,
        "lode_p50_needed_rg_ms": p["rg"] / 25 if p["rg"] is not None else None,
        "noop_xapian_p50_ms": f["noop-xapian"],
        "noop_c_p50_ms": f["noop-c"],
        "quest_p50_ms": f.get("quest"),
    }


def rerun_seconds(raw, tag=""):
    """Wall seconds of lode's update over the unchanged tree (the quickest
    round's), or None."""
    best = None
    # rerun-<tag>r<round>.time: this corpus's rounds only (not rerun-scale-*)
    for path in glob.glob(os.path.join(raw, "rerun-%sr[0-9]*.time" % tag)):
        try:
            with open(path) as f:
                s = num(f.read().split()[-1])
        except (OSError, IndexError):
            continue
        if s is not None and (best is None or s < best):
            best = s
    return best


def goal_ratios(build, lat, rerun_s=None):
    b = {x["tool"]: x["mb_per_s"] for x in build}
    p = {x["tool"]: x["p50_ms"] for x in lat}
    row = {x["tool"]: x for x in build}
    j2 = row.get("lode -j2", {})
    fts = row.get("fts5", {})
    return {
        "lode_peak_rss_mb_max": max([x for x in (row.get("lode -j1", {}).get("peak_rss_mb"),
                                                 j2.get("peak_rss_mb")) if x] or [None]),
        "lode_j2_index_over_fts5_index": ratio(j2.get("index_mb"), fts.get("index_mb")),
        "lode_unchanged_rerun_over_build": ratio(rerun_s, j2.get("wall_s")),
        "lode_j1_over_xapian_bare": ratio(b["lode -j1"], b["xapian bare"]),
        "lode_j2_over_lode_j1": ratio(b["lode -j2"], b["lode -j1"]),
        "lode_j2_over_fts5": ratio(b["lode -j2"], b["fts5"]),
        "lode_j2_over_clucene": ratio(b["lode -j2"], b["clucene"]),
        "lode_j2_over_lucenepp": ratio(b["lode -j2"], b["lucene++"]),
        "lode_p50_over_fts5_p50": ratio(p["lode"], p["fts5"]),
        "rg_p50_over_lode_p50": ratio(p["rg"], p["lode"]),
    }


def fmt(v, spec):
    return "n/a" if v is None else format(v, spec)


def print_floors(lat, floors, fs):
    print()
    print("Latency floors (not peers): the same queries, runs and hyperfine settings")
    print("%-12s %9s %9s %12s %7s  %s" % ("floor", "p50 ms", "p95 ms", "p50 vs lode", "errors",
                                         "what it measures"))
    for r in floors:
        print("%-12s %9s %9s %12s %7s  %s" % (
            r["tool"], fmt(r["p50_ms"], ".1f"), fmt(r["p95_ms"], ".1f"),
            fmt(r["ratio_to_lode"], ".2f"), r["error_runs"] if r["status"] == "ok" else "n/a",
            r["what"] if r["status"] == "ok" else r["what"] + ": " + r["note"]))
    p = {x["tool"]: x["p50_ms"] for x in lat}
    print()
    print("  %-40s %7s ms   (lode p50 %s - noop-xapian p50 %s)" % (
        "lode's own work per query", fmt(fs["lode_p50_minus_noop_xapian_ms"], ".1f"),
        fmt(p["lode"], ".1f"), fmt(fs["noop_xapian_p50_ms"], ".1f")))
    print("  %-40s %7s ms   (fts5 p50 %s - noop-c p50 %s)" % (
        "fts5's own work per query", fmt(fs["fts5_p50_minus_noop_c_ms"], ".1f"),
        fmt(p["fts5"], ".1f"), fmt(fs["noop_c_p50_ms"], ".1f")))
    for key, how in (("lode_p50_needed_fts5_ms", "fts5 p50 / 3"),
                     ("lode_p50_needed_rg_ms", "rg p50 / 25")):
        # quest: what Xapian's own search takes with no snippets at all
        print("  %-40s %7s ms   (%s; floor noop-xapian %s ms, quest %s ms)" % (
            "lode p50 the goal needs, at most", fmt(fs[key], ".1f"), how,
            fmt(fs["noop_xapian_p50_ms"], ".1f"), fmt(fs["quest_p50_ms"], ".1f")))


def print_tables(meta, build, lat, floors, fs, ratios, scale):
    print()
    print("Index build: %s, %s files, %.1f MB uncompressed; page cache %s; %s CPUs%s" % (
        meta.get("CORPUS", "?"), meta.get("FILES", "?"), (num(meta.get("BYTES")) or 0) / 1e6,
        meta.get("CACHE", "?"), meta.get("NPROC", "?"),
        "; BENCH_QUICK slice" if meta.get("QUICK") == "1" else ""))
    if meta.get("ROUNDS", "1") != "1":
        print("each builder ran once in each of %s rounds, in turn; its best round is shown" %
              meta["ROUNDS"])
    load = num((meta.get("LOADAVG") or "").split(" ")[0])
    if load is not None and load > (num(meta.get("NPROC")) or 1) / 2:
        print("note: load average %.1f at the start: other work shares the CPUs; compare "
              "CPU s as well as MB/s" % load)
    print("%-12s %8s %9s %8s %12s %9s %12s  %s" % ("tool", "MB/s", "docs/s", "CPU s",
                                                   "peak RSS MB", "index MB", "vs lode -j2",
                                                   "note"))
    for b in build:
        cpu = b["user_s"] + b["sys_s"] if b["user_s"] is not None and b["sys_s"] is not None \
            else None
        print("%-12s %8s %9s %8s %12s %9s %12s  %s" % (
            b["tool"], fmt(b["mb_per_s"], ".2f"), fmt(b["docs_per_s"], ".0f"), fmt(cpu, ".1f"),
            fmt(b["peak_rss_mb"], ".0f"), fmt(b["index_mb"], ".1f"),
            fmt(b["ratio_to_lode_j2"], ".2f"), b["note"]))
    print()
    rounds = meta.get("ROUNDS", "1")
    print("Query latency: one process per query, %s queries x %s runs%s (page cache %s%s)" % (
        meta.get("NQUERIES", "?"), meta.get("RUNS", "?"),
        " x %s rounds" % rounds if rounds != "1" else "", meta.get("CACHE", "?"),
        ": dropped before each run" if meta.get("CACHE") == "cold" else ""))
    print("%-12s %9s %9s %12s %7s" % ("tool", "p50 ms", "p95 ms", "p50 vs lode", "errors"))
    for r in lat:
        print("%-12s %9s %9s %12s %7s" % (r["tool"], fmt(r["p50_ms"], ".1f"),
                                         fmt(r["p95_ms"], ".1f"), fmt(r["ratio_to_lode"], ".2f"),
                                         r["error_runs"] if r["status"] == "ok" else "n/a"))
    print_floors(lat, floors, fs)
    print()
    print("Ratios for the goals")
    goals = {  # what each line is held to (issue 5 and issue 4)
        "lode_peak_rss_mb_max": "<= 256", "lode_j2_index_over_fts5_index": "<= 1",
        "lode_unchanged_rerun_over_build": "< 0.02", "lode_j1_over_xapian_bare": ">= 2.5",
        "lode_j2_over_lode_j1": ">= 1.8", "lode_j2_over_fts5": ">= 1 (moonshot)",
        "lode_j2_over_clucene": "> 1", "lode_j2_over_lucenepp": "> 1",
        "lode_p50_over_fts5_p50": "<= 0.33", "rg_p50_over_lode_p50": ">= 25",
    }
    for k, v in ratios.items():
        print("  %-32s %8s   goal %s" % (k, fmt(v, ".3f" if v is not None and v < 0.1 else ".2f"),
                                        goals.get(k, "")))
    if scale:
        print()
        print("Scale curve (MB/s, generated corpus)")
        sizes = sorted({s["size_mb"] for s in scale})
        print("%-12s" % "tool" + "".join("%10s" % ("%g MB" % s) for s in sizes))
        for tool in BUILDERS:
            cells = {s["size_mb"]: s["mb_per_s"] for s in scale if s["tool"] == tool}
            print("%-12s" % tool + "".join("%10s" % fmt(cells.get(s), ".2f") for s in sizes))


def read_scale(raw):
    out = []
    for r in read_tsv(os.path.join(raw, "scale.tsv"),
                      ["size_mb", "tool", "status", "files", "bytes", "wall_s"]):
        wall, nbytes = num(r["wall_s"]), num(r["bytes"])
        out.append({"size_mb": num(r["size_mb"]), "tool": r["tool"], "status": r["status"],
                    "files": num(r["files"]), "bytes": nbytes, "wall_s": wall,
                    "mb_per_s": nbytes / 1e6 / wall if r["status"] == "ok" and wall else None})
    return out


def plot(outdir, build, scale, meta):
    """Writes the gnuplot data and scripts beside the PNGs; runs gnuplot if present."""
    gp = shutil.which("gnuplot")
    with open(os.path.join(outdir, "throughput.dat"), "w") as f:
        for b in build:
            v = b["mb_per_s"]
            f.write('"%s" %.3f "%s"\n' % (b["tool"], v or 0, "%.1f" % v if v else "n/a"))
    script = [
        'set terminal pngcairo size 800,480' if gp and _has_cairo(gp) else
        'set terminal png size 800,480',
        'set output "%s"' % os.path.join(outdir, "throughput.png"),
        'set title "Index build, %s (%.0f MB, page cache %s)"' % (
            os.path.basename(meta.get("CORPUS", "corpus").rstrip("/")),
            (num(meta.get("BYTES")) or 0) / 1e6, meta.get("CACHE", "?")),
        'set ylabel "MB/s of uncompressed input"', 'set style fill solid 0.6',
        'set boxwidth 0.6', 'set yrange [0:*]', 'set offsets 0, 0, graph 0.1, 0',
        'unset key', 'set grid ytics',
        'plot "%s" using 0:2:xtic(1) with boxes, "" using 0:2:3 with labels offset 0,1'
        % os.path.join(outdir, "throughput.dat"),
    ]
    # one data block per tool that has figures: gnuplot numbers blocks by data
    curves = [(t, sorted((s for s in scale if s["tool"] == t and s["mb_per_s"]),
                         key=lambda s: s["size_mb"])) for t in BUILDERS]
    curves = [(t, pts) for t, pts in curves if pts]
    if curves:
        with open(os.path.join(outdir, "scale.dat"), "w") as f:
            for tool, pts in curves:
                f.write('# "%s"\n' % tool)
                f.writelines("%g %.3f\n" % (p["size_mb"], p["mb_per_s"]) for p in pts)
                f.write("\n\n")
        script += [
            'set output "%s"' % os.path.join(outdir, "scale.png"),
            'set title "Index build throughput against corpus size (generated text)"',
            'set xlabel "corpus MB"', 'set logscale xy', 'set key outside right',
            'set offsets 0, 0, 0, 0', 'set yrange [*:*]',
            'unset xtics', 'set xtics', 'set autoscale x',
            'plot ' + ", ".join('"%s" index %d using 1:2 with linespoints title "%s"' % (
                os.path.join(outdir, "scale.dat"), i, t) for i, (t, _) in enumerate(curves)),
        ]
    with open(os.path.join(outdir, "plot.gp"), "w") as f:
        f.write("\n".join(script) + "\n")
    if not gp:
        print("report: gnuplot not installed; no PNG (see %s/plot.gp)" % outdir, file=sys.stderr)
        return
    r = subprocess.run([gp, os.path.join(outdir, "plot.gp")], capture_output=True, text=True)
    if r.returncode != 0:
        print("report: gnuplot failed: %s" % r.stderr.strip(), file=sys.stderr)


def _has_cairo(gp):
    r = subprocess.run([gp, "-e", "set terminal"], capture_output=True, text=True)
    return "pngcairo" in (r.stdout + r.stderr)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: report.py RAWDIR OUTDIR")
    raw, outdir = sys.argv[1], sys.argv[2]
    meta = read_env(os.path.join(raw, "meta.env"))
    build = build_results(raw, meta)
    lat = latency_results(raw)
    floors = floor_results(raw, lat[0]["p50_ms"])
    fs = floor_summary(lat, floors)
    ratios = goal_ratios(build, lat, rerun_seconds(raw, meta.get("TAG", "")))
    scale = read_scale(raw)
    print_tables(meta, build, lat, floors, fs, ratios, scale)
    with open(os.path.join(outdir, "results.json"), "w") as f:
        json.dump({"meta": meta, "build": build, "latency": lat, "latency_floors": floors,
                   "latency_floor_summary": fs, "ratios": ratios, "scale": scale},
                  f, indent=2)
        f.write("\n")
    plot(outdir, build, scale, meta)
    print("\nwrote %s/results.json, %s/throughput.png%s" % (
        outdir, outdir, ", %s/scale.png" % outdir if scale else ""))


if __name__ == "__main__":
    main()
