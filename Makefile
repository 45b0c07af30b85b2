# Convenience wrapper around CMake. The README's quick start:
#   make demo    build, then run the demo
#   make check   build, then run every test
# Others: make asan (the suite under ASan+UBSan, clang), make fuzz (every fuzz
# target for FUZZ_SECONDS each; FUZZ_TARGETS="client server" for some),
# make bench, make install PREFIX=..., make clean.

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
PREFIX     ?= /usr/local
CMAKE_ARGS ?=
CTEST_ARGS ?=
FUZZ_SECONDS ?= 30
FUZZ_JOBS    ?= 1
FUZZ_TARGETS ?=

.PHONY: all build demo check asan fuzz bench install clean

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

# libFuzzer targets (clang, -fsanitize=fuzzer,address,undefined), each run for
# FUZZ_SECONDS; new inputs stay in $(FUZZ_BUILD)/fuzz-corpus, crashes in
# $(FUZZ_BUILD)/fuzz-crashes (fuzz/README.md says how to turn one into a test).
fuzz:
	@CC=clang cmake -S . -B $(FUZZ_BUILD) -DLATCH_FUZZ=ON -DLATCH_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS) >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS)
	fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_JOBS) $(FUZZ_TARGETS)

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) build-cov
