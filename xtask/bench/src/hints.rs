//! Cargo's `[hints] mostly-unused` (issue 14): does it make a downstream build cheaper? An
//! application that calls one operation of Oxide's nexus client is built with the client
//! crate written plain and with the hint, after an edit to the client (so the client and the
//! application are rebuilt, everything else is not), median of 3, alternating. Cargo 1.95
//! honours the hint only with the unstable `-Zprofile-hint-mostly-unused`
//! (`RUSTC_BOOTSTRAP=1`, measurement only), so both ways are measured: stable, where the hint
//! is ignored with a warning, and with the flag. Full mode only.

use crate::compile::{cargo_bin, touch};
use serde_json::json;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const CLIENT: &str = "nexus-client";

const APP: &str = r#"#[tokio::main(flavor = "current_thread")]
async fn main() {
    match nexus_client::Client::builder().base_url("http://127.0.0.1:9").build() {
        Ok(client) => println!("{:?}", client.group_list().send().await.is_ok()),
        Err(e) => eprintln!("{e}"),
    }
}
"#;

/// An application in `dir` depending on the client crate in `dir/client`.
fn app(root: &Path, dir: &Path, text: &str, hint: bool) -> Option<()> {
    let _ = std::fs::remove_dir_all(dir);
    let krate = openapi_gen::generate(
        "progenitor-nexus.json",
        text,
        &openapi_gen::Options {
            hint_mostly_unused: hint,
            ..openapi_gen::Options::new(CLIENT)
        },
    )
    .ok()?;
    openapi_gen::write::write_crate(&krate, &dir.join("client")).ok()?;
    std::fs::create_dir_all(dir.join("src")).ok()?;
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"app\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\n{CLIENT} = {{ path = \"client\" }}\n\
             tokio = {{ version = \"1\", features = [\"rt\", \"macros\"] }}\n\n[workspace]\n"
        ),
    )
    .ok()?;
    std::fs::write(dir.join("src/main.rs"), APP).ok()?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).ok()?;
    Some(())
}

/// `cargo build` of the application, timed, with its stderr (for the hint's warning).
fn build(dir: &Path, target: &Path, unstable: bool) -> Option<(Duration, String)> {
    let mut command = Command::new(cargo_bin());
    command.arg("build");
    if unstable {
        command
            .arg("-Zprofile-hint-mostly-unused")
            .env("RUSTC_BOOTSTRAP", "1");
    }
    let started = Instant::now();
    let output = command
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTFLAGS")
        .output()
        .ok()?;
    let took = started.elapsed();
    output
        .status
        .success()
        .then(|| (took, String::from_utf8_lossy(&output.stderr).into_owned()))
}

pub fn mostly_unused(root: &Path) -> serde_json::Value {
    println!(
        "\n### `[hints] mostly-unused`: an application calling one nexus operation, rebuilt after an edit to the client (median of 3)\n"
    );
    let spec = root.join("../shared/corpus/public/progenitor-nexus.json");
    let Ok(text) = std::fs::read_to_string(&spec) else {
        println!("(skipped: {} is missing)", spec.display());
        return json!(null);
    };
    let work = root.join("target/bench/hints");
    let plain = work.join("plain");
    let hinted = work.join("hinted");
    if app(root, &plain, &text, false).is_none() || app(root, &hinted, &text, true).is_none() {
        println!("(skipped: generation failed)");
        return json!(null);
    }
    println!("| cargo | plain client | client with the hint | ratio | the hint's warning |");
    println!("|---|---:|---:|---:|---|");
    let mut report = serde_json::Map::new();
    for (label, unstable) in [
        ("1.95 stable", false),
        ("1.95 with `-Zprofile-hint-mostly-unused`", true),
    ] {
        // Separate target folders: the unstable flag changes every unit's fingerprint.
        let target = work.join(if unstable { "target-z" } else { "target" });
        if build(&plain, &target, unstable).is_none() || build(&hinted, &target, unstable).is_none()
        {
            println!("| {label} | (does not build) | | | |");
            continue;
        }
        let mut times = [Vec::new(), Vec::new()];
        let mut warned = false;
        let mut n = 0;
        for _ in 0..3 {
            for (i, dir) in [&plain, &hinted].into_iter().enumerate() {
                n += 1;
                touch(&dir.join("client/src/lib.rs"), n);
                if let Some((took, stderr)) = build(dir, &target, unstable) {
                    times[i].push(took);
                    warned |= i == 1 && stderr.contains("ignoring 'hints.mostly-unused'");
                }
            }
        }
        let [a, b] = times.map(crate::timing::median_secs);
        let ratio = match (a, b) {
            (Some(a), Some(b)) if a > 0.0 => format!("**{:.2}×**", b / a),
            _ => "-".into(),
        };
        let s = |v: Option<f64>| v.map_or("-".into(), |v| format!("{v:.2} s"));
        println!(
            "| {label} | {} | {} | {ratio} | {} |",
            s(a),
            s(b),
            if warned {
                "printed on every build"
            } else {
                "none"
            }
        );
        report.insert(
            if unstable { "unstable" } else { "stable" }.into(),
            json!({ "plain_s": a, "hinted_s": b, "warning": warned }),
        );
    }
    serde_json::Value::Object(report)
}
