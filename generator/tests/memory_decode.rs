//! Decode amplification: 60 MB of `[{},{},…]` is 20 million elements. Into a list of
//! structs of 12 optional strings that took 5.9 GB, into `Vec<Value>` 764 MB. Decoding is
//! charged what it allocates (8 × `max_response_bytes`: 512 MiB by default) and stops with
//! a decode error past it; the peak stays under 1 GiB. One test in its own binary, so the
//! peak resident set (`VmHWM`) is its alone.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use security_fixture::{Client, Error};
use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _};

const BODY_BYTES: usize = 60 * 1024 * 1024;

/// Every request gets `[{},{},…]`, 60 MB of it.
async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut body = Vec::with_capacity(BODY_BYTES);
    body.push(b'[');
    while body.len() < BODY_BYTES - 3 {
        body.extend_from_slice(b"{},");
    }
    body.extend_from_slice(b"{}]");
    let body = std::sync::Arc::new(body);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let body = body.clone();
            tokio::spawn(async move {
                let mut socket = tokio::io::BufStream::new(socket);
                loop {
                    let mut line = String::new();
                    loop {
                        line.clear();
                        match socket.read_line(&mut line).await {
                            Ok(0) | Err(_) => return,
                            Ok(_) if line == "\r\n" => break,
                            Ok(_) => {}
                        }
                    }
                    let head = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                        body.len()
                    );
                    if socket.write_all(head.as_bytes()).await.is_err()
                        || socket.write_all(&body).await.is_err()
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

fn over_budget<T: std::fmt::Debug, E: std::fmt::Debug>(result: Result<T, Error<E>>) {
    match result {
        Err(Error::Decode(e)) => assert!(e.message.contains("bytes of memory"), "{e}"),
        other => panic!("expected the decode budget's error, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_megabytes_of_empty_objects_stay_under_a_gigabyte() {
    let base = serve().await;
    let client = Client::builder()
        .base_url(&base)
        .bearer_token("t")
        .build()
        .unwrap();
    let before = peak_rss();
    over_budget(client.list_records().send().await);
    let records = peak_rss();
    over_budget(client.list_values().send().await);
    let values = peak_rss();
    let mb = |b: u64| b as f64 / 1048576.0;
    eprintln!(
        "peak RSS: {:.0} MB before, {:.0} MB after 60 MB of `{{}}` as records (12 optional strings), {:.0} MB after it as `Vec<Value>`",
        mb(before),
        mb(records),
        mb(values)
    );
    assert!(values < 1 << 30, "{:.0} MB", mb(values));
}
