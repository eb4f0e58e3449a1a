# SPDX-License-Identifier: GPL-2.0-or-later
# vtdkit -- one non-recursive Makefile for libvtd, the tools and the tests.
#
#   make                 library (static + shared) and tools
#   make check           unit, CLI golden and fuzz-corpus tests
#   make check SAN=1     the same under ASan + UBSan (separate build tree)
#   make install PREFIX=/usr/local DESTDIR=
#   make deps            install missing build/test packages (apt-get)
#   make bench | fuzz | demo | clean
#
# Knobs: PREFIX DESTDIR CC CFLAGS SAN=1 WERROR=0 V=1 UPDATE=1 (regenerate goldens)

VERSION    := 0.1.0
SOVERSION  := 0
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib
INCDIR     ?= $(PREFIX)/include
MANDIR     ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig

CC         ?= cc
PKG_CONFIG ?= pkg-config
WERROR     ?= 1
SAN        ?= 0

ifeq ($(SAN),1)
B          ?= build-san
SANFLAGS   := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else
B          ?= build
SANFLAGS   :=
endif

ifeq ($(V),1)
Q :=
else
Q := @
endif

JSON_CFLAGS := $(shell $(PKG_CONFIG) --cflags json-c 2>/dev/null)
JSON_LIBS   := $(shell $(PKG_CONFIG) --libs json-c 2>/dev/null || echo -ljson-c)
ELF_CFLAGS  := $(shell $(PKG_CONFIG) --cflags libelf 2>/dev/null)
ELF_LIBS    := $(shell $(PKG_CONFIG) --libs libelf 2>/dev/null || echo -lelf)
# The kdump source's decompressors; snappy ships a .pc only on some distros.
ZIP_CFLAGS  := $(shell $(PKG_CONFIG) --cflags zlib lzo2 libzstd 2>/dev/null)
ZIP_LIBS    := $(shell $(PKG_CONFIG) --libs zlib 2>/dev/null || echo -lz) \
               $(shell $(PKG_CONFIG) --libs lzo2 2>/dev/null || echo -llzo2) \
               $(shell $(PKG_CONFIG) --libs libzstd 2>/dev/null || echo -lzstd) \
               $(shell $(PKG_CONFIG) --libs snappy 2>/dev/null || echo -lsnappy)
# The kernel's own structures (kernel.h): BTF through libbpf.
BPF_CFLAGS  := $(shell $(PKG_CONFIG) --cflags libbpf 2>/dev/null)
BPF_LIBS    := $(shell $(PKG_CONFIG) --libs libbpf 2>/dev/null || echo -lbpf)
# trace-cmd's trace.dat (trace.h): libtracecmd and the libtraceevent it renders with.
TRACE_CFLAGS := $(shell $(PKG_CONFIG) --cflags libtracecmd 2>/dev/null)
TRACE_LIBS  := $(shell $(PKG_CONFIG) --libs libtracecmd 2>/dev/null || echo -ltracecmd -ltracefs -ltraceevent)

WARN       := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
              -Wformat=2 -Wno-missing-field-initializers -Wvla -Wwrite-strings
ifeq ($(WERROR),1)
WARN       += -Werror
endif
CFLAGS     ?= -O2 -g
BASECFLAGS := -std=c17 -D_GNU_SOURCE -DVTD_VERSION_STRING='"$(VERSION)"' $(WARN) \
              -fvisibility=hidden -fPIC -MMD -MP -Ilibvtd -Icmd/common $(JSON_CFLAGS) $(ELF_CFLAGS) $(ZIP_CFLAGS) $(BPF_CFLAGS) $(TRACE_CFLAGS) $(SANFLAGS)
ALLCFLAGS  := $(BASECFLAGS) $(CFLAGS)
LDLIBS_ALL := $(JSON_LIBS) $(ELF_LIBS) $(ZIP_LIBS) $(BPF_LIBS) $(TRACE_LIBS) -lm -pthread

# ---- libvtd ------------------------------------------------------------

LIB_SRC    := $(sort $(wildcard libvtd/*.c))
LIB_OBJ    := $(LIB_SRC:%.c=$(B)/%.o)
LIB_HDR    := $(filter-out libvtd/layout-defs.h libvtd/%-internal.h,$(wildcard libvtd/*.h))
LIBA       := $(B)/libvtd.a
LIBSO      := $(B)/libvtd.so.$(VERSION)

$(B)/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALLCFLAGS) -c -o $@ $<

$(LIBA): $(LIB_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(LIBSO): $(LIB_OBJ) libvtd/libvtd.map
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -shared -o $@ $(LIB_OBJ) -Wl,-soname,libvtd.so.$(SOVERSION) \
		-Wl,--version-script=libvtd/libvtd.map -Wl,--no-undefined $(SANFLAGS) $(LDLIBS_ALL)
	$(Q)ln -sf libvtd.so.$(VERSION) $(B)/libvtd.so.$(SOVERSION)
	$(Q)ln -sf libvtd.so.$(SOVERSION) $(B)/libvtd.so

$(B)/libvtd.pc: libvtd/libvtd.pc.in Makefile
	@mkdir -p $(@D)
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
		-e 's|@INCDIR@|$(INCDIR)|g' -e 's|@VERSION@|$(VERSION)|g' $< > $@

# ---- tools ---------------------------------------------------------------

COMMON_SRC := $(sort $(wildcard cmd/common/*.c))
COMMON_OBJ := $(COMMON_SRC:%.c=$(B)/%.o)
TOOLS      := vtd-decode vtd-sim vtd-compile vtd-dump vtd-top
TOOL_BINS  := $(TOOLS:%=$(B)/%)

# The tools name a live host's PCI devices through libpci when it is there.
ifeq ($(shell $(PKG_CONFIG) --exists libpci 2>/dev/null && echo y),y)
PCI_CFLAGS := -DHAVE_LIBPCI $(shell $(PKG_CONFIG) --cflags libpci)
LDLIBS_ALL += $(shell $(PKG_CONFIG) --libs libpci)
endif
$(B)/cmd/common/pci-names.o: ALLCFLAGS += $(PCI_CFLAGS)

# vtd-top's interactive view: wide-character curses (sparklines, bars).
CURSES_CFLAGS := $(shell $(PKG_CONFIG) --cflags ncursesw)
vtd-top_LIBS := $(shell $(PKG_CONFIG) --libs ncursesw)
$(B)/cmd/vtd-top/tui.o: ALLCFLAGS += $(CURSES_CFLAGS)

define tool_rule
$(1)_SRC := $$(sort $$(wildcard cmd/$(1)/*.c))
$(1)_OBJ := $$($(1)_SRC:%.c=$(B)/%.o)
$(B)/$(1): $$($(1)_OBJ) $(COMMON_OBJ) $(LIBA)
	@$$(if $(Q),echo "  LINK    $$@")
	$(Q)$$(CC) $$(SANFLAGS) -o $$@ $$^ $(LDLIBS_ALL) $$($(1)_LIBS)
endef
$(foreach t,$(TOOLS),$(eval $(call tool_rule,$(t))))

# ---- man pages and completions --------------------------------------------

MAN_SRC    := $(wildcard man/*.1.in)
MAN_OUT    := $(MAN_SRC:man/%.in=$(B)/man/%)
MANDATE    := 2026-11-21

$(B)/man/%: man/%.in Makefile
	@mkdir -p $(@D)
	$(Q)sed -e 's|@VERSION@|$(VERSION)|g' -e 's|@DATE@|$(MANDATE)|g' $< > $@

# Each installed bash completion is the shared engine and the tool's part.
BASHCOMP   := $(TOOLS:%=$(B)/completions/%.bash)
$(B)/completions/%.bash: completions/vtd-complete.bash completions/%.bash
	@mkdir -p $(@D)
	$(Q)cat $^ > $@

all: $(LIBA) $(LIBSO) $(B)/libvtd.pc $(TOOL_BINS) $(MAN_OUT) $(BASHCOMP)
.DEFAULT_GOAL := all

# ---- tests -----------------------------------------------------------------

UNIT_SRC   := $(sort $(wildcard tests/unit/t-*.c))
UNIT_BINS  := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
FUZZ_SRC   := $(sort $(wildcard tests/fuzz/fuzz-*.c))
FUZZ_REGR  := $(FUZZ_SRC:tests/fuzz/%.c=$(B)/tests/%-regress)

$(B)/tests/t-%: $(B)/tests/unit/t-%.o $(LIBA)
	$(Q)$(CC) $(SANFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(B)/tests/%-regress: $(B)/tests/fuzz/%.o $(B)/tests/fuzz/regression.o $(LIBA)
	$(Q)$(CC) $(SANFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(B)/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALLCFLAGS) -Itests/unit -c -o $@ $<
$(B)/tests/fuzz/%.o: tests/fuzz/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALLCFLAGS) -Icmd/vtd-sim -Icmd/vtd-compile -Icmd/vtd-top -c -o $@ $<

# The bare-mode QEMU harness driver (tests/qemu/README.md).
QPROBE_SRC := tests/qemu/qprobe.c tests/qemu/qtest.c
QPROBE     := $(B)/tests/qprobe
$(B)/tests/qemu/%.o: tests/qemu/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALLCFLAGS) -Itests/qemu -c -o $@ $<
$(QPROBE): $(QPROBE_SRC:%.c=$(B)/%.o) $(COMMON_OBJ) $(LIBA)
	$(Q)$(CC) $(SANFLAGS) -o $@ $^ $(LDLIBS_ALL)

check: all $(UNIT_BINS) $(FUZZ_REGR) $(QPROBE)
	$(Q)B=$(B) UPDATE=$(UPDATE) bash tests/run-tests.sh

# libFuzzer builds (clang); corpora live beside the targets.
FUZZ_BINS  := $(FUZZ_SRC:tests/fuzz/%.c=build-fuzz/%)
FUZZ_FLAGS := -fsanitize=fuzzer,address,undefined -g -O1
FUZZ_CC    := clang -std=c17 -D_GNU_SOURCE -DVTD_VERSION_STRING='"$(VERSION)"' -Ilibvtd -Icmd/common \
              $(JSON_CFLAGS) $(ELF_CFLAGS) $(ZIP_CFLAGS) $(BPF_CFLAGS) $(TRACE_CFLAGS) $(FUZZ_FLAGS)
build-fuzz/fuzz-%: tests/fuzz/fuzz-%.c $(LIB_SRC)
	@mkdir -p $(@D)
	$(FUZZ_CC) -o $@ $< $(LIB_SRC) $(LDLIBS_ALL)

# A target that runs a tool's own code (its sources but main()): fuzz-$(1) over $(2).
define fuzz_tool_rule
$(2)_LIB_SRC := $$(filter-out cmd/$(2)/main.c,$$(sort $$(wildcard cmd/$(2)/*.c)))
build-fuzz/fuzz-$(1): tests/fuzz/fuzz-$(1).c $(LIB_SRC) $(COMMON_SRC) $$($(2)_LIB_SRC)
	@mkdir -p $$(@D)
	$(FUZZ_CC) -Icmd/$(2) $$(if $$(filter vtd-top,$(2)),$$(CURSES_CFLAGS)) -o $$@ $$< \
		$(LIB_SRC) $(COMMON_SRC) $$($(2)_LIB_SRC) $(LDLIBS_ALL) $$($(2)_LIBS)
$(B)/tests/fuzz-$(1)-regress: $(B)/tests/fuzz/fuzz-$(1).o $(B)/tests/fuzz/regression.o \
		$$($(2)_LIB_SRC:%.c=$(B)/%.o) $(COMMON_OBJ) $(LIBA)
	$(Q)$(CC) $(SANFLAGS) -o $$@ $$^ $(LDLIBS_ALL) $$($(2)_LIBS)
endef
$(eval $(call fuzz_tool_rule,scenario,vtd-sim))
$(eval $(call fuzz_tool_rule,layout,vtd-compile))
$(eval $(call fuzz_tool_rule,top,vtd-top))

fuzz: $(FUZZ_BINS)
	@echo "fuzz targets in build-fuzz/ (run e.g. build-fuzz/fuzz-hex tests/fuzz/corpus/hex -max_total_time=60)"

$(B)/tests/bench-%: tests/bench/bench-%.c tests/bench/bench.h $(LIBA)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALLCFLAGS) -o $@ $< $(LIBA) $(SANFLAGS) $(LDLIBS_ALL)

bench: $(B)/tests/bench-walk $(B)/tests/bench-cache
bench: all $(B)/tests/bench-decode $(B)/tests/bench-trace
	$(Q)B=$(B) bash tests/bench.sh

deps:
	$(Q)bash .ci/deps

demo: all
	$(Q)B=$(B) bash samples/demo.sh

# ---- install ---------------------------------------------------------------

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR)/vtd \
		$(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 755 $(TOOL_BINS) $(DESTDIR)$(BINDIR)/
	install -m 644 $(LIBA) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(LIBSO) $(DESTDIR)$(LIBDIR)/
	ln -sf libvtd.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libvtd.so.$(SOVERSION)
	ln -sf libvtd.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libvtd.so
	install -m 644 $(LIB_HDR) $(DESTDIR)$(INCDIR)/vtd/
	install -m 644 $(B)/libvtd.pc $(DESTDIR)$(PKGCONFIGDIR)/
	install -m 644 $(MAN_OUT) $(DESTDIR)$(MANDIR)/man1/
	for t in $(TOOLS); do \
		install -m 644 $(B)/completions/$$t.bash $(DESTDIR)$(BASHCOMPDIR)/$$t; \
		install -m 644 completions/_$$t $(DESTDIR)$(ZSHCOMPDIR)/_$$t; done

clean:
	rm -rf build build-san build-fuzz

.PHONY: all check deps fuzz bench demo install clean
# Keep test objects: no "rm" lines after the summary, no needless rebuilds.
.SECONDARY:

-include $(shell find $(B) -name '*.d' 2>/dev/null)
