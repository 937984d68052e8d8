//! One client's requests against the bench's loopback server, on one thread, for
//! `xtask/profile/request-instructions.sh` (valgrind's instruction counts repeat where
//! timings on a shared 2-core machine do not):
//!
//!   request_instructions generated|timeout|bare N [W]   N requests through one client, W at a time
//!   request_instructions sizes                          the size of one call's future
//!
//! Both clients are built in every mode, so the difference of two counts is per request.

#![allow(
    clippy::expect_used,
    reason = "a measurement that cannot set up should stop loudly"
)]

#[path = "../src/calls.rs"]
mod calls;
#[path = "../src/loopback.rs"]
mod loopback;

use calls::{bare_once, concurrent, generated_once};
use std::time::Duration;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args
        .first()
        .cloned()
        .unwrap_or_else(|| "generated".to_owned());
    let n: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(1000);
    let width: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(1);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let base = calls::serve().await;
        let _ = rustls::crypto::ring::default_provider().install_default();
        let url = format!("{base}/conversations/v3/conversations/threads/42");
        let mut builder = reqwest::Client::builder();
        if mode == "timeout" {
            // As the generated client configures its reqwest client.
            builder = builder.timeout(Duration::from_secs(30));
        }
        let bare = builder.build().expect("bare client");
        let generated = hubspot_conversations::Client::builder()
            .base_url(&base)
            .bearer_token("bench-token")
            .build()
            .expect("generated client");
        if mode == "sizes" {
            let bare_call = bare_once(&bare, &url);
            let generated_call = generated.get_thread(42).send();
            println!(
                "future of one call: bare reqwest {} B, generated client {} B",
                size_of_val(&bare_call),
                size_of_val(&generated_call)
            );
            return;
        }
        concurrent(n, width, move || {
            let (generated, bare, url, mode) =
                (generated.clone(), bare.clone(), url.clone(), mode.clone());
            async move {
                match mode.as_str() {
                    "generated" => generated_once(&generated).await,
                    _ => bare_once(&bare, &url).await,
                }
            }
        })
        .await;
    });
}
