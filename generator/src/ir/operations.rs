//! Paths → operations: parameters by location, body, success and error types, auth.

use super::TextStyle;
use super::names::{Scope, pascal_ident, snake_ident};
use super::op_names;
use super::paging;
use super::types::TypeContext;
use super::{
    ApiKeyLocation, Auth, Body, ContentKind, HttpMethod, Operation, Param, ParamLocation,
    ParamStyle, PathPart, TypeRef,
};
use super::{Status, StatusVariant};
use crate::diagnostics::{Diagnostic, Pointer};
use openapiv3::{
    HeaderStyle, MediaType, Parameter, ParameterSchemaOrContent, PathStyle, QueryStyle,
    ReferenceOr, RequestBody, Response, SecurityScheme, StatusCode,
};

mod params;
mod responses;

/// Methods and fields every request builder already has; parameters must not take them.
const BUILDER_RESERVED: &[&str] = &[
    "client",
    "options",
    "send",
    "send_with_response",
    "send_stream",
    "into_future",
    "header",
    "query",
    "timeout",
    "total_timeout",
    "max_retries",
    "max_response_bytes",
    "stream",
    "pages",
];

/// Follows `$ref`s into `#/components/<section>/`, a bounded number of hops.
trait Component: Sized {
    const SECTION: &'static str;
    fn lookup<'a>(
        components: &'a openapiv3::Components,
        key: &str,
    ) -> Option<&'a ReferenceOr<Self>>;
}

macro_rules! component {
    ($ty:ty, $section:literal, $field:ident) => {
        impl Component for $ty {
            const SECTION: &'static str = $section;
            fn lookup<'a>(
                c: &'a openapiv3::Components,
                key: &str,
            ) -> Option<&'a ReferenceOr<Self>> {
                c.$field.get(key)
            }
        }
    };
}
component!(Parameter, "parameters", parameters);
component!(Response, "responses", responses);
component!(RequestBody, "requestBodies", request_bodies);
component!(SecurityScheme, "securitySchemes", security_schemes);

fn resolve<'a, T: Component>(
    cx: &TypeContext<'a>,
    item: &'a ReferenceOr<T>,
    pointer: &Pointer,
) -> Result<(&'a T, Pointer), Diagnostic> {
    let mut current = item;
    let mut at = pointer.clone();
    for _ in 0..32 {
        match current {
            ReferenceOr::Item(t) => return Ok((t, at)),
            ReferenceOr::Reference { reference } => {
                let prefix = format!("#/components/{}/", T::SECTION);
                let key = reference.strip_prefix(&prefix).ok_or_else(|| {
                    cx.error(
                        &at,
                        format!(
                            "`$ref: {reference}` is not supported here: expected {prefix}<name>"
                        ),
                    )
                })?;
                let key = key.replace("~1", "/").replace("~0", "~");
                current = cx
                    .api
                    .components
                    .as_ref()
                    .and_then(|c| T::lookup(c, &key))
                    .ok_or_else(|| {
                        cx.error(&at, format!("`$ref: {reference}` points to nothing"))
                    })?;
                at = Pointer::root()
                    .join("components")
                    .join(T::SECTION)
                    .join(&key);
            }
        }
    }
    Err(cx.error(pointer, "`$ref` chain is too long or cyclic"))
}

/// Converts every operation; returns them with the crate-wide error body type.
pub fn convert(cx: &mut TypeContext<'_>) -> (Vec<Operation>, TypeRef, Vec<paging::Hints>) {
    let api = cx.api;
    let mut operations = Vec::new();
    let mut hints = Vec::new();
    let mut method_names = Scope::new();
    // The runtime's own methods on `Client`, public and crate-private.
    method_names.reserve(&[
        "new",
        "builder",
        "base_url",
        "url",
        "request",
        "prepare",
        "send_raw",
        "execute",
        "send_json",
        "send_json_or_empty",
        "send_empty",
        "send_text",
        "send_bytes",
        "clone",
        "fmt",
    ]);
    let mut builder_names = Scope::new();
    let paths = Pointer::root().join("paths");
    let mut found = Vec::new();
    for (path, item) in &api.paths.paths {
        let item_at = paths.join(path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => {
                let d = cx.error(&item_at, "a `$ref` path item is not supported yet");
                cx.report(d);
                continue;
            }
        };
        let methods = [
            ("get", HttpMethod::Get, &item.get),
            ("put", HttpMethod::Put, &item.put),
            ("post", HttpMethod::Post, &item.post),
            ("delete", HttpMethod::Delete, &item.delete),
            ("options", HttpMethod::Options, &item.options),
            ("head", HttpMethod::Head, &item.head),
            ("patch", HttpMethod::Patch, &item.patch),
            ("trace", HttpMethod::Trace, &item.trace),
        ];
        for (key, method, op) in methods {
            if let Some(op) = op {
                found.push((path.as_str(), key, method, item, op, item_at.join(key)));
            }
        }
    }
    // operationIds must be unique (OpenAPI 3.0 §4.7.10); name both places.
    let mut first_seen: std::collections::HashMap<&str, &Pointer> =
        std::collections::HashMap::new();
    // Under --lenient a repeated id is ignored: that operation is named from its method and
    // path, as if it had none.
    let mut repeated = std::collections::HashSet::new();
    for (index, (_, _, _, _, op, at)) in found.iter().enumerate() {
        let Some(id) = op.operation_id.as_deref() else {
            continue;
        };
        if let Some(first) = first_seen.get(id) {
            let message =
                format!("operationId `{id}` is also used at {first}; operationIds must be unique");
            if cx.lenient {
                repeated.insert(index);
                cx.warn(
                    &at.join("operationId"),
                    format!("{message} (named from its method and path under --lenient)"),
                );
            } else {
                let d = cx.error(&at.join("operationId"), message);
                cx.report(d);
            }
        } else {
            first_seen.insert(id, at);
        }
    }
    let named: Vec<op_names::Named<'_>> = found
        .iter()
        .enumerate()
        .map(|(index, (path, key, _, _, op, _))| op_names::Named {
            method: key,
            path,
            operation_id: op
                .operation_id
                .as_deref()
                .filter(|_| !repeated.contains(&index)),
        })
        .collect();
    let raw_names = op_names::operation_names(&named);
    for ((path, _, method, item, op, at), raw_name) in found.into_iter().zip(raw_names) {
        let wanted = snake_ident(&raw_name, "operation");
        let method_name = method_names.unique(wanted.clone());
        if method_name != wanted {
            cx.warn(
                &at,
                format!("the method name `{wanted}` is taken (by the client itself, or by an operation no longer name can tell apart); this one is `{method_name}`"),
            );
        }
        let builder_name = builder_names.unique(pascal_ident(
            method_name.trim_start_matches("r#"),
            "Operation",
        ));
        let cx_op = OpContext {
            path,
            method,
            item,
            op,
            at,
            method_name,
            builder_name,
        };
        let found = cx_op.paging_hints(cx);
        match cx_op.convert(cx) {
            Ok(operation) => {
                operations.push(operation);
                hints.push(found);
            }
            Err(mut d) if cx.lenient => {
                d.severity = crate::diagnostics::Severity::Warning;
                d.message.push_str(" (operation skipped under --lenient)");
                cx.report(d);
            }
            Err(d) => cx.report(d),
        }
    }
    let error_body = most_common_error(&operations);
    (operations, error_body, hints)
}

/// The error type most operations share, so `Error`'s default fits them.
fn most_common_error(operations: &[Operation]) -> TypeRef {
    let mut counts: Vec<(&TypeRef, usize)> = Vec::new();
    for op in operations {
        match counts.iter_mut().find(|(t, _)| **t == op.error) {
            Some((_, n)) => *n += 1,
            None => counts.push((&op.error, 1)),
        }
    }
    // Ties go to the first seen, so the choice follows spec order.
    let mut best: Option<(&TypeRef, usize)> = None;
    for (t, n) in counts {
        if best.is_none_or(|(_, b)| n > b) {
            best = Some((t, n));
        }
    }
    best.map(|(t, _)| t.clone()).unwrap_or(TypeRef::Json)
}

struct OpContext<'a> {
    path: &'a str,
    method: HttpMethod,
    item: &'a openapiv3::PathItem,
    op: &'a openapiv3::Operation,
    at: Pointer,
    method_name: String,
    builder_name: String,
}

impl<'a> OpContext<'a> {
    fn convert(self, cx: &mut TypeContext<'a>) -> Result<Operation, Diagnostic> {
        let mut params = self.params(cx)?;
        let path = self.path_parts(cx, &mut params)?;
        let body = self.body(cx)?;
        let (success, success_kind, error) = self.responses(cx)?;
        let auth = self.auth(cx);
        let docs = match (&self.op.summary, &self.op.description) {
            (Some(s), Some(d)) if s != d => Some(format!("{s}\n\n{d}")),
            (Some(s), _) => Some(s.clone()),
            (None, Some(d)) => Some(d.clone()),
            (None, None) => None,
        };
        let responses = &self.op.responses;
        let docs = if responses.responses.is_empty() && responses.default.is_none() {
            let note = "The API description documents no responses, so this returns `()`.";
            Some(match docs {
                Some(d) => format!("{d}\n\n{note}"),
                None => note.to_owned(),
            })
        } else {
            docs
        };
        Ok(Operation {
            named_by_spec: self
                .op
                .operation_id
                .as_deref()
                .is_some_and(|id| snake_ident(id, "operation") == self.method_name),
            method_name: self.method_name,
            builder_name: self.builder_name,
            http_method: self.method,
            path_template: self.path.to_owned(),
            path,
            params,
            body,
            success,
            success_kind,
            error,
            docs,
            auth,
            pagination: None,
            tag: self.op.tags.first().cloned(),
        })
    }

    /// What paging recognition needs from the description beyond the IR.
    fn paging_hints(&self, cx: &TypeContext<'a>) -> paging::Hints {
        let link_header = self.op.responses.responses.iter().any(|(code, response)| {
            matches!(code, StatusCode::Code(200..=299) | StatusCode::Range(2))
                && resolve(cx, response, &self.at)
                    .is_ok_and(|(r, _)| r.headers.keys().any(|h| h.eq_ignore_ascii_case("link")))
        });
        let page_start = self
            .item
            .parameters
            .iter()
            .chain(&self.op.parameters)
            .filter_map(|p| resolve(cx, p, &self.at).ok())
            .filter_map(|(p, _)| match p {
                Parameter::Query { parameter_data, .. } if parameter_data.name == "page" => {
                    match &parameter_data.format {
                        ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => {
                            let default =
                                schema.schema_data.default.as_ref().and_then(|d| d.as_i64());
                            let minimum = match &schema.schema_kind {
                                openapiv3::SchemaKind::Type(openapiv3::Type::Integer(i)) => {
                                    i.minimum
                                }
                                _ => None,
                            };
                            default.or(minimum)
                        }
                        _ => None,
                    }
                }
                _ => None,
            })
            .next_back();
        paging::Hints {
            at: self.at.clone(),
            link_header,
            extension: self.op.extensions.get(paging::EXTENSION).cloned(),
            page_start,
        }
    }

    fn body(&self, cx: &mut TypeContext<'a>) -> Result<Option<Body>, Diagnostic> {
        let Some(body) = &self.op.request_body else {
            return Ok(None);
        };
        let (body, at) = resolve(cx, body, &self.at.join("requestBody"))?;
        // The richest encoding the operation accepts: JSON, then forms, then text, then bytes.
        let Some((content_type, media, kind)) = body
            .content
            .iter()
            .map(|(ct, media)| (ct, media, content_kind(ct, false)))
            .min_by_key(|(_, _, kind)| *kind as u8)
        else {
            return Err(cx.error(&at.join("content"), "a request body with no content type"));
        };
        let at = at.join("content").join(content_type);
        let hint = format!("{} Body", self.builder_name);
        let ty = match kind {
            ContentKind::Json | ContentKind::JsonOrEmpty | ContentKind::Form => {
                media_type(cx, &hint, media, &at)?
            }
            ContentKind::Multipart => TypeRef::Multipart,
            ContentKind::Text => TypeRef::String,
            ContentKind::Binary | ContentKind::Empty => TypeRef::Bytes,
        };
        // The parts a multipart body documents are worth reading when building it.
        let docs = match (kind, &media.schema) {
            (ContentKind::Multipart, Some(ReferenceOr::Item(schema))) => multipart_docs(schema),
            _ => body.description.clone(),
        };
        Ok(Some(Body {
            name: "body".to_owned(),
            ty,
            required: body.required,
            content_type: content_type.clone(),
            kind,
            docs,
        }))
    }

    /// The credentials the operation accepts, in the spec's order of preference: its own
    /// `security`, else the document's. Any one of them suffices.
    fn auth(&self, cx: &mut TypeContext<'a>) -> Vec<Auth> {
        let requirements = self.op.security.as_ref().or(cx.api.security.as_ref());
        let Some(requirements) = requirements else {
            return Vec::new();
        };
        let schemes = cx.api.components.as_ref().map(|c| &c.security_schemes);
        let mut auth = Vec::new();
        for name in requirements.iter().flat_map(|r| r.keys()) {
            let at = Pointer::root()
                .join("components")
                .join("securitySchemes")
                .join(name);
            let Some(scheme) = schemes.and_then(|s| s.get(name)) else {
                cx.warn(
                    &self.at.join("security"),
                    format!("security scheme `{name}` is not defined; it is ignored"),
                );
                continue;
            };
            let found = match resolve(cx, scheme, &at) {
                Ok((SecurityScheme::HTTP { scheme, .. }, _))
                    if scheme.eq_ignore_ascii_case("bearer") =>
                {
                    Auth::Bearer
                }
                Ok((SecurityScheme::HTTP { scheme, .. }, _))
                    if scheme.eq_ignore_ascii_case("basic") =>
                {
                    Auth::Basic
                }
                Ok((SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. }, _)) => {
                    Auth::Bearer
                }
                Ok((SecurityScheme::APIKey { location, name, .. }, _)) => Auth::ApiKey {
                    location: match location {
                        openapiv3::APIKeyLocation::Header => ApiKeyLocation::Header,
                        openapiv3::APIKeyLocation::Query => ApiKeyLocation::Query,
                        openapiv3::APIKeyLocation::Cookie => ApiKeyLocation::Cookie,
                    },
                    name: name.clone(),
                },
                Ok((SecurityScheme::HTTP { scheme, .. }, at)) => {
                    cx.warn(&at, format!("HTTP `{scheme}` authentication is not supported; requests go out without it"));
                    continue;
                }
                Err(d) => {
                    cx.report(d);
                    continue;
                }
            };
            if !auth.contains(&found) {
                auth.push(found);
            }
        }
        auth
    }
}

fn media_type<'a>(
    cx: &mut TypeContext<'a>,
    hint: &str,
    media: &'a MediaType,
    at: &Pointer,
) -> Result<TypeRef, Diagnostic> {
    match &media.schema {
        Some(schema) => cx.type_of(hint, schema, &at.join("schema")),
        None => Ok(TypeRef::Json),
    }
}

/// How a media type is encoded; the order is the preference when several are offered.
/// In responses `*/*` counts as JSON (HubSpot labels JSON error bodies so).
fn content_kind(content_type: &str, response: bool) -> ContentKind {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json"
        || essence.ends_with("+json")
        || essence == "text/json"
        || (response && essence == "*/*")
    {
        ContentKind::Json
    } else if essence == "application/x-www-form-urlencoded" {
        ContentKind::Form
    } else if essence == "multipart/form-data" || essence == "multipart/mixed" {
        ContentKind::Multipart
    } else if essence.starts_with("text/") {
        ContentKind::Text
    } else {
        ContentKind::Binary
    }
}

/// A multipart body's documented parts, as a list for the builder's docs.
fn multipart_docs(schema: &openapiv3::Schema) -> Option<String> {
    let properties = match &schema.schema_kind {
        openapiv3::SchemaKind::Type(openapiv3::Type::Object(o)) => &o.properties,
        openapiv3::SchemaKind::Any(any) => &any.properties,
        _ => return None,
    };
    if properties.is_empty() {
        return None;
    }
    let mut text = String::from("A multipart form with the parts:");
    for name in properties.keys() {
        text.push_str(&format!("\n- `{}`", name.replace('`', "'")));
    }
    Some(text)
}

/// Scalars and lists of scalars: values with a plain text form.
fn is_flat(cx: &TypeContext<'_>, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Vec(item) => cx.is_scalar(item),
        t => cx.is_scalar(t),
    }
}
