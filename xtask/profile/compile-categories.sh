#!/usr/bin/env bash
# Where rustc spends a `cargo check` of one generated crate, by what in the crate it works
# on (serde impls, request builders, the runtime…): rustc's `-Z self-profile` (with
# RUSTC_BOOTSTRAP=1, for this measurement only) summed by xtask/profile/categories, which
# this script builds the first time (its pinned `analyzeme` from crates.io).
#
#   xtask/profile/compile-categories.sh SPEC        e.g. ../shared/corpus/public/asana-oas.yaml
set -euo pipefail
cd "$(dirname "$0")/../.."
spec=${1:?usage: compile-categories.sh SPEC}
name=profile-$(basename "$spec" | sed 's/\.[a-z]*$//' | tr '._' '--' | tr 'A-Z' 'a-z')
ident=$(echo "$name" | tr - _)
work=$PWD/target/profile/$name
target=$PWD/target/profile-target
out=$PWD/target/profile/self-profile-$name
cargo build -q --release -p openapi-gen
cargo build -q --release --manifest-path xtask/profile/categories/Cargo.toml \
    --target-dir "$PWD/target/profile-tool"
rm -rf "$work" "$out"
mkdir -p "$out"
target/release/openapi-gen --out "$work" --crate-name "$name" "$spec" >/dev/null 2>&1
printf '\n[workspace]\n' >> "$work/Cargo.toml"
cp Cargo.lock "$work/"
(cd "$work" && CARGO_TARGET_DIR=$target cargo check -q 2>/dev/null)   # dependencies
echo "// touch" >> "$work/src/lib.rs"
(cd "$work" && CARGO_TARGET_DIR=$target CARGO_INCREMENTAL=0 RUSTC_BOOTSTRAP=1 cargo rustc -q --lib \
    --profile=check -- -Z self-profile="$out" -Z self-profile-events=default,args 2>/dev/null)
profile=$(ls "$out"/*.mm_profdata | head -1)
echo "$spec:"
target/profile-tool/release/profile-categories "${profile%.mm_profdata}" "$ident"
rm -rf "$out"
