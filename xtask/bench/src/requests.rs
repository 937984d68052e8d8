//! What the generated client adds per request: `get_thread` against the same GET through a
//! bare `reqwest::Client` (decoding the same type), one loopback server, sequential and at
//! concurrency 32.

use crate::calls::{bare_once, concurrent, generated_once, serve};
use crate::timing::{median, us};
use serde_json::json;
use std::time::{Duration, Instant};

pub async fn overhead(quick: bool) -> serde_json::Value {
    let base = serve().await;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let bare = reqwest::Client::builder().build().expect("bare client");
    // The same GET through reqwest configured as the generated client configures it (a
    // total timeout per request), to tell what a timeout costs from what the wrapper costs.
    let bare_timeout = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("bare client");
    let generated = hubspot_conversations::Client::builder()
        .base_url(&base)
        .bearer_token("bench-token")
        .build()
        .expect("generated client");
    let url = format!("{base}/conversations/v3/conversations/threads/42");
    let (rounds, per_round) = if quick { (3, 200) } else { (9, 2000) };

    // Sequential: per-request latency, the clients alternating request by request.
    let (mut bare_lat, mut gen_lat, mut timeout_lat) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        for _ in 0..per_round {
            let started = Instant::now();
            assert!(bare_once(&bare, &url).await, "bare request failed");
            bare_lat.push(started.elapsed());
            let started = Instant::now();
            assert!(bare_once(&bare_timeout, &url).await, "bare request failed");
            timeout_lat.push(started.elapsed());
            let started = Instant::now();
            assert!(generated_once(&generated).await, "generated request failed");
            gen_lat.push(started.elapsed());
        }
    }
    let (bare_seq, gen_seq, timeout_seq) = (
        median(&mut bare_lat),
        median(&mut gen_lat),
        median(&mut timeout_lat),
    );

    // Concurrency 32: wall time of `per_round` requests, median over rounds. A round is
    // short (~40 ms), so there are three times as many as above, and the clients take turns
    // going first: whichever runs right after another has the machine a little warmer.
    let (mut bare_walls, mut gen_walls, mut timeout_walls) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds * 3 {
        for turn in 0..3 {
            match (round + turn) % 3 {
                0 => timeout_walls.push(
                    concurrent(per_round, 32, {
                        let (bare, url) = (bare_timeout.clone(), url.clone());
                        move || {
                            let (bare, url) = (bare.clone(), url.clone());
                            async move { bare_once(&bare, &url).await }
                        }
                    })
                    .await,
                ),
                1 => bare_walls.push(
                    concurrent(per_round, 32, {
                        let (bare, url) = (bare.clone(), url.clone());
                        move || {
                            let (bare, url) = (bare.clone(), url.clone());
                            async move { bare_once(&bare, &url).await }
                        }
                    })
                    .await,
                ),
                _ => gen_walls.push(
                    concurrent(per_round, 32, {
                        let generated = generated.clone();
                        move || {
                            let generated = generated.clone();
                            async move { generated_once(&generated).await }
                        }
                    })
                    .await,
                ),
            }
        }
    }
    // The concurrent ratios are medians of each round's ratio: the machine's pace drifts
    // from round to round (the same client's wall time has gone from 35 to 55 ms within a
    // run), and a round's three walls, taken back to back, share its pace.
    let round_ratio = |over: &[Duration]| {
        let mut ratios: Vec<f64> = gen_walls
            .iter()
            .zip(over)
            .map(|(g, o)| g.as_secs_f64() / o.as_secs_f64().max(1e-12))
            .collect();
        ratios.sort_by(f64::total_cmp);
        ratios[ratios.len() / 2]
    };
    let conc_ratio = round_ratio(&bare_walls);
    let conc_vs_timeout = round_ratio(&timeout_walls);
    let (bare_conc, gen_conc, timeout_conc) = (
        median(&mut bare_walls),
        median(&mut gen_walls),
        median(&mut timeout_walls),
    );
    let seq_ratio = gen_seq.as_secs_f64() / bare_seq.as_secs_f64().max(1e-12);
    println!(
        "\n### Request overhead (loopback, {rounds} rounds × {per_round} requests per client sequentially, {} concurrently, clients alternating)\n",
        rounds * 3
    );
    let seq_vs_timeout = gen_seq.as_secs_f64() / timeout_seq.as_secs_f64().max(1e-12);
    println!(
        "| mode | bare reqwest | bare reqwest + 30 s timeout | generated client | ratio vs bare (goal ≤ 1.05×) | ratio vs bare + timeout |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    println!(
        "| sequential, per request | {:.1} µs | {:.1} µs | {:.1} µs | {seq_ratio:.3}× | {seq_vs_timeout:.3}× |",
        us(bare_seq),
        us(timeout_seq),
        us(gen_seq)
    );
    println!(
        "| concurrency 32, {per_round} requests | {:.1} ms | {:.1} ms | {:.1} ms | {conc_ratio:.3}× | {conc_vs_timeout:.3}× |",
        bare_conc.as_secs_f64() * 1e3,
        timeout_conc.as_secs_f64() * 1e3,
        gen_conc.as_secs_f64() * 1e3
    );
    json!({
        "sequential_bare_us": us(bare_seq), "sequential_generated_us": us(gen_seq), "sequential_ratio": seq_ratio,
        "concurrent_bare_ms": bare_conc.as_secs_f64() * 1e3, "concurrent_generated_ms": gen_conc.as_secs_f64() * 1e3,
        "concurrent_ratio": conc_ratio, "requests_per_round": per_round, "rounds": rounds,
        "sequential_bare_timeout_us": us(timeout_seq), "concurrent_bare_timeout_ms": timeout_conc.as_secs_f64() * 1e3,
        "sequential_ratio_vs_timeout": seq_vs_timeout, "concurrent_ratio_vs_timeout": conc_vs_timeout,
    })
}
