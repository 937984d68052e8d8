#!/usr/bin/env bash
# Where rustc spends its time on one generated crate: `cargo check` (or `build` with
# PROFILE_BUILD=1) of the crate alone, dependencies built, with rustc's `-Z time-passes`.
# RUSTC_BOOTSTRAP=1 unlocks the nightly flag on the stable toolchain, for this measurement
# only; nothing else in the project uses it.
#
#   xtask/profile/compile-passes.sh SPEC [FEATURES]     e.g. ../shared/corpus/public/asana-oas.yaml
#
# Prints the passes that take at least 1% of the total, largest first.
set -euo pipefail
cd "$(dirname "$0")/../.."
spec=${1:?usage: compile-passes.sh SPEC [FEATURES]}
features=${2:-}
name=profile-$(basename "$spec" | sed 's/\.[a-z]*$//' | tr '._' '--' | tr 'A-Z' 'a-z')
work=$PWD/target/profile/$name
target=$PWD/target/profile-target
cargo build -q --release -p openapi-gen
rm -rf "$work"
target/release/openapi-gen --out "$work" --crate-name "$name" "$spec" 2>/dev/null
printf '\n[workspace]\n' >> "$work/Cargo.toml"
cp Cargo.lock "$work/"
mode=check
[ "${PROFILE_BUILD:-}" = 1 ] && mode=build
args=()
[ -n "$features" ] && args=(--no-default-features --features "$features")
(cd "$work" && CARGO_TARGET_DIR=$target cargo $mode -q "${args[@]}" 2>/dev/null)   # dependencies
echo "// touch" >> "$work/src/lib.rs"
(cd "$work" && CARGO_TARGET_DIR=$target RUSTC_BOOTSTRAP=1 cargo rustc -q "${args[@]}" --lib \
    $([ $mode = check ] && echo --profile=check) -- -Z time-passes 2> "$work/passes.txt") || true
# time-passes lines: "time:   1.234; rss:  100MB ->  200MB ( +100MB)	pass_name"
awk '/^time:/ { t=$2; sub(";","",t); name=$NF; total[name]+=t }
     END { for (n in total) print total[n], n }' "$work/passes.txt" \
  | sort -rn | awk -v spec="$spec" 'NR==1 && $2=="total" { all=$1; printf "%s: total %.2f s\n", spec, all; next }
                    { if (all == 0) all = $1; if ($1 / all >= 0.01) printf "  %6.2f s  %5.1f%%  %s\n", $1, 100*$1/all, $2 }'
wc -l "$work"/src/*.rs "$work"/src/*/*.rs 2>/dev/null | tail -1
