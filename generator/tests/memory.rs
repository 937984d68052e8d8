//! Peak memory while a hostile server sends 500 MB bodies, with the default limits. One test
//! in its own binary, so the process's peak resident set (`VmHWM`) is this test's alone.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use hubspot_conversations::{Client, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BODY_BYTES: u64 = 500 * 1024 * 1024;

/// Every connection gets `head` and then up to 500 MB, chunked, until the client leaves.
async fn serve(head: &'static str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let mut frame = format!("{:x}\r\n", 64 * 1024).into_bytes();
                frame.extend(std::iter::repeat_n(b' ', 64 * 1024));
                frame.extend_from_slice(b"\r\n");
                let mut sent = 0;
                while sent < BODY_BYTES {
                    if socket.write_all(&frame).await.is_err() {
                        return;
                    }
                    sent += 64 * 1024;
                }
                let _ = socket.write_all(b"0\r\n\r\n").await;
            });
        }
    });
    base
}

/// The process's peak resident set so far, in bytes (Linux).
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_megabyte_bodies_stay_under_100_mb_peak_rss() {
    let Some(before) = peak_rss() else {
        panic!("/proc/self/status has no VmHWM: this test needs Linux");
    };
    let chunked = "transfer-encoding: chunked\r\ncontent-type: application/json\r\n\r\n";
    let success = serve(Box::leak(
        format!("HTTP/1.1 200 OK\r\n{chunked}").into_boxed_str(),
    ))
    .await;
    let failure = serve(Box::leak(
        format!("HTTP/1.1 500 Internal Server Error\r\n{chunked}").into_boxed_str(),
    ))
    .await;
    let client = |base: &str| {
        Client::builder()
            .base_url(base)
            .bearer_token("t")
            .retry_backoff(
                std::time::Duration::from_millis(1),
                std::time::Duration::from_millis(2),
            )
            .build()
            .expect("client")
    };

    let err = client(&success)
        .get_thread(1)
        .send()
        .await
        .expect_err("too large");
    assert!(matches!(err, Error::ResponseTooLarge { .. }), "{err:?}");
    let after_success = peak_rss().unwrap_or(0);

    // A 500 is retried twice (each body drained only a little), then kept in part.
    let err = client(&failure)
        .get_thread(1)
        .send()
        .await
        .expect_err("500");
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert!(api.truncated && api.raw.len() == 64 * 1024);
    let after_error = peak_rss().unwrap_or(0);

    let mb = |b: u64| b as f64 / (1024.0 * 1024.0);
    eprintln!(
        "peak RSS: {:.1} MB at start, {:.1} MB after a 500 MB success body, {:.1} MB after a 500 MB error body (retried)",
        mb(before),
        mb(after_success),
        mb(after_error)
    );
    assert!(
        after_success < 100 * 1024 * 1024,
        "{:.1} MB",
        mb(after_success)
    );
    assert!(after_error < 100 * 1024 * 1024, "{:.1} MB", mb(after_error));
}
