//! `client.request(method, path)`: an endpoint the description lacks, sent through the
//! generated client's credentials, retries and limits, against a real server on 127.0.0.1.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use hubspot_conversations::reqwest::{Method, StatusCode};
use hubspot_conversations::{Client, Error};
use std::time::Duration;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .bearer_token("raw-token")
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .unwrap()
}

#[derive(serde::Deserialize, Debug, PartialEq)]
struct Contact {
    id: String,
    email: String,
}

#[tokio::test]
async fn a_json_post_carries_credentials_query_headers_and_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/crm/v3/objects/contacts"))
        .and(query_param("idProperty", "email"))
        .and(header("authorization", "Bearer raw-token"))
        .and(header("x-request-id", "r-1"))
        .and(header("content-type", "application/json"))
        .and(body_json(
            serde_json::json!({"properties": {"email": "a@b.c"}}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_raw(
            r#"{"id":"7","email":"a@b.c"}"#.as_bytes().to_vec(),
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let response = client(&server.uri())
        .request(Method::POST, "/crm/v3/objects/contacts")
        .query("idProperty", "email")
        .header("X-Request-Id", "r-1")
        .json(&serde_json::json!({"properties": {"email": "a@b.c"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status, StatusCode::CREATED);
    let contact: Contact = response.json().unwrap();
    assert_eq!(
        contact,
        Contact {
            id: "7".into(),
            email: "a@b.c".into()
        }
    );
    // A body of another shape is a located decode error, not a panic.
    let wrong = response.json::<Vec<u8>>().unwrap_err();
    assert!(wrong.to_string().contains("invalid type"), "{wrong}");
}

#[tokio::test]
async fn the_path_goes_under_the_base_urls_path_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/files/a%20b/"))
        .respond_with(ResponseTemplate::new(200).set_body_string("plain"))
        .expect(1)
        .mount(&server)
        .await;
    let response = client(&format!("{}/api/v2/", server.uri()))
        .request(Method::GET, "files/a b/")
        .send()
        .await
        .unwrap();
    assert_eq!(&response.body[..], b"plain");
}

#[tokio::test]
async fn a_raw_get_is_retried_and_bytes_are_sent_as_they_are() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(header("content-type", "application/octet-stream"))
        .and(wiremock::matchers::body_bytes(vec![0u8, 1, 2]))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let got = client.request(Method::GET, "/ping").send().await.unwrap();
    assert_eq!(got.status, StatusCode::OK);
    let put = client
        .request(Method::PUT, "/blob")
        .body(vec![0u8, 1, 2])
        .send()
        .await
        .unwrap();
    assert_eq!(put.status, StatusCode::NO_CONTENT);
    assert!(put.body.is_empty());
}

#[tokio::test]
async fn an_answer_outside_2xx_is_an_api_error_with_the_apis_error_body() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(404).set_body_raw(
            r#"{"category":"OBJECT_NOT_FOUND","correlationId":"aeb5f871-7f07-4993-9211-075dc63e7cbe","message":"gone","status":"error"}"#
                .as_bytes()
                .to_vec(),
            "application/json",
        ))
        .mount(&server)
        .await;
    let error = client(&server.uri())
        .request(Method::DELETE, "/crm/v3/objects/contacts/9")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(error.body().map(|b| b.message.as_str()), Some("gone"));
}

#[tokio::test]
async fn paths_that_would_leave_the_base_url_are_refused_unsent() {
    let server = MockServer::start().await;
    let client = client(&format!("{}/api", server.uri()));
    for bad in [
        "http://evil.example/x",
        "//evil.example/x",
        "/a/../b",
        "/a/./b",
        "/a//b",
        "/a?key=1",
        "/a#f",
        "/..;x/b",
    ] {
        let error = client.request(Method::GET, bad).send().await.unwrap_err();
        assert!(
            matches!(error, Error::InvalidRequest(_)),
            "{bad}: {error:?}"
        );
    }
    // Encoded separators stay inside their segment.
    Mock::given(method("GET"))
        .and(path("/api/a%2Fb"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let result = client.request(Method::GET, "/a%2Fb").send().await;
    assert!(result.is_err(), "`%` is sent as `%25`, so no such route");
    assert!(
        server
            .received_requests()
            .await
            .unwrap()
            .iter()
            .all(|r| r.url.path() == "/api/a%252Fb"),
        "only the encoded path reached the server"
    );
}

#[tokio::test]
async fn a_body_that_cannot_be_written_is_an_error_not_a_panic() {
    let server = MockServer::start().await;
    let mut map = std::collections::BTreeMap::new();
    map.insert(vec![1u8], 1);
    let error = client(&server.uri())
        .request(Method::POST, "/x")
        .json(&map)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[test]
fn debug_shows_no_body() {
    let client = client("http://127.0.0.1:9");
    let request = client
        .request(Method::POST, "/x")
        .json(&serde_json::json!({"secret": "s3cr3t"}))
        .header("Authorization-Extra", "hidden-value");
    let shown = format!("{request:?}");
    assert!(
        !shown.contains("s3cr3t") && !shown.contains("hidden-value"),
        "{shown}"
    );
    assert!(shown.contains("/x"), "{shown}");
}
