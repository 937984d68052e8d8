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

    /// Path-item parameters, overridden by the operation's own (same name and location).
    fn params(&self, cx: &mut TypeContext<'a>) -> Result<Vec<Param>, Diagnostic> {
        let mut resolved: Vec<(&'a Parameter, Pointer)> = Vec::new();
        let item_at = Pointer::root()
            .join("paths")
            .join(self.path)
            .join("parameters");
        let op_at = self.at.join("parameters");
        let all = self
            .item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, item_at.join(i)))
            .chain(
                self.op
                    .parameters
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p, op_at.join(i))),
            );
        for (param, at) in all {
            let (param, at) = resolve(cx, param, &at)?;
            let data = param.parameter_data_ref();
            if matches!(param, Parameter::Header { .. })
                && let Some(why) = reserved_header(&data.name)
            {
                cx.warn(
                    &at,
                    format!("header parameter `{}` left out: {why}", data.name),
                );
                continue;
            }
            let same = |p: &&(&Parameter, Pointer)| {
                let d = p.0.parameter_data_ref();
                d.name == data.name && std::mem::discriminant(p.0) == std::mem::discriminant(param)
            };
            match resolved.iter().position(|p| same(&p)) {
                Some(i) => resolved[i] = (param, at),
                None => resolved.push((param, at)),
            }
        }

        let mut names = Scope::new();
        names.reserve(BUILDER_RESERVED);
        let mut params = Vec::with_capacity(resolved.len());
        // Named after the builder (the method's name), never the raw operationId: a
        // path-like one carries the API's version (`get-/crm/v3/…`), and a version in a type
        // name renames it in every release.
        let op_hint = &self.builder_name;
        for (param, at) in resolved {
            let data = param.parameter_data_ref();
            let explode = data.explode;
            let (location, style) = match param {
                Parameter::Path { style, .. } => {
                    let kind = match style {
                        PathStyle::Simple => TextStyle::Simple,
                        PathStyle::Label => TextStyle::Label,
                        PathStyle::Matrix => TextStyle::Matrix,
                    };
                    (
                        ParamLocation::Path,
                        ParamStyle::Styled {
                            kind,
                            explode: explode.unwrap_or(false),
                        },
                    )
                }
                Parameter::Query { style, .. } => (
                    ParamLocation::Query,
                    match style {
                        QueryStyle::Form if explode == Some(false) => ParamStyle::FormCompact,
                        QueryStyle::Form => ParamStyle::Form,
                        QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                        QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                        QueryStyle::DeepObject => ParamStyle::DeepObject,
                    },
                ),
                Parameter::Header {
                    style: HeaderStyle::Simple,
                    ..
                } => (
                    ParamLocation::Header,
                    ParamStyle::Styled {
                        kind: TextStyle::Simple,
                        explode: explode.unwrap_or(false),
                    },
                ),
                Parameter::Cookie { .. } => (
                    ParamLocation::Cookie,
                    if explode == Some(false) {
                        ParamStyle::FormCompact
                    } else {
                        ParamStyle::Form
                    },
                ),
            };
            let hint = format!("{op_hint} {}", data.name);
            let (ty, style) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    (cx.type_of(&hint, schema, &at.join("schema"))?, style)
                }
                // A parameter with `content` carries its value serialized as that media type.
                ParameterSchemaOrContent::Content(content) => match content.iter().next() {
                    Some((ct, media)) if content_kind(ct, true) == ContentKind::Json => (
                        media_type(cx, &hint, media, &at.join("content").join(ct))?,
                        ParamStyle::Json,
                    ),
                    _ => {
                        return Err(cx.error(
                            &at.join("content"),
                            "only JSON `content` is supported for parameters",
                        ));
                    }
                },
            };
            // Scalars and lists of scalars in the plain `simple` style are written directly;
            // everything else in a path or header goes through the runtime's RFC 6570 text.
            let style = match style {
                ParamStyle::Styled {
                    kind: TextStyle::Simple,
                    ..
                } if is_flat(cx, &ty) => ParamStyle::Simple,
                // A cookie holding an object or nested list: `R,100,G,200`, as `form` without
                // explode writes it.
                ParamStyle::Form | ParamStyle::FormCompact
                    if location == ParamLocation::Cookie && !is_flat(cx, &ty) =>
                {
                    ParamStyle::Styled {
                        kind: TextStyle::Simple,
                        explode: false,
                    }
                }
                other => other,
            };
            params.push(Param {
                name: names.unique(snake_ident(&data.name, "param")),
                wire: data.name.clone(),
                location,
                ty,
                required: data.required || location == ParamLocation::Path,
                docs: data.description.clone(),
                style,
            });
        }
        Ok(params)
    }

    /// Splits the path template into segments of literal text and parameters. A template
    /// variable nobody declares becomes a required string parameter, and a declared path
    /// parameter the template lacks is dropped, each with a warning: real specs have both.
    fn path_parts(
        &self,
        cx: &mut TypeContext<'a>,
        params: &mut Vec<Param>,
    ) -> Result<Vec<Vec<PathPart>>, Diagnostic> {
        let mut template: Vec<Vec<Result<String, String>>> = Vec::new();
        for segment in self.path.split('/').skip(1) {
            let mut parts = Vec::new();
            let mut rest = segment;
            while let Some(open) = rest.find('{') {
                let close = rest[open..].find('}').map(|c| open + c).ok_or_else(|| {
                    cx.error(&self.at, format!("unclosed `{{` in path `{}`", self.path))
                })?;
                if open > 0 {
                    parts.push(Ok(rest[..open].to_owned()));
                }
                parts.push(Err(rest[open + 1..close].to_owned()));
                rest = &rest[close + 1..];
            }
            if !rest.is_empty() {
                parts.push(Ok(rest.to_owned()));
            }
            template.push(parts);
        }
        let variables: Vec<&str> = template
            .iter()
            .flatten()
            .filter_map(|p| p.as_ref().err())
            .map(String::as_str)
            .collect();

        params.retain(|p| {
            let keep = p.location != ParamLocation::Path || variables.contains(&p.wire.as_str());
            if !keep {
                cx.warn(
                    &self.at,
                    format!(
                        "path parameter `{}` does not appear in `{}`; it is ignored",
                        p.wire, self.path
                    ),
                );
            }
            keep
        });
        for variable in &variables {
            if params
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.wire == *variable)
            {
                continue;
            }
            cx.warn(
                &self.at,
                format!(
                    "`{{{variable}}}` in `{}` is not declared; it is taken as a required string",
                    self.path
                ),
            );
            let mut names = Scope::new();
            names.reserve(BUILDER_RESERVED);
            for p in params.iter() {
                names.reserve(&[p.name.trim_start_matches("r#")]);
            }
            params.push(Param {
                name: names.unique(snake_ident(variable, "param")),
                wire: (*variable).to_owned(),
                location: ParamLocation::Path,
                ty: TypeRef::String,
                required: true,
                docs: None,
                style: ParamStyle::Simple,
            });
        }

        let segments = template
            .into_iter()
            .map(|parts| {
                parts
                    .into_iter()
                    .map(|part| match part {
                        Ok(text) => PathPart::Literal(text),
                        Err(variable) => PathPart::Param(
                            params
                                .iter()
                                .position(|p| {
                                    p.location == ParamLocation::Path && p.wire == variable
                                })
                                .unwrap_or_default(),
                        ),
                    })
                    .collect()
            })
            .collect();
        Ok(segments)
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

    /// The lowest 2xx response gives the success type; `default`, `4XX`/`5XX` and 4xx/5xx
    /// codes give the error type (one shared schema, or any JSON when they differ).
    fn responses(
        &self,
        cx: &mut TypeContext<'a>,
    ) -> Result<(TypeRef, ContentKind, TypeRef), Diagnostic> {
        let responses = &self.op.responses;
        let at = self.at.join("responses");
        let mut successes: Vec<(TypeRef, ContentKind)> = Vec::new();
        let mut errors: Vec<(Status, TypeRef)> = Vec::new();
        let mut entries: Vec<(&StatusCode, &ReferenceOr<Response>)> =
            responses.responses.iter().collect();
        entries.sort_by_key(|(code, _)| match code {
            StatusCode::Code(c) => *c,
            StatusCode::Range(r) => r * 100 + 99,
        });
        let several_successes = entries
            .iter()
            .filter(|(code, _)| matches!(code, StatusCode::Code(200..=299) | StatusCode::Range(2)))
            .count()
            > 1;
        // Several error responses may have several bodies: each inline one is named for its
        // status, and `{Op}Error` is left for the enum of them.
        let several_errors = entries
            .iter()
            .filter(|(code, _)| matches!(code, StatusCode::Code(400..) | StatusCode::Range(4..)))
            .count()
            + usize::from(responses.default.is_some())
            > 1;
        for (code, response) in entries {
            let is_success = match code {
                StatusCode::Code(c) => (200..300).contains(c),
                StatusCode::Range(r) => *r == 2,
            };
            let is_error = match code {
                StatusCode::Code(c) => *c >= 400,
                StatusCode::Range(r) => *r >= 4,
            };
            let hint = if is_success && several_successes {
                // The union of them takes `{Op}Response`; each body is named for its status.
                format!("{} {code} Response", self.builder_name)
            } else if is_success {
                format!("{} Response", self.builder_name)
            } else if several_errors {
                format!("{} {code} Error", self.builder_name)
            } else {
                format!("{} Error", self.builder_name)
            };
            if is_success {
                let found = self.response_type(cx, &hint, response, &at.join(code))?;
                if !successes.contains(&found) {
                    successes.push(found);
                }
            } else if is_error {
                let (ty, kind) = self.response_type(cx, &hint, response, &at.join(code))?;
                // Error bodies that are not JSON stay available as raw text.
                if kind == ContentKind::Json {
                    let status = match code {
                        StatusCode::Code(c) => Status::Code(*c),
                        StatusCode::Range(r) => Status::Range(*r),
                    };
                    errors.push((status, ty));
                }
            }
        }
        if let Some(default) = &responses.default {
            let hint = if several_errors {
                format!("{} Default Error", self.builder_name)
            } else {
                format!("{} Error", self.builder_name)
            };
            let (ty, kind) = self.response_type(cx, &hint, default, &at.join("default"))?;
            if successes.is_empty() {
                // Only a `default` response: it describes success too.
                successes.push((ty.clone(), kind));
            }
            if kind == ContentKind::Json {
                errors.push((Status::Default, ty));
            }
        }
        let error = self.error_type(cx, errors);
        let (success, kind) = self.combine_successes(cx, successes);
        Ok((success, kind, error))
    }

    /// The operation's error body: the one type all its error responses document, or an
    /// enum of them read by status (`{Op}Error`) where they differ, or any JSON value where
    /// none is documented.
    fn error_type(&self, cx: &mut TypeContext<'a>, errors: Vec<(Status, TypeRef)>) -> TypeRef {
        let mut variants: Vec<StatusVariant> = Vec::new();
        let mut names = super::names::Scope::new();
        for (status, ty) in errors {
            if ty == TypeRef::Json || ty == TypeRef::Unit {
                continue;
            }
            match variants.iter_mut().find(|v| v.ty == ty) {
                Some(variant) => variant.statuses.push(status),
                None => variants.push(StatusVariant {
                    name: names.unique(super::types::variant_name(&ty)),
                    statuses: vec![status],
                    ty,
                }),
            }
        }
        match variants.as_slice() {
            [] => TypeRef::Json,
            [one] if matches!(one.ty, TypeRef::Named(_)) => one.ty.clone(),
            _ => cx.define_error_union(&format!("{} Error", self.builder_name), variants),
        }
    }

    /// One type for several 2xx responses: a JSON body beside an empty one (`200` and `204`)
    /// is `Option<T>`; different JSON bodies become a union; otherwise the first wins.
    fn combine_successes(
        &self,
        cx: &mut TypeContext<'a>,
        successes: Vec<(TypeRef, ContentKind)>,
    ) -> (TypeRef, ContentKind) {
        let empty = successes.iter().any(|(_, k)| *k == ContentKind::Empty);
        let json: Vec<TypeRef> = successes
            .iter()
            .filter(|(_, k)| *k == ContentKind::Json)
            .map(|(t, _)| t.clone())
            .collect();
        let json = match json.as_slice() {
            [] => None,
            [one] => Some(one.clone()),
            _ => Some(cx.define_union(&format!("{} Response", self.builder_name), json)),
        };
        match (json, empty) {
            (Some(ty), true) => (ty, ContentKind::JsonOrEmpty),
            (Some(ty), false) => (ty, ContentKind::Json),
            (None, _) => successes
                .into_iter()
                .next()
                .unwrap_or((TypeRef::Unit, ContentKind::Empty)),
        }
    }

    fn response_type(
        &self,
        cx: &mut TypeContext<'a>,
        hint: &str,
        response: &'a ReferenceOr<Response>,
        at: &Pointer,
    ) -> Result<(TypeRef, ContentKind), Diagnostic> {
        let (response, at) = resolve(cx, response, at)?;
        let chosen = response
            .content
            .iter()
            .map(|(ct, media)| (ct, media, content_kind(ct, true)))
            .min_by_key(|(_, _, kind)| *kind as u8);
        Ok(match chosen {
            None => (TypeRef::Unit, ContentKind::Empty),
            Some((ct, media, ContentKind::Json)) => (
                media_type(cx, hint, media, &at.join("content").join(ct))?,
                ContentKind::Json,
            ),
            Some((_, _, ContentKind::Text)) => (TypeRef::String, ContentKind::Text),
            Some(_) => (TypeRef::Bytes, ContentKind::Binary),
        })
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

/// Why a header parameter of this name is left out, if it is: OpenAPI ignores `Accept`,
/// `Content-Type` and `Authorization` parameters (the operation's content and security say
/// those), and a value from the caller must never set the request's framing or routing
/// (`Host`, `Content-Length`, `Transfer-Encoding`…: a desync or a token sent elsewhere).
fn reserved_header(name: &str) -> Option<&'static str> {
    let name = name.trim().to_ascii_lowercase();
    match name.as_str() {
        "accept" | "content-type" | "authorization" => {
            Some("OpenAPI ignores it (the operation's content types and security set it)")
        }
        "host" | "content-length" | "transfer-encoding" | "connection" | "keep-alive"
        | "upgrade" | "te" | "trailer" | "expect" | "cookie" => Some(
            "the client sets it; a value from the caller could change where or how the request goes",
        ),
        _ if name.starts_with("proxy-") => Some(
            "the client sets it; a value from the caller could change where or how the request goes",
        ),
        _ => None,
    }
}
