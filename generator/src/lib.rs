//! `openapi-gen`: an OpenAPI 3.0 document in, a typed async Rust client crate out.
//!
//! The pipeline is **load** (YAML/JSON → `openapiv3`) → **IR** (resolved, named types and
//! operations) → **emit** (`quote!`) → **format** (`prettyplease`) → **write**.
//!
//! ```no_run
//! let options = openapi_gen::Options::new("my-api");
//! let text = std::fs::read_to_string("spec.yaml").unwrap();
//! let krate = openapi_gen::generate("spec.yaml", &text, &options).unwrap();
//! openapi_gen::write::write_crate(&krate, "my-api".as_ref()).unwrap();
//! ```

pub mod diagnostics;
mod emit;
mod format;
pub mod ir;
pub mod load;
pub mod write;

pub use diagnostics::{Diagnostic, Diagnostics, Severity};

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
}

impl Options {
    pub fn new(crate_name: impl Into<String>) -> Self {
        Options {
            crate_name: crate_name.into(),
            crate_version: "0.1.0".to_owned(),
            lenient: false,
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

/// A generated crate: paths relative to its root, and their full text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedCrate {
    pub files: Vec<(String, String)>,
    /// Problems that did not stop generation.
    pub warnings: Vec<Diagnostic>,
    /// Named types in the `types` module.
    pub type_count: usize,
    /// Client methods.
    pub operation_count: usize,
    /// Each operation's HTTP method, path template and client method name, in spec order.
    pub operations: Vec<OperationName>,
    /// The areas behind cargo features (empty when the crate is not split).
    pub groups: Vec<GroupSummary>,
}

/// One cargo feature of a split crate: its name and what it compiles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupSummary {
    pub feature: String,
    pub operations: usize,
    pub types: usize,
}

/// How one operation is called: `GET /threads/{threadId}` → `get_thread`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationName {
    pub http_method: String,
    pub path: String,
    pub method_name: String,
    /// The name is the spec's own `operationId`, not one openapi-gen made.
    pub named_by_spec: bool,
    /// When the operation pages: the rule that matched (`cursor`, `stripe`, `link`,
    /// `offset`, `page`, `declared`) and how it pages.
    pub paging: Option<(&'static str, String)>,
}

/// Why [`generate`] produced nothing.
#[derive(Debug)]
pub enum Error {
    /// The spec is broken or uses something not supported: located diagnostics.
    Spec(Diagnostics),
    /// The options are unusable (e.g. an invalid crate name).
    Usage(String),
    /// A bug in openapi-gen: it built code it cannot format.
    Internal(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Spec(d) => write!(f, "{d}"),
            Error::Usage(m) => write!(f, "error: {m}"),
            Error::Internal(m) => write!(f, "internal error (please report): {m}"),
        }
    }
}

impl std::error::Error for Error {}

/// Generates a crate from the text of a spec; `file` names the spec in diagnostics and
/// in the generated headers (only its file name is written, so output does not depend on
/// where the spec lives).
pub fn generate(file: &str, text: &str, options: &Options) -> Result<GeneratedCrate, Error> {
    generate_timed(file, text, options).0
}

/// Time spent in each stage of one [`generate_timed`] run (zero for stages not reached).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StageTimes {
    /// Text → `openapiv3::OpenAPI` (through the located-error tree).
    pub load: std::time::Duration,
    /// The part of `load` that turns 3.1 and 2.0 into the 3.0 model and repairs the tree.
    pub normalize: std::time::Duration,
    /// Names, types and operations resolved.
    pub ir: std::time::Duration,
    /// IR → token streams.
    pub emit: std::time::Duration,
    /// Token streams → pretty-printed text (`syn` parse + `prettyplease`).
    pub format: std::time::Duration,
}

/// [`generate`], also reporting how long each stage took (for `cargo xtask bench`).
pub fn generate_timed(
    file: &str,
    text: &str,
    options: &Options,
) -> (Result<GeneratedCrate, Error>, StageTimes) {
    // Conversion recurses as deep as the document nests (up to the 128 levels the parsers
    // and the IR allow); a thread with a roomy stack keeps that from overflowing whatever
    // stack the caller runs on. Only touched pages are committed, so this costs nothing.
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("openapi-gen".into())
            .stack_size(256 << 20)
            .spawn_scoped(scope, || pipeline(file, text, options))
            .map(|handle| {
                handle.join().unwrap_or_else(|_| {
                    let message = "the generator panicked; please report this spec".to_owned();
                    (Err(Error::Internal(message)), StageTimes::default())
                })
            })
            .unwrap_or_else(|_| pipeline(file, text, options))
    })
}

fn pipeline(
    file: &str,
    text: &str,
    options: &Options,
) -> (Result<GeneratedCrate, Error>, StageTimes) {
    let mut times = StageTimes::default();
    let result = (|| {
        validate_crate_name(&options.crate_name)?;
        let started = std::time::Instant::now();
        let loaded = load::load(file, text).map_err(|d| {
            Error::Spec(Diagnostics(
                d.0.into_iter()
                    .map(|mut d| {
                        if d.line_col.is_none() {
                            d.line_col = load::locate(text, &d.pointer);
                        }
                        d
                    })
                    .collect(),
            ))
        });
        times.load = started.elapsed();
        let loaded = loaded?;
        times.normalize = loaded.normalize;
        let started = std::time::Instant::now();
        let located = |mut d: Diagnostic| {
            d.pointer = loaded.original_pointer(&d.pointer);
            if d.line_col.is_none() {
                d.line_col = load::locate(text, &d.pointer);
            }
            d
        };
        let api = ir::build(&loaded, options.lenient)
            .map(|mut api| {
                api.warnings = std::mem::take(&mut api.warnings)
                    .into_iter()
                    .map(located)
                    .collect();
                api
            })
            .map_err(|d| Error::Spec(Diagnostics(d.0.into_iter().map(located).collect())));
        times.ir = started.elapsed();
        let api = api?;
        let spec_name = std::path::Path::new(file)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or(file);
        let (type_count, operation_count) = (api.types.len(), api.operations.len());
        let operations = api
            .operations
            .iter()
            .map(|op| OperationName {
                http_method: op.http_method.as_str().to_owned(),
                path: op.path_template.clone(),
                method_name: op.method_name.clone(),
                named_by_spec: op.named_by_spec,
                paging: op
                    .pagination
                    .as_ref()
                    .map(|p| (p.rule.as_str(), p.summary.clone())),
            })
            .collect();
        let started = std::time::Instant::now();
        let emitted = emit::emit(&api, options);
        times.emit = started.elapsed();
        let started = std::time::Instant::now();
        let mut lazily_emitted = std::time::Duration::ZERO;
        let files = emitted
            .into_iter()
            .map(|f| {
                format::render(f, spec_name).map(|(path, text, emitting)| {
                    lazily_emitted += emitting;
                    (path, text)
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(Error::Internal);
        times.emit += lazily_emitted;
        times.format = started.elapsed().saturating_sub(lazily_emitted);
        let groups = api
            .grouping
            .as_ref()
            .map(|g| {
                g.groups
                    .iter()
                    .map(|g| GroupSummary {
                        feature: g.name.clone(),
                        operations: g.operations.len(),
                        types: g.types.len(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(GeneratedCrate {
            files: files?,
            warnings: api.warnings,
            type_count,
            operation_count,
            operations,
            groups,
        })
    })();
    (result, times)
}

fn validate_crate_name(name: &str) -> Result<(), Error> {
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
