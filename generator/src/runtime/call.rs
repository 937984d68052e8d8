//! One call through the client: its attempts, the waits between them (backoff,
//! `Retry-After`, the rate limiter) under one deadline, and reading the response.

use std::time::Duration;

use crate::client::*;
use crate::error::{ApiError, Error, ErrorBody};
use crate::limit::{Permit, later};
use crate::response::Response;
use crate::trace::error_type;
use tracing::Instrument as _;

/// One call: how to make its request and the options that apply to it.
pub(crate) struct Call<'a, E> {
    /// The call's span; each attempt's is its child.
    pub(crate) span: tracing::Span,
    pub(crate) inner: &'a Inner,
    pub(crate) operation: &'a dyn Operation<Error = E>,
    pub(crate) max_retries: u32,
    pub(crate) timeout: Duration,
    pub(crate) total_timeout: Duration,
    pub(crate) max_response_bytes: u64,
}

impl<E> Call<'_, E>
where
    E: ErrorBody,
{
    /// Records how the call ended on its span.
    pub(crate) fn outcome<T>(&self, result: Result<T, Error<E>>) -> Result<T, Error<E>> {
        result.map_err(|e| self.failed(e))
    }

    /// Records a failure on the call's span.
    pub(crate) fn failed(&self, error: Error<E>) -> Error<E> {
        if !self.span.is_disabled() {
            self.span.record("error.type", error_type(&error));
            if let Some(status) = error.status() {
                self.span
                    .record("http.response.status_code", status.as_u16());
            }
        }
        error
    }

    /// Sends the request and reads a 2xx body whole, up to the response size limit.
    pub(crate) async fn read(&mut self) -> Result<Response<bytes::Bytes>, Error<E>> {
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
    pub(crate) async fn execute(&mut self) -> Result<(reqwest::Response, Permit), Error<E>> {
        // @when oauth2
        if let Some(tokens) = &self.inner.tokens {
            tokens
                .ensure(&self.inner.http)
                .await
                .map_err(|e| Error::Auth(Box::new(e)))?;
        }
        let mut renewed = false;
        // @end
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
            let span = self.attempt_span(attempt);
            let asked = (!span.is_disabled()).then(tokio::time::Instant::now);
            let slot = limits
                .start(deadline)
                .await
                .map_err(|no| Error::Throttled { wait: no.wait })?;
            if let Some(asked) = asked {
                let waited = asked.elapsed();
                if !waited.is_zero() {
                    span.record(
                        "rate_limit.wait_ms",
                        u64::try_from(waited.as_millis()).unwrap_or(u64::MAX),
                    );
                }
            }
            let can_retry = idempotent && attempt < retry.max_retries;
            // The attempt's own timeout, cut to what is left of the whole call's.
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let timeout = self.timeout.min(left);
            if self.inner.http_timeout != Some(timeout) {
                *request.timeout_mut() = Some(timeout);
            }
            // @when oauth2
            let sent = request
                .headers()
                .get(reqwest::header::AUTHORIZATION)
                .cloned();
            // @end
            #[cfg(feature = "traceparent")]
            crate::trace::propagate(&span, request.headers_mut());
            let result = http.execute(request).instrument(span.clone()).await;
            match &result {
                Ok(response) => {
                    limits.observe(response.headers());
                    if !span.is_disabled() {
                        let status = response.status();
                        span.record("http.response.status_code", status.as_u16());
                        self.span
                            .record("http.response.status_code", status.as_u16());
                        if !status.is_success() {
                            span.record("error.type", status.as_str());
                        }
                    }
                }
                Err(error) => {
                    let kind = if error.is_timeout() {
                        "timeout"
                    } else {
                        "transport"
                    };
                    span.record("error.type", kind);
                }
            }
            drop(slot);
            match result {
                Ok(response) if response.status().is_success() => {
                    return Ok((response, permit));
                }
                Ok(mut response) => {
                    let status = response.status();
                    // @when oauth2
                    // A 401 to a token of the source that says the token is no good (or to
                    // one whose lifetime is unknown): renewed once (or taken from the call
                    // that renewed it meanwhile) and sent again; a second 401 is the answer.
                    // A 401 for another reason is the answer at once, so a call the API
                    // refuses does not cost a token request each time it is made.
                    if let (reqwest::StatusCode::UNAUTHORIZED, false, Some(tokens)) =
                        (status, renewed, &self.inner.tokens)
                    {
                        let headers = std::mem::take(response.headers_mut());
                        let (body, truncated) = read_prefix(response, MAX_ERROR_BODY_BYTES)
                            .await
                            .map_err(Error::from_reqwest)?;
                        if !(crate::oauth::says_token_expired(&headers, &body)
                            || tokens.lifetime_unknown(sent.as_ref()))
                        {
                            let error = ApiError::new(status, headers, &body, truncated);
                            return Err(Error::Api(Box::new(error)));
                        }
                        renewed = true;
                        tokens
                            .refused(&self.inner.http, sent.as_ref())
                            .await
                            .map_err(|e| Error::Auth(Box::new(e)))?;
                        (http, request) = self.request()?;
                        attempt += 1;
                        continue;
                    }
                    // @end
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

    /// The span of one attempt (the first is number 0), a child of the call's.
    fn attempt_span(&self, attempt: u32) -> tracing::Span {
        let route = self.operation.route();
        let span = tracing::info_span!(
            parent: &self.span,
            "http_client_attempt",
            otel.name = %route,
            otel.kind = "client",
            http.request.method = route.method,
            http.request.resend_count = tracing::field::Empty,
            http.response.status_code = tracing::field::Empty,
            error.type = tracing::field::Empty,
            rate_limit.wait_ms = tracing::field::Empty,
        );
        if attempt > 0 {
            span.record("http.request.resend_count", attempt);
        }
        span
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
pub(crate) fn merge_cookie_headers(headers: &mut reqwest::header::HeaderMap) {
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
pub(crate) fn owned_header(name: &str, credential: Option<&Auth>) -> bool {
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
