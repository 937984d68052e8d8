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

/// Rate-limit headers, typed. HubSpot sends `X-HubSpot-RateLimit-*`; the common
/// `X-RateLimit-Limit`/`-Remaining` are read when those are absent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// Requests allowed per interval (`X-HubSpot-RateLimit-Max`).
    pub max: Option<u64>,
    /// Requests left in the current interval (`X-HubSpot-RateLimit-Remaining`).
    pub remaining: Option<u64>,
    /// The interval's length in milliseconds (`X-HubSpot-RateLimit-Interval-Milliseconds`).
    pub interval_milliseconds: Option<u64>,
    /// Requests allowed per day (`X-HubSpot-RateLimit-Daily`).
    pub daily: Option<u64>,
    /// Requests left today (`X-HubSpot-RateLimit-Daily-Remaining`).
    pub daily_remaining: Option<u64>,
}

impl RateLimit {
    pub fn from_headers(headers: &reqwest::header::HeaderMap) -> Self {
        let number = |names: &[&str]| {
            names.iter().find_map(|name| {
                headers
                    .get(*name)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse().ok())
            })
        };
        RateLimit {
            max: number(&["x-hubspot-ratelimit-max", "x-ratelimit-limit"]),
            remaining: number(&["x-hubspot-ratelimit-remaining", "x-ratelimit-remaining"]),
            interval_milliseconds: number(&["x-hubspot-ratelimit-interval-milliseconds"]),
            daily: number(&["x-hubspot-ratelimit-daily"]),
            daily_remaining: number(&["x-hubspot-ratelimit-daily-remaining"]),
        }
    }
}
