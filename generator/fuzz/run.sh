#!/usr/bin/env bash
# Fuzz the generator with libFuzzer. Installs cargo-fuzz (pinned) if it is missing; stable
# Rust is told to accept the sanitizer flags with RUSTC_BOOTSTRAP (no nightly toolchain here).
#   generator/fuzz/run.sh raw_bytes 600     # target, seconds
#   generator/fuzz/run.sh structured 600
set -euo pipefail
cd "$(dirname "$0")"
target="${1:-raw_bytes}"
seconds="${2:-60}"
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --version 0.13.2 --locked
fi
# New inputs go to target/ (ignored); the checked-in seeds in corpus/ are only read.
mkdir -p "corpus/$target" "target/corpus-$target"
RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "target/corpus-$target" "corpus/$target" -- \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
  $( [ "$target" = structured ] && echo "-len_control=0" )
