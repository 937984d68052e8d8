//! The request builder every operation returns: the client, this call's options and the
//! operation's parameters. What all operations share — the per-request setters and the
//! sending — is written here once, generic over the parameters, so a crate of a thousand
//! operations compiles it once rather than a thousand times (an edit's rebuild re-reads
//! every copy).

use std::future::Future;
use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::client::{Client, Operation, RequestOptions};
use crate::error::{Error, ErrorBody};
use crate::response::Response;
// @when stream
use crate::stream::ByteStream;
// @end

/// A request to one operation, with its parameters `P`: set options, then `.send().await`.
///
/// Each operation's builder, the type its method on the client returns, is a `Request` of
/// that operation's parameters: the setters here are every operation's; the setters of its
/// own parameters and its `send` are on that type.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send().await`"]
pub struct Request<P> {
    pub(crate) client: Client,
    pub(crate) options: RequestOptions,
    pub(crate) params: P,
}

impl<P> Request<P> {
    /// Adds a header to this request only (e.g. an idempotency key).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.push_header(name.into(), value.into());
        self
    }

    /// Adds a query parameter to this request only.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.push_query(name.into(), value.into());
        self
    }

    /// Overrides the client's per-attempt timeout for this request.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.set_timeout(timeout);
        self
    }

    /// Overrides the client's deadline for this whole call, retries and waits included.
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.options.set_total_timeout(timeout);
        self
    }

    /// Overrides the client's limit on the size of a response body read into memory.
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

// Each operation's `send_with_response` is one of these, taking the request whole: the
// future owns it, and no operation has a state machine of its own to compile.

/// Sends `request` and decodes a 2xx JSON body as `T`.
#[allow(dead_code, reason = "only APIs with JSON responses use it")]
pub(crate) async fn json<P, T, E>(request: Request<P>) -> Result<Response<T>, Error<E>>
where
    Request<P>: Operation<Error = E>,
    T: DeserializeOwned,
    E: ErrorBody,
{
    request.client.send_json(&request, &request.options).await
}

/// Sends `request`; a 2xx JSON body decodes as `Some(T)`, an empty one is `None`.
#[allow(dead_code, reason = "only APIs with optional response bodies use it")]
pub(crate) async fn json_or_empty<P, T, E>(
    request: Request<P>,
) -> Result<Response<Option<T>>, Error<E>>
where
    Request<P>: Operation<Error = E>,
    T: DeserializeOwned,
    E: ErrorBody,
{
    request
        .client
        .send_json_or_empty(&request, &request.options)
        .await
}

/// Sends `request` and reads a 2xx body as text.
#[allow(dead_code, reason = "only APIs with text responses use it")]
pub(crate) async fn text<P, E>(request: Request<P>) -> Result<Response<String>, Error<E>>
where
    Request<P>: Operation<Error = E>,
    E: ErrorBody,
{
    request.client.send_text(&request, &request.options).await
}

/// Sends `request` and returns a 2xx body as bytes.
#[allow(dead_code, reason = "only APIs with binary responses use it")]
pub(crate) async fn binary<P, E>(request: Request<P>) -> Result<Response<Vec<u8>>, Error<E>>
where
    Request<P>: Operation<Error = E>,
    E: ErrorBody,
{
    request.client.send_bytes(&request, &request.options).await
}

/// Sends `request` and ignores a 2xx body.
#[allow(dead_code, reason = "only APIs with bodiless responses use it")]
pub(crate) async fn empty<P, E>(request: Request<P>) -> Result<Response<()>, Error<E>>
where
    Request<P>: Operation<Error = E>,
    E: ErrorBody,
{
    request.client.send_empty(&request, &request.options).await
}

// @when stream
/// Sends `request` and hands over a 2xx body as it arrives.
pub(crate) async fn stream<P, E>(request: Request<P>) -> Result<Response<ByteStream<E>>, Error<E>>
where
    Request<P>: Operation<Error = E>,
    E: ErrorBody,
{
    request.client.send_stream(&request, &request.options).await
}
// @end

/// The body of the response `sending` comes to (each operation's `send`).
#[allow(dead_code, reason = "an API without operations sends nothing")]
pub(crate) async fn body<T, E>(
    sending: impl Future<Output = Result<Response<T>, Error<E>>>,
) -> Result<T, Error<E>> {
    sending.await.map(Response::into_body)
}
