//! What generating takes beside a spec's text: the crate's name and version, and the
//! corrections and paging declarations a configuration (or a caller) gives. Plain data: the
//! configuration file is read into these (`config.rs`), the IR and the loader take them, and
//! none of them knows the file format.

use crate::diagnostics::Diagnostic;
use crate::error::Error;

/// The extension that declares (or turns off) an operation's paging in a spec; a
/// configuration's declaration is written into the operation as this.
pub const PAGING_EXTENSION: &str = "x-openapi-gen-pagination";

/// How the API signs the webhooks it sends: the receiver's verifier is generated for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WebhookSignature {
    /// Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`).
    StandardWebhooks,
    /// Stripe's `Stripe-Signature`.
    Stripe,
    /// HubSpot's `X-HubSpot-Signature-v3`.
    HubspotV3,
    /// HubSpot's `X-HubSpot-Signature` (v2).
    HubspotV2,
}

/// What to call the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The package name (`hubspot-conversations`).
    pub crate_name: String,
    /// The package version; the spec's `info.version` is often not semver.
    pub crate_version: String,
    /// Read schemas openapi-gen cannot express as `serde_json::Value` (and skip operations
    /// it cannot express), with warnings, instead of failing.
    pub lenient: bool,
    /// Replaces the spec's first server as the default base URL.
    pub base_url: Option<String>,
    /// Corrections for properties the spec describes wrongly (`openapi-gen.toml`).
    pub overrides: Vec<Override>,
    /// Paging declared (or turned off) per operation (`openapi-gen.toml`).
    pub paging: Vec<PagingDeclaration>,
    /// Writes `[hints] mostly-unused = true` into the manifest: with Cargo's unstable
    /// `-Zprofile-hint-mostly-unused`, a downstream build then compiles only the parts of the
    /// crate it calls (nexus: 0.68× the build time). Off by default, since stable Cargo
    /// ignores the hint and warns about it on every build of a vendored (path) crate.
    pub hint_mostly_unused: bool,
    /// Generates a webhook verifier for this signature scheme (`openapi-gen.toml`).
    pub webhook_signature: Option<WebhookSignature>,
}

impl Options {
    pub fn new(crate_name: impl Into<String>) -> Self {
        Options {
            crate_name: crate_name.into(),
            crate_version: "0.1.0".to_owned(),
            lenient: false,
            base_url: None,
            overrides: Vec::new(),
            paging: Vec::new(),
            hint_mostly_unused: false,
            webhook_signature: None,
        }
    }

    /// A crate name from a spec's file name: `specs/HubSpot CRM.v3.yaml` → `hub-spot-crm-v3`.
    pub fn crate_name_for(spec: &std::path::Path) -> String {
        use heck::ToKebabCase;
        let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("api");
        let name: String = stem
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
            .collect::<String>()
            .to_kebab_case();
        match name.chars().next() {
            None => "api-client".to_owned(),
            Some(c) if c.is_ascii_digit() => format!("api-{name}"),
            Some(_) => name,
        }
    }
}

/// An operation's paging as the configuration declares it: what `x-openapi-gen-pagination`
/// on the operation would say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagingDeclaration {
    pub operation: OperationSelector,
    /// The extension's value: an object of its keys, or `false`.
    pub value: serde_json::Value,
    /// Where it is written, for the error when it names no operation.
    pub at: Diagnostic,
}

/// Which operation: by `operationId`, or by method and path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperationSelector {
    Id(String),
    Route { method: String, path: String },
}

impl std::fmt::Display for OperationSelector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OperationSelector::Id(id) => write!(f, "operation `{id}`"),
            OperationSelector::Route { method, path } => write!(f, "`{method} {path}`"),
        }
    }
}

/// A correction for a spec that does not describe what its server sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// A JSON pointer to a schema or property (`#/components/schemas/X/properties/y`).
    pub pointer: String,
    pub change: OverrideKind,
    /// Where the override is written, for the error when its pointer matches nothing.
    pub at: Diagnostic,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OverrideKind {
    /// The field's Rust type: `i64`, `f64`, `String`, `bool`, `json`, or a schema's name.
    Type(String),
    /// A string field also accepts a JSON number or boolean (as its text); a number field
    /// also accepts a numeric string.
    Tolerant,
}

/// The scalar types an override can name; anything else names a schema.
pub const OVERRIDE_SCALARS: &[&str] = &["i64", "f64", "String", "bool", "json"];

pub(crate) fn validate_crate_name(name: &str) -> Result<(), Error> {
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && name.len() <= 64;
    if valid {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "`{name}` is not a valid crate name: use ASCII letters, digits, `-` and `_`, starting with a letter"
        )))
    }
}
