#!/usr/bin/env bash
# Builds rabt-fuzz with libFuzzer and runs each fuzz target on its committed seed corpus.
#
#   scripts/fuzz.sh build                  build .build/fuzz/release/rabt-fuzz
#   scripts/fuzz.sh run TARGET [ARGS…]     fuzz one target (ARGS go to libFuzzer, e.g. -runs=10000000)
#   scripts/fuzz.sh all [SECONDS]          fuzz every target for SECONDS each (default 60): `make fuzz`
#
# New inputs that add coverage go to .build/fuzz/corpus/TARGET (the committed seeds in
# fuzz/corpus/TARGET are only read); crashes, timeouts and memory blow-ups go to
# .build/fuzz/findings/TARGET. docs/fuzzing.md explains the targets and how to replay a finding.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(json signature target pattern pattern-engines contract audit-export)
build_path=.build/fuzz
binary=$build_path/release/rabt-fuzz

build() {
    # Swift code gets libFuzzer's coverage instrumentation; the C and C++ underneath it (libyaml in
    # Yams, BoringSSL in swift-crypto, the RE2 shim) get it too, so the fuzzer sees their branches.
    # The binary keeps its Swift `main`, which hands over to libFuzzer's driver; lld links it
    # (gold fails on the sanitizer runtime).
    swift build -c release --product rabt-fuzz --build-path "$build_path" \
        -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING -Xswiftc -use-ld=lld \
        -Xcc -fsanitize=fuzzer-no-link -Xcxx -fsanitize=fuzzer-no-link
}

run() {
    local target=$1
    shift
    local corpus=$build_path/corpus/$target findings=$build_path/findings/$target
    mkdir -p "$corpus" "$findings"
    # A run is bounded by its arguments; these bound each input: 1 s of wall-clock time (a
    # pattern or a contract that takes longer is a finding; on a loaded machine check a timeout
    # by replaying it), 2 GiB of memory, 64 KiB of input. Swift's own
    # backtracer is off: libFuzzer reports a crash itself, and the backtracer's seconds would
    # turn every crash into a timeout.
    SWIFT_BACKTRACE=enable=no RABT_FUZZ_TARGET=$target "$binary" "$corpus" "fuzz/corpus/$target" \
        -artifact_prefix="$findings/" -timeout=1 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 "$@"
}

case "${1:-}" in
build) build ;;
run)
    [ $# -ge 2 ] || { echo "usage: $0 run TARGET [libFuzzer arguments…]" >&2; exit 2; }
    build # incremental: a run never fuzzes code older than the checkout
    shift
    run "$@"
    ;;
all)
    seconds=${2:-60}
    build
    failed=()
    for target in "${targets[@]}"; do
        echo "== $target: $seconds s"
        run "$target" -max_total_time="$seconds" || failed+=("$target")
    done
    # Every target runs even when one finds something; the exit status says whether any did.
    if [ ${#failed[@]} -gt 0 ]; then
        echo "findings in: ${failed[*]} (see $build_path/findings/)" >&2
        exit 1
    fi
    ;;
*)
    echo "usage: $0 build | run TARGET [libFuzzer arguments…] | all [SECONDS]" >&2
    exit 2
    ;;
esac
