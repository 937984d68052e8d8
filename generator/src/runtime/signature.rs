//! Receiving the API's webhooks: the signature checked (HMAC-SHA256 by the `hmac` and `sha2`
//! crates, compared in constant time), the timestamp held to a tolerance, a delivery id seen
//! twice refused, and the body decoded into the typed event.

use std::collections::VecDeque;
use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use hmac::{Hmac, Mac};
use reqwest::header::HeaderMap;
use sha2::{Digest, Sha256};

/// How a sender signs webhooks. The crate's default is the one `webhook-signature` in
/// `openapi-gen.toml` names; [`Webhooks::scheme`] chooses another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookScheme {
    /// Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature`.
    StandardWebhooks,
    /// Stripe's `Stripe-Signature: t=…,v1=…`.
    Stripe,
    /// HubSpot's `X-HubSpot-Signature-v3` over method, URI, body and timestamp.
    HubSpotV3,
    /// HubSpot's `X-HubSpot-Signature` (v2): SHA-256 of secret, method, URI and body.
    HubSpotV2,
}

/// Why a webhook was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// A header the scheme needs is missing or not text.
    #[error("the `{0}` header is missing or unreadable")]
    MissingHeader(&'static str),
    /// No key signed this body (wrong key, or the body or a signed header was changed).
    #[error("the signature does not match")]
    BadSignature,
    /// The timestamp is further from now than the tolerance.
    #[error("the timestamp is {0:?} away from now, past the tolerance")]
    Stale(Duration),
    /// This delivery id was already accepted within the tolerance.
    #[error("the delivery `{0}` was already received")]
    Replayed(String),
    /// This scheme signs the method and URI too: use [`Webhooks::verify_request`].
    #[error("this API signs the request line: call `verify_request` with the method and URI")]
    RequestLineNeeded,
    /// A secret that cannot be used (Standard Webhooks secrets are base64 after `whsec_`).
    #[error("the secret cannot be used: {0}")]
    InvalidSecret(String),
    /// The signature is good but the body is not the documented event.
    #[error("the event does not decode: {0}")]
    Decode(#[source] serde_json::Error),
}

/// Deliveries remembered for replay detection, at most (the oldest are forgotten first).
const MAX_SEEN: usize = 10_000;

/// Verifies webhooks from the API. Several secrets may be set (during a rotation, a
/// delivery signed by any of them is accepted).
pub struct Webhooks {
    scheme: WebhookScheme,
    secrets: Vec<String>,
    tolerance: Duration,
    seen: Mutex<VecDeque<(String, u64)>>,
}

impl fmt::Debug for Webhooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhooks")
            .field("scheme", &self.scheme)
            .field(
                "secrets",
                &format_args!("<{} redacted>", self.secrets.len()),
            )
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

impl Webhooks {
    /// A verifier with one secret (Standard Webhooks: `whsec_…` as the API shows it;
    /// Stripe: the endpoint's `whsec_…`; HubSpot: the app's client secret), accepting
    /// timestamps up to 5 minutes from now.
    pub fn new(secret: impl Into<String>) -> Self {
        Webhooks {
            scheme: crate::about::WEBHOOK_SIGNATURE,
            secrets: vec![secret.into()],
            tolerance: Duration::from_secs(300),
            seen: Mutex::new(VecDeque::new()),
        }
    }

    /// Also accepts deliveries signed with `secret` (key rotation).
    pub fn with_secret(mut self, secret: impl Into<String>) -> Self {
        self.secrets.push(secret.into());
        self
    }

    /// Verifies by another scheme than the crate's default.
    pub fn scheme(mut self, scheme: WebhookScheme) -> Self {
        self.scheme = scheme;
        self
    }

    /// The HMAC keys: Standard Webhooks secrets are base64 after `whsec_`, others are used
    /// as they are.
    fn keys(&self) -> Result<Vec<Vec<u8>>, WebhookError> {
        self.secrets
            .iter()
            .map(|secret| match self.scheme {
                WebhookScheme::StandardWebhooks => base64::engine::general_purpose::STANDARD
                    .decode(secret.strip_prefix("whsec_").unwrap_or(secret))
                    .map_err(|e| WebhookError::InvalidSecret(e.to_string())),
                _ => Ok(secret.as_bytes().to_vec()),
            })
            .collect()
    }

    /// How far a delivery's timestamp may be from now (default 5 minutes).
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Checks a delivery's signature and decodes its event. For APIs that sign only the
    /// headers and body (Standard Webhooks, Stripe).
    pub fn verify(
        &self,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<crate::about::WebhookEvent, WebhookError> {
        self.check_at(None, headers, body, now())?;
        serde_json::from_slice(body).map_err(WebhookError::Decode)
    }

    /// Checks a delivery's signature, which may cover the request's method and full URI
    /// (HubSpot: `https://example.com/webhooks?x=1`), and decodes its event.
    pub fn verify_request(
        &self,
        method: &str,
        uri: &str,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<crate::about::WebhookEvent, WebhookError> {
        self.check_at(Some((method, uri)), headers, body, now())?;
        serde_json::from_slice(body).map_err(WebhookError::Decode)
    }

    /// The signature check alone, as if it were `now` (seconds since the epoch): for
    /// tests with a provider's published example.
    pub fn check_at(
        &self,
        line: Option<(&str, &str)>,
        headers: &HeaderMap,
        body: &[u8],
        now: u64,
    ) -> Result<(), WebhookError> {
        let header = |name: &'static str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .ok_or(WebhookError::MissingHeader(name))
        };
        let keys = self.keys()?;
        let hmac_matches = |parts: &[&[u8]], signature: &[u8]| {
            keys.iter().any(|key| {
                let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
                    return false;
                };
                for part in parts {
                    mac.update(part);
                }
                // Compares in constant time.
                mac.verify_slice(signature).is_ok()
            })
        };
        match self.scheme {
            WebhookScheme::StandardWebhooks => {
                let id = header("webhook-id")?;
                let timestamp = header("webhook-timestamp")?;
                self.fresh(seconds(timestamp)?, now)?;
                let signed = [id.as_bytes(), b".", timestamp.as_bytes(), b".", body];
                let good = header("webhook-signature")?
                    .split(' ')
                    .filter_map(|s| s.strip_prefix("v1,"))
                    .filter_map(|s| base64::engine::general_purpose::STANDARD.decode(s).ok())
                    .any(|sig| hmac_matches(&signed, &sig));
                if !good {
                    return Err(WebhookError::BadSignature);
                }
                self.first_time(id, now)
            }
            WebhookScheme::Stripe => {
                let value = header("stripe-signature")?;
                let pairs = || value.split(',').filter_map(|p| p.trim().split_once('='));
                let timestamp = pairs()
                    .find(|(k, _)| *k == "t")
                    .map(|(_, v)| v)
                    .ok_or(WebhookError::MissingHeader("stripe-signature"))?;
                self.fresh(seconds(timestamp)?, now)?;
                let signed = [timestamp.as_bytes(), b".", body];
                let good = pairs()
                    .filter(|(k, _)| *k == "v1")
                    .filter_map(|(_, v)| hex(v))
                    .any(|sig| hmac_matches(&signed, &sig));
                if good {
                    Ok(())
                } else {
                    Err(WebhookError::BadSignature)
                }
            }
            WebhookScheme::HubSpotV3 => {
                let (method, uri) = line.ok_or(WebhookError::RequestLineNeeded)?;
                let timestamp = header("x-hubspot-request-timestamp")?;
                // Milliseconds since the epoch.
                self.fresh(seconds(timestamp)? / 1000, now)?;
                let signed = [
                    method.as_bytes(),
                    uri.as_bytes(),
                    body,
                    timestamp.as_bytes(),
                ];
                let sig = base64::engine::general_purpose::STANDARD
                    .decode(header("x-hubspot-signature-v3")?)
                    .map_err(|_| WebhookError::BadSignature)?;
                if hmac_matches(&signed, &sig) {
                    Ok(())
                } else {
                    Err(WebhookError::BadSignature)
                }
            }
            WebhookScheme::HubSpotV2 => {
                let (method, uri) = line.ok_or(WebhookError::RequestLineNeeded)?;
                let sig = hex(header("x-hubspot-signature")?).ok_or(WebhookError::BadSignature)?;
                let good = keys.iter().any(|secret| {
                    let digest = Sha256::new()
                        .chain_update(secret)
                        .chain_update(method.as_bytes())
                        .chain_update(uri.as_bytes())
                        .chain_update(body)
                        .finalize();
                    constant_time_eq(&digest, &sig)
                });
                if good {
                    Ok(())
                } else {
                    Err(WebhookError::BadSignature)
                }
            }
        }
    }

    fn fresh(&self, timestamp: u64, now: u64) -> Result<(), WebhookError> {
        let apart = Duration::from_secs(now.abs_diff(timestamp));
        if apart > self.tolerance {
            return Err(WebhookError::Stale(apart));
        }
        Ok(())
    }

    /// Refuses a delivery id seen within the tolerance, and remembers this one.
    fn first_time(&self, id: &str, now: u64) -> Result<(), WebhookError> {
        let Ok(mut seen) = self.seen.lock() else {
            return Ok(());
        };
        let horizon = now.saturating_sub(self.tolerance.as_secs().saturating_mul(2));
        while seen.front().is_some_and(|(_, at)| *at < horizon) || seen.len() >= MAX_SEEN {
            seen.pop_front();
        }
        if seen.iter().any(|(known, _)| known == id) {
            return Err(WebhookError::Replayed(id.to_owned()));
        }
        seen.push_back((id.to_owned(), now));
        Ok(())
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn seconds(text: &str) -> Result<u64, WebhookError> {
    text.trim().parse().map_err(|_| WebhookError::BadSignature)
}

/// Lowercase or uppercase hex to bytes.
fn hex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim().as_bytes();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    text.chunks(2)
        .map(|pair| {
            let digit = |c: u8| (c as char).to_digit(16);
            Some((digit(pair[0])? * 16 + digit(pair[1])?) as u8)
        })
        .collect()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
