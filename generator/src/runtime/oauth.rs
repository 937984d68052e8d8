//! OAuth2 access tokens that renew themselves: from a refresh token or client credentials at
//! the API's token endpoint, or from any [`TokenSource`]. A token is renewed shortly before
//! it expires and once when a call is answered 401 saying the token is no good (RFC 6750's
//! `invalid_token`, or a body that says it expired; any 401 for a token of unknown
//! lifetime); concurrent calls wait for one renewal
//! (single flight); a failed renewal is [`Error::Auth`](crate::Error::Auth), never retried in
//! a loop.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use tokio::time::Instant;

/// An access token and how long it is valid.
#[derive(Clone)]
#[non_exhaustive]
pub struct Token {
    pub access_token: String,
    /// From the token response's `expires_in`; `None`: until the API answers 401.
    pub expires_in: Option<Duration>,
    /// A new refresh token, when the server rotated it.
    pub refresh_token: Option<String>,
}

impl Token {
    pub fn new(access_token: impl Into<String>, expires_in: Option<Duration>) -> Self {
        Token {
            access_token: access_token.into(),
            expires_in,
            refresh_token: None,
        }
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("access_token", &"<redacted>")
            .field("expires_in", &self.expires_in)
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// Why no access token could be had.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// The token endpoint answered outside 2xx (`error` is its OAuth2 error code, e.g.
    /// `invalid_grant` for a revoked refresh token).
    #[error("the token endpoint answered {status}: {error}")]
    Rejected {
        status: reqwest::StatusCode,
        error: String,
    },
    /// The token endpoint could not be reached, or its answer read.
    #[error("token request failed: {0}")]
    Transport(#[source] reqwest::Error),
    /// The answer has no `access_token`, or one that cannot be sent.
    #[error("the token response is not usable: {0}")]
    Invalid(String),
    /// The API description names no token endpoint and none was set.
    #[error("no token URL: the API description names none; set one with `OAuth2::token_url`")]
    NoTokenUrl,
    /// A [`TokenSource`] of the application failed.
    #[error("{0}")]
    Source(String),
}

/// Anything that hands out access tokens: implement it for a vault, a sidecar, another
/// OAuth2 library. Called only when the client needs a new token, one call at a time.
pub trait TokenSource: Send + Sync + 'static {
    fn token<'a>(
        &'a self,
        http: &'a reqwest::Client,
    ) -> Pin<Box<dyn Future<Output = Result<Token, TokenError>> + Send + 'a>>;
}

/// Called with each new refresh token the server hands out, so the application can store
/// it (the old one usually stops working).
pub type RefreshTokenCallback = Arc<dyn Fn(&str) + Send + Sync>;

enum Grant {
    ClientCredentials { scopes: Vec<String> },
    RefreshToken(Mutex<String>),
}

/// The OAuth2 token endpoint as a [`TokenSource`]: the refresh-token or client-credentials
/// grant, the client's credentials sent in the form body. The endpoint is the one the API
/// description's `oauth2` security scheme names, unless [`token_url`](Self::token_url) sets
/// another.
pub struct OAuth2 {
    token_url: Option<String>,
    client_id: String,
    client_secret: String,
    grant: Grant,
    on_refresh_token: Option<RefreshTokenCallback>,
}

impl fmt::Debug for OAuth2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth2")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .finish_non_exhaustive()
    }
}

impl OAuth2 {
    /// The refresh-token grant: `refresh_token` is exchanged for access tokens, and
    /// replaced by the new one whenever the server rotates it.
    pub fn refresh_token(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        refresh_token: impl Into<String>,
    ) -> Self {
        OAuth2 {
            token_url: None,
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            grant: Grant::RefreshToken(Mutex::new(refresh_token.into())),
            on_refresh_token: None,
        }
    }

    /// The client-credentials grant, asking for `scopes` (none: the server's default).
    pub fn client_credentials(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        scopes: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        OAuth2 {
            token_url: None,
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            grant: Grant::ClientCredentials {
                scopes: scopes.into_iter().map(Into::into).collect(),
            },
            on_refresh_token: None,
        }
    }

    /// The token endpoint, where the API description names none or another is wanted.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// Called with every new refresh token the server hands out.
    pub fn on_refresh_token(mut self, callback: impl Fn(&str) + Send + Sync + 'static) -> Self {
        self.on_refresh_token = Some(Arc::new(callback));
        self
    }

    async fn fetch(&self, http: &reqwest::Client) -> Result<Token, TokenError> {
        let mut form = vec![
            ("client_id", self.client_id.clone()),
            ("client_secret", self.client_secret.clone()),
        ];
        match &self.grant {
            Grant::ClientCredentials { scopes } => {
                form.push(("grant_type", "client_credentials".to_owned()));
                if !scopes.is_empty() {
                    form.push(("scope", scopes.join(" ")));
                }
            }
            Grant::RefreshToken(current) => {
                let current = current.lock().map(|t| t.clone()).unwrap_or_default();
                form.push(("grant_type", "refresh_token".to_owned()));
                form.push(("refresh_token", current));
            }
        }
        let url = self
            .token_url
            .as_deref()
            .or(crate::about::OAUTH2_TOKEN_URL)
            .ok_or(TokenError::NoTokenUrl)?;
        let token = token_request(http, url, &form).await?;
        if let (Some(new), Grant::RefreshToken(current)) = (&token.refresh_token, &self.grant) {
            if let Ok(mut current) = current.lock() {
                current.clone_from(new);
            }
            if let Some(callback) = &self.on_refresh_token {
                callback(new);
            }
        }
        Ok(token)
    }
}

impl TokenSource for OAuth2 {
    fn token<'a>(
        &'a self,
        http: &'a reqwest::Client,
    ) -> Pin<Box<dyn Future<Output = Result<Token, TokenError>> + Send + 'a>> {
        Box::pin(self.fetch(http))
    }
}

/// The largest token response read (they are a few hundred bytes).
const MAX_TOKEN_RESPONSE: usize = 64 * 1024;

/// POSTs `form` to the token endpoint and reads the answer (RFC 6749 §5).
async fn token_request(
    http: &reqwest::Client,
    url: &str,
    form: &[(&str, String)],
) -> Result<Token, TokenError> {
    let body = {
        let mut body = form_urlencoded::Serializer::new(String::new());
        for (name, value) in form {
            body.append_pair(name, value);
        }
        body.finish()
    };
    let mut response = http
        .post(url)
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .header(reqwest::header::ACCEPT, "application/json")
        .body(body)
        .send()
        .await
        .map_err(|e| TokenError::Transport(e.without_url()))?;
    let status = response.status();
    let mut bytes = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| TokenError::Transport(e.without_url()))?
    {
        if bytes.len() + chunk.len() > MAX_TOKEN_RESPONSE {
            return Err(TokenError::Invalid("the response is too large".to_owned()));
        }
        bytes.extend_from_slice(&chunk);
    }
    let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
    let text = |name: &str| json.get(name).and_then(|v| v.as_str()).map(str::to_owned);
    if !status.is_success() {
        return Err(TokenError::Rejected {
            status,
            error: text("error").unwrap_or_default(),
        });
    }
    let access_token =
        text("access_token").ok_or_else(|| TokenError::Invalid("no `access_token`".to_owned()))?;
    // Some servers send `expires_in` as a string.
    let expires_in = json
        .get("expires_in")
        .and_then(|v| v.as_u64().or_else(|| v.as_str()?.trim().parse().ok()))
        .map(Duration::from_secs);
    Ok(Token {
        access_token,
        expires_in,
        refresh_token: text("refresh_token"),
    })
}

/// The current access token of a client, renewed through its source.
pub(crate) struct Tokens {
    source: Arc<dyn TokenSource>,
    /// What requests send now, and until when it is good.
    current: RwLock<Option<(reqwest::header::HeaderValue, Option<Instant>)>>,
    /// Held while renewing: the calls that need a token meanwhile wait for this renewal.
    renewing: tokio::sync::Mutex<()>,
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<token source>")
    }
}

impl Tokens {
    pub(crate) fn new(source: Arc<dyn TokenSource>) -> Self {
        Tokens {
            source,
            current: RwLock::new(None),
            renewing: tokio::sync::Mutex::new(()),
        }
    }

    /// The `Authorization` value to send now, if there is one.
    pub(crate) fn header(&self) -> Option<reqwest::header::HeaderValue> {
        self.current
            .read()
            .ok()
            .and_then(|c| c.as_ref().map(|(h, _)| h.clone()))
    }

    /// The token to send, if it is still good: not within a tenth of its lifetime (at most
    /// a minute) of expiring.
    fn fresh(&self) -> Option<reqwest::header::HeaderValue> {
        let current = self.current.read().ok()?;
        let (header, until) = current.as_ref()?;
        match until {
            Some(until) if Instant::now() >= *until => None,
            _ => Some(header.clone()),
        }
    }

    /// Whether `sent` is the token held and nothing said how long it lasts: only a 401
    /// can tell it is over.
    pub(crate) fn lifetime_unknown(&self, sent: Option<&reqwest::header::HeaderValue>) -> bool {
        self.current.read().is_ok_and(|current| {
            current
                .as_ref()
                .is_some_and(|(header, until)| Some(header) == sent && until.is_none())
        })
    }

    /// Makes sure a good token is there, renewing it if not.
    pub(crate) async fn ensure(&self, http: &reqwest::Client) -> Result<(), TokenError> {
        if self.fresh().is_some() {
            return Ok(());
        }
        let _renewing = self.renewing.lock().await;
        // Another call may have renewed it while this one waited.
        if self.fresh().is_some() {
            return Ok(());
        }
        self.renew(http).await
    }

    /// Renews the token after the API refused `refused` (401), unless another call renewed
    /// it meanwhile.
    pub(crate) async fn refused(
        &self,
        http: &reqwest::Client,
        refused: Option<&reqwest::header::HeaderValue>,
    ) -> Result<(), TokenError> {
        let _renewing = self.renewing.lock().await;
        if self.header().as_ref() != refused {
            return Ok(());
        }
        self.renew(http).await
    }

    async fn renew(&self, http: &reqwest::Client) -> Result<(), TokenError> {
        let token = self.source.token(http).await?;
        let mut header =
            reqwest::header::HeaderValue::try_from(format!("Bearer {}", token.access_token))
                .map_err(|_| TokenError::Invalid("the access token cannot be sent".to_owned()))?;
        header.set_sensitive(true);
        let until = token.expires_in.map(|lifetime| {
            let margin = (lifetime / 10).min(Duration::from_secs(60));
            crate::limit::later(Instant::now(), lifetime.saturating_sub(margin))
        });
        if let Ok(mut current) = self.current.write() {
            *current = Some((header, until));
        }
        Ok(())
    }
}

/// The URL to send a user to for the authorization-code flow: the API's authorization
/// endpoint (or `authorization_url`) with `client_id`, `redirect_uri`, `scope` (the given
/// scopes, space-separated) and `state` (check it on the way back).
pub fn authorize_url(
    authorization_url: Option<&str>,
    client_id: &str,
    redirect_uri: &str,
    scopes: &[&str],
    state: &str,
) -> Result<reqwest::Url, TokenError> {
    let base = authorization_url
        .or(crate::about::OAUTH2_AUTHORIZATION_URL)
        .ok_or(TokenError::NoTokenUrl)?;
    let mut url = reqwest::Url::parse(base).map_err(|e| TokenError::Invalid(e.to_string()))?;
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", client_id)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("scope", &scopes.join(" "))
        .append_pair("state", state);
    Ok(url)
}

/// Exchanges the code the authorization endpoint sent back to `redirect_uri` for tokens:
/// keep the refresh token, and build the client with [`OAuth2::refresh_token`].
pub async fn exchange_code(
    token_url: Option<&str>,
    client_id: &str,
    client_secret: &str,
    redirect_uri: &str,
    code: &str,
) -> Result<Token, TokenError> {
    let url = token_url
        .or(crate::about::OAUTH2_TOKEN_URL)
        .ok_or(TokenError::NoTokenUrl)?;
    let form = [
        ("grant_type", "authorization_code".to_owned()),
        ("client_id", client_id.to_owned()),
        ("client_secret", client_secret.to_owned()),
        ("redirect_uri", redirect_uri.to_owned()),
        ("code", code.to_owned()),
    ];
    crate::builder::install_crypto_provider();
    // No redirects: the code and the secret go to the token endpoint only.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(crate::client::DEFAULT_TIMEOUT)
        .build()
        .map_err(|e| TokenError::Transport(e.without_url()))?;
    token_request(&http, url, &form).await
}

/// Whether a 401 says the access token is no good: RFC 6750's `invalid_token` in
/// `WWW-Authenticate`, or a body that says it expired (HubSpot's `EXPIRED_AUTHENTICATION`,
/// "The OAuth token used to make this call expired …").
pub(crate) fn says_token_expired(headers: &reqwest::header::HeaderMap, body: &[u8]) -> bool {
    let challenge = headers
        .get_all(reqwest::header::WWW_AUTHENTICATE)
        .iter()
        .any(|v| contains_ignoring_case(v.as_bytes(), b"invalid_token"));
    challenge || contains_ignoring_case(body, b"expired")
}

fn contains_ignoring_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window.eq_ignore_ascii_case(needle))
}
