//! IR → Rust source, one module per concern. Nothing here looks at the spec: every name
//! is settled and every type resolved by the IR.

mod lib_rs;
mod manifest;
mod models;
mod operations;
mod short_paths;
mod tokens;

use crate::Options;
use crate::ir::Api;
use proc_macro2::TokenStream;
use std::collections::HashSet;

/// The body of one generated file.
pub enum Source<'a> {
    /// Rust to pretty-print.
    Tokens(TokenStream),
    /// Rust to pretty-print as the module's inner attributes followed by top-level items
    /// produced one at a time, so a huge module never has all its tokens alive at once.
    Items {
        inner: TokenStream,
        items: Box<dyn Iterator<Item = TokenStream> + 'a>,
    },
    /// Text written as it is (the manifest, the runtime modules).
    Text(String),
}

/// A generated file, relative to the crate root.
pub struct EmittedFile<'a> {
    pub path: &'static str,
    pub source: Source<'a>,
}

/// The runtime modules, real Rust files under `generator/src/runtime/`, copied into
/// every crate.
const RUNTIME: &[(&str, &str)] = &[
    ("src/client.rs", include_str!("../runtime/client.rs")),
    ("src/error.rs", include_str!("../runtime/error.rs")),
    ("src/multipart.rs", include_str!("../runtime/multipart.rs")),
    ("src/params.rs", include_str!("../runtime/params.rs")),
    ("src/response.rs", include_str!("../runtime/response.rs")),
];

pub fn emit<'a>(api: &'a Api, options: &Options) -> Vec<EmittedFile<'a>> {
    let mut files = vec![
        EmittedFile {
            path: "Cargo.toml",
            source: Source::Text(manifest::manifest(api, options)),
        },
        EmittedFile {
            path: "src/lib.rs",
            source: Source::Tokens(lib_rs::lib_rs(api)),
        },
        EmittedFile {
            path: "src/types.rs",
            source: models::types_module(api),
        },
        EmittedFile {
            path: "src/operations.rs",
            source: operations::operations_module(api),
        },
    ];
    // Each module's own item names keep the std names they would shadow long.
    let bare = |name: &str| name.trim_start_matches("r#").to_owned();
    let types: HashSet<String> = api.types.iter().map(|t| bare(&t.name)).collect();
    let builders: HashSet<String> = api
        .operations
        .iter()
        .map(|o| bare(&o.builder_name))
        .collect();
    let root: HashSet<String> = lib_rs::ITEMS.iter().map(|s| (*s).to_owned()).collect();
    for file in &mut files {
        let taken = match file.path {
            "src/types.rs" => types.clone(),
            "src/operations.rs" => builders.clone(),
            _ => root.clone(),
        };
        file.source = match std::mem::replace(&mut file.source, Source::Text(String::new())) {
            Source::Tokens(tokens) => Source::Tokens(short_paths::shorten(tokens, &taken)),
            Source::Items { inner, items } => Source::Items {
                inner,
                items: Box::new(items.map(move |item| short_paths::shorten(item, &taken))),
            },
            text => text,
        };
    }
    files.extend(RUNTIME.iter().map(|(path, text)| EmittedFile {
        path,
        source: Source::Text((*text).to_owned()),
    }));
    files
}
