//! `cargo xtask bench [--quick]` runs this (in release mode): codegen against parsing,
//! scaling across the corpus, compile cost of the generated crate, decode against a
//! hand-written struct, and request overhead against bare reqwest. Every figure that has a
//! goal is a ratio against a baseline measured in the same run. Prints markdown tables and
//! writes `target/bench/report.json`.

#![allow(
    clippy::expect_used,
    reason = "a benchmark that cannot set up should stop loudly, like a test"
)]

mod biggest;
mod calls;
mod codegen;
mod compile;
mod decode;
mod hints;
mod loopback;
mod paging;
mod progenitor;
mod requests;
mod timing;

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    format!("{cores} cores, {cpu}")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    // `--only codegen|scaling|decode|requests|paging|compile|progenitor|hints|biggest` runs one part (the others report null).
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .cloned();
    // `--skip PART` leaves one part out (CI skips `compile`, which builds every dependency
    // again in a target folder of its own).
    let skipped: Vec<&str> = args
        .windows(2)
        .filter(|w| w[0] == "--skip")
        .map(|w| w[1].as_str())
        .collect();
    let wanted = |part: &str| only.as_deref().is_none_or(|o| o == part) && !skipped.contains(&part);
    let root = root();
    let plan = timing::Plan::new(quick);
    println!(
        "## cargo xtask bench{} — {}",
        if quick { " --quick" } else { "" },
        machine()
    );
    let codegen = wanted("codegen").then(|| codegen::codegen_vs_parse(&root, quick, &plan));
    let scaling = wanted("scaling").then(|| codegen::scaling(&root, quick));
    let decode = wanted("decode").then(|| decode::decode(&plan));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let requests = wanted("requests").then(|| runtime.block_on(requests::overhead(quick)));
    let paging = wanted("paging").then(|| runtime.block_on(paging::stream_vs_send(quick)));
    let compile = wanted("compile").then(|| compile::compile_cost(&root, quick));
    // Installs a pinned progenitor the first time: full runs only.
    let progenitor = (!quick && wanted("progenitor")).then(|| progenitor::side_by_side(&root));
    // Needs the directory fetched, and minutes: full runs only.
    let biggest = (!quick && wanted("biggest")).then(|| biggest::biggest(&root));
    // Builds an application twice over, stable and unstable: full runs only.
    let hints = (!quick && wanted("hints")).then(|| hints::mostly_unused(&root));
    let report = serde_json::json!({
        "machine": machine(), "quick": quick,
        "codegen_vs_parse": codegen, "scaling": scaling, "compile": compile, "progenitor": progenitor, "biggest": biggest, "hints": hints, "decode": decode, "requests": requests, "paging": paging,
    });
    let out = root.join("target/bench");
    let _ = std::fs::create_dir_all(&out);
    match std::fs::write(
        out.join("report.json"),
        serde_json::to_string_pretty(&report).unwrap_or_default(),
    ) {
        Ok(()) => println!("\nreport: target/bench/report.json"),
        Err(e) => eprintln!("error: cannot write the report: {e}"),
    }
}
