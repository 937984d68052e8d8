//! The client's own rate limit against a loopback server that enforces one: a rolling
//! window per token, 429 past it (issue 13).

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use futures_util::StreamExt as _;
use hubspot_conversations::{Client, ClientBuilder, Error};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const THREAD: &str = r#"{"associatedContactId":"1","threadAssociations":{},"assignedTo":"1","createdAt":"2023-11-07T05:31:56Z","archived":false,"originalChannelId":"1","latestMessageTimestamp":"2023-11-07T05:31:56Z","latestMessageSentTimestamp":"2023-11-07T05:31:56Z","originalChannelAccountId":"1","id":"1","spam":false,"inboxId":"1","status":"OPEN","latestMessageReceivedTimestamp":"2023-11-07T05:31:56Z"}"#;

/// A server that lets each bearer token make `max` requests in any `per` (counted on
/// arrival, as servers do) and answers 429 past that.
struct RollingWindow {
    max: usize,
    per: Duration,
    arrivals: Mutex<HashMap<String, VecDeque<Instant>>>,
    served: AtomicUsize,
    rejected: AtomicUsize,
}

impl RollingWindow {
    async fn start(max: usize, per: Duration) -> (MockServer, Arc<RollingWindow>) {
        let window = Arc::new(RollingWindow {
            max,
            per,
            arrivals: Mutex::default(),
            served: AtomicUsize::new(0),
            rejected: AtomicUsize::new(0),
        });
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(Shared(window.clone()))
            .mount(&server)
            .await;
        (server, window)
    }
}

struct Shared(Arc<RollingWindow>);

impl Respond for Shared {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let window = &self.0;
        let token = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let now = Instant::now();
        let mut arrivals = window.arrivals.lock().unwrap();
        let recent = arrivals.entry(token).or_default();
        while recent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= window.per)
        {
            recent.pop_front();
        }
        if recent.len() >= window.max {
            window.rejected.fetch_add(1, Ordering::SeqCst);
            return ResponseTemplate::new(429).insert_header("retry-after", "1");
        }
        recent.push_back(now);
        window.served.fetch_add(1, Ordering::SeqCst);
        ResponseTemplate::new(200).set_body_raw(THREAD.as_bytes().to_vec(), "application/json")
    }
}

fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("token")
        // Every 429 the server sends stays visible as an error.
        .max_retries(0)
}

/// `requests` calls of `get_thread`, `concurrency` at a time; the errors, and how long all took.
async fn burst(client: &Client, requests: usize, concurrency: usize) -> (Vec<Error>, Duration) {
    let started = Instant::now();
    let errors = futures_util::stream::iter(0..requests)
        .map(|_| {
            let client = client.clone();
            async move { client.get_thread(1).send().await.err() }
        })
        .buffer_unordered(concurrency)
        .filter_map(|e| async move { e })
        .collect::<Vec<_>>()
        .await;
    (errors, started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_limiter_keeps_200_requests_at_concurrency_50_under_the_servers_window() {
    let per = Duration::from_secs(1);
    let (server, window) = RollingWindow::start(50, per).await;
    let client = builder(&server).rate_limit(50, per).build().unwrap();
    let (errors, took) = burst(&client, 200, 50).await;
    let rejected = window.rejected.load(Ordering::SeqCst);
    eprintln!("with the limiter: {rejected} 429s, 200 requests in {took:?}");
    assert_eq!(rejected, 0, "the server answered 429");
    assert!(errors.is_empty(), "{:?}", errors.first());
    assert_eq!(window.served.load(Ordering::SeqCst), 200);
    // 50 per second: the last 50 can start no earlier than 3 s in.
    let allowed = 3 * per;
    assert!(took >= allowed, "{took:?} is faster than the limit allows");
    assert!(
        took <= allowed.mul_f64(1.1),
        "{took:?} is more than 10% over the {allowed:?} the limit allows"
    );

    // The same run without the limiter: the server does enforce its window.
    let (server, window) = RollingWindow::start(50, per).await;
    let client = builder(&server).build().unwrap();
    let (errors, took) = burst(&client, 200, 50).await;
    let rejected = window.rejected.load(Ordering::SeqCst);
    eprintln!("without the limiter: {rejected} 429s, 200 requests in {took:?}");
    assert!(rejected >= 100, "only {rejected} 429s without the limiter");
    assert_eq!(errors.len(), rejected);
    assert!(
        errors.iter().all(|e| matches!(e, Error::RateLimited(_))),
        "{:?}",
        errors.first()
    );
}

#[tokio::test]
async fn clones_share_one_limit() {
    let per = Duration::from_millis(600);
    let (server, window) = RollingWindow::start(2, per).await;
    let client = builder(&server).rate_limit(2, per).build().unwrap();
    let started = Instant::now();
    let calls = (0..4).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.get_thread(1).send().await.map(|_| ()) })
    });
    for call in calls {
        assert!(call.await.unwrap().is_ok());
    }
    assert_eq!(window.rejected.load(Ordering::SeqCst), 0);
    assert!(
        started.elapsed() >= per,
        "four calls in {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn max_concurrency_caps_the_calls_in_progress() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(THREAD.as_bytes().to_vec(), "application/json")
                .set_delay(Duration::from_millis(100)),
        )
        .mount(&server)
        .await;
    let limited = builder(&server).max_concurrency(2).build().unwrap();
    let (errors, took) = burst(&limited, 8, 8).await;
    assert!(errors.is_empty(), "{:?}", errors.first());
    // Two at a time: four rounds of 100 ms.
    assert!(took >= Duration::from_millis(400), "8 calls in {took:?}");
    let free = builder(&server).build().unwrap();
    let (errors, took) = burst(&free, 8, 8).await;
    assert!(errors.is_empty(), "{:?}", errors.first());
    assert!(
        took < Duration::from_millis(400),
        "8 free calls took {took:?}"
    );
}

#[tokio::test]
async fn the_servers_remaining_count_holds_requests_until_its_reset() {
    // The server allows 100 per second but says, on every response, that none are left
    // for the next second; a request sent before then gets a 429.
    let (server, window) = RollingWindow::start(1, Duration::from_millis(900)).await;
    server.reset().await;
    Mock::given(any())
        .respond_with(HeaderSaysNoneLeft(window.clone()))
        .mount(&server)
        .await;
    let client = builder(&server)
        .rate_limit(100, Duration::from_secs(1))
        .build()
        .unwrap();
    let started = Instant::now();
    for _ in 0..3 {
        client.get_thread(1).send().await.unwrap();
    }
    assert_eq!(window.rejected.load(Ordering::SeqCst), 0);
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "3 calls in {:?}",
        started.elapsed()
    );
}

struct HeaderSaysNoneLeft(Arc<RollingWindow>);

impl Respond for HeaderSaysNoneLeft {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        Shared(self.0.clone())
            .respond(request)
            .insert_header("x-ratelimit-remaining", "0")
            .insert_header("x-ratelimit-reset", "1")
    }
}

#[tokio::test]
async fn a_slot_past_the_total_timeout_is_not_waited_for_and_nothing_is_sent() {
    let (server, window) = RollingWindow::start(100, Duration::from_secs(1)).await;
    let client = builder(&server)
        .rate_limit(1, Duration::from_secs(30))
        .total_timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    client.get_thread(1).send().await.unwrap();
    let started = Instant::now();
    let error = client.get_thread(1).send().await.unwrap_err();
    assert!(
        matches!(error, Error::Throttled { wait } if wait > Duration::from_secs(25)),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(window.served.load(Ordering::SeqCst), 1);
}
