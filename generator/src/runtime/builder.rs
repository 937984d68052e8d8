//! Configuring a [`Client`]: base URLs, credentials, timeouts, retries, limits, and the
//! HTTP client underneath.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::client::{
    Client, DEFAULT_CONNECT_TIMEOUT, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF,
    DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_RETRIES, DEFAULT_MAX_RETRY_AFTER, DEFAULT_TIMEOUT,
    DEFAULT_TOTAL_TIMEOUT, Inner, RetryPolicy, redirect_policy,
};
use crate::error::BuildError;
use crate::limit::Limits;

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
    // @when oauth2
    token_source: Option<Arc<dyn crate::oauth::TokenSource>>,
    // @end
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
            // @when oauth2
            .field("token_source", &self.token_source.as_ref().map(|_| "<set>"))
            // @end
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

    // @when oauth2
    /// Where the bearer tokens come from: [`OAuth2`](crate::OAuth2) (a refresh token or
    /// client credentials at the API's token endpoint) or any [`TokenSource`](crate::TokenSource).
    /// A token is renewed before it expires and once when the API answers 401 saying it is
    /// no good (or to a token of unknown lifetime); calls that
    /// need one meanwhile wait for that one renewal. Takes precedence over
    /// [`bearer_token`](Self::bearer_token).
    pub fn token_source(mut self, source: impl crate::oauth::TokenSource) -> Self {
        self.token_source = Some(Arc::new(source));
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
                // @when oauth2
                tokens: self.token_source.map(crate::oauth::Tokens::new),
                // @end
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
pub(crate) fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // An `Err` means another thread installed one meanwhile, which is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}
