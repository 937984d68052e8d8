//! `cargo xtask families [--timings]`: the corpus's API families (`xtask/families.toml`),
//! each generated as one crate from several specs, checked with clippy with all features
//! and with each feature alone. `--timings` checks one crate and feature at a time and
//! prints what each costs (for the README); without it the crates are checked side by side.

use crate::corpus::{compiler_messages, corpus_cargo};
use openapi_gen::config::Config;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// One clippy run of one crate: seconds, errors, warnings.
fn clippy(root: &Path, work: &Path, krate: &str, feature: Option<&str>) -> (f64, usize, usize) {
    let mut command = corpus_cargo(root);
    command.args(["clippy", "-p", krate, "--message-format=json"]);
    if let Some(feature) = feature {
        command.args(["--no-default-features", "--features", feature]);
    }
    run_clippy(command, work)
}

/// Runs a clippy `command` (JSON messages) in `work`: seconds, errors, warnings.
fn run_clippy(mut command: std::process::Command, work: &Path) -> (f64, usize, usize) {
    let started = Instant::now();
    let output = command.current_dir(work).output();
    let seconds = started.elapsed().as_secs_f64();
    match output {
        Ok(output) => {
            let (errors, warnings) = compiler_messages(&output.stdout)
                .values()
                .fold((0, 0), |(e, w), (de, dw)| (e + de, w + dw));
            // A failure without compiler messages (a manifest error) is still a failure.
            if output.status.success() {
                (seconds, errors, warnings)
            } else {
                eprint!("{}", String::from_utf8_lossy(&output.stderr));
                (seconds, errors.max(1), warnings)
            }
        }
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            (seconds, 1, 0)
        }
    }
}

type Generated<'a> = (
    &'a openapi_gen::config::CrateConfig,
    openapi_gen::GeneratedCrate,
    usize,
    f64,
);

/// Checks every family with all features, then each feature alone, in rounds of one
/// cargo run over all families (`-p a -p b --features a/x,b/y`), so cargo checks the
/// crates side by side: a crate's check is one rustc, one core. Returns the count of
/// errors and warnings.
fn batched(root: &Path, work: &Path, generated: &[Generated<'_>]) -> usize {
    let mut rounds: Vec<Vec<(String, Option<String>)>> = vec![
        generated
            .iter()
            .map(|(krate, _, _, _)| (krate.name.clone(), None))
            .collect(),
    ];
    let most = generated
        .iter()
        .map(|(_, c, _, _)| c.groups.len())
        .max()
        .unwrap_or(0);
    for k in 0..most {
        rounds.push(
            generated
                .iter()
                .filter_map(|(krate, c, _, _)| {
                    let feature = &c.groups.get(k)?.feature;
                    Some((
                        krate.name.clone(),
                        Some(format!("{}/{feature}", krate.name)),
                    ))
                })
                .collect(),
        );
    }
    println!("| family | specs | features | operations | types | generated lines | generate ms |");
    println!("|---|---:|---|---:|---:|---:|---:|");
    for (krate, c, lines, generate_ms) in generated {
        let features: Vec<&str> = c.groups.iter().map(|g| g.feature.as_str()).collect();
        println!(
            "| {} | {} | {} | {} | {} | {lines} | {generate_ms:.0} |",
            krate.name,
            krate.specs.len(),
            features.join(", "),
            c.operation_count,
            c.type_count
        );
    }
    println!();
    println!("| round | crates | clippy s | errors / warnings |");
    println!("|---|---|---:|---:|");
    let mut failures = 0;
    for round in rounds {
        let mut command = corpus_cargo(root);
        command.args(["clippy", "--message-format=json"]);
        for (krate, _) in &round {
            command.args(["-p", krate]);
        }
        let features: Vec<&str> = round.iter().filter_map(|(_, f)| f.as_deref()).collect();
        if !features.is_empty() {
            command.args(["--no-default-features", "--features", &features.join(",")]);
        }
        let (seconds, errors, warnings) = run_clippy(command, work);
        failures += errors + warnings;
        let shown = if features.is_empty() {
            "all features of each".to_owned()
        } else {
            features.join(", ")
        };
        println!(
            "| {shown} | {} | {seconds:.1} | {errors} / {warnings} |",
            round.len()
        );
    }
    failures
}

/// One crate and feature at a time, timed: the table in the README.
fn timed_rows(root: &Path, work: &Path, generated: &[Generated<'_>]) -> usize {
    // Dependencies first, so the times below are the generated crates' own: one small
    // build, whose crate is then cleaned away.
    if let Some((krate, crate_files, _, _)) = generated.first()
        && let Some(group) = crate_files.groups.iter().min_by_key(|g| g.operations)
    {
        clippy(root, work, &krate.name, Some(&group.feature));
        let _ = corpus_cargo(root)
            .args(["clean", "-p", &krate.name])
            .current_dir(work)
            .output();
    }
    println!(
        "| family | specs | operations | types | generated lines | generate ms | all features: clippy s | each feature alone: clippy s (operations) | errors / warnings |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---|---:|");
    let mut failures = 0;
    for (krate, crate_files, lines, generate_ms) in generated {
        let (all_s, mut errors, mut warnings) = clippy(root, work, &krate.name, None);
        let mut alone = Vec::new();
        for group in &crate_files.groups {
            let (s, e, w) = clippy(root, work, &krate.name, Some(&group.feature));
            errors += e;
            warnings += w;
            alone.push(format!("{} {s:.1} ({})", group.feature, group.operations));
        }
        failures += errors + warnings;
        println!(
            "| {} | {} | {} | {} | {lines} | {generate_ms:.0} | {all_s:.1} | {} | {errors} / {warnings} |",
            krate.name,
            krate.specs.len(),
            crate_files.operation_count,
            crate_files.type_count,
            alone.join(", "),
        );
    }
    failures
}

pub fn run(root: &Path, timings: bool) -> ExitCode {
    let config = match Config::load(&root.join("xtask/families.toml")) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let work = root.join("target/families");
    let mut members = Vec::new();
    let mut generated = Vec::new();
    for krate in &config.crates {
        if let Some(missing) = krate.specs.iter().find(|s| !s.path.is_file()) {
            eprintln!(
                "error: {} is missing: ../shared must sit beside the repository",
                missing.path_as_written
            );
            return ExitCode::FAILURE;
        }
        let started = Instant::now();
        let crate_files = match krate.generate() {
            Ok(files) => files,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        };
        let generate_ms = started.elapsed().as_secs_f64() * 1000.0;
        if let Err(e) = krate.apply(&crate_files, false) {
            eprintln!("error: cannot write {}: {e}", krate.out.display());
            return ExitCode::from(2);
        }
        let dir = krate
            .out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        members.push(format!("{dir:?}"));
        let lines: usize = crate_files
            .files
            .iter()
            .map(|(_, t)| t.lines().count())
            .sum();
        generated.push((krate, crate_files, lines, generate_ms));
    }
    let manifest = format!(
        "# Written by `cargo xtask families`.\n[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        members.join(", ")
    );
    if let Err(e) = std::fs::write(work.join("Cargo.toml"), manifest) {
        eprintln!("error: cannot write {}: {e}", work.display());
        return ExitCode::from(2);
    }
    let failures = if timings {
        timed_rows(root, &work, &generated)
    } else {
        batched(root, &work, &generated)
    };
    if failures == 0 {
        println!(
            "\n{} families generated as one crate each; clippy-clean with all features and with every feature alone",
            generated.len()
        );
        ExitCode::SUCCESS
    } else {
        println!("\n{failures} errors or warnings");
        ExitCode::FAILURE
    }
}
