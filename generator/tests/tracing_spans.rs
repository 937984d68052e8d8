//! The spans a call makes, as a `tracing` subscriber (and so `tracing-opentelemetry`) sees
//! them: one per call with OpenTelemetry's HTTP client fields, one per attempt as its child,
//! no secret, query value or filled-in path in any field.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use hubspot_conversations::Client;
use hubspot_conversations::reqwest::Method;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, SubscriberExt as _};
use tracing_subscriber::registry::LookupSpan;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// HubSpot's example thread.
const THREAD: &str = r#"{"associatedContactId":"c","threadAssociations":{"associatedTicketId":"t"},
"assignedTo":"a","createdAt":"2023-11-07T05:31:56Z","archived":true,"originalChannelId":"o",
"latestMessageTimestamp":"2023-11-07T05:31:56Z","latestMessageSentTimestamp":"2023-11-07T05:31:56Z",
"originalChannelAccountId":"x","id":"1","closedAt":"2023-11-07T05:31:56Z","spam":true,"inboxId":"i",
"status":"OPEN","latestMessageReceivedTimestamp":"2023-11-07T05:31:56Z"}"#;

#[derive(Debug, Clone)]
struct Seen {
    id: u64,
    parent: Option<u64>,
    name: &'static str,
    fields: BTreeMap<String, String>,
}

#[derive(Clone, Default)]
struct Spans(Arc<Mutex<Vec<Seen>>>);

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl<S: tracing::Subscriber + for<'a> LookupSpan<'a>> tracing_subscriber::Layer<S> for Spans {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = BTreeMap::new();
        attrs.record(&mut Fields(&mut fields));
        let parent = ctx
            .span(id)
            .and_then(|s| s.parent())
            .map(|p| p.id().into_u64());
        self.0.lock().unwrap().push(Seen {
            id: id.into_u64(),
            parent,
            name: attrs.metadata().name(),
            fields,
        });
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _: Context<'_, S>) {
        let mut spans = self.0.lock().unwrap();
        if let Some(seen) = spans.iter_mut().rev().find(|s| s.id == id.into_u64()) {
            values.record(&mut Fields(&mut seen.fields));
        }
    }
}

/// Runs `call` with a subscriber that keeps every span, and returns them.
async fn spans_of<F: Future>(call: F) -> Vec<Seen> {
    let spans = Spans::default();
    let subscriber = tracing_subscriber::registry().with(spans.clone());
    let _guard = tracing::subscriber::set_default(subscriber);
    let app = tracing::info_span!("app_request");
    let _ = tracing::Instrument::instrument(call, app).await;
    spans.0.lock().unwrap().clone()
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("secret-token")
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .unwrap()
}

fn field<'a>(span: &'a Seen, name: &str) -> Option<&'a str> {
    span.fields.get(name).map(String::as_str)
}

#[tokio::test]
async fn one_span_per_call_and_one_per_attempt_with_http_semantic_fields() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(THREAD.as_bytes().to_vec(), "application/json"),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let spans = spans_of(async {
        client
            .get_thread(4242)
            .property("private-query-value")
            .send()
            .await
            .unwrap()
    })
    .await;
    let app = spans.iter().find(|s| s.name == "app_request").unwrap();
    let calls: Vec<&Seen> = spans
        .iter()
        .filter(|s| s.name == "http_client_call")
        .collect();
    assert_eq!(calls.len(), 1, "{spans:#?}");
    let call = calls[0];
    assert_eq!(
        call.parent,
        Some(app.id),
        "the call is a child of the app's span"
    );
    let template = "/conversations/v3/conversations/threads/{threadId}";
    assert_eq!(field(call, "otel.name"), Some(&*format!("GET {template}")));
    assert_eq!(field(call, "otel.kind"), Some("client"));
    assert_eq!(field(call, "operation"), Some("get_thread"));
    assert_eq!(field(call, "http.request.method"), Some("GET"));
    assert_eq!(field(call, "url.template"), Some(template));
    assert_eq!(field(call, "server.address"), Some("127.0.0.1"));
    let port = server.address().port().to_string();
    assert_eq!(field(call, "server.port"), Some(port.as_str()));
    assert_eq!(field(call, "http.response.status_code"), Some("200"));
    assert_eq!(field(call, "error.type"), None);

    let attempts: Vec<&Seen> = spans
        .iter()
        .filter(|s| s.name == "http_client_attempt")
        .collect();
    assert_eq!(attempts.len(), 2, "{spans:#?}");
    assert!(attempts.iter().all(|a| a.parent == Some(call.id)));
    assert_eq!(field(attempts[0], "http.response.status_code"), Some("503"));
    assert_eq!(field(attempts[0], "error.type"), Some("503"));
    assert_eq!(field(attempts[0], "http.request.resend_count"), None);
    assert_eq!(field(attempts[1], "http.response.status_code"), Some("200"));
    assert_eq!(field(attempts[1], "http.request.resend_count"), Some("1"));

    for span in &spans {
        for value in span.fields.values() {
            for secret in ["secret-token", "private-query-value", "4242"] {
                assert!(!value.contains(secret), "{secret} in {span:?}");
            }
        }
    }
}

#[tokio::test]
async fn a_failed_call_says_why_and_a_rate_limit_wait_is_recorded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("secret-token")
        .rate_limit(1, Duration::from_millis(300))
        .build()
        .unwrap();
    let spans = spans_of(async {
        assert!(client.get_thread(1).send().await.is_err());
        // The second call waits for the limiter's next slot.
        assert!(
            client
                .request(Method::GET, "/raw/path")
                .send()
                .await
                .is_err()
        );
    })
    .await;
    let calls: Vec<&Seen> = spans
        .iter()
        .filter(|s| s.name == "http_client_call")
        .collect();
    assert_eq!(calls.len(), 2, "{spans:#?}");
    for call in &calls {
        assert_eq!(field(call, "error.type"), Some("404"), "{call:?}");
        assert_eq!(field(call, "http.response.status_code"), Some("404"));
    }
    // A raw request has no template: its name is the method alone, and its path is not
    // recorded.
    assert_eq!(field(calls[1], "otel.name"), Some("GET"));
    assert_eq!(field(calls[1], "operation"), Some("request"));
    assert_eq!(field(calls[1], "url.template"), None);
    let waited: Vec<u64> = spans
        .iter()
        .filter(|s| s.parent == Some(calls[1].id))
        .filter_map(|s| field(s, "rate_limit.wait_ms")?.parse().ok())
        .collect();
    assert!(
        waited.iter().any(|&ms| ms >= 100),
        "the second call's attempt records the wait: {spans:#?}"
    );
}

#[tokio::test]
async fn without_a_subscriber_nothing_is_recorded_and_calls_work() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let response = client(&server)
        .request(Method::GET, "/x")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status.as_u16(), 204);
    assert!(tracing::Span::current().is_disabled());
}

#[tokio::test]
async fn with_the_traceparent_feature_the_applications_trace_reaches_the_server() {
    use opentelemetry::trace::{
        SpanContext, SpanId, TraceContextExt as _, TraceFlags, TraceId, TraceState,
    };
    use tracing_opentelemetry::OpenTelemetrySpanExt as _;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(THREAD.as_bytes().to_vec(), "application/json"),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    // Without an OpenTelemetry layer there is no trace context: no header.
    client.get_thread(1).send().await.unwrap();

    let subscriber = tracing_subscriber::registry().with(
        tracing_opentelemetry::layer().with_tracer(opentelemetry::trace::noop::NoopTracer::new()),
    );
    let _guard = tracing::subscriber::set_default(subscriber);
    // The application's span continues a trace that came in with its own request.
    let incoming = SpanContext::new(
        TraceId::from_hex("4bf92f3577b34da6a3ce929d0e0e4736").unwrap(),
        SpanId::from_hex("00f067aa0ba902b7").unwrap(),
        TraceFlags::SAMPLED,
        true,
        TraceState::default(),
    );
    let app = tracing::info_span!("incoming_request");
    let _ = app.set_parent(opentelemetry::Context::new().with_remote_span_context(incoming));
    tracing::Instrument::instrument(client.get_thread(2).send(), app)
        .await
        .unwrap();

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    assert!(received[0].headers.get("traceparent").is_none());
    let sent = received[1]
        .headers
        .get("traceparent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        sent.starts_with("00-4bf92f3577b34da6a3ce929d0e0e4736-")
            && sent.ends_with("-01")
            && sent.len() == 55,
        "traceparent: {sent:?}"
    );
}
