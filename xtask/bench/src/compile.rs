//! What the generated crate costs in its users' builds: `cargo check` and `cargo build` of
//! the crate alone from scratch (no incremental state, as a clean build or CI compiles it),
//! dependencies already built; for a crate split into areas, also `cargo check` of one
//! typical area alone (the median by operations); peak rustc memory where GNU `time` is
//! installed.

use serde_json::json;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// `cargo args` in `dir`, timed (`None` when it fails). `incremental`: keep rustc's
/// incremental state (`Some(true)`, a developer's rebuild after an edit), compile the crate
/// from scratch (`Some(false)`, a clean build), or whatever the environment says (`None`).
pub(crate) fn cargo(
    dir: &Path,
    target: &Path,
    args: &[&str],
    incremental: Option<bool>,
) -> Option<Duration> {
    let started = Instant::now();
    let mut command = Command::new(cargo_bin());
    if let Some(incremental) = incremental {
        command.env("CARGO_INCREMENTAL", if incremental { "1" } else { "0" });
    }
    let status = command
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .ok()?;
    status.success().then(|| started.elapsed())
}

pub(crate) fn cargo_bin() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Peak resident memory (MiB) of `cargo args` and its children (rustc), by GNU `time`.
fn peak_mib(dir: &Path, target: &Path, args: &[&str]) -> Option<f64> {
    let output = Command::new("/usr/bin/time")
        .args(["-f", "peak-kib %M", &cargo_bin()])
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTFLAGS")
        .stdout(std::process::Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stderr);
    let kib: f64 = text
        .lines()
        .find_map(|l| l.strip_prefix("peak-kib "))?
        .trim()
        .parse()
        .ok()?;
    output.status.success().then_some(kib / 1024.0)
}

/// Rewrites the crate root so cargo must rebuild this crate (and only it).
pub(crate) fn touch(lib: &Path, n: usize) {
    if let Ok(mut text) = std::fs::read_to_string(lib) {
        text.push_str(&format!("\n// bench touch {n}\n"));
        let _ = std::fs::write(lib, text);
    }
}

pub fn compile_cost(root: &Path, quick: bool) -> serde_json::Value {
    let mut specs = vec![(
        "hubspot-conversations",
        root.join("spec/hubspot-conversations.yaml"),
    )];
    if !quick {
        let corpus = root.join("../shared/corpus/public");
        specs.push(("nexus", corpus.join("oxide-nexus.json")));
        specs.push(("github", corpus.join("progenitor-api.github.com.json")));
        specs.push(("asana", corpus.join("asana-oas.yaml")));
        specs.push(("stripe", corpus.join("stripe-spec3.yaml")));
    }
    let work = root.join("target/bench/compile");
    let target = root.join("target/bench/compile-target");
    println!(
        "\n### Compile cost of the generated crate alone, from scratch (dependencies already built)\n"
    );
    println!(
        "| crate | lines | cargo check s | cargo build s | peak rustc MiB (check) | one area alone | its check s | area / whole (goal ≤ 0.15) |"
    );
    println!("|---|---:|---:|---:|---:|---|---:|---:|");
    let mut rows = Vec::new();
    for (name, spec) in specs {
        let Ok(text) = std::fs::read_to_string(&spec) else {
            continue;
        };
        let crate_name = format!("bench-{name}");
        let Ok(krate) = openapi_gen::generate(
            &spec.display().to_string(),
            &text,
            &openapi_gen::Options::new(&crate_name),
        ) else {
            continue;
        };
        let lines: usize = krate
            .files
            .iter()
            .filter(|(p, _)| p.ends_with(".rs"))
            .map(|(_, t)| t.lines().count())
            .sum();
        let dir = work.join(name);
        let _ = std::fs::remove_dir_all(&dir);
        if openapi_gen::write::write_crate(&krate, &dir).is_err() {
            continue;
        }
        let _ = std::fs::write(
            dir.join("Cargo.toml"),
            format!(
                "{}\n[workspace]\n",
                std::fs::read_to_string(dir.join("Cargo.toml")).unwrap_or_default()
            ),
        );
        let _ = std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"));
        // Warm: dependencies for both profiles, and the crate once.
        if cargo(&dir, &target, &["check"], None).is_none()
            || cargo(&dir, &target, &["build"], None).is_none()
        {
            println!("| {name} | {lines} | failed | failed |");
            continue;
        }
        let lib = dir.join("src/lib.rs");
        touch(&lib, 1);
        // From scratch: with rustc's incremental state, a rebuild after this touch reuses
        // nearly everything (Stripe: 21–28 s, against 70 s from scratch).
        let check = cargo(&dir, &target, &["check"], Some(false));
        touch(&lib, 2);
        let build = cargo(&dir, &target, &["build"], Some(false));
        touch(&lib, 3);
        let peak = peak_mib(&dir, &target, &["check"]);
        // The median area by operations: a typical one, not the biggest or a stub.
        let mut areas: Vec<&openapi_gen::GroupSummary> = krate.groups.iter().collect();
        areas.sort_by_key(|g| g.operations);
        let area = areas.get(areas.len() / 2).map(|g| g.feature.clone());
        let area_check = area.as_ref().and_then(|area| {
            let args = ["check", "--no-default-features", "--features", area];
            // Once to build it, then timed after a touch, as the whole crate was.
            cargo(&dir, &target, &args, Some(false))?;
            touch(&lib, 4);
            cargo(&dir, &target, &args, Some(false))
        });
        let secs = |d: Option<Duration>| d.map(|d| d.as_secs_f64());
        let shown = |s: Option<f64>| s.map_or("-".into(), |s| format!("{s:.2}"));
        let ratio = match (secs(area_check), secs(check)) {
            (Some(a), Some(w)) if w > 0.0 => Some(a / w),
            _ => None,
        };
        println!(
            "| {name} | {lines} | {} | {} | {} | {} | {} | {} |",
            shown(secs(check)),
            shown(secs(build)),
            peak.map_or("-".into(), |p| format!("{p:.0}")),
            area.as_deref().unwrap_or("(not split)"),
            shown(secs(area_check)),
            shown(ratio),
        );
        rows.push(json!({
            "crate": name, "lines": lines, "check_s": secs(check), "build_s": secs(build),
            "peak_rustc_mib": peak, "area": area, "area_check_s": secs(area_check), "area_ratio": ratio,
            "areas": krate.groups.len(),
        }));
    }
    json!(rows)
}
