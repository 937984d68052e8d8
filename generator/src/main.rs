//! `openapi-gen <SPEC> --out <DIR> [--crate-name NAME] [--check]`
//!
//! Exit codes: 0 done; 1 the spec is broken or unsupported (diagnostics printed);
//! 2 usage or I/O error; 3 `--check` found the output stale; 4 internal error.

use clap::Parser;
use std::path::PathBuf;
use std::process::ExitCode;

/// Generate a typed async Rust client crate from an OpenAPI document (3.0, 3.1 or Swagger 2.0).
#[derive(Parser)]
#[command(version)]
struct Cli {
    /// The OpenAPI 3.0 or 3.1 or Swagger 2.0 document (YAML or JSON).
    spec: PathBuf,
    /// Where to write the crate (Cargo.toml and src/).
    #[arg(long)]
    out: PathBuf,
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
    /// Also print each operation's client method and, where it pages, the paging rule
    /// that matched.
    #[arg(long, short)]
    verbose: bool,
    /// How diagnostics are printed: `human` lines, or one JSON array on stderr.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let bytes = match std::fs::read(&cli.spec) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", cli.spec.display());
            return ExitCode::from(2);
        }
    };
    let text = match openapi_gen::load::text(&cli.spec.display().to_string(), &bytes) {
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
            .unwrap_or_else(|| openapi_gen::Options::crate_name_for(&cli.spec)),
        crate_version: cli.crate_version.clone(),
        lenient: cli.lenient,
    };
    let file = cli.spec.display().to_string();
    let krate = match openapi_gen::generate(&file, text, &options) {
        Ok(krate) => krate,
        Err(openapi_gen::Error::Spec(d)) => {
            report(cli.format, &d.0);
            return ExitCode::from(1);
        }
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(match e {
                openapi_gen::Error::Spec(_) => 1,
                openapi_gen::Error::Usage(_) => 2,
                openapi_gen::Error::Internal(_) => 4,
            });
        }
    };
    if !krate.warnings.is_empty() {
        report(cli.format, &krate.warnings);
    }
    if cli.verbose {
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
    if cli.check {
        match openapi_gen::write::check_crate(&krate, &cli.out) {
            Ok(Ok(())) => ExitCode::SUCCESS,
            Ok(Err(diff)) => {
                eprint!("{diff}");
                eprintln!(
                    "error: {} is stale; regenerate it without --check",
                    cli.out.display()
                );
                ExitCode::from(3)
            }
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", cli.out.display());
                ExitCode::from(2)
            }
        }
    } else {
        match openapi_gen::write::write_crate(&krate, &cli.out) {
            Ok(changed) => {
                eprintln!(
                    "wrote {} ({} files changed)",
                    cli.out.display(),
                    changed.len()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", cli.out.display());
                ExitCode::from(2)
            }
        }
    }
}
