//! The client every operation goes through: configuration, authentication, sending and
//! decoding.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::error::{ApiError, BuildError, DecodeError, Error};
use crate::params::Query;
use crate::response::Response;

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_MAX_RETRIES: u32 = 2;
const DEFAULT_INITIAL_BACKOFF: Duration = Duration::from_millis(500);
const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(8);
const DEFAULT_MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// When and how long to wait before trying a request again.
#[derive(Debug, Clone, Copy)]
struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl RetryPolicy {
    /// Exponential backoff with full jitter: uniform in `[0, min(max, initial * 2^attempt)]`.
    fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(attempt))
            .min(self.max_backoff);
        ceiling.mul_f64(jitter())
    }
}

/// A uniform number in `[0, 1)`, from std's randomly keyed hasher (no `rand` dependency
/// for one number per retry).
fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let bits = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// A client for the API.
///
/// Cheap to clone: clones share one configuration and one connection pool, and the
/// client is `Send + Sync`.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: reqwest::Url,
    /// `Bearer <token>`, marked sensitive so `reqwest` never prints it.
    authorization: Option<reqwest::header::HeaderValue>,
    /// `Basic <base64>`, marked sensitive.
    basic: Option<reqwest::header::HeaderValue>,
    api_key: Option<String>,
    timeout: Duration,
    retry: RetryPolicy,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field(
                "bearer_token",
                &self.inner.authorization.as_ref().map(|_| "<redacted>"),
            )
            .field(
                "basic_auth",
                &self.inner.basic.as_ref().map(|_| "<redacted>"),
            )
            .field(
                "api_key",
                &self.inner.api_key.as_ref().map(|_| "<redacted>"),
            )
            .field("timeout", &self.inner.timeout)
            .field("max_retries", &self.inner.retry.max_retries)
            .finish()
    }
}

impl Client {
    /// A client for the API's default server, sending `bearer_token` as
    /// `Authorization: Bearer …`.
    pub fn new(bearer_token: impl Into<String>) -> Result<Self, BuildError> {
        Self::builder().bearer_token(bearer_token).build()
    }

    /// Configures a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The URL every request path is appended to.
    pub fn base_url(&self) -> &reqwest::Url {
        &self.inner.base_url
    }

    /// The base URL with `segments` appended (each percent-encoded as one segment) and
    /// `query` appended as `key=value` pairs.
    #[allow(dead_code, reason = "an API without operations never builds a URL")]
    pub(crate) fn url(
        &self,
        segments: &[&str],
        query: &Query<'_>,
        options: &RequestOptions,
    ) -> reqwest::Url {
        let mut url = self.inner.base_url.clone();
        // `build` only accepts base URLs that can take path segments.
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        if !query.pairs.is_empty() || !options.query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(query.pairs.iter().map(|(k, v)| (k, v)))
                .extend_pairs(options.query.iter().map(|(k, v)| (k, v)));
        }
        url
    }

    #[allow(dead_code, reason = "an API without operations never sends a request")]
    pub(crate) fn request(
        &self,
        method: reqwest::Method,
        mut url: reqwest::Url,
        auth: &[Auth],
        options: &RequestOptions,
    ) -> reqwest::RequestBuilder {
        // The first credential the operation accepts that this client holds.
        let credential = auth.iter().find(|a| match a {
            Auth::Bearer => self.inner.authorization.is_some(),
            Auth::Basic => self.inner.basic.is_some(),
            Auth::ApiKeyHeader(_) | Auth::ApiKeyQuery(_) | Auth::ApiKeyCookie(_) => {
                self.inner.api_key.is_some()
            }
        });
        if let (Some(Auth::ApiKeyQuery(name)), Some(key)) = (credential, &self.inner.api_key) {
            url.query_pairs_mut().append_pair(name, key);
        }
        let timeout = options.timeout.unwrap_or(self.inner.timeout);
        let mut request = self.inner.http.request(method, url).timeout(timeout);
        match (credential, &self.inner.api_key) {
            (Some(Auth::Bearer), _) => {
                if let Some(value) = &self.inner.authorization {
                    request = request.header(reqwest::header::AUTHORIZATION, value.clone());
                }
            }
            (Some(Auth::Basic), _) => {
                if let Some(value) = &self.inner.basic {
                    request = request.header(reqwest::header::AUTHORIZATION, value.clone());
                }
            }
            (Some(Auth::ApiKeyHeader(name)), Some(key)) => {
                if let Ok(mut value) = reqwest::header::HeaderValue::try_from(key.as_str()) {
                    value.set_sensitive(true);
                    request = request.header(*name, value);
                }
            }
            (Some(Auth::ApiKeyCookie(name)), Some(key)) => {
                if let Ok(mut value) =
                    reqwest::header::HeaderValue::try_from(format!("{name}={key}"))
                {
                    value.set_sensitive(true);
                    request = request.header(reqwest::header::COOKIE, value);
                }
            }
            _ => {}
        }
        for (name, value) in &options.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        request
    }

    /// Sends `request` and decodes a 2xx JSON body as `T`.
    #[allow(dead_code, reason = "only APIs with JSON responses use it")]
    pub(crate) async fn send_json<T, E>(
        &self,
        request: reqwest::RequestBuilder,
        options: &RequestOptions,
    ) -> Result<Response<T>, Error<E>>
    where
        T: DeserializeOwned,
        E: DeserializeOwned,
    {
        let mut response = self.execute(request, options).await?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await.map_err(Error::from_reqwest)?;
        let body = decode(status, &body).map_err(|e| Error::Decode(Box::new(e)))?;
        Ok(Response {
            status,
            headers,
            body,
        })
    }

    /// Sends `request`; a 2xx JSON body decodes as `Some(T)`, an empty one is `None`.
    #[allow(dead_code, reason = "only APIs with optional response bodies use it")]
    pub(crate) async fn send_json_or_empty<T, E>(
        &self,
        request: reqwest::RequestBuilder,
        options: &RequestOptions,
    ) -> Result<Response<Option<T>>, Error<E>>
    where
        T: DeserializeOwned,
        E: DeserializeOwned,
    {
        let (status, headers, body) = self.send_bytes::<E>(request, options).await?.into_parts();
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Response {
                status,
                headers,
                body: None,
            });
        }
        let body = decode(status, &body).map_err(|e| Error::Decode(Box::new(e)))?;
        Ok(Response {
            status,
            headers,
            body: Some(body),
        })
    }

    /// Sends `request` and reads a 2xx body as text (invalid UTF-8 replaced).
    #[allow(dead_code, reason = "only APIs with text responses use it")]
    pub(crate) async fn send_text<E>(
        &self,
        request: reqwest::RequestBuilder,
        options: &RequestOptions,
    ) -> Result<Response<String>, Error<E>>
    where
        E: DeserializeOwned,
    {
        let (status, headers, body) = self.send_bytes::<E>(request, options).await?.into_parts();
        Ok(Response {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }

    /// Sends `request` and returns a 2xx body as bytes.
    #[allow(dead_code, reason = "only APIs with binary responses use it")]
    pub(crate) async fn send_bytes<E>(
        &self,
        request: reqwest::RequestBuilder,
        options: &RequestOptions,
    ) -> Result<Response<Vec<u8>>, Error<E>>
    where
        E: DeserializeOwned,
    {
        let mut response = self.execute(request, options).await?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await.map_err(Error::from_reqwest)?;
        Ok(Response {
            status,
            headers,
            body: body.to_vec(),
        })
    }

    /// Sends `request` and ignores a 2xx body.
    #[allow(dead_code, reason = "only APIs with bodiless responses use it")]
    pub(crate) async fn send_empty<E>(
        &self,
        request: reqwest::RequestBuilder,
        options: &RequestOptions,
    ) -> Result<Response<()>, Error<E>>
    where
        E: DeserializeOwned,
    {
        let mut response = self.execute(request, options).await?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        Ok(Response {
            status,
            headers,
            body: (),
        })
    }

    /// Sends `request`, retrying idempotent ones on connection errors, 408, 429 and 5xx;
    /// a final status outside 2xx becomes [`Error::Api`] or [`Error::RateLimited`].
    async fn execute<E>(
        &self,
        request: reqwest::RequestBuilder,
        options: &RequestOptions,
    ) -> Result<reqwest::Response, Error<E>>
    where
        E: DeserializeOwned,
    {
        let (client, request) = request.build_split();
        let request = request.map_err(Error::from_reqwest)?;
        let retry = RetryPolicy {
            max_retries: options.max_retries.unwrap_or(self.inner.retry.max_retries),
            ..self.inner.retry
        };
        // Retrying is only safe when a second delivery changes nothing.
        let idempotent = matches!(
            *request.method(),
            reqwest::Method::GET
                | reqwest::Method::HEAD
                | reqwest::Method::PUT
                | reqwest::Method::DELETE
                | reqwest::Method::OPTIONS
                | reqwest::Method::TRACE
        );
        let mut spare = Some(request);
        let mut attempt = 0u32;
        loop {
            let retries_left = idempotent && attempt < retry.max_retries;
            // Keep the original for a later attempt while one may follow.
            let (current, can_retry) = match spare.as_ref().and_then(|r| r.try_clone()) {
                Some(copy) if retries_left => (copy, true),
                _ => match spare.take() {
                    Some(last) => (last, false),
                    None => unreachable_request()?,
                },
            };
            match client.execute(current).await {
                Ok(response) if response.status().is_success() => return Ok(response),
                Ok(mut response) => {
                    let status = response.status();
                    let headers = std::mem::take(response.headers_mut());
                    let retryable = matches!(status.as_u16(), 408 | 429 | 500..=599);
                    if can_retry && retryable {
                        let delay = retry_after(&headers)
                            .map(|d| d.min(retry.max_retry_after))
                            .unwrap_or_else(|| retry.backoff(attempt));
                        let (method, path) = describe(spare.as_ref());
                        tracing::warn!(
                            %method, path, attempt = attempt + 1, status = status.as_u16(),
                            delay_ms = delay.as_millis() as u64, "retrying request"
                        );
                        // Drain the body so the connection can be reused.
                        let _ = response.bytes().await;
                        tokio::time::sleep(delay).await;
                        attempt += 1;
                        continue;
                    }
                    let body = response.bytes().await.map_err(Error::from_reqwest)?;
                    let error = Box::new(ApiError::new(status, headers, &body));
                    return Err(if status == reqwest::StatusCode::TOO_MANY_REQUESTS {
                        Error::RateLimited(error)
                    } else {
                        Error::Api(error)
                    });
                }
                Err(error)
                    if can_retry
                        && (error.is_connect() || error.is_request())
                        && !error.is_timeout() =>
                {
                    let delay = retry.backoff(attempt);
                    let (method, path) = describe(spare.as_ref());
                    tracing::warn!(
                        %method, path, attempt = attempt + 1, error = %error.without_url(),
                        delay_ms = delay.as_millis() as u64, "retrying request"
                    );
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                Err(error) => return Err(Error::from_reqwest(error)),
            }
        }
    }
}

/// Method and path (never the query, which may hold a key) for a retry's log line; only
/// computed when a retry happens.
fn describe(request: Option<&reqwest::Request>) -> (String, String) {
    request.map_or_else(Default::default, |r| {
        (r.method().to_string(), r.url().path().to_owned())
    })
}

/// The loop above always keeps a request for its last attempt; this is the typed answer
/// should that ever not hold, instead of a panic.
fn unreachable_request<T, E>() -> Result<T, Error<E>> {
    Err(Error::InvalidRequest(
        "internal: no request left to send".to_owned(),
    ))
}

/// `Retry-After` as seconds or an HTTP-date, as a duration from now.
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = u64::try_from(at.timestamp()).ok()?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    Some(Duration::from_secs(at.saturating_sub(now)))
}

/// A credential an operation accepts (its `security`).
#[derive(Debug, Clone, Copy)]
#[allow(dead_code, reason = "an API uses only some kinds of credentials")]
pub(crate) enum Auth {
    Bearer,
    Basic,
    /// An API key in the named header.
    ApiKeyHeader(&'static str),
    /// An API key in the named query parameter (HubSpot's legacy `hapikey`).
    ApiKeyQuery(&'static str),
    /// An API key in the named cookie.
    ApiKeyCookie(&'static str),
}

/// Checks a path segment built from a parameter value. URL parsers resolve `.` and `..`
/// segments (also percent-encoded), and an empty one changes the route, so such values are
/// refused rather than sent somewhere else.
#[allow(dead_code, reason = "only APIs with path parameters use it")]
pub(crate) fn path_segment(segment: &str) -> Result<&str, InvalidPath> {
    match segment {
        "" | "." | ".." => Err(InvalidPath(format!(
            "`{segment}` cannot be sent as a path segment"
        ))),
        ok => Ok(ok),
    }
}

/// A path parameter value that cannot be sent; becomes [`Error::InvalidRequest`].
#[derive(Debug)]
pub(crate) struct InvalidPath(String);

impl<E> From<InvalidPath> for Error<E> {
    fn from(e: InvalidPath) -> Self {
        Error::InvalidRequest(e.0)
    }
}

/// Per-request settings every operation builder carries: extra headers and query
/// parameters, and overrides of the client's timeout and retry count.
#[derive(Clone, Default)]
pub(crate) struct RequestOptions {
    headers: Vec<(String, String)>,
    query: Vec<(String, String)>,
    timeout: Option<Duration>,
    max_retries: Option<u32>,
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values may be credentials; names are enough to debug with.
        let headers: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("RequestOptions")
            .field("headers", &headers)
            .field("query", &self.query)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .finish()
    }
}

/// The per-request setters of an operation builder (a type with an `options` field).
#[allow(unused_macros, reason = "an API without operations has no builders")]
macro_rules! request_options {
    ($builder:ident) => {
        impl $builder {
            /// Adds a header to this request only (e.g. an idempotency key).
            pub fn header(
                mut self,
                name: impl ::std::convert::Into<::std::string::String>,
                value: impl ::std::convert::Into<::std::string::String>,
            ) -> Self {
                self.options.push_header(name.into(), value.into());
                self
            }

            /// Adds a query parameter to this request only.
            pub fn query(
                mut self,
                name: impl ::std::convert::Into<::std::string::String>,
                value: impl ::std::convert::Into<::std::string::String>,
            ) -> Self {
                self.options.push_query(name.into(), value.into());
                self
            }

            /// Overrides the client's timeout for this request.
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.options.set_timeout(timeout);
                self
            }

            /// Overrides the client's retry count for this request (0 disables retries).
            pub fn max_retries(mut self, max_retries: u32) -> Self {
                self.options.set_max_retries(max_retries);
                self
            }
        }
    };
}
#[allow(unused_imports, reason = "an API without operations has no builders")]
pub(crate) use request_options;

#[allow(dead_code, reason = "an API without operations has no builders")]
impl RequestOptions {
    pub(crate) fn push_header(&mut self, name: String, value: String) {
        self.headers.push((name, value));
    }

    pub(crate) fn push_query(&mut self, name: String, value: String) {
        self.query.push((name, value));
    }

    pub(crate) fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = Some(timeout);
    }

    pub(crate) fn set_max_retries(&mut self, max_retries: u32) {
        self.max_retries = Some(max_retries);
    }
}

/// Decodes on the fast path; only a failure pays for a second pass that finds the path
/// of the failing field.
fn decode<T: DeserializeOwned>(status: reqwest::StatusCode, body: &[u8]) -> Result<T, DecodeError> {
    match serde_json::from_slice(body) {
        Ok(value) => Ok(value),
        Err(_) => {
            let mut deserializer = serde_json::Deserializer::from_slice(body);
            let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
                let path = e.path().to_string();
                DecodeError::new(status, path, e.into_inner(), body)
            })?;
            // Trailing bytes after a complete value are as wrong as a broken value.
            deserializer
                .end()
                .map_err(|e| DecodeError::new(status, ".".to_owned(), e, body))?;
            Ok(value)
        }
    }
}

/// Configures a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    bearer_token: Option<String>,
    basic_auth: Option<(String, String)>,
    api_key: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: Option<String>,
    http_client: Option<reqwest::Client>,
    max_retries: Option<u32>,
    initial_backoff: Option<Duration>,
    max_backoff: Option<Duration>,
    max_retry_after: Option<Duration>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field(
                "bearer_token",
                &self.bearer_token.as_ref().map(|_| "<redacted>"),
            )
            .field(
                "basic_auth",
                &self.basic_auth.as_ref().map(|_| "<redacted>"),
            )
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("http_client", &self.http_client.is_some())
            .field("max_retries", &self.max_retries)
            .finish()
    }
}

impl ClientBuilder {
    /// The server to talk to; defaults to the first server in the API description.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sent as `Authorization: Bearer <token>` on operations that accept it.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer_token = Some(token.into());
        self
    }

    /// Sent as `Authorization: Basic …` on operations that accept HTTP basic auth.
    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.basic_auth = Some((user.into(), password.into()));
        self
    }

    /// Sent in the header, query parameter or cookie that operations accepting an API key
    /// name (e.g. `hapikey`).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The limit for a whole request, from connecting to reading the body (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The limit for establishing a connection (default 10 s); ignored with
    /// [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header; ignored with [`http_client`](Self::http_client).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Uses the caller's own `reqwest::Client` (its pool, proxy and TLS settings).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// How often an idempotent request is retried after a connection error, 408, 429 or
    /// 5xx (default 2; 0 disables retries).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// The backoff before the first retry (default 500 ms) and the most any backoff
    /// grows to (default 8 s); each wait is drawn uniformly below the doubling ceiling.
    pub fn retry_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = Some(initial);
        self.max_backoff = Some(max);
        self
    }

    /// The longest `Retry-After` the client waits for before a retry (default 60 s).
    pub fn max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = Some(max);
        self
    }

    pub fn build(self) -> Result<Client, BuildError> {
        let base = self
            .base_url
            .or_else(|| crate::DEFAULT_BASE_URL.map(str::to_owned))
            .ok_or(BuildError::NoBaseUrl)?;
        let base_url = reqwest::Url::parse(&base).map_err(|e| BuildError::InvalidBaseUrl {
            url: base.clone(),
            reason: e.to_string(),
        })?;
        if base_url.cannot_be_a_base() || !matches!(base_url.scheme(), "http" | "https") {
            return Err(BuildError::InvalidBaseUrl {
                url: base,
                reason: "expected an http or https URL".to_owned(),
            });
        }
        let authorization = match self.bearer_token {
            Some(token) => {
                let mut value = reqwest::header::HeaderValue::try_from(format!("Bearer {token}"))
                    .map_err(|_| BuildError::InvalidToken)?;
                value.set_sensitive(true);
                Some(value)
            }
            None => None,
        };
        let basic = match self.basic_auth {
            Some((user, password)) => {
                let encoded = base64(format!("{user}:{password}").as_bytes());
                let mut value = reqwest::header::HeaderValue::try_from(format!("Basic {encoded}"))
                    .map_err(|_| BuildError::InvalidToken)?;
                value.set_sensitive(true);
                Some(value)
            }
            None => None,
        };
        if let Some(key) = &self.api_key
            && reqwest::header::HeaderValue::try_from(key.as_str()).is_err()
        {
            return Err(BuildError::InvalidToken);
        }
        let http = match self.http_client {
            Some(client) => client,
            None => {
                install_crypto_provider();
                let user_agent = self.user_agent.unwrap_or_else(|| {
                    concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_owned()
                });
                let user_agent = reqwest::header::HeaderValue::try_from(user_agent)
                    .map_err(|_| BuildError::InvalidUserAgent)?;
                reqwest::Client::builder()
                    .user_agent(user_agent)
                    .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                    .build()
                    .map_err(BuildError::Http)?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                authorization,
                basic,
                api_key: self.api_key,
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                retry: RetryPolicy {
                    max_retries: self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
                    initial_backoff: self.initial_backoff.unwrap_or(DEFAULT_INITIAL_BACKOFF),
                    max_backoff: self.max_backoff.unwrap_or(DEFAULT_MAX_BACKOFF),
                    max_retry_after: self.max_retry_after.unwrap_or(DEFAULT_MAX_RETRY_AFTER),
                },
            }),
        })
    }
}

/// reqwest is built with rustls but no bundled crypto provider (aws-lc-rs is a slow C
/// build); ring is installed process-wide unless the application installed one first.
fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // An `Err` means another thread installed one meanwhile, which is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// Standard base64 with padding, for the one header that needs it.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
