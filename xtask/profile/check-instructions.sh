#!/usr/bin/env bash
# What rustc does for a `cargo check` after a one-line edit, in CPU instructions (valgrind's
# cachegrind), for the crates named: counts repeat to 0.01% where wall times on a shared
# 2-core machine drift by ±5%, so a change worth 1% shows.
#
#   xtask/profile/check-instructions.sh CRATE_DIR...
#
# Each crate is checked once to build its dependencies and incremental state, then edited (a
# comment appended to src/lib.rs) and checked twice more under cachegrind; both counts are
# printed. Only rustc on the crate itself is counted (cargo's RUSTC_WORKSPACE_WRAPPER), not
# cargo or the dependencies. Give each crate its own package name: they share one target
# folder, target/profile/check. `cargo xtask bench --only progenitor` leaves nexus and its
# progenitor twin in target/bench/compile/.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
command -v valgrind >/dev/null || { echo "valgrind is needed (Debian package valgrind)" >&2; exit 1; }
[ $# -gt 0 ] || { echo "usage: $0 CRATE_DIR..." >&2; exit 2; }
out="$root/target/profile/check"
mkdir -p "$out"
wrapper="$out/count-rustc.sh"
cat > "$wrapper" <<'WRAP'
#!/usr/bin/env bash
if [ -n "${COUNT_LOG:-}" ]; then
  counted=$(valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$@" 2>&1 >/dev/null) || status=$?
  echo "$counted" | sed -n 's/.*I *refs: *\([0-9,]*\).*/\1/p' | tr -d , >> "$COUNT_LOG"
  exit "${status:-0}"
fi
exec "$@"
WRAP
chmod +x "$wrapper"
export CARGO_INCREMENTAL=1 CARGO_TARGET_DIR="$out/target" RUSTC_WORKSPACE_WRAPPER="$wrapper"
for dir in "$@"; do
  log="$out/$(basename "$dir").log"
  rm -f "$log"
  (cd "$dir" && cargo check -q && echo "// edit $RANDOM" >> src/lib.rs && cargo check -q)
  for _ in 1 2; do
    echo "// edit $RANDOM" >> "$dir/src/lib.rs"
    (cd "$dir" && COUNT_LOG="$log" cargo check -q)
  done
  printf '%s: %s\n' "$dir" "$(paste -sd' ' "$log") instructions"
done
