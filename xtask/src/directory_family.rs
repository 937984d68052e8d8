//! `cargo xtask directory --family PROVIDER`: one crate made of a provider's documents from
//! the directory (`azure.com`: 641, `googleapis.com`: 299), a module and a cargo feature
//! each, checked with clippy with all features and with features alone (`--alone N`: a
//! seeded sample of N; `--alone all`: every one).
//!
//! ```text
//! cargo xtask directory --family azure.com [--limit N] [--alone N|all] [--seed S]
//! ```

use crate::corpus::{compiler_messages, corpus_cargo};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

pub struct FamilySettings {
    pub provider: String,
    pub limit: Option<usize>,
    /// Features checked alone: `None` for all of them.
    pub alone: Option<usize>,
    pub seed: u64,
}

/// A module name for a document file: `web-DeletedWebApps.json` → `web_deleted_web_apps`.
fn module_name(stem: &str, taken: &mut BTreeSet<String>) -> String {
    let mut name = String::new();
    let mut last_lower = false;
    for c in stem.chars() {
        if c.is_ascii_uppercase() && last_lower {
            name.push('_');
        }
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
            last_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            if !name.ends_with('_') {
                name.push('_');
            }
            last_lower = false;
        }
    }
    let mut name = name.trim_matches('_').to_owned();
    name.truncate(48);
    let mut name = name.trim_end_matches('_').to_owned();
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        name.insert_str(0, "api_");
    }
    if openapi_gen::ir::is_reserved_module(&name) {
        name.push_str("_api");
    }
    let mut unique = name.clone();
    let mut n = 2;
    while taken.contains(&unique) {
        unique = format!("{name}_{n}");
        n += 1;
    }
    taken.insert(unique.clone());
    unique
}

pub fn run(root: &Path, api: &Path, settings: &FamilySettings) -> ExitCode {
    let dir = api.join(&settings.provider);
    let mut docs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    docs.sort();
    if let Some(limit) = settings.limit {
        docs.truncate(limit);
    }
    if docs.len() < 2 {
        eprintln!("error: {} has fewer than two documents", dir.display());
        return ExitCode::from(2);
    }
    let texts: Vec<(String, String)> = docs
        .iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            Some((p.file_name()?.to_str()?.to_owned(), text))
        })
        .collect();
    let mut taken = BTreeSet::new();
    let specs: Vec<openapi_gen::SpecInput<'_>> = texts
        .iter()
        .map(|(file, text)| {
            let stem = file.trim_end_matches(".json");
            openapi_gen::SpecInput {
                file,
                text,
                module: module_name(stem, &mut taken),
                // What the directory table calls "generated with --lenient" reads here too.
                lenient: true,
                base_url: None,
                overrides: &[],
                paging: &[],
            }
        })
        .collect();
    let name = format!(
        "family-{}",
        settings
            .provider
            .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    );
    let started = Instant::now();
    let krate = match openapi_gen::generate_family(&specs, &openapi_gen::Options::new(&name)) {
        Ok(krate) => krate,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let generate_s = started.elapsed().as_secs_f64();
    let lines: usize = krate
        .files
        .iter()
        .filter(|(p, _)| p.ends_with(".rs"))
        .map(|(_, t)| t.lines().count())
        .sum();
    let work = root.join("target/directory/family");
    let _ = std::fs::remove_dir_all(&work);
    let out = work.join(&name);
    if let Err(e) = openapi_gen::write::write_crate(&krate, &out) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    let manifest = format!("[workspace]\nresolver = \"3\"\nmembers = [\"{name}\"]\n");
    if std::fs::write(work.join("Cargo.toml"), manifest).is_err()
        || std::fs::copy(root.join("Cargo.lock"), work.join("Cargo.lock")).is_err()
    {
        eprintln!("error: cannot set up {}", work.display());
        return ExitCode::from(2);
    }
    println!(
        "\n{} documents of {} as one crate `{name}`: {lines} lines, generated in {generate_s:.1} s\n",
        specs.len(),
        settings.provider
    );
    println!("| check | seconds | errors | warnings |\n|---|---:|---:|---:|");
    let mut ok = true;
    let mut check = |features: Option<&str>| {
        let mut command = corpus_cargo(root);
        command.args(["clippy", "-p", &name, "--message-format=json"]);
        if let Some(feature) = features {
            command.args(["--no-default-features", "--features", feature]);
        }
        let started = Instant::now();
        let output = command.current_dir(&work).output();
        let seconds = started.elapsed().as_secs_f64();
        let (mut errors, mut warnings) = (0, 0);
        match output {
            Ok(output) => {
                for (_, (e, w)) in compiler_messages(&output.stdout) {
                    errors += e;
                    warnings += w;
                }
                if !output.status.success() && errors == 0 {
                    eprint!("{}", String::from_utf8_lossy(&output.stderr));
                    errors = 1;
                }
            }
            Err(e) => {
                eprintln!("error: cannot run cargo: {e}");
                errors = 1;
            }
        }
        ok &= errors == 0 && warnings == 0;
        println!(
            "| {} | {seconds:.1} | {errors} | {warnings} |",
            features.map_or("all features".to_owned(), |f| format!("`{f}` alone"))
        );
    };
    check(None);
    let modules: Vec<&str> = specs.iter().map(|s| s.module.as_str()).collect();
    let alone: Vec<&str> = match settings.alone {
        None => modules.clone(),
        Some(n) => {
            let mut draw = crate::draw::Draw(settings.seed.max(1));
            draw.pick(&modules, n)
        }
    };
    for module in alone {
        check(Some(module));
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
