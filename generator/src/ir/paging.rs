//! Which operations answer with one page of a longer list, and how the next page is asked
//! for. Recognised from the operation's shape; the first rule that fits wins:
//!
//! | rule | the response has | the next request |
//! |---|---|---|
//! | declared | `x-openapi-gen-pagination` on the operation says (or `false`: never) | as declared |
//! | cursor | a list and a scalar under a `next…` name (`paging.next.after`, `next_cursor`, `nextPageToken`, `next_page.offset`) or a `…cursor` | the parameter or JSON body field of that name, `next` dropped (`after`, `cursor`, `page_token`, `offset`; `next_page` → `page` or `page_token`), also one object down in the body (`pagination.starting_after`) |
//! | url | a list and, where no parameter takes the cursor, a next-page URL (`next_page_uri`, `meta.next_page_url`, `nextLink`, `links.next`) | that URL (same origin only) |
//! | stripe | `has_more` and `data` of objects with an `id` | `starting_after` (or `after`, OpenAI) = the last item's `id` |
//! | link | a declared `Link` response header, and a list | the `rel="next"` URL |
//! | offset | a list; the request takes `offset` (and `limit`) | `offset` + the items received, until a short or empty page |
//! | page | a list; the request takes `page` (and `per_page`/`page_size`/`limit`) | `page` + 1, until a short or empty page |
//!
//! "A list" is a body that is an array, or an object with exactly one array property. A
//! body that may be empty (`200` beside `204`) pages too: no body ends the list.

use super::names::snake_ident;
use super::{ContentKind, Field, Operation, ParamLocation, TypeDef, TypeKind, TypeRef};
use crate::diagnostics::{Diagnostic, Pointer, Severity};
use serde_json::Value;

mod declared;

/// The vendor extension that declares (or, as `false`, disables) an operation's paging.
pub use crate::settings::PAGING_EXTENSION as EXTENSION;

/// How an operation's list continues on further pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    pub rule: PagingRule,
    /// The fields from the response body to the list; empty when the body is the list.
    pub items: Vec<Step>,
    pub item: TypeRef,
    pub next: NextPage,
    /// How it pages, in the spec's names, for the generated docs.
    pub summary: String,
}

/// One field on the way to a value in a response body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub field: String,
    /// The field is an `Option`.
    pub optional: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NextPage {
    /// The value at `at` goes into `into` (as text, if `as_text`); a missing or empty value
    /// ends the list, and so does the `end` flag where the response has one.
    Cursor {
        at: Vec<Step>,
        into: Target,
        as_text: bool,
        end: Option<EndFlag>,
    },
    /// While `has_more` holds, the last item's `id` goes into `into`.
    LastId {
        has_more: Vec<Step>,
        id: LastId,
        into: Target,
    },
    /// The `Link` header's `rel="next"` URL.
    Link,
    /// A next-page URL in the response body, at `at`.
    Url { at: Vec<Step> },
    /// Query parameter indices: `offset` grows by the items received.
    Offset { offset: usize, limit: Option<usize> },
    /// Query parameter indices: `page` counts up from `first`.
    Page {
        page: usize,
        size: Option<usize>,
        first: i64,
    },
}

/// A boolean in the response that says the list ends here (`done: true`,
/// `has_more: false`) while the cursor is still given (Svix's `iterator`).
#[derive(Debug, Clone, PartialEq)]
pub struct EndFlag {
    pub at: Vec<Step>,
    /// The value that means "this is the last page".
    pub last_when: bool,
}

/// Where the last item's id is read.
#[derive(Debug, Clone, PartialEq)]
pub enum LastId {
    /// The item's own `id` field (an `Option` if `optional`).
    Item { optional: bool },
    /// A `last_id` beside the list (OpenAI's, for lists of unions without a common `id`).
    Field(Vec<Step>),
}

/// Where a cursor goes in the next request.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A parameter, by index into [`Operation::params`].
    Param(usize),
    /// A field of the (required) JSON body, or of an object in it: each field's name and
    /// how it is held (an `Option` on the way is filled with a default object first).
    Body { path: Vec<(String, Wrap)> },
}

/// How a body field holds its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wrap {
    Plain,
    Option,
    DoubleOption,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PagingRule {
    Declared,
    Cursor,
    Stripe,
    Url,
    Link,
    Offset,
    Page,
}

impl PagingRule {
    pub fn as_str(self) -> &'static str {
        match self {
            PagingRule::Declared => "declared",
            PagingRule::Cursor => "cursor",
            PagingRule::Stripe => "stripe",
            PagingRule::Url => "url",
            PagingRule::Link => "link",
            PagingRule::Offset => "offset",
            PagingRule::Page => "page",
        }
    }
}

/// What the operation's raw description says that the IR does not keep.
#[derive(Debug, Clone)]
pub struct Hints {
    pub at: Pointer,
    /// A 2xx response declares a `Link` header.
    pub link_header: bool,
    /// The operation's `x-openapi-gen-pagination`, as written.
    pub extension: Option<Value>,
    /// The `page` query parameter's `default` (else `minimum`), where given.
    pub page_start: Option<i64>,
}

/// Sets [`Operation::pagination`] on every operation a rule (or the extension) matches.
pub fn recognise(
    types: &[TypeDef],
    operations: &mut [Operation],
    hints: &[Hints],
    file: &str,
    lenient: bool,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for (op, hints) in operations.iter_mut().zip(hints) {
        let cx = Shape { types, op };
        op.pagination = match &hints.extension {
            Some(declared) => match cx.declared(declared, hints) {
                Ok(found) => found,
                Err(mut message) => {
                    if lenient {
                        message.push_str(" (the operation does not page, under --lenient)");
                    }
                    diagnostics.push(Diagnostic {
                        severity: if lenient {
                            Severity::Warning
                        } else {
                            Severity::Error
                        },
                        file: file.to_owned(),
                        pointer: hints.at.join(EXTENSION).to_string(),
                        line_col: None,
                        message,
                    });
                    None
                }
            },
            None => cx.recognised(hints),
        };
    }
    diagnostics
}

struct Shape<'a> {
    types: &'a [TypeDef],
    op: &'a Operation,
}

/// A value in the response body, found by following fields.
#[derive(Clone)]
struct Found<'a> {
    steps: Vec<Step>,
    wires: Vec<&'a str>,
    ty: &'a TypeRef,
}

impl<'a> Shape<'a> {
    /// Aliases followed to what they name (bounded: alias cycles are reported elsewhere).
    fn resolve(&self, mut ty: &'a TypeRef) -> &'a TypeRef {
        for _ in 0..16 {
            let TypeRef::Named(name) = ty else { break };
            match self.types.iter().find(|t| &t.name == name).map(|t| &t.kind) {
                Some(TypeKind::Alias(target)) => ty = target,
                _ => break,
            }
        }
        ty
    }

    fn fields(&self, ty: &'a TypeRef) -> Option<&'a [Field]> {
        let TypeRef::Named(name) = self.resolve(ty) else {
            return None;
        };
        match &self.types.iter().find(|t| &t.name == name)?.kind {
            TypeKind::Struct { fields } => Some(fields),
            _ => None,
        }
    }

    fn step(field: &Field) -> Step {
        Step {
            field: field.name.clone(),
            optional: field.is_option(),
        }
    }

    /// A boolean at the top of the response that says whether the list goes on: `done`,
    /// `is_last`, `last_page` (the last page when true), `has_more`, `has_next`, `more`
    /// (the last page when false).
    fn end_flag(&self) -> Option<NamedFlag> {
        let fields = self.fields(&self.op.success)?;
        fields.iter().find_map(|f| {
            if *self.resolve(&f.ty) != TypeRef::Bool {
                return None;
            }
            let last_when = match words(&f.wire).as_str() {
                "done" | "is_done" | "is_last" | "last_page" | "is_last_page" => true,
                "has_more" | "has_next" | "has_next_page" | "more" | "more_pages" => false,
                _ => return None,
            };
            Some(NamedFlag {
                wire: f.wire.clone(),
                flag: EndFlag {
                    at: vec![Self::step(f)],
                    last_when,
                },
            })
        })
    }

    /// The list in the response: the body itself, its one array property (or, among
    /// several, the one named like a list: `results`, `data`, `items`, `entries`…), or
    /// the same one object down where the body wraps one page object (Spotify's
    /// `{playlists: {items, next, offset, limit, total}}`).
    fn items(&self) -> Option<Found<'a>> {
        let body = &self.op.success;
        if let TypeRef::Vec(item) = self.resolve(body) {
            return Some(Found {
                steps: Vec::new(),
                wires: Vec::new(),
                ty: item,
            });
        }
        let fields = self.fields(body)?;
        if let Some((field, item)) = self.list_in(fields) {
            return Some(Found {
                steps: vec![Self::step(field)],
                wires: vec![&field.wire],
                ty: item,
            });
        }
        let mut objects = fields
            .iter()
            .filter(|f| !f.flatten && self.fields(&f.ty).is_some());
        let (Some(outer), None) = (objects.next(), objects.next()) else {
            return None;
        };
        let inner = self.fields(&outer.ty)?;
        let pages = ["next", "offset", "total", "limit", "cursors", "paging"];
        if !inner.iter().any(|f| pages.contains(&f.wire.as_str())) {
            return None;
        }
        let (field, item) = self.list_in(inner)?;
        Some(Found {
            steps: vec![Self::step(outer), Self::step(field)],
            wires: vec![&outer.wire, &field.wire],
            ty: item,
        })
    }

    /// The one array among these fields, or the one named like a list.
    fn list_in(&self, fields: &'a [Field]) -> Option<(&'a Field, &'a TypeRef)> {
        let arrays: Vec<(&Field, &TypeRef)> = fields
            .iter()
            .filter(|f| !f.flatten)
            .filter_map(|f| match self.resolve(&f.ty) {
                TypeRef::Vec(item) => Some((f, &**item)),
                _ => None,
            })
            .collect();
        if let [one] = arrays.as_slice() {
            return Some(*one);
        }
        let named = [
            "results", "data", "items", "entries", "records", "elements", "values",
        ];
        let mut listed = arrays
            .into_iter()
            .filter(|(f, _)| named.contains(&f.wire.as_str()));
        match (listed.next(), listed.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    }

    /// A dotted path of JSON names (`paging.next.after`) through the response body.
    fn path(&self, dotted: &str) -> Result<Found<'a>, String> {
        let mut ty = &self.op.success;
        let mut found = Found {
            steps: Vec::new(),
            wires: Vec::new(),
            ty,
        };
        for name in dotted.split('.').filter(|s| !s.is_empty()) {
            let field = self
                .fields(ty)
                .and_then(|fields| fields.iter().find(|f| f.wire == name && !f.flatten))
                .ok_or_else(|| format!("the response has no property `{name}` at `{dotted}`"))?;
            found.steps.push(Self::step(field));
            found.wires.push(&field.wire);
            ty = &field.ty;
        }
        found.ty = self.resolve(ty);
        Ok(found)
    }

    /// Scalars in the response body under a name that says they lead on, in field order.
    fn cursors(&self) -> Vec<Found<'a>> {
        let mut out = Vec::new();
        let mut path = Vec::new();
        self.collect_cursors(&self.op.success, &mut path, &mut out);
        // A name that is itself a cursor (`after`, `next_cursor`, `nextPageToken`) before one
        // that is a cursor only where it sits (`next_page.offset`); otherwise field order.
        out.sort_by_key(|found| {
            let leaf = found.wires.last().map(|w| words(w)).unwrap_or_default();
            !["after", "cursor", "token", "next"]
                .iter()
                .any(|word| leaf.split('_').any(|w| w == *word))
        });
        out
    }

    fn collect_cursors(
        &self,
        ty: &'a TypeRef,
        path: &mut Vec<&'a Field>,
        out: &mut Vec<Found<'a>>,
    ) {
        let Some(fields) = self.fields(ty) else {
            return;
        };
        for field in fields.iter().filter(|f| !f.flatten) {
            if path.iter().any(|p| std::ptr::eq(*p, field)) {
                continue;
            }
            path.push(field);
            let resolved = self.resolve(&field.ty);
            if matches!(resolved, TypeRef::String | TypeRef::I32 | TypeRef::I64) {
                let names: Vec<String> = path.iter().map(|f| words(&f.wire)).collect();
                let leaf = names.last().map(String::as_str).unwrap_or_default();
                // `next` in the value's own name or its parent's (`paging.next.after`), not
                // further up (`next_action.redirect.url` is no next page).
                let near = &names[names.len().saturating_sub(2)..];
                let leads_on = near
                    .iter()
                    .any(|n| n.contains("cursor") || n.split('_').any(|w| w == "next"));
                // `pages.next.per_page` says how big the next page is, not where it starts.
                let sizes = ["per_page", "page_size", "limit", "size", "count"];
                let is_size = sizes.contains(&leaf) || leaf.starts_with("total");
                // Svix's `iterator` (beside a `prevIterator` that leads back).
                let leads_on = leads_on || leaf == "iterator";
                if leads_on && !is_size {
                    out.push(Found {
                        steps: path.iter().map(|f| Self::step(f)).collect(),
                        wires: path.iter().map(|f| f.wire.as_str()).collect(),
                        ty: resolved,
                    });
                }
            } else if path.len() < 3 {
                self.collect_cursors(&field.ty, path, out);
            }
            path.pop();
        }
    }

    /// A query parameter or JSON body field of this (normalised) name and type.
    fn target(&self, name: &str, ty: &TypeRef) -> Option<(Target, String)> {
        for (i, p) in self.op.params.iter().enumerate() {
            if p.location == ParamLocation::Query
                && words(&p.wire) == name
                && self.resolve(&p.ty) == ty
            {
                return Some((Target::Param(i), format!("`{}`", p.wire)));
            }
        }
        let body = self.op.body.as_ref()?;
        if body.kind != ContentKind::Json {
            return None;
        }
        let mut path = Vec::new();
        let mut wires = Vec::new();
        self.body_field(&body.ty, name, ty, &mut path, &mut wires)
            .then(|| {
                (
                    Target::Body { path },
                    format!("`{}` in the request body", wires.join(".")),
                )
            })
    }

    /// A field of this name and type in a body, or (two levels down at most) in an object
    /// the body holds that can start empty (`pagination.starting_after`, Intercom).
    fn body_field(
        &self,
        body: &'a TypeRef,
        name: &str,
        ty: &TypeRef,
        path: &mut Vec<(String, Wrap)>,
        wires: &mut Vec<&'a str>,
    ) -> bool {
        let Some(fields) = self.fields(body) else {
            return false;
        };
        let wrap = |field: &Field| {
            if field.double_option {
                Wrap::DoubleOption
            } else if field.is_option() {
                Wrap::Option
            } else {
                Wrap::Plain
            }
        };
        if let Some(field) = fields
            .iter()
            .find(|f| !f.flatten && words(&f.wire) == name && self.resolve(&f.ty) == ty)
        {
            path.push((field.name.clone(), wrap(field)));
            wires.push(&field.wire);
            return true;
        }
        if !path.is_empty() {
            return false;
        }
        for field in fields.iter().filter(|f| !f.flatten && !f.double_option) {
            let optional = field.is_option();
            if optional && !self.starts_empty(&field.ty) {
                continue;
            }
            path.push((field.name.clone(), wrap(field)));
            wires.push(&field.wire);
            if self.body_field(&field.ty, name, ty, path, wires) {
                return true;
            }
            path.pop();
            wires.pop();
        }
        false
    }

    /// A struct whose fields are all optional: it has `Default`, so it can be created to
    /// hold a cursor.
    fn starts_empty(&self, ty: &'a TypeRef) -> bool {
        self.fields(ty).is_some_and(super::starts_empty)
    }

    /// An integer query parameter of one of these (normalised) names.
    fn int_param(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|name| {
            self.op.params.iter().position(|p| {
                p.location == ParamLocation::Query
                    && words(&p.wire) == *name
                    && matches!(self.resolve(&p.ty), TypeRef::I32 | TypeRef::I64)
            })
        })
    }

    fn wire(&self, param: usize) -> &str {
        &self.op.params[param].wire
    }

    /// Only a JSON body can be read page by page.
    fn pageable(&self) -> bool {
        matches!(
            self.op.success_kind,
            ContentKind::Json | ContentKind::JsonOrEmpty
        )
    }

    fn recognised(&self, hints: &Hints) -> Option<Pagination> {
        if !self.pageable() {
            return None;
        }
        let items = self.items()?;
        self.cursor(&items)
            .or_else(|| self.stripe(&items))
            .or_else(|| hints.link_header.then(|| self.link(&items)))
            .or_else(|| self.offset(&items, None, None))
            .or_else(|| self.page(&items, None, None, hints))
    }

    fn pagination(
        &self,
        rule: PagingRule,
        items: &Found<'a>,
        next: NextPage,
        summary: String,
    ) -> Pagination {
        Pagination {
            rule,
            items: items.steps.clone(),
            item: items.ty.clone(),
            next,
            summary,
        }
    }

    fn cursor(&self, items: &Found<'a>) -> Option<Pagination> {
        let cursors = self.cursors();
        let by_name = cursors.iter().find_map(|cursor| {
            let leaf = cursor.wires.last()?;
            let name = words(leaf);
            let name = name.strip_prefix("next_").unwrap_or(&name);
            // Dropshot's `next_page` goes back as `page_token`.
            let names = [name.to_owned(), format!("{name}_token")];
            let (into, target) = names
                .iter()
                .find_map(|name| self.target(name, cursor.ty))
                .map(|(into, target)| (into, target, false))
                .or_else(|| {
                    // An integer cursor sent as text (Box's `next_marker` → `marker`).
                    matches!(cursor.ty, TypeRef::I32 | TypeRef::I64)
                        .then(|| names.iter().find_map(|n| self.target(n, &TypeRef::String)))
                        .flatten()
                        .map(|(into, target)| (into, target, true))
                })
                .map(|(into, target, as_text)| ((into, as_text), target))?;
            let (into, as_text) = into;
            let summary = format!(
                "the `{}` of each response is sent back as {target}",
                cursor.wires.join(".")
            );
            let end = self.end_flag();
            let summary = match &end {
                Some(flag) => format!(
                    "{summary}, until `{}` is {}",
                    flag.wire, flag.flag.last_when
                ),
                None => summary,
            };
            let next = NextPage::Cursor {
                at: cursor.steps.clone(),
                into,
                as_text,
                end: end.map(|e| e.flag),
            };
            Some(self.pagination(PagingRule::Cursor, items, next, summary))
        });
        by_name.or_else(|| {
            // No parameter takes it: a next-page URL (`next_page_uri` — Twilio,
            // `meta.next_page_url`, `nextLink`, `links.next`) is followed as it is.
            let url = cursors.iter().find(|cursor| {
                let names: Vec<String> = cursor.wires.iter().map(|w| words(w)).collect();
                let leaf = names.last().map(String::as_str).unwrap_or_default();
                let parent = names.len().checked_sub(2).map(|i| names[i].as_str());
                *cursor.ty == TypeRef::String
                    && (leaf
                        .split('_')
                        .any(|w| ["uri", "url", "link", "href"].contains(&w))
                        || (leaf == "next" && matches!(parent, Some("links" | "_links"))))
            })?;
            let summary = format!(
                "the URL in the `{}` of each response is followed",
                url.wires.join(".")
            );
            let next = NextPage::Url {
                at: url.steps.clone(),
            };
            Some(self.pagination(PagingRule::Url, items, next, summary))
        })
    }

    fn stripe(&self, items: &Found<'a>) -> Option<Pagination> {
        if items.wires != ["data"] {
            return None;
        }
        // Stripe's `starting_after`; OpenAI's lists are the same shape with `after`.
        self.last_id(items, PagingRule::Stripe, &["starting_after", "after"])
    }

    /// While `has_more`, the last item's `id` (or a `last_id` beside the list) is sent as the
    /// first of these string parameters the operation has.
    fn last_id(&self, items: &Found<'a>, rule: PagingRule, params: &[&str]) -> Option<Pagination> {
        let has_more = self.path("has_more").ok()?;
        if *has_more.ty != TypeRef::Bool {
            return None;
        }
        let (id, source) = match self.id_of(items.ty) {
            Some(optional) => (LastId::Item { optional }, "the last item's `id`"),
            None => {
                let last = self.path("last_id").ok()?;
                if *last.ty != TypeRef::String {
                    return None;
                }
                (LastId::Field(last.steps), "`last_id`")
            }
        };
        let (into, target) = params
            .iter()
            .find_map(|name| self.target(&words(name), &TypeRef::String))?;
        let summary = format!("while `has_more` is true, {source} is sent as {target}");
        let next = NextPage::LastId {
            has_more: has_more.steps,
            id,
            into,
        };
        Some(self.pagination(rule, items, next, summary))
    }

    /// Items with a string `id`: whether it is optional.
    fn id_of(&self, item: &'a TypeRef) -> Option<bool> {
        let field = self.fields(item)?.iter().find(|f| {
            f.wire == "id" && f.name == "id" && !f.boxed && !f.flatten && !f.double_option
        })?;
        (*self.resolve(&field.ty) == TypeRef::String).then(|| field.is_option())
    }

    fn link(&self, items: &Found<'a>) -> Pagination {
        let summary = "the `Link` response header's `rel=\"next\"` URL is followed".to_owned();
        self.pagination(PagingRule::Link, items, NextPage::Link, summary)
    }

    fn offset(
        &self,
        items: &Found<'a>,
        offset: Option<usize>,
        limit: Option<usize>,
    ) -> Option<Pagination> {
        let offset = offset.or_else(|| self.int_param(&["offset"]))?;
        let limit = limit.or_else(|| self.int_param(&["limit"]));
        let summary = format!(
            "`{}` grows by the items received, until a page is empty{}",
            self.wire(offset),
            limit.map_or(String::new(), |l| format!(
                " or shorter than `{}`",
                self.wire(l)
            ))
        );
        let next = NextPage::Offset { offset, limit };
        Some(self.pagination(PagingRule::Offset, items, next, summary))
    }

    fn page(
        &self,
        items: &Found<'a>,
        page: Option<usize>,
        size: Option<usize>,
        hints: &Hints,
    ) -> Option<Pagination> {
        let page = page.or_else(|| self.int_param(&["page"]))?;
        let size = size.or_else(|| self.int_param(&["per_page", "page_size", "limit", "size"]));
        let first = hints.page_start.unwrap_or(1);
        let summary = format!(
            "`{}` counts up from {first} (unless set), until a page is empty{}",
            self.wire(page),
            size.map_or(String::new(), |s| format!(
                " or shorter than `{}`",
                self.wire(s)
            ))
        );
        let next = NextPage::Page { page, size, first };
        Some(self.pagination(PagingRule::Page, items, next, summary))
    }
}

/// A name as lower-case words joined by `_`: `nextPageToken` and `next_page_token` alike.
fn words(name: &str) -> String {
    snake_ident(name, "x").trim_start_matches("r#").to_owned()
}

/// An end flag and the JSON name it was found under, for the docs.
struct NamedFlag {
    wire: String,
    flag: EndFlag,
}
