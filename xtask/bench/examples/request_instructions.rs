//! One client's requests against the bench's loopback server, on one thread, for
//! `xtask/profile/request-instructions.sh` (valgrind's instruction counts repeat where
//! timings on a shared 2-core machine do not):
//!
//!   request_instructions generated|timeout|bare N [W]   N requests through one client, W at a time
//!   request_instructions sizes                       the size of one call's future
//!
//! Both clients are built in every mode, so the difference of two counts is per request.

#![allow(
    clippy::expect_used,
    reason = "a measurement that cannot set up should stop loudly"
)]

#[path = "../src/loopback.rs"]
mod loopback;

use hubspot_conversations::types::PublicThread;
use std::sync::Arc;
use std::time::Duration;

const BODY: &str = r#"{"associatedContactId":"1","createdAt":"2023-11-07T05:31:56Z","archived":false,"originalChannelId":"1000","originalChannelAccountId":"2","id":"42","spam":false,"inboxId":"7","status":"OPEN"}"#;

async fn bare_once(client: &reqwest::Client, url: &str) -> bool {
    let Ok(response) = client.get(url).bearer_auth("bench-token").send().await else {
        return false;
    };
    if !response.status().is_success() {
        return false;
    }
    let Ok(bytes) = response.bytes().await else {
        return false;
    };
    serde_json::from_slice::<PublicThread>(&bytes).is_ok()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args
        .first()
        .cloned()
        .unwrap_or_else(|| "generated".to_owned());
    let n: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(1000);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let response: Arc<[u8]> = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{BODY}",
            BODY.len()
        )
        .into_bytes()
        .into();
        let base = loopback::serve(move |_| Some(response.clone())).await;
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
        let width: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(1);
        let permits = Arc::new(tokio::sync::Semaphore::new(width));
        let mut calls = tokio::task::JoinSet::new();
        for _ in 0..n {
            let permit = permits
                .clone()
                .acquire_owned()
                .await
                .expect("semaphore open");
            let (generated, bare, url, mode) =
                (generated.clone(), bare.clone(), url.clone(), mode.clone());
            calls.spawn(async move {
                let ok = match mode.as_str() {
                    "generated" => generated.get_thread(42).send().await.is_ok(),
                    _ => bare_once(&bare, &url).await,
                };
                drop(permit);
                ok
            });
        }
        while let Some(done) = calls.join_next().await {
            assert!(matches!(done, Ok(true)), "request failed");
        }
    });
}
