#!/usr/bin/env bash
# Runs `make test` RUNS times in a row (default 5) while BUSY processes (default 2, one per core
# of the reference machine) spin on the CPU, and stops at the first failure: the suite must not
# depend on how fast the machine is. The busy loops end with the script.
#
#   scripts/repeat-tests.sh [RUNS]        BUSY=0 scripts/repeat-tests.sh 5   (load supplied elsewhere)
#
# Each run's output goes to .build/repeat-tests/run-N.log; the summary says how long each took.
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
busy=${BUSY:-2}
logs=.build/repeat-tests
mkdir -p "$logs"

spinners=()
stop_spinners() { [ ${#spinners[@]} -eq 0 ] || kill "${spinners[@]}" 2>/dev/null; }
trap stop_spinners EXIT
for _ in $(seq 1 "$busy"); do
    sh -c 'while :; do :; done' &
    spinners+=($!)
done

for run in $(seq 1 "$runs"); do
    started=$(date +%s)
    if make test >"$logs/run-$run.log" 2>&1; then
        echo "run $run of $runs: passed in $(( $(date +%s) - started )) s ($(grep -Eo 'Test run with [0-9]+ tests in [0-9]+ suites passed' "$logs/run-$run.log" | tail -1))"
    else
        echo "run $run of $runs: FAILED after $(( $(date +%s) - started )) s; see $logs/run-$run.log"
        grep -E "✘|error:" "$logs/run-$run.log" | head -20
        exit 1
    fi
done
echo "$runs runs in a row passed with $busy busy loops"
