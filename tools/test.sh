#!/usr/bin/env bash
# test.sh -- installs, builds and runs every test: the dev build (gcc, -Werror) and the
# ASan/UBSan build (clang), then every libFuzzer target for PS_FUZZ_SECONDS (default 10) each.
# Set PS_SKIP_ASAN=1 to run only the dev build, PS_FUZZ_SECONDS=0 to skip the fuzzers.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

tools/install-deps.sh --test
cmake --preset dev >/dev/null
cmake --build --preset dev -j"$jobs"
ctest --preset dev -j"$jobs"

if [ "${PS_SKIP_ASAN:-0}" != "1" ]; then
    cmake --preset asan >/dev/null
    cmake --build --preset asan -j"$jobs"
    ctest --preset asan -j"$jobs"
fi

fuzz_seconds=${PS_FUZZ_SECONDS:-10}
if [ "$fuzz_seconds" != "0" ] && [ "${PS_SKIP_ASAN:-0}" != "1" ]; then
    tools/fuzz.sh "$fuzz_seconds"
fi
