//! An operation's parameters (path, query, header, cookie) and its path template.

use super::*;

impl<'a> OpContext<'a> {
    /// Path-item parameters, overridden by the operation's own (same name and location).
    pub(super) fn params(&self, cx: &mut TypeContext<'a>) -> Result<Vec<Param>, Diagnostic> {
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
    pub(super) fn path_parts(
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
}

/// Why a header parameter of this name is left out, if it is: OpenAPI ignores `Accept`,
/// `Content-Type` and `Authorization` parameters (the operation's content and security say
/// those), and a value from the caller must never set the request's framing or routing
/// (`Host`, `Content-Length`, `Transfer-Encoding`…: a desync or a token sent elsewhere).
pub(super) fn reserved_header(name: &str) -> Option<&'static str> {
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
