//! `cargo xtask corpus [DIR|FILE…]`: generate a crate for every spec, clippy them all in one
//! workspace with one shared target dir, and print a table.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

struct Row {
    spec: String,
    /// `3.0.3`, `3.1.0`, `2.0 (Swagger)`, as the document says.
    version: String,
    crate_name: String,
    types: usize,
    operations: usize,
    lines: usize,
    generate_ms: f64,
    /// `None` when generation failed; the reason is in `note`.
    generated: bool,
    /// A hand-written `<spec>.test.rs` beside the spec was added as an integration test.
    behaviour: bool,
    /// Method names with a version fragment, a numeric counter, `create_` on an action path.
    names: [usize; 3],
    /// Paginated operations by rule: cursor, stripe, link, offset, page, declared.
    paging: BTreeMap<&'static str, usize>,
    /// `method (rule)` of each paginated operation, for `CORPUS_PAGING=1`.
    paged: Vec<String>,
    /// The crate's cargo features (areas), when it is split.
    groups: Vec<openapi_gen::GroupSummary>,
    /// The offending names, for the summary.
    bad_names: Vec<String>,
    /// Inline types that repeated another's shape, merged into it.
    merged: usize,
    /// Operations whose error bodies decode untyped, to one type, to an enum by status.
    errors: [usize; 3],
    /// Names that would count but are the spec's own operationIds, kept as given.
    kept_names: Vec<String>,
    note: String,
}

fn specs_in(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut specs = Vec::new();
    for path in paths {
        if path.is_dir() {
            if let Ok(entries) = std::fs::read_dir(path) {
                specs.extend(
                    entries
                        .filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|p| {
                            matches!(
                                p.extension().and_then(|e| e.to_str()),
                                Some("yaml" | "yml" | "json")
                            )
                        }),
                );
            }
        } else {
            specs.push(path.clone());
        }
    }
    specs.sort();
    specs
}

pub fn run(root: &Path, args: &[String]) -> ExitCode {
    // `--doc-sample N`: `cargo doc` on every crate whose types set a recursion limit (the
    // ones rustdoc overflowed on) and N others, rotating with `--seed`; every crate without.
    let mut doc_sample = None;
    let mut seed = 0_usize;
    let mut paths = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--doc-sample" | "--seed" => {
                let Some(n) = rest.next().and_then(|n| n.parse::<usize>().ok()) else {
                    eprintln!("error: {arg} takes a number");
                    return ExitCode::from(2);
                };
                if arg == "--seed" {
                    seed = n;
                } else {
                    doc_sample = Some(n);
                }
            }
            _ => paths.push(arg.clone()),
        }
    }
    let args = paths;
    let inputs: Vec<PathBuf> = if args.is_empty() {
        vec![root.join("../shared/corpus/public")]
    } else {
        args.iter().map(PathBuf::from).collect()
    };
    let specs = specs_in(&inputs);
    if specs.is_empty() {
        eprintln!("error: no .yaml/.yml/.json specs in {inputs:?}");
        return ExitCode::from(2);
    }
    let work = root.join("target/corpus");
    let crates_dir = work.join("crates");
    let _ = std::fs::remove_dir_all(&crates_dir);

    let mut rows = Vec::new();
    for spec in &specs {
        let file = spec
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("spec")
            .to_owned();
        let crate_name = format!("corpus-{}", openapi_gen::Options::crate_name_for(spec));
        let mut row = Row {
            spec: file.clone(),
            version: String::new(),
            crate_name: crate_name.clone(),
            types: 0,
            operations: 0,
            lines: 0,
            generate_ms: 0.0,
            generated: false,
            behaviour: false,
            names: [0; 3],
            paging: BTreeMap::new(),
            paged: Vec::new(),
            errors: [0; 3],
            groups: Vec::new(),
            bad_names: Vec::new(),
            merged: 0,
            kept_names: Vec::new(),
            note: String::new(),
        };
        let text = match std::fs::read_to_string(spec) {
            Ok(text) => text,
            Err(e) => {
                row.note = format!("unreadable: {e}");
                rows.push(row);
                continue;
            }
        };
        row.version = version_of(&text);
        let started = Instant::now();
        let result = openapi_gen::generate(&file, &text, &openapi_gen::Options::new(&crate_name));
        row.generate_ms = started.elapsed().as_secs_f64() * 1000.0;
        match result {
            Ok(krate) => {
                for op in &krate.operations {
                    row.errors[match op.error_body {
                        openapi_gen::ErrorBodyKind::Untyped => 0,
                        openapi_gen::ErrorBodyKind::Typed => 1,
                        openapi_gen::ErrorBodyKind::ByStatus => 2,
                    }] += 1;
                    if let Some((rule, how)) = &op.paging {
                        *row.paging.entry(rule).or_default() += 1;
                        row.paged.push(format!(
                            "{} {} → {} ({rule}: {how})",
                            op.http_method, op.path, op.method_name
                        ));
                    }
                    let audit = openapi_gen::ir::audit_name(&op.method_name, &op.path);
                    let flags = [
                        audit.version_fragment,
                        audit.numeric_counter,
                        audit.create_for_action,
                    ];
                    let shown = format!("{} ({} {})", op.method_name, op.http_method, op.path);
                    if op.named_by_spec {
                        if flags.contains(&true) {
                            row.kept_names.push(shown);
                        }
                        continue;
                    }
                    for (count, flag) in row.names.iter_mut().zip(flags) {
                        *count += usize::from(flag);
                    }
                    if flags.contains(&true) {
                        row.bad_names.push(shown);
                    }
                }
                row.groups = krate.groups.clone();
                row.merged = krate.merged_types;
                row.types = krate.type_count;
                row.operations = krate.operation_count;
                row.lines = krate
                    .files
                    .iter()
                    .filter(|(p, _)| p.ends_with(".rs"))
                    .map(|(_, t)| t.lines().count())
                    .sum();
                let dir = crates_dir.join(&crate_name);
                if let Err(e) = openapi_gen::write::write_crate(&krate, &dir) {
                    row.note = format!("write failed: {e}");
                } else {
                    row.generated = true;
                    row.behaviour = add_behaviour_test(spec, &dir, &crate_name);
                    add_send_sync_test(&dir, &crate_name, &krate.type_paths);
                }
            }
            Err(e) => {
                let text = e.to_string();
                let count = text.lines().filter(|l| l.starts_with("error")).count();
                let first = text
                    .lines()
                    .next()
                    .unwrap_or("")
                    .replace(&format!("error: {file}: "), "");
                row.note = format!("{count} error(s); first: {first}");
            }
        }
        rows.push(row);
    }

    let members: Vec<String> = rows
        .iter()
        .filter(|r| r.generated)
        .map(|r| format!("\"crates/{}\"", r.crate_name))
        .collect();
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        members.join(", ")
    );
    let checked = std::fs::write(work.join("Cargo.toml"), manifest)
        .and_then(|()| std::fs::copy(root.join("Cargo.lock"), work.join("Cargo.lock")).map(drop));
    if let Err(e) = checked {
        eprintln!("error: cannot set up {}: {e}", work.display());
        return ExitCode::from(2);
    }

    let mut failures = 0;
    let mut results: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut check_seconds = 0.0;
    if !members.is_empty() {
        eprintln!("checking {} generated crates…", members.len());
        let started = Instant::now();
        let output = corpus_cargo(root)
            // clippy, so the corpus is held to what the project's own crates are.
            .args([
                "clippy",
                "--workspace",
                // The libraries, and the `send_sync` test of each (type-checked, not built).
                "--lib",
                "--test",
                "send_sync",
                "--keep-going",
                "--message-format=json",
            ])
            .current_dir(&work)
            .output();
        check_seconds = started.elapsed().as_secs_f64();
        let output = match output {
            Ok(o) => o,
            Err(e) => {
                eprintln!("error: cannot run cargo: {e}");
                return ExitCode::from(2);
            }
        };
        results = compiler_messages(&output.stdout);
        // A failure without compiler messages (a manifest error) is still a failure.
        if !output.status.success() && results.values().all(|(e, _)| *e == 0) {
            eprint!("{}", String::from_utf8_lossy(&output.stderr));
            failures += 1;
        }
    }

    let formatted = if members.is_empty() {
        true
    } else {
        fmt_check(&work)
    };
    let documented = if members.is_empty() {
        true
    } else {
        let names: Vec<String> = rows
            .iter()
            .filter(|r| r.generated)
            .map(|r| r.crate_name.clone())
            .collect();
        doc_check(root, &work, &names, doc_sample, seed)
    };
    let behaviour = run_behaviour_tests(root, &work, &rows);
    let (features_ok, features_table) = if members.is_empty() {
        (true, Vec::new())
    } else {
        check_features(root, &work, &rows)
    };

    println!(
        "| spec | version | types | operations | generated lines | generate ms | compile | warnings | names: version / counter / create_ action | paging |"
    );
    println!("|---|---|---:|---:|---:|---:|---|---:|---|---|");
    for row in &rows {
        let (compile, warnings) = if row.generated {
            let (errors, warnings) = results.get(&row.crate_name).copied().unwrap_or((0, 0));
            if errors > 0 || warnings > 0 {
                failures += 1;
            }
            (
                if errors == 0 {
                    "ok".to_owned()
                } else {
                    format!("{errors} errors")
                },
                warnings.to_string(),
            )
        } else {
            failures += 1;
            (format!("not generated: {}", row.note), "-".to_owned())
        };
        let paging: Vec<String> = row
            .paging
            .iter()
            .map(|(rule, n)| format!("{n} {rule}"))
            .collect();
        println!(
            "| {} | {} | {} | {} | {} | {:.1} | {} | {} | {} / {} / {} | {} |",
            row.spec,
            row.version,
            row.types,
            row.operations,
            row.lines,
            row.generate_ms,
            compile,
            warnings,
            row.names[0],
            row.names[1],
            row.names[2],
            if paging.is_empty() {
                "-".to_owned()
            } else {
                paging.join(", ")
            }
        );
    }
    let totals = rows.iter().fold([0; 3], |mut t, r| {
        for (a, b) in t.iter_mut().zip(r.names) {
            *a += b;
        }
        t
    });
    let named: usize = rows.iter().map(|r| r.operations).sum();
    let kept: usize = rows.iter().map(|r| r.kept_names.len()).sum();
    println!(
        "\nmethod names openapi-gen made ({named} operations in all): {} with a version fragment, {} ending in a numeric counter, {} `create_` on an action path",
        totals[0], totals[1], totals[2]
    );
    for row in rows.iter().filter(|r| !r.bad_names.is_empty()) {
        println!("  {}: {}", row.spec, row.bad_names.join(", "));
    }
    println!("{kept} more are the specs' own operationIds, kept as given");
    let merged: usize = rows.iter().map(|r| r.merged).sum();
    let mut most: Vec<&Row> = rows.iter().filter(|r| r.merged > 0).collect();
    most.sort_by_key(|r| std::cmp::Reverse(r.merged));
    let most: Vec<String> = most
        .iter()
        .take(6)
        .map(|r| format!("{} {}", r.spec, r.merged))
        .collect();
    println!(
        "\ninline types that repeated another's shape, merged into one: {merged} ({})",
        most.join(", ")
    );
    let errors = rows.iter().fold([0; 3], |mut all, r| {
        for (sum, n) in all.iter_mut().zip(r.errors) {
            *sum += n;
        }
        all
    });
    println!(
        "\nerror bodies: {} of {named} operations typed ({} by one type, {} by an enum of the documented bodies by status), {} untyped (no JSON error body documented)",
        errors[1] + errors[2],
        errors[1],
        errors[2],
        errors[0]
    );
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for row in &rows {
        for (rule, n) in &row.paging {
            *by_rule.entry(rule).or_default() += n;
        }
    }
    let rules: Vec<String> = by_rule.iter().map(|(r, n)| format!("{n} {r}")).collect();
    if rules.is_empty() {
        println!("\npaginated operations: none");
    } else {
        println!(
            "\npaginated operations: {} ({}); `CORPUS_PAGING=1` lists each",
            by_rule.values().sum::<usize>(),
            rules.join(", ")
        );
    }
    if std::env::var_os("CORPUS_PAGING").is_some() {
        for row in rows.iter().filter(|r| !r.paged.is_empty()) {
            println!("  {}:", row.spec);
            for line in &row.paged {
                println!("    {line}");
            }
        }
    }
    println!(
        "\n{} of {} specs generated and passed `cargo clippy` with zero warnings; `cargo clippy` of all took {:.1} s",
        rows.len() - failures,
        rows.len(),
        check_seconds
    );
    for line in &features_table {
        println!("{line}");
    }
    let behaviour_ok = match &behaviour {
        Ok(Some(line)) => {
            println!("{line}");
            true
        }
        Ok(None) => true,
        Err(line) => {
            println!("{line}");
            false
        }
    };
    if failures == 0 && behaviour_ok && features_ok && formatted && documented {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// A user's assertion that every public type and the client are `Send + Sync` (what a
/// future given to `tokio::spawn` needs): `tests/send_sync.rs`, type-checked with clippy.
pub(crate) fn add_send_sync_test(dir: &Path, crate_name: &str, types: &[String]) {
    let lib = crate_name.replace('-', "_");
    let mut text = format!(
        "//! Every public type and the client are `Send + Sync` (written by `cargo xtask`).\n\nfn send_sync<T: Send + Sync>() {{}}\n\n#[test]\nfn all() {{\n    send_sync::<{lib}::Client>();\n"
    );
    for path in types {
        text.push_str(&format!("    send_sync::<{lib}::{path}>();\n"));
    }
    text.push_str("}\n");
    let _ = std::fs::create_dir_all(dir.join("tests"))
        .and_then(|()| std::fs::write(dir.join("tests/send_sync.rs"), text));
}

/// `cargo doc --no-deps` of every crate (rustdoc decides every type's auto traits, which
/// `cargo check` does not: Stripe's overflowed there).
fn doc_check(
    root: &Path,
    work: &Path,
    members: &[String],
    sample: Option<usize>,
    seed: usize,
) -> bool {
    // rustdoc merges every crate's search index in the doc folder into each new one: the
    // docs of earlier runs made each crate's 2 s take 10.
    let _ = std::fs::remove_dir_all(root.join("target/corpus-target/doc"));
    let mut command = corpus_cargo(root);
    command.args(["doc", "--no-deps", "--keep-going", "--message-format=json"]);
    let which = match sample {
        Some(n) if n < members.len() => {
            let deep = |m: &String| {
                std::fs::read_to_string(work.join("crates").join(m).join("src/lib.rs"))
                    .is_ok_and(|lib| lib.contains("#![recursion_limit"))
            };
            let (mut chosen, others): (Vec<&String>, Vec<&String>) =
                members.iter().partition(|m| deep(m));
            let start = seed.checked_rem(others.len().max(1)).unwrap_or(0);
            chosen.extend(others.iter().cycle().skip(start).take(n.min(others.len())));
            for m in &chosen {
                command.args(["-p", m]);
            }
            let names: Vec<&str> = chosen.iter().map(|m| m.as_str()).collect();
            format!(
                "{} of {} crates ({})",
                chosen.len(),
                members.len(),
                names.join(", ")
            )
        }
        _ => {
            command.arg("--workspace");
            "every generated crate".to_owned()
        }
    };
    let started = Instant::now();
    let output = command.current_dir(work).output();
    let seconds = started.elapsed().as_secs_f64();
    match output {
        Ok(output) => {
            let errors: usize = compiler_messages(&output.stdout)
                .values()
                .map(|(e, _)| e)
                .sum();
            if output.status.success() && errors == 0 {
                println!("\n`cargo doc --no-deps` of {which}: clean ({seconds:.0} s)");
                true
            } else {
                eprint!("{}", String::from_utf8_lossy(&output.stderr));
                println!("\n`cargo doc --no-deps` of the generated crates FAILED: {errors} errors");
                false
            }
        }
        Err(e) => {
            eprintln!("error: cannot run cargo doc: {e}");
            false
        }
    }
}

/// `cargo fmt --check` (rustfmt from each crate root) over every generated crate: a user who runs `cargo fmt` on a
/// workspace that vendors one must not rewrite it (and so make `codegen --check` fail).
fn fmt_check(work: &Path) -> bool {
    // Each crate's root, from which rustfmt follows the modules (as `cargo fmt` does; the
    // hand-written behaviour tests beside some crates are not ours to hold to it).
    let roots: Vec<PathBuf> = std::fs::read_dir(work.join("crates"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("src/lib.rs"))
        .filter(|p| p.exists())
        .collect();
    let output = Command::new("rustfmt")
        .args(["--edition", "2024", "--check"])
        .args(&roots)
        .output();
    match output {
        Ok(output) => {
            let stdout = String::from_utf8_lossy(&output.stdout);
            let hunks = stdout.lines().filter(|l| l.starts_with("Diff in")).count();
            if output.status.success() {
                println!("\n`cargo fmt --check` of every generated crate: clean");
                true
            } else {
                eprint!("{stdout}{}", String::from_utf8_lossy(&output.stderr));
                println!(
                    "\n`cargo fmt --check` of the generated crates: {hunks} hunks would change"
                );
                false
            }
        }
        Err(e) => {
            eprintln!("error: cannot run cargo fmt: {e}");
            false
        }
    }
}

/// A spec may come with `<stem>.test.rs` beside it: tests of its generated crate's
/// behaviour, which refer to the crate as `crate_under_test`.
fn add_behaviour_test(spec: &Path, dir: &Path, crate_name: &str) -> bool {
    let Some(stem) = spec.file_stem().and_then(|s| s.to_str()) else {
        return false;
    };
    let Ok(test) = std::fs::read_to_string(spec.with_file_name(format!("{stem}.test.rs"))) else {
        return false;
    };
    let lib = crate_name.replace('-', "_");
    let text = format!("extern crate {lib} as crate_under_test;\n\n{test}");
    std::fs::create_dir_all(dir.join("tests"))
        .and_then(|()| std::fs::write(dir.join("tests/behaviour.rs"), text))
        .is_ok()
}

/// Cargo for the generated crates, in a target directory of their own. Incremental state is
/// never reused for crates generated afresh each run, and took 5.5 GB of a CI run's disk.
pub(crate) fn corpus_cargo(root: &Path) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .env("CARGO_TARGET_DIR", root.join("target/corpus-target"))
        .env("CARGO_INCREMENTAL", "0");
    command
}

/// Runs the behaviour tests that were added; `Ok(None)` when there were none.
fn run_behaviour_tests(root: &Path, work: &Path, rows: &[Row]) -> Result<Option<String>, String> {
    let tested: Vec<&Row> = rows.iter().filter(|r| r.behaviour).collect();
    if tested.is_empty() {
        return Ok(None);
    }
    let mut command = corpus_cargo(root);
    command.args(["test", "--test", "behaviour"]);
    for row in &tested {
        command.args(["-p", &row.crate_name]);
    }
    let output = command
        .current_dir(work)
        .output()
        .map_err(|e| format!("behaviour tests: cannot run cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let passed: usize = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("test result: ok. "))
        .filter_map(|l| l.split(' ').next()?.parse::<usize>().ok())
        .sum();
    let names: Vec<&str> = tested.iter().map(|r| r.spec.as_str()).collect();
    if output.status.success() {
        Ok(Some(format!(
            "behaviour tests of {} generated crates ({}): {passed} passed",
            tested.len(),
            names.join(", ")
        )))
    } else {
        eprintln!("{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
        Err(format!(
            "behaviour tests of {} generated crates FAILED ({passed} passed)",
            tested.len()
        ))
    }
}

/// The version a document declares, from its first `openapi`/`swagger` key (YAML, or JSON
/// however it is laid out).
fn version_of(text: &str) -> String {
    for (key, label) in [("openapi", ""), ("swagger", " (Swagger)")] {
        for quoted in [format!("\"{key}\""), format!("{key}:")] {
            let Some(at) = text.find(&quoted) else {
                continue;
            };
            let rest = text[at + quoted.len()..].trim_start();
            let rest = rest.strip_prefix(':').unwrap_or(rest).trim_start();
            let rest = rest.trim_start_matches(['"', '\'']);
            let value: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '.')
                .collect();
            if !value.is_empty() {
                return format!("{value}{label}");
            }
        }
    }
    "?".to_owned()
}

/// Specs whose crates are checked area by area on a sample of their features (the big ones
/// the compile-cost goals name); a crate with few features is checked on all of them.
const FEATURE_SAMPLE: &[&str] = &["github", "asana-oas", "stripe"];

/// The features a crate is checked with alone: all of a small crate's, else (for the
/// sampled specs) the areas with the most and the fewest operations (each check compiles
/// the shared types again: Stripe's take 35 s).
fn features_to_check(row: &Row) -> Vec<&openapi_gen::GroupSummary> {
    if row.groups.len() <= 6 {
        return row.groups.iter().collect();
    }
    if !FEATURE_SAMPLE.iter().any(|s| row.spec.contains(s)) {
        return Vec::new();
    }
    let mut by_size: Vec<&openapi_gen::GroupSummary> = row.groups.iter().collect();
    by_size.sort_by_key(|g| std::cmp::Reverse(g.operations));
    let mut picked = vec![by_size[0], by_size[by_size.len() - 1]];
    picked.dedup_by_key(|g| g.feature.clone());
    picked
}

/// `cargo clippy --no-default-features --features <area>` for each sampled area: each
/// compiles alone with zero warnings. Returns whether all did, and a table.
fn check_features(root: &Path, work: &Path, rows: &[Row]) -> (bool, Vec<String>) {
    let checks: Vec<(&Row, &openapi_gen::GroupSummary)> = rows
        .iter()
        .filter(|r| r.generated)
        .flat_map(|r| features_to_check(r).into_iter().map(move |g| (r, g)))
        .collect();
    if checks.is_empty() {
        return (true, Vec::new());
    }
    let mut table = vec![
        "\nareas compiled alone (`--no-default-features --features <area>`):\n".to_owned(),
        "| crate | feature alone | operations | types of its own | clippy s | errors | warnings |"
            .to_owned(),
        "|---|---|---:|---:|---:|---:|---:|".to_owned(),
    ];
    let mut ok = true;
    for (row, group) in checks {
        let started = Instant::now();
        let output = corpus_cargo(root)
            .args([
                "clippy",
                "-p",
                &row.crate_name,
                "--no-default-features",
                "--features",
            ])
            .arg(&group.feature)
            .arg("--message-format=json")
            .current_dir(work)
            .output();
        let seconds = started.elapsed().as_secs_f64();
        let (mut errors, mut warnings) = (0, 0);
        match output {
            Ok(output) => {
                for (_, counts) in compiler_messages(&output.stdout) {
                    errors += counts.0;
                    warnings += counts.1;
                }
                if !output.status.success() && errors == 0 {
                    errors = 1;
                }
            }
            Err(e) => {
                eprintln!("error: cannot run cargo: {e}");
                errors = 1;
            }
        }
        ok &= errors == 0 && warnings == 0;
        table.push(format!(
            "| {} | {} | {} | {} | {seconds:.1} | {errors} | {warnings} |",
            row.crate_name, group.feature, group.operations, group.types
        ));
    }
    (ok, table)
}

/// Errors and warnings per package in cargo's `--message-format=json` output, keyed by the
/// folder of the package's manifest (each generated crate's folder is its name), so a
/// crate's tests count as the crate; each printed to stderr as rustc rendered it.
pub(crate) fn compiler_messages(stdout: &[u8]) -> BTreeMap<String, (usize, usize)> {
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for line in String::from_utf8_lossy(stdout).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if msg["reason"] != "compiler-message" {
            continue;
        }
        let package = msg["manifest_path"]
            .as_str()
            .and_then(|m| Path::new(m).parent()?.file_name()?.to_str())
            .unwrap_or("")
            .to_owned();
        let entry = counts.entry(package).or_default();
        match msg["message"]["level"].as_str() {
            Some("error") => entry.0 += 1,
            Some("warning") => entry.1 += 1,
            _ => continue,
        }
        if let Some(rendered) = msg["message"]["rendered"].as_str() {
            eprintln!("{rendered}");
        }
    }
    counts
}
