#!/usr/bin/env bash
# fuzz.sh -- builds the libFuzzer targets (tests/fuzz) and runs each one for a while.
#
# Usage: tools/fuzz.sh [SECONDS_PER_TARGET] [fuzz_target...]
#   SECONDS_PER_TARGET  default 20; all targets unless some are named.
# Build dir build/fuzz (clang, -DFUZZ=ON, ASan+UBSan, no jemalloc). Targets run one at a time,
# one process each (the box is shared). Each starts from the committed seeds
# (tests/fuzz/corpus/<target>), the seeds fuzz_seeds writes from our encoders, and the inputs
# of past findings (tests/fuzz/regressions/<target>); new inputs go to build/fuzz/work/<target>.
# Any crash, sanitizer report, leak or timeout fails the script; its input is kept under
# build/fuzz/artifacts/ and the log under build/fuzz/logs/. Prints one line per target.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-20}
shift || true
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
    echo "usage: tools/fuzz.sh [SECONDS_PER_TARGET] [fuzz_target...]" >&2
    exit 2
fi
all_targets=(fuzz_ndjson fuzz_csv fuzz_msgpack fuzz_watchlist fuzz_parcel_batch
             fuzz_verdict_batch fuzz_end fuzz_ack fuzz_stats fuzz_control fuzz_msg_type
             fuzz_mpread)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=("${all_targets[@]}")
fi

# Largest input per target: a manifest record is at most 64 KiB, so the readers and the
# watchlist get a little more; the small messages fit in a few KiB.
max_len_of() {
    case "$1" in
    fuzz_ndjson | fuzz_csv | fuzz_msgpack | fuzz_watchlist) echo 70000 ;;
    fuzz_parcel_batch | fuzz_verdict_batch) echo 65536 ;;
    *) echo 4096 ;;
    esac
}

build=build/fuzz
cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DFUZZ=ON -DSANITIZE=address,undefined -DWITH_JEMALLOC=OFF -DBUILD_TESTING=OFF \
    -DWERROR=ON >/dev/null
cmake --build "$build" --target fuzz -j"${JOBS:-2}" >/dev/null

fuzz_bin=$build/tests/fuzz
rm -rf "$build/seeds"
"$fuzz_bin/fuzz_seeds" "$build/seeds"
mkdir -p "$build/logs" "$build/artifacts"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/tests/supp/lsan.supp

failed=0
passed=0
findings=0
for t in "${targets[@]}"; do
    if [ ! -x "$fuzz_bin/$t" ]; then
        echo "$t: no such target" >&2
        failed=1
        continue
    fi
    mkdir -p "$build/work/$t"
    dirs=("$build/work/$t")
    for d in "tests/fuzz/corpus/$t" "$build/seeds/$t" "tests/fuzz/regressions/$t"; do
        if [ -d "$d" ]; then
            dirs+=("$d")
        fi
    done
    log=$build/logs/$t.log
    rc=0
    "$fuzz_bin/$t" -max_total_time="$seconds" -max_len="$(max_len_of "$t")" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" \
        "${dirs[@]}" >"$log" 2>&1 || rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    if [ "$rc" -eq 0 ]; then
        echo "$t: ${runs:-0} runs, no finding"
        passed=$((passed + 1))
    else
        failed=1
        findings=$((findings + 1))
        artifact=$(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)
        echo "$t: FINDING (exit $rc) after ${runs:-?} runs; input ${artifact:-none}, log $log"
        grep -m 3 -E 'ERROR: |runtime error|fuzz invariant|Assertion' "$log" | sed 's/^/    /' || true
    fi
done
echo "fuzz: $passed passed, $findings failed"
exit "$failed"
