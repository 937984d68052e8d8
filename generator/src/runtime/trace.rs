//! What a call shows a `tracing` subscriber: a span per call and per attempt, with the
//! fields of OpenTelemetry's semantic conventions for HTTP clients, so an application that
//! exports spans (e.g. through `tracing-opentelemetry`) sees each call as one trace under its
//! own span. No field holds a credential, a query value or a filled-in path.

use std::fmt;

use crate::error::Error;

/// What a call is named by in its tracing spans: the client method, the HTTP method, and
/// the path template its URL is made from (never the filled-in path or the query, which
/// can hold identifiers and credentials).
#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub(crate) name: &'static str,
    pub(crate) method: &'static str,
    /// Empty where there is none (a raw request's path is not a template).
    pub(crate) template: &'static str,
}

impl fmt::Display for Route {
    /// OpenTelemetry's span name for an HTTP client call: `{method} {template}`, or the
    /// method alone.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.template.is_empty() {
            f.write_str(self.method)
        } else {
            write!(f, "{} {}", self.method, self.template)
        }
    }
}

/// A method's name as OpenTelemetry records it: the standard ones, or `_OTHER`.
pub(crate) fn method_name(method: &reqwest::Method) -> &'static str {
    use reqwest::Method;
    [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
        Method::HEAD,
        Method::OPTIONS,
        Method::TRACE,
        Method::CONNECT,
    ]
    .iter()
    .zip([
        "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT",
    ])
    .find_map(|(known, name)| (known == method).then_some(name))
    .unwrap_or("_OTHER")
}

/// The span of one call, with OpenTelemetry's HTTP client fields: what the call is (its
/// method, path template and server) now, how it ended when it has. A disabled span (no
/// subscriber wants it) costs one check.
pub(crate) fn call_span(route: Route, base_url: Option<&reqwest::Url>) -> tracing::Span {
    let span = tracing::info_span!(
        "http_client_call",
        otel.name = %route,
        otel.kind = "client",
        operation = route.name,
        http.request.method = route.method,
        url.template = tracing::field::Empty,
        server.address = tracing::field::Empty,
        server.port = tracing::field::Empty,
        http.response.status_code = tracing::field::Empty,
        error.type = tracing::field::Empty,
    );
    if !span.is_disabled() {
        if !route.template.is_empty() {
            span.record("url.template", route.template);
        }
        if let Some(url) = base_url {
            if let Some(host) = url.host_str() {
                span.record("server.address", host);
            }
            if let Some(port) = url.port_or_known_default() {
                span.record("server.port", port);
            }
        }
    }
    span
}

/// What kind of failure an error is, for the `error.type` field: the status code of an
/// answer outside 2xx, or the variant.
pub(crate) fn error_type<E>(error: &Error<E>) -> &str {
    match error {
        Error::Api(e) | Error::RateLimited(e) => e.status.as_str(),
        Error::InvalidRequest(_) => "invalid_request",
        Error::Timeout(_) => "timeout",
        Error::Transport(_) => "transport",
        Error::Decode(_) => "decode",
        Error::ResponseTooLarge { .. } => "response_too_large",
        Error::Redirect { .. } => "redirect",
        Error::Throttled { .. } => "throttled",
        // @when paging
        Error::Paging(_) => "paging",
        // @end
        // @when oauth2
        Error::Auth(_) => "auth",
        // @end
        Error::Build(_) => "build",
    }
}

/// Sends the attempt's trace context on to the server as a W3C `traceparent` header, so the
/// server's spans join the application's trace. Needs the `traceparent` feature and an
/// application exporting `tracing` spans through `tracing-opentelemetry` (without a valid
/// context, nothing is sent).
#[cfg(feature = "traceparent")]
pub(crate) fn propagate(span: &tracing::Span, headers: &mut reqwest::header::HeaderMap) {
    use opentelemetry::trace::TraceContextExt as _;
    use tracing_opentelemetry::OpenTelemetrySpanExt as _;
    let context = span.context();
    let otel = context.span();
    let ids = otel.span_context();
    if !ids.is_valid() {
        return;
    }
    let value = format!(
        "00-{}-{}-{:02x}",
        ids.trace_id(),
        ids.span_id(),
        ids.trace_flags().to_u8()
    );
    if let Ok(value) = reqwest::header::HeaderValue::try_from(value) {
        headers.insert("traceparent", value);
    }
}
