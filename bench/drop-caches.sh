#!/bin/sh
# drop-caches.sh - empty the page cache (dirty pages written first), for
# run-bench.sh's BENCH_CACHE=cold: before each build, and through hyperfine's
# --prepare before each timed query run. Root only.
sync
echo 3 >/proc/sys/vm/drop_caches
