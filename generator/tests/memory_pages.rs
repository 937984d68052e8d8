//! Peak memory while a server hands out 60 KB cursors for 2,000 pages: the stream keeps a
//! fixed window of cursor hashes, not every cursor (it kept them all: 1.2 GB after 20,000
//! pages). One test in its own binary, so the peak resident set (`VmHWM`) is its alone.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use futures_util::StreamExt as _;
use paging_hubspot_fixture::Client;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _};

const PAGES: usize = 2_000;
const CURSOR_BYTES: usize = 60 * 1024;

/// A keep-alive HTTP/1.1 server (by hand: wiremock keeps what it receives) whose page `n`
/// holds one contact and a 60 KB cursor no page had before; the last has none.
async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let served = std::sync::Arc::new(AtomicUsize::new(0));
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let served = served.clone();
            // Without it a response's last segment waits for a delayed ACK: 40 ms a page.
            let _ = socket.set_nodelay(true);
            tokio::spawn(async move {
                let mut socket = tokio::io::BufStream::new(socket);
                loop {
                    // The request: lines up to the blank one (GET, no body).
                    let mut line = String::new();
                    loop {
                        line.clear();
                        match socket.read_line(&mut line).await {
                            Ok(0) | Err(_) => return,
                            Ok(_) if line == "\r\n" => break,
                            Ok(_) => {}
                        }
                    }
                    let n = served.fetch_add(1, Ordering::SeqCst);
                    let mut after = format!("{n:08}");
                    after.extend(std::iter::repeat_n('x', CURSOR_BYTES - after.len()));
                    let next = (n + 1 < PAGES).then(|| json!({"next": {"after": after}}));
                    let body = json!({
                        "results": [{"id": n.to_string(), "properties": {}, "createdAt": "2024-01-01T00:00:00Z", "updatedAt": "2024-01-01T00:00:00Z"}],
                        "paging": next,
                    })
                    .to_string();
                    let head = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                        body.len()
                    );
                    if socket.write_all(head.as_bytes()).await.is_err()
                        || socket.write_all(body.as_bytes()).await.is_err()
                        || socket.flush().await.is_err()
                    {
                        return;
                    }
                }
            });
        }
    });
    base
}

fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace()
        .nth(1)
        .unwrap()
        .parse::<u64>()
        .unwrap()
        * 1024
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_thousand_60_kb_cursors_do_not_pile_up() {
    let base = serve().await;
    let client = Client::builder()
        .base_url(&base)
        .api_key("key")
        .build()
        .unwrap();
    let before = peak_rss();
    let read = client
        .list_contacts()
        .stream()
        .fold(0usize, |n, item| async move {
            item.unwrap();
            n + 1
        })
        .await;
    assert_eq!(read, PAGES);
    let grown = peak_rss().saturating_sub(before);
    let kept_all = (PAGES * CURSOR_BYTES) as u64;
    eprintln!(
        "peak RSS grew {:.1} MB over {PAGES} pages of 60 KB cursors (keeping them all: {:.0} MB)",
        grown as f64 / 1048576.0,
        kept_all as f64 / 1048576.0
    );
    assert!(grown < kept_all / 4, "grew {grown} bytes");
}
