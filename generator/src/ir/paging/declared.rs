//! Paging as declared (`x-openapi-gen-pagination` in the spec, or `[[crate.spec.paging]]`
//! in the configuration), checked against the operation.

use super::*;

impl<'a> Shape<'a> {
    /// `x-openapi-gen-pagination`: `false`, or `{style, items, cursor, param, limit}`.
    pub(super) fn declared(
        &self,
        value: &Value,
        hints: &Hints,
    ) -> Result<Option<Pagination>, String> {
        let object = match value {
            Value::Bool(false) => return Ok(None),
            Value::Object(object) => object,
            _ => {
                return Err(format!(
                    "`{EXTENSION}` is `false` or an object with `style` (cursor, stripe, link, offset or page)"
                ));
            }
        };
        let text = |key: &str| -> Result<Option<&str>, String> {
            match object.get(key) {
                None => Ok(None),
                Some(Value::String(s)) => Ok(Some(s)),
                Some(_) => Err(format!("`{key}` must be a string")),
            }
        };
        for key in object.keys() {
            if !["style", "items", "cursor", "param", "limit", "done", "more"]
                .contains(&key.as_str())
            {
                return Err(format!(
                    "unknown key `{key}` (known: style, items, cursor, param, limit, done, more)"
                ));
            }
        }
        if !self.pageable() {
            return Err("only an operation with a JSON response can page".to_owned());
        }
        let style =
            text("style")?.ok_or("`style` is missing (cursor, stripe, link, offset or page)")?;
        let items = match text("items")? {
            None => self
                .items()
                .ok_or("the response has no one list of items; name it with `items`")?,
            Some(dotted) => {
                let found = self.path(dotted)?;
                let TypeRef::Vec(item) = found.ty else {
                    return Err(format!("`items`: `{dotted}` is not an array"));
                };
                Found { ty: item, ..found }
            }
        };
        let param = text("param")?;
        let limit = text("limit")?;
        let query = |name: &str| -> Result<usize, String> {
            self.op
                .params
                .iter()
                .position(|p| p.location == ParamLocation::Query && p.wire == name)
                .filter(|&i| {
                    matches!(
                        self.resolve(&self.op.params[i].ty),
                        TypeRef::I32 | TypeRef::I64
                    )
                })
                .ok_or_else(|| format!("the operation has no integer query parameter `{name}`"))
        };
        let found = match style {
            "cursor" => {
                let dotted = text("cursor")?.ok_or("`cursor` (the cursor's path in the response, e.g. `paging.next.after`) is missing")?;
                let cursor = self.path(dotted)?;
                if !matches!(cursor.ty, TypeRef::String | TypeRef::I32 | TypeRef::I64) {
                    return Err(format!("`cursor`: `{dotted}` is not a string or integer"));
                }
                let leaf = cursor.wires.last().map(|s| words(s)).unwrap_or_default();
                let name = match param {
                    Some(p) => words(p),
                    None => leaf.strip_prefix("next_").unwrap_or(&leaf).to_owned(),
                };
                let (into, target) = self.target(&name, cursor.ty).ok_or_else(|| {
                    format!("no query parameter or JSON body field `{name}` of the cursor's type takes the cursor")
                })?;
                // The end flag as declared (`done`: true on the last page; `more`: false on
                // it), else as recognised.
                let end = match (text("done")?, text("more")?) {
                    (Some(_), Some(_)) => return Err("give `done` or `more`, not both".to_owned()),
                    (Some(done), None) => Some(self.declared_end(done, true)?),
                    (None, Some(more)) => Some(self.declared_end(more, false)?),
                    (None, None) => self.end_flag().map(|f| f.flag),
                };
                let until = end.as_ref().map_or(String::new(), |e| {
                    let flag = text("done").ok().flatten().or(text("more").ok().flatten());
                    format!(", until `{}` is {}", flag.unwrap_or("the end flag"), e.last_when)
                });
                let summary =
                    format!("the `{dotted}` of each response is sent back as {target}{until}");
                let next = NextPage::Cursor {
                    at: cursor.steps,
                    into,
                    as_text: false,
                    end,
                };
                Some(self.pagination(PagingRule::Declared, &items, next, summary))
            }
            _ if object.contains_key("done") || object.contains_key("more") => {
                return Err("`done` and `more` go with `style: cursor`".to_owned());
            }
            "stripe" => Some(
                self.last_id(&items, PagingRule::Declared, &[param.unwrap_or("starting_after")])
                    .ok_or("`stripe` needs a boolean `has_more`, items with a string `id` (or a `last_id`), and a string parameter `param` (default `starting_after`)")?,
            ),
            "link" => Some(self.link(&items)),
            "offset" => {
                let offset = query(param.unwrap_or("offset"))?;
                let limit = limit.map(query).transpose()?;
                self.offset(&items, Some(offset), limit)
            }
            "page" => {
                let page = query(param.unwrap_or("page"))?;
                let size = limit.map(query).transpose()?;
                self.page(&items, Some(page), size, hints)
            }
            other => {
                return Err(format!(
                    "unknown `style` `{other}` (cursor, stripe, link, offset or page)"
                ));
            }
        };
        Ok(found.map(|mut p| {
            p.rule = PagingRule::Declared;
            p
        }))
    }

    /// The field of this name at the top of the response, as an end flag.
    pub(super) fn declared_end(&self, wire: &str, last_when: bool) -> Result<EndFlag, String> {
        let found = self.path(wire)?;
        if *found.ty != TypeRef::Bool {
            return Err(format!("`{wire}` is not a boolean"));
        }
        Ok(EndFlag {
            at: found.steps,
            last_when,
        })
    }
}
