//! What a 3.0 description says the API sends — its `x-webhooks` (an inline payload, one
//! through `#/components/requestBodies`) and an operation's `callbacks` (inline, and a
//! `$ref` to `#/components/callbacks`) — received with the generated verifier
//! (`callbacks-fixture`, `webhook-signature = "stripe"`): each delivery, signed as Stripe
//! signs, decodes into its own variant of the typed `WebhookEvent`. The crate is split into
//! areas, and the event is compiled whichever of them is on.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use callbacks_fixture::reqwest::header::{HeaderMap, HeaderValue};
use callbacks_fixture::types::{
    OrderShippedPostPayloadType, PaymentFailedEventType, PetAdoptedPostPayloadType,
    StatusChangedPostPayloadType,
};
use callbacks_fixture::{WebhookEvent, Webhooks};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::{SystemTime, UNIX_EPOCH};

const SECRET: &str = "whsec_callbacks";

/// `Stripe-Signature: t=…,v1=hex(HMAC-SHA256(secret, "t.body"))`.
fn signed(body: &[u8]) -> HeaderMap {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(format!("{now}.").as_bytes());
    mac.update(body);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut headers = HeaderMap::new();
    headers.insert(
        "stripe-signature",
        HeaderValue::from_str(&format!("t={now},v1={hex}")).unwrap(),
    );
    headers
}

fn verify(body: &str) -> WebhookEvent {
    Webhooks::new(SECRET)
        .verify(&signed(body.as_bytes()), body.as_bytes())
        .unwrap_or_else(|e| panic!("{body}: {e}"))
}

#[test]
fn every_payload_the_description_sends_decodes_into_its_variant() {
    match verify(r#"{"type":"order.shipped","order":{"id":"o1","total":1200}}"#) {
        WebhookEvent::OrderShippedPostPayload(e) => {
            assert_eq!(e.r#type, OrderShippedPostPayloadType::OrderShipped);
            assert_eq!((e.order.id.as_str(), e.order.total), ("o1", 1200));
        }
        other => panic!("x-webhooks, inline: {other:?}"),
    }
    match verify(r#"{"type":"pet.adopted","pet":{"id":"p1","name":"Rex"}}"#) {
        WebhookEvent::PetAdoptedPostPayload(e) => {
            assert_eq!(e.r#type, PetAdoptedPostPayloadType::PetAdopted);
            assert_eq!(e.pet.name, "Rex");
        }
        other => panic!("x-webhooks, a component request body: {other:?}"),
    }
    match verify(r#"{"type":"status.changed","subscriptionId":"s1","status":"paused"}"#) {
        WebhookEvent::StatusChangedPostPayload(e) => {
            assert_eq!(e.r#type, StatusChangedPostPayloadType::StatusChanged);
            assert_eq!(
                (e.subscription_id.as_str(), e.status.as_str()),
                ("s1", "paused")
            );
        }
        other => panic!("a callback, inline: {other:?}"),
    }
    match verify(r#"{"type":"payment.failed","subscriptionId":"s1","reason":"card declined"}"#) {
        WebhookEvent::PaymentFailedEvent(e) => {
            assert_eq!(e.r#type, PaymentFailedEventType::PaymentFailed);
            assert_eq!(e.reason, "card declined");
        }
        other => panic!("a component callback: {other:?}"),
    }
    // Tampered on the way: refused, not decoded.
    let body = br#"{"type":"payment.failed","subscriptionId":"s1","reason":"x"}"#;
    let headers = signed(body);
    let mut tampered = body.to_vec();
    tampered[10] = b'X';
    assert!(Webhooks::new(SECRET).verify(&headers, &tampered).is_err());
}

/// The crate is split into areas; the event and the payload types it names are compiled
/// without any of them (`cargo xtask corpus` compiles the fixture area by area).
#[test]
fn the_event_is_compiled_whichever_areas_are_on() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/generated/callbacks");
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("\npets = ["), "{manifest}");
    assert!(manifest.contains("\norders = ["), "{manifest}");
    let about = std::fs::read_to_string(dir.join("src/about.rs")).unwrap();
    assert!(
        about.contains("pub type WebhookEvent = crate::types::WebhookEvent;"),
        "the alias names the typed union"
    );
    let shared = std::fs::read_to_string(dir.join("src/types/shared.rs")).unwrap();
    for name in [
        "pub enum WebhookEvent",
        "pub struct OrderShippedPostPayload",
        "pub struct PaymentFailedEvent",
        "pub struct Pet ",
        "pub struct Order ",
    ] {
        assert!(shared.contains(name), "{name} is always compiled");
    }
}

/// A webhook or callback name is spec text: it reaches the payload's docs only as inert
/// text (a fence in it is a `text` block, never a doctest) and its type name only as an
/// identifier.
#[test]
fn hostile_webhook_and_callback_names_stay_inert() {
    let spec = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /s:
    post:
      operationId: sub
      responses: {"204": {description: ok}}
      callbacks:
        "a`b\n```rust\nfn main(){std::fs::write(\"/tmp/pwned\",\"x\").unwrap()}\n```\n#![deny(x)]":
          '{$request.body#/u}':
            post:
              requestBody:
                content:
                  application/json:
                    schema: {type: object, properties: {a: {type: string}}}
              responses: {"204": {description: ok}}
x-webhooks:
  "*/ ] [features] \"\n":
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {b: {type: string}}}
      responses: {"204": {description: ok}}
"#;
    let krate =
        openapi_gen::generate("hostile.yaml", spec, &openapi_gen::Options::new("hostile")).unwrap();
    let types = &krate
        .files
        .iter()
        .find(|(p, _)| p == "src/types.rs")
        .unwrap()
        .1;
    assert!(!types.contains("```rust"), "{types}");
    assert!(types.contains("/// ```text\n/// fn main()"), "{types}");
    for line in types
        .lines()
        .filter(|l| l.contains("pwned") || l.contains("deny"))
    {
        assert!(
            line.trim_start().starts_with("///") || line.contains("pub struct"),
            "{line}"
        );
    }
    let manifest = &krate
        .files
        .iter()
        .find(|(p, _)| p == "Cargo.toml")
        .unwrap()
        .1;
    assert!(!manifest.contains("[features] \""), "{manifest}");
}
