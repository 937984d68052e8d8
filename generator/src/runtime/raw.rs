//! Requests the API description does not have (or gets wrong): any method and path under
//! the base URL, sent through the same credentials, retries, deadlines, size limits and rate
//! limiter as every operation.

use std::fmt;

use crate::client::{Client, InvalidInput, Operation, RawBody, RequestOptions};
use crate::error::Error;
use crate::request::Request;
use crate::response::Response;
use crate::trace::Route;

impl Client {
    /// A request to `path` (relative to the base URL, e.g. `"/crm/v3/objects/contacts/42"`)
    /// that no method of the client covers. Set a body, headers and query parameters on the
    /// returned builder and `.send().await` it; the answer is the raw body, which
    /// [`Response::json`] decodes into any type.
    ///
    /// The path's segments are sent as they are written, percent-encoded where needed (pass
    /// them unencoded); `.` and `..` segments, a scheme or host, a query (use
    /// [`RawRequest::query`]) or a fragment are refused when sending, so a request never
    /// leaves the base URL's origin. Credentials are the ones the client holds, tried in
    /// the order the API's operations use them.
    pub fn request(&self, method: reqwest::Method, path: impl Into<String>) -> RawRequest {
        Request {
            client: self.clone(),
            options: RequestOptions::default(),
            params: Raw {
                method,
                path: path.into(),
                body: None,
            },
        }
    }
}

/// A request built by hand: [`Client::request`].
pub type RawRequest = Request<Raw>;

/// What a [`RawRequest`] sends besides its options.
#[derive(Clone)]
pub struct Raw {
    method: reqwest::Method,
    path: String,
    body: Option<Result<(RawBody, &'static str), String>>,
}

impl fmt::Debug for Raw {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The path is the caller's, and may hold an identifier: it is shown, the body is not.
        f.debug_struct("Raw")
            .field("method", &self.method)
            .field("path", &self.path)
            .field(
                "body",
                &self.body.as_ref().map(|b| b.as_ref().map(|(body, _)| body)),
            )
            .finish()
    }
}

impl RawRequest {
    /// Sends `body` as JSON (`Content-Type: application/json`).
    pub fn json<T: serde::Serialize + ?Sized>(mut self, body: &T) -> Self {
        self.params.body = Some(
            serde_json::to_vec(body)
                .map(|bytes| (RawBody(bytes.into()), "application/json"))
                .map_err(|e| format!("the JSON body cannot be written: {e}")),
        );
        self
    }

    /// Sends `body` as it is, as `application/octet-stream` unless a `Content-Type` header is
    /// set on the request.
    pub fn body(mut self, body: impl Into<bytes::Bytes>) -> Self {
        self.params.body = Some(Ok((RawBody(body.into()), "application/octet-stream")));
        self
    }

    /// Sends the request; a 2xx body is returned as it came, up to the response size limit.
    pub async fn send(self) -> Result<Response<bytes::Bytes>, Error> {
        self.client.send_raw(&self, &self.options).await
    }
}

impl Raw {
    /// The path's segments, each checked as a path parameter's value is.
    fn segments(&self) -> Result<Vec<&str>, InvalidInput> {
        let path = self.path.as_str();
        if path.contains("://") || path.starts_with("//") || path.contains(['?', '#']) {
            return Err(InvalidInput(format!(
                "`{}` is not a path under the base URL (put query parameters in `.query()`)",
                crate::error::Inert(path)
            )));
        }
        let path = path.strip_prefix('/').unwrap_or(path);
        let mut segments: Vec<&str> = path.split('/').collect();
        // A trailing slash is kept: some servers route `/items/` apart from `/items`.
        let trailing = segments.len() > 1 && segments.last() == Some(&"");
        if trailing {
            segments.pop();
        }
        if path.is_empty() {
            return Ok(Vec::new());
        }
        for segment in &segments {
            crate::client::path_segment(segment)?;
        }
        if trailing {
            segments.push("");
        }
        Ok(segments)
    }
}

impl Operation for RawRequest {
    type Error = crate::ApiErrorBody;

    fn request(&self) -> Result<reqwest::RequestBuilder, Error> {
        let body = match &self.params.body {
            Some(Err(message)) => return Err(Error::InvalidRequest(message.clone())),
            Some(Ok(body)) => Some(body),
            None => None,
        };
        let segments = self.params.segments()?;
        let url = self
            .client
            .url(&segments, &crate::params::Query::default(), &self.options)?;
        let mut request = self.client.prepare(
            self.params.method.clone(),
            url,
            crate::about::AUTH,
            &self.options,
        )?;
        if let Some((RawBody(bytes), content_type)) = body {
            if !self.options.has_header("content-type") {
                request = request.header(reqwest::header::CONTENT_TYPE, *content_type);
            }
            request = request.body(bytes.clone());
        }
        Ok(request)
    }

    fn route(&self) -> Route {
        Route {
            name: "request",
            method: crate::trace::method_name(&self.params.method),
            template: "",
        }
    }
}

impl Response<bytes::Bytes> {
    /// Decodes the body as JSON into `T`, with the memory bound of every decoded body (8 ×
    /// the default `max_response_bytes`, or the body's size if larger); a mismatch says
    /// where ([`Error::Decode`]).
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        // The body is already within the call's size limit; decoding may take 8 × that.
        let limit = (self.body.len() as u64).max(crate::client::DEFAULT_MAX_RESPONSE_BYTES);
        let budget = crate::budget::Budget::new(limit.saturating_mul(8));
        crate::client::decode(self.status, &self.body, &budget)
            .map_err(|e| Error::Decode(Box::new(e)))
    }
}
