//! A newcomer's own API, as a new user would meet it: the crate generated from
//! `fixtures/webhooks_service.yaml` (a webhooks service's shapes, 3.1) with the paging
//! declarations of `openapi-gen.toml`, against a local server. Lists page by `iterator` and
//! stop on `done` without one request too many; a search pages by a rule only the
//! configuration declares; another list's paging is turned off there; 404 and 422 decode into
//! the types the spec documents for them, an undocumented status keeps its raw text.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use futures_util::TryStreamExt as _;
use serde_json::json;
use std::time::Duration;
use webhooks_fixture::types::{HttpErrorOutOrHttpValidationError, ListOrder};
use webhooks_fixture::{Client, Error};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("token")
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .unwrap()
}

fn app(id: &str) -> serde_json::Value {
    json!({"id": id, "name": format!("app {id}"), "createdAt": "2026-12-03T10:00:00Z"})
}

/// `GET /api/v1/app` in pages: `[a, b]` then `[c]`, the last with `done: true` and still an
/// `iterator` (as the real service answers), so only `done` can end the list.
async fn two_app_pages(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/api/v1/app"))
        .and(query_param_is_missing("iterator"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [app("a"), app("b")], "iterator": "it-b", "prevIterator": null, "done": false
        })))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/app"))
        .and(query_param("iterator", "it-b"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [app("c")], "iterator": "it-c", "prevIterator": "-it-b", "done": true
        })))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn an_iterator_list_streams_every_item_and_stops_on_done() {
    let server = MockServer::start().await;
    two_app_pages(&server).await;
    let ids: Vec<String> = client(&server)
        .application_list()
        .limit(2)
        .order(ListOrder::Ascending)
        .stream()
        .map_ok(|app| app.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["a", "b", "c"]);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests.len(),
        2,
        "no request after the page that says done"
    );
    for request in &requests {
        let query = request.url.query().unwrap_or_default();
        assert!(
            query.contains("limit=2") && query.contains("order=ascending"),
            "{query}"
        );
    }
}

#[tokio::test]
async fn a_configuration_declared_rule_pages_a_search_until_its_end_flag() {
    let server = MockServer::start().await;
    let hit = |name: &str| json!({"name": name});
    Mock::given(method("GET"))
        .and(path("/api/v1/event-type/search"))
        .and(query_param("q", "user"))
        .and(query_param_is_missing("from"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "hits": [hit("user.created"), hit("user.deleted")],
            "continuation": "k2", "finished": false
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/event-type/search"))
        .and(query_param("q", "user"))
        .and(query_param("from", "k2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "hits": [hit("user.updated")], "continuation": "k3", "finished": true
        })))
        .expect(1)
        .mount(&server)
        .await;
    let names: Vec<String> = client(&server)
        .event_type_search("user")
        .stream()
        .map_ok(|t| t.name)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names, ["user.created", "user.deleted", "user.updated"]);
}

#[test]
fn paging_the_configuration_turns_off_is_off() {
    // The deprecated list has the iterator shape, but `openapi-gen.toml` disables its paging:
    // its parameters do not implement `Paged`, so its builder has no `stream()`. Read from
    // the generated source, where it would be.
    let source = include_str!("generated/webhooks/src/operations.rs");
    assert!(source.contains("pub type MessageAttemptListByEndpointDeprecated = "));
    assert!(!source.contains("Paged for params::MessageAttemptListByEndpointDeprecated {"));
    assert!(source.contains("impl crate::paging::Paged for params::MessageList {"));
}

#[tokio::test]
async fn a_404_and_a_422_decode_into_their_documented_types() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/app/missing"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "code": "not_found", "detail": "Entity not found"
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/app"))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({
            "detail": [{"loc": ["body", "name"], "msg": "field required", "type": "value_error.missing"}]
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/app/teapot"))
        .respond_with(
            ResponseTemplate::new(418)
                .set_body_string("{\"code\":\"teapot\",\"detail\":\"short and stout\"}"),
        )
        .mount(&server)
        .await;
    let client = client(&server);

    let err = client.application_get("missing").send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    match err.body() {
        Some(HttpErrorOutOrHttpValidationError::HttpErrorOut(e)) => {
            assert_eq!(
                (e.code.as_str(), e.detail.as_str()),
                ("not_found", "Entity not found")
            );
        }
        other => panic!("404 decoded as {other:?}"),
    }
    assert!(err.api_error().unwrap().raw.contains("Entity not found"));

    let body = webhooks_fixture::types::ApplicationIn::new("");
    let err = client.application_create(body).send().await.unwrap_err();
    let Error::Api(api) = &err else {
        panic!("not an API error: {err:?}")
    };
    assert_eq!(api.status.as_u16(), 422);
    match &api.body {
        Some(HttpErrorOutOrHttpValidationError::HttpValidationError(v)) => {
            assert_eq!(v.detail.len(), 1);
            assert_eq!(v.detail[0].loc, ["body", "name"]);
            assert_eq!(v.detail[0].msg, "field required");
        }
        other => panic!("422 decoded as {other:?}"),
    }

    // A status the spec does not document: still an error, no typed body, the raw text kept
    // (even though it would decode as one of the documented types).
    let err = client.application_get("teapot").send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(418));
    assert!(err.body().is_none());
    assert!(err.api_error().unwrap().raw.contains("short and stout"));
}

#[test]
fn method_names_carry_no_api_version() {
    // operationIds are `v1.application.list` and so on; the methods are not `v1_…`.
    let source = include_str!("generated/webhooks/src/operations.rs");
    assert!(source.contains("pub fn application_list(&self)"));
    assert!(!source.contains("pub fn v1_"));
    // Each list declares its own `order` enum; the crate has one.
    let types = include_str!("generated/webhooks/src/types.rs");
    assert_eq!(types.matches("pub enum ListOrder").count(), 1);
    assert_eq!(types.matches("    Ascending,\n").count(), 1);
}
