//! The generated `hubspot-conversations` client against a real HTTP server on 127.0.0.1.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use hubspot_conversations::types::{GetThreadAssociationItem, PublicThreadStatus};
use hubspot_conversations::{Client, Error};
use std::time::Duration;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const THREAD_PATH: &str = "/conversations/v3/conversations/threads/123";

/// The example response on HubSpot's "Get a single thread" page, verbatim.
const SEED_EXAMPLE: &str = r#"{
  "associatedContactId": "<string>",
  "threadAssociations": {
    "associatedTicketId": "<string>"
  },
  "assignedTo": "<string>",
  "createdAt": "2023-11-07T05:31:56Z",
  "archived": true,
  "originalChannelId": "<string>",
  "latestMessageTimestamp": "2023-11-07T05:31:56Z",
  "latestMessageSentTimestamp": "2023-11-07T05:31:56Z",
  "originalChannelAccountId": "<string>",
  "id": "<string>",
  "closedAt": "2023-11-07T05:31:56Z",
  "spam": true,
  "inboxId": "<string>",
  "status": "OPEN",
  "latestMessageReceivedTimestamp": "2023-11-07T05:31:56Z"
}"#;

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("test-token")
        .build()
        .expect("client builds")
}

fn json(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

async fn serve(status: u16, content_type: &str, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), content_type),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn seed_example_decodes() {
    let server = serve(200, "application/json", SEED_EXAMPLE).await;
    let thread = client(&server)
        .get_thread(123)
        .send()
        .await
        .expect("decodes");
    assert_eq!(thread.id, "<string>");
    assert_eq!(thread.status, PublicThreadStatus::Open);
    assert!(thread.archived && thread.spam);
    assert_eq!(thread.created_at.to_rfc3339(), "2023-11-07T05:31:56+00:00");
    assert_eq!(thread.closed_at, Some(thread.created_at));
    assert_eq!(
        thread
            .thread_associations
            .and_then(|a| a.associated_ticket_id)
            .as_deref(),
        Some("<string>")
    );
    assert_eq!(thread.assigned_to.as_deref(), Some("<string>"));
}

#[tokio::test]
async fn request_carries_path_token_and_every_query_parameter() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(THREAD_PATH))
        .and(header("authorization", "Bearer test-token"))
        .respond_with(json(SEED_EXAMPLE))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .get_thread(123)
        .archived(true)
        .association([
            GetThreadAssociationItem::Ticket,
            GetThreadAssociationItem::Ticket,
        ])
        .property("hs_thread_name")
        .send()
        .await
        .expect("request matched");
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].url.query(),
        Some("archived=true&association=TICKET&association=TICKET&property=hs_thread_name")
    );
}

#[tokio::test]
async fn only_set_parameters_are_sent() {
    let server = serve(200, "application/json", SEED_EXAMPLE).await;
    client(&server)
        .get_thread(123)
        .send()
        .await
        .expect("decodes");
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests[0].url.path(), THREAD_PATH);
    assert_eq!(requests[0].url.query(), None);
}

#[tokio::test]
async fn thread_ids_above_two_to_the_31_work() {
    let id: i64 = (1 << 31) + 7;
    let server = MockServer::start().await;
    Mock::given(path(format!(
        "/conversations/v3/conversations/threads/{id}"
    )))
    .respond_with(json(SEED_EXAMPLE))
    .expect(1)
    .mount(&server)
    .await;
    client(&server)
        .get_thread(id)
        .send()
        .await
        .expect("decodes");
}

#[tokio::test]
async fn an_unknown_status_decodes_and_round_trips() {
    let body = SEED_EXAMPLE.replace(r#""status": "OPEN""#, r#""status": "SNOOZED""#);
    let server = serve(200, "application/json", &body).await;
    let thread = client(&server)
        .get_thread(123)
        .send()
        .await
        .expect("decodes");
    assert_eq!(
        thread.status,
        PublicThreadStatus::Unknown("SNOOZED".to_owned())
    );
    assert_eq!(thread.status.as_str(), "SNOOZED");
    let again = serde_json::to_value(&thread).expect("serializes");
    assert_eq!(again["status"], "SNOOZED");
    let original: serde_json::Value = serde_json::from_str(&body).expect("valid JSON");
    assert_eq!(again, original, "re-serializes to the same document");
}

#[tokio::test]
async fn a_missing_required_field_is_a_decode_error_naming_it() {
    let body = SEED_EXAMPLE.replace(r#""status": "OPEN","#, "");
    let server = serve(200, "application/json", &body).await;
    let err = client(&server)
        .get_thread(123)
        .send()
        .await
        .expect_err("must fail");
    let Error::Decode(decode) = &err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert!(
        decode.message.contains("missing field `status`"),
        "{}",
        decode.message
    );
    assert_eq!(decode.path, ".");
    assert_eq!(decode.status, 200);
    assert!(err.to_string().contains("missing field `status`"));
}

#[tokio::test]
async fn a_wrongly_typed_nested_field_is_named_by_its_path() {
    let body = SEED_EXAMPLE.replace(
        r#""associatedTicketId": "<string>""#,
        r#""associatedTicketId": 42"#,
    );
    let server = serve(200, "application/json", &body).await;
    let err = client(&server)
        .get_thread(123)
        .send()
        .await
        .expect_err("must fail");
    let Error::Decode(decode) = &err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert_eq!(decode.path, "threadAssociations.associatedTicketId");
    assert!(
        decode.snippet.contains("42"),
        "snippet shows the failure: {}",
        decode.snippet
    );
    assert!(decode.snippet.chars().count() <= 202, "snippet is bounded");
}

#[tokio::test]
async fn a_404_gives_the_hubspot_error_body() {
    let body = r#"{
        "status": "error",
        "message": "Thread 123 does not exist",
        "correlationId": "3c4b8e6a-2f0e-4b1d-9a55-4a8b6f0c2d11",
        "category": "OBJECT_NOT_FOUND",
        "context": {"id": ["123"]},
        "links": {"docs": "https://developers.hubspot.com"},
        "errors": [{"message": "not found", "in": "threadId"}]
    }"#;
    let server = serve(404, "application/json", body).await;
    let err = client(&server)
        .get_thread(123)
        .send()
        .await
        .expect_err("must fail");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    // The message a person reads is the server's, not a slice of raw JSON.
    assert_eq!(
        err.to_string(),
        "the server answered 404 Not Found: Thread 123 does not exist (correlation id 3c4b8e6a-2f0e-4b1d-9a55-4a8b6f0c2d11)"
    );
    // The common cases are one line each.
    assert_eq!(
        err.body().map(|b| b.category.as_str()),
        Some("OBJECT_NOT_FOUND")
    );
    assert_eq!(err.api_error().map(|e| e.status.as_u16()), Some(404));
    let Error::Api(api) = err else {
        panic!("expected an API error")
    };
    let hubspot = api.body.as_ref().expect("the HubSpot error body decodes");
    assert_eq!(
        hubspot.correlation_id.to_string(),
        "3c4b8e6a-2f0e-4b1d-9a55-4a8b6f0c2d11"
    );
    assert_eq!(hubspot.category, "OBJECT_NOT_FOUND");
    let details = hubspot.errors.as_ref().expect("details");
    assert_eq!(details[0].r#in.as_deref(), Some("threadId"));
    assert!(api.raw.contains("does not exist"));
}

#[tokio::test]
async fn a_502_with_html_keeps_the_raw_text() {
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let server = serve(502, "text/html", html).await;
    let err = client(&server)
        .get_thread(123)
        .send()
        .await
        .expect_err("must fail");
    let Error::Api(api) = &err else {
        panic!("expected an API error, got {err:?}")
    };
    assert_eq!(api.status, 502);
    assert!(api.body.is_none());
    assert_eq!(api.raw, html);
    assert!(err.to_string().contains("502 Bad Gateway"));
}

#[tokio::test]
async fn a_stalled_server_is_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json(SEED_EXAMPLE).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .timeout(Duration::from_millis(200))
        .build()
        .expect("client builds");
    let err = client
        .get_thread(1)
        .send()
        .await
        .expect_err("must time out");
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
}

/// The client's own reqwest client carries the timeout itself, so requests do not set it
/// one by one; a reqwest client the application hands in knows nothing of it, and then each
/// request must carry it.
#[tokio::test]
async fn a_handed_in_reqwest_client_still_gets_the_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json(SEED_EXAMPLE).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    // reqwest is built without a bundled crypto provider (as the generated crate uses it).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = Client::builder()
        .base_url(server.uri())
        .http_client(reqwest::Client::new())
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .build()
        .expect("client builds");
    let started = std::time::Instant::now();
    let err = client
        .get_thread(1)
        .send()
        .await
        .expect_err("must time out");
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .build()
        .expect("client builds");
    let err = client
        .get_thread(1)
        .send()
        .await
        .expect_err("nothing listens");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn a_base_url_with_a_path_prefix_keeps_it() {
    let server = MockServer::start().await;
    Mock::given(path(format!("/proxy/hubspot{THREAD_PATH}")))
        .respond_with(json(SEED_EXAMPLE))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(format!("{}/proxy/hubspot/", server.uri()))
        .build()
        .expect("client builds");
    client.get_thread(123).send().await.expect("decodes");
}

#[tokio::test]
async fn without_a_token_no_authorization_header_is_sent() {
    let server = serve(200, "application/json", SEED_EXAMPLE).await;
    let client = Client::builder()
        .base_url(server.uri())
        .build()
        .expect("builds");
    client.get_thread(123).send().await.expect("decodes");
    let requests = server.received_requests().await.expect("recording is on");
    assert!(!requests[0].headers.contains_key("authorization"));
    assert!(
        requests[0].headers["user-agent"]
            .to_str()
            .unwrap_or("")
            .starts_with("hubspot-conversations/"),
        "default user agent names the crate"
    );
}

#[test]
fn the_default_client_targets_the_first_server_and_hides_the_token() {
    let client = Client::new("very-secret-token").expect("builds");
    assert_eq!(
        client.base_url().map(|u| u.as_str()),
        Some("https://api.hubapi.com/")
    );
    let shown = format!(
        "{client:?} {:?}",
        Client::builder().bearer_token("very-secret-token")
    );
    assert!(!shown.contains("very-secret-token"), "{shown}");
    assert!(shown.contains("<redacted>"));
}

#[test]
fn bad_configuration_is_an_error_not_a_panic() {
    use hubspot_conversations::BuildError;
    let err = Client::builder()
        .base_url("not a url")
        .build()
        .expect_err("invalid");
    assert!(matches!(err, BuildError::InvalidBaseUrl { .. }), "{err:?}");
    let err = Client::builder()
        .base_url("mailto:x@example.com")
        .build()
        .expect_err("no base");
    assert!(matches!(err, BuildError::InvalidBaseUrl { .. }), "{err:?}");
    let err = Client::builder()
        .bearer_token("line\nbreak")
        .build()
        .expect_err("bad header");
    assert!(matches!(err, BuildError::InvalidToken), "{err:?}");
}

#[test]
fn the_client_is_cheap_to_share() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<Client>();
    assert_send_sync::<hubspot_conversations::operations::GetThread>();
}

#[test]
fn requests_can_be_spawned() {
    // What `tokio::spawn` asks of a future: each way of sending is `Send + 'static`.
    fn spawnable<F: std::future::Future + Send + 'static>(_: F) {}
    let client = Client::new("token").expect("client");
    spawnable(client.get_thread(1).send());
    spawnable(client.get_thread(1).send_with_response());
    spawnable(client.request(reqwest::Method::GET, "/x").send());
}

#[tokio::test]
async fn build_errors_convert_and_reqwest_is_reexported() {
    async fn run() -> Result<hubspot_conversations::reqwest::StatusCode, Error> {
        let client = Client::builder().base_url("not a url").build()?;
        Ok(client.get_thread(1).send_with_response().await?.status)
    }
    let err = run().await.expect_err("the base URL is invalid");
    assert!(matches!(err, Error::Build(_)), "{err:?}");
    assert!(err.to_string().contains("invalid base URL"), "{err}");
}
