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
use crate::trace::Route;

/// A request to one operation, with its parameters `P`: set options, then `.send().await`.
///
/// Each operation's builder, the type its method on the client returns, is a `Request` of
/// that operation's parameters: the setters and `send` here are every operation's (typed by
/// the operation: its documentation names what `send` gives); the setters of its own
/// parameters are on that type.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send().await`"]
pub struct Request<P> {
    pub(crate) client: Client,
    pub(crate) options: RequestOptions,
    pub(crate) params: P,
}

impl<P> Request<P> {
    // @when operations
    /// A request of `params` on `client`, with no per-request options yet.
    pub(crate) fn new(client: &Client, params: P) -> Self {
        Self {
            client: client.clone(),
            options: RequestOptions::default(),
            params,
        }
    }

    // @end
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

// Written once for all operations: an operation has no `send` of its own to compile (an
// edit's rebuild re-reads every one), only the types its parameters name in `Endpoint`.
impl<P: Endpoint> Request<P> {
    /// Sends the request and decodes the response body (the operation's documentation
    /// names its type).
    pub fn send(self) -> impl Future<Output = Result<P::Output, Error<P::Error>>> {
        body(self.send_with_response())
    }

    /// Sends the request; the decoded body comes with the status and headers
    /// (e.g. [`rate_limit`](crate::Response::rate_limit)).
    pub fn send_with_response(
        self,
    ) -> impl Future<Output = Result<Response<P::Output>, Error<P::Error>>> {
        read(self)
    }
}

/// One operation: how its request is made from its parameters, and what it answers with.
/// Implemented by each operation's parameters (the `P` of its [`Request`]).
pub trait Endpoint: Sync {
    /// The decoded body of a 2xx response.
    type Output;
    /// The documented error body.
    type Error: ErrorBody + Send;
    /// How the body is read: [`Json`], [`JsonOrEmpty`], [`Text`], [`Binary`] or [`Empty`].
    type Read: Read<Self::Output>;
    /// What the call's spans name it by.
    const ROUTE: Route;

    /// The request one attempt sends.
    fn request(
        &self,
        client: &Client,
        options: &RequestOptions,
    ) -> Result<reqwest::RequestBuilder, Error<Self::Error>>;
}

impl<P: Endpoint> Operation for Request<P> {
    type Error = P::Error;

    fn request(&self) -> Result<reqwest::RequestBuilder, Error<P::Error>> {
        self.params.request(&self.client, &self.options)
    }

    fn route(&self) -> Route {
        P::ROUTE
    }
}

/// How a 2xx body is read into a `T`. The future is `Send` by its signature, so that code
/// generic over operations (the pages of a list) can box it as one.
pub trait Read<T> {
    /// Sends the request `operation` makes and reads the answer.
    fn read<'a, E: ErrorBody + Send>(
        client: &'a Client,
        operation: &'a dyn Operation<Error = E>,
        options: &'a RequestOptions,
    ) -> impl Future<Output = Result<Response<T>, Error<E>>> + Send;
}

/// A JSON body, decoded.
#[allow(dead_code, reason = "only APIs with JSON responses use it")]
pub enum Json {}

/// A JSON body, decoded, or `None` when it is empty.
#[allow(dead_code, reason = "only APIs with optional response bodies use it")]
pub enum JsonOrEmpty {}

/// A body as text.
#[allow(dead_code, reason = "only APIs with text responses use it")]
pub enum Text {}

/// A body as bytes.
#[allow(dead_code, reason = "only APIs with binary responses use it")]
pub enum Binary {}

/// No body (whatever came is ignored).
#[allow(dead_code, reason = "only APIs with bodiless responses use it")]
pub enum Empty {}

impl<T: DeserializeOwned + Send> Read<T> for Json {
    fn read<'a, E: ErrorBody + Send>(
        client: &'a Client,
        operation: &'a dyn Operation<Error = E>,
        options: &'a RequestOptions,
    ) -> impl Future<Output = Result<Response<T>, Error<E>>> + Send {
        client.send_json(operation, options)
    }
}

impl<T: DeserializeOwned + Send> Read<Option<T>> for JsonOrEmpty {
    fn read<'a, E: ErrorBody + Send>(
        client: &'a Client,
        operation: &'a dyn Operation<Error = E>,
        options: &'a RequestOptions,
    ) -> impl Future<Output = Result<Response<Option<T>>, Error<E>>> + Send {
        client.send_json_or_empty(operation, options)
    }
}

impl Read<String> for Text {
    fn read<'a, E: ErrorBody + Send>(
        client: &'a Client,
        operation: &'a dyn Operation<Error = E>,
        options: &'a RequestOptions,
    ) -> impl Future<Output = Result<Response<String>, Error<E>>> + Send {
        client.send_text(operation, options)
    }
}

impl Read<Vec<u8>> for Binary {
    fn read<'a, E: ErrorBody + Send>(
        client: &'a Client,
        operation: &'a dyn Operation<Error = E>,
        options: &'a RequestOptions,
    ) -> impl Future<Output = Result<Response<Vec<u8>>, Error<E>>> + Send {
        client.send_bytes(operation, options)
    }
}

impl Read<()> for Empty {
    fn read<'a, E: ErrorBody + Send>(
        client: &'a Client,
        operation: &'a dyn Operation<Error = E>,
        options: &'a RequestOptions,
    ) -> impl Future<Output = Result<Response<()>, Error<E>>> + Send {
        client.send_empty(operation, options)
    }
}

/// Sends `request` and reads the answer as its operation reads it: the future owns the
/// request and lends it to the client's.
async fn read<P: Endpoint>(request: Request<P>) -> Result<Response<P::Output>, Error<P::Error>> {
    P::Read::read(&request.client, &request, &request.options).await
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

/// The body of the response `sending` comes to.
async fn body<T, E>(
    sending: impl Future<Output = Result<Response<T>, Error<E>>>,
) -> Result<T, Error<E>> {
    sending.await.map(Response::into_body)
}
