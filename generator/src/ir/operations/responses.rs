//! An operation's responses: the success type, and the error bodies by status.

use super::*;

impl<'a> OpContext<'a> {
    /// The lowest 2xx response gives the success type; `default`, `4XX`/`5XX` and 4xx/5xx
    /// codes give the error type (one shared schema, or any JSON when they differ).
    pub(super) fn responses(
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
    pub(super) fn error_type(
        &self,
        cx: &mut TypeContext<'a>,
        errors: Vec<(Status, TypeRef)>,
    ) -> TypeRef {
        let mut variants: Vec<StatusVariant> = Vec::new();
        let mut names = crate::ir::names::Scope::new();
        for (status, ty) in errors {
            if ty == TypeRef::Json || ty == TypeRef::Unit {
                continue;
            }
            match variants.iter_mut().find(|v| v.ty == ty) {
                Some(variant) => variant.statuses.push(status),
                None => variants.push(StatusVariant {
                    name: names.unique(crate::ir::types::variant_name(&ty)),
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
    pub(super) fn combine_successes(
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

    pub(super) fn response_type(
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
}
