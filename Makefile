# lode - full-text search indexer.  `make help` lists the targets.
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR     ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR    ?=

CC  ?= cc
CXX ?= c++
AR  ?= ar
CFLAGS   ?= -O2 -g
CXXFLAGS ?= -O2 -g

VERSION := $(shell sed -n 's/^\#define LODE_VERSION_STRING "\(.*\)"/\1/p' include/lode.h)
SOVER   := 0

# SANITIZE=1 builds everything with ASan+UBSan into build-san/.
ifeq ($(SANITIZE),1)
B := build-san
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
B := build
SAN :=
endif
ifeq ($(WERROR),1)
WERR := -Werror
endif

ifeq ($(V),1)
Q :=
else
Q := @
endif

# libxml2 is linked only into the HTML module (html_module.h), which liblode
# loads on first use: `lode search` never loads it.
PKGS := libutf8proc md4c jansson zlib libdeflate
HTML_PKGS := libxml-2.0
XAPIAN_CONFIG ?= xapian-config
PKG_CFLAGS  = $(shell pkg-config --cflags $(PKGS) $(HTML_PKGS) 2>/dev/null)
# md4c is opened at run time, on the first Markdown document (parse_markdown.c)
PKG_LIBS    = $(shell pkg-config --libs $(filter-out md4c,$(PKGS)) 2>/dev/null)
HTML_LIBS   = $(shell pkg-config --libs $(HTML_PKGS) libutf8proc 2>/dev/null)
XAP_CFLAGS  = $(shell $(XAPIAN_CONFIG) --cxxflags 2>/dev/null)
XAP_LIBS    = $(shell $(XAPIAN_CONFIG) --libs 2>/dev/null)

WARN := -Wall -Wextra -Wshadow -Wno-unused-parameter $(WERR)
ALL_CFLAGS   = $(CFLAGS) -std=c11 -D_GNU_SOURCE -fPIC $(WARN) $(SAN) \
	       -Iinclude -Isrc -Ibindings $(PKG_CFLAGS) -MMD -MP
ALL_CXXFLAGS = $(CXXFLAGS) -std=c++17 -fPIC $(WARN) $(SAN) \
	       -Iinclude -Ibindings $(XAP_CFLAGS) -MMD -MP
# libstdc++ named right after libxapian: the dynamic linker looks symbols up
# in this order, and the C++ runtime's are most of what libxapian looks up at
# start (0.4M of the 15M instructions of a search)
LIBS_ALL     = $(XAP_LIBS) -lstdc++ -lm $(PKG_LIBS) -ldl -lpthread
# The lode program takes into itself the C libraries whose archive (.a) is
# installed: each shared one costs every lode process an open, five mmaps and
# its relocations at start (a tenth of a millisecond here). liblode.so and the
# tests use them shared; zlib, which libxapian loads anyway, stays so.
STATIC_C    := $(foreach l,utf8proc jansson deflate,\
		 $(if $(filter /%,$(shell $(CC) -print-file-name=lib$(l).a)),-l$(l)))
LODE_LIBS    = $(XAP_LIBS) -lstdc++ -lm -Wl,-Bstatic $(STATIC_C) -Wl,-Bdynamic \
	       $(filter-out $(STATIC_C),$(PKG_LIBS)) -ldl -lpthread
ALL_LDFLAGS  = $(LDFLAGS) $(SAN)

LIB_SRC  := $(sort $(wildcard src/*.c))
HTML_SRC := $(sort $(wildcard src/html/*.c))
BIND_SRC := $(sort $(wildcard bindings/*.cc))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/test_*.c))
HELPER_SRC := $(sort $(wildcard tests/helpers/*.c))
BENCH_SRC := $(sort $(wildcard bench/*.c))
BENCH_CXX := $(sort $(wildcard bench/*.cc))

LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o) $(BIND_SRC:%.cc=$(B)/%.o)
HTML_OBJ := $(HTML_SRC:%.c=$(B)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(B)/%.o)
HELPER_OBJ := $(HELPER_SRC:%.c=$(B)/%.o)
TESTS    := $(TEST_SRC:tests/%.c=$(B)/tests/%)
BENCHES  := $(BENCH_SRC:bench/%.c=$(B)/bench/%) $(BENCH_CXX:bench/%.cc=$(B)/bench/%)

# The Lucene peers of `make bench` are optional: BENCH_SKIP names the ones
# whose library pkg-config does not know or whose header does not preprocess
# (Lucene++'s needs Boost's); run-bench.sh prints "n/a" for them.
# scripts/install-deps --bench installs both. Recursively expanded, so only
# `make bench` pays for the test. Their headers come in with -isystem, so our
# warnings (and -Werror) cover only our own code.
hash := \#
have_cxx_lib = $(shell pkg-config --exists $(1) 2>/dev/null && \
	printf '$(hash)include <%s>\n' '$(2)' | \
	$(CXX) -std=c++17 -E -x c++ $(call lucene_cflags,$(1)) - >/dev/null 2>&1 && echo y)
BENCH_SKIP = $(if $(call have_cxx_lib,libclucene-core,CLucene.h),,$(B)/bench/clucene_build) \
	$(if $(call have_cxx_lib,liblucene++,lucene++/LuceneHeaders.h),,$(B)/bench/lucenepp_build)
lucene_cflags = $(patsubst -I%,-isystem %,$(shell pkg-config --cflags $(1) 2>/dev/null))

.PHONY: all check check-unit check-cli demo bench bench-quality install uninstall clean help deps fuzz tests
# ./lode is the normal build's; a SANITIZE=1 build stays in build-san/.
ifeq ($(SANITIZE),1)
all: $(B)/lode $(B)/liblode.so $(B)/liblode.a $(B)/lode-html.so $(B)/lode.pc
else
all: lode $(B)/liblode.so $(B)/liblode.a $(B)/lode-html.so $(B)/lode.pc
endif

deps:
	$(Q)scripts/install-deps

$(B)/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(B)/%.o: %.cc
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CXX     $<")
	$(Q)$(CXX) $(ALL_CXXFLAGS) -c $< -o $@

$(B)/liblode.a: $(LIB_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(B)/liblode.so: $(LIB_OBJ) liblode.map
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CXX) -shared -Wl,-soname,liblode.so.$(SOVER) -Wl,--version-script=liblode.map \
		$(ALL_LDFLAGS) -o $@ $(LIB_OBJ) $(LIBS_ALL)

# The HTML module: its own objects, what they use of liblode.a (copies kept
# private), libxml2; it exports only lode_html_module.
$(B)/lode-html.so: $(HTML_OBJ) $(B)/liblode.a lode-html.map
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) -shared -Wl,--version-script=lode-html.map -Wl,--no-undefined \
		$(ALL_LDFLAGS) -o $@ $(HTML_OBJ) $(B)/liblode.a $(HTML_LIBS) -lm

# where an installed liblode looks for the module last
$(B)/src/html_module.o: ALL_CFLAGS += -DLODE_LIBDIR='"$(LIBDIR)"'

$(B)/lode: $(CLI_OBJ) $(B)/liblode.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CXX) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(B)/liblode.a $(LODE_LIBS)

# `./lode` at the top of the tree runs in place (statically linked to liblode);
# a link, so that it finds the HTML module beside its target.
lode: $(B)/lode
	$(Q)ln -sf $< $@

$(B)/lode.pc: lode.pc.in include/lode.h
	@mkdir -p $(@D)
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' $< > $@

$(B)/tests/%: tests/%.c $(HELPER_OBJ) $(B)/liblode.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  TEST    $@")
	$(Q)$(CC) $(ALL_CFLAGS) -Itests -o $(B)/tests/$*.o -c $<
	$(Q)$(CXX) $(ALL_LDFLAGS) -o $@ $(B)/tests/$*.o $(filter $(B)/src/cli/%.o,$^) \
		$(HELPER_OBJ) $(B)/liblode.a $(LIBS_ALL) -lcmocka

# a unit test of the program's own code links that object too
$(B)/tests/test_heap: $(B)/src/cli/heap.o
# lode's merge wrapped, to count its calls and make it fail (the fallback)
$(B)/tests/test_merge_fallback: ALL_LDFLAGS += -Wl,--wrap=glass_merge

$(B)/bench/%: bench/%.c $(B)/liblode.a
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@.o -c $<
	$(Q)$(CXX) $(ALL_LDFLAGS) -o $@ $@.o $(B)/liblode.a $(LIBS_ALL) -lsqlite3

$(B)/bench/%: bench/%.cc
	@mkdir -p $(@D)
	$(Q)$(CXX) $(ALL_CXXFLAGS) $(ALL_LDFLAGS) -o $@ $< $(XAP_LIBS)

$(B)/bench/clucene_build: bench/clucene_build.cc bench/peer.h bench/wide_text.h
	@mkdir -p $(@D)
	$(Q)$(CXX) $(ALL_CXXFLAGS) $(call lucene_cflags,libclucene-core) $(ALL_LDFLAGS) -o $@ $< \
		$(shell pkg-config --libs libclucene-core 2>/dev/null)

$(B)/bench/lucenepp_build: bench/lucenepp_build.cc bench/peer.h bench/wide_text.h
	@mkdir -p $(@D)
	$(Q)$(CXX) $(ALL_CXXFLAGS) $(call lucene_cflags,liblucene++) $(ALL_LDFLAGS) -o $@ $< \
		$(shell pkg-config --libs liblucene++ 2>/dev/null)

tests: all $(TESTS)

# Every test: the unit tests (one cmocka binary per module), then the
# command-line tests. Installs missing Debian packages first.
check: deps
	$(Q)$(MAKE) --no-print-directory tests
	$(Q)LODE_BUILD=$(B) tests/run-tests.sh $(TESTS)

check-unit: tests
	$(Q)LODE_BUILD=$(B) tests/run-tests.sh --unit-only $(TESTS)

check-cli: tests
	$(Q)LODE_BUILD=$(B) tests/run-tests.sh --cli-only

# Build, index the sample articles in samples/ and run a search.
demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)scripts/demo

bench: deps
	$(Q)scripts/install-deps --bench
	$(Q)$(MAKE) --no-print-directory all $(filter-out $(BENCH_SKIP),$(BENCHES))
	$(Q)LODE_BUILD=$(B) bench/run-bench.sh

bench-quality: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)LODE_BUILD=$(B) bench/quality.sh

fuzz:
	$(Q)scripts/install-deps --fuzz
	$(Q)tests/fuzz/run.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) \
		$(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3
	install -m 755 $(B)/lode $(DESTDIR)$(BINDIR)/lode
	install -m 644 $(B)/liblode.a $(DESTDIR)$(LIBDIR)/liblode.a
	install -m 755 $(B)/liblode.so $(DESTDIR)$(LIBDIR)/liblode.so.$(VERSION)
	install -m 755 $(B)/lode-html.so $(DESTDIR)$(LIBDIR)/lode-html.so
	ln -sf liblode.so.$(VERSION) $(DESTDIR)$(LIBDIR)/liblode.so.$(SOVER)
	ln -sf liblode.so.$(SOVER) $(DESTDIR)$(LIBDIR)/liblode.so
	install -m 644 include/lode.h $(DESTDIR)$(INCLUDEDIR)/lode.h
	install -m 644 $(B)/lode.pc $(DESTDIR)$(PKGCONFIGDIR)/lode.pc
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/*.3 $(DESTDIR)$(MANDIR)/man3/
	-ldconfig 2>/dev/null || true

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/lode $(DESTDIR)$(LIBDIR)/liblode.a \
		$(DESTDIR)$(LIBDIR)/liblode.so $(DESTDIR)$(LIBDIR)/liblode.so.$(SOVER) \
		$(DESTDIR)$(LIBDIR)/liblode.so.$(VERSION) $(DESTDIR)$(LIBDIR)/lode-html.so \
		$(DESTDIR)$(INCLUDEDIR)/lode.h \
		$(DESTDIR)$(PKGCONFIGDIR)/lode.pc
	cd man && for f in *.1; do rm -f $(DESTDIR)$(MANDIR)/man1/$$f; done
	cd man && for f in *.3; do rm -f $(DESTDIR)$(MANDIR)/man3/$$f; done

clean:
	rm -rf build build-san lode

help:
	@echo "Targets:"
	@echo "  all (default)  build ./lode, liblode.so, liblode.a, lode-html.so, lode.pc into build/"
	@echo "  demo           install missing packages, build, index samples/, search it"
	@echo "  check          install missing packages, run every test (unit + command line)"
	@echo "  check-unit     only the cmocka unit tests;  check-cli: only command-line tests"
	@echo "  bench          index-build and query-latency benchmarks against peers"
	@echo "  bench-quality  ranking quality on the shared IR collections"
	@echo "  fuzz           run each libFuzzer target for a while (FUZZ_SECONDS)"
	@echo "  install        PREFIX=$(PREFIX) DESTDIR= BINDIR LIBDIR INCLUDEDIR MANDIR"
	@echo "  uninstall, clean, help"
	@echo "Variables: SANITIZE=1 (ASan+UBSan, in build-san/), WERROR=1, V=1, CFLAGS, LDFLAGS"

-include $(shell find $(B) -name '*.d' 2>/dev/null)
