# Thin wrapper over CMake for the README's two quick-start commands.
#   make demo   install missing Debian packages, build, ingest corpus/, summary
#   make test   build and run the whole suite through CTest
#   make asan   the suite again, built with -fsanitize=address,undefined
BUILD ?= build
DB ?= baogao.db
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps build demo test asan format format-check clean

all: build

deps:
	@sh tests/deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	rm -f $(DB)
	$(BUILD)/baogao --db $(DB) ingest corpus
	$(BUILD)/baogao --db $(DB) summary

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

asan: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DBG_SANITIZE=ON
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS)

format:
	clang-format -i pipeline/*.c pipeline/*.h tests/*.c

format-check:
	clang-format --dry-run --Werror pipeline/*.c pipeline/*.h tests/*.c

clean:
	rm -rf $(BUILD) build-asan
