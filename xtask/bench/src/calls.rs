//! What the request benchmarks share (`requests.rs`, and the instruction-count example
//! `examples/request_instructions.rs`, which includes this file): the loopback server
//! answering with one thread, the call through each client, and calls run N at a time.

use hubspot_conversations::types::PublicThread;
use std::sync::Arc;
use std::time::{Duration, Instant};

const BODY: &str = r#"{"associatedContactId":"1","createdAt":"2023-11-07T05:31:56Z","archived":false,"originalChannelId":"1000","originalChannelAccountId":"2","id":"42","spam":false,"inboxId":"7","status":"OPEN"}"#;

/// The loopback server answering every request with the same thread.
pub async fn serve() -> String {
    let response: Arc<[u8]> = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{BODY}",
        BODY.len()
    )
    .into_bytes()
    .into();
    crate::loopback::serve(move |_| Some(response.clone())).await
}

pub async fn generated_once(client: &hubspot_conversations::Client) -> bool {
    client.get_thread(42).send().await.is_ok()
}

pub async fn bare_once(client: &reqwest::Client, url: &str) -> bool {
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

/// Runs `total` calls from `make`, `width` at a time, each spawned; the wall time of all.
pub async fn concurrent<F, Fut>(total: usize, width: usize, make: F) -> Duration
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool> + Send + 'static,
{
    let permits = Arc::new(tokio::sync::Semaphore::new(width));
    let mut tasks = tokio::task::JoinSet::new();
    let started = Instant::now();
    for _ in 0..total {
        let permit = permits
            .clone()
            .acquire_owned()
            .await
            .expect("semaphore open");
        let request = make();
        tasks.spawn(async move {
            let ok = request.await;
            drop(permit);
            ok
        });
    }
    while let Some(done) = tasks.join_next().await {
        assert!(matches!(done, Ok(true)), "a concurrent request failed");
    }
    started.elapsed()
}
