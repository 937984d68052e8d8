//! A server's numbers cannot panic the caller, stop the client for good, or stretch a call
//! past its deadline: rate-limit resets of `u64::MAX` in every header family, a huge
//! `Retry-After` with `max_retry_after(Duration::MAX)`, `Duration::MAX` settings, and an
//! error body that stalls before a retry.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use hubspot_conversations::{Client, Error};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const THREAD: &str = r#"{"associatedContactId":"1","threadAssociations":{},"assignedTo":"1","createdAt":"2023-11-07T05:31:56Z","archived":false,"originalChannelId":"1","latestMessageTimestamp":"2023-11-07T05:31:56Z","latestMessageSentTimestamp":"2023-11-07T05:31:56Z","originalChannelAccountId":"1","id":"1","spam":false,"inboxId":"1","status":"OPEN","latestMessageReceivedTimestamp":"2023-11-07T05:31:56Z"}"#;

const MAX: &str = "18446744073709551615";

/// Every header family the client reads, each saying "none left" until the end of time.
fn exhausted_forever() -> Vec<Vec<(&'static str, String)>> {
    vec![
        vec![
            ("x-ratelimit-remaining", "0".into()),
            ("x-ratelimit-reset", MAX.into()),
        ],
        vec![
            ("ratelimit-remaining", "0".into()),
            ("ratelimit-reset", MAX.into()),
        ],
        vec![("ratelimit", format!("\"default\";r=0;t={MAX}"))],
        vec![
            ("x-hubspot-ratelimit-remaining", "0".into()),
            ("x-hubspot-ratelimit-interval-milliseconds", MAX.into()),
        ],
        vec![
            ("x-ratelimit-remaining", "0".into()),
            ("x-ratelimit-reset", "1000000000000".into()),
        ],
        vec![
            ("x-ratelimit-remaining", "0".into()),
            ("x-ratelimit-reset", "3600".into()),
        ],
    ]
}

async fn server_saying(headers: &[(&'static str, String)]) -> MockServer {
    let server = MockServer::start().await;
    let mut response = ResponseTemplate::new(200).set_body_raw(THREAD, "application/json");
    for (name, value) in headers {
        response = response.insert_header(*name, value.as_str());
    }
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

/// The second call waits at most `max_retry_after` for a reset the server put decades away,
/// then goes: no panic, and the client is not throttled for the rest of its life.
#[tokio::test]
async fn a_reset_at_the_end_of_time_neither_panics_nor_stops_the_client() {
    for headers in exhausted_forever() {
        let server = server_saying(&headers).await;
        let client = Client::builder()
            .base_url(server.uri())
            .bearer_token("t")
            .rate_limit(100, Duration::from_secs(1))
            .max_retry_after(Duration::from_millis(300))
            .total_timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        client.get_thread(1).send().await.unwrap();
        let started = Instant::now();
        let second = client.get_thread(2).send().await;
        assert!(second.is_ok(), "{headers:?}: {second:?}");
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_millis(250) && waited < Duration::from_secs(3),
            "{headers:?}: the server's wait is capped at max_retry_after, waited {waited:?}"
        );
    }
}

/// The wait a server can impose defaults to one minute: with a call deadline shorter than
/// that, a "none left for a day" answer makes the next call `Throttled` at once (not
/// after waiting), and says how long the wait would have been.
#[tokio::test]
async fn by_default_a_server_wait_is_at_most_a_minute() {
    let server = server_saying(&[
        ("x-ratelimit-remaining", "0".into()),
        ("x-ratelimit-reset", "86400".into()),
    ])
    .await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .rate_limit(100, Duration::from_secs(1))
        .total_timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    client.get_thread(1).send().await.unwrap();
    match client.get_thread(2).send().await {
        Err(Error::Throttled { wait }) => {
            assert!(wait <= Duration::from_secs(60), "{wait:?}");
            assert!(wait > Duration::from_secs(50), "{wait:?}");
        }
        other => panic!("expected Throttled, got {other:?}"),
    }
}

#[tokio::test]
async fn duration_max_settings_and_a_huge_retry_after_do_not_panic() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", MAX))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .max_retry_after(Duration::MAX)
        .total_timeout(Duration::MAX)
        .timeout(Duration::MAX)
        .connect_timeout(Duration::MAX)
        .retry_backoff(Duration::MAX, Duration::MAX)
        .rate_limit(1, Duration::MAX)
        .build()
        .unwrap();
    let started = Instant::now();
    match client.get_thread(1).send().await {
        Err(Error::Api(error)) => assert_eq!(error.status.as_u16(), 503),
        other => panic!("expected the 503 at once, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(5));
    // The window of one request per `Duration::MAX` is full: the next call is refused
    // at once for its deadline, however far that is.
    let next = client
        .get_thread(2)
        .total_timeout(Duration::from_millis(200))
        .send()
        .await;
    assert!(matches!(next, Err(Error::Throttled { .. })), "{next:?}");
}

/// 503 with `Retry-After: 1`, then a body that never comes. The body is read for a retry
/// only while a wait could still end in time: the call returns by its deadline (it ran
/// to the attempt's timeout and then waited anyway: 1.5 s → 2.5 s).
#[tokio::test]
async fn a_stalled_error_body_before_a_retry_cannot_stretch_the_deadline() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let head = "HTTP/1.1 503 Service Unavailable\r\nretry-after: 1\r\ncontent-length: 100000\r\n\r\n{\"message\":";
                let _ = socket.write_all(head.as_bytes()).await;
                tokio::time::sleep(Duration::from_secs(30)).await;
            });
        }
    });
    let deadline = Duration::from_millis(1500);
    let client = Client::builder()
        .base_url(&base)
        .bearer_token("t")
        .timeout(Duration::from_secs(10))
        .total_timeout(deadline)
        .build()
        .unwrap();
    let started = Instant::now();
    let result = client.get_thread(1).send().await;
    let took = started.elapsed();
    assert!(
        matches!(&result, Err(Error::Api(e)) if e.status.as_u16() == 503),
        "{result:?}"
    );
    assert!(
        took < deadline + Duration::from_millis(250),
        "took {took:?}"
    );
}
