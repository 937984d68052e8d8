//! The fault matrix: the generated client against misbehaving servers on 127.0.0.1 (wiremock,
//! or a raw TCP socket where HTTP itself must break). Each case asserts the exact outcome.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use hubspot_conversations::{Client, Error};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "tok-5ecret-value";

const THREAD: &str = r#"{"associatedContactId":"1","createdAt":"2023-11-07T05:31:56Z","archived":false,
"originalChannelId":"1000","originalChannelAccountId":"2","id":"42","spam":false,"inboxId":"7","status":"OPEN"}"#;

/// A client whose backoff is short, so retry cases take milliseconds, not seconds.
fn client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .bearer_token(TOKEN)
        .retry_backoff(Duration::from_millis(5), Duration::from_millis(20))
        .build()
        .expect("client builds")
}

fn body(status: u16, content_type: &str, text: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(text.as_bytes().to_vec(), content_type)
}

async fn server_with(responses: Vec<ResponseTemplate>, then: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    for (i, response) in responses.into_iter().enumerate() {
        Mock::given(method("GET"))
            .respond_with(response)
            .up_to_n_times(1)
            .with_priority(u8::try_from(i + 1).expect("few responses"))
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .respond_with(then)
        .with_priority(100)
        .mount(&server)
        .await;
    server
}

async fn requests_seen(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .expect("recording is on")
        .len()
}

#[tokio::test]
async fn malformed_json_is_a_decode_error() {
    let server = server_with(
        vec![],
        body(
            200,
            "application/json",
            r#"{"id": "42", "spam": tru, "inboxId": "7"}"#,
        ),
    )
    .await;
    let err = client(&server.uri())
        .get_thread(1)
        .send()
        .await
        .expect_err("must fail");
    let Error::Decode(e) = &err else {
        panic!("{err:?}")
    };
    assert!(e.message.contains("expected ident"), "{}", e.message);
    assert_eq!(requests_seen(&server).await, 1, "a 2xx is never retried");
}

#[tokio::test]
async fn json_labelled_text_html_still_decodes() {
    // The documented type decides how a 2xx body is read; a wrong label does not break it.
    let server = server_with(vec![], body(200, "text/html", THREAD)).await;
    let thread = client(&server.uri())
        .get_thread(1)
        .send()
        .await
        .expect("decodes");
    assert_eq!(thread.id, "42");
}

#[tokio::test]
async fn an_empty_200_body_is_a_decode_error() {
    let server = server_with(vec![], body(200, "application/json", "")).await;
    let err = client(&server.uri())
        .get_thread(1)
        .send()
        .await
        .expect_err("must fail");
    let Error::Decode(e) = &err else {
        panic!("{err:?}")
    };
    assert!(e.message.contains("EOF while parsing"), "{}", e.message);
    assert_eq!(e.snippet, "");
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out_then_succeeds() {
    let limited = body(
        429,
        "application/json",
        r#"{"policyName":"TEN_SECONDLY_ROLLING"}"#,
    )
    .insert_header("Retry-After", "1");
    let server = server_with(vec![limited], body(200, "application/json", THREAD)).await;
    let started = Instant::now();
    let thread = client(&server.uri())
        .get_thread(1)
        .send()
        .await
        .expect("succeeds on retry");
    assert_eq!(thread.id, "42");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(requests_seen(&server).await, 2);
}

#[tokio::test]
async fn a_429_forever_gives_up_with_a_rate_limit_error_and_the_last_headers() {
    let limited = |n: &str| {
        body(
            429,
            "application/json",
            r#"{"status":"error","policyName":"TEN_SECONDLY_ROLLING"}"#,
        )
        .insert_header("X-HubSpot-RateLimit-Max", "100")
        .insert_header("X-HubSpot-RateLimit-Remaining", "0")
        .insert_header("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")
        .insert_header("X-Attempt", n)
    };
    let server = server_with(vec![limited("1"), limited("2")], limited("3")).await;
    let err = client(&server.uri())
        .get_thread(1)
        .send()
        .await
        .expect_err("gives up");
    assert_eq!(requests_seen(&server).await, 3, "max_retries (2) + 1");
    let Error::RateLimited(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.status, 429);
    assert_eq!(e.headers["x-attempt"], "3", "the last response's headers");
    let limit = e.rate_limit();
    assert_eq!(
        (
            limit.limit,
            limit.remaining,
            limit.window.map(|w| w.as_millis())
        ),
        (Some(100), Some(0), Some(10_000))
    );
    assert!(e.raw.contains("TEN_SECONDLY_ROLLING"));
}

#[tokio::test]
async fn max_retries_is_configurable_on_the_client_and_per_request() {
    let server = server_with(vec![], body(429, "application/json", "{}")).await;
    let none = Client::builder()
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .expect("builds");
    none.get_thread(1).send().await.expect_err("rate limited");
    assert_eq!(requests_seen(&server).await, 1);
    client(&server.uri())
        .get_thread(1)
        .max_retries(4)
        .send()
        .await
        .expect_err("rate limited");
    assert_eq!(requests_seen(&server).await, 1 + 5);
}

#[tokio::test]
async fn an_http_date_retry_after_is_read() {
    let at = std::time::SystemTime::now() + Duration::from_secs(30);
    let date = chrono::DateTime::<chrono::Utc>::from(at)
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    let server = server_with(
        vec![],
        body(429, "application/json", "{}").insert_header("Retry-After", date.as_str()),
    )
    .await;
    let err = client(&server.uri())
        .get_thread(1)
        .max_retries(0)
        .send()
        .await
        .expect_err("rate limited");
    let Error::RateLimited(e) = &err else {
        panic!("{err:?}")
    };
    let wait = e.retry_after().expect("parsed");
    assert!(
        wait > Duration::from_secs(27) && wait <= Duration::from_secs(30),
        "{wait:?}"
    );
}

#[tokio::test]
async fn a_503_then_200_succeeds() {
    let server = server_with(
        vec![body(503, "text/plain", "busy")],
        body(200, "application/json", THREAD),
    )
    .await;
    client(&server.uri())
        .get_thread(1)
        .send()
        .await
        .expect("succeeds on retry");
    assert_eq!(requests_seen(&server).await, 2);
}

#[tokio::test]
async fn a_400_is_not_retried() {
    let server = server_with(
        vec![],
        body(400, "application/json", r#"{"message":"bad"}"#),
    )
    .await;
    let err = client(&server.uri())
        .get_thread(1)
        .send()
        .await
        .expect_err("must fail");
    assert!(matches!(&err, Error::Api(e) if e.status == 400), "{err:?}");
    assert_eq!(requests_seen(&server).await, 1);
}

#[tokio::test]
async fn a_stalled_server_times_out_per_request_without_retrying() {
    let server = server_with(
        vec![],
        body(200, "application/json", THREAD).set_delay(Duration::from_secs(10)),
    )
    .await;
    let started = Instant::now();
    let err = client(&server.uri())
        .get_thread(1)
        .timeout(Duration::from_millis(300))
        .send()
        .await
        .expect_err("times out");
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the per-request timeout applied"
    );
    assert_eq!(requests_seen(&server).await, 1, "a timeout is not retried");
}

/// A raw HTTP/1.1 server that answers every connection with `reply` and hangs up,
/// counting connections.
async fn raw_server(reply: &'static [u8]) -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let _ = socket.write_all(reply).await;
            let _ = socket.shutdown().await;
        }
    });
    (base, seen)
}

#[tokio::test]
async fn a_truncated_body_is_a_transport_error() {
    let (base, seen) = raw_server(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"id\":\"42\",\"spam\"",
    )
    .await;
    let err = client(&base)
        .get_thread(1)
        .send()
        .await
        .expect_err("must fail");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(
        seen.load(Ordering::SeqCst),
        1,
        "a body that broke after a 2xx status is not retried"
    );
}

#[tokio::test]
async fn a_connection_closed_mid_response_is_retried_then_a_transport_error() {
    let (base, seen) = raw_server(b"HTTP/1.1 200 OK\r\nContent-Typ").await;
    let err = client(&base)
        .get_thread(1)
        .send()
        .await
        .expect_err("must fail");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(
        seen.load(Ordering::SeqCst),
        3,
        "an idempotent GET is retried twice"
    );
}

#[tokio::test]
async fn a_10_mib_body_decodes() {
    let big = "x".repeat(10 * 1024 * 1024);
    let text = THREAD.replacen('{', &format!(r#"{{"assignedTo":"{big}","#), 1);
    let server = server_with(vec![], body(200, "application/json", &text)).await;
    let thread = client(&server.uri())
        .get_thread(1)
        .send()
        .await
        .expect("decodes");
    assert_eq!(thread.assigned_to.map(|s| s.len()), Some(10 * 1024 * 1024));
}

#[tokio::test]
async fn send_with_response_gives_status_headers_and_rate_limits() {
    let ok = body(200, "application/json", THREAD)
        .insert_header("X-HubSpot-RateLimit-Max", "190")
        .insert_header("X-HubSpot-RateLimit-Remaining", "189")
        .insert_header("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")
        .insert_header("X-HubSpot-RateLimit-Daily", "1000000")
        .insert_header("X-HubSpot-RateLimit-Daily-Remaining", "999999");
    let server = server_with(vec![], ok).await;
    let response = client(&server.uri())
        .get_thread(1)
        .send_with_response()
        .await
        .expect("ok");
    assert_eq!(response.status, 200);
    assert_eq!(response.headers["x-hubspot-ratelimit-max"], "190");
    let limit = response.rate_limit();
    assert_eq!(limit.limit, Some(190));
    assert_eq!(limit.remaining, Some(189));
    assert_eq!(limit.window, Some(Duration::from_secs(10)));
    assert_eq!(limit.daily_limit, Some(1_000_000));
    assert_eq!(limit.daily_remaining, Some(999_999));
    assert_eq!(response.into_body().id, "42");
}

#[tokio::test]
async fn per_request_headers_and_query_parameters_are_sent() {
    let server = server_with(vec![], body(200, "application/json", THREAD)).await;
    client(&server.uri())
        .get_thread(1)
        .archived(true)
        .header("X-Request-Id", "abc-123")
        .query("extra", "a b&c")
        .send()
        .await
        .expect("ok");
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests[0].headers["x-request-id"], "abc-123");
    assert_eq!(requests[0].url.query(), Some("archived=true&extra=a+b%26c"));
}

#[tokio::test]
async fn an_invalid_per_request_header_is_an_invalid_request_error() {
    let server = server_with(vec![], body(200, "application/json", THREAD)).await;
    let err = client(&server.uri())
        .get_thread(1)
        .header("X-Bad", "line\nbreak")
        .send()
        .await
        .expect_err("invalid");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert_eq!(requests_seen(&server).await, 0);
}

/// A `tracing` writer that keeps everything in memory.
#[derive(Clone, Default)]
struct Captured(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("not poisoned").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn retries_are_traced_and_the_token_never_appears() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::TRACE)
        .finish();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    tracing::subscriber::with_default(subscriber, || {
        runtime.block_on(async {
            let server = server_with(
                vec![body(503, "text/plain", "busy")],
                body(200, "application/json", THREAD),
            )
            .await;
            client(&server.uri())
                .get_thread(1)
                .send()
                .await
                .expect("succeeds on retry");
        });
    });
    let log = String::from_utf8(captured.0.lock().expect("not poisoned").clone()).expect("utf-8");
    assert!(log.contains("retrying request"), "{log}");
    assert!(
        log.contains("status=503") && log.contains("attempt=1"),
        "{log}"
    );
    assert!(!log.contains(TOKEN), "the token leaked into tracing: {log}");
}

#[tokio::test]
async fn no_error_variant_shows_the_token() {
    let server = server_with(
        vec![],
        body(404, "application/json", r#"{"message":"nope"}"#),
    )
    .await;
    let client = client(&server.uri());
    let mut shown = vec![
        format!("{client:?}"),
        format!("{:?}", Client::builder().bearer_token(TOKEN)),
    ];
    let errors = [
        client.get_thread(1).send().await.expect_err("404"),
        client
            .get_thread(1)
            .header("X-Bad", "a\nb")
            .send()
            .await
            .expect_err("invalid"),
    ];
    let stall = server_with(
        vec![],
        body(200, "application/json", THREAD).set_delay(Duration::from_secs(5)),
    )
    .await;
    let timeout = Client::builder()
        .base_url(stall.uri())
        .bearer_token(TOKEN)
        .timeout(Duration::from_millis(100))
        .build()
        .expect("builds");
    let limited = server_with(vec![], body(429, "application/json", "{}")).await;
    let garbage = server_with(vec![], body(200, "application/json", "{")).await;
    // A port that was just free: nothing listens there once the listener is dropped.
    let refused = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        format!("http://{}", listener.local_addr().expect("addr"))
    };
    let more = [
        timeout.get_thread(1).send().await.expect_err("timeout"),
        self::client(&limited.uri())
            .get_thread(1)
            .max_retries(0)
            .send()
            .await
            .expect_err("429"),
        self::client(&garbage.uri())
            .get_thread(1)
            .send()
            .await
            .expect_err("decode"),
        self::client(&refused)
            .get_thread(1)
            .max_retries(0)
            .send()
            .await
            .expect_err("refused"),
    ];
    let variants: Vec<&str> = errors
        .iter()
        .chain(&more)
        .map(|e| match e {
            Error::InvalidRequest(_) => "InvalidRequest",
            Error::Timeout(_) => "Timeout",
            Error::Transport(_) => "Transport",
            Error::Api(_) => "Api",
            Error::RateLimited(_) => "RateLimited",
            Error::Decode(_) => "Decode",
            _ => "other",
        })
        .collect();
    assert_eq!(
        variants,
        [
            "Api",
            "InvalidRequest",
            "Timeout",
            "RateLimited",
            "Decode",
            "Transport"
        ]
    );
    for e in errors.iter().chain(&more) {
        shown.push(format!("{e} {e:?}"));
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            shown.push(format!("{s} {s:?}"));
            source = s.source();
        }
    }
    for text in &shown {
        assert!(!text.contains(TOKEN), "the token leaked: {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_requests_at_concurrency_64() {
    let server = server_with(vec![], body(200, "application/json", THREAD)).await;
    let client = client(&server.uri());
    let permits = Arc::new(tokio::sync::Semaphore::new(64));
    let mut tasks = tokio::task::JoinSet::new();
    let started = Instant::now();
    for i in 0..2000 {
        let client = client.clone();
        let permit = permits
            .clone()
            .acquire_owned()
            .await
            .expect("semaphore open");
        tasks.spawn(async move {
            let result = client.get_thread(i).send().await;
            drop(permit);
            result
        });
    }
    let mut errors = 0;
    while let Some(result) = tasks.join_next().await {
        if !matches!(result, Ok(Ok(_))) {
            errors += 1;
        }
    }
    eprintln!("2,000 requests at concurrency 64: {:?}", started.elapsed());
    assert_eq!(errors, 0);
    assert_eq!(requests_seen(&server).await, 2000);
}
