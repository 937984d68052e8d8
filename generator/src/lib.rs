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

pub mod changes;
pub mod config;
pub mod diagnostics;
pub mod diff;
mod emit;
mod error;
mod format;
pub mod input;
pub mod ir;
pub mod load;
mod output;
pub mod settings;
pub mod write;

pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use error::Error;
pub use output::{ErrorBodyKind, GeneratedCrate, GroupSummary, OperationName};
pub use settings::Options;
use settings::validate_crate_name;

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

/// The public API the crate generated from `text` with `options` would have: what
/// [`diff::compare`] compares. Built on the same big stack as [`generate`].
pub fn api_surface(file: &str, text: &str, options: &Options) -> Result<diff::Surface, Error> {
    let build = || {
        let settings = SpecSettings {
            lenient: options.lenient,
            base_url: options.base_url.as_deref(),
            overrides: &options.overrides,
            paging: &options.paging,
        };
        build_api(file, text, &settings, &mut StageTimes::default())
            .map(|api| diff::surface(std::slice::from_ref(&api)))
    };
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("openapi-gen".into())
            .stack_size(256 << 20)
            .spawn_scoped(scope, build)
            .map(|handle| {
                handle.join().unwrap_or_else(|_| {
                    Err(Error::Internal(
                        "the generator panicked; please report this spec".to_owned(),
                    ))
                })
            })
            .unwrap_or_else(|_| build())
    })
}

/// What a spec is generated with, beside its text.
#[derive(Clone, Copy)]
struct SpecSettings<'a> {
    lenient: bool,
    base_url: Option<&'a str>,
    overrides: &'a [settings::Override],
    paging: &'a [settings::PagingDeclaration],
}

/// Load and IR: the spec's text to a resolved [`ir::Api`], with diagnostics located.
fn build_api(
    file: &str,
    text: &str,
    settings: &SpecSettings<'_>,
    times: &mut StageTimes,
) -> Result<ir::Api, Error> {
    let SpecSettings {
        lenient,
        base_url,
        overrides,
        paging,
    } = *settings;
    if text.len() as u64 > input::MAX_SPEC_BYTES {
        return Err(Error::Spec(Diagnostics(vec![Diagnostic {
            severity: Severity::Error,
            file: file.to_owned(),
            pointer: "#".to_owned(),
            line_col: None,
            message: format!(
                "the document is {} bytes, more than the {} bytes openapi-gen reads",
                text.len(),
                input::MAX_SPEC_BYTES
            ),
        }])));
    }
    let started = std::time::Instant::now();
    let loaded = load::load_with(file, text, lenient).map_err(|d| {
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
    times.load += started.elapsed();
    let mut loaded = loaded?;
    let declared =
        load::declare_paging(&mut loaded, paging).map_err(|d| Error::Config(Diagnostics(d)))?;
    times.normalize += loaded.normalize;
    let started = std::time::Instant::now();
    let located = |mut d: Diagnostic| {
        if let Some((_, at)) = declared
            .iter()
            .find(|(p, _)| d.pointer.starts_with(p.as_str()))
        {
            d.message.push_str(&format!(" (paging declared at {at})"));
        }
        d.pointer = loaded.original_pointer(&d.pointer);
        if d.line_col.is_none() {
            d.line_col = load::locate(text, &d.pointer);
        }
        d
    };
    let api = ir::build(&loaded, lenient, overrides)
        .map(|mut api| {
            api.warnings = std::mem::take(&mut api.warnings)
                .into_iter()
                .map(located)
                .collect();
            if let Some(url) = base_url {
                api.default_base_url = Some(url.to_owned());
            }
            api
        })
        .map_err(|d| Error::Spec(Diagnostics(d.0.into_iter().map(located).collect())));
    times.ir += started.elapsed();
    api
}

/// The file name of a spec, as generated headers name it.
fn spec_name(file: &str) -> &str {
    std::path::Path::new(file)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(file)
}

fn pipeline(
    file: &str,
    text: &str,
    options: &Options,
) -> (Result<GeneratedCrate, Error>, StageTimes) {
    let mut times = StageTimes::default();
    let result = validate_crate_name(&options.crate_name)
        .and_then(|()| {
            let settings = SpecSettings {
                lenient: options.lenient,
                base_url: options.base_url.as_deref(),
                overrides: &options.overrides,
                paging: &options.paging,
            };
            build_api(file, text, &settings, &mut times)
        })
        .and_then(|mut api| {
            api.webhook_signature = options.webhook_signature;
            let emit = || emit::emit(&api, options);
            let krate = finish(&emit, &|_| format!("`{}`", spec_name(file)), &mut times);
            krate.map(|files| summarise(files, std::slice::from_ref(&api)))
        });
    (result, times)
}

/// One spec of a crate made of several: the module it becomes and its own settings.
#[derive(Debug, Clone)]
pub struct SpecInput<'a> {
    /// Names the spec in diagnostics and in the generated headers (its file name only).
    pub file: &'a str,
    pub text: &'a str,
    /// The module and cargo feature (`conversations`).
    pub module: String,
    pub lenient: bool,
    /// Replaces the spec's first server.
    pub base_url: Option<String>,
    /// Corrections for properties the spec describes wrongly.
    pub overrides: &'a [settings::Override],
    /// Paging declared (or turned off) per operation.
    pub paging: &'a [settings::PagingDeclaration],
}

/// Generates one crate from several specs: a module per spec behind the cargo feature of
/// its name, the runtime once, one `Client` (`client.conversations().get_thread(…)`).
/// Every spec's problems are reported together.
pub fn generate_family(
    specs: &[SpecInput<'_>],
    options: &Options,
) -> Result<GeneratedCrate, Error> {
    validate_crate_name(&options.crate_name)?;
    let mut times = StageTimes::default();
    let mut apis = Vec::new();
    let mut problems = Vec::new();
    for (index, spec) in specs.iter().enumerate() {
        if let Some(problem) = config::module_name_problem(&spec.module) {
            return Err(Error::Usage(problem));
        }
        if specs[..index].iter().any(|s| s.module == spec.module) {
            return Err(Error::Usage(format!(
                "two specs are both module `{}`",
                spec.module
            )));
        }
        let settings = SpecSettings {
            lenient: spec.lenient,
            base_url: spec.base_url.as_deref(),
            overrides: spec.overrides,
            paging: spec.paging,
        };
        match build_api(spec.file, spec.text, &settings, &mut times) {
            Ok(mut api) => {
                api.module = Some(ir::ApiModule {
                    name: spec.module.clone(),
                    handle: ir::pascal_ident(&spec.module, "Api"),
                    index,
                });
                // Each module is one feature: its tags do not split it further.
                api.ungroup();
                api.webhook_signature = options.webhook_signature;
                apis.push(api);
            }
            Err(Error::Spec(d)) => problems.extend(d.0),
            Err(other) => return Err(other),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Spec(Diagnostics(problems)));
    }
    let names: Vec<&str> = specs.iter().map(|s| spec_name(s.file)).collect();
    // Files every module shares name the specs; past a few, a count (the crate page lists
    // every module and its spec's title).
    let all = match names.as_slice() {
        [a, b, c, rest @ ..] if !rest.is_empty() => {
            format!("`{a}`, `{b}`, `{c}` and {} more", rest.len())
        }
        few => format!("`{}`", few.join("`, `")),
    };
    // A module's files name its own spec; the shared ones name them all.
    let header = |path: &str| {
        specs
            .iter()
            .zip(&names)
            .find(|(spec, _)| path.starts_with(&format!("src/{}/", spec.module)))
            .map_or_else(|| all.clone(), |(_, name)| format!("`{name}`"))
    };
    let emit = || emit::emit_family(&apis, options, &options.crate_name);
    let files = finish(&emit, &header, &mut times)?;
    Ok(summarise(files, &apis))
}

/// Emits and formats the crate's files, on as many threads as there are cores (up to 4).
/// Token streams cannot move between threads, so each worker emits the crate's files itself
/// (cheap: the big modules are emitted lazily, item by item, as they are formatted) and
/// renders the ones it claims next; the output is the same whatever the thread count.
fn finish<'a>(
    emit: &(dyn Fn() -> Vec<emit::EmittedFile<'a>> + Sync),
    spec_name: &(dyn Fn(&str) -> String + Sync),
    times: &mut StageTimes,
) -> Result<Vec<(String, String)>, Error> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let started = std::time::Instant::now();
    let next = AtomicUsize::new(0);
    // One worker's share: (index, path, text) for each file it claimed, and its time
    // spent emitting and in all.
    let work = || {
        let worker_started = std::time::Instant::now();
        let mut files: Vec<Option<emit::EmittedFile<'a>>> = emit().into_iter().map(Some).collect();
        let mut emitting = worker_started.elapsed();
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(file) = files.get_mut(i).and_then(Option::take) else {
                break;
            };
            let name = spec_name(&file.path);
            let (path, text, lazily) = format::render(file, &name).map_err(Error::Internal)?;
            emitting += lazily;
            done.push((i, path, text));
        }
        Ok::<_, Error>((done, emitting, worker_started.elapsed()))
    };
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let results: Vec<Result<_, Error>> = if workers > 1 {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .filter_map(|_| {
                    std::thread::Builder::new()
                        .stack_size(64 << 20)
                        .spawn_scoped(scope, work)
                        .ok()
                })
                .collect();
            if handles.is_empty() {
                return vec![work()];
            }
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        Err(Error::Internal("a formatting thread panicked".to_owned()))
                    })
                })
                .collect()
        })
    } else {
        vec![work()]
    };
    let (mut files, mut emitting, mut busy) = (
        Vec::new(),
        std::time::Duration::ZERO,
        std::time::Duration::ZERO,
    );
    for result in results {
        let (done, emit_time, total) = result?;
        files.extend(done);
        emitting += emit_time;
        busy += total;
    }
    files.sort_by_key(|(i, _, _)| *i);
    // The wall time, split between the stages as the workers' own time was.
    let wall = started.elapsed();
    let emit_share = if busy.is_zero() {
        0.0
    } else {
        emitting.as_secs_f64() / busy.as_secs_f64()
    };
    let emit_wall = wall.mul_f64(emit_share.min(1.0));
    times.emit += emit_wall;
    times.format += wall.saturating_sub(emit_wall);
    Ok(files
        .into_iter()
        .map(|(_, path, text)| (path, text))
        .collect())
}

/// The crate, with what it holds counted.
fn summarise(files: Vec<(String, String)>, apis: &[ir::Api]) -> GeneratedCrate {
    // Each API's error enums by name (once: Graph has 10,000 operations and 50,000 types).
    let unions: Vec<std::collections::HashSet<&str>> = apis
        .iter()
        .map(|api| {
            api.types
                .iter()
                .filter(|t| matches!(t.kind, ir::TypeKind::ErrorUnion { .. }))
                .map(|t| t.name.as_str())
                .collect()
        })
        .collect();
    let operations = apis
        .iter()
        .zip(&unions)
        .flat_map(|(api, unions)| api.operations.iter().map(move |op| (unions, op)))
        .map(|(unions, op)| OperationName {
            http_method: op.http_method.as_str().to_owned(),
            path: op.path_template.clone(),
            method_name: op.method_name.clone(),
            named_by_spec: op.named_by_spec,
            paging: op
                .pagination
                .as_ref()
                .map(|p| (p.rule.as_str(), p.summary.clone())),
            error_body: match &op.error {
                ir::TypeRef::Json => ErrorBodyKind::Untyped,
                ir::TypeRef::Named(name) if unions.contains(name.as_str()) => {
                    ErrorBodyKind::ByStatus
                }
                _ => ErrorBodyKind::Typed,
            },
        })
        .collect();
    let groups = apis
        .iter()
        .flat_map(|api| match (&api.module, &api.grouping) {
            (Some(module), _) => vec![GroupSummary {
                feature: module.name.clone(),
                operations: api.operations.len(),
                types: api.types.len(),
            }],
            (None, Some(grouping)) => grouping
                .groups
                .iter()
                .map(|g| GroupSummary {
                    feature: g.name.clone(),
                    operations: g.operations.len(),
                    types: g.types.len(),
                })
                .collect(),
            (None, None) => Vec::new(),
        })
        .collect();
    GeneratedCrate {
        files,
        warnings: apis.iter().flat_map(|api| api.warnings.clone()).collect(),
        type_count: apis.iter().map(|api| api.types.len()).sum(),
        operation_count: apis.iter().map(|api| api.operations.len()).sum(),
        operations,
        groups,
        merged_types: apis.iter().map(|api| api.merged_types).sum(),
        type_paths: apis
            .iter()
            .flat_map(|api| {
                let module = api.module.as_ref().map(|m| format!("{}::", m.name));
                api.types
                    .iter()
                    .map(move |t| format!("{}types::{}", module.as_deref().unwrap_or(""), t.name))
            })
            .collect(),
    }
}

/// Generating and writing a crate a configuration lists: the orchestration lives here, at
/// the top, so the configuration reader knows nothing of generating or writing.
impl config::CrateConfig {
    /// Reads the crate's specs and generates it.
    pub fn generate(&self) -> Result<GeneratedCrate, Error> {
        let mut texts = Vec::new();
        for spec in &self.specs {
            let bytes = crate::input::read_regular(&spec.path, crate::input::MAX_SPEC_BYTES)
                .map_err(|e| Error::Usage(format!("cannot read the spec {e}")))?;
            let text = crate::load::text(&spec.path_as_written, &bytes)
                .map_err(Error::Spec)?
                .to_owned();
            texts.push(text);
        }
        let options = Options {
            crate_version: self.version.clone(),
            hint_mostly_unused: self.hint_mostly_unused,
            webhook_signature: self.webhook_signature,
            ..Options::new(self.name.clone())
        };
        match self.specs.as_slice() {
            [spec] if spec.module.is_none() => generate(
                &spec.path_as_written,
                &texts[0],
                &Options {
                    lenient: spec.lenient,
                    base_url: spec.base_url.clone(),
                    overrides: spec.overrides.clone(),
                    paging: spec.paging.clone(),
                    ..options
                },
            ),
            specs => {
                let inputs: Vec<SpecInput<'_>> = specs
                    .iter()
                    .zip(&texts)
                    .map(|(spec, text)| SpecInput {
                        file: &spec.path_as_written,
                        text,
                        module: spec.module.clone().unwrap_or_default(),
                        lenient: spec.lenient,
                        base_url: spec.base_url.clone(),
                        overrides: &spec.overrides,
                        paging: &spec.paging,
                    })
                    .collect();
                generate_family(&inputs, &options)
            }
        }
    }

    /// The public API the crate would have if its specs read as `texts` says (one text per
    /// spec, in order; `None` for a spec that did not exist then): what `diff` compares
    /// between a crate's specs before and after a change.
    pub fn surface(&self, texts: &[Option<String>]) -> Result<diff::Surface, Error> {
        let mut whole = diff::Surface::default();
        for (spec, text) in self.specs.iter().zip(texts) {
            let Some(text) = text else { continue };
            let options = Options {
                lenient: spec.lenient,
                base_url: spec.base_url.clone(),
                overrides: spec.overrides.clone(),
                paging: spec.paging.clone(),
                ..Options::new(self.name.clone())
            };
            let surface = api_surface(&spec.path_as_written, text, &options)?;
            // In a crate of several specs, each is reached through its module.
            let (reach, types) = match &spec.module {
                Some(m) => (format!("client.{m}()."), format!("{m}::types::")),
                None => ("client.".to_owned(), "types::".to_owned()),
            };
            for (name, method) in surface.methods {
                let name = name.replacen("client.", &reach, 1);
                whole.methods.insert(name, method);
            }
            for (name, shape) in surface.types {
                whole
                    .types
                    .insert(name.replacen("types::", &types, 1), shape);
            }
        }
        Ok(whole)
    }

    /// Writes `krate` to the crate's folder, or with `check`, compares it with what is there.
    pub fn apply(&self, krate: &GeneratedCrate, check: bool) -> std::io::Result<config::Outcome> {
        if check {
            Ok(match crate::write::check_crate(krate, &self.out)? {
                Ok(()) => config::Outcome::Fresh,
                Err(diff) => config::Outcome::Stale(diff),
            })
        } else {
            crate::write::write_crate(krate, &self.out).map(config::Outcome::Written)
        }
    }
}
