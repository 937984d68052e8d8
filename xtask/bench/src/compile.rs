//! What the generated crate costs in its users' builds: `cargo check` and `cargo build` of
//! the crate alone, dependencies already built.

use serde_json::json;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn cargo(dir: &Path, target: &Path, args: &[&str]) -> Option<Duration> {
    let started = Instant::now();
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
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

/// Rewrites the crate root so cargo must rebuild this crate (and only it).
fn touch(lib: &Path, n: usize) {
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
        specs.push((
            "stripe",
            root.join("../shared/corpus/public/stripe-spec3.yaml"),
        ));
    }
    let work = root.join("target/bench/compile");
    let target = root.join("target/bench/compile-target");
    println!("\n### Compile cost of the generated crate alone (dependencies already built)\n");
    println!("| crate | lines | cargo check s | cargo build s |");
    println!("|---|---:|---:|---:|");
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
        if cargo(&dir, &target, &["check"]).is_none() || cargo(&dir, &target, &["build"]).is_none()
        {
            println!("| {name} | {lines} | failed | failed |");
            continue;
        }
        let lib = dir.join("src/lib.rs");
        touch(&lib, 1);
        let check = cargo(&dir, &target, &["check"]);
        touch(&lib, 2);
        let build = cargo(&dir, &target, &["build"]);
        let secs = |d: Option<Duration>| d.map(|d| d.as_secs_f64());
        println!(
            "| {name} | {lines} | {} | {} |",
            secs(check).map_or("failed".into(), |s| format!("{s:.2}")),
            secs(build).map_or("failed".into(), |s| format!("{s:.2}"))
        );
        rows.push(
            json!({"crate": name, "lines": lines, "check_s": secs(check), "build_s": secs(build)}),
        );
    }
    json!(rows)
}
