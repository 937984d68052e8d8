//! `openapi-gen.toml`: the crates a project generates, from which specs, with which
//! settings. Read by `openapi-gen --config` and by a workspace's `cargo xtask codegen`.
//!
//! ```toml
//! [[crate]]
//! name = "hubspot"
//! out = "generated/hubspot"
//!
//! [[crate.spec]]
//! path = "spec/conversations.yaml"
//! module = "conversations"
//!
//! [[crate.spec.override]]
//! pointer = "#/components/schemas/Thread/properties/integrationAppId"
//! type = "i64"
//! ```
//!
//! Paths are relative to the configuration file. Unknown keys, and values that cannot
//! work, are errors naming the file, line and column.

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
pub use crate::settings::{
    OVERRIDE_SCALARS, OperationSelector, Override, OverrideKind, PagingDeclaration,
    WebhookSignature,
};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(rename = "crate", default)]
    crates: Vec<CrateEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct CrateEntry {
    name: Spanned<String>,
    version: Option<Spanned<String>>,
    out: Spanned<String>,
    #[serde(default)]
    lenient: bool,
    #[serde(default)]
    hint_mostly_unused: bool,
    webhook_signature: Option<WebhookSignature>,
    #[serde(rename = "spec", default)]
    specs: Vec<SpecEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct SpecEntry {
    path: Spanned<String>,
    module: Option<Spanned<String>>,
    lenient: Option<bool>,
    base_url: Option<Spanned<String>>,
    #[serde(rename = "override", default)]
    overrides: Vec<OverrideEntry>,
    #[serde(default)]
    paging: Vec<Spanned<PagingEntry>>,
}

/// `[[crate.spec.paging]]`: an operation's paging, declared (the keys of
/// `x-openapi-gen-pagination`) or turned off (`disabled = true`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct PagingEntry {
    operation: Option<Spanned<String>>,
    method: Option<Spanned<String>>,
    path: Option<Spanned<String>>,
    #[serde(default)]
    disabled: bool,
    style: Option<String>,
    items: Option<String>,
    cursor: Option<String>,
    param: Option<String>,
    limit: Option<String>,
    done: Option<String>,
    more: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct OverrideEntry {
    pointer: Spanned<String>,
    #[serde(rename = "type")]
    ty: Option<Spanned<String>>,
    #[serde(default)]
    tolerant: bool,
}

/// A configuration, checked: every crate has a valid name, specs and module names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The file it was read from.
    pub path: PathBuf,
    pub crates: Vec<CrateConfig>,
}

/// One generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateConfig {
    pub name: String,
    pub version: String,
    /// Where the crate is written, resolved against the configuration's folder.
    pub out: PathBuf,
    /// `out` as the file wrote it, for messages.
    pub out_as_written: String,
    /// Writes Cargo's `[hints] mostly-unused` into the manifest (see [`crate::settings::Options`]).
    pub hint_mostly_unused: bool,
    /// The scheme a webhook verifier is generated for (`webhook-signature`).
    pub webhook_signature: Option<WebhookSignature>,
    pub specs: Vec<SpecConfig>,
    /// Where the file says the version (its quoted value), or else where the crate's name
    /// ends: what `--bump-version` rewrites.
    pub(crate) version_at: VersionAt,
}

/// Where a crate entry's `version` is, or would go, in the configuration's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum VersionAt {
    /// The byte range of the quoted value.
    Value(std::ops::Range<usize>),
    /// No `version` key: the byte offset where the `name` value ends.
    AfterName(usize),
}

/// One spec of a crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecConfig {
    /// Resolved against the configuration's folder.
    pub path: PathBuf,
    /// `path` as the file wrote it: names the spec in diagnostics and generated headers.
    pub path_as_written: String,
    /// The module of a crate made of several specs; `None` for a crate that is one spec.
    pub module: Option<String>,
    pub lenient: bool,
    /// Replaces the spec's first server.
    pub base_url: Option<String>,
    pub overrides: Vec<Override>,
    pub paging: Vec<PagingDeclaration>,
}

impl Config {
    /// Reads and checks the configuration at `path`.
    pub fn load(path: &Path) -> Result<Config, crate::error::Error> {
        let bytes =
            crate::input::read_regular(path, crate::input::MAX_CONFIG_BYTES).map_err(|e| {
                crate::error::Error::Usage(format!("cannot read the configuration {e}"))
            })?;
        let text = String::from_utf8(bytes).map_err(|_| {
            crate::error::Error::Usage(format!(
                "{}: the configuration is not UTF-8",
                path.display()
            ))
        })?;
        Config::parse(path, &text).map_err(crate::error::Error::Config)
    }

    /// Checks the configuration `text`, read from `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Config, Diagnostics> {
        let file_name = path.display().to_string();
        let at = |span: std::ops::Range<usize>, key: &str, message: String| Diagnostic {
            severity: Severity::Error,
            file: file_name.clone(),
            pointer: key.to_owned(),
            line_col: Some(line_col(text, span.start)),
            message,
        };
        let file: File = toml::from_str(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            Diagnostics(vec![at(span, "", e.message().trim().to_owned())])
        })?;
        let dir = path.parent().unwrap_or(Path::new(""));
        let mut errors = Vec::new();
        let mut crates = Vec::new();
        for (c, entry) in file.crates.into_iter().enumerate() {
            let key = format!("crate[{c}]");
            let name = entry.name.get_ref().clone();
            if let Err(crate::error::Error::Usage(message)) =
                crate::settings::validate_crate_name(&name)
            {
                errors.push(at(entry.name.span(), &format!("{key}.name"), message));
            }
            if entry.specs.is_empty() {
                errors.push(at(
                    entry.name.span(),
                    &key,
                    format!("crate `{name}` has no `[[crate.spec]]`"),
                ));
            }
            let several = entry.specs.len() > 1;
            let mut modules: Vec<String> = Vec::new();
            let mut specs = Vec::new();
            for (s, spec) in entry.specs.into_iter().enumerate() {
                let key = format!("{key}.spec[{s}]");
                let module = spec.module.as_ref().map(|m| m.get_ref().clone());
                match &spec.module {
                    None if several => errors.push(at(
                        spec.path.span(),
                        &key,
                        format!(
                            "a crate made of several specs needs a `module` for each; `{}` has none",
                            spec.path.get_ref()
                        ),
                    )),
                    Some(m) => {
                        if let Some(problem) = module_name_problem(m.get_ref()) {
                            errors.push(at(m.span(), &format!("{key}.module"), problem));
                        } else if modules.contains(m.get_ref()) {
                            errors.push(at(
                                m.span(),
                                &format!("{key}.module"),
                                format!("two specs of crate `{name}` are both module `{}`", m.get_ref()),
                            ));
                        }
                        modules.push(m.get_ref().clone());
                    }
                    None => {}
                }
                if let Some(url) = &spec.base_url
                    && !(url.get_ref().starts_with("https://")
                        || url.get_ref().starts_with("http://"))
                {
                    errors.push(at(
                        url.span(),
                        &format!("{key}.base-url"),
                        format!("`{}` is not an http or https URL", url.get_ref()),
                    ));
                }
                let mut overrides = Vec::new();
                for (o, entry) in spec.overrides.into_iter().enumerate() {
                    let key = format!("{key}.override[{o}]");
                    let pointer = entry.pointer.get_ref().clone();
                    let here = at(entry.pointer.span(), &key, String::new());
                    if !pointer.starts_with("#/") {
                        errors.push(at(
                            entry.pointer.span(),
                            &format!("{key}.pointer"),
                            format!("`{pointer}` is not a JSON pointer into the spec (`#/components/schemas/…`)"),
                        ));
                        continue;
                    }
                    let change = match (entry.ty, entry.tolerant) {
                        (Some(ty), false) => {
                            let name = ty.get_ref();
                            let is_name =
                                name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                            if !is_name {
                                errors.push(at(
                                    ty.span(),
                                    &format!("{key}.type"),
                                    format!(
                                        "`{name}` is neither one of {} nor a schema name",
                                        OVERRIDE_SCALARS.join(", ")
                                    ),
                                ));
                                continue;
                            }
                            OverrideKind::Type(name.clone())
                        }
                        (None, true) => OverrideKind::Tolerant,
                        (Some(ty), true) => {
                            errors.push(at(
                                ty.span(),
                                &key,
                                "an override sets either `type` or `tolerant`, not both".to_owned(),
                            ));
                            continue;
                        }
                        (None, false) => {
                            errors.push(at(
                                entry.pointer.span(),
                                &key,
                                "an override needs `type = \"…\"` or `tolerant = true`".to_owned(),
                            ));
                            continue;
                        }
                    };
                    overrides.push(Override {
                        pointer,
                        change,
                        at: here,
                    });
                }
                let mut paging = Vec::new();
                for (p, entry) in spec.paging.into_iter().enumerate() {
                    let key = format!("{key}.paging[{p}]");
                    match paging_declaration(entry, &key, &at) {
                        Ok(declaration) => paging.push(declaration),
                        Err(e) => errors.push(e),
                    }
                }
                specs.push(SpecConfig {
                    path: dir.join(spec.path.get_ref()),
                    path_as_written: spec.path.into_inner(),
                    module,
                    lenient: spec.lenient.unwrap_or(entry.lenient),
                    base_url: spec.base_url.map(Spanned::into_inner),
                    overrides,
                    paging,
                });
            }
            if crates
                .iter()
                .any(|c: &CrateConfig| c.out_as_written == *entry.out.get_ref())
            {
                errors.push(at(
                    entry.out.span(),
                    &format!("{key}.out"),
                    format!("two crates are written to `{}`", entry.out.get_ref()),
                ));
            }
            let version_at = match &entry.version {
                Some(v) => VersionAt::Value(v.span()),
                None => VersionAt::AfterName(entry.name.span().end),
            };
            crates.push(CrateConfig {
                name,
                version_at,
                version: entry
                    .version
                    .map(Spanned::into_inner)
                    .unwrap_or_else(|| "0.1.0".to_owned()),
                out: dir.join(entry.out.get_ref()),
                out_as_written: entry.out.into_inner(),
                hint_mostly_unused: entry.hint_mostly_unused,
                webhook_signature: entry.webhook_signature,
                specs,
            });
        }
        if crates.is_empty() && errors.is_empty() {
            errors.push(at(0..0, "", "no `[[crate]]` to generate".to_owned()));
        }
        if errors.is_empty() {
            Ok(Config {
                path: path.to_owned(),
                crates,
            })
        } else {
            Err(Diagnostics(errors))
        }
    }
}

/// A `[[crate.spec.paging]]` entry, checked: one way to name the operation, and either
/// `disabled` or a `style`.
fn paging_declaration(
    entry: Spanned<PagingEntry>,
    key: &str,
    at: &dyn Fn(std::ops::Range<usize>, &str, String) -> Diagnostic,
) -> Result<PagingDeclaration, Diagnostic> {
    let whole = entry.span();
    let entry = entry.into_inner();
    let (operation, span) = match (entry.operation, entry.method, entry.path) {
        (Some(id), None, None) => (OperationSelector::Id(id.get_ref().clone()), id.span()),
        (None, Some(method), Some(path)) => (
            OperationSelector::Route {
                method: method.get_ref().to_ascii_lowercase(),
                path: path.get_ref().clone(),
            },
            method.span(),
        ),
        (Some(id), _, _) => {
            return Err(at(
                id.span(),
                key,
                "name the operation by `operation` or by `method` and `path`, not both".to_owned(),
            ));
        }
        (None, method, path) => {
            let span = method
                .map(|m| m.span())
                .or(path.map(|p| p.span()))
                .unwrap_or(whole);
            return Err(at(
                span,
                key,
                "a paging entry names its operation: `operation = \"listThings\"`, or `method` and `path`".to_owned(),
            ));
        }
    };
    let keys = [
        ("style", entry.style),
        ("items", entry.items),
        ("cursor", entry.cursor),
        ("param", entry.param),
        ("limit", entry.limit),
        ("done", entry.done),
        ("more", entry.more),
    ];
    let given: serde_json::Map<String, serde_json::Value> = keys
        .into_iter()
        .filter_map(|(k, v)| Some((k.to_owned(), serde_json::Value::String(v?))))
        .collect();
    let value = match (entry.disabled, given.is_empty()) {
        (true, true) => serde_json::Value::Bool(false),
        (false, false) if given.contains_key("style") => serde_json::Value::Object(given),
        (true, false) => {
            return Err(at(
                span,
                key,
                "`disabled` takes no other paging keys".to_owned(),
            ));
        }
        _ => {
            return Err(at(
                span,
                key,
                "a paging entry has `style` (cursor, stripe, link, offset or page) or `disabled = true`".to_owned(),
            ));
        }
    };
    Ok(PagingDeclaration {
        operation,
        value,
        at: at(span, key, String::new()),
    })
}

/// Why `name` cannot be a module and cargo feature, if it cannot.
pub(crate) fn module_name_problem(name: &str) -> Option<String> {
    let snake = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !snake {
        return Some(format!(
            "module `{name}` must be snake_case: lowercase ASCII letters, digits and `_`, starting with a letter"
        ));
    }
    if crate::ir::is_reserved_module(name) {
        return Some(format!(
            "module `{name}` would clash with a Rust keyword, a cargo feature or a module the crate already has"
        ));
    }
    None
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// What [`CrateConfig::apply`] found or did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The crate was written; these files changed.
    Written(Vec<PathBuf>),
    /// `check`: the crate on disk is what would be written.
    Fresh,
    /// `check`: it is not; the diff.
    Stale(String),
}
