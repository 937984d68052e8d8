//! What a spec change does to the generated crate's users: the public items that appear,
//! go or change, each judged breaking or not by what it does to code written against the
//! old crate, and the version bump that follows (`openapi-gen diff`, and the summary
//! `--config` prints for each crate it regenerates).
//!
//! Judged on the Rust API, not the spec: a renamed operationId renames a method (breaking),
//! a new optional parameter is a new setter (not breaking), a description edit changes
//! nothing code can name.

mod surface;

pub use surface::{Surface, surface};

use std::collections::BTreeSet;
use std::fmt::Write as _;
use surface::{Method, Shape};

/// One change to the public API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The item as code names it: `client.get_thread`, `types::PublicThread::status`.
    pub item: String,
    /// `method removed`, `argument added`, `enum value added`, `docs changed`…
    pub kind: &'static str,
    pub breaking: bool,
    pub reason: String,
}

/// The version bump a set of changes calls for, by SemVer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }

    /// The version after `version` (`major.minor.patch`, pre-release dropped), by Cargo's
    /// rules: below 1.0 the left-most non-zero part is the "major" one, so a breaking change
    /// of 0.3.1 is 0.4.0 and an addition 0.3.2. `None` when `version` is not x.y.z.
    pub fn next(self, version: &str) -> Option<String> {
        let core = version.split(['-', '+']).next()?;
        let parts: Vec<u64> = core
            .split('.')
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        let [major, minor, patch] = parts[..] else {
            return None;
        };
        let (major, minor, patch) = match (self, major, minor) {
            (Bump::None, ..) => (major, minor, patch),
            (Bump::Major, 0, 0) => (0, 0, patch.saturating_add(1)),
            (Bump::Major, 0, _) => (0, minor.saturating_add(1), 0),
            (Bump::Major, ..) => (major.saturating_add(1), 0, 0),
            (Bump::Minor | Bump::Patch, 0, 0) => (0, 0, patch.saturating_add(1)),
            (Bump::Minor, 0, _) | (Bump::Patch, ..) => (major, minor, patch.saturating_add(1)),
            (Bump::Minor, ..) => (major, minor.saturating_add(1), 0),
        };
        Some(format!("{major}.{minor}.{patch}"))
    }
}

/// The changes from `old` to `new` and the bump they call for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub changes: Vec<Change>,
    pub bump: Bump,
}

impl Report {
    pub fn breaking(&self) -> usize {
        self.changes.iter().filter(|c| c.breaking).count()
    }

    /// The report for people: a verdict line, then one line per change, breaking first.
    pub fn human(&self, version: Option<&str>) -> String {
        let mut out = String::new();
        let next = version
            .and_then(|v| Some((v, self.bump.next(v)?)))
            .map(|(v, n)| format!(" ({v} → {n})"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "API changes: {} ({} breaking); version bump: {}{next}",
            self.changes.len(),
            self.breaking(),
            self.bump.as_str()
        );
        for change in self.changes.iter().filter(|c| c.breaking) {
            let _ = writeln!(
                out,
                "  breaking  {}: {} — {}",
                change.item, change.kind, change.reason
            );
        }
        for change in self.changes.iter().filter(|c| !c.breaking) {
            let _ = writeln!(
                out,
                "  ok        {}: {} — {}",
                change.item, change.kind, change.reason
            );
        }
        out
    }

    /// `{"bump": …, "next_version": …, "breaking": n, "changes": [{item, kind, breaking, reason}]}`.
    pub fn json(&self, version: Option<&str>) -> serde_json::Value {
        serde_json::json!({
            "bump": self.bump.as_str(),
            "next_version": version.and_then(|v| self.bump.next(v)),
            "breaking": self.breaking(),
            "changes": self.changes.iter().map(|c| serde_json::json!({
                "item": c.item,
                "kind": c.kind,
                "breaking": c.breaking,
                "reason": c.reason,
            })).collect::<Vec<_>>(),
        })
    }
}

/// Compares two crates' surfaces.
pub fn compare(old: &Surface, new: &Surface) -> Report {
    let mut changes = Vec::new();
    let mut change = |item: String, kind: &'static str, breaking: bool, reason: String| {
        changes.push(Change {
            item,
            kind,
            breaking,
            reason,
        });
    };
    // Methods that went, and those that came: one with the route of one that went was renamed.
    let gone: Vec<&String> = old
        .methods
        .keys()
        .filter(|k| !new.methods.contains_key(*k))
        .collect();
    let came: Vec<&String> = new
        .methods
        .keys()
        .filter(|k| !old.methods.contains_key(*k))
        .collect();
    let mut renamed = BTreeSet::new();
    for name in &gone {
        let route = &old.methods[*name].route;
        match came.iter().find(|n| &new.methods[**n].route == route) {
            Some(to) => {
                renamed.insert((*to).clone());
                change(
                    (*name).clone(),
                    "method renamed",
                    true,
                    format!(
                        "`{route}` is now `{to}` (its operationId changed); calls of the old name do not compile"
                    ),
                );
            }
            None => change(
                (*name).clone(),
                "method removed",
                true,
                format!("`{route}` is gone from the spec; calls of it do not compile"),
            ),
        }
    }
    for name in came.iter().filter(|n| !renamed.contains(**n)) {
        change(
            (*name).clone(),
            "method added",
            false,
            format!("new operation `{}`", new.methods[*name].route),
        );
    }
    for (name, old_m) in &old.methods {
        if let Some(new_m) = new.methods.get(name) {
            method_changes(name, old_m, new_m, &mut change);
        }
    }
    for (name, old_t) in &old.types {
        match new.types.get(name) {
            None => change(
                name.clone(),
                "type removed",
                true,
                format!(
                    "the {} is gone; code naming it does not compile",
                    old_t.kind()
                ),
            ),
            Some(new_t) => type_changes(name, old_t, new_t, &mut change),
        }
    }
    for (name, new_t) in &new.types {
        if !old.types.contains_key(name) {
            change(
                name.clone(),
                "type added",
                false,
                format!("new {}", new_t.kind()),
            );
        }
    }
    let bump = if changes.iter().any(|c| c.breaking) {
        Bump::Major
    } else if changes.iter().any(|c| c.kind != "docs changed") {
        Bump::Minor
    } else if changes.is_empty() {
        Bump::None
    } else {
        Bump::Patch
    };
    Report { changes, bump }
}

type Sink<'a> = dyn FnMut(String, &'static str, bool, String) + 'a;

fn method_changes(name: &str, old: &Method, new: &Method, change: &mut Sink<'_>) {
    if old.arguments != new.arguments {
        let show = |args: &[(String, String)]| {
            args.iter()
                .map(|(n, t)| format!("{n}: {t}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        change(
            name.to_owned(),
            "arguments changed",
            true,
            format!(
                "required arguments were ({}), now ({}); calls do not compile",
                show(&old.arguments),
                show(&new.arguments)
            ),
        );
    }
    for (setter, ty) in &old.setters {
        match new.setters.get(setter) {
            None => change(
                format!("{name}().{setter}"),
                if new.arguments.iter().any(|(n, _)| n == setter) {
                    "parameter became required"
                } else {
                    "setter removed"
                },
                true,
                "calls of the setter do not compile".to_owned(),
            ),
            Some(new_ty) if new_ty != ty => change(
                format!("{name}().{setter}"),
                "parameter type changed",
                true,
                format!("takes {new_ty}, was {ty}"),
            ),
            Some(_) => {}
        }
    }
    for (setter, ty) in &new.setters {
        if !old.setters.contains_key(setter) && !old.arguments.iter().any(|(n, _)| n == setter) {
            change(
                format!("{name}().{setter}"),
                "optional parameter added",
                false,
                format!("a new setter taking {ty}; existing calls are unchanged"),
            );
        }
    }
    if old.returns != new.returns {
        change(
            name.to_owned(),
            "response type changed",
            true,
            format!("returns {}, was {}", new.returns, old.returns),
        );
    }
    if old.error != new.error {
        change(
            name.to_owned(),
            "error type changed",
            true,
            format!(
                "`Error<{}>`, was `Error<{}>`; code naming the error type or matching its body must change",
                new.error, old.error
            ),
        );
    }
    match (old.pages, new.pages) {
        (true, false) => change(
            name.to_owned(),
            "paging removed",
            true,
            "`.stream()` and `.pages()` are gone".to_owned(),
        ),
        (false, true) => change(
            name.to_owned(),
            "paging added",
            false,
            "new `.stream()` and `.pages()`".to_owned(),
        ),
        _ => {}
    }
    if old.docs != new.docs {
        change(
            name.to_owned(),
            "docs changed",
            false,
            "description edited".to_owned(),
        );
    }
}

fn type_changes(name: &str, old: &Shape, new: &Shape, change: &mut Sink<'_>) {
    match (old, new) {
        (Shape::Struct { fields: old_f, .. }, Shape::Struct { fields: new_f, .. }) => {
            for (field, f) in old_f {
                let item = format!("{name}::{field}");
                match new_f.get(field) {
                    None => change(
                        item,
                        "field removed",
                        true,
                        "code reading or setting it does not compile".to_owned(),
                    ),
                    Some(n) if n.ty != f.ty => change(
                        item,
                        "field type changed",
                        true,
                        format!("{}, was {}", n.ty, f.ty),
                    ),
                    Some(n) if n.required != f.required => change(
                        item,
                        if n.required {
                            "field became required"
                        } else {
                            "field became optional"
                        },
                        true,
                        "`new()` takes different arguments".to_owned(),
                    ),
                    Some(n) if n.docs != f.docs => {
                        change(item, "docs changed", false, "description edited".to_owned())
                    }
                    Some(_) => {}
                }
            }
            for (field, f) in new_f {
                if old_f.contains_key(field) {
                    continue;
                }
                let item = format!("{name}::{field}");
                if f.required {
                    change(
                        item,
                        "required field added",
                        true,
                        "`new()` takes it; calls of `new()` do not compile".to_owned(),
                    );
                } else {
                    change(
                        item,
                        "optional field added",
                        true,
                        "breaks only a struct literal that lists every field without `..`; \
                         `new()` and `Type { …, ..Type::new(…) }` are unaffected, and so is decoding"
                            .to_owned(),
                    );
                }
            }
        }
        (Shape::Enum { values: old_v, .. }, Shape::Enum { values: new_v, .. }) => {
            for v in old_v.iter().filter(|v| !new_v.contains(v)) {
                change(
                    format!("{name}::{v}"),
                    "enum value removed",
                    true,
                    "code naming the variant does not compile (the value still decodes, as \
                     the unknown-value variant)"
                        .to_owned(),
                );
            }
            for v in new_v.iter().filter(|v| !old_v.contains(v)) {
                change(
                    format!("{name}::{v}"),
                    "enum value added",
                    true,
                    "breaks only an exhaustive `match` without a `_` arm; decoding is unaffected \
                     (the value used to arrive as the unknown-value variant)"
                        .to_owned(),
                );
            }
        }
        (
            Shape::Union {
                variants: old_v, ..
            },
            Shape::Union {
                variants: new_v, ..
            },
        ) => {
            for (v, ty) in old_v {
                match new_v.get(v) {
                    None => change(
                        format!("{name}::{v}"),
                        "variant removed",
                        true,
                        "code naming the variant does not compile".to_owned(),
                    ),
                    Some(n) if n != ty => change(
                        format!("{name}::{v}"),
                        "variant type changed",
                        true,
                        format!("holds {n}, was {ty}"),
                    ),
                    Some(_) => {}
                }
            }
            for v in new_v.keys().filter(|v| !old_v.contains_key(*v)) {
                change(
                    format!("{name}::{v}"),
                    "variant added",
                    true,
                    "breaks only an exhaustive `match` without a `_` arm".to_owned(),
                );
            }
        }
        (Shape::Alias { target: a, .. }, Shape::Alias { target: b, .. }) if a != b => change(
            name.to_owned(),
            "type changed",
            true,
            format!("is {b}, was {a}"),
        ),
        (Shape::Alias { .. }, Shape::Alias { .. }) => {}
        _ => change(
            name.to_owned(),
            "type changed",
            true,
            format!("is a {}, was a {}", new.kind(), old.kind()),
        ),
    }
    if old.docs() != new.docs() {
        change(
            name.to_owned(),
            "docs changed",
            false,
            "description edited".to_owned(),
        );
    }
}
