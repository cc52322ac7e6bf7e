# Thin wrapper over CMake so a newcomer needs two commands:
#   make demo    build, then build the bundled example packet
#   make check   build, then run the whole test suite under ctest
BUILD ?= build
JOBS  ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=
DEMO_CASE ?= fixtures/cases/genomic-profiling/case.xml
DEMO_OUT  ?= $(BUILD)/demo/genomic-profiling.pdf

.PHONY: all deps test-deps configure build demo check sanitize valgrind fuzz clean

all: build

deps:
	@sh scripts/deps.sh

test-deps:
	@sh scripts/deps.sh --test

configure: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@mkdir -p $(dir $(DEMO_OUT))
	@$(BUILD)/appeal-packet build $(DEMO_CASE) -o $(DEMO_OUT) --date 2026-10-09
	@echo "Packet written: $(abspath $(DEMO_OUT))"

check: test-deps build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The same suite under AddressSanitizer + UndefinedBehaviorSanitizer.
sanitize:
	@sh scripts/deps.sh --test --sanitize
	@$(MAKE) --no-print-directory check BUILD=build-asan CMAKE_FLAGS="-DCMAKE_C_COMPILER=clang -DAP_SANITIZE=ON -DAP_WERROR=ON -DCMAKE_BUILD_TYPE=Debug"

# The end-to-end builds and checks under valgrind memcheck (any error or a
# definite leak fails).
valgrind: build
	@sh scripts/deps.sh --sanitize
	@sh scripts/valgrind.sh $(BUILD)/appeal-packet

# The libFuzzer harnesses (clang), FUZZ_TIME seconds each (fuzz/README.md).
FUZZ_TIME ?= 600
FUZZ_TARGETS ?= case png jpeg linebreak
fuzz:
	@sh scripts/deps.sh --sanitize
	@cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DAP_FUZZ=ON >/dev/null
	@cmake --build build-fuzz -j $(JOBS) --target fuzzers
	@sh fuzz/run.sh build-fuzz $(FUZZ_TIME) $(FUZZ_TARGETS)

clean:
	rm -rf $(BUILD) build-asan build-fuzz
