# Makefile: builds libmmec (static and shared), the mmec command and the Lua module; runs the
# tests and benchmarks; installs. `make SANITIZE=1 test` builds and tests under ASan + UBSan
# in build/sanitize/, beside the normal build in build/.

PREFIX      ?= /usr/local
DESTDIR     ?=
BINDIR      ?= $(PREFIX)/bin
LIBDIR      ?= $(PREFIX)/lib
INCLUDEDIR  ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
MANDIR      ?= $(PREFIX)/share/man
LUA_CMODDIR ?= $(LIBDIR)/lua/5.4
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
VIMDIR      ?= $(PREFIX)/share/vim/vimfiles

CC         ?= cc
PKG_CONFIG ?= pkg-config
BISON      ?= bison
FLEX       ?= flex
DEPS       := lua5.4 libcjson yaml-0.1

ifeq ($(SANITIZE),1)
B          ?= build/sanitize
OPT        ?= -O1 -g -fno-omit-frame-pointer
SANFLAGS   := -fsanitize=address,undefined -fno-sanitize-recover=all
else
B          ?= build
OPT        ?= -O2 -g
SANFLAGS   :=
endif

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wwrite-strings -Wcast-qual -Wundef -Wformat=2
# pkg-config is asked when a recipe first needs the flags, not when the Makefile is read, so that
# `make deps example` on a machine without the packages installs them (deps) before anything
# asks for their flags. Each variable evaluates its $(shell) once, then keeps the answer.
DEPCFLAGS = $(eval DEPCFLAGS := $$(shell $(PKG_CONFIG) --cflags $(DEPS) 2>/dev/null))$(DEPCFLAGS)
DEPLIBS   = $(eval DEPLIBS := $$(shell $(PKG_CONFIG) --libs $(DEPS) 2>/dev/null) -lm -lpthread)$(DEPLIBS)
CMOCKA    = $(eval CMOCKA := $$(shell $(PKG_CONFIG) --cflags --libs cmocka 2>/dev/null))$(CMOCKA)
CFLAGS    ?=
INCLUDES   = -I$(B)/gen -Igrammar -Icompiler -Icompiler/model -Icompiler/base -Iruntime -Ilua
ALLCFLAGS  = -std=c11 -D_POSIX_C_SOURCE=200809L $(OPT) $(WARN) $(SANFLAGS) -fPIC \
             -fvisibility=hidden -DMMEC_BUILDING $(INCLUDES) \
             $(DEPCFLAGS) $(CFLAGS) -MMD -MP
ALLLDFLAGS := $(SANFLAGS) $(LDFLAGS)

CLI_SRC := $(wildcard compiler/cli/*.c)
LIB_SRC := $(filter-out $(EXCLUDE),$(wildcard compiler/base/*.c) $(wildcard compiler/model/*.c) \
           $(wildcard compiler/*.c) $(wildcard runtime/*.c) \
           $(filter-out lua/luamod.c,$(wildcard lua/*.c)))
GEN_SRC := $(B)/gen/scale.tab.c $(B)/gen/scale.lex.c
LIB_OBJ := $(patsubst %.c,$(B)/obj/%.o,$(LIB_SRC)) $(patsubst $(B)/gen/%.c,$(B)/obj/gen/%.o,$(GEN_SRC))
CLI_OBJ := $(patsubst %.c,$(B)/obj/%.o,$(CLI_SRC))

UNIT_SRC := $(filter-out $(EXCLUDE),$(wildcard tests/unit/test_*.c))
UNIT_BIN := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRC))

Q := @
ifeq ($(V),1)
Q :=
endif

.PHONY: all test check test-all bench install uninstall clean deps-check deps example
all: deps-check $(B)/mmec $(B)/libmmec.a $(B)/libmmec.so $(B)/mmec.pc $(B)/mmec.so

# Installs the Debian packages the build and the tests need (as root; names them otherwise).
deps:
	@bash .ci/deps

# Compiles the bundled example: the design card's line, to standard output.
example: all
	$(B)/mmec examples/quickstart.scale

# With `make deps ...` every build step waits for deps (also under -j).
deps-check: $(filter deps,$(MAKECMDGOALS))
	@$(PKG_CONFIG) --exists $(DEPS) || { echo "missing: $(DEPS) (apt-get install liblua5.4-dev libcjson-dev libyaml-dev pkg-config)"; exit 1; }

$(B)/gen/scale.tab.c $(B)/gen/scale.tab.h: grammar/scale.y | deps-check
	@mkdir -p $(B)/gen
	@echo "  BISON   $<"
	$(Q)$(BISON) -Wall -Werror -o $(B)/gen/scale.tab.c --header=$(B)/gen/scale.tab.h $<

$(B)/gen/scale.lex.c $(B)/gen/scale.lex.h: grammar/scale.l | deps-check
	@mkdir -p $(B)/gen
	@echo "  FLEX    $<"
	$(Q)$(FLEX) --header-file=$(B)/gen/scale.lex.h -o $(B)/gen/scale.lex.c $<

$(B)/obj/gen/scale.tab.o: $(B)/gen/scale.lex.h
$(B)/obj/gen/scale.lex.o: $(B)/gen/scale.tab.h

# The command line runs the library through mmec.h alone, as an embedder does: its objects see
# compiler/ and nothing below it, where every header but mmec.h includes one that is not found,
# so an include of the library's internals fails the build.
$(B)/obj/compiler/cli/%.o: INCLUDES = -Icompiler
# So does the Lua module, the other front end.
$(B)/obj/lua/luamod.o: INCLUDES = -Icompiler

$(B)/obj/%.o: %.c | $(B)/gen/scale.tab.h $(B)/gen/scale.lex.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALLCFLAGS) -c $< -o $@

$(B)/obj/gen/%.o: $(B)/gen/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALLCFLAGS) -c $< -o $@

$(B)/libmmec.a: $(LIB_OBJ)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

# The shared library is built under its soname, libmmec.so.0, which is what a program linked with
# -Lbuild -lmmec asks for at run time; libmmec.so is the link-time name, a symbolic link to it.
$(B)/libmmec.so.0: $(LIB_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) -shared -Wl,-soname,libmmec.so.0 $(ALLLDFLAGS) -o $@ $^ $(DEPLIBS)

$(B)/libmmec.so: $(B)/libmmec.so.0
	$(Q)ln -sf libmmec.so.0 $@

# The Lua module (require "mmec"): libmmec's objects linked in, liblua left out (the lua5.4
# interpreter that loads it provides Lua's symbols, and a second copy of Lua in one process
# breaks it); --exclude-libs keeps the static libraries' symbols out of its exports.
LUAMOD_LIBS = $(eval LUAMOD_LIBS := $$(shell $(PKG_CONFIG) --libs libcjson yaml-0.1 2>/dev/null) -lm -lpthread)$(LUAMOD_LIBS)
$(B)/mmec.so: $(B)/obj/lua/luamod.o $(B)/libmmec.a
	@echo "  LD      $@"
	$(Q)$(CC) -shared -Wl,--exclude-libs,ALL $(ALLLDFLAGS) -o $@ $^ $(LUAMOD_LIBS)

$(B)/mmec: $(CLI_OBJ) $(B)/libmmec.a
	@echo "  LD      $@"
	$(Q)$(CC) $(ALLLDFLAGS) -o $@ $^ $(DEPLIBS)

$(B)/mmec.pc: Makefile
	@mkdir -p $(dir $@)
	@printf 'prefix=%s\nlibdir=%s\nincludedir=%s\n\nName: mmec\nDescription: compiler of .scale auto-scaling policies for SageMaker endpoints\nVersion: 0.1.0\nRequires.private: lua5.4 libcjson yaml-0.1\nLibs: -L$${libdir} -lmmec\nLibs.private: -lm -lpthread\nCflags: -I$${includedir}\n' \
	    '$(PREFIX)' '$(LIBDIR)' '$(INCLUDEDIR)' > $@

$(B)/tests/%: tests/unit/%.c $(B)/libmmec.a
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALLCFLAGS) $(TEST_INCLUDES) -fvisibility=default $< $(filter %.o,$^) -o $@ \
	    $(B)/libmmec.a $(ALLLDFLAGS) $(CMOCKA) $(DEPLIBS)

# A unit test of a piece of the command line links that piece and sees its header, cli.h
# (TEST_INCLUDES is used by this recipe only, so the objects it depends on are built as ever).
$(B)/tests/test_watchdog: $(B)/obj/compiler/cli/cli_watchdog.o
$(B)/tests/test_watchdog: TEST_INCLUDES = -Icompiler/cli

# The fast suite (tests/run: every suite, several at a time; docs/testing.md).
test check: all $(UNIT_BIN)
	@MMEC_BUILD=$(B) SANITIZE=$(SANITIZE) MMEC_TEST_SLOW=$(MMEC_TEST_SLOW) bash tests/run

# The whole suite, what CI runs: the fast suite with its slow tier, under the sanitizers, and a
# smoke run of each fuzz target. Each step is a make of its own (its own build folder).
test-all: deps-check
	$(Q)$(MAKE) --no-print-directory test MMEC_TEST_SLOW=1
	$(Q)$(MAKE) --no-print-directory SANITIZE=1 test
	$(Q)$(MAKE) --no-print-directory fuzz FUZZ_TIME=10

BENCH_BIN := $(patsubst tests/bench/%.c,$(B)/bench/%,$(filter-out $(EXCLUDE),$(wildcard tests/bench/*.c)))

$(B)/bench/%: tests/bench/%.c $(B)/libmmec.a
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALLCFLAGS) $< -o $@ $(B)/libmmec.a $(ALLLDFLAGS) $(DEPLIBS)

bench: all $(BENCH_BIN)
	@MMEC_BUILD=$(B) bash tests/bench/run

# ---- What users would run instead: python + botocore, jsonnet, AWS CDK (docs/benchmarks.md) --
# Never part of `make test`. Installs what is missing (jsonnet with apt-get as root; aws-cdk-lib
# with npm into $(B)/peers/npm) and fails, saying why, when it cannot. PEERS_N and PEERS_CDK_N
# set the corpus sizes (100,000 and 10,000), BENCH_RUNS the runs (best of 1 by default: on a
# quiet machine jsonnet and the CDK synth with its validation take 25 to 30 s of CPU each).
.PHONY: bench-peers
bench-peers: all $(B)/bench/measure
	@MMEC_BUILD=$(B) bash tests/bench/peers/run

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR)
	install -m 755 $(B)/mmec $(DESTDIR)$(BINDIR)/mmec
	install -m 644 $(B)/libmmec.a $(DESTDIR)$(LIBDIR)/libmmec.a
	install -m 755 $(B)/libmmec.so.0 $(DESTDIR)$(LIBDIR)/libmmec.so.0
	ln -sf libmmec.so.0 $(DESTDIR)$(LIBDIR)/libmmec.so
	install -m 644 compiler/mmec.h $(DESTDIR)$(INCLUDEDIR)/mmec.h
	install -m 644 $(B)/mmec.pc $(DESTDIR)$(PKGCONFIGDIR)/mmec.pc
	install -d $(DESTDIR)$(LUA_CMODDIR)
	install -m 755 $(B)/mmec.so $(DESTDIR)$(LUA_CMODDIR)/mmec.so
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(BASHCOMPDIR) \
	    $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(VIMDIR)/syntax $(DESTDIR)$(VIMDIR)/ftdetect
	install -m 644 docs/mmec.1 $(DESTDIR)$(MANDIR)/man1/mmec.1
	install -m 644 docs/mmec-scale.5 $(DESTDIR)$(MANDIR)/man5/mmec-scale.5
	install -m 644 docs/completion/mmec.bash $(DESTDIR)$(BASHCOMPDIR)/mmec
	install -m 644 docs/completion/_mmec $(DESTDIR)$(ZSHCOMPDIR)/_mmec
	install -m 644 docs/vim/syntax/scale.vim $(DESTDIR)$(VIMDIR)/syntax/scale.vim
	install -m 644 docs/vim/ftdetect/scale.vim $(DESTDIR)$(VIMDIR)/ftdetect/scale.vim

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/mmec $(DESTDIR)$(LIBDIR)/libmmec.a $(DESTDIR)$(LIBDIR)/libmmec.so \
	    $(DESTDIR)$(LIBDIR)/libmmec.so.0 $(DESTDIR)$(INCLUDEDIR)/mmec.h $(DESTDIR)$(PKGCONFIGDIR)/mmec.pc \
	    $(DESTDIR)$(LUA_CMODDIR)/mmec.so
	rm -f $(DESTDIR)$(MANDIR)/man1/mmec.1 $(DESTDIR)$(MANDIR)/man5/mmec-scale.5 \
	    $(DESTDIR)$(BASHCOMPDIR)/mmec $(DESTDIR)$(ZSHCOMPDIR)/_mmec \
	    $(DESTDIR)$(VIMDIR)/syntax/scale.vim $(DESTDIR)$(VIMDIR)/ftdetect/scale.vim

clean:
	rm -rf build

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

# ---- Hardening: fuzzing, coverage, valgrind (docs/hardening.md, tests/fuzz/README.md) -------
# A fuzz target is a file tests/fuzz/fuzz_NAME.c defining LLVMFuzzerTestOneInput. `make fuzz`
# builds each with libFuzzer (clang, ASan + UBSan) into build/fuzz/ and runs it FUZZ_TIME
# seconds (tests/fuzz/run). `make test` builds each with tests/fuzz/replay.c instead, with the
# normal compiler, and replays tests/fuzz/regressions/NAME/ and tests/fuzz/corpus/NAME/
# (tests/fuzz/suite.sh).
.PHONY: fuzz fuzz-build coverage valgrind
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(filter-out $(EXCLUDE),$(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_TIME    ?= 60
FUZZ_CC      ?= clang
FUZZ_B       := build/fuzz
REPLAY_BIN   := $(patsubst %,$(B)/fuzz/replay_%,$(FUZZ_TARGETS))

test check: $(REPLAY_BIN)

$(B)/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(B)/libmmec.a
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(filter-out -MMD -MP,$(ALLCFLAGS)) -Itests/fuzz $< tests/fuzz/replay.c -o $@ \
	    $(B)/libmmec.a $(ALLLDFLAGS) $(DEPLIBS)

fuzz-build: deps-check
	$(Q)$(MAKE) --no-print-directory B=$(FUZZ_B) CC=$(FUZZ_CC) OPT="-O1 -g" \
	    SANFLAGS="-fsanitize=fuzzer-no-link,address,undefined" \
	    CFLAGS=-Wno-format-nonliteral $(FUZZ_B)/libmmec.a
	$(Q)for t in $(FUZZ_TARGETS); do \
	    echo "  FUZZ    $$t"; \
	    $(FUZZ_CC) -std=c11 -D_POSIX_C_SOURCE=200809L -O1 -g $(WARN) -I$(FUZZ_B)/gen -Igrammar \
	        -Icompiler -Icompiler/model -Icompiler/base -Iruntime -Ilua -Itests/fuzz $(DEPCFLAGS) \
	        -fsanitize=fuzzer,address,undefined tests/fuzz/fuzz_$$t.c -o $(FUZZ_B)/fuzz_$$t \
	        $(FUZZ_B)/libmmec.a $(DEPLIBS) || exit 1; \
	done

fuzz: fuzz-build
	@bash tests/fuzz/run $(FUZZ_TIME) $(FUZZ_TARGETS)

# Line and branch coverage of the library and the command over the whole suite (gcovr), in
# build/coverage/. SANITIZE=1 only gives the suites the time limits of a slow build here: the
# flags are --coverage. No SIGKILL loop (tests/iofault), and gcov's parse errors are skipped:
# a process killed or stopped by `ulimit -f` while it writes its .gcda files leaves counters
# gcov cannot read (and gcovr -j hangs on them). The report is written even when a test
# fails; the status is the tests'.
coverage: deps-check
	$(Q)rm -rf build/coverage
	$(Q)MMEC_SKIP_KILL_LOOP=1 $(MAKE) --no-print-directory SANITIZE=1 B=build/coverage OPT="-O0 -g" \
	    SANFLAGS=--coverage test; rc=$$?; \
	gcovr --root . --object-directory build/coverage/obj --gcov-ignore-parse-errors \
	    --filter 'grammar/' --filter 'compiler/' --filter 'runtime/' --filter 'lua/' \
	    --exclude-unreachable-branches --exclude-throw-branches \
	    --txt build/coverage/report.txt --html-details build/coverage/index.html \
	    --print-summary || exit 1; \
	echo "per-file figures: build/coverage/report.txt; browse build/coverage/index.html"; \
	exit $$rc

# memcheck over the unit tests, the fuzz regressions and the command-line suites.
valgrind: all $(UNIT_BIN) $(REPLAY_BIN)
	@MMEC_BUILD=$(B) bash tests/valgrind.sh
