//! Side by side with progenitor 0.15.1 on the spec both handle (Oxide's nexus, as
//! progenitor's own test suite ships it): generated lines, and `cargo check` / `cargo build`
//! of each crate alone after its dependencies are built, median of 3, alternating: from
//! scratch (a clean build, as every CI run and every new checkout pays it) and after a
//! one-line edit with incremental state (a developer's rebuild). The bench
//! installs `cargo-progenitor` pinned, into its own folder (full mode only; a few minutes the
//! first time).

use crate::compile::{cargo, cargo_bin, touch};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const VERSION: &str = "0.15.1";

/// The pinned `cargo-progenitor`, installed on first use.
fn progenitor(root: &Path) -> Option<PathBuf> {
    let dir = root.join("target/bench/progenitor");
    let bin = dir.join("bin/cargo-progenitor");
    if bin.is_file() {
        return Some(bin);
    }
    eprintln!(
        "installing cargo-progenitor {VERSION} into {}…",
        dir.display()
    );
    let status = Command::new(cargo_bin())
        .args([
            "install",
            "cargo-progenitor",
            "--locked",
            "--version",
            VERSION,
            "--root",
        ])
        .arg(&dir)
        .status()
        .ok()?;
    (status.success() && bin.is_file()).then_some(bin)
}

/// Appends `[workspace]` so the crate builds on its own.
fn standalone(dir: &Path) {
    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap_or_default();
    if !text.contains("[workspace]") {
        let _ = std::fs::write(&manifest, format!("{text}\n[workspace]\n"));
    }
}

fn lines(dir: &Path) -> usize {
    fn walk(dir: &Path, total: &mut usize) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, total);
            } else if path.extension().is_some_and(|e| e == "rs") {
                *total += std::fs::read_to_string(&path).map_or(0, |t| t.lines().count());
            }
        }
    }
    let mut total = 0;
    walk(&dir.join("src"), &mut total);
    total
}

pub fn side_by_side(root: &Path) -> serde_json::Value {
    println!(
        "\n### Side by side with progenitor {VERSION} (nexus, each crate alone, median of 3)\n"
    );
    let spec = root.join("../shared/corpus/public/progenitor-nexus.json");
    let Ok(text) = std::fs::read_to_string(&spec) else {
        println!("(skipped: {} is missing)", spec.display());
        return json!(null);
    };
    let Some(bin) = progenitor(root) else {
        println!("(skipped: cargo-progenitor {VERSION} could not be installed)");
        return json!(null);
    };
    let work = root.join("target/bench/compile");
    let target = root.join("target/bench/compile-target");
    let ours = work.join("ab-openapi-gen");
    let theirs = work.join("ab-progenitor");
    let _ = std::fs::remove_dir_all(&ours);
    let _ = std::fs::remove_dir_all(&theirs);
    let generated = openapi_gen::generate(
        &spec.display().to_string(),
        &text,
        &openapi_gen::Options::new("ab-openapi-gen"),
    );
    let written = generated
        .ok()
        .and_then(|krate| openapi_gen::write::write_crate(&krate, &ours).ok());
    let progenitor_ok = Command::new(&bin)
        .args(["progenitor", "-i"])
        .arg(&spec)
        .arg("-o")
        .arg(&theirs)
        .args(["-n", "ab-progenitor", "-v", "0.1.0"])
        .stdout(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if written.is_none() || !progenitor_ok {
        println!("(skipped: generation failed)");
        return json!(null);
    }
    let codegen = codegen_side_by_side(root, &bin, &spec);
    standalone(&ours);
    standalone(&theirs);
    let _ = std::fs::copy(root.join("Cargo.lock"), ours.join("Cargo.lock"));
    let crates = [("openapi-gen", &ours), ("progenitor", &theirs)];
    // Warm: dependencies for both profiles.
    for (name, dir) in crates {
        let warm = [
            ("check", false),
            ("build", false),
            ("check", true),
            ("build", true),
        ];
        if warm.iter().any(|(command, incremental)| {
            cargo(dir, &target, &[command], Some(*incremental)).is_none()
        }) {
            println!("({name}'s crate does not build)");
            return json!(null);
        }
    }
    // [crate][check, build, check after an edit, build after an edit]
    let mut times: Vec<[Vec<Duration>; 4]> = vec![Default::default(), Default::default()];
    let mut n = 0;
    for _ in 0..3 {
        for (i, (_, dir)) in crates.iter().enumerate() {
            for (j, (command, incremental)) in [
                ("check", false),
                ("build", false),
                ("check", true),
                ("build", true),
            ]
            .iter()
            .enumerate()
            {
                n += 1;
                touch(&dir.join("src/lib.rs"), n);
                if let Some(d) = cargo(dir, &target, &[command], Some(*incremental)) {
                    times[i][j].push(d);
                }
            }
        }
    }
    let ours_lines = lines(&ours);
    let theirs_lines = lines(&theirs);
    let [ours_check, ours_build, ours_edit_check, ours_edit_build] =
        times[0].clone().map(crate::timing::median_secs);
    let [their_check, their_build, their_edit_check, their_edit_build] =
        times[1].clone().map(crate::timing::median_secs);
    let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => format!("**{:.2}×**", a / b),
        _ => "-".into(),
    };
    let s = |v: Option<f64>| v.map_or("-".into(), |v| format!("{v:.2} s"));
    println!("| | openapi-gen | progenitor {VERSION} | ratio (goal ≤ 0.8×) |");
    println!("|---|---:|---:|---:|");
    println!(
        "| generated lines | {ours_lines} | {theirs_lines} | {:.2}× |",
        ours_lines as f64 / theirs_lines.max(1) as f64
    );
    println!(
        "| `cargo check` | {} | {} | {} |",
        s(ours_check),
        s(their_check),
        ratio(ours_check, their_check)
    );
    println!(
        "| `cargo build` (debug) | {} | {} | {} |",
        s(ours_build),
        s(their_build),
        ratio(ours_build, their_build)
    );
    println!(
        "| `cargo check` after a one-line edit (incremental) | {} | {} | {} |",
        s(ours_edit_check),
        s(their_edit_check),
        ratio(ours_edit_check, their_edit_check)
    );
    println!(
        "| `cargo build` after a one-line edit (incremental) | {} | {} | {} |",
        s(ours_edit_build),
        s(their_edit_build),
        ratio(ours_edit_build, their_edit_build)
    );
    if let Some((ours, theirs, ratio)) = codegen {
        println!(
            "| generating the crate (CLI process, wall; ratio: median of 9 alternating pairs) | {:.3} s | {:.3} s | **{ratio:.2}×** (goal ≤ 0.25×) |",
            ours, theirs
        );
    }
    json!({
        "codegen": codegen.map(|(ours, theirs, ratio)| json!({"openapi_gen_s": ours, "progenitor_s": theirs, "ratio": ratio})),
        "spec": "progenitor-nexus.json",
        "openapi_gen": { "lines": ours_lines, "check_s": ours_check, "build_s": ours_build,
            "edit_check_s": ours_edit_check, "edit_build_s": ours_edit_build },
        "progenitor": { "version": VERSION, "lines": theirs_lines, "check_s": their_check, "build_s": their_build,
            "edit_check_s": their_edit_check, "edit_build_s": their_edit_build },
    })
}

/// Generating nexus with each CLI as a whole process, taking turns, 9 pairs after a warm-up
/// of each: both medians and the median of the per-pair ratios (pairs share the machine's
/// pace of the moment).
fn codegen_side_by_side(root: &Path, progenitor: &Path, spec: &Path) -> Option<(f64, f64, f64)> {
    let built = Command::new(cargo_bin())
        .args([
            "build",
            "--release",
            "--quiet",
            "-p",
            "openapi-gen",
            "--bin",
            "openapi-gen",
        ])
        .current_dir(root)
        .status()
        .is_ok_and(|s| s.success());
    if !built {
        return None;
    }
    let ours_bin = root.join("target/release/openapi-gen");
    let scratch = root.join("target/bench/codegen-ab");
    let time = |command: &mut Command| {
        let started = std::time::Instant::now();
        let ok = command
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| started.elapsed())
    };
    let ours = || {
        time(
            Command::new(&ours_bin)
                .arg(spec)
                .arg("--out")
                .arg(scratch.join("ours"))
                .args(["--crate-name", "ab-openapi-gen"]),
        )
    };
    let theirs = || {
        let out = scratch.join("theirs");
        let _ = std::fs::remove_dir_all(&out);
        time(
            Command::new(progenitor)
                .args(["progenitor", "-i"])
                .arg(spec)
                .arg("-o")
                .arg(&out)
                .args(["-n", "ab-progenitor", "-v", "0.1.0"]),
        )
    };
    ours()?;
    theirs()?;
    let (mut a, mut b, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..9 {
        let (x, y) = (ours()?, theirs()?);
        ratios.push(x.as_secs_f64() / y.as_secs_f64().max(1e-9));
        a.push(x);
        b.push(y);
    }
    ratios.sort_by(f64::total_cmp);
    Some((
        crate::timing::median_secs(a)?,
        crate::timing::median_secs(b)?,
        ratios[ratios.len() / 2],
    ))
}
