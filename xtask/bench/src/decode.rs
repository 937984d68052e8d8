//! Decoding a `PublicThread` with the generated type against a hand-written
//! `#[derive(Deserialize)]` struct of the same shape (the baseline) and `serde_json::Value`.

use crate::timing::{Plan, per_call, us};
use hubspot_conversations::types::PublicThread;
use serde::Deserialize;
use serde_json::json;

/// The shape a careful person would write by hand for the same JSON.
#[allow(dead_code, reason = "fields exist to be decoded, not read")]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HandThread {
    associated_contact_id: String,
    thread_associations: Option<HandAssociations>,
    assigned_to: Option<String>,
    created_at: chrono_like::Timestamp,
    archived: bool,
    original_channel_id: String,
    latest_message_timestamp: Option<chrono_like::Timestamp>,
    latest_message_sent_timestamp: Option<chrono_like::Timestamp>,
    original_channel_account_id: String,
    id: String,
    closed_at: Option<chrono_like::Timestamp>,
    spam: bool,
    inbox_id: String,
    status: HandStatus,
    latest_message_received_timestamp: Option<chrono_like::Timestamp>,
}

#[allow(dead_code, reason = "decoded, not read")]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HandAssociations {
    associated_ticket_id: Option<String>,
}

/// A derived enum; `other` keeps unknown values decodable (without the value), the
/// closest derive-only equivalent of the generated `Unknown(String)`.
#[allow(dead_code, reason = "decoded, not read")]
#[derive(Deserialize)]
enum HandStatus {
    #[serde(rename = "OPEN")]
    Open,
    #[serde(rename = "CLOSED")]
    Closed,
    #[serde(other)]
    Other,
}

/// The same timestamp type the generated code uses.
mod chrono_like {
    pub type Timestamp = chrono::DateTime<chrono::Utc>;
}

const SEED: &str = r#"{"associatedContactId":"<string>","threadAssociations":{"associatedTicketId":"<string>"},"assignedTo":"<string>","createdAt":"2023-11-07T05:31:56Z","archived":true,"originalChannelId":"<string>","latestMessageTimestamp":"2023-11-07T05:31:56Z","latestMessageSentTimestamp":"2023-11-07T05:31:56Z","originalChannelAccountId":"<string>","id":"<string>","closedAt":"2023-11-07T05:31:56Z","spam":true,"inboxId":"<string>","status":"OPEN","latestMessageReceivedTimestamp":"2023-11-07T05:31:56Z"}"#;

fn thousand(status: &str) -> String {
    let threads: Vec<String> = (0..1000)
        .map(|i| {
            SEED.replace("\"id\":\"<string>\"", &format!("\"id\":\"{i}\""))
                .replace(
                    "\"status\":\"OPEN\"",
                    &format!(
                        "\"status\":\"{}\"",
                        if i % 2 == 0 { status } else { "CLOSED" }
                    ),
                )
        })
        .collect();
    format!("[{}]", threads.join(","))
}

pub fn decode(plan: &Plan) -> serde_json::Value {
    let cases = [
        ("seed example", SEED.to_owned(), 1),
        ("1,000 threads", thousand("OPEN"), 1000),
        (
            "1,000 threads, half with unknown status SNOOZED",
            thousand("SNOOZED"),
            1000,
        ),
    ];
    println!("\n### Decode (median per document)\n");
    println!(
        "| body | hand-written derive µs | generated µs | ratio (goal ≤ 1.05×) | serde_json::Value µs |"
    );
    println!("|---|---:|---:|---:|---:|");
    let mut rows = Vec::new();
    for (name, text, count) in cases {
        let bytes = text.as_bytes();
        let (hand, generated, value) = if count == 1 {
            (
                per_call(plan, || serde_json::from_slice::<HandThread>(bytes).is_ok()),
                per_call(plan, || {
                    serde_json::from_slice::<PublicThread>(bytes).is_ok()
                }),
                per_call(plan, || {
                    serde_json::from_slice::<serde_json::Value>(bytes).is_ok()
                }),
            )
        } else {
            (
                per_call(plan, || {
                    serde_json::from_slice::<Vec<HandThread>>(bytes).is_ok()
                }),
                per_call(plan, || {
                    serde_json::from_slice::<Vec<PublicThread>>(bytes).is_ok()
                }),
                per_call(plan, || {
                    serde_json::from_slice::<serde_json::Value>(bytes).is_ok()
                }),
            )
        };
        assert_decodes(bytes, count);
        let ratio = generated.as_secs_f64() / hand.as_secs_f64().max(1e-12);
        println!(
            "| {name} | {:.2} | {:.2} | {ratio:.3}× | {:.2} |",
            us(hand),
            us(generated),
            us(value)
        );
        rows.push(json!({"body": name, "hand_us": us(hand), "generated_us": us(generated), "value_us": us(value), "ratio": ratio}));
    }
    json!(rows)
}

/// A benchmark of a failing decode would measure the error path.
fn assert_decodes(bytes: &[u8], count: usize) {
    let ok = if count == 1 {
        serde_json::from_slice::<PublicThread>(bytes).is_ok()
            && serde_json::from_slice::<HandThread>(bytes).is_ok()
    } else {
        serde_json::from_slice::<Vec<PublicThread>>(bytes)
            .map(|v| v.len())
            .ok()
            == Some(count)
            && serde_json::from_slice::<Vec<HandThread>>(bytes)
                .map(|v| v.len())
                .ok()
                == Some(count)
    };
    if !ok {
        eprintln!("warning: a decode benchmark input does not decode");
    }
}
