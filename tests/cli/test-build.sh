#!/bin/sh
# The build's promises: exported symbols, --version, help, man pages in step
# with --help, and the README's C example compiling against an install.
. "$(dirname "$0")/lib.sh"
B=${LODE_BUILD:-build}

want=$(sed -n 's/^#define LODE_VERSION_STRING "\(.*\)"/\1/p' "$TOP/include/lode.h")
run "$LODE" --version
expect_eq "--version prints the header's version" "$(cat "$T/out")" "lode $want"

bad=$(nm -D --defined-only "$TOP/$B/liblode.so" | awk '$2 ~ /^[TDBRVW]$/ && $3 !~ /^lode_/ {print $3}' | head -5)
expect_eq "liblode.so exports only lode_ symbols" "$bad" ""
n=$(nm -D --defined-only "$TOP/$B/liblode.so" | grep -c ' lode_')
[ "$n" -gt 20 ] && ok "liblode.so exports the API ($n symbols)" || fail "liblode.so exports the API" "$n symbols"

run "$LODE" help
expect_rc "help: exit 0" 0
for c in index search stats check eval compact merge serve; do
  grep -q "^  $c " "$T/out" && ok "help lists $c" || fail "help lists $c"
  run "$LODE" help "$c"
  expect_rc "help $c: exit 0" 0
  # every long option of the usage text is documented in the man page
  for o in $(grep -o -- '--[a-z][a-z0-9-]*' "$T/out" | sort -u); do
    grep -q -- "$(printf '%s' "$o" | sed 's/-/\\\\-/g')" "$TOP/man/lode-$c.1" 2>/dev/null ||
      grep -q -- "$o" "$TOP/man/lode-$c.1" 2>/dev/null ||
      fail "man/lode-$c.1 documents $o"
  done
done
run "$LODE" frobnicate
expect_rc "unknown command: exit 2" 2
expect_err "unknown command: says so" "no such command: frobnicate"
run "$LODE"
expect_rc "no command: exit 2" 2

# The README's example, against an installed liblode.
DEST="$T/inst"
san=""; sanflags=""
if [ "$B" = build-san ]; then san="SANITIZE=1"; sanflags="-fsanitize=address,undefined"; fi
make -C "$TOP" --no-print-directory -s install $san DESTDIR="$DEST" PREFIX=/usr/local >/dev/null 2>"$T/err"
expect_rc_install=$?
[ $expect_rc_install -eq 0 ] && ok "make install DESTDIR" || fail "make install DESTDIR" "$(head -c 300 "$T/err")"
sed -n '/^```c$/,/^```$/p' "$TOP/README.md" | sed '1d;$d' > "$T/example.c"
if [ -s "$T/example.c" ]; then
  pc="$DEST/usr/local/lib/pkgconfig"
  sed -i "s|^prefix=.*|prefix=$DEST/usr/local|; s|^libdir=.*|libdir=$DEST/usr/local/lib|; s|^includedir=.*|includedir=$DEST/usr/local/include|" "$pc/lode.pc"
  if cc $sanflags -o "$T/example" "$T/example.c" $(PKG_CONFIG_PATH="$pc" pkg-config --cflags --libs lode) 2>"$T/err"; then
    ok "README example compiles against lode.pc"
    "$LODE" index -q -i "$T/ex-idx" "$TOP/samples" >/dev/null 2>&1
    LD_LIBRARY_PATH="$DEST/usr/local/lib" "$T/example" "$T/ex-idx" harbour > "$T/out" 2>"$T/err"
    rc=$?
    expect_rc "README example runs" 0
    expect_out "README example finds the article" "harbour-strike.txt"
  else
    fail "README example compiles against lode.pc" "$(head -c 500 "$T/err")"
  fi
else
  fail "README has a C example"
fi
