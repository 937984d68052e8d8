//! The client every operation goes through: configuration, authentication, sending and
//! decoding.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::budget::Budget;
use crate::error::{ApiError, BuildError, DecodeError, Error, ErrorBody};
use crate::limit::{Limits, Permit, later};
use crate::params::Query;
use crate::response::Response;
// @when stream
use crate::stream::ByteStream;
// @end

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_MAX_RETRIES: u32 = 2;
const DEFAULT_INITIAL_BACKOFF: Duration = Duration::from_millis(500);
const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(8);
const DEFAULT_MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
const DEFAULT_TOTAL_TIMEOUT: Duration = Duration::from_secs(120);
const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;
/// An error body beyond this is cut (and marked so): it is kept in memory with the error.
/// A retried response's body is read as far (so its connection can be reused), no further.
const MAX_ERROR_BODY_BYTES: u64 = 64 * 1024;
/// Same-origin redirects followed before giving up.
const MAX_REDIRECTS: usize = 5;

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
    /// Whose base URL requests go to: a crate made of several specs has one per module.
    api: usize,
}

struct Inner {
    http: reqwest::Client,
    /// One per API of the crate, in the order of `crate::about::BASE_URLS`; `None` for an API
    /// whose description names no server when none was set.
    base_urls: Vec<Option<reqwest::Url>>,
    /// `Bearer <token>`, marked sensitive so `reqwest` never prints it.
    authorization: Option<reqwest::header::HeaderValue>,
    /// `Basic <base64>`, marked sensitive.
    basic: Option<reqwest::header::HeaderValue>,
    api_key: Option<String>,
    timeout: Duration,
    /// The per-attempt timeout `http` applies by itself: set when this client built it.
    /// A timeout set per request costs reqwest an extension map (three allocations, and
    /// three more for the copy kept for a retry), so it is set only where it differs.
    http_timeout: Option<Duration>,
    total_timeout: Duration,
    max_response_bytes: u64,
    retry: RetryPolicy,
    limits: Limits,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url().map(reqwest::Url::as_str))
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
            .field("total_timeout", &self.inner.total_timeout)
            .field("max_response_bytes", &self.inner.max_response_bytes)
            .field("max_retries", &self.inner.retry.max_retries)
            .field("limits", &self.inner.limits)
            .finish()
    }
}

impl Client {
    /// Configures a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The URL every request path is appended to (`None` only for an API of a crate made
    /// of several specs whose description names no server, when none was set for it).
    pub fn base_url(&self) -> Option<&reqwest::Url> {
        self.inner.base_urls.get(self.api).and_then(Option::as_ref)
    }

    // @when family
    /// The same client, sending to the base URL of API number `api` of the crate.
    pub(crate) fn for_api(&self, api: usize) -> Client {
        Client {
            inner: Arc::clone(&self.inner),
            api,
        }
    }
    // @end

    /// The base URL with `segments` appended (each percent-encoded as one segment) and
    /// `query` appended as `key=value` pairs.
    ///
    /// Segments are encoded here, not by the URL parser: it drops tabs and line breaks, so
    /// `"..\t"` would become `..` after the dot check. The path is then compared with what
    /// the URL will actually hold, so no value can add, remove or merge segments.
    #[allow(dead_code, reason = "an API without operations never builds a URL")]
    pub(crate) fn url(
        &self,
        segments: &[&str],
        query: &Query<'_>,
        options: &RequestOptions,
    ) -> Result<reqwest::Url, InvalidInput> {
        // @when paging_next_url
        if let Some(next) = &options.next_url {
            return Ok(next.clone());
        }
        // @end
        let mut url = self.base_url().cloned().ok_or_else(|| {
            InvalidInput(
                "this API's description names no server: set its base URL on the ClientBuilder"
                    .to_owned(),
            )
        })?;
        let base = url.path();
        let base = base.strip_suffix('/').unwrap_or(base);
        // Room for the unencoded segments: most need no encoding, so the path is not regrown.
        let mut path =
            String::with_capacity(base.len() + segments.iter().map(|s| s.len() + 1).sum::<usize>());
        path.push_str(base);
        for segment in segments {
            path.push('/');
            path.extend(percent_encoding::utf8_percent_encode(segment, PATH_SEGMENT));
        }
        url.set_path(&path);
        if url.path() != path {
            return Err(InvalidInput(
                "a path parameter value would change the request's path".to_owned(),
            ));
        }
        if !query.pairs.is_empty() || !options.query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(query.pairs.iter().map(|(k, v)| (k, v)))
                .extend_pairs(options.query.iter().map(|(k, v)| (k, v)));
        }
        Ok(url)
    }

    #[allow(dead_code, reason = "an API without operations never sends a request")]
    pub(crate) fn request(
        &self,
        method: reqwest::Method,
        mut url: reqwest::Url,
        auth: &[Auth],
        options: &RequestOptions,
    ) -> Result<reqwest::RequestBuilder, InvalidInput> {
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
        let mut request = self.inner.http.request(method, url);
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
                let key = crate::params::cookie_value(key);
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
            if owned_header(name, credential) {
                return Err(InvalidInput(format!(
                    "the header `{name}` is set by the client and cannot be set per request"
                )));
            }
            request = request.header(name.as_str(), value.as_str());
        }
        Ok(request)
    }

    /// Sends the request `operation` makes and decodes a 2xx JSON body as `T`.
    #[allow(dead_code, reason = "only APIs with JSON responses use it")]
    pub(crate) fn send_json<'a, T, E>(
        &'a self,
        operation: &'a dyn Operation<Error = E>,
        options: &RequestOptions,
    ) -> impl Future<Output = Result<Response<T>, Error<E>>>
    where
        T: DeserializeOwned,
        E: ErrorBody,
    {
        self.send_read(operation, options, |status, body, budget| {
            decode(status, &body, budget).map_err(|e| Error::Decode(Box::new(e)))
        })
    }

    /// Sends the request `operation` makes; a 2xx JSON body decodes as `Some(T)`, an empty
    /// one is `None`.
    #[allow(dead_code, reason = "only APIs with optional response bodies use it")]
    pub(crate) fn send_json_or_empty<'a, T, E>(
        &'a self,
        operation: &'a dyn Operation<Error = E>,
        options: &RequestOptions,
    ) -> impl Future<Output = Result<Response<Option<T>>, Error<E>>>
    where
        T: DeserializeOwned,
        E: ErrorBody,
    {
        self.send_read(operation, options, |status, body, budget| {
            if body.iter().all(u8::is_ascii_whitespace) {
                return Ok(None);
            }
            decode(status, &body, budget)
                .map(Some)
                .map_err(|e| Error::Decode(Box::new(e)))
        })
    }

    /// Sends the request `operation` makes and reads a 2xx body as text (invalid UTF-8
    /// replaced).
    #[allow(dead_code, reason = "only APIs with text responses use it")]
    pub(crate) fn send_text<'a, E>(
        &'a self,
        operation: &'a dyn Operation<Error = E>,
        options: &RequestOptions,
    ) -> impl Future<Output = Result<Response<String>, Error<E>>>
    where
        E: ErrorBody,
    {
        self.send_read(operation, options, |_, body, _| {
            Ok(String::from_utf8_lossy(&body).into_owned())
        })
    }

    /// Sends the request `operation` makes and returns a 2xx body as bytes.
    #[allow(dead_code, reason = "only APIs with binary responses use it")]
    pub(crate) fn send_bytes<'a, E>(
        &'a self,
        operation: &'a dyn Operation<Error = E>,
        options: &RequestOptions,
    ) -> impl Future<Output = Result<Response<Vec<u8>>, Error<E>>>
    where
        E: ErrorBody,
    {
        self.send_read(operation, options, |_, body, _| Ok(body.into()))
    }

    /// Sends the request `operation` makes, reads a 2xx body whole and makes it a `T` with
    /// `finish` (a plain function: nothing more is instantiated per caller than the `T` it
    /// returns).
    #[allow(dead_code, reason = "only APIs with response bodies use it")]
    fn send_read<'a, T, E>(
        &'a self,
        operation: &'a dyn Operation<Error = E>,
        options: &RequestOptions,
        finish: fn(reqwest::StatusCode, bytes::Bytes, &Budget) -> Result<T, Error<E>>,
    ) -> impl Future<Output = Result<Response<T>, Error<E>>>
    where
        E: ErrorBody,
    {
        let mut call = self.call(operation, options);
        Box::pin(async move {
            let (status, headers, body) = call.read().await?.into_parts();
            // What decoding may allocate: 8 × the body limit (a list of `{}` into wide
            // structs is ~100 × its bytes; see `max_response_bytes`).
            let budget = Budget::new(call.max_response_bytes.saturating_mul(8));
            Ok(Response {
                status,
                headers,
                body: finish(status, body, &budget)?,
            })
        })
    }

    // @when stream
    /// Sends the request `operation` makes and hands over a 2xx body as a stream of chunks,
    /// with no size limit (the request's timeouts still apply while it is read).
    #[allow(dead_code, reason = "only APIs with binary responses use it")]
    pub(crate) fn send_stream<'a, E>(
        &'a self,
        operation: &'a dyn Operation<Error = E>,
        options: &RequestOptions,
    ) -> impl Future<Output = Result<Response<ByteStream<E>>, Error<E>>>
    where
        E: ErrorBody,
    {
        let mut call = self.call(operation, options);
        Box::pin(async move {
            let (mut response, _) = call.execute().await?;
            let status = response.status();
            let headers = std::mem::take(response.headers_mut());
            Ok(Response {
                status,
                headers,
                body: ByteStream::new(response),
            })
        })
    }
    // @end

    /// Sends the request `operation` makes and ignores a 2xx body.
    #[allow(dead_code, reason = "only APIs with bodiless responses use it")]
    pub(crate) fn send_empty<'a, E>(
        &'a self,
        operation: &'a dyn Operation<Error = E>,
        options: &RequestOptions,
    ) -> impl Future<Output = Result<Response<()>, Error<E>>>
    where
        E: ErrorBody,
    {
        let mut call = self.call(operation, options);
        Box::pin(async move {
            let (mut response, _) = call.execute().await?;
            let status = response.status();
            let headers = std::mem::take(response.headers_mut());
            Ok(Response {
                status,
                headers,
                body: (),
            })
        })
    }

    /// What a call needs, prepared before its future exists.
    ///
    /// The `send_*` functions return a future that owns the one [`Call`] and lends it to
    /// the steps it awaits. As `async fn`s taking the request, each level kept its own
    /// copy of it to the end and the step it awaited besides: one call's future was 3.6 kB.
    /// It is also boxed (one allocation per call), so that an operation's `send()` stays
    /// small (a few hundred bytes, whatever the operation): a big future is slower to spawn and to
    /// move, which showed at 32 calls at a time (the README's request overhead).
    fn call<'a, E>(
        &'a self,
        operation: &'a dyn Operation<Error = E>,
        options: &RequestOptions,
    ) -> Call<'a, E> {
        Call {
            inner: &self.inner,
            operation,
            max_retries: options.max_retries.unwrap_or(self.inner.retry.max_retries),
            timeout: options.timeout.unwrap_or(self.inner.timeout),
            total_timeout: options.total_timeout.unwrap_or(self.inner.total_timeout),
            max_response_bytes: options
                .max_response_bytes
                .unwrap_or(self.inner.max_response_bytes),
        }
    }
}

/// A request builder of the crate: it makes its operation's request, once for the first
/// attempt and again for each retry. Nothing is kept for a retry that almost never comes —
/// a copy of every request (its URL and headers: three allocations) measured 3 points of
/// the overhead at 32 calls at a time — and the runtime takes it as `dyn`, so nothing is
/// instantiated per operation.
pub(crate) trait Operation: Sync {
    /// The operation's error body.
    type Error;

    /// The request one attempt sends.
    fn request(&self) -> Result<reqwest::RequestBuilder, Error<Self::Error>>;
}

/// One call: how to make its request and the options that apply to it.
struct Call<'a, E> {
    inner: &'a Inner,
    operation: &'a dyn Operation<Error = E>,
    max_retries: u32,
    timeout: Duration,
    total_timeout: Duration,
    max_response_bytes: u64,
}

impl<E> Call<'_, E>
where
    E: ErrorBody,
{
    /// Sends the request and reads a 2xx body whole, up to the response size limit.
    async fn read(&mut self) -> Result<Response<bytes::Bytes>, Error<E>> {
        // The place among calls in progress is kept while the body is read.
        let (mut response, _permit) = self.execute().await?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let limit = self.max_response_bytes;
        match read_limited(response, limit)
            .await
            .map_err(Error::from_reqwest)?
        {
            Some(body) => Ok(Response {
                status,
                headers,
                body,
            }),
            None => Err(Error::ResponseTooLarge { status, limit }),
        }
    }

    /// Sends the request, retrying idempotent ones on connection errors, 408, 429 and 5xx;
    /// a final status outside 2xx becomes [`Error::Api`] or [`Error::RateLimited`]. Every
    /// attempt and every wait ends by the call's total deadline. Each attempt starts when
    /// the client's rate limit allows; the call holds its place among the calls in
    /// progress (the returned permit) from the first attempt on.
    async fn execute(&mut self) -> Result<(reqwest::Response, Permit), Error<E>> {
        let (mut http, mut request) = self.request()?;
        let retry = RetryPolicy {
            max_retries: self.max_retries,
            ..self.inner.retry
        };
        let total = self.total_timeout;
        let deadline = later(tokio::time::Instant::now(), total);
        let limits = &self.inner.limits;
        let permit = limits
            .enter(deadline)
            .await
            .map_err(|_| Error::Throttled { wait: total })?;
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
        let mut attempt = 0u32;
        loop {
            let slot = limits
                .start(deadline)
                .await
                .map_err(|no| Error::Throttled { wait: no.wait })?;
            let can_retry = idempotent && attempt < retry.max_retries;
            // The attempt's own timeout, cut to what is left of the whole call's.
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let timeout = self.timeout.min(left);
            if self.inner.http_timeout != Some(timeout) {
                *request.timeout_mut() = Some(timeout);
            }
            let result = http.execute(request).await;
            if let Ok(response) = &result {
                limits.observe(response.headers());
            }
            drop(slot);
            match result {
                Ok(response) if response.status().is_success() => {
                    return Ok((response, permit));
                }
                Ok(mut response) => {
                    let status = response.status();
                    let retryable = matches!(status.as_u16(), 408 | 429 | 500..=599);
                    let headers = std::mem::take(response.headers_mut());
                    let delay = (can_retry && retryable).then(|| {
                        retry_after(&headers)
                            .map(|d| d.min(retry.max_retry_after))
                            .unwrap_or_else(|| retry.backoff(attempt))
                    });
                    // A wait must start by this moment to end before the deadline: the
                    // body is read (a little, so the connection can be reused) only until
                    // then, and a wait that no longer fits is not started — the error
                    // (with its `Retry-After`) is the answer now.
                    let start_by = delay.and_then(|delay| deadline.checked_sub(delay));
                    let read = Box::pin(read_prefix(response, MAX_ERROR_BODY_BYTES));
                    let (body, truncated) = match (delay, start_by) {
                        (None, _) => read.await.map_err(Error::from_reqwest)?,
                        (Some(_), Some(start_by)) => tokio::time::timeout_at(start_by, read)
                            .await
                            .ok()
                            .and_then(Result::ok)
                            .unwrap_or((Vec::new(), true)),
                        (Some(_), None) => (Vec::new(), true),
                    };
                    if let (Some(delay), Some(start_by)) = (delay, start_by)
                        && tokio::time::Instant::now() < start_by
                    {
                        (http, request) = self.request()?;
                        tracing::warn!(
                            method = %request.method(), path = request.url().path(),
                            attempt = attempt + 1, status = status.as_u16(),
                            delay_ms = delay.as_millis() as u64, "retrying request"
                        );
                        tokio::time::sleep(delay).await;
                        attempt += 1;
                        continue;
                    }
                    let error = Box::new(ApiError::new(status, headers, &body, truncated));
                    return Err(if status == reqwest::StatusCode::TOO_MANY_REQUESTS {
                        Error::RateLimited(error)
                    } else {
                        Error::Api(error)
                    });
                }
                Err(error)
                    if can_retry
                        && (error.is_connect() || error.is_request())
                        && !error.is_timeout()
                        && !error.is_redirect() =>
                {
                    let delay = retry.backoff(attempt);
                    if later(tokio::time::Instant::now(), delay) >= deadline {
                        return Err(Error::from_reqwest(error));
                    }
                    (http, request) = self.request()?;
                    tracing::warn!(
                        method = %request.method(), path = request.url().path(),
                        attempt = attempt + 1, error = %error.without_url(),
                        delay_ms = delay.as_millis() as u64, "retrying request"
                    );
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                Err(error) => return Err(Error::from_reqwest(error)),
            }
        }
    }

    /// The request for one attempt, made anew each time (the log line of a retry names its
    /// method and path, never the query, which may hold a key).
    fn request(&self) -> Result<(reqwest::Client, reqwest::Request), Error<E>> {
        let (http, request) = self.operation.request()?.build_split();
        let mut request = request.map_err(Error::from_reqwest)?;
        merge_cookie_headers(request.headers_mut());
        Ok((http, request))
    }
}

/// Reads a whole body, or `None` as soon as it is longer than `limit` bytes: nothing past
/// the limit is buffered.
async fn read_limited(
    mut response: reqwest::Response,
    limit: u64,
) -> Result<Option<bytes::Bytes>, reqwest::Error> {
    if let Some(length) = response.content_length() {
        if length > limit {
            return Ok(None);
        }
        // The HTTP layer reads no more than the declared length.
        return response.bytes().await.map(Some);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if (body.len() + chunk.len()) as u64 > limit {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body.into()))
}

/// At most `limit` bytes of a body, and whether there was more.
async fn read_prefix(
    mut response: reqwest::Response,
    limit: u64,
) -> Result<(Vec<u8>, bool), reqwest::Error> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = limit - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok((body, true));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body, false))
}

/// RFC 6265 allows one `Cookie` header; an API-key cookie and cookie parameters are joined.
fn merge_cookie_headers(headers: &mut reqwest::header::HeaderMap) {
    use reqwest::header::{COOKIE, Entry, HeaderValue};
    if let Entry::Occupied(entry) = headers.entry(COOKIE) {
        if entry.iter().nth(1).is_none() {
            return;
        }
        let (_, values) = entry.remove_entry_mult();
        let mut joined = Vec::new();
        for value in values {
            if !joined.is_empty() {
                joined.extend_from_slice(b"; ");
            }
            joined.extend_from_slice(value.as_bytes());
        }
        if let Ok(mut value) = HeaderValue::from_bytes(&joined) {
            value.set_sensitive(true);
            headers.insert(COOKIE, value);
        }
    }
}

/// Whether a per-request header would replace or duplicate one the client sets itself.
fn owned_header(name: &str, credential: Option<&Auth>) -> bool {
    let is = |other: &str| name.trim().eq_ignore_ascii_case(other);
    is("host")
        || is("content-length")
        || is("transfer-encoding")
        || match credential {
            Some(Auth::Bearer | Auth::Basic) => is("authorization"),
            Some(Auth::ApiKeyHeader(header)) => is(header),
            Some(Auth::ApiKeyCookie(_)) => is("cookie"),
            Some(Auth::ApiKeyQuery(_)) | None => false,
        }
}

/// The characters a path segment cannot carry as they are: controls (which URL parsers
/// drop), separators (`/`, and `\` in http URLs), `%` itself, and what the URL standard
/// escapes in paths.
const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// The redirect rule: follow only to the same scheme, host and port (so credentials and
/// per-request headers never reach another origin, nor travel downgraded to plain HTTP),
/// at most [`MAX_REDIRECTS`] times; anything else becomes [`Error::Redirect`].
fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        // A location with `user:password@` would add a Basic `Authorization` of the
        // server's choosing: not the same origin either.
        let same_origin = attempt.previous().first().is_some_and(|first| {
            let next = attempt.url();
            first.scheme() == next.scheme()
                && first.host_str() == next.host_str()
                && first.port_or_known_default() == next.port_or_known_default()
                && next.username().is_empty()
                && next.password().is_none()
        });
        if !same_origin {
            let location = attempt.url().to_string();
            attempt.error(RedirectRefused {
                location,
                reason: "it leads to another origin",
            })
        } else if attempt.previous().len() > MAX_REDIRECTS {
            let location = attempt.url().to_string();
            attempt.error(RedirectRefused {
                location,
                reason: "too many redirects",
            })
        } else {
            attempt.follow()
        }
    })
}

/// Why a redirect was not followed; read back out of reqwest's error by
/// [`Error::from_reqwest`].
#[derive(Debug)]
pub(crate) struct RedirectRefused {
    pub(crate) location: String,
    pub(crate) reason: &'static str,
}

impl fmt::Display for RedirectRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "redirect to `{}` not followed: {}",
            self.location, self.reason
        )
    }
}

impl std::error::Error for RedirectRefused {}

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
    /// An API key in the named query parameter.
    ApiKeyQuery(&'static str),
    /// An API key in the named cookie.
    ApiKeyCookie(&'static str),
}

/// Checks a path segment built from a parameter value. URL parsers resolve `.` and `..`
/// segments (also percent-encoded), servers in the Tomcat and Spring line read `..;x` as
/// `..` (what follows `;` is a path parameter to them), and an empty segment changes the
/// route, so such values are refused rather than sent somewhere else.
#[allow(dead_code, reason = "only APIs with path parameters use it")]
pub(crate) fn path_segment(segment: &str) -> Result<&str, InvalidInput> {
    let head = segment.split(';').next().unwrap_or_default();
    if segment.is_empty() || head == "." || head == ".." {
        return Err(InvalidInput(format!(
            "`{}` cannot be sent as a path segment",
            crate::error::Inert(segment)
        )));
    }
    Ok(segment)
}

/// A parameter value or per-request setting that cannot be sent; becomes
/// [`Error::InvalidRequest`].
#[derive(Debug)]
pub(crate) struct InvalidInput(String);

impl<E> From<InvalidInput> for Error<E> {
    fn from(e: InvalidInput) -> Self {
        Error::InvalidRequest(e.0)
    }
}

/// A header or cookie parameter's value, which `Debug` never shows (it may be a
/// credential).
#[derive(Clone)]
#[allow(
    dead_code,
    reason = "only APIs with header or cookie parameters use it"
)]
pub(crate) struct Redacted<T>(pub(crate) T);

impl<T> fmt::Debug for Redacted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A text or bytes request body, shared by every attempt of a call; `Debug` shows its
/// length, not its bytes (an upload can be any size).
#[derive(Clone)]
#[allow(
    dead_code,
    reason = "only APIs with text or bytes request bodies use it"
)]
pub(crate) struct RawBody(pub(crate) bytes::Bytes);

impl fmt::Debug for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0.len())
    }
}

/// Per-request settings every operation builder carries: extra headers and query
/// parameters, and overrides of the client's timeouts, retry count and size limit.
#[derive(Clone, Default)]
pub(crate) struct RequestOptions {
    headers: Vec<(String, String)>,
    query: Vec<(String, String)>,
    timeout: Option<Duration>,
    total_timeout: Option<Duration>,
    max_retries: Option<u32>,
    max_response_bytes: Option<u64>,
    // @when paging_next_url
    /// The next page's URL from a `Link` header, used as it is (same origin, checked).
    pub(crate) next_url: Option<reqwest::Url>,
    // @end
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header and query values may be credentials; names are enough to debug with.
        let headers: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        let query: Vec<&str> = self.query.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("RequestOptions")
            .field("headers", &headers)
            .field("query", &query)
            .field("timeout", &self.timeout)
            .field("total_timeout", &self.total_timeout)
            .field("max_retries", &self.max_retries)
            .field("max_response_bytes", &self.max_response_bytes)
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

            /// Overrides the client's per-attempt timeout for this request.
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.options.set_timeout(timeout);
                self
            }

            /// Overrides the client's deadline for this whole call, retries and waits
            /// included.
            pub fn total_timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.options.set_total_timeout(timeout);
                self
            }

            /// Overrides the client's limit on the size of a response body read into
            /// memory.
            pub fn max_response_bytes(mut self, limit: u64) -> Self {
                self.options.set_max_response_bytes(limit);
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

    pub(crate) fn set_total_timeout(&mut self, timeout: Duration) {
        self.total_timeout = Some(timeout);
    }

    pub(crate) fn set_max_response_bytes(&mut self, limit: u64) {
        self.max_response_bytes = Some(limit);
    }

    /// Refuses a per-request header the operation sets itself (e.g. `Cookie` when it
    /// sends cookie parameters).
    pub(crate) fn refuse_header(&self, owned: &str) -> Result<(), InvalidInput> {
        match self
            .headers
            .iter()
            .find(|(name, _)| name.trim().eq_ignore_ascii_case(owned))
        {
            Some((name, _)) => Err(InvalidInput(format!(
                "the header `{name}` is set by the operation and cannot be set per request"
            ))),
            None => Ok(()),
        }
    }
}

/// Decodes on the fast path; only a failure pays for a second pass that finds the path
/// of the failing field.
fn decode<T: DeserializeOwned>(
    status: reqwest::StatusCode,
    body: &[u8],
    budget: &Budget,
) -> Result<T, DecodeError> {
    crate::budget::from_slice(body, budget).map_err(|e| DecodeError::new(status, e, body))
}

/// Configures a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    bearer_token: Option<String>,
    basic_auth: Option<(String, String)>,
    api_key: Option<String>,
    timeout: Option<Duration>,
    total_timeout: Option<Duration>,
    max_response_bytes: Option<u64>,
    connect_timeout: Option<Duration>,
    user_agent: Option<String>,
    http_client: Option<reqwest::Client>,
    max_retries: Option<u32>,
    initial_backoff: Option<Duration>,
    max_backoff: Option<Duration>,
    max_retry_after: Option<Duration>,
    rate_limit: Option<(u32, Duration)>,
    max_concurrency: Option<usize>,
    /// Base URLs set for one API of the crate (by module name).
    api_base_urls: Vec<(String, String)>,
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
            .field("total_timeout", &self.total_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("http_client", &self.http_client.is_some())
            .field("max_retries", &self.max_retries)
            .field("rate_limit", &self.rate_limit)
            .field("max_concurrency", &self.max_concurrency)
            .field("api_base_urls", &self.api_base_urls)
            .finish()
    }
}

impl ClientBuilder {
    /// The server to talk to (for every API, in a crate generated from several specs);
    /// defaults to the first server each API description names.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    // @when family
    /// The server of one API of the crate, by its module name (`"conversations"`); it
    /// takes precedence over [`base_url`](Self::base_url). An unknown name is
    /// [`BuildError::UnknownApi`].
    pub fn base_url_for(mut self, api: impl Into<String>, url: impl Into<String>) -> Self {
        self.api_base_urls.push((api.into(), url.into()));
        self
    }
    // @end

    // @when bearer
    /// Sent as `Authorization: Bearer <token>` on operations that accept it.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer_token = Some(token.into());
        self
    }
    // @end

    // @when basic
    /// Sent as `Authorization: Basic …` on operations that accept HTTP basic auth.
    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.basic_auth = Some((user.into(), password.into()));
        self
    }
    // @end

    // @when api_key
    /// Sent in the header, query parameter or cookie that operations accepting an API key
    /// name.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }
    // @end

    /// The limit for one attempt, from connecting to reading the body (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The deadline for a whole call: every attempt, every wait between attempts, and
    /// reading the body (default 2 minutes). A `Retry-After` that would end past it is not
    /// waited for: the error returns at once, with its `Retry-After`.
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.total_timeout = Some(timeout);
        self
    }

    /// The largest response body read into memory (default 64 MiB); a longer one is
    /// [`Error::ResponseTooLarge`], found while reading, never after buffering it.
    /// Operations with binary responses also offer `send_stream()`, which has no limit.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = Some(limit);
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

    /// Uses the caller's own `reqwest::Client` (its pool, proxy and TLS settings). Its
    /// redirect and `Referer` settings then apply instead of the client's (same-origin
    /// redirects only, no `Referer`): build it with the same policy unless you mean to
    /// change it.
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

    /// The longest a server can make the client wait (default 60 s): a `Retry-After`
    /// before a retry, and a rate-limit reset that holds requests back (see
    /// [`rate_limit`](Self::rate_limit)).
    pub fn max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = Some(max);
        self
    }

    /// At most `max_requests` requests start in any `per` (a rolling window), retries
    /// included, across every clone of the client: a request waits for a slot instead of
    /// earning a 429, in the order requests were made. With a limit set, the client also
    /// follows the server's rate-limit headers (remaining requests with a reset or window,
    /// see [`RateLimit`](crate::RateLimit)): when the server says none are left, requests
    /// wait for its reset — never longer than the window the headers name, nor than
    /// [`max_retry_after`](Self::max_retry_after). A wait that would end past the call's
    /// [`total_timeout`](Self::total_timeout) is [`Error::Throttled`] at once.
    pub fn rate_limit(mut self, max_requests: u32, per: Duration) -> Self {
        self.rate_limit = Some((max_requests, per));
        self
    }

    /// At most `n` calls in progress at once across every clone of the client (a call
    /// holds its place through its retries and while its body is read); others wait.
    pub fn max_concurrency(mut self, n: usize) -> Self {
        self.max_concurrency = Some(n);
        self
    }

    pub fn build(self) -> Result<Client, BuildError> {
        // @when family
        if let Some((api, _)) = self
            .api_base_urls
            .iter()
            .find(|(api, _)| !crate::about::BASE_URLS.iter().any(|(name, _)| name == api))
        {
            return Err(BuildError::UnknownApi(api.clone()));
        }
        // @end
        let base_urls = crate::about::BASE_URLS
            .iter()
            .map(|(api, default)| {
                let own = self
                    .api_base_urls
                    .iter()
                    .rev()
                    .find(|(name, _)| name == api)
                    .map(|(_, url)| url.clone());
                own.or_else(|| self.base_url.clone())
                    .or_else(|| default.map(str::to_owned))
                    .map(base_url)
                    .transpose()
            })
            .collect::<Result<Vec<_>, _>>()?;
        if base_urls.iter().all(Option::is_none) {
            return Err(BuildError::NoBaseUrl);
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
                let encoded = crate::params::base64(format!("{user}:{password}").as_bytes());
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
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        let (http, http_timeout) = match self.http_client {
            Some(client) => (client, None),
            None => {
                install_crypto_provider();
                let user_agent = self.user_agent.unwrap_or_else(|| {
                    concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_owned()
                });
                let user_agent = reqwest::header::HeaderValue::try_from(user_agent)
                    .map_err(|_| BuildError::InvalidUserAgent)?;
                let http = reqwest::Client::builder()
                    .user_agent(user_agent)
                    .redirect(redirect_policy())
                    .referer(false)
                    .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                    .timeout(timeout)
                    .build()
                    .map_err(BuildError::Http)?;
                (http, Some(timeout))
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_urls,
                authorization,
                basic,
                api_key: self.api_key,
                timeout,
                http_timeout,
                total_timeout: self.total_timeout.unwrap_or(DEFAULT_TOTAL_TIMEOUT),
                max_response_bytes: self
                    .max_response_bytes
                    .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
                retry: RetryPolicy {
                    max_retries: self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
                    initial_backoff: self.initial_backoff.unwrap_or(DEFAULT_INITIAL_BACKOFF),
                    max_backoff: self.max_backoff.unwrap_or(DEFAULT_MAX_BACKOFF),
                    max_retry_after: self.max_retry_after.unwrap_or(DEFAULT_MAX_RETRY_AFTER),
                },
                limits: Limits::new(
                    self.rate_limit,
                    self.max_concurrency,
                    self.max_retry_after.unwrap_or(DEFAULT_MAX_RETRY_AFTER),
                ),
            }),
            api: 0,
        })
    }
}

/// `base` checked as a base URL: http or https, and able to take a path.
fn base_url(base: String) -> Result<reqwest::Url, BuildError> {
    let url = reqwest::Url::parse(&base).map_err(|e| BuildError::InvalidBaseUrl {
        url: base.clone(),
        reason: e.to_string(),
    })?;
    if url.cannot_be_a_base() || !matches!(url.scheme(), "http" | "https") {
        return Err(BuildError::InvalidBaseUrl {
            url: base,
            reason: "expected an http or https URL".to_owned(),
        });
    }
    Ok(url)
}

/// reqwest is built with rustls but no bundled crypto provider (aws-lc-rs is a slow C
/// build); ring is installed process-wide unless the application installed one first.
fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // An `Err` means another thread installed one meanwhile, which is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}
