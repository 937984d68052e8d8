//! `profile-categories PROFILE_STEM CRATE`: rustc's self-profile of one crate, its time
//! summed by what in the crate it was spent on. Each query's own time (its duration minus
//! the queries it ran) goes to the nearest enclosing query about an item of `CRATE`, and the
//! item's path decides the category (serde impls, request builders, the runtime…); time
//! spent on no item (parsing, macro expansion, name resolution) goes by query name.

use analyzeme::ProfilingData;
use std::collections::HashMap;
use std::time::UNIX_EPOCH;

struct Frame {
    start: u128,
    end: u128,
    label: String,
    item: String,
    children: u128,
}

/// The category of an item of the generated crate, from its path.
fn category(item: &str) -> &'static str {
    let runtime = [
        "::client",
        "::params",
        "::paging",
        "::limit",
        "::error",
        "::response",
        "::stream",
        "::multipart",
        "::base64",
    ];
    let has = |part: &str| item.contains(part);
    if runtime.iter().any(|m| {
        item.split_once("::")
            .is_some_and(|(_, rest)| format!("::{rest}").starts_with(m))
    }) {
        "runtime"
    } else if has("deserialize") || has("visit_") || has("expecting") || has("from_map") {
        "reading types (Deserialize, FromMap)"
    } else if has("::serialize") {
        "writing types (Serialize)"
    } else if has("operations::") {
        if has("send_with_response") {
            "operations: send_with_response"
        } else if item.ends_with("::send") || has("::send::") {
            "operations: send"
        } else if has("::pages") || has("::stream") {
            "operations: pages/stream"
        } else {
            "operations: constructors, setters, options"
        }
    } else if item.ends_with("::fmt") {
        "types: Debug/Display"
    } else if item.ends_with("::clone") {
        "types: Clone"
    } else if item.ends_with("::eq") || item.ends_with("::cmp") || item.ends_with("::hash") {
        "types: PartialEq/Ord/Hash"
    } else if has("types::") {
        "types: other impls and definitions"
    } else {
        "crate root"
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(stem), Some(krate)) = (args.next(), args.next()) else {
        eprintln!("usage: profile-categories PROFILE_STEM CRATE_NAME");
        std::process::exit(2);
    };
    let data = match ProfilingData::new(std::path::Path::new(&stem)) {
        Ok(data) => data,
        Err(e) => {
            eprintln!("cannot read {stem}: {e}");
            std::process::exit(1);
        }
    };
    let nanos = |t: std::time::SystemTime| t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let mut events: Vec<(u128, u128, String, String)> = data
        .iter_full()
        .filter_map(|e| {
            let interval = e.payload.timestamp()?;
            let arg = e
                .additional_data
                .first()
                .map(ToString::to_string)
                .unwrap_or_default();
            Some((
                nanos(interval.start()),
                nanos(interval.end()),
                e.label.to_string(),
                arg,
            ))
        })
        .collect();
    // Outer events first: by start, the longer first.
    events.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut totals: HashMap<String, u128> = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut pop = |stack: &mut Vec<Frame>| {
        if let Some(frame) = stack.pop() {
            let duration = frame.end.saturating_sub(frame.start);
            let own = duration.saturating_sub(frame.children);
            let key = if frame.label.starts_with("self_profile") {
                "(profiler's own overhead)".to_owned()
            } else if frame.item.is_empty() {
                format!("no item: {}", frame.label)
            } else {
                category(&frame.item).to_owned()
            };
            *totals.entry(key).or_default() += own;
            if let Some(parent) = stack.last_mut() {
                parent.children += duration;
            }
        }
    };
    for (start, end, label, arg) in events {
        while stack.last().is_some_and(|f| start >= f.end) {
            pop(&mut stack);
        }
        let item = if arg.starts_with(&krate) {
            arg
        } else {
            stack.last().map(|f| f.item.clone()).unwrap_or_default()
        };
        stack.push(Frame {
            start,
            end,
            label,
            item,
            children: 0,
        });
    }
    while !stack.is_empty() {
        pop(&mut stack);
    }
    totals.remove("(profiler's own overhead)");
    let total: u128 = totals.values().sum();
    let mut rows: Vec<(String, u128)> = totals.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    println!("| where | s | share |");
    println!("|---|---:|---:|");
    let mut rest = 0;
    for (key, nanos) in rows {
        if nanos * 100 >= total * 2 {
            println!(
                "| {key} | {:.2} | {:.0}% |",
                nanos as f64 / 1e9,
                100.0 * nanos as f64 / total as f64
            );
        } else {
            rest += nanos;
        }
    }
    println!(
        "| everything under 2% each | {:.2} | {:.0}% |",
        rest as f64 / 1e9,
        100.0 * rest as f64 / total.max(1) as f64
    );
    println!(
        "| **total** (without the profiler's overhead) | **{:.2}** | |",
        total as f64 / 1e9
    );
}
