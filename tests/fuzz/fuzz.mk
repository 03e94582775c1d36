# fuzz.mk - builds the libFuzzer targets (tests/fuzz/fuzz_*.c) into build/fuzz/.
# Run from the top of the tree; tests/fuzz/run.sh calls it. Only what changed is
# rebuilt (-MMD dependency files), so the short run inside `make check` pays
# for the build once.
#
# The library's sources are compiled with clang, instrumented for coverage
# (-fsanitize=fuzzer-no-link) and ASan+UBSan, into an archive; each target
# links what it uses from it.

B   := build/fuzz
CC  := clang
CXX := clang++

PKGS := libutf8proc libxml-2.0 md4c jansson zlib libdeflate
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
LIBS := $(shell pkg-config --libs $(PKGS)) $(shell xapian-config --libs) -lpthread -lm

SAN      := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
OPT      := -O1 -gline-tables-only
CFLAGS   := $(OPT) $(SAN) -fsanitize=fuzzer-no-link -std=c11 -D_GNU_SOURCE \
	    -Iinclude -Isrc -Ibindings $(PKG_CFLAGS) -MMD -MP
CXXFLAGS := $(OPT) $(SAN) -fsanitize=fuzzer-no-link -std=c++17 \
	    -Iinclude -Isrc -Ibindings $(shell xapian-config --cxxflags) -MMD -MP
# The library's warnings are the main build's business; ours must be clean.
TARGET_WARN := -Wall -Wextra -Wshadow -Werror

LIB_SRC   := $(sort $(wildcard src/*.c))
# The HTML module's objects are linked into every target (not loaded with
# dlopen as in the main build): its code is fuzzed, instrumented, with the rest.
HTML_SRC  := $(sort $(wildcard src/html/*.c))
HTML_OBJ  := $(HTML_SRC:%.c=$(B)/obj/%.o)
BIND_SRC  := $(sort $(wildcard bindings/*.cc))
LIB_OBJ   := $(LIB_SRC:%.c=$(B)/obj/%.o) $(BIND_SRC:%.cc=$(B)/obj/%.o)
TARGETS   := $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
BINS      := $(TARGETS:%=$(B)/fuzz_%)

# The list of sources, rewritten only when it changes: a deleted file must
# leave the archive too.
SRC_LIST := $(B)/sources.txt
$(shell mkdir -p $(B); echo '$(LIB_SRC) $(BIND_SRC)' | cmp -s - $(SRC_LIST) || \
	echo '$(LIB_SRC) $(BIND_SRC)' > $(SRC_LIST))

.PHONY: all
all: $(BINS)
# keep the targets' objects (make would delete them as intermediates), so that
# an up-to-date build is recognised as one (run.sh asks with make -q)
.SECONDARY:

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -w -c $< -o $@

$(B)/obj/%.o: %.cc
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) -w -c $< -o $@

$(B)/libfuzzlode.a: $(LIB_OBJ) $(SRC_LIST)
	rm -f $@ && ar rcs $@ $(LIB_OBJ)

$(B)/obj/tests/fuzz/%.o: tests/fuzz/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(TARGET_WARN) -c $< -o $@

$(B)/fuzz_%: $(B)/obj/tests/fuzz/fuzz_%.o $(HTML_OBJ) $(B)/libfuzzlode.a
	$(CXX) $(SAN) -fsanitize=fuzzer -o $@ $< $(HTML_OBJ) $(B)/libfuzzlode.a $(LIBS)

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
