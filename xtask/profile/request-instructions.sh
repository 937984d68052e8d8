#!/usr/bin/env bash
# What one request costs in CPU instructions, the generated client against bare reqwest
# (with and without the timeout the generated client sets), counted by valgrind's callgrind.
# Counts repeat run to run where wall times on a shared 2-core machine drift by ±5%; they
# leave out the kernel, which both clients use alike (same syscalls per request).
#
#   xtask/profile/request-instructions.sh [--annotate]
#
# Each client runs 200 and then 1,200 requests (`xtask/bench/examples/request_instructions.rs`),
# one at a time and 32 at a time; the difference over 1,000 is the cost of one request, setup
# and server start cancelled out. With --annotate, the profiles stay in target/profile/requests/
# for `callgrind_annotate` (where the instructions go, function by function).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v valgrind >/dev/null || { echo "valgrind is needed (Debian package valgrind)" >&2; exit 1; }
cargo build -q --release -p bench --example request_instructions
bin=target/release/examples/request_instructions
out=target/profile/requests
mkdir -p "$out"
count() {  # mode n width -> instructions
    valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.$1.$2.$3" "$bin" "$1" "$2" "$3" 2>&1 \
        | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
"$bin" sizes
declare -A label=([bare]="bare reqwest" [timeout]="bare reqwest + 30 s timeout" [generated]="generated client")
for width in 1 32; do
    declare -A per=()
    for mode in bare timeout generated; do
        small=$(count "$mode" 200 "$width")
        large=$(count "$mode" 1200 "$width")
        per[$mode]=$(( (large - small) / 1000 ))
    done
    printf '\n%s at a time:\n\n| client | instructions per request | vs bare | vs bare + timeout |\n|---|---:|---:|---:|\n' "$width"
    for mode in bare timeout generated; do
        awk -v m="${label[$mode]}" -v n="${per[$mode]}" -v b="${per[bare]}" -v t="${per[timeout]}" \
            'BEGIN { printf "| %s | %d | %.3f× | %.3f× |\n", m, n, n / b, n / t }'
    done
done
[ "${1:-}" = --annotate ] || rm -f "$out"/callgrind.*
