//! IR → Rust source, one module per concern. Nothing here looks at the spec: every name
//! is settled and every type resolved by the IR.

mod family;
mod groups;
mod lib_rs;
mod manifest;
mod models;
mod operations;
mod short_paths;
pub(crate) mod text;
mod tokens;

use crate::ir::Api;
use crate::settings::Options;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::HashSet;
use std::rc::Rc;

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
    pub path: String,
    pub source: Source<'a>,
}

/// The runtime modules, real Rust files under `generator/src/runtime/`, copied into
/// every crate that needs them (`None`: always).
const RUNTIME: &[(&str, &str, Option<Feature>)] = &[
    (
        "src/base64.rs",
        include_str!("../runtime/base64.rs"),
        Some(Feature::Base64),
    ),
    ("src/budget.rs", include_str!("../runtime/budget.rs"), None),
    (
        "src/builder.rs",
        include_str!("../runtime/builder.rs"),
        None,
    ),
    ("src/call.rs", include_str!("../runtime/call.rs"), None),
    ("src/client.rs", include_str!("../runtime/client.rs"), None),
    ("src/error.rs", include_str!("../runtime/error.rs"), None),
    ("src/limit.rs", include_str!("../runtime/limit.rs"), None),
    (
        "src/multipart.rs",
        include_str!("../runtime/multipart.rs"),
        Some(Feature::Multipart),
    ),
    (
        "src/paging.rs",
        include_str!("../runtime/paging.rs"),
        Some(Feature::Paging),
    ),
    (
        "src/oauth.rs",
        include_str!("../runtime/oauth.rs"),
        Some(Feature::OAuth2),
    ),
    ("src/params.rs", include_str!("../runtime/params.rs"), None),
    (
        "src/signature.rs",
        include_str!("../runtime/signature.rs"),
        Some(Feature::Webhooks),
    ),
    ("src/raw.rs", include_str!("../runtime/raw.rs"), None),
    (
        "src/request.rs",
        include_str!("../runtime/request.rs"),
        None,
    ),
    (
        "src/response.rs",
        include_str!("../runtime/response.rs"),
        None,
    ),
    (
        "src/stream.rs",
        include_str!("../runtime/stream.rs"),
        Some(Feature::Stream),
    ),
    ("src/trace.rs", include_str!("../runtime/trace.rs"), None),
];

/// Runtime parts an API may not need: a generated crate has no public API its operations
/// cannot use. In the runtime sources, `// @when <feature>` … `// @end` marks such parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    Bearer,
    Basic,
    ApiKey,
    Multipart,
    Stream,
    Base64,
    Paging,
    PagingCursor,
    PagingLink,
    PagingUrl,
    PagingNextUrl,
    PagingOffset,
    PagingPage,
    /// The API is one module of a crate generated from several specs.
    Family,
    /// Some field reads leniently (an override in the configuration).
    Tolerant,
    /// Some union is recognised as tagged from its members' shapes.
    Tagged,
    /// Some struct is read field by field (`FromMap`) rather than by serde's derive.
    Fields,
    /// Some struct read field by field has a required field.
    RequiredFields,
    /// Some struct written field by field has a field left out when `None`.
    OptionalFields,
    /// Some struct written field by field has a field always written.
    WrittenFields,
    /// Some struct serde's derive reads has a double option.
    DerivedDoubleOption,
    /// Some type is a string enum (compared by its wire value).
    StringEnums,
    /// The API's bearer tokens come from an OAuth2 token endpoint.
    OAuth2,
    /// A webhook verifier is generated (`webhook-signature` in the configuration).
    Webhooks,
    /// The API has an operation (a spec of types alone has none).
    Operations,
}

impl Feature {
    fn parse(name: &str) -> Option<Feature> {
        Some(match name {
            "bearer" => Feature::Bearer,
            "basic" => Feature::Basic,
            "api_key" => Feature::ApiKey,
            "multipart" => Feature::Multipart,
            "stream" => Feature::Stream,
            "base64" => Feature::Base64,
            "paging" => Feature::Paging,
            "paging_cursor" => Feature::PagingCursor,
            "paging_link" => Feature::PagingLink,
            "paging_url" => Feature::PagingUrl,
            "paging_next_url" => Feature::PagingNextUrl,
            "paging_offset" => Feature::PagingOffset,
            "paging_page" => Feature::PagingPage,
            "family" => Feature::Family,
            "tolerant" => Feature::Tolerant,
            "tagged" => Feature::Tagged,
            "fields" => Feature::Fields,
            "required_fields" => Feature::RequiredFields,
            "optional_fields" => Feature::OptionalFields,
            "written_fields" => Feature::WrittenFields,
            "derived_double_option" => Feature::DerivedDoubleOption,
            "string_enums" => Feature::StringEnums,
            "oauth2" => Feature::OAuth2,
            "webhooks" => Feature::Webhooks,
            "operations" => Feature::Operations,
            _ => return None,
        })
    }

    /// Whether any of `apis` (the specs of one crate) needs it.
    pub fn enabled_in(self, apis: &[&Api]) -> bool {
        apis.iter().any(|api| self.enabled(api))
    }

    pub fn enabled(self, api: &Api) -> bool {
        use crate::ir::{Auth, NextPage};
        match self {
            Feature::Bearer => api.uses_auth(|a| matches!(a, Auth::Bearer)),
            Feature::Basic => api.uses_auth(|a| matches!(a, Auth::Basic)),
            Feature::ApiKey => api.uses_auth(|a| matches!(a, Auth::ApiKey { .. })),
            Feature::Multipart => api.uses_multipart(),
            Feature::Stream => api.uses_streams(),
            Feature::Base64 => api.uses_base64(),
            Feature::Paging => api.uses_paging(|_| true),
            Feature::PagingCursor => api.uses_paging(|n| matches!(n, NextPage::Cursor { .. })),
            Feature::PagingLink => api.uses_paging(|n| matches!(n, NextPage::Link)),
            Feature::PagingUrl => api.uses_paging(|n| matches!(n, NextPage::Url { .. })),
            Feature::PagingNextUrl => {
                api.uses_paging(|n| matches!(n, NextPage::Link | NextPage::Url { .. }))
            }
            Feature::PagingOffset => api.uses_paging(|n| matches!(n, NextPage::Offset { .. })),
            Feature::PagingPage => api.uses_paging(|n| matches!(n, NextPage::Page { .. })),
            Feature::Family => api.module.is_some(),
            Feature::Webhooks => api.webhook_signature.is_some(),
            Feature::Operations => !api.operations.is_empty(),
            Feature::OAuth2 => api.oauth2.is_some() && api.uses_auth(|a| matches!(a, Auth::Bearer)),
            Feature::Tagged => api.types.iter().any(|t| {
                matches!(
                    t.kind,
                    crate::ir::TypeKind::Union {
                        tag_outside: true,
                        ..
                    }
                )
            }),
            Feature::Fields => api.any_struct(crate::ir::reads_by_field),
            Feature::DerivedDoubleOption => api.any_struct(|fields| {
                !crate::ir::reads_by_field(fields) && fields.iter().any(|f| f.double_option)
            }),
            Feature::RequiredFields => api.any_struct(|fields| {
                crate::ir::reads_by_field(fields) && fields.iter().any(|f| !f.is_option())
            }),
            Feature::OptionalFields => api.any_struct(|fields| {
                crate::ir::reads_by_field(fields)
                    && fields.iter().any(crate::ir::Field::left_out_when_none)
            }),
            Feature::WrittenFields => api.any_struct(|fields| {
                crate::ir::reads_by_field(fields) && fields.iter().any(|f| !f.left_out_when_none())
            }),
            Feature::Tolerant => api.any_struct(|fields| fields.iter().any(|f| f.tolerant)),
            Feature::StringEnums => api
                .types
                .iter()
                .any(|t| matches!(t.kind, crate::ir::TypeKind::StringEnum { .. })),
        }
    }
}

/// The runtime source with the parts for disabled features left out (and the markers
/// themselves dropped).
fn select(text: &str, apis: &[&Api]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut active: Vec<bool> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(name) = trimmed.strip_prefix("// @when ") {
            active.push(Feature::parse(name.trim()).is_some_and(|f| f.enabled_in(apis)));
            continue;
        }
        if trimmed == "// @end" {
            active.pop();
            continue;
        }
        // A part left out leaves its blank lines around it: keep one.
        if active.iter().all(|on| *on) && !(trimmed.is_empty() && out.ends_with("\n\n")) {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

pub use family::emit_family;

pub fn emit<'a>(api: &'a Api, options: &Options) -> Vec<EmittedFile<'a>> {
    let file = |path: &str, source| EmittedFile {
        path: path.to_owned(),
        source,
    };
    let (root, about) = lib_rs::lib_rs(api, &options.crate_name.replace('-', "_"));
    let mut files = vec![
        file("Cargo.toml", Source::Text(manifest::manifest(api, options))),
        file("src/lib.rs", Source::Tokens(root)),
        file("src/about.rs", Source::Tokens(about)),
    ];
    let types_doc = quote! {
        //! Request and response bodies, as the API description defines them.
    };
    let operations_doc = quote! {
        //! One request builder per operation; start from the methods on [`Client`](crate::Client).
    };
    match &api.grouping {
        None => {
            files.push(file(
                "src/types.rs",
                models::types_module(api, None, types_doc, TokenStream::new()),
            ));
            files.push(file(
                "src/operations.rs",
                operations::operations_module(api, None, operations_doc),
            ));
        }
        Some(grouping) => {
            files.push(file(
                "src/types/mod.rs",
                Source::Tokens(groups::types_root(grouping)),
            ));
            if !grouping.shared_types.is_empty() {
                files.push(file(
                    "src/types/shared.rs",
                    models::types_module(
                        api,
                        Some(&grouping.shared_types),
                        quote! {
                            //! The types more than one area uses (or none): compiled with any feature.
                        },
                        TokenStream::new(),
                    ),
                ));
            }
            for cluster in &grouping.clusters {
                let doc = if cluster.features == ["full"] {
                    "Types no operation uses, compiled with `full`.".to_owned()
                } else {
                    format!(
                        "Types the {} areas share, compiled with any of them.",
                        cluster
                            .features
                            .iter()
                            .map(|f| format!("`{f}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                let head = cluster.uses_others.then(|| {
                    quote!(
                        use super::*;
                    )
                });
                files.push(file(
                    &format!("src/types/{}.rs", cluster.name),
                    models::types_module(
                        api,
                        Some(&cluster.types),
                        tokens::inner_docs(&doc, &[]),
                        quote!(#head),
                    ),
                ));
            }
            files.push(file(
                "src/operations/mod.rs",
                Source::Tokens(groups::operations_root(grouping)),
            ));
            for group in &grouping.groups {
                if !group.types.is_empty() {
                    let label = format!("The types only `{}` operations use.", group.label);
                    let head = group.uses_shared.then(|| {
                        quote!(
                            use super::*;
                        )
                    });
                    files.push(file(
                        &format!("src/types/{}.rs", group.name),
                        models::types_module(
                            api,
                            Some(&group.types),
                            tokens::inner_docs(&label, &[]),
                            quote!(#head),
                        ),
                    ));
                }
                let label = format!("The `{}` operations.", group.label);
                files.push(file(
                    &format!("src/operations/{}.rs", group.name),
                    operations::operations_module(
                        api,
                        Some(&group.operations),
                        tokens::inner_docs(&label, &[]),
                    ),
                ));
            }
        }
    }
    // Each module's own item names keep the std names they would shadow long.
    let bare = |name: &str| name.trim_start_matches("r#").to_owned();
    // Shared, not copied: a crate of thousands of areas has thousands of files, and a copy
    // of every name per file was quadratic (6,000 areas: 4.7 GB).
    let types: Rc<HashSet<String>> = Rc::new(api.types.iter().map(|t| bare(&t.name)).collect());
    let builders: Rc<HashSet<String>> = Rc::new(
        api.operations
            .iter()
            .map(|o| bare(&o.builder_name))
            .collect(),
    );
    let root: Rc<HashSet<String>> =
        Rc::new(lib_rs::ITEMS.iter().map(|s| (*s).to_owned()).collect());
    for file in &mut files {
        let taken = if file.path == "src/types.rs" || file.path.starts_with("src/types/") {
            Rc::clone(&types)
        } else if file.path == "src/operations.rs" || file.path.starts_with("src/operations/") {
            Rc::clone(&builders)
        } else {
            Rc::clone(&root)
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
    files.extend(runtime(&[api]));
    files
}

/// The runtime modules `apis` need, with only the parts they use.
fn runtime<'a>(apis: &[&Api]) -> Vec<EmittedFile<'a>> {
    RUNTIME
        .iter()
        .filter(|(_, _, feature)| feature.is_none_or(|f| f.enabled_in(apis)))
        .map(|(path, text, _)| EmittedFile {
            path: (*path).to_owned(),
            source: Source::Text(select(text, apis)),
        })
        .collect()
}
