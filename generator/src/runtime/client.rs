//! The client every operation goes through: configuration, authentication, sending and
//! decoding.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use tracing::Instrument as _;

use crate::budget::Budget;
use crate::builder::ClientBuilder;
use crate::call::{Call, owned_header};
use crate::error::{DecodeError, Error, ErrorBody};
use crate::limit::Limits;
use crate::params::Query;
use crate::response::Response;
// @when stream
use crate::stream::ByteStream;
// @end

pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub(crate) const DEFAULT_MAX_RETRIES: u32 = 2;
pub(crate) const DEFAULT_INITIAL_BACKOFF: Duration = Duration::from_millis(500);
pub(crate) const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(8);
pub(crate) const DEFAULT_MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
pub(crate) const DEFAULT_TOTAL_TIMEOUT: Duration = Duration::from_secs(120);
pub(crate) const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;
/// An error body beyond this is cut (and marked so): it is kept in memory with the error.
/// A retried response's body is read as far (so its connection can be reused), no further.
pub(crate) const MAX_ERROR_BODY_BYTES: u64 = 64 * 1024;
/// Same-origin redirects followed before giving up.
pub(crate) const MAX_REDIRECTS: usize = 5;

/// When and how long to wait before trying a request again.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RetryPolicy {
    pub(crate) max_retries: u32,
    pub(crate) initial_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) max_retry_after: Duration,
}

impl RetryPolicy {
    /// Exponential backoff with full jitter: uniform in `[0, min(max, initial * 2^attempt)]`.
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(attempt))
            .min(self.max_backoff);
        ceiling.mul_f64(jitter())
    }
}

/// A uniform number in `[0, 1)`, from std's randomly keyed hasher (no `rand` dependency
/// for one number per retry).
pub(crate) fn jitter() -> f64 {
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
    pub(crate) inner: Arc<Inner>,
    /// Whose base URL requests go to: a crate made of several specs has one per module.
    pub(crate) api: usize,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    /// One per API of the crate, in the order of `crate::about::BASE_URLS`; `None` for an API
    /// whose description names no server when none was set.
    pub(crate) base_urls: Vec<Option<reqwest::Url>>,
    /// `Bearer <token>`, marked sensitive so `reqwest` never prints it.
    pub(crate) authorization: Option<reqwest::header::HeaderValue>,
    /// `Basic <base64>`, marked sensitive.
    pub(crate) basic: Option<reqwest::header::HeaderValue>,
    // @when oauth2
    /// Bearer tokens that renew themselves; before `authorization` when both are set.
    pub(crate) tokens: Option<crate::oauth::Tokens>,
    // @end
    pub(crate) api_key: Option<String>,
    pub(crate) timeout: Duration,
    /// The per-attempt timeout `http` applies by itself: set when this client built it.
    /// A timeout set per request costs reqwest an extension map (three allocations, and
    /// three more for the copy kept for a retry), so it is set only where it differs.
    pub(crate) http_timeout: Option<Duration>,
    pub(crate) total_timeout: Duration,
    pub(crate) max_response_bytes: u64,
    pub(crate) retry: RetryPolicy,
    pub(crate) limits: Limits,
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
    pub(crate) fn url(
        &self,
        segments: &[impl AsRef<str>],
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
        let mut path = String::with_capacity(
            base.len() + segments.iter().map(|s| s.as_ref().len() + 1).sum::<usize>(),
        );
        path.push_str(base);
        for segment in segments {
            path.push('/');
            path.extend(percent_encoding::utf8_percent_encode(
                segment.as_ref(),
                PATH_SEGMENT,
            ));
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
    // @when operations

    /// The request an operation sends: `template` is its path with each parameter as `{}`
    /// (`/disks/{}/metrics`), filled with `values` in order; the URL as [`Client::url`] makes
    /// it and the request as [`Client::prepare`] does.
    ///
    /// The path is one template here rather than a list of segments in each generated
    /// operation, each parameter with a check and a `?` of its own: less for rustc to lower
    /// on every rebuild of a large crate.
    pub(crate) fn build(
        &self,
        method: reqwest::Method,
        template: &str,
        values: &[std::borrow::Cow<'_, str>],
        query: &Query<'_>,
        auth: &[Auth],
        options: &RequestOptions,
    ) -> Result<reqwest::RequestBuilder, InvalidInput> {
        let segments = fill(template, values)?;
        let url = self.url(&segments, query, options)?;
        self.prepare(method, url, auth, options)
    }
    // @end

    /// The bearer credential to send now: the token source's current token, or the fixed
    /// token.
    fn bearer(&self) -> Option<reqwest::header::HeaderValue> {
        // @when oauth2
        if let Some(tokens) = &self.inner.tokens {
            return tokens.header();
        }
        // @end
        self.inner.authorization.clone()
    }

    /// The request to `url` with the first of `auth` this client holds and the per-request
    /// headers.
    pub(crate) fn prepare(
        &self,
        method: reqwest::Method,
        mut url: reqwest::Url,
        auth: &[Auth],
        options: &RequestOptions,
    ) -> Result<reqwest::RequestBuilder, InvalidInput> {
        // The first credential the operation accepts that this client holds.
        let bearer = self.bearer();
        let credential = auth.iter().find(|a| match a {
            Auth::Bearer => bearer.is_some(),
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
                if let Some(value) = bearer {
                    request = request.header(reqwest::header::AUTHORIZATION, value);
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

    /// Sends the request `operation` makes and returns a 2xx body as it came.
    pub(crate) fn send_raw<'a, E>(
        &'a self,
        operation: &'a dyn Operation<Error = E>,
        options: &RequestOptions,
    ) -> impl Future<Output = Result<Response<bytes::Bytes>, Error<E>>>
    where
        E: ErrorBody,
    {
        self.send_read(operation, options, |_, body, _| Ok(body))
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
        let span = call.span.clone();
        Box::pin(
            async move {
                let read = async {
                    let (status, headers, body) = call.read().await?.into_parts();
                    // What decoding may allocate: 8 × the body limit (a list of `{}` into
                    // wide structs is ~100 × its bytes; see `max_response_bytes`).
                    let budget = Budget::new(call.max_response_bytes.saturating_mul(8));
                    Ok(Response {
                        status,
                        headers,
                        body: finish(status, body, &budget)?,
                    })
                };
                let result = read.await;
                call.outcome(result)
            }
            .instrument(span),
        )
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
        let span = call.span.clone();
        Box::pin(
            async move {
                let (mut response, _) = call.execute().await.map_err(|e| call.failed(e))?;
                let status = response.status();
                let headers = std::mem::take(response.headers_mut());
                Ok(Response {
                    status,
                    headers,
                    body: ByteStream::new(response),
                })
            }
            .instrument(span),
        )
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
        let span = call.span.clone();
        Box::pin(
            async move {
                let (mut response, _) = call.execute().await.map_err(|e| call.failed(e))?;
                let status = response.status();
                let headers = std::mem::take(response.headers_mut());
                Ok(Response {
                    status,
                    headers,
                    body: (),
                })
            }
            .instrument(span),
        )
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
            span: crate::trace::call_span(operation.route(), self.base_url()),
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
// Nominally `pub`, as are `RequestOptions` and `Route`, because `Request`'s `send` names it
// in a bound; its module is private, so no one outside the crate can name or implement it.
pub trait Operation: Sync {
    /// The operation's error body.
    type Error;

    /// The request one attempt sends.
    fn request(&self) -> Result<reqwest::RequestBuilder, Error<Self::Error>>;
    /// What the call's spans name it by.
    fn route(&self) -> crate::trace::Route;
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
pub(crate) fn redirect_policy() -> reqwest::redirect::Policy {
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
// @when operations

/// The segments of an operation's path `template` (`/a/{}/b`), each `{}` filled with the
/// next of `values`. A segment with a parameter in it must be one [`path_segment`] accepts; a
/// literal one is the spec's own (an empty one is legal). The spec's literal text never holds
/// `{` (the generator reads every `{` as the start of a parameter), so each `{}` is one.
fn fill<'a>(
    template: &'a str,
    values: &'a [std::borrow::Cow<'_, str>],
) -> Result<Vec<std::borrow::Cow<'a, str>>, InvalidInput> {
    use std::borrow::Cow;
    let mut values = values.iter().map(|v| &**v);
    let mut segments = Vec::new();
    for segment in template.split('/').skip(1) {
        let segment = match segment {
            "{}" => Cow::Borrowed(values.next().unwrap_or_default()),
            _ if segment.contains("{}") => {
                let mut pieces = segment.split("{}");
                let mut text = pieces.next().unwrap_or_default().to_owned();
                for piece in pieces {
                    text.push_str(values.next().unwrap_or_default());
                    text.push_str(piece);
                }
                Cow::Owned(text)
            }
            _ => {
                segments.push(Cow::Borrowed(segment));
                continue;
            }
        };
        path_segment(&segment)?;
        segments.push(segment);
    }
    Ok(segments)
}
// @end

/// A parameter value or per-request setting that cannot be sent; becomes
/// [`Error::InvalidRequest`].
#[derive(Debug)]
pub(crate) struct InvalidInput(pub(crate) String);

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
pub(crate) struct RawBody(pub(crate) bytes::Bytes);

impl fmt::Debug for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0.len())
    }
}

/// Per-request settings every operation builder carries: extra headers and query
/// parameters, and overrides of the client's timeouts, retry count and size limit.
#[derive(Clone, Default)]
pub struct RequestOptions {
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

#[allow(dead_code, reason = "an API without operations has no builders")]
impl RequestOptions {
    pub(crate) fn push_header(&mut self, name: String, value: String) {
        self.headers.push((name, value));
    }

    /// Whether a per-request header `name` was set.
    pub(crate) fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(set, _)| set.trim().eq_ignore_ascii_case(name))
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
pub(crate) fn decode<T: DeserializeOwned>(
    status: reqwest::StatusCode,
    body: &[u8],
    budget: &Budget,
) -> Result<T, DecodeError> {
    crate::budget::from_slice(body, budget).map_err(|e| DecodeError::new(status, e, body))
}
