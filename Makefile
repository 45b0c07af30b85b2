# Convenience wrapper around CMake. The README's quick start:
#   make demo    build, then run the demo
#   make check   build, then run every test
# Others: make asan (the suite under ASan+UBSan, clang), make fuzz, make bench,
# make install PREFIX=..., make clean.

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
PREFIX     ?= /usr/local
CMAKE_ARGS ?=
CTEST_ARGS ?=

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

# The benchmark (bench/, docs/PERFORMANCE.md): build, then run it. It needs an
# optimised build (the default, RelWithDebInfo); BENCH_ARGS passes options,
# e.g. make bench BENCH_ARGS=--quick.
BENCH_ARGS ?=
bench: build
	./$(BUILD)/bench/latch-bench $(BENCH_ARGS)

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
