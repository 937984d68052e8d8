//! The client every operation goes through: configuration, authentication, sending and
//! decoding.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::error::{ApiError, BuildError, DecodeError, Error};

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

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
    timeout: Duration,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field(
                "bearer_token",
                &self.inner.authorization.as_ref().map(|_| "<redacted>"),
            )
            .field("timeout", &self.inner.timeout)
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

    #[allow(dead_code, reason = "an API without operations never builds a URL")]
    /// The base URL with `segments` appended (each percent-encoded as one segment) and
    /// `query` appended as `key=value` pairs.
    pub(crate) fn url(&self, segments: &[&str], query: &[(&str, Cow<'_, str>)]) -> reqwest::Url {
        let mut url = self.inner.base_url.clone();
        // `build` only accepts base URLs that can take path segments.
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        if !query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(query.iter().map(|(k, v)| (k, v.as_ref())));
        }
        url
    }

    #[allow(dead_code, reason = "an API without operations never sends a request")]
    pub(crate) fn request(
        &self,
        method: reqwest::Method,
        url: reqwest::Url,
        bearer_auth: bool,
    ) -> reqwest::RequestBuilder {
        let mut request = self
            .inner
            .http
            .request(method, url)
            .timeout(self.inner.timeout);
        if bearer_auth && let Some(authorization) = &self.inner.authorization {
            request = request.header(reqwest::header::AUTHORIZATION, authorization.clone());
        }
        request
    }

    /// Sends `request` and decodes a 2xx JSON body as `T`.
    #[allow(dead_code, reason = "only APIs with JSON responses use it")]
    pub(crate) async fn send_json<T, E>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<T, Error<E>>
    where
        T: DeserializeOwned,
        E: DeserializeOwned,
    {
        let response = self.execute(request).await?;
        let status = response.status();
        let body = response.bytes().await.map_err(Error::from_reqwest)?;
        decode(status, &body).map_err(|e| Error::Decode(Box::new(e)))
    }

    /// Sends `request` and ignores a 2xx body.
    #[allow(dead_code, reason = "only APIs with bodiless responses use it")]
    pub(crate) async fn send_empty<E>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<(), Error<E>>
    where
        E: DeserializeOwned,
    {
        self.execute(request).await.map(drop)
    }

    /// Sends `request`; a status outside 2xx becomes [`Error::Api`].
    async fn execute<E>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, Error<E>>
    where
        E: DeserializeOwned,
    {
        let response = request.send().await.map_err(Error::from_reqwest)?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(Error::from_reqwest)?;
        Err(Error::Api(Box::new(ApiError::new(status, headers, &body))))
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
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: Option<String>,
    http_client: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field(
                "bearer_token",
                &self.bearer_token.as_ref().map(|_| "<redacted>"),
            )
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("http_client", &self.http_client.is_some())
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
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
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
