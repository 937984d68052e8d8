//! What `.stream()` costs over paging by hand: 10,000 HubSpot-shaped contacts in pages of
//! 100 from a loopback server, read once through `list_contacts().stream()` and once by a
//! loop of `.send()` calls that carries `paging.next.after` itself. Same client, same
//! server, runs alternating.

use crate::timing::median;
use paging_hubspot_fixture::Client;
use std::sync::Arc;
use std::time::{Duration, Instant};

const TOTAL: usize = 10_000;
const PAGE: usize = 100;

/// The response for the page starting at `after` (a number), pre-rendered.
fn page(after: usize) -> Vec<u8> {
    let contacts: Vec<serde_json::Value> = (after..(after + PAGE).min(TOTAL))
        .map(|i| {
            serde_json::json!({
                "id": i.to_string(),
                "properties": {"email": format!("contact{i}@example.com"), "firstname": "Ada"},
                "createdAt": "2024-01-01T00:00:00Z",
                "updatedAt": "2024-01-02T00:00:00Z",
                "archived": false,
            })
        })
        .collect();
    let mut body = serde_json::json!({ "results": contacts });
    if after + PAGE < TOTAL {
        let next = (after + PAGE).to_string();
        body["paging"] =
            serde_json::json!({"next": {"after": next, "link": format!("?after={next}")}});
    }
    let body = body.to_string();
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// The loopback server answering `GET …?after=N` with the page at N.
async fn serve() -> String {
    let pages: Vec<Arc<[u8]>> = (0..TOTAL).step_by(PAGE).map(|a| page(a).into()).collect();
    crate::loopback::serve(move |head| {
        let after = head
            .split_whitespace()
            .nth(1)
            .and_then(|target| target.split_once('?'))
            .and_then(|(_, query)| {
                query
                    .split('&')
                    .find_map(|pair| pair.strip_prefix("after="))
            })
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or(0);
        pages.get(after / PAGE).cloned()
    })
    .await
}

/// The README's loop: every item taken from the stream in turn.
async fn streamed(client: &Client) -> usize {
    use futures_util::TryStreamExt as _;
    let mut stream = client.list_contacts().limit(PAGE as i32).stream();
    let mut count = 0;
    while let Some(contact) = stream.try_next().await.expect("streamed") {
        std::hint::black_box(contact);
        count += 1;
    }
    count
}

/// The same by hand: `.send()` each page, take every item, carry the cursor.
async fn by_hand(client: &Client) -> usize {
    let mut count = 0;
    let mut after: Option<String> = None;
    loop {
        let mut request = client.list_contacts().limit(PAGE as i32);
        if let Some(after) = after.take() {
            request = request.after(after);
        }
        let page = request.send().await.expect("page");
        for contact in page.results {
            std::hint::black_box(contact);
            count += 1;
        }
        match page.paging.and_then(|p| p.next) {
            Some(next) if !next.after.is_empty() => after = Some(next.after),
            _ => return count,
        }
    }
}

pub async fn stream_vs_send(quick: bool) -> serde_json::Value {
    let base = serve().await;
    let client = Client::builder()
        .base_url(&base)
        .api_key("bench")
        .build()
        .expect("client");
    let rounds = if quick { 3 } else { 15 };
    assert_eq!(streamed(&client).await, TOTAL, "warm-up, streamed");
    assert_eq!(by_hand(&client).await, TOTAL, "warm-up, by hand");
    let (mut stream_times, mut hand_times) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let started = Instant::now();
        assert_eq!(by_hand(&client).await, TOTAL);
        hand_times.push(started.elapsed());
        let started = Instant::now();
        assert_eq!(streamed(&client).await, TOTAL);
        stream_times.push(started.elapsed());
    }
    let (hand, stream) = (median(&mut hand_times), median(&mut stream_times));
    let ratio = stream.as_secs_f64() / hand.as_secs_f64().max(1e-12);
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "\n### Paging: {TOTAL} items in pages of {PAGE} (loopback, median of {rounds} runs each, alternating)\n"
    );
    println!("| `.send()` loop carrying the cursor | `.stream()` | ratio (goal ≤ 1.05×) |");
    println!("|---:|---:|---:|");
    println!(
        "| {:.1} ms | {:.1} ms | {ratio:.3}× |",
        ms(hand),
        ms(stream)
    );
    serde_json::json!({
        "items": TOTAL, "page": PAGE, "rounds": rounds,
        "by_hand_ms": ms(hand), "stream_ms": ms(stream), "ratio": ratio,
    })
}
