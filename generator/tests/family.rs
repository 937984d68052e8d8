//! A crate generated from two specs (`openapi-gen.toml`'s `family-fixture`): one client,
//! a module per spec, each with its own base URL, types and error body (issue 13).

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use family_fixture::conversations::types::ThreadStatus;
use family_fixture::{Client, Error, conversations, crm_contacts};
use std::time::{Duration, Instant};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn json(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/conversations/v3/conversations/threads/7"))
        .and(header("authorization", "Bearer token"))
        .respond_with(json(200, r#"{"id":"7","status":"OPEN"}"#))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/objects/contacts/c1"))
        .and(header("authorization", "Bearer token"))
        .respond_with(json(200, r#"{"id":"c1","score":0.5}"#))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/objects/contacts/missing"))
        .respond_with(json(
            404,
            r#"{"status":"error","category":"OBJECT_NOT_FOUND"}"#,
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/conversations/v3/conversations/threads/0"))
        .respond_with(json(
            404,
            r#"{"message":"no thread","correlationId":"c-1"}"#,
        ))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("token")
        .build()
        .unwrap()
}

#[tokio::test]
async fn one_client_reaches_each_spec_through_its_module() {
    let server = server().await;
    let client = client(&server);
    let thread = client.conversations().get_thread(7).send().await.unwrap();
    assert_eq!(thread.id, "7");
    assert_eq!(thread.status, ThreadStatus::Open);
    let contact = client
        .crm_contacts()
        .get_contact("c1")
        .send()
        .await
        .unwrap();
    assert_eq!(contact.id, "c1");
    assert_eq!(contact.score, Some(0.5));
}

#[tokio::test]
async fn each_module_decodes_its_own_error_body() {
    // Both specs define `Error`, with different fields: two types, no collision.
    let server = server().await;
    let client = client(&server);
    match client.conversations().get_thread(0).send().await {
        Err(Error::Api(e)) => {
            let body: &conversations::types::Error = e.body.as_ref().unwrap();
            assert_eq!(body.correlation_id, "c-1");
        }
        other => panic!("{other:?}"),
    }
    match client.crm_contacts().get_contact("missing").send().await {
        Err(Error::Api(e)) => {
            let body: &crm_contacts::types::Error = e.body.as_ref().unwrap();
            assert_eq!(body.category, "OBJECT_NOT_FOUND");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn each_module_defaults_to_its_own_server() {
    // No base URL set: each module sends to its spec's server (the second one's from
    // `base-url` in openapi-gen.toml). A request builder's `Debug` shows where it goes.
    let client = Client::new("s3cr3t").unwrap();
    let thread = format!("{:?}", client.conversations().get_thread(7));
    let contact = format!("{:?}", client.crm_contacts().get_contact("c1"));
    assert!(thread.contains("\"https://api.hubapi.com/\""), "{thread}");
    assert!(
        contact.contains("\"https://api.hubapi.com/crm/v3\""),
        "{contact}"
    );
    assert!(!thread.contains("s3cr3t") && !contact.contains("s3cr3t"));
}

#[tokio::test]
async fn the_modules_share_one_rate_limit() {
    let server = server().await;
    let per = Duration::from_millis(500);
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("token")
        .rate_limit(2, per)
        .build()
        .unwrap();
    let started = Instant::now();
    for _ in 0..2 {
        client.conversations().get_thread(7).send().await.unwrap();
        client
            .crm_contacts()
            .get_contact("c1")
            .send()
            .await
            .unwrap();
    }
    // Four requests at two per 500 ms across both modules: the last two wait.
    assert!(started.elapsed() >= per, "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_tolerant_override_reads_what_the_server_sends_and_a_field_without_one_fails_located() {
    let server = MockServer::start().await;
    Mock::given(path("/conversations/v3/conversations/threads/1"))
        .respond_with(json(
            200,
            r#"{"id":"1","status":"OPEN","integrationAppId":12345}"#,
        ))
        .mount(&server)
        .await;
    Mock::given(path("/conversations/v3/conversations/threads/2"))
        .respond_with(json(200, r#"{"id":"2","status":"OPEN","inboxId":12345}"#))
        .mount(&server)
        .await;
    Mock::given(path("/objects/contacts/c1"))
        .respond_with(json(200, r#"{"id":"c1","score":"0.75","legacyId":981}"#))
        .mount(&server)
        .await;
    let client = client(&server);
    let thread = client.conversations().get_thread(1).send().await.unwrap();
    assert_eq!(thread.integration_app_id.as_deref(), Some("12345"));
    // `inboxId` has no override: the same number is a decode error naming the field.
    match client.conversations().get_thread(2).send().await {
        Err(Error::Decode(e)) => {
            assert_eq!(e.path, "inboxId", "{e}");
            assert!(e.message.contains("expected a string"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    let contact = client
        .crm_contacts()
        .get_contact("c1")
        .send()
        .await
        .unwrap();
    assert_eq!(contact.score, Some(0.75));
    // A `type` override: the spec's string is the server's integer.
    assert_eq!(contact.legacy_id, Some(981));
}

/// A crate of many specs names them in its shared files' header by the first three and a
/// count (a header line of 123 names was unreadable); each module's files name its own.
#[test]
fn a_crate_of_many_specs_keeps_its_header_line_short() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/family_threads.yaml"),
    )
    .unwrap();
    let files: Vec<String> = (0..6).map(|i| format!("spec{i}.yaml")).collect();
    let specs: Vec<openapi_gen::SpecInput<'_>> = files
        .iter()
        .enumerate()
        .map(|(i, file)| openapi_gen::SpecInput {
            file,
            text: &text,
            module: format!("m{i}"),
            lenient: false,
            base_url: None,
            overrides: &[],
            paging: &[],
        })
        .collect();
    let krate = openapi_gen::generate_family(&specs, &openapi_gen::Options::new("many")).unwrap();
    let first_line = |path: &str| {
        let text = &krate.files.iter().find(|(p, _)| p == path).unwrap().1;
        text.lines().next().unwrap().to_owned()
    };
    let manifest = first_line("Cargo.toml");
    assert!(
        manifest.contains("from `spec0.yaml`, `spec1.yaml`, `spec2.yaml` and 3 more."),
        "{manifest}"
    );
    assert!(first_line("src/m4/types.rs").contains("from `spec4.yaml`."));
}
