//! Conformance: the generated HubSpot client against Stoplight Prism serving `spec/`. Prism
//! validates every request against the spec (a violation is a 422 with an `sl-violations`
//! header) and answers from the spec's schemas, so both directions are checked by an
//! implementation that does not share our reading of the spec.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

mod support;

use hubspot_conversations::types::GetThreadAssociationItem;
use hubspot_conversations::{Client, Error};
use std::path::{Path, PathBuf};
use support::prism::{Prism, available, say};

fn spec() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/hubspot-conversations.yaml")
}

fn client(prism: &Prism) -> Client {
    Client::builder()
        .base_url(prism.base_url())
        .bearer_token("conformance-token")
        .build()
        .expect("builds")
}

/// Every operation in `spec/`, called with only its required parameters and with every
/// optional one set. Returns the response for inspection; a Prism rejection fails.
async fn call_every_way(
    client: &Client,
    id: i64,
) -> Vec<hubspot_conversations::Response<hubspot_conversations::types::PublicThread>> {
    let required_only = client.get_thread(id).send_with_response().await;
    let everything = client
        .get_thread(id)
        .archived(true)
        .association([GetThreadAssociationItem::Ticket])
        .property("hs_thread_name")
        .send_with_response()
        .await;
    [required_only, everything]
        .into_iter()
        .map(|result| {
            let response = match result {
                Ok(response) => response,
                Err(Error::Api(e)) => panic!(
                    "Prism rejected the request ({}): {:?}",
                    e.status,
                    e.headers.get("sl-violations")
                ),
                Err(e) => panic!("the response did not decode into the generated type: {e}"),
            };
            assert!(
                !response.headers.contains_key("sl-violations"),
                "Prism reported violations: {:?}",
                response.headers["sl-violations"]
            );
            response
        })
        .collect()
}

#[tokio::test]
async fn static_examples_every_operation_every_parameter() {
    let Some(prism) = available("conformance (static)") else {
        return;
    };
    let prism = Prism::start(&prism, &spec(), false);
    let client = client(&prism);
    let mut validated = 0;
    for id in [1, (1 << 31) + 5] {
        validated += call_every_way(&client, id).await.len();
    }
    say(&format!(
        "conformance (static): Prism validated {validated} requests, 0 rejected"
    ));
    assert_eq!(validated, 4);
}

#[tokio::test]
async fn dynamic_responses_decode_with_optional_fields_present_and_absent() {
    let Some(prism) = available("conformance (dynamic)") else {
        return;
    };
    let prism = Prism::start(&prism, &spec(), true);
    let client = client(&prism);
    let rounds = 200;
    let (mut validated, mut present, mut absent) = (0, [0usize; 6], [0usize; 6]);
    for round in 0..rounds {
        for response in call_every_way(&client, round).await {
            validated += 1;
            let t = response.into_body();
            let optional = [
                t.thread_associations.is_some(),
                t.assigned_to.is_some(),
                t.closed_at.is_some(),
                t.latest_message_timestamp.is_some(),
                t.latest_message_sent_timestamp.is_some(),
                t.latest_message_received_timestamp.is_some(),
            ];
            for (i, is) in optional.into_iter().enumerate() {
                if is { present[i] += 1 } else { absent[i] += 1 }
            }
        }
    }
    say(&format!(
        "conformance (dynamic): Prism validated {validated} requests; optional fields present {present:?}, absent {absent:?}"
    ));
    assert_eq!(validated, 2 * rounds as usize);
    for i in 0..6 {
        assert!(
            present[i] > 0 && absent[i] > 0,
            "optional field {i} was not seen both ways: {present:?} / {absent:?}"
        );
    }
}

/// The check can fail: requests built outside the spec are rejected by Prism.
#[tokio::test]
async fn requests_outside_the_spec_are_rejected() {
    let Some(prism) = available("conformance (negative control)") else {
        return;
    };
    let prism = Prism::start(&prism, &spec(), false);
    // A bare client, so nothing of ours shapes these requests.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let base = prism.base_url();
    let outside = [
        format!("{base}/conversations/v3/conversations/threads/not-a-number"),
        format!("{base}/conversations/v3/conversations/threads/1?association=CONTACT"),
        format!("{base}/conversations/v3/conversations/threads/1?archived=maybe"),
    ];
    let mut rejected = 0;
    for url in &outside {
        let response = http
            .get(url)
            .bearer_auth("conformance-token")
            .send()
            .await
            .expect("Prism answers");
        assert_eq!(response.status(), 422, "{url} should be rejected");
        assert!(
            response.headers().contains_key("sl-violations"),
            "{url}: Prism names the violation"
        );
        rejected += 1;
    }
    // Without the token the request also violates the spec's security.
    let response = http
        .get(format!("{base}/conversations/v3/conversations/threads/1"))
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 401);
    rejected += 1;
    say(&format!(
        "conformance (negative control): Prism rejected {rejected} of {} requests built outside the spec",
        outside.len() + 1
    ));
    assert_eq!(rejected, 4);
}
