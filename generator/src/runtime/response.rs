//! A decoded body together with the response's status and headers.

/// A successful response: status, headers, and the decoded body.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<T> {
    pub status: reqwest::StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: T,
}

impl<T> Response<T> {
    /// The decoded body.
    pub fn into_body(self) -> T {
        self.body
    }

    /// The rate-limit headers of the response, where present.
    pub fn rate_limit(&self) -> RateLimit {
        RateLimit::from_headers(&self.headers)
    }

    pub(crate) fn into_parts(self) -> (reqwest::StatusCode, reqwest::header::HeaderMap, T) {
        (self.status, self.headers, self.body)
    }
}

/// Rate-limit headers, typed: whichever of the common header families the response has.
///
/// | field | IETF `RateLimit` / `RateLimit-Policy` | IETF draft `RateLimit-*` | `X-RateLimit-*` | `X-HubSpot-RateLimit-*` |
/// |---|---|---|---|---|
/// | `limit` | policy `q` | `-Limit` | `-Limit` | `-Max` |
/// | `remaining` | `r` | `-Remaining` | `-Remaining` | `-Remaining` |
/// | `reset` | `t` | `-Reset` | `-Reset` (seconds, or a Unix time) | |
/// | `window` | policy `w` | | | `-Interval-Milliseconds` |
/// | `daily_limit`, `daily_remaining` | | | | `-Daily`, `-Daily-Remaining` |
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// Requests allowed per window.
    pub limit: Option<u64>,
    /// Requests left in the current window.
    pub remaining: Option<u64>,
    /// Time until the current window resets.
    pub reset: Option<std::time::Duration>,
    /// The window's length.
    pub window: Option<std::time::Duration>,
    /// Requests allowed per day, where the API reports a daily quota as well.
    pub daily_limit: Option<u64>,
    /// Requests left today.
    pub daily_remaining: Option<u64>,
}

impl RateLimit {
    pub fn from_headers(headers: &reqwest::header::HeaderMap) -> Self {
        let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let number = |names: &[&str]| {
            names
                .iter()
                .find_map(|name| text(name).and_then(|v| v.trim().parse::<u64>().ok()))
        };
        // Structured fields: `"default";r=50;t=30`, or the older `limit=100, remaining=50`.
        let param = |header: &str, keys: &[&str]| {
            let value = text(header)?;
            value.split([';', ',']).find_map(|part| {
                let (key, number) = part.trim().split_once('=')?;
                keys.contains(&key.trim())
                    .then(|| number.trim().parse::<u64>().ok())
                    .flatten()
            })
        };
        let seconds = std::time::Duration::from_secs;
        let reset = param("ratelimit", &["t", "reset"])
            .or_else(|| number(&["ratelimit-reset"]))
            .map(seconds)
            .or_else(|| number(&["x-ratelimit-reset"]).map(until));
        RateLimit {
            limit: param("ratelimit-policy", &["q"])
                .or_else(|| policy_quota(text("ratelimit-policy")))
                .or_else(|| param("ratelimit", &["limit"]))
                .or_else(|| {
                    number(&[
                        "ratelimit-limit",
                        "x-ratelimit-limit",
                        "x-hubspot-ratelimit-max",
                    ])
                }),
            remaining: param("ratelimit", &["r", "remaining"]).or_else(|| {
                number(&[
                    "ratelimit-remaining",
                    "x-ratelimit-remaining",
                    "x-hubspot-ratelimit-remaining",
                ])
            }),
            reset,
            window: param("ratelimit-policy", &["w"]).map(seconds).or_else(|| {
                number(&["x-hubspot-ratelimit-interval-milliseconds"])
                    .map(std::time::Duration::from_millis)
            }),
            daily_limit: number(&["x-hubspot-ratelimit-daily"]),
            daily_remaining: number(&["x-hubspot-ratelimit-daily-remaining"]),
        }
    }
}

/// The older `RateLimit-Policy: 100;w=60` form: the quota is the first item.
fn policy_quota(value: Option<&str>) -> Option<u64> {
    value?.split([';', ',']).next()?.trim().parse().ok()
}

/// `X-RateLimit-Reset` is seconds to wait for some APIs and a Unix time for others (GitHub);
/// a number past 2001-09-09 is read as a time.
fn until(value: u64) -> std::time::Duration {
    const UNIX_TIME: u64 = 1_000_000_000;
    if value < UNIX_TIME {
        return std::time::Duration::from_secs(value);
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    std::time::Duration::from_secs(value.saturating_sub(now))
}
