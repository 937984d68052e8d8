//! The generated client against hostile servers and hostile values, on 127.0.0.1: huge and
//! endless bodies, stalls and long `Retry-After`s, redirects that would carry credentials
//! away, path and cookie values that would change the request, secrets in `Debug`, and
//! per-request headers that would override the client's own. The crate under test is
//! generated from `fixtures/security.yaml` (every kind of credential and parameter).

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use futures_util::StreamExt as _;
use security_fixture::types::Item;
use security_fixture::{Client, Error};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{any, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "KEY-5ECRET";
const TOKEN: &str = "TOKEN-5ECRET";

fn client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .api_key(KEY)
        .bearer_token(TOKEN)
        .retry_backoff(Duration::from_millis(5), Duration::from_millis(20))
        .build()
        .expect("client builds")
}

fn item_json() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(br#"{"id":"1"}"#.to_vec(), "application/json")
}

/// A raw HTTP/1.1 server: every connection gets `head`, then `body_bytes` of `x` (chunked
/// when `chunked`), or until the client goes away. Counts connections and bytes written.
struct RawServer {
    base: String,
    connections: Arc<AtomicUsize>,
    written: Arc<AtomicU64>,
}

async fn raw_server(head: &'static str, body_bytes: u64, chunked: bool) -> RawServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let connections = Arc::new(AtomicUsize::new(0));
    let written = Arc::new(AtomicU64::new(0));
    let (seen, total) = (connections.clone(), written.clone());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            seen.fetch_add(1, Ordering::SeqCst);
            let total = total.clone();
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let block = vec![b'x'; 64 * 1024];
                let mut sent = 0u64;
                while sent < body_bytes {
                    let n = (body_bytes - sent).min(block.len() as u64) as usize;
                    let result = if chunked {
                        let mut framed = format!("{n:x}\r\n").into_bytes();
                        framed.extend_from_slice(&block[..n]);
                        framed.extend_from_slice(b"\r\n");
                        socket.write_all(&framed).await
                    } else {
                        socket.write_all(&block[..n]).await
                    };
                    if result.is_err() {
                        return;
                    }
                    sent += n as u64;
                    total.fetch_add(n as u64, Ordering::SeqCst);
                }
                if chunked {
                    let _ = socket.write_all(b"0\r\n\r\n").await;
                }
            });
        }
    });
    RawServer {
        base,
        connections,
        written,
    }
}

// ---- 1. Unbounded bodies -------------------------------------------------------------

#[tokio::test]
async fn an_endless_success_body_stops_at_the_limit() {
    let server = raw_server(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
        u64::MAX,
        true,
    )
    .await;
    let err = client(&server.base)
        .get_item_details("1")
        .max_response_bytes(1024 * 1024)
        .send()
        .await
        .expect_err("too large");
    let Error::ResponseTooLarge { status, limit } = err else {
        panic!("{err:?}")
    };
    assert_eq!((status.as_u16(), limit), (200, 1024 * 1024));
    // The read stopped near the limit: what the server got out is the limit plus what the
    // socket buffers hold, not an endless stream.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let written = server.written.load(Ordering::SeqCst);
    assert!(written < 64 * 1024 * 1024, "server wrote {written} bytes");
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_refused_before_reading() {
    let server = raw_server(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 524288000\r\n\r\n",
        524_288_000,
        false,
    )
    .await;
    let err = client(&server.base)
        .get_item_details("1")
        .send()
        .await
        .expect_err("too large");
    assert!(
        matches!(err, Error::ResponseTooLarge { limit, .. } if limit == 64 * 1024 * 1024),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("larger than the 67108864-byte limit"),
        "{err}"
    );
}

#[tokio::test]
async fn the_limit_can_be_raised_per_request_and_set_on_the_client() {
    let body = format!(r#"{{"id":"{}"}}"#, "y".repeat(2000));
    let mock = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(body.into_bytes(), "application/json"),
        )
        .mount(&mock)
        .await;
    let small = Client::builder()
        .base_url(mock.uri())
        .api_key(KEY)
        .max_response_bytes(1000)
        .build()
        .unwrap();
    let err = small.get_item_details("1").send().await.expect_err("limit");
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 1000, .. }),
        "{err:?}"
    );
    let item = small
        .get_item_details("1")
        .max_response_bytes(4000)
        .send()
        .await
        .expect("within the raised limit");
    assert_eq!(item.id.len(), 2000);
}

#[tokio::test]
async fn a_huge_error_body_is_kept_only_in_part() {
    let server = raw_server(
        "HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
        10 * 1024 * 1024,
        true,
    )
    .await;
    let err = client(&server.base)
        .get_item_details("1")
        .send()
        .await
        .expect_err("400");
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.status.as_u16(), 400);
    assert_eq!(api.raw.len(), 64 * 1024);
    assert!(api.truncated);
    assert!(api.body.is_none(), "a cut body is not decoded");
}

#[tokio::test]
async fn a_small_error_body_is_whole_and_decoded() {
    let mock = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(404).set_body_raw(
            br#"{"message":"no such item"}"#.to_vec(),
            "application/json",
        ))
        .mount(&mock)
        .await;
    let err = client(&mock.uri())
        .get_item_details("1")
        .send()
        .await
        .expect_err("404");
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert!(!api.truncated);
    assert_eq!(
        api.body.as_ref().and_then(|b| b.message.as_deref()),
        Some("no such item")
    );
}

#[tokio::test]
async fn huge_bodies_of_retried_503s_are_not_read_whole() {
    let server = raw_server(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n",
        200 * 1024 * 1024,
        true,
    )
    .await;
    let started = Instant::now();
    let err = client(&server.base)
        .get_item_details("1")
        .send()
        .await
        .expect_err("503");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        server.connections.load(Ordering::SeqCst),
        3,
        "retried twice"
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    let written = server.written.load(Ordering::SeqCst);
    assert!(
        written < 3 * 16 * 1024 * 1024,
        "three 200 MiB bodies, {written} bytes written"
    );
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[tokio::test]
async fn a_binary_body_streams_past_the_in_memory_limit() {
    let server = raw_server(
        "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ntransfer-encoding: chunked\r\n\r\n",
        8 * 1024 * 1024,
        true,
    )
    .await;
    let client = Client::builder()
        .base_url(&server.base)
        .bearer_token(TOKEN)
        .max_response_bytes(1024 * 1024)
        .build()
        .unwrap();
    let err = client
        .download_file("f")
        .send()
        .await
        .expect_err("over 1 MiB");
    assert!(matches!(err, Error::ResponseTooLarge { .. }), "{err:?}");
    let response = client
        .download_file("f")
        .send_stream()
        .await
        .expect("headers arrive");
    assert_eq!(response.status.as_u16(), 200);
    let mut chunks = response.into_body();
    let (mut total, mut count) = (0usize, 0usize);
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.expect("chunk");
        assert!(chunk.iter().all(|b| *b == b'x'));
        total += chunk.len();
        count += 1;
    }
    assert_eq!(total, 8 * 1024 * 1024);
    assert!(count > 1, "arrived in {count} chunks");
}

// ---- 2. One deadline for the whole call ---------------------------------------------

#[tokio::test]
async fn a_retry_after_past_the_deadline_is_not_waited_for() {
    let mock = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "60"))
        .mount(&mock)
        .await;
    let started = Instant::now();
    let err = Client::builder()
        .base_url(mock.uri())
        .api_key(KEY)
        .total_timeout(Duration::from_secs(5))
        .build()
        .unwrap()
        .get_item_details("1")
        .send()
        .await
        .expect_err("429");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    let Error::RateLimited(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.retry_after(), Some(Duration::from_secs(60)));
    assert_eq!(mock.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_deadline_covers_retries_and_waits() {
    // 503 with a 1 s Retry-After, forever: 3 attempts would take 2 s; the deadline is 1.5 s,
    // so the second wait is not started.
    let mock = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "1"))
        .mount(&mock)
        .await;
    let started = Instant::now();
    let err = client(&mock.uri())
        .get_item_details("1")
        .total_timeout(Duration::from_millis(1500))
        .send()
        .await
        .expect_err("503");
    let elapsed = started.elapsed();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(mock.received_requests().await.unwrap().len(), 2);
    assert!(
        // The second wait would end past the deadline, so the call ends after the first
        // (generous upper bound: a loaded machine must not make this flaky).
        elapsed >= Duration::from_secs(1) && elapsed < Duration::from_secs(3),
        "{elapsed:?}"
    );
}

#[tokio::test]
async fn a_stalled_attempt_ends_at_the_deadline_not_its_own_timeout() {
    let mock = MockServer::start().await;
    Mock::given(any())
        .respond_with(item_json().set_delay(Duration::from_secs(30)))
        .mount(&mock)
        .await;
    let started = Instant::now();
    let err = client(&mock.uri())
        .get_item_details("1")
        .timeout(Duration::from_secs(20))
        .total_timeout(Duration::from_millis(300))
        .send()
        .await
        .expect_err("times out");
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn the_default_deadline_is_two_minutes_and_the_limit_64_mib() {
    let shown = format!("{:?}", client("http://127.0.0.1:1"));
    assert!(shown.contains("total_timeout: 120s"), "{shown}");
    assert!(shown.contains("max_response_bytes: 67108864"), "{shown}");
}

// ---- 3. Redirects ----------------------------------------------------------------------

#[tokio::test]
async fn a_cross_origin_redirect_is_an_error_and_nothing_reaches_the_other_host() {
    let elsewhere = MockServer::start().await;
    Mock::given(any())
        .respond_with(item_json())
        .mount(&elsewhere)
        .await;
    let origin = MockServer::start().await;
    let location = format!("{}/steal?x=1", elsewhere.uri());
    Mock::given(any())
        .respond_with(ResponseTemplate::new(302).insert_header("Location", location.as_str()))
        .mount(&origin)
        .await;
    let api = client(&origin.uri());
    for call in [
        api.get_item_details("1")
            .header("X-Trace", "TRACE-5ECRET")
            .send()
            .await
            .map(drop),
        api.list_legacy_items().send().await.map(drop),
        api.download_file("f").send().await.map(drop),
    ] {
        let err = call.expect_err("not followed");
        let Error::Redirect {
            location: to,
            reason,
        } = &err
        else {
            panic!("{err:?}")
        };
        assert_eq!(to, &location);
        assert_eq!(*reason, "it leads to another origin");
        assert!(err.to_string().contains(&location), "{err}");
    }
    assert!(
        elsewhere.received_requests().await.unwrap().is_empty(),
        "the other origin was reached"
    );
}

#[tokio::test]
async fn a_redirect_to_another_scheme_on_the_same_host_is_an_error() {
    let origin = MockServer::start().await;
    // The same host and port, another scheme: credentials would travel under another
    // protection than the one the base URL asked for.
    let location = origin.uri().replacen("http://", "https://", 1) + "/v1/items/1/details";
    Mock::given(any())
        .respond_with(ResponseTemplate::new(301).insert_header("Location", location.as_str()))
        .mount(&origin)
        .await;
    let err = client(&origin.uri())
        .get_item_details("1")
        .send()
        .await
        .expect_err("not followed");
    assert!(
        matches!(&err, Error::Redirect { location: l, .. } if *l == location),
        "{err:?}"
    );
    assert_eq!(origin.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn same_origin_redirects_are_followed_with_credentials_and_no_referer() {
    let origin = MockServer::start().await;
    Mock::given(path("/old/legacy/items"))
        .respond_with(ResponseTemplate::new(307).insert_header("Location", "/new/legacy/items"))
        .mount(&origin)
        .await;
    Mock::given(path("/new/legacy/items"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(br#"[{"id":"7"}]"#.to_vec(), "application/json"),
        )
        .mount(&origin)
        .await;
    let items = client(&format!("{}/old", origin.uri()))
        .list_legacy_items()
        .send()
        .await
        .expect("followed");
    assert_eq!(
        items
            .iter()
            .map(|i: &Item| i.id.as_str())
            .collect::<Vec<_>>(),
        ["7"]
    );
    let requests = origin.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].url.path(), "/new/legacy/items");
    for request in &requests {
        assert!(!request.headers.contains_key("referer"), "{request:?}");
    }
}

#[tokio::test]
async fn a_redirect_loop_ends() {
    let origin = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(302).insert_header("Location", "/v1/items/1/details"))
        .mount(&origin)
        .await;
    let err = client(&format!("{}/v1", origin.uri()))
        .get_item_details("1")
        .send()
        .await
        .expect_err("loop");
    assert!(
        matches!(&err, Error::Redirect { reason, .. } if *reason == "too many redirects"),
        "{err:?}"
    );
    assert_eq!(
        origin.received_requests().await.unwrap().len(),
        6,
        "1 + 5 redirects"
    );
}

// ---- 4. Path values --------------------------------------------------------------------

#[tokio::test]
async fn control_characters_cannot_remove_a_path_segment() {
    let mock = MockServer::start().await;
    Mock::given(any())
        .respond_with(item_json())
        .mount(&mock)
        .await;
    let api = client(&format!("{}/api/v1", mock.uri()));
    let values = [
        "..\t", ".\n.", "\t..", "a\rb", "..\u{0}", "x\\..\\y", "%2e%2e", "\u{7f}..",
    ];
    for value in values {
        api.get_item_details(value).send().await.expect("sent");
    }
    let requests = mock.received_requests().await.unwrap();
    let paths: Vec<&str> = requests.iter().map(|r| r.url.path()).collect();
    assert_eq!(
        paths,
        [
            "/api/v1/items/..%09/details",
            "/api/v1/items/.%0A./details",
            "/api/v1/items/%09../details",
            "/api/v1/items/a%0Db/details",
            "/api/v1/items/..%00/details",
            "/api/v1/items/x%5C..%5Cy/details",
            "/api/v1/items/%252e%252e/details",
            "/api/v1/items/%7F../details",
        ]
    );
    for value in ["..", ".", ""] {
        let err = api
            .get_item_details(value)
            .send()
            .await
            .expect_err("refused");
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    }
    assert_eq!(mock.received_requests().await.unwrap().len(), values.len());
}

// ---- 5. Cookies ------------------------------------------------------------------------

#[tokio::test]
async fn a_cookie_value_cannot_add_a_cookie() {
    let mock = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&mock)
        .await;
    client(&mock.uri())
        .get_session("abc; admin=true")
        .theme("dark,\"x\" \\ é")
        .send()
        .await
        .expect("sent");
    let requests = mock.received_requests().await.unwrap();
    let cookies: Vec<_> = requests[0].headers.get_all("cookie").iter().collect();
    assert_eq!(cookies.len(), 1, "one Cookie header: {cookies:?}");
    let cookie = cookies[0].to_str().unwrap();
    assert_eq!(
        cookie,
        "api_session=KEY-5ECRET; session=abc%3B%20admin=true; theme=dark%2C%22x%22%20%5C%20%C3%A9"
    );
    let names: Vec<&str> = cookie
        .split("; ")
        .map(|pair| pair.split('=').next().unwrap())
        .collect();
    assert_eq!(names, ["api_session", "session", "theme"]);
}

// ---- 6. Secrets in Debug ---------------------------------------------------------------

#[test]
fn request_builders_do_not_show_credentials_or_header_and_cookie_values() {
    let api = client("http://127.0.0.1:1");
    let shown = [
        format!(
            "{:?}",
            api.get_item_details("visible-id")
                .x_tenant("TENANT-5ECRET")
                .header("X-Other", "HEADER-5ECRET")
                .query("hapikey", "QUERY-5ECRET")
        ),
        format!(
            "{:?}",
            api.get_session("SESSION-5ECRET").theme("THEME-5ECRET")
        ),
        format!("{:?}", api.list_legacy_items()),
    ]
    .join("\n");
    for secret in [
        KEY,
        TOKEN,
        "TENANT-5ECRET",
        "HEADER-5ECRET",
        "QUERY-5ECRET",
        "SESSION-5ECRET",
        "THEME-5ECRET",
    ] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    // What is not secret stays useful for debugging.
    assert!(
        shown.contains("visible-id") && shown.contains("hapikey") && shown.contains("X-Other"),
        "{shown}"
    );
}

#[test]
fn a_request_builder_shows_an_upload_by_its_length() {
    let upload = client("http://127.0.0.1:1").upload_file("f", vec![b'x'; 1_000_000]);
    let shown = format!("{upload:?}");
    assert!(shown.contains("body: <1000000 bytes>"), "{shown}");
    assert!(shown.len() < 1_000, "{} characters", shown.len());
}

// ---- 7. Headers the client owns --------------------------------------------------------

#[tokio::test]
async fn per_request_headers_cannot_replace_the_clients_own() {
    let mock = MockServer::start().await;
    Mock::given(any())
        .respond_with(item_json())
        .mount(&mock)
        .await;
    let api = client(&mock.uri());
    let refused = [
        api.get_item_details("1")
            .header("Host", "evil.example")
            .send()
            .await
            .map(drop),
        api.get_item_details("1")
            .header("content-length", "0")
            .send()
            .await
            .map(drop),
        api.get_item_details("1")
            .header("Transfer-Encoding", "chunked")
            .send()
            .await
            .map(drop),
        // The operation authenticates with the X-API-Key header.
        api.get_item_details("1")
            .header("x-api-key", "other")
            .send()
            .await
            .map(drop),
        // Bearer token.
        api.download_file("f")
            .header("Authorization", "Bearer other")
            .send()
            .await
            .map(drop),
        // Cookie parameters (and an API-key cookie).
        api.get_session("s")
            .header("Cookie", "admin=true")
            .send()
            .await
            .map(drop),
    ];
    for result in refused {
        let err = result.expect_err("refused");
        let Error::InvalidRequest(message) = &err else {
            panic!("{err:?}")
        };
        assert!(message.contains("cannot be set per request"), "{message}");
    }
    assert!(mock.received_requests().await.unwrap().is_empty());
    // A header the client does not set for this operation is the caller's to send.
    api.get_item_details("1")
        .header("Authorization", "Bearer for-a-proxy")
        .send()
        .await
        .expect("allowed");
    let requests = mock.received_requests().await.unwrap();
    assert_eq!(requests[0].headers["authorization"], "Bearer for-a-proxy");
    assert_eq!(requests[0].headers.get_all("x-api-key").iter().count(), 1);
}

/// A server that answers 503 `failures` times, then `then`.
async fn failing_first(failures: u64, then: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(failures)
        .mount(&server)
        .await;
    Mock::given(any()).respond_with(then).mount(&server).await;
    server
}

/// Each attempt's request is made anew from the builder (nothing is kept from the first
/// for a retry): the same body, headers, query and credentials every time.
#[tokio::test]
async fn a_retried_upload_sends_the_same_request_each_time() {
    let server = failing_first(2, ResponseTemplate::new(204)).await;
    let bytes: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    client(&server.uri())
        .upload_file("a b", bytes.clone())
        .x_tenant("t-1")
        .overwrite(true)
        .send()
        .await
        .expect("the third attempt succeeds");
    let requests = server.received_requests().await.expect("recording");
    assert_eq!(requests.len(), 3, "two 503s retried");
    for request in &requests {
        assert_eq!(request.method.as_str(), "PUT");
        assert_eq!(request.url.path(), "/files/a%20b");
        assert_eq!(request.url.query(), Some("overwrite=true"));
        assert_eq!(request.headers["authorization"], format!("Bearer {TOKEN}"));
        assert_eq!(request.headers["x-tenant"], "t-1");
        assert_eq!(request.headers["content-type"], "application/octet-stream");
        assert!(request.body == bytes, "the whole body, every attempt");
    }
}

/// Cookies (the API key's and the operation's) are one header on every attempt.
#[tokio::test]
async fn a_retried_call_sends_its_cookies_again() {
    let server = failing_first(1, ResponseTemplate::new(204)).await;
    client(&server.uri())
        .get_session("s-1")
        .theme("dark")
        .send()
        .await
        .expect("the second attempt succeeds");
    let requests = server.received_requests().await.expect("recording");
    assert_eq!(requests.len(), 2, "one 503 retried");
    for request in &requests {
        let cookies: Vec<_> = request.headers.get_all("cookie").iter().collect();
        assert_eq!(cookies.len(), 1, "one Cookie header");
        let cookie = cookies[0].to_str().expect("ascii");
        for part in [
            format!("api_session={KEY}"),
            "session=s-1".into(),
            "theme=dark".into(),
        ] {
            assert!(cookie.contains(&part), "{part} in {cookie}");
        }
    }
}
