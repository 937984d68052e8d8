//! `openapi-gen <SPEC> --out <DIR> [--crate-name NAME] [--check]`, or
//! `openapi-gen --config openapi-gen.toml [--check]` for every crate a configuration lists, or
//! `openapi-gen diff OLD NEW [--format json]`: what a spec change does to the crate's API.
//!
//! Exit codes: 0 done; 1 the spec is broken or unsupported (diagnostics printed);
//! 2 usage or I/O error; 3 `--check` found the output stale; 4 internal error; 5 `diff`
//! found a breaking change.

use clap::Parser;

/// Generating is allocation-heavy (token trees, syntax trees, text): with glibc's allocator
/// half of a big spec's time went to malloc and free (Graph v1.0: 42 s → see the README).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::path::PathBuf;
use std::process::ExitCode;

/// Generate a typed async Rust client crate from an OpenAPI document (3.0, 3.1 or Swagger 2.0).
#[derive(Parser)]
#[command(
    version,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// The OpenAPI 3.0 or 3.1 or Swagger 2.0 document (YAML or JSON).
    #[arg(required_unless_present = "config", conflicts_with = "config")]
    spec: Option<PathBuf>,
    /// Where to write the crate (Cargo.toml and src/).
    #[arg(long, required_unless_present = "config", conflicts_with = "config")]
    out: Option<PathBuf>,
    /// Generate every crate this configuration file lists (see the README's
    /// "Configuration: openapi-gen.toml"); paths in it are relative to it.
    #[arg(long, conflicts_with_all = ["crate_name", "lenient", "hint_mostly_unused"])]
    config: Option<PathBuf>,
    /// The package name; defaults to the spec's file name in kebab-case.
    #[arg(long)]
    crate_name: Option<String>,
    /// The package version.
    #[arg(long, default_value = "0.1.0")]
    crate_version: String,
    /// Write nothing; fail with a diff if the crate in --out is not what would be written.
    #[arg(long)]
    check: bool,
    /// Read what openapi-gen cannot express as `serde_json::Value` (skipping operations it
    /// cannot express), with warnings, instead of failing.
    #[arg(long)]
    lenient: bool,
    /// Write Cargo's `[hints] mostly-unused = true` into the manifest (honoured only with
    /// the unstable `-Zprofile-hint-mostly-unused`; stable Cargo warns and ignores it).
    #[arg(long)]
    hint_mostly_unused: bool,
    /// With --config: report what each crate's spec changes since this git revision do to
    /// its API (default `HEAD`, when the configuration is in a git repository).
    #[arg(long, requires = "config", value_name = "REV")]
    since: Option<String>,
    /// With --config: also write that report as Markdown, for a pull request.
    #[arg(long, requires = "config", value_name = "FILE")]
    changes: Option<PathBuf>,
    /// With --config: write the version the API changes call for (by Cargo's rules, from the
    /// crate's version at the revision) into the configuration, then generate with it.
    #[arg(long, requires = "config", conflicts_with = "check")]
    bump_version: bool,
    /// Also print each operation's client method and, where it pages, the paging rule
    /// that matched.
    #[arg(long, short)]
    verbose: bool,
    /// How diagnostics are printed: `human` lines, or one JSON array on stderr.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(clap::Subcommand)]
enum Command {
    /// What changing OLD into NEW does to the generated crate's API: each change to its
    /// methods and types, breaking or not, and the version bump that follows. Exit 0 when
    /// nothing breaks, 5 when something does, 1 when a spec is broken.
    Diff {
        /// The spec before.
        old: PathBuf,
        /// The spec after.
        new: PathBuf,
        /// The crate's current version, to name the next one.
        #[arg(long)]
        crate_version: Option<String>,
        /// `human` lines, or a JSON object (`bump`, `next_version`, `breaking`, `changes`).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Read what openapi-gen cannot express as `serde_json::Value`, as generating would.
        #[arg(long)]
        lenient: bool,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

/// Prints diagnostics for people or, with `--format json`, as one JSON array.
fn report(format: Format, diagnostics: &[openapi_gen::Diagnostic]) {
    match format {
        Format::Human => {
            for d in diagnostics {
                eprintln!("{d}");
            }
        }
        Format::Json => {
            let items: Vec<serde_json::Value> = diagnostics
                .iter()
                .map(|d| {
                    serde_json::json!({
                        "severity": match d.severity { openapi_gen::Severity::Error => "error", openapi_gen::Severity::Warning => "warning" },
                        "file": d.file,
                        "pointer": d.pointer,
                        "line": d.line_col.map(|(l, _)| l),
                        "column": d.line_col.map(|(_, c)| c),
                        "message": d.message,
                    })
                })
                .collect();
            eprintln!("{}", serde_json::Value::Array(items));
        }
    }
}

/// The exit code for an error that stopped generation.
fn failure(format: Format, error: openapi_gen::Error) -> ExitCode {
    match error {
        openapi_gen::Error::Spec(d) | openapi_gen::Error::Config(d) => {
            report(format, &d.0);
            ExitCode::from(1)
        }
        e => {
            eprintln!("{e}");
            ExitCode::from(match e {
                openapi_gen::Error::Internal(_) => 4,
                _ => 2,
            })
        }
    }
}

fn print_operations(krate: &openapi_gen::GeneratedCrate) {
    for op in &krate.operations {
        let paging = op.paging.as_ref().map_or(String::new(), |(rule, how)| {
            format!("  pages ({rule}): {how}")
        });
        eprintln!(
            "{} {} → {}{paging}",
            op.http_method, op.path, op.method_name
        );
    }
}

/// `--config`: every crate of the configuration; stale ones are all reported.
fn from_config(cli: &Cli, path: &std::path::Path) -> ExitCode {
    use openapi_gen::config::{Config, Outcome};
    let config = match Config::load(path) {
        Ok(config) => config,
        Err(e) => return failure(cli.format, e),
    };
    let mut status = ExitCode::SUCCESS;
    let mut summary = String::new();
    for krate in &config.crates {
        let mut krate = krate.clone();
        let rev = cli.since.as_deref().unwrap_or("HEAD");
        match openapi_gen::changes::review(&config, &mut krate, rev, cli.bump_version) {
            Ok(None) => {}
            Ok(Some(reviewed)) => {
                let changes = &reviewed.changes;
                let out = &krate.out_as_written;
                eprint!(
                    "{out}: {}",
                    changes.report.human(Some(&changes.base_version))
                );
                summary.push_str(&changes.markdown(&krate));
                if let Some(before) = &reviewed.bumped_from {
                    eprintln!(
                        "{}: version {before} → {} (in {})",
                        krate.name,
                        krate.version,
                        path.display()
                    );
                }
            }
            // Outside git nothing is compared, unless a revision was asked for.
            Err(_) if cli.since.is_none() => {}
            Err(e) => return failure(cli.format, e),
        }
        let generated = match krate.generate() {
            Ok(generated) => generated,
            Err(e) => return failure(cli.format, e),
        };
        if !generated.warnings.is_empty() {
            report(cli.format, &generated.warnings);
        }
        if cli.verbose {
            print_operations(&generated);
        }
        let out = &krate.out_as_written;
        match krate.apply(&generated, cli.check) {
            Ok(Outcome::Fresh) => {}
            Ok(Outcome::Stale(diff)) => {
                eprint!("{diff}");
                eprintln!("error: {out} is stale; regenerate it without --check");
                status = ExitCode::from(3);
            }
            Ok(Outcome::Written(changed)) => {
                eprintln!("wrote {out} ({} files changed)", changed.len());
            }
            Err(e) => {
                eprintln!("error: cannot write or read {out}: {e}");
                return ExitCode::from(2);
            }
        }
    }
    if let Some(file) = &cli.changes {
        let rev = cli.since.as_deref().unwrap_or("HEAD");
        if summary.is_empty() {
            summary = format!("No API changes since `{rev}`.\n");
        }
        if let Err(e) = openapi_gen::write::write_report(file, summary.as_bytes()) {
            eprintln!("error: cannot write {}: {e}", file.display());
            return ExitCode::from(2);
        }
    }
    status
}

/// Reads a spec as the generator would: a regular file, bounded, as text.
fn read_spec(format: Format, spec: &std::path::Path) -> Result<String, ExitCode> {
    let bytes = openapi_gen::input::read_regular(spec, openapi_gen::input::MAX_SPEC_BYTES)
        .map_err(|e| {
            eprintln!("error: cannot read the spec {e}");
            ExitCode::from(2)
        })?;
    match openapi_gen::load::text(&spec.display().to_string(), &bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(d) => {
            report(format, &d.0);
            Err(ExitCode::from(1))
        }
    }
}

/// `openapi-gen diff OLD NEW`.
fn diff(
    old: &std::path::Path,
    new: &std::path::Path,
    version: Option<&str>,
    format: Format,
    lenient: bool,
) -> ExitCode {
    let options = openapi_gen::Options {
        lenient,
        ..openapi_gen::Options::new("diff")
    };
    let mut surfaces = Vec::new();
    for spec in [old, new] {
        let text = match read_spec(format, spec) {
            Ok(text) => text,
            Err(code) => return code,
        };
        match openapi_gen::api_surface(&spec.display().to_string(), &text, &options) {
            Ok(surface) => surfaces.push(surface),
            Err(e) => return failure(format, e),
        }
    }
    let report = openapi_gen::diff::compare(&surfaces[0], &surfaces[1]);
    match format {
        Format::Human => print!("{}", report.human(version)),
        Format::Json => println!("{:#}", report.json(version)),
    }
    if report.breaking() > 0 {
        ExitCode::from(5)
    } else {
        ExitCode::SUCCESS
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::Diff {
        old,
        new,
        crate_version,
        format,
        lenient,
    }) = &cli.command
    {
        return diff(old, new, crate_version.as_deref(), *format, *lenient);
    }
    if let Some(config) = &cli.config {
        return from_config(&cli, config);
    }
    // clap requires both without --config.
    let (Some(spec), Some(out)) = (&cli.spec, &cli.out) else {
        return ExitCode::from(2);
    };
    let bytes = match openapi_gen::input::read_regular(spec, openapi_gen::input::MAX_SPEC_BYTES) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("error: cannot read the spec {e}");
            return ExitCode::from(2);
        }
    };
    let text = match openapi_gen::load::text(&spec.display().to_string(), &bytes) {
        Ok(text) => text,
        Err(d) => {
            report(cli.format, &d.0);
            return ExitCode::from(1);
        }
    };
    let options = openapi_gen::Options {
        crate_name: cli
            .crate_name
            .clone()
            .unwrap_or_else(|| openapi_gen::Options::crate_name_for(spec)),
        crate_version: cli.crate_version.clone(),
        lenient: cli.lenient,
        hint_mostly_unused: cli.hint_mostly_unused,
        ..openapi_gen::Options::new("")
    };
    let file = spec.display().to_string();
    let krate = match openapi_gen::generate(&file, text, &options) {
        Ok(krate) => krate,
        Err(e) => return failure(cli.format, e),
    };
    if !krate.warnings.is_empty() {
        report(cli.format, &krate.warnings);
    }
    if cli.verbose {
        print_operations(&krate);
    }
    if cli.check {
        match openapi_gen::write::check_crate(&krate, out) {
            Ok(Ok(())) => ExitCode::SUCCESS,
            Ok(Err(diff)) => {
                eprint!("{diff}");
                eprintln!(
                    "error: {} is stale; regenerate it without --check",
                    out.display()
                );
                ExitCode::from(3)
            }
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", out.display());
                ExitCode::from(2)
            }
        }
    } else {
        match openapi_gen::write::write_crate(&krate, out) {
            Ok(changed) => {
                eprintln!("wrote {} ({} files changed)", out.display(), changed.len());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", out.display());
                ExitCode::from(2)
            }
        }
    }
}
