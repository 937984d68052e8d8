//! What a spec or a server names cannot reach where it must not: header parameters that
//! would set the request's framing or credentials, a next-page link or redirect carrying
//! `user:password@`, control characters in error messages (log injection), and `..;` path
//! values (a traversal on Tomcat/Spring-style servers).

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use futures_util::StreamExt as _;
use security_fixture::{Client, Error};
use std::time::Duration;
use wiremock::matchers::{any, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn reserved_header_parameters_are_left_out_with_a_located_warning() {
    let mut params = String::new();
    for name in [
        "Host",
        "Authorization",
        "Transfer-Encoding",
        "Content-Length",
        "content-type",
        "Proxy-Authorization",
        "X-Tenant",
    ] {
        params.push_str(&format!(
            "        - {{name: {name}, in: header, schema: {{type: string}}}}\n"
        ));
    }
    let spec = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      operationId: getA\n      parameters:\n{params}      responses: {{'204': {{description: ok}}}}\n"
    );
    let krate = openapi_gen::generate("h.yaml", &spec, &openapi_gen::Options::new("h")).unwrap();
    let left_out: Vec<&str> = krate
        .warnings
        .iter()
        .filter(|w| w.message.contains("left out"))
        .map(|w| w.pointer.as_str())
        .collect();
    assert_eq!(left_out.len(), 6, "{:?}", krate.warnings);
    assert!(
        left_out
            .iter()
            .all(|p| p.starts_with("#/paths/~1a/get/parameters/"))
    );
    let operations = &krate
        .files
        .iter()
        .find(|(p, _)| p == "src/operations.rs")
        .unwrap()
        .1;
    assert!(
        operations.contains("\"X-Tenant\""),
        "the ordinary one stays"
    );
    for gone in [
        "\"Host\"",
        "\"Authorization\"",
        "\"Transfer-Encoding\"",
        "\"Content-Length\"",
    ] {
        assert!(!operations.contains(gone), "{gone} is sent by no setter");
    }
}

fn client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .api_key("KEY")
        .bearer_token("TOKEN")
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_redirect_carrying_user_and_password_is_not_followed() {
    let server = MockServer::start().await;
    let base = server.uri();
    let target = base.replacen("http://", "http://evil:pw@", 1);
    Mock::given(path("/items/1/details"))
        .respond_with(
            ResponseTemplate::new(302).insert_header("location", format!("{target}/elsewhere")),
        )
        .mount(&server)
        .await;
    let result = client(&base).get_item_details("1").send().await;
    assert!(matches!(result, Err(Error::Redirect { .. })), "{result:?}");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "the redirect was not followed");
}

#[tokio::test]
async fn a_next_page_link_loses_its_user_and_password() {
    let server = MockServer::start().await;
    let base = server.uri();
    let issues = "/repos/o/r/issues";
    let next = format!(
        "{}{issues}?page=2",
        base.replacen("http://", "http://evil:pw@", 1)
    );
    let issue = |n: i64| serde_json::json!({"id": n, "number": n, "title": "t"});
    Mock::given(path(issues))
        .and(query_param_is_missing("page"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("link", format!("<{next}>; rel=\"next\""))
                .set_body_json(serde_json::json!([issue(1)])),
        )
        .mount(&server)
        .await;
    Mock::given(path(issues))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([issue(2)])))
        .mount(&server)
        .await;
    let client = paging_styles_fixture::Client::builder()
        .base_url(&base)
        .build()
        .unwrap();
    let items: Vec<_> = client
        .issues_list_for_repo("o", "r")
        .stream()
        .collect()
        .await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(items.iter().all(Result::is_ok), "{items:?}");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        let basic = request
            .headers
            .get_all("authorization")
            .iter()
            .any(|v| v.to_str().unwrap_or("").starts_with("Basic"));
        assert!(
            !basic,
            "no server-chosen Basic credential: {:?}",
            request.headers
        );
    }
}

#[tokio::test]
async fn an_error_message_is_one_line_whatever_the_server_sends() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(404).set_body_raw(
            "{\"message\":\"gone\\r\\nINFO forged log line \\u001b[31mred\\u202e\",\"correlationId\":\"id\\nnext\"}",
            "application/json",
        ))
        .mount(&server)
        .await;
    let error = client(&server.uri())
        .get_item_details("1")
        .send()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        !error.contains(['\n', '\r', '\u{1b}', '\u{202e}']),
        "{error:?}"
    );
    assert!(error.contains("\\u{1b}[31mred\\u{202e}"), "{error}");
    assert!(error.contains("correlation id id\\u{a}next"), "{error}");
    // A body that does not decode: the snippet is escaped too.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).set_body_raw("{\"id\": 7\n\u{1b}[2J", "application/json"),
        )
        .mount(&server)
        .await;
    let error = client(&server.uri())
        .get_item_details("1")
        .send()
        .await
        .unwrap_err()
        .to_string();
    assert!(!error.contains(['\n', '\u{1b}']), "{error:?}");
}

#[tokio::test]
async fn a_dot_dot_semicolon_path_value_is_refused() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "1"})))
        .mount(&server)
        .await;
    let api = client(&server.uri());
    for value in ["..;", "..;jsessionid=x", ".;a", "..;/admin"] {
        let error = api.get_item_details(value).send().await.unwrap_err();
        assert!(
            matches!(error, Error::InvalidRequest(_)),
            "{value}: {error:?}"
        );
    }
    // `;` elsewhere is an ordinary character of a value.
    api.get_item_details("a;b").send().await.unwrap();
    api.get_item_details("...;").send().await.unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}
