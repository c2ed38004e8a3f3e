#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60) on its seed corpus (tests/fuzz/corpus/,
# made from the test fixtures) plus what earlier runs found (build-fuzz/corpus/). A crash, a
# leak, a sanitizer report or an input slower than 25 s leaves the input in build-fuzz/findings/
# and fails the script. Build first: cmake --preset fuzz && cmake --build --preset fuzz
#   bash tests/fuzz/run.sh [SECONDS] [TARGET...]     e.g. bash tests/fuzz/run.sh 3600 zip
set -uo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(ratings catalogue sniffer zip checkpoint specjson cliargs idrows)
bin=build-fuzz/tests/fuzz
mkdir -p build-fuzz/findings
failed=()
for t in "${targets[@]}"; do
    exe="$bin/fuzz_$t"
    if [ ! -x "$exe" ]; then
        echo "fuzz_$t: not built ($exe); build the fuzz preset first" >&2
        exit 2
    fi
    mkdir -p "build-fuzz/corpus/$t"
    log="build-fuzz/fuzz_$t.log"
    if "$exe" -max_total_time="$seconds" -max_len=65536 -timeout=25 -rss_limit_mb=2560 \
        -artifact_prefix="build-fuzz/findings/$t-" -print_final_stats=1 \
        "build-fuzz/corpus/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1; then
        runs=$(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
        cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
        echo "fuzz_$t: ${seconds} s, ${runs:-?} inputs, ${cov:-cov: ?}, nothing found"
    else
        echo "fuzz_$t: FOUND a problem; the input is in build-fuzz/findings/, the report:"
        grep -v '^#[0-9]' "$log" | tail -n 40
        failed+=("$t")
    fi
done
[ ${#failed[@]} -eq 0 ] || { echo "fuzz targets with findings: ${failed[*]}"; exit 1; }
