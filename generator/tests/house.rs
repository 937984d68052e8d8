//! The shape of the code: every arrow between the generator's top-level modules points one
//! way (no import circle), and no source file is over 800 lines. Read from the sources
//! as text: a `crate::<module>` path (in a `use` or inline) is an arrow to that module, a
//! `crate::<item>` path to an item the crate root defines is an arrow to the root.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Each top-level module's arrows to the others (`lib` for the crate root).
fn arrows(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let modules: BTreeSet<String> = std::fs::read_dir(src)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            let name = p.file_stem()?.to_str()?.to_owned();
            (p.is_dir() || p.extension().is_some_and(|e| e == "rs")).then_some(name)
        })
        .filter(|m| m != "lib" && m != "main" && m != "runtime")
        .collect();
    // What the crate root defines itself (not what it re-exports from a module).
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let root_items: BTreeSet<String> = lib
        .lines()
        .filter_map(|l| {
            let l = l.trim_start().strip_prefix("pub ")?;
            let l = l
                .strip_prefix("fn ")
                .or(l.strip_prefix("struct "))
                .or(l.strip_prefix("enum "))?;
            Some(
                l.split(|c: char| !c.is_alphanumeric() && c != '_')
                    .next()?
                    .to_owned(),
            )
        })
        .collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in rust_files(src) {
        let relative = file.strip_prefix(src).unwrap();
        let from = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        // The runtime is copied into generated crates: its `crate::` is theirs.
        if from == "lib" || from == "main" || from == "runtime" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (at, _) in text.match_indices("crate::") {
            let rest = &text[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let to = if modules.contains(&name) {
                name
            } else if root_items.contains(&name) {
                "lib".to_owned()
            } else {
                continue;
            };
            if to != from {
                graph.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    graph
}

#[test]
fn no_import_circle_between_the_generators_modules() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = arrows(&src);
    assert!(
        graph.values().map(BTreeSet::len).sum::<usize>() > 10,
        "{graph:?}"
    );
    // The crate root sits on top: nothing may lean on it.
    let onto_root: Vec<&String> = graph
        .iter()
        .filter(|(_, to)| to.contains("lib"))
        .map(|(from, _)| from)
        .collect();
    assert!(
        onto_root.is_empty(),
        "modules using the crate root's own items: {onto_root:?}"
    );
    // Depth-first search for a path back to where it started.
    fn reaches(
        graph: &BTreeMap<String, BTreeSet<String>>,
        from: &str,
        target: &str,
        seen: &mut BTreeSet<String>,
        path: &mut Vec<String>,
    ) -> bool {
        for next in graph.get(from).into_iter().flatten() {
            path.push(next.clone());
            if next == target
                || (seen.insert(next.clone()) && reaches(graph, next, target, seen, path))
            {
                return true;
            }
            path.pop();
        }
        false
    }
    for module in graph.keys() {
        let mut path = vec![module.clone()];
        assert!(
            !reaches(&graph, module, module, &mut BTreeSet::new(), &mut path),
            "import circle: {}",
            path.join(" → ")
        );
    }
}

/// A file past 800 lines holds more than one idea: split it by concern.
#[test]
fn no_source_file_is_over_800_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut long = Vec::new();
    let mut files = 0;
    for dir in ["generator/src", "xtask/src", "xtask/bench/src"] {
        for file in rust_files(&root.join(dir)) {
            files += 1;
            let lines = std::fs::read_to_string(&file).unwrap().lines().count();
            if lines > 800 {
                long.push(format!(
                    "{}: {lines} lines",
                    file.strip_prefix(&root).unwrap().display()
                ));
            }
        }
    }
    assert!(files > 50, "{files} files");
    assert!(long.is_empty(), "{long:#?}");
}
