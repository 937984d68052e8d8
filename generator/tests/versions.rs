//! Crates generated from an OpenAPI 3.1 and a Swagger 2.0 document behave like any other:
//! decoded against the constructs of their versions, and every request checked on a local
//! server and accepted by Prism (which reads both versions itself).

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

mod support;

use openapi31_fixture::types::{Agent, AgentKind, AgentUpdate, Mode, Status};
use serde_json::json;
use std::path::Path;
use support::prism::{Prism, available, say};
use swagger2_fixture::types::{Pet, PetKind};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn agent_json() -> serde_json::Value {
    json!({
        "id": "a1", "name": null, "description": "helps", "kind": "agent",
        "status": 2, "mode": "careful", "value": 7, "avatar": "aGk=", "pair": ["x", 1],
        "loose": ["y", 2, true]
    })
}

#[test]
fn openapi31_nullable_types_consts_and_documented_enums_decode() {
    let agent: Agent = serde_json::from_value(agent_json()).unwrap();
    // `type: [string, "null"]`, required: `null` is `None`; optional and absent: `None`.
    assert_eq!(agent.name, None);
    assert_eq!(agent.nickname, None);
    assert_eq!(agent.description.as_deref(), Some("helps"));
    // `const` is a one-value enum that keeps unknown values.
    assert_eq!(agent.kind, AgentKind::Agent);
    let other: Agent = serde_json::from_value(
        json!({"id": "a", "name": "n", "description": null, "kind": "robot"}),
    )
    .unwrap();
    assert!(
        matches!(&other.kind, AgentKind::Unknown(k) if k == "robot"),
        "{other:?}"
    );
    // Documented enums: one enum of the constants.
    assert_eq!(agent.status, Some(Status::V2));
    assert_eq!(agent.mode, Some(Mode::Careful));
    // Fixed `prefixItems` are a tuple; open ones any JSON values.
    assert_eq!(agent.pair, Some(("x".to_owned(), 1)));
    assert_eq!(agent.loose.as_ref().map(Vec::len), Some(3));
    // `contentEncoding: base64` is bytes, decoded when read and encoded when written.
    assert_eq!(agent.avatar.as_deref(), Some(&b"hi"[..]));
    let back = serde_json::to_value(&agent).unwrap();
    assert_eq!(back["avatar"], "aGk=");
    assert_eq!(
        back["name"],
        serde_json::Value::Null,
        "a required nullable field is written"
    );
    assert!(
        back.get("nickname").is_none(),
        "an absent optional one is not"
    );
}

#[tokio::test]
async fn openapi31_patch_bodies_tell_absent_from_null() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_json(agent_json()))
        .mount(&server)
        .await;
    let client = openapi31_fixture::Client::builder()
        .base_url(server.uri())
        .build()
        .unwrap();
    let clear = AgentUpdate {
        name: Some(None),
        ..Default::default()
    };
    client.update_agent("a1", clear).send().await.unwrap();
    client
        .update_agent("a1", AgentUpdate::default())
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0].body_json::<serde_json::Value>().unwrap(),
        json!({"name": null})
    );
    assert_eq!(
        requests[1].body_json::<serde_json::Value>().unwrap(),
        json!({})
    );
}

#[tokio::test]
async fn swagger2_query_arrays_bodies_and_file_uploads_are_sent_as_declared() {
    let server = MockServer::start().await;
    Mock::given(path("/v2/pets"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!([{"name": "Rex", "nickname": null}])),
        )
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = swagger2_fixture::Client::builder()
        .base_url(format!("{}/v2", server.uri()))
        .api_key("k")
        .basic_auth("u", "p")
        .build()
        .unwrap();
    let pets = client
        .list_pets()
        .tags(["a".to_owned(), "b".to_owned()])
        .ids([1, 2])
        .limit(5)
        .send()
        .await
        .unwrap();
    assert_eq!(pets[0].name, "Rex");
    assert_eq!(pets[0].nickname, None, "x-nullable reads null");
    client
        .upload_photo(
            7,
            swagger2_fixture::Multipart::new()
                .file("file", "rex.png", "image/png", b"PNG".to_vec())
                .text("caption", "Rex"),
        )
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    // `collectionFormat: csv` joins, `multi` repeats; the global `limit` parameter is there.
    assert_eq!(
        requests[0].url.query(),
        Some("tags=a%2Cb&ids=1&ids=2&limit=5")
    );
    assert_eq!(requests[0].headers["x-key"], "k");
    let upload = &requests[1];
    assert_eq!(upload.url.path(), "/v2/pets/7/photo");
    let content_type = upload.headers["content-type"].to_str().unwrap();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let body = String::from_utf8_lossy(&upload.body);
    assert!(
        body.contains("name=\"file\"; filename=\"rex.png\"") && body.contains("PNG"),
        "{body}"
    );
    assert!(
        body.contains("name=\"caption\"") && body.contains("Rex"),
        "{body}"
    );
    assert!(
        upload.headers["authorization"]
            .to_str()
            .unwrap()
            .starts_with("Basic ")
    );
}

#[tokio::test]
async fn prism_accepts_the_31_and_20_clients_requests() {
    let Some(prism) = available("OpenAPI 3.1 and Swagger 2.0 against Prism") else {
        return;
    };
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let v31 = Prism::start(&prism, &fixtures.join("openapi31.yaml"), false);
    let client = openapi31_fixture::Client::builder()
        .base_url(v31.base_url())
        .build()
        .unwrap();
    let agent = client.get_agent("a1").send_with_response().await;
    let update = client
        .update_agent(
            "a1",
            AgentUpdate {
                name: Some(Some("n".into())),
                mode: Some(Mode::Fast),
            },
        )
        .send_with_response()
        .await;
    for response in [agent, update] {
        match response {
            Ok(r) => assert!(!r.headers.contains_key("sl-violations"), "{:?}", r.headers),
            Err(openapi31_fixture::Error::Api(e)) => {
                panic!("3.1: Prism refused ({}): {}", e.status, e.raw)
            }
            Err(e) => panic!("3.1: {e}"),
        }
    }
    let v20 = Prism::start(&prism, &fixtures.join("swagger2.yaml"), false);
    // Prism serves the paths at its root, whatever `basePath` says.
    let client = swagger2_fixture::Client::builder()
        .base_url(v20.base_url())
        .api_key("k")
        .build()
        .unwrap();
    let listed = client
        .list_pets()
        .tags(["a".to_owned()])
        .ids([1])
        .limit(2)
        .send_with_response()
        .await;
    let created = client
        .create_pet(Pet {
            kind: Some(PetKind::Dog),
            ..Pet::new("Rex")
        })
        .send_with_response()
        .await;
    match listed {
        Ok(r) => assert!(!r.headers.contains_key("sl-violations"), "{:?}", r.headers),
        Err(swagger2_fixture::Error::Api(e)) => {
            panic!("2.0 list: Prism refused ({}): {}", e.status, e.raw)
        }
        Err(e) => panic!("2.0 list: {e}"),
    }
    match created {
        Ok(r) => assert!(!r.headers.contains_key("sl-violations"), "{:?}", r.headers),
        Err(swagger2_fixture::Error::Api(e)) => {
            panic!("2.0 create: Prism refused ({}): {}", e.status, e.raw)
        }
        Err(e) => panic!("2.0 create: {e}"),
    }
    say("OpenAPI 3.1 and Swagger 2.0 clients: Prism accepted 4 of 4 requests, responses decoded");
}

#[test]
fn openapi31_webhook_payloads_are_types() {
    let payload: openapi31_fixture::types::AgentFinishedPostPayload =
        serde_json::from_value(json!({"agentId": "a1", "outcome": null})).unwrap();
    assert_eq!((payload.agent_id.as_str(), payload.outcome), ("a1", None));
    let bad = serde_json::from_value::<Agent>(
        json!({"id": "a", "name": null, "description": null, "kind": "agent", "avatar": "%%%"}),
    );
    assert!(bad.unwrap_err().to_string().contains("invalid base64"));
}
