//! What a new user writes against a generated crate: bodies from `Type::new` and
//! `Default`, `?` from building a client to sending a request.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use security_fixture::types::{Item, Problem};
use security_fixture::{Client, Error};
use wiremock::matchers::{body_json, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_post_body_from_new_with_the_optional_fields_it_needs() -> Result<(), Error> {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_json(serde_json::json!({"id": "7", "name": "seven"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": "7"})))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key("k")
        .build()?;
    // Required fields are arguments (strings as `impl Into<String>`), optional ones `None`.
    let body = Item {
        name: Some("seven".into()),
        ..Item::new("7")
    };
    let created = client.create_item(body).send().await?;
    assert_eq!(created, Item::new("7"));
    Ok(())
}

#[test]
fn a_struct_whose_fields_are_all_optional_is_default() {
    let problem = Problem::default();
    assert_eq!(problem.message, None);
    assert_eq!(serde_json::to_string(&problem).unwrap(), "{}");
}

#[test]
fn client_new_takes_the_credential_the_api_declares() {
    // The styles fixture declares no security: `new()` takes nothing.
    let open = styles_fixture::Client::new().expect("builds");
    assert!(format!("{open:?}").contains("localhost/api"));
    // The security fixture accepts a bearer token (among others): `new(token)`.
    let secured = Client::new("t0ken").expect("builds");
    assert!(!format!("{secured:?}").contains("t0ken"));
}
