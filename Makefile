# Convenience wrapper around CMake. The README's quick start:
#   make demo    build, then run the demo
#   make check   build, then run every test
# Others: make asan (the suite under ASan+UBSan, clang), make fuzz (every fuzz
# target for FUZZ_SECONDS each; FUZZ_TARGETS="client server" for some),
# make valgrind, make ct, make bench, make install PREFIX=..., make clean.

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
VG_BUILD   ?= build-valgrind
CT_BUILD   ?= build-ct
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
PREFIX     ?= /usr/local
CMAKE_ARGS ?=
CTEST_ARGS ?=
FUZZ_SECONDS ?= 30
FUZZ_JOBS    ?= 1
FUZZ_TARGETS ?=

.PHONY: all build demo check asan fuzz valgrind ct bench install clean

all: build

build:
	@cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_ARGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	./$(BUILD)/latch demo

check: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) $(CTEST_ARGS)

asan:
	@CC=clang cmake -S . -B $(ASAN_BUILD) -DLATCH_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug $(CMAKE_ARGS) >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS) $(CTEST_ARGS)

# The benchmark (bench/, docs/PERFORMANCE.md): build, then run it. It needs an
# optimised build (the default, RelWithDebInfo); BENCH_ARGS passes options,
# e.g. make bench BENCH_ARGS=--quick.
BENCH_ARGS ?=
bench: build
	./$(BUILD)/bench/latch-bench $(BENCH_ARGS)

# libFuzzer targets (clang, -fsanitize=fuzzer,address,undefined), each run for
# FUZZ_SECONDS; new inputs stay in $(FUZZ_BUILD)/fuzz-corpus, crashes in
# $(FUZZ_BUILD)/fuzz-crashes (fuzz/README.md says how to turn one into a test).
fuzz:
	@CC=clang cmake -S . -B $(FUZZ_BUILD) -DLATCH_FUZZ=ON -DLATCH_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS) >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS)
	fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_JOBS) $(FUZZ_TARGETS)

# Every in-memory C test and fuzz corpus replay under valgrind's memcheck
# (no invalid access, no uninitialised read, no definite leak).
valgrind:
	@cmake -S . -B $(VG_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS) >/dev/null
	@cmake --build $(VG_BUILD) -j $(JOBS)
	tests/valgrind.sh $(abspath $(VG_BUILD)) $(JOBS)

# The constant-time check (tests/ct/ct_test.c): secrets marked undefined,
# memcheck reports any branch or index on them in latch's code.
ct:
	@cmake -S . -B $(CT_BUILD) -DLATCH_CT_VALGRIND=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS) >/dev/null
	@cmake --build $(CT_BUILD) -j $(JOBS) --target test_ct_ct
	valgrind --error-exitcode=1 --suppressions=tests/ct/libcrypto.supp --num-callers=30 $(CT_BUILD)/tests/test_ct_ct

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) $(VG_BUILD) $(CT_BUILD) build-cov
