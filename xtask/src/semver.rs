//! `cargo xtask semver [--ghes N]`: `openapi-gen diff`'s verdicts against an independent judge,
//! cargo-semver-checks (pinned, installed by `xtask/semver/install.sh`). For each pair of
//! specs, both crates are generated (same name, version 1.0.0), our report is taken, and
//! `cargo semver-checks check-release --release-type minor` says whether the new crate breaks
//! code written against the old one. Pairs: one per kind of change to `xtask/semver/pets.yaml`,
//! and with `--ghes N` the first N consecutive GitHub Enterprise Server versions of the public
//! directory (`cargo xtask directory` fetches it).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// (name, text replaced in pets.yaml, replacement).
const CHANGES: &[(&str, &str, &str)] = &[
    (
        "removed operation",
        "    delete:\n      operationId: deletePet\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses:\n        \"204\": {description: gone}\n",
        "",
    ),
    (
        "removed enum value",
        "enum: [cat, dog, bird]",
        "enum: [cat, dog]",
    ),
    (
        "added enum value",
        "enum: [cat, dog, bird]",
        "enum: [cat, dog, bird, fish]",
    ),
    (
        "parameter type change",
        "{name: limit, in: query, schema: {type: integer, format: int32}}",
        "{name: limit, in: query, schema: {type: string}}",
    ),
    (
        "added operation",
        "components:\n",
        "  /owners:\n    get:\n      operationId: listOwners\n      responses:\n        \"200\": {description: ok}\ncomponents:\n",
    ),
    (
        "added optional parameter",
        "        - {name: limit, in: query, schema: {type: integer, format: int32}}\n",
        "        - {name: limit, in: query, schema: {type: integer, format: int32}}\n        - {name: after, in: query, schema: {type: string}}\n",
    ),
    (
        "description edit",
        "description: Lists pets.",
        "description: Lists every pet.",
    ),
    (
        "renamed operationId",
        "operationId: getPet",
        "operationId: fetchPet",
    ),
    (
        "added optional field",
        "        name: {type: string, description: The pet's name.}\n",
        "        name: {type: string, description: The pet's name.}\n        age: {type: integer, format: int32}\n",
    ),
    (
        "field became required",
        "required: [id, kind]",
        "required: [id, kind, name]",
    ),
];

struct Verdicts {
    ours: usize,
    judge: Option<Vec<String>>,
    /// The items the judge's failures name ("Failed in:"), and those our report does not
    /// mention.
    items: usize,
    missed: Vec<String>,
}

/// Each item the judge lists under a failed lint's "Failed in:", as written (`struct
/// semver_case::operations::GetPet, previously in file …`).
fn failed_items(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut listing = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed == "Failed in:" {
            listing = true;
        } else if trimmed.is_empty() || trimmed.starts_with("---") {
            listing = false;
        } else if listing && line.starts_with("  ") {
            items.push(trimmed.to_owned());
        }
    }
    items
}

/// `GetPet` → `get_pet`.
fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether our report names the item the judge names: the item's most specific name (a
/// method, a variant, a field; a type for its constructor, its `<Type>Required` record or a
/// variant that moved), in snake case, is a segment of some change's item. Builder structs are named for their method (`GetPet` ↔ `get_pet`).
fn in_report(item: &str, changes: &[openapi_gen::diff::Change]) -> bool {
    const WORDS: &[&str] = &[
        "struct",
        "enum",
        "variant",
        "field",
        "method",
        "function",
        "fn",
        "trait",
        "type",
        "previously",
        "in",
        "file",
        "now",
        "takes",
        "parameters",
        "parameter",
        "instead",
        "of",
        "new",
        "semver_case",
        "types",
        "operations",
        "crate",
        "impl",
        "for",
        "mod",
        "module",
        "moved",
        "from",
        "position",
        "to",
    ];
    // Up to the file name the judge adds.
    let moved = item.contains(" moved from position ");
    let named = item.split(['/', ',']).next().unwrap_or(item);
    let named = named.split(" moved from ").next().unwrap_or(named);
    let names: Vec<String> = named
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .filter(|w| !WORDS.contains(w))
        .map(snake)
        .collect();
    // A variant moves when a value is added or removed before it: the change is the
    // enum's, which our report names by that value.
    let last = match names.as_slice() {
        [.., ty, _] if moved => ty,
        [.., last] => last,
        [] => return false,
    };
    // A `<Type>Required` record (a constructor's named arguments) is part of its type.
    let wanted = [Some(last.as_str()), last.strip_suffix("_required")];
    changes.iter().any(|change| {
        change
            .item
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .any(|segment| {
                let segment = snake(segment);
                wanted
                    .iter()
                    .flatten()
                    .any(|w| segment.trim_start_matches("r_") == w.trim_start_matches("r_"))
            })
    })
}

pub fn run(root: &Path, args: &[String]) -> ExitCode {
    let ghes: usize = match args {
        [] => 0,
        [flag, n] if flag == "--ghes" => n.parse().unwrap_or(0),
        _ => {
            eprintln!("usage: cargo xtask semver [--ghes N]");
            return ExitCode::from(2);
        }
    };
    let installed = Command::new("bash")
        .arg(root.join("xtask/semver/install.sh"))
        .status()
        .is_ok_and(|s| s.success());
    let judge = root.join("target/tools/semver-checks/bin/cargo-semver-checks");
    if !installed || !judge.exists() {
        eprintln!("error: cannot install cargo-semver-checks (xtask/semver/install.sh)");
        return ExitCode::from(2);
    }
    let work = root.join("target/semver");
    let mut pairs: Vec<(String, String, String)> = Vec::new();
    let base = match std::fs::read_to_string(root.join("xtask/semver/pets.yaml")) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: xtask/semver/pets.yaml: {e}");
            return ExitCode::from(2);
        }
    };
    for (name, from, to) in CHANGES {
        pairs.push((name.to_string(), base.clone(), base.replacen(from, to, 1)));
    }
    let api = root.join("target/directory/package/api/github.com");
    let mut versions: Vec<PathBuf> = std::fs::read_dir(&api)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("ghes-"))
        })
        .collect();
    versions.sort_by_key(|p| {
        let name = p
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        name.trim_start_matches("ghes-")
            .split('.')
            .map(|n| n.parse::<u32>().unwrap_or(0))
            .collect::<Vec<_>>()
    });
    for pair in versions.windows(2).rev().take(ghes) {
        let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
        let name = |p: &Path| {
            p.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        pairs.push((
            format!("GitHub {} → {}", name(&pair[0]), name(&pair[1])),
            read(&pair[0]),
            read(&pair[1]),
        ));
    }
    println!(
        "| change | openapi-gen diff: breaking | cargo-semver-checks: failed lints | agree | the judge's items in our report |"
    );
    println!("|---|---:|---|---|---:|");
    let mut disagreements = 0;
    let mut missed_all: Vec<(String, String)> = Vec::new();
    for (i, (name, old, new)) in pairs.iter().enumerate() {
        let dir = work.join(format!("pair{i}"));
        let verdicts = match judge_pair(root, &judge, &dir, old, new) {
            Ok(v) => v,
            Err(e) => {
                println!("| {name} | – | – | error: {e} | – |");
                disagreements += 1;
                continue;
            }
        };
        let (lints, agree) = match &verdicts.judge {
            Some(lints) => (
                if lints.is_empty() {
                    "none".to_owned()
                } else {
                    lints.join(", ")
                },
                (verdicts.ours > 0) != lints.is_empty(),
            ),
            None => ("did not run".to_owned(), false),
        };
        if !agree {
            disagreements += 1;
        }
        println!(
            "| {name} | {} | {lints} | {} | {} of {} |",
            verdicts.ours,
            if agree { "yes" } else { "**no**" },
            verdicts.items - verdicts.missed.len(),
            verdicts.items
        );
        missed_all.extend(verdicts.missed.into_iter().map(|m| (name.clone(), m)));
    }
    println!("\n{} pairs, {disagreements} disagreements", pairs.len());
    if !missed_all.is_empty() {
        println!("\nitems the judge failed that our report does not name:");
        for (pair, item) in &missed_all {
            println!("- {pair}: {item}");
        }
    }
    if disagreements == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Generates both crates under `dir`, and returns our breaking count and the judge's lints.
fn judge_pair(
    root: &Path,
    judge: &Path,
    dir: &Path,
    old: &str,
    new: &str,
) -> Result<Verdicts, String> {
    let options = openapi_gen::Options {
        crate_version: "1.0.0".to_owned(),
        ..openapi_gen::Options::new("semver-case")
    };
    let mut surfaces = Vec::new();
    for (side, text) in [("old", old), ("new", new)] {
        let krate =
            openapi_gen::generate("spec.yaml", text, &options).map_err(|e| e.to_string())?;
        let out = dir.join(side);
        openapi_gen::write::write_crate(&krate, &out).map_err(|e| e.to_string())?;
        // Inside this repository's folder each crate must say it is a workspace of its own.
        let manifest = out.join("Cargo.toml");
        let written = std::fs::read_to_string(&manifest).map_err(|e| e.to_string())?;
        std::fs::write(&manifest, format!("{written}\n[workspace]\n"))
            .map_err(|e| e.to_string())?;
        surfaces.push(
            openapi_gen::api_surface("spec.yaml", text, &options).map_err(|e| e.to_string())?,
        );
    }
    let report = openapi_gen::diff::compare(&surfaces[0], &surfaces[1]);
    let ours = report.breaking();
    // The crates are no workspace's members: one target folder for all pairs, so their
    // dependencies build once.
    let output = Command::new(judge)
        .args([
            "semver-checks",
            "check-release",
            "--release-type",
            "minor",
            "--manifest-path",
        ])
        .arg(dir.join("new/Cargo.toml"))
        .arg("--baseline-root")
        .arg(dir.join("old"))
        .env("CARGO_TARGET_DIR", root.join("target/semver/target"))
        .output()
        .map_err(|e| format!("cannot run cargo-semver-checks: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    // `--- failure method_parameter_count_changed: …`
    let lints: Vec<String> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("--- failure "))
        .filter_map(|l| l.split(':').next())
        .map(str::to_owned)
        .collect();
    let judged = output.status.success() || !lints.is_empty();
    if !judged {
        let tail: Vec<&str> = text.lines().rev().take(5).collect();
        eprintln!(
            "cargo-semver-checks on {}: {}",
            dir.display(),
            tail.join(" / ")
        );
    }
    // The failures are on stdout; cargo's progress lines, on stderr, are no items.
    let items = failed_items(&String::from_utf8_lossy(&output.stdout));
    let missed: Vec<String> = items
        .iter()
        .filter(|item| !in_report(item, &report.changes))
        .cloned()
        .collect();
    Ok(Verdicts {
        ours,
        judge: judged.then_some(lints),
        items: items.len(),
        missed,
    })
}

#[cfg(test)]
mod tests {
    use super::{failed_items, in_report};
    use openapi_gen::diff::Change;

    fn change(item: &str) -> Change {
        Change {
            item: item.to_owned(),
            kind: "type removed",
            breaking: true,
            reason: String::new(),
        }
    }

    /// Lines cargo-semver-checks 0.51 printed for this project's pairs, and the report items
    /// they belong to.
    #[test]
    fn the_judges_items_are_found_in_the_report_by_name() {
        let report = [
            change("client.delete_pet"),
            change("types::Kind::bird"),
            change("types::NullableAuthorization"),
            change("types::ActionsWorkflowAccessToRepositoryAccessLevel::enterprise"),
        ];
        for item in [
            "Client::delete_pet, previously in file /t/old/src/operations.rs:26",
            "struct semver_case::operations::DeletePet, previously in file /t/old/src/operations.rs:130",
            "variant Kind::Bird, previously in file /t/old/src/types.rs:58",
            "Kind::Unknown moved from position 4 to 3, in /t/new/src/types.rs:58",
            "struct semver_case::types::NullableAuthorizationRequired, previously in file /t/old/src/types/apps.rs:205",
            "ActionsWorkflowAccessToRepositoryAccessLevel::Organization moved from position 2 to 3, in /t/new/src/types/actions.rs:874",
        ] {
            assert!(in_report(item, &report), "{item}");
        }
        for item in [
            "Client::get_pet, previously in file /t/old/src/operations.rs:26",
            "field Pet.age in /t/new/src/types.rs:12",
            "Owner::Unknown moved from position 1 to 2, in /t/new/src/types.rs:9",
        ] {
            assert!(!in_report(item, &report), "{item}");
        }
    }

    #[test]
    fn items_are_the_indented_lines_under_failed_in() {
        let stdout = "\n--- failure struct_missing: pub struct removed or renamed ---\n\nDescription:\nA struct.\n\nFailed in:\n  struct a::B, previously in file /x.rs:1\n  struct a::C, previously in file /x.rs:2\n\n--- failure other ---\nFailed in:\n  Client::d, previously in file /y.rs:3\n";
        assert_eq!(
            failed_items(stdout),
            [
                "struct a::B, previously in file /x.rs:1",
                "struct a::C, previously in file /x.rs:2",
                "Client::d, previously in file /y.rs:3"
            ]
        );
    }
}
