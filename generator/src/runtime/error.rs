//! Errors the client returns.

use std::fmt;

/// What can go wrong with a request.
///
/// `E` is the type of the operation's documented error body; it defaults to the body
/// most of this API's operations return ([`crate::ApiErrorBody`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E = crate::ApiErrorBody> {
    /// The request could not be built, e.g. a header value holding a line break.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The request did not complete within its timeout.
    #[error("request timed out: {0}")]
    Timeout(#[source] reqwest::Error),
    /// Connecting, sending the request, or reading the response failed.
    #[error("transport error: {0}")]
    Transport(#[source] reqwest::Error),
    /// The server answered with a status outside 2xx (other than a final 429).
    #[error("{0}")]
    Api(Box<ApiError<E>>),
    /// The server still answered 429 Too Many Requests after every retry; the last
    /// response's headers say when to come back ([`ApiError::rate_limit`],
    /// [`ApiError::retry_after`]).
    #[error("rate limited: {0}")]
    RateLimited(Box<ApiError<E>>),
    /// A 2xx response whose body does not match the documented type.
    #[error("{0}")]
    Decode(Box<DecodeError>),
    /// A 2xx body longer than the response size limit (`max_response_bytes`); reading
    /// stopped at the limit.
    #[error("the {status} response body is larger than the {limit}-byte limit")]
    ResponseTooLarge {
        status: reqwest::StatusCode,
        limit: u64,
    },
    /// The server redirected to another origin (scheme, host or port), or too often. The
    /// client does not follow such redirects, since the request's credentials and headers
    /// would go along; `location` is where the server pointed.
    #[error("redirect to `{location}` not followed: {reason}")]
    Redirect {
        location: String,
        reason: &'static str,
    },
    /// The client's own rate limit ([`rate_limit`](crate::ClientBuilder::rate_limit) or
    /// [`max_concurrency`](crate::ClientBuilder::max_concurrency)) would let the request
    /// start only after the call's total timeout; it was not sent.
    #[error(
        "not sent: the client's rate limit has no slot for {wait:?}, past the call's total timeout"
    )]
    Throttled { wait: std::time::Duration },
    // @when paging
    /// Reading a list page by page went wrong: the server handed back a cursor it had
    /// already given (which would never end), or its next-page link leads elsewhere.
    #[error("paging stopped: {0}")]
    Paging(String),
    // @end
    // @when oauth2
    /// No access token could be had from the client's token source (e.g. the refresh token
    /// was revoked: `invalid_grant`). Nothing was sent to the API.
    #[error("authentication: {0}")]
    Auth(Box<crate::oauth::TokenError>),
    // @end
    /// The client could not be built (so `?` works on `Client::new` in a function that
    /// returns this error).
    #[error(transparent)]
    Build(#[from] BuildError),
}

impl<E> Error<E> {
    /// Sorts a `reqwest` failure into its variant. The URL's query is dropped from the
    /// message, since query strings can carry credentials.
    pub(crate) fn from_reqwest(mut error: reqwest::Error) -> Self {
        if let Some(url) = error.url_mut() {
            url.set_query(None);
        }
        if error.is_redirect() {
            let mut source = std::error::Error::source(&error);
            while let Some(cause) = source {
                if let Some(refused) = cause.downcast_ref::<crate::client::RedirectRefused>() {
                    return Error::Redirect {
                        location: refused.location.clone(),
                        reason: refused.reason,
                    };
                }
                source = cause.source();
            }
        }
        if error.is_timeout() {
            Error::Timeout(error)
        } else if error.is_builder() {
            Error::InvalidRequest(error.to_string())
        } else {
            Error::Transport(error)
        }
    }

    /// The server's answer outside 2xx (`Api` or `RateLimited`): status, headers, body.
    pub fn api_error(&self) -> Option<&ApiError<E>> {
        match self {
            Error::Api(e) | Error::RateLimited(e) => Some(e),
            _ => None,
        }
    }

    /// The documented error body of an answer outside 2xx, when it decoded.
    pub fn body(&self) -> Option<&E> {
        self.api_error().and_then(|e| e.body.as_ref())
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        match self {
            Error::Api(e) | Error::RateLimited(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::ResponseTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// A response with a status outside 2xx.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError<E> {
    pub status: reqwest::StatusCode,
    pub headers: reqwest::header::HeaderMap,
    /// The body, decoded as the documented error type, when it decodes.
    pub body: Option<E>,
    /// The body as text (invalid UTF-8 replaced), at most its first 64 KiB.
    pub raw: String,
    /// Whether the body was longer than what `raw` keeps (then `body` is `None`).
    pub truncated: bool,
}

/// An operation's documented error body, decoded from an answer outside 2xx. Operations
/// that document different bodies for different statuses have an enum of them, decoded by
/// the status that came back; an undocumented status decodes to nothing (the raw text
/// stays in [`ApiError::raw`]).
pub trait ErrorBody: Sized {
    fn from_response(status: reqwest::StatusCode, body: &[u8]) -> Option<Self>;
}

impl ErrorBody for serde_json::Value {
    fn from_response(_: reqwest::StatusCode, body: &[u8]) -> Option<Self> {
        json_body(body)
    }
}

/// A JSON error body as `T`, through the same bounded decoding as every body (error bodies
/// are at most 64 KiB).
#[allow(dead_code, reason = "only APIs with typed error bodies use it")]
pub(crate) fn json_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Option<T> {
    crate::budget::from_slice(body, &crate::budget::Budget::new(8 << 20)).ok()
}

impl<E: ErrorBody> ApiError<E> {
    pub(crate) fn new(
        status: reqwest::StatusCode,
        headers: reqwest::header::HeaderMap,
        bytes: &[u8],
        truncated: bool,
    ) -> Self {
        ApiError {
            status,
            headers,
            body: if truncated {
                None
            } else {
                E::from_response(status, bytes)
            },
            raw: String::from_utf8_lossy(bytes).into_owned(),
            truncated,
        }
    }
}

impl<E> ApiError<E> {
    /// The rate-limit headers of the response, where present.
    pub fn rate_limit(&self) -> crate::RateLimit {
        crate::RateLimit::from_headers(&self.headers)
    }

    /// The `Retry-After` header (seconds or HTTP-date), as a duration from now.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        crate::client::retry_after(&self.headers)
    }
}

impl<E> fmt::Display for ApiError<E> {
    /// `the server answered 404 Not Found: Thread 42 does not exist (correlation id 5f0c…)`:
    /// the server's own message where the body has one, else the start of the body.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the server answered {}", self.status)?;
        let json = (!self.truncated)
            .then(|| serde_json::from_str::<serde_json::Value>(&self.raw).ok())
            .flatten();
        match json.as_ref().and_then(server_message) {
            Some(message) => {
                write!(f, ": {}", Inert(&message))?;
                if let Some(id) = json.as_ref().and_then(correlation_id) {
                    write!(f, " (correlation id {})", Inert(&id))?;
                }
            }
            None if !self.raw.is_empty() => {
                write!(f, ": {}", Inert(&snippet(self.raw.as_bytes(), 0)))?;
            }
            None => {}
        }
        Ok(())
    }
}

/// The human-readable message of a JSON error body, under the names APIs use for it.
fn server_message(body: &serde_json::Value) -> Option<String> {
    [
        "message",
        "error_description",
        "detail",
        "error",
        "title",
        "errors",
    ]
    .iter()
    .find_map(|key| match body.get(key)? {
        serde_json::Value::String(text) if !text.trim().is_empty() => Some(text.clone()),
        // `{"error": {"message": …}}` and `{"errors": [{"message": …}]}`.
        nested @ serde_json::Value::Object(_) => server_message(nested),
        serde_json::Value::Array(items) => items.first().and_then(server_message),
        _ => None,
    })
    .map(|text| {
        let text: String = text.chars().take(SNIPPET_BYTES).collect();
        text.replace(['\n', '\r'], " ")
    })
}

fn correlation_id(body: &serde_json::Value) -> Option<String> {
    ["correlationId", "correlation_id", "requestId", "request_id"]
        .iter()
        .find_map(|key| match body.get(key)? {
            serde_json::Value::String(id) => Some(id.chars().take(64).collect()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
}

/// A 2xx body that does not match the documented type.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DecodeError {
    pub status: reqwest::StatusCode,
    /// Where decoding failed, as a path into the JSON (`threadAssociations.associatedTicketId`);
    /// `.` for the top level.
    pub path: String,
    /// What serde reported, e.g. ``missing field `status` ``.
    pub message: String,
    /// A bounded excerpt of the body around the failure.
    pub snippet: String,
}

impl DecodeError {
    pub(crate) fn new(status: reqwest::StatusCode, inner: serde_json::Error, body: &[u8]) -> Self {
        let consumed = consumed(body, inner.line(), inner.column());
        DecodeError {
            status,
            path: json_path(body, consumed, inner.is_syntax() || inner.is_eof()),
            message: inner.to_string(),
            snippet: snippet(body, consumed.saturating_sub(1)),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not decode the {} response at `{}`: {} (body: {})",
            self.status,
            Inert(&self.path),
            Inert(&self.message),
            Inert(&self.snippet)
        )
    }
}

impl std::error::Error for DecodeError {}

/// Text a server sent, in an error message: on one line, with control characters (CR, LF,
/// ESC…) and bidi controls written as `\u{…}`, so one error is one log line and cannot
/// recolour or reorder a terminal.
pub(crate) struct Inert<'a>(pub(crate) &'a str);

impl fmt::Display for Inert<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write as _;
        for c in self.0.chars() {
            let hidden = c.is_control()
                || matches!(
                    c,
                    '\u{061C}'
                        | '\u{200E}'
                        | '\u{200F}'
                        | '\u{2028}'
                        | '\u{2029}'
                        | '\u{202A}'..='\u{202E}'
                        | '\u{2066}'..='\u{2069}'
                );
            if hidden {
                write!(f, "\\u{{{:x}}}", u32::from(c))?;
            } else {
                f.write_char(c)?;
            }
        }
        Ok(())
    }
}

/// Errors building a [`crate::Client`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    #[error("no base URL: the API description names no server, so call `base_url`")]
    NoBaseUrl,
    #[error("invalid base URL `{url}`: {reason}")]
    InvalidBaseUrl { url: String, reason: String },
    // @when family
    /// [`base_url_for`](crate::ClientBuilder::base_url_for) names no API of the crate.
    #[error("no API module `{0}` in this crate")]
    UnknownApi(String),
    // @end
    #[error("a credential (token, password or API key) is not a valid header value")]
    InvalidToken,
    #[error("the user agent is not a valid header value")]
    InvalidUserAgent,
    #[error("could not build the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
}

const SNIPPET_BYTES: usize = 200;

/// At most [`SNIPPET_BYTES`] of `body` around `offset`, as text.
fn snippet(body: &[u8], offset: usize) -> String {
    let start = offset.saturating_sub(SNIPPET_BYTES / 2).min(body.len());
    let end = (start + SNIPPET_BYTES).min(body.len());
    let mut text = String::from_utf8_lossy(&body[start..end]).into_owned();
    if start > 0 {
        text.insert(0, '…');
    }
    if end < body.len() {
        text.push('…');
    }
    text
}

/// How many bytes serde_json had read when it failed: it reports the 1-based line and the
/// column of the last byte read.
fn consumed(body: &[u8], line: usize, column: usize) -> usize {
    let line_start = body
        .split_inclusive(|b| *b == b'\n')
        .take(line.saturating_sub(1))
        .map(<[u8]>::len)
        .sum::<usize>();
    (line_start + column).min(body.len())
}

/// The path of the value serde_json was reading after `consumed` bytes, written as
/// `serde_path_to_error` writes paths (`results[3].status`; `.` for the top level): the key
/// or index of each object and array still open there. Found by scanning the body once after
/// a failure rather than by decoding every response through a path-tracking wrapper, which
/// compiled each response type's decoder twice. (serde_json reports a missing field after
/// the object's closing brace, so the path is the object's, as serde_path_to_error has it.)
/// `between_values`: the error is in the JSON's syntax, found after a complete value while
/// looking for what follows it, so that value's key or index is not part of the path.
fn json_path(body: &[u8], consumed: usize, between_values: bool) -> String {
    enum Open {
        /// `colon`: the key's value is being read (serde names a key only from then on).
        Object {
            key: Option<String>,
            expect_key: bool,
            colon: bool,
        },
        /// `None` between an element and what follows it.
        Array { index: Option<usize> },
    }
    let mut open: Vec<Open> = Vec::new();
    let mut in_string = false;
    let mut i = 0;
    while i < consumed {
        match body[i] {
            b'{' => open.push(Open::Object {
                key: None,
                expect_key: true,
                colon: false,
            }),
            b'[' => open.push(Open::Array { index: Some(0) }),
            b'}' | b']' => {
                open.pop();
            }
            b':' => {
                if let Some(Open::Object { key, colon, .. }) = open.last_mut() {
                    *colon = key.is_some();
                }
            }
            b',' => match open.last_mut() {
                Some(Open::Array { index }) => *index = index.map(|i| i + 1),
                Some(Open::Object {
                    key,
                    expect_key,
                    colon,
                }) => {
                    *key = None;
                    *expect_key = true;
                    *colon = false;
                }
                None => {}
            },
            b'"' => {
                let close = string_end(body, i);
                in_string = close >= consumed;
                if let Some(Open::Object {
                    key, expect_key, ..
                }) = open.last_mut()
                    && *expect_key
                {
                    *key = body
                        .get(i..=close)
                        .and_then(|text| serde_json::from_slice::<String>(text).ok());
                    *expect_key = false;
                }
                i = close;
            }
            _ => {}
        }
        i += 1;
    }
    // A syntax error is found between values (looking for `,`, `]`, `}` or the next element)
    // unless the scan ends inside a string or a word (`tru`): then that value is being read.
    let last = body[..consumed]
        .iter()
        .rev()
        .find(|b| !b.is_ascii_whitespace());
    let token = body[..consumed]
        .rsplit(|b| b.is_ascii_whitespace() || b",:[{".contains(b))
        .next()
        .unwrap_or_default();
    let in_word = token.first().is_some_and(u8::is_ascii_alphabetic);
    if between_values && !in_string && !in_word {
        match open.last_mut() {
            // After `:` the value is being read; elsewhere the key's value is done.
            Some(Open::Object { key, .. }) if last != Some(&b':') => *key = None,
            Some(Open::Array { index }) => *index = None,
            _ => {}
        }
    }
    let mut path = String::new();
    for frame in &open {
        match frame {
            Open::Object {
                key: Some(key),
                colon: true,
                ..
            } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Open::Object { .. } => {}
            Open::Array { index: Some(index) } => path.push_str(&format!("[{index}]")),
            Open::Array { index: None } => {}
        }
    }
    if path.is_empty() {
        ".".to_owned()
    } else {
        path
    }
}

/// The index of the quote closing the string that opens at `start` (or the body's end).
fn string_end(body: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < body.len() {
        match body[i] {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    body.len()
}
