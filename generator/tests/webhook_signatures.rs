//! Receiving webhooks with the generated verifier (`webhooks-fixture`, configured with
//! `webhook-signature = "standard-webhooks"`): a sender signs with each scheme and posts to a
//! server on 127.0.0.1, and what arrived is verified and decoded into the typed event; the
//! Standard Webhooks example from its specification, and vectors computed with Python's
//! `hmac` for the others; tampered bodies, wrong keys, stale timestamps and replays refused.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use webhooks_fixture::reqwest::header::{HeaderMap, HeaderValue};
use webhooks_fixture::{WebhookError, WebhookEvent, WebhookScheme, Webhooks};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const STANDARD_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.insert(*name, HeaderValue::from_str(value).unwrap());
    }
    map
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_standard_webhooks_specification_example_verifies() {
    // From the Standard Webhooks specification's example.
    let body = br#"{"test": 2432232314}"#;
    let signed = headers(&[
        ("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"),
        ("webhook-timestamp", "1614265330"),
        (
            "webhook-signature",
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        ),
    ]);
    let at = 1_614_265_330;
    let hooks = Webhooks::new(STANDARD_SECRET);
    hooks.check_at(None, &signed, body, at).unwrap();
    // The same delivery again is a replay.
    assert!(matches!(
        hooks.check_at(None, &signed, body, at + 1),
        Err(WebhookError::Replayed(_))
    ));
    let fresh = || Webhooks::new(STANDARD_SECRET);
    assert!(matches!(
        fresh().check_at(None, &signed, br#"{"test": 2432232315}"#, at),
        Err(WebhookError::BadSignature)
    ));
    assert!(matches!(
        Webhooks::new("whsec_c2VjcmV0LW90aGVy").check_at(None, &signed, body, at),
        Err(WebhookError::BadSignature)
    ));
    assert!(matches!(
        fresh().check_at(None, &signed, body, at + 301),
        Err(WebhookError::Stale(_))
    ));
    assert!(matches!(
        fresh().check_at(None, &signed, body, at - 301),
        Err(WebhookError::Stale(_))
    ));
    assert!(
        fresh()
            .tolerance(Duration::from_secs(600))
            .check_at(None, &signed, body, at + 301)
            .is_ok()
    );
    // A rotation: the old key still verifies beside the new one.
    assert!(
        Webhooks::new("whsec_c2VjcmV0LW90aGVy")
            .with_secret(STANDARD_SECRET)
            .check_at(None, &signed, body, at)
            .is_ok()
    );
    let missing = headers(&[("webhook-id", "x"), ("webhook-timestamp", "1614265330")]);
    assert!(matches!(
        fresh().check_at(None, &missing, body, at),
        Err(WebhookError::MissingHeader("webhook-signature"))
    ));
    assert!(matches!(
        Webhooks::new("whsec_%%%").check_at(None, &signed, body, at),
        Err(WebhookError::InvalidSecret(_))
    ));
}

#[test]
fn stripe_and_hubspot_vectors_verify_and_tampering_does_not() {
    // Computed with Python's `hmac`/`hashlib` from each provider's documented recipe.
    let stripe_body = br#"{"id":"evt_1","type":"charge.succeeded"}"#;
    let stripe = headers(&[(
        "stripe-signature",
        "t=1700000000,v1=0000,v1=c0475716eb2200f1fe97fcf35a3c05d1fd4f8ba9a07a596730c8d18bb87c0672,v0=ff",
    )]);
    let hooks = || Webhooks::new("whsec_test_secret").scheme(WebhookScheme::Stripe);
    hooks()
        .check_at(None, &stripe, stripe_body, 1_700_000_100)
        .unwrap();
    assert!(matches!(
        hooks().check_at(
            None,
            &stripe,
            br#"{"id":"evt_2","type":"charge.succeeded"}"#,
            1_700_000_100
        ),
        Err(WebhookError::BadSignature)
    ));
    assert!(matches!(
        hooks().check_at(None, &stripe, stripe_body, 1_700_000_400),
        Err(WebhookError::Stale(_))
    ));

    let (uri, body) = (
        "https://example.com/webhooks?portal=1",
        br#"[{"eventId":1}]"#,
    );
    let v3 = headers(&[
        (
            "x-hubspot-signature-v3",
            "KmUu5+ZwFx7FTcl84r2DGgfnKZQbgl0edveFLrVH7Qo=",
        ),
        ("x-hubspot-request-timestamp", "1700000000123"),
    ]);
    let hubspot = |scheme| Webhooks::new("hubspot-client-secret").scheme(scheme);
    hubspot(WebhookScheme::HubSpotV3)
        .check_at(Some(("POST", uri)), &v3, body, 1_700_000_010)
        .unwrap();
    assert!(matches!(
        hubspot(WebhookScheme::HubSpotV3).check_at(
            Some(("POST", "https://example.com/other")),
            &v3,
            body,
            1_700_000_010
        ),
        Err(WebhookError::BadSignature)
    ));
    assert!(matches!(
        hubspot(WebhookScheme::HubSpotV3).check_at(Some(("POST", uri)), &v3, body, 1_700_000_400),
        Err(WebhookError::Stale(_))
    ));
    assert!(matches!(
        hubspot(WebhookScheme::HubSpotV3).verify(&v3, body),
        Err(WebhookError::RequestLineNeeded)
    ));
    let v2 = headers(&[(
        "x-hubspot-signature",
        "a786471c27ab1f74d3b11db5c2097c2621fcb3d2a0fc339c6e4e5176df12541f",
    )]);
    hubspot(WebhookScheme::HubSpotV2)
        .check_at(Some(("POST", uri)), &v2, body, 0)
        .unwrap();
    assert!(matches!(
        Webhooks::new("wrong")
            .scheme(WebhookScheme::HubSpotV2)
            .check_at(Some(("POST", uri)), &v2, body, 0),
        Err(WebhookError::BadSignature)
    ));
}

/// Signs `body` as a sender of `scheme` would, now.
fn sign(
    scheme: WebhookScheme,
    secret: &str,
    uri: &str,
    id: &str,
    body: &[u8],
) -> Vec<(&'static str, String)> {
    let now = now();
    match scheme {
        WebhookScheme::StandardWebhooks => {
            let key = base64::engine::general_purpose::STANDARD
                .decode(secret.trim_start_matches("whsec_"))
                .unwrap();
            let message = [format!("{id}.{now}.").as_bytes(), body].concat();
            let sig = base64::engine::general_purpose::STANDARD.encode(hmac_sha256(&key, &message));
            vec![
                ("webhook-id", id.to_owned()),
                ("webhook-timestamp", now.to_string()),
                ("webhook-signature", format!("v1,{sig}")),
            ]
        }
        WebhookScheme::Stripe => {
            let message = [format!("{now}.").as_bytes(), body].concat();
            vec![(
                "stripe-signature",
                format!(
                    "t={now},v1={}",
                    hex(&hmac_sha256(secret.as_bytes(), &message))
                ),
            )]
        }
        WebhookScheme::HubSpotV3 => {
            let ms = (now * 1000).to_string();
            let message = [b"POST".as_slice(), uri.as_bytes(), body, ms.as_bytes()].concat();
            let sig = base64::engine::general_purpose::STANDARD
                .encode(hmac_sha256(secret.as_bytes(), &message));
            vec![
                ("x-hubspot-signature-v3", sig),
                ("x-hubspot-request-timestamp", ms),
            ]
        }
        _ => {
            let digest = Sha256::new()
                .chain_update(secret)
                .chain_update("POST")
                .chain_update(uri)
                .chain_update(body)
                .finalize();
            vec![("x-hubspot-signature", hex(&digest))]
        }
    }
}

#[tokio::test]
async fn deliveries_over_http_verify_and_decode_into_the_typed_event() {
    let receiver = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&receiver)
        .await;
    let uri = format!("{}/hooks", receiver.uri());
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sender = reqwest::Client::new();
    let exhausted =
        br#"{"type":"message.attempt.exhausted","data":{"msgId":"m1","endpointId":"e1"}}"#;
    let created = br#"{"type":"endpoint.created","data":{"endpointId":"e2"}}"#;
    let schemes = [
        (
            WebhookScheme::StandardWebhooks,
            STANDARD_SECRET,
            &exhausted[..],
        ),
        (WebhookScheme::Stripe, "whsec_stripe", &created[..]),
        (WebhookScheme::HubSpotV3, "hubspot-secret", &exhausted[..]),
        (WebhookScheme::HubSpotV2, "hubspot-secret", &created[..]),
    ];
    for (n, (scheme, secret, body)) in schemes.iter().enumerate() {
        let mut request = sender.post(&uri).body(body.to_vec());
        for (name, value) in sign(*scheme, secret, &uri, &format!("msg_{n}"), body) {
            request = request.header(name, value);
        }
        assert_eq!(request.send().await.unwrap().status().as_u16(), 204);
    }
    let received = receiver.received_requests().await.unwrap();
    assert_eq!(received.len(), 4);
    // The URI the sender signed is the receiver's public URL (HubSpot's schemes sign it):
    // what the application knows itself by, not what a proxy passed on.
    for (request, (scheme, secret, _)) in received.iter().zip(&schemes) {
        let hooks = Webhooks::new(*secret).scheme(*scheme);
        let event = hooks
            .verify_request("POST", &uri, &request.headers, &request.body)
            .unwrap_or_else(|e| panic!("{scheme:?}: {e}"));
        match (scheme, event) {
            (
                WebhookScheme::StandardWebhooks | WebhookScheme::HubSpotV3,
                WebhookEvent::MessageAttemptExhaustedEvent(e),
            ) => {
                assert_eq!(e.data.msg_id, "m1");
            }
            (
                WebhookScheme::Stripe | WebhookScheme::HubSpotV2,
                WebhookEvent::EndpointCreatedPostPayload(e),
            ) => {
                assert_eq!(e.data.endpoint_id, "e2");
            }
            (scheme, other) => panic!("{scheme:?}: {other:?}"),
        }
        // The body changed on the way: refused.
        let mut tampered = request.body.clone();
        tampered.push(b' ');
        assert!(matches!(
            Webhooks::new(*secret).scheme(*scheme).verify_request(
                "POST",
                &uri,
                &request.headers,
                &tampered
            ),
            Err(WebhookError::BadSignature)
        ));
    }
    // The first delivery again: a replay.
    let hooks = Webhooks::new(STANDARD_SECRET);
    let first = &received[0];
    hooks.verify(&first.headers, &first.body).unwrap();
    assert!(matches!(
        hooks.verify(&first.headers, &first.body),
        Err(WebhookError::Replayed(_))
    ));
    let shown = format!("{hooks:?}");
    assert!(
        !shown.contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
        "{shown}"
    );
}
