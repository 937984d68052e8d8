#!/usr/bin/env bash
# Installs cargo-semver-checks, pinned, from the Rust package registry into target/tools/
# (not on PATH; `cargo xtask semver` runs it from there). The independent judge that
# `openapi-gen diff`'s breaking-change verdicts are compared with.
set -euo pipefail
cd "$(dirname "$0")/../.."
version=0.51.0
root=target/tools/semver-checks
if [ -x "$root/bin/cargo-semver-checks" ] && "$root/bin/cargo-semver-checks" semver-checks --version | grep -q "$version"; then
  exit 0
fi
cargo install --locked --quiet cargo-semver-checks --version "$version" --root "$root"
