//! A minimal keep-alive HTTP/1.1 server on 127.0.0.1 for the request benchmarks: GETs only
//! (no bodies), each answered with the bytes `respond` picks from the request head, so the
//! server's cost is the same, and small, for every client measured against it.

use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Starts the server; returns its base URL. `respond` gets the request line and headers and
/// returns the whole response, or `None` to close the connection.
pub async fn serve<F>(respond: F) -> String
where
    F: Fn(&str) -> Option<Arc<[u8]>> + Send + Sync + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let respond = Arc::new(respond);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let respond = respond.clone();
            tokio::spawn(async move {
                let mut buffer = Vec::with_capacity(1024);
                let mut chunk = [0u8; 1024];
                loop {
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                    }
                    // GETs carry no body: every blank line ends one request.
                    while let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
                        buffer.drain(..end + 4);
                        let Some(response) = respond(&head) else {
                            return;
                        };
                        if socket.write_all(&response).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    base
}
