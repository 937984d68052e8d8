//! Codegen against its floor (parsing the same document into `openapiv3::OpenAPI`), the
//! stage breakdown, and how codegen time scales with spec size across the corpus.

use crate::timing::{Plan, median, ms};
use serde_json::json;
use std::path::Path;
use std::time::{Duration, Instant};

/// The floor: the document parsed straight into openapiv3's types, nothing else.
fn parse_only(text: &str, json: bool) -> bool {
    if json {
        serde_json::from_str::<openapiv3::OpenAPI>(text).is_ok()
    } else {
        serde_yaml::from_str::<openapiv3::OpenAPI>(text).is_ok()
    }
}

struct Run {
    total: Duration,
    parse: Duration,
    stages: openapi_gen::StageTimes,
    write: Duration,
    lines: usize,
    types: usize,
    operations: usize,
}

fn run(path: &Path, repeats: usize, scratch: &Path) -> Option<Run> {
    let text = std::fs::read_to_string(path).ok()?;
    let file = path.file_name()?.to_str()?.to_owned();
    let json = text.trim_start().starts_with('{');
    let options = openapi_gen::Options::new("bench-crate");
    let mut totals = Vec::new();
    let mut parses = Vec::new();
    let mut writes = Vec::new();
    let mut stages = Vec::new();
    let mut last = None;
    for _ in 0..repeats {
        let started = Instant::now();
        parse_only(&text, json);
        parses.push(started.elapsed());

        let started = Instant::now();
        let (krate, times) = openapi_gen::generate_timed(&file, &text, &options);
        let krate = krate.ok()?;
        let write_started = Instant::now();
        let _ = std::fs::remove_dir_all(scratch);
        openapi_gen::write::write_crate(&krate, scratch).ok()?;
        writes.push(write_started.elapsed());
        totals.push(started.elapsed());
        stages.push(times);
        last = Some(krate);
    }
    let krate = last?;
    // The stage breakdown of the median run.
    let mut order: Vec<usize> = (0..totals.len()).collect();
    order.sort_by_key(|&i| totals[i]);
    let mid = order[order.len() / 2];
    Some(Run {
        total: totals[mid],
        parse: median(&mut parses),
        stages: stages[mid],
        write: writes[mid],
        lines: krate
            .files
            .iter()
            .filter(|(p, _)| p.ends_with(".rs"))
            .map(|(_, t)| t.lines().count())
            .sum(),
        types: krate.type_count,
        operations: krate.operation_count,
    })
}

pub fn codegen_vs_parse(root: &Path, quick: bool, _plan: &Plan) -> serde_json::Value {
    let corpus = root.join("../shared/corpus/public");
    let mut specs = vec![root.join("spec/hubspot-conversations.yaml")];
    let large: &[&str] = if quick {
        &["box-openapi.json"]
    } else {
        &[
            "stripe-spec3.yaml",
            "openai-openapi.yaml",
            "progenitor-api.github.com.json",
            "asana-oas.yaml",
            "box-openapi.json",
        ]
    };
    specs.extend(large.iter().map(|f| corpus.join(f)));
    let repeats = if quick { 1 } else { 5 };
    let scratch = root.join("target/bench/codegen-out");
    println!("\n### Codegen vs parse (median of {repeats} runs)\n");
    println!(
        "| spec | KB | parse only ms | generate ms | ratio | load | of it normalize | IR | emit | format | write | lines |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut rows = Vec::new();
    for spec in specs {
        let Some(r) = run(&spec, repeats, &scratch) else {
            println!("| {} | could not generate |", spec.display());
            continue;
        };
        let kb = std::fs::metadata(&spec)
            .map(|m| m.len() / 1024)
            .unwrap_or(0);
        let total = ms(r.total);
        let name = spec
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_owned();
        let ratio = total / ms(r.parse).max(1e-9);
        println!(
            "| {name} | {kb} | {:.1} | {total:.1} | {ratio:.2}× | {:.1} | {:.1} ({:.1}%) | {:.1} | {:.1} | {:.1} | {:.1} | {} |",
            ms(r.parse),
            ms(r.stages.load),
            ms(r.stages.normalize),
            100.0 * ms(r.stages.normalize) / total.max(1e-9),
            ms(r.stages.ir),
            ms(r.stages.emit),
            ms(r.stages.format),
            ms(r.write),
            r.lines
        );
        rows.push(json!({
            "spec": name, "kb": kb, "parse_ms": ms(r.parse), "generate_ms": total, "ratio": ratio,
            "load_ms": ms(r.stages.load), "normalize_ms": ms(r.stages.normalize), "ir_ms": ms(r.stages.ir), "emit_ms": ms(r.stages.emit),
            "format_ms": ms(r.stages.format), "write_ms": ms(r.write), "lines": r.lines,
        }));
    }
    json!(rows)
}

/// spec, bytes, generate ms, lines, types, operations
#[derive(Clone)]
struct Point(String, f64, f64, usize, usize, usize);

pub fn scaling(root: &Path, quick: bool) -> serde_json::Value {
    let corpus = root.join("../shared/corpus/public");
    let mut specs: Vec<_> = std::fs::read_dir(&corpus)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    specs.sort();
    let scratch = root.join("target/bench/scaling-out");
    let mut points = Vec::new();
    for spec in specs {
        let repeats = if quick { 1 } else { 3 };
        let Some(r) = run(&spec, repeats, &scratch) else {
            continue;
        };
        let bytes = std::fs::metadata(&spec).map(|m| m.len()).unwrap_or(0) as f64;
        points.push(Point(
            spec.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("?")
                .to_owned(),
            bytes,
            ms(r.total),
            r.lines,
            r.types,
            r.operations,
        ));
    }
    // Least squares fits of generate time against input bytes and against output lines.
    let fit = |x: &dyn Fn(&Point) -> f64| {
        let n = points.len() as f64;
        let (mx, my) = points
            .iter()
            .fold((0.0, 0.0), |(a, b), p| (a + x(p) / n, b + p.2 / n));
        let sxy: f64 = points.iter().map(|p| (x(p) - mx) * (p.2 - my)).sum();
        let sxx: f64 = points.iter().map(|p| (x(p) - mx).powi(2)).sum();
        let syy: f64 = points.iter().map(|p| (p.2 - my).powi(2)).sum();
        (sxy / sxx.max(1e-9), sxy * sxy / (sxx * syy).max(1e-9))
    };
    let (slope, r2) = fit(&|p| p.1);
    let (per_line, r2_lines) = fit(&|p| p.3 as f64);
    let mut by_size = points.clone();
    by_size.sort_by(|a, b| a.1.total_cmp(&b.1));
    // Super-linear growth shows as a rate that rises with size: compare size bands.
    let rate = |lo: f64, hi: f64| {
        let band: Vec<&Point> = by_size
            .iter()
            .filter(|p| p.3 as f64 > lo && p.3 as f64 <= hi)
            .collect();
        let (lines, ms) = band
            .iter()
            .fold((0.0, 0.0), |(l, t), p| (l + p.3 as f64, t + p.2));
        ms * 1000.0 / lines.max(1.0)
    };
    let (mid_rate, top_rate) = (rate(10_000.0, 60_000.0), rate(60_000.0, f64::MAX));
    println!("\n### Scaling across the corpus ({} specs)\n", points.len());
    println!("| spec | KB | types | operations | generate ms | ms per MB | lines |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for p in &by_size {
        println!(
            "| {} | {:.0} | {} | {} | {:.1} | {:.0} | {} |",
            p.0,
            p.1 / 1024.0,
            p.4,
            p.5,
            p.2,
            p.2 / (p.1 / 1e6),
            p.3
        );
    }
    println!(
        "\nlinear fits: {:.2} µs per generated line (R² = {r2_lines:.3}); {:.0} ms per input MB (R² = {r2:.3}). \
         Rate by output size: 10k–60k lines {mid_rate:.2} µs/line, > 60k lines {top_rate:.2} µs/line (a rising rate would mean super-linear).",
        per_line * 1000.0,
        slope * 1e6
    );
    json!({
        "points": points.iter().map(|p| json!({"spec": p.0, "bytes": p.1, "generate_ms": p.2, "lines": p.3, "types": p.4, "operations": p.5})).collect::<Vec<_>>(),
        "ms_per_mb_fit": slope * 1e6, "r2_bytes": r2, "us_per_line_fit": per_line * 1000.0, "r2_lines": r2_lines,
        "us_per_line_10k_to_60k": mid_rate, "us_per_line_over_60k": top_rate,
    })
}
