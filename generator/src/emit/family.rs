//! A crate generated from several specs: a module per spec (`src/<module>/`) behind the
//! cargo feature of its name, with its own `types` and `operations`, the runtime once, and
//! one `Client` whose `<module>()` method reaches the module's operations.

use super::tokens::{docs, inner_docs};
use super::{EmittedFile, Source, lib_rs, manifest, models, operations, runtime, short_paths};
use crate::ir::Api;
use crate::settings::Options;
use proc_macro2::{Ident, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::quote;
use std::collections::HashSet;

pub fn emit_family<'a>(apis: &'a [Api], options: &Options, title: &str) -> Vec<EmittedFile<'a>> {
    let all: Vec<&Api> = apis.iter().collect();
    let features: Vec<&str> = apis
        .iter()
        .filter_map(|api| api.module.as_ref())
        .map(|m| m.name.as_str())
        .collect();
    let lib_name = options.crate_name.replace('-', "_");
    let root: HashSet<String> = lib_rs::ITEMS
        .iter()
        .chain(&features)
        .map(|s| (*s).to_owned())
        .collect();
    let (lib, about) = lib_rs::family_lib_rs(&all, &lib_name, title);
    let mut files = vec![
        EmittedFile {
            path: "Cargo.toml".to_owned(),
            source: Source::Text(manifest::package(&all, title, &features, options)),
        },
        EmittedFile {
            path: "src/lib.rs".to_owned(),
            source: Source::Tokens(short_paths::shorten(lib, &root)),
        },
        EmittedFile {
            path: "src/about.rs".to_owned(),
            source: Source::Tokens(short_paths::shorten(about, &root)),
        },
    ];
    for api in apis {
        let Some(module) = &api.module else {
            continue;
        };
        let dir = format!("src/{}", module.name);
        let bare = |name: &str| name.trim_start_matches("r#").to_owned();
        let types: HashSet<String> = api.types.iter().map(|t| bare(&t.name)).collect();
        let builders: HashSet<String> = api
            .operations
            .iter()
            .map(|o| bare(&o.builder_name))
            .collect();
        let within = |tokens: TokenStream, taken: &HashSet<String>| {
            short_paths::shorten(reroot(tokens), taken)
        };
        let own: HashSet<String> = [module.handle.as_str(), "operations", "types", "API_VERSION"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        files.push(EmittedFile {
            path: format!("{dir}/mod.rs"),
            source: Source::Tokens(short_paths::shorten(module_root(api), &own)),
        });
        let types_doc = quote! {
            //! Request and response bodies, as the API description defines them.
        };
        files.push(EmittedFile {
            path: format!("{dir}/types.rs"),
            source: localise(
                models::types_module(api, None, types_doc, TokenStream::new()),
                within,
                types,
            ),
        });
        if api.operations.is_empty() {
            continue;
        }
        let handle = &module.handle;
        let doc = inner_docs(
            &format!(
                "One request builder per operation; start from the methods on [`{handle}`](super::{handle})."
            ),
            &[],
        );
        files.push(EmittedFile {
            path: format!("{dir}/operations.rs"),
            source: localise(
                operations::operations_module(api, None, doc),
                within,
                builders,
            ),
        });
    }
    files.extend(runtime(&all));
    files
}

/// Applies `pass` to every item of `source`, as it is produced.
fn localise<'a, F>(source: Source<'a>, pass: F, taken: HashSet<String>) -> Source<'a>
where
    F: Fn(TokenStream, &HashSet<String>) -> TokenStream + 'a,
{
    match source {
        Source::Tokens(tokens) => Source::Tokens(pass(tokens, &taken)),
        Source::Items { inner, items } => Source::Items {
            inner,
            items: Box::new(items.map(move |item| pass(item, &taken))),
        },
        text => text,
    }
}

/// `src/<module>/mod.rs`: the spec's docs, its `types` and `operations`, and the handle
/// `client.<module>()` returns.
fn module_root(api: &Api) -> TokenStream {
    let Some(module) = &api.module else {
        return TokenStream::new();
    };
    let mut about = api.title.clone();
    if let Some(description) = &api.description {
        about.push_str("\n\n");
        about.push_str(description.trim());
    }
    let module_docs = inner_docs(&about, &[]);
    let name = super::tokens::ident(&module.name);
    let handle = super::tokens::ident(&module.handle);
    let index = proc_macro2::Literal::usize_unsuffixed(module.index);
    let version = &api.version;
    let title = api.title.trim().trim_end_matches('.');
    let handle_doc = docs(Some(&format!(
        "The operations of {title}: `client.{}()`, then a method per operation.",
        module.name
    )));
    let method_doc = docs(Some(&format!("The operations of {title}.")));
    let head = quote! {
        #module_docs
        /// The API description's `info.version`.
        pub const API_VERSION: &str = #version;
    };
    // A spec without operations is only its types.
    if api.operations.is_empty() {
        return quote! {
            #head
            pub mod types;
        };
    }
    quote! {
        #head
        pub mod operations;
        pub mod types;

        #handle_doc
        #[derive(::std::fmt::Debug, ::std::clone::Clone)]
        pub struct #handle {
            client: crate::Client,
        }

        impl crate::Client {
            #method_doc
            pub fn #name(&self) -> #handle {
                #handle {
                    client: self.for_api(#index),
                }
            }
        }
    }
}

/// `crate::types::X` → `super::types::X`: the emitters write paths from a crate that is one
/// spec, and a module's `types` and `operations` are siblings.
fn reroot(tokens: TokenStream) -> TokenStream {
    reroot_at(tokens, 1)
}

/// [`reroot`] for tokens `depth` modules below the spec's module (a `mod` inside
/// `operations` is one more).
fn reroot_at(tokens: TokenStream, depth: usize) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(trees.len());
    let mut i = 0;
    while i < trees.len() {
        let tree = &trees[i];
        let is = |at: usize, text: &str| match trees.get(at) {
            Some(TokenTree::Ident(ident)) => ident == text,
            Some(TokenTree::Punct(punct)) => text.len() == 1 && text.starts_with(punct.as_char()),
            _ => false,
        };
        if let TokenTree::Group(group) = tree {
            let inner_module = i >= 2 && is(i - 2, "mod");
            let depth = depth + usize::from(inner_module);
            let mut inner =
                proc_macro2::Group::new(group.delimiter(), reroot_at(group.stream(), depth));
            inner.set_span(group.span());
            out.push(TokenTree::Group(inner));
            i += 1;
            continue;
        }
        if is(i, "crate") && is(i + 1, ":") && is(i + 2, ":") && is(i + 3, "types") {
            for n in 0..depth {
                if n > 0 {
                    out.push(TokenTree::Punct(Punct::new(':', Spacing::Joint)));
                    out.push(TokenTree::Punct(Punct::new(':', Spacing::Alone)));
                }
                out.push(TokenTree::Ident(Ident::new("super", Span::call_site())));
            }
            i += 1;
            continue;
        }
        out.push(tree.clone());
        i += 1;
    }
    out.into_iter().collect()
}
