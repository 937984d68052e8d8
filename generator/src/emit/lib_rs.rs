//! The crate root: docs, modules, re-exports and the API's constants.

use super::Feature;
use super::text::inline;
use super::tokens::{Place, ident, page_docs, type_tokens};
use crate::ir::Api;
use proc_macro2::TokenStream;
use quote::quote;

/// The names the crate root defines or re-exports.
pub const ITEMS: &[&str] = &[
    "about",
    "budget",
    "builder",
    "call",
    "client",
    "error",
    "limit",
    "multipart",
    "operations",
    "oauth",
    "params",
    "raw",
    "request",
    "response",
    "signature",
    "trace",
    "types",
    "Client",
    "ClientBuilder",
    "ByteStream",
    "paging",
    "Items",
    "Pages",
    "ApiError",
    "BuildError",
    "DecodeError",
    "Error",
    "Multipart",
    "OAuth2",
    "Token",
    "TokenError",
    "TokenSource",
    "authorize_url",
    "exchange_code",
    "OAUTH2_TOKEN_URL",
    "OAUTH2_AUTHORIZATION_URL",
    "RawRequest",
    "Request",
    "WebhookError",
    "WebhookScheme",
    "Webhooks",
    "WebhookEvent",
    "WEBHOOK_SIGNATURE",
    "RateLimit",
    "Response",
    "reqwest",
    "DEFAULT_BASE_URL",
    "BASE_URLS",
    "API_VERSION",
    "ApiErrorBody",
    "AUTH",
];

/// The crate root and `about.rs`, what the description says of itself. The root is fixed
/// text around sorted lists, so `cargo fmt` leaves it as it is; anything whose length comes
/// from the spec (a server URL, a version) lives in `about`, which rustfmt skips like every
/// generated module (prettyplease and rustfmt break long lines differently).
pub fn lib_rs(api: &Api, lib_name: &str) -> (TokenStream, TokenStream) {
    let mut own = vec![inline(api.title.trim()), String::new()];
    own.extend(usage_example(&[api], lib_name));
    own.extend(usage_notes(&[api]));
    let crate_docs = page_docs(&own, &about_api(api.description.as_deref()));
    let base_url = match &api.default_base_url {
        Some(url) => quote!(::std::option::Option::Some(#url)),
        None => quote!(::std::option::Option::None),
    };
    let version = &api.version;
    let error_body = type_tokens(&api.error_body, Place::Elsewhere);
    let about_exports = if Feature::Webhooks.enabled(api) {
        quote!(
            pub use about::{API_VERSION, ApiErrorBody, DEFAULT_BASE_URL, WebhookEvent};
        )
    } else {
        quote!(
            pub use about::{API_VERSION, ApiErrorBody, DEFAULT_BASE_URL};
        )
    };
    let (attributes, runtime) = runtime_root(&[api], api.grouping.is_some(), about_exports);
    let root = quote! {
        #crate_docs
        #attributes
        // The generator's own formatting (prettyplease) is kept: `cargo fmt` in a workspace
        // that vendors the crate leaves generated modules as they are.
        #[rustfmt::skip]
        mod about;
        #[rustfmt::skip]
        pub mod operations;
        #[rustfmt::skip]
        pub mod types;
        #runtime
    };
    let new = client_new(&[api]);
    let auth = every_credential(&[api]);
    let oauth = oauth2_endpoints(&[api]);
    let webhooks = webhook_items(&[api]);
    let about = quote! {
        //! What the API description says of itself: its servers, version, credentials and the
        //! error body most operations document.

        use crate::{BuildError, Client};

        impl Client {
            #new
        }

        /// The first server the API description names; the default base URL.
        pub const DEFAULT_BASE_URL: ::std::option::Option<&str> = #base_url;
        pub(crate) const BASE_URLS: &[(&str, ::std::option::Option<&str>)] = &[("", DEFAULT_BASE_URL)];

        /// The API description's `info.version`.
        pub const API_VERSION: &str = #version;

        /// The error body most operations document: the default type parameter of [`Error`](crate::Error).
        pub type ApiErrorBody = #error_body;

        #auth
        #oauth
        #webhooks
    };
    (root, about)
}

/// What every crate root holds: its inner attributes, then the runtime modules with their
/// re-exports. `partial`: the crate has cargo features that leave parts
/// out, and with them runtime helpers the others use.
fn runtime_root(
    apis: &[&Api],
    partial: bool,
    about_exports: TokenStream,
) -> (TokenStream, TokenStream) {
    let partial = partial.then(|| {
        quote! {
            #![cfg_attr(not(feature = "full"), allow(dead_code, unused_imports, unused_macros))]
        }
    });
    // rustdoc decides every type's auto traits; chains as deep as Stripe's overflow the
    // default recursion limit (E0275), so the crate asks for what its types need.
    let recursion_limit = apis
        .iter()
        .filter_map(|api| api.recursion_limit)
        .max()
        .map(|limit| {
            let limit = limit.to_string();
            quote!(#![recursion_limit = #limit])
        });
    let attributes = quote! {
        #![forbid(unsafe_code)]
        #recursion_limit
        #partial
        // Descriptions come from the API description verbatim; their Markdown is not ours
        // to fix, so lints about doc formatting do not apply to them.
        #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::tabs_in_doc_comments)]
        // `send` returns `impl Future<Output = Result<T, Error>>` for whatever nesting of lists
        // and maps the API's response has; naming each is not ours to improve.
        #![allow(clippy::type_complexity)]
    };
    let (modules, exports) = runtime_modules(apis, about_exports);
    let runtime = quote! {
        #(#modules)*

        #(#exports)*
    };
    (attributes, runtime)
}

/// The runtime modules `apis` need and what the crate root re-exports from them, each list
/// in the order rustfmt keeps (sorted), so `cargo fmt` leaves the crate root as it is.
fn runtime_modules(
    apis: &[&Api],
    about_exports: TokenStream,
) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut modules = vec![
        "budget", "builder", "call", "client", "error", "limit", "params", "raw", "request",
        "response", "trace",
    ];
    let mut exports = vec![
        ("about", about_exports),
        (
            "builder",
            quote!(
                pub use builder::ClientBuilder;
            ),
        ),
        (
            "client",
            quote!(
                pub use client::Client;
            ),
        ),
        (
            "error",
            quote!(
                pub use error::{ApiError, BuildError, DecodeError, Error};
            ),
        ),
        (
            "raw",
            quote!(
                pub use raw::RawRequest;
            ),
        ),
        (
            "reqwest",
            quote! {
                /// The HTTP client underneath, for `StatusCode`, `HeaderMap` and your own `reqwest::Client`.
                pub use reqwest;
            },
        ),
        (
            "request",
            quote!(
                pub use request::Request;
            ),
        ),
        (
            "response",
            quote!(
                pub use response::{RateLimit, Response};
            ),
        ),
    ];
    let optional = [
        (
            Feature::Base64,
            "base64",
            quote!(
                pub use base64::Base64;
            ),
        ),
        (
            Feature::Multipart,
            "multipart",
            quote!(
                pub use multipart::Multipart;
            ),
        ),
        (
            Feature::Stream,
            "stream",
            quote!(
                pub use stream::ByteStream;
            ),
        ),
        (
            Feature::Paging,
            "paging",
            quote!(
                pub use paging::{Items, Pages};
            ),
        ),
        (
            Feature::Webhooks,
            "signature",
            quote!(
                pub use signature::{WebhookError, WebhookScheme, Webhooks};
            ),
        ),
        (
            Feature::OAuth2,
            "oauth",
            quote!(
                pub use oauth::{OAuth2, Token, TokenError, TokenSource, authorize_url, exchange_code};
            ),
        ),
    ];
    for (feature, module, export) in optional {
        if feature.enabled_in(apis) {
            modules.push(module);
            exports.push((module, export));
        }
    }
    modules.sort_unstable();
    exports.sort_by_key(|(key, _)| *key);
    let modules = modules
        .into_iter()
        .map(|m| {
            let m = ident(m);
            quote!(mod #m;)
        })
        .collect();
    (modules, exports.into_iter().map(|(_, e)| e).collect())
}

/// `Client::new`, taking the credential the APIs ask for, or none.
fn client_new(apis: &[&Api]) -> TokenStream {
    if Feature::Bearer.enabled_in(apis) {
        quote! {
            /// A client for the API's default server, sending `bearer_token` as
            /// `Authorization: Bearer …`.
            pub fn new(bearer_token: impl ::std::convert::Into<::std::string::String>) -> ::std::result::Result<Self, BuildError> {
                Self::builder().bearer_token(bearer_token).build()
            }
        }
    } else if Feature::ApiKey.enabled_in(apis) {
        quote! {
            /// A client for the API's default server, sending `api_key` where operations
            /// ask for their API key.
            pub fn new(api_key: impl ::std::convert::Into<::std::string::String>) -> ::std::result::Result<Self, BuildError> {
                Self::builder().api_key(api_key).build()
            }
        }
    } else if Feature::Basic.enabled_in(apis) {
        quote! {
            /// A client for the API's default server, with HTTP basic authentication.
            pub fn new(user: impl ::std::convert::Into<::std::string::String>, password: impl ::std::convert::Into<::std::string::String>) -> ::std::result::Result<Self, BuildError> {
                Self::builder().basic_auth(user, password).build()
            }
        }
    } else {
        quote! {
            /// A client for the API's default server.
            pub fn new() -> ::std::result::Result<Self, BuildError> {
                Self::builder().build()
            }
        }
    }
}

/// The root of a crate generated from several specs: the runtime once, a module per spec
/// behind the cargo feature of its name, and each spec's first server as its base URL.
pub fn family_lib_rs(apis: &[&Api], lib_name: &str, title: &str) -> (TokenStream, TokenStream) {
    let mut own = vec![
        inline(title),
        String::new(),
        format!(
            "One client for {} APIs, each a module behind the cargo feature of its name (all on by default):",
            apis.len()
        ),
        String::new(),
    ];
    for api in apis {
        if let Some(module) = &api.module {
            let reach = if api.operations.is_empty() {
                " (types only)".to_owned()
            } else {
                format!(", through `client.{}()`", module.name)
            };
            own.push(format!(
                "- [`{0}`] (feature `{0}`): {1}{reach}",
                module.name,
                inline(api.title.trim())
            ));
        }
    }
    own.push(String::new());
    own.extend(usage_example(apis, lib_name));
    own.extend(usage_notes(apis));
    let crate_docs = page_docs(&own, "");
    let modules = apis
        .iter()
        .filter_map(|api| api.module.as_ref())
        .map(|module| {
            let name = ident(&module.name);
            let feature = &module.name;
            quote! {
                #[cfg(feature = #feature)]
                #[rustfmt::skip]
                pub mod #name;
            }
        });
    let base_urls = apis.iter().filter_map(|api| {
        let name = &api.module.as_ref()?.name;
        Some(match &api.default_base_url {
            Some(url) => quote!((#name, ::std::option::Option::Some(#url))),
            None => quote!((#name, ::std::option::Option::None)),
        })
    });
    let about_exports = if Feature::Webhooks.enabled_in(apis) {
        quote!(
            pub use about::{ApiErrorBody, WebhookEvent};
        )
    } else {
        quote!(
            pub use about::ApiErrorBody;
        )
    };
    let (attributes, runtime) = runtime_root(apis, true, about_exports);
    let root = quote! {
        #crate_docs
        #attributes
        #[rustfmt::skip]
        mod about;
        #(#modules)*
        #runtime
    };
    let new = client_new(apis);
    let auth = every_credential(apis);
    let oauth = oauth2_endpoints(apis);
    let webhooks = webhook_items(apis);
    let about = quote! {
        //! What the API descriptions say of themselves: their servers and credentials.

        use crate::{BuildError, Client};

        impl Client {
            #new
        }

        /// Each API's first server, by module: its default base URL.
        pub(crate) const BASE_URLS: &[(&str, ::std::option::Option<&str>)] = &[#(#base_urls),*];

        /// The APIs' error bodies differ, so each operation names its own: this is only the
        /// default type parameter of [`Error`](crate::Error).
        pub type ApiErrorBody = ::serde_json::Value;

        #auth
        #oauth
        #webhooks
    };
    (root, about)
}

/// Every credential the APIs' operations accept, in the order they first appear: what a raw
/// request ([`Client::request`](crate::Client)) tries.
fn every_credential(apis: &[&Api]) -> TokenStream {
    let mut seen = Vec::new();
    for op in apis.iter().flat_map(|api| &api.operations) {
        for auth in &op.auth {
            if !seen.contains(&auth) {
                seen.push(auth);
            }
        }
    }
    let auth = seen.into_iter().map(super::operations::auth_tokens);
    quote! {
        /// The credentials a request the description does not have is sent with: the first of
        /// these the client holds.
        pub(crate) const AUTH: &[crate::client::Auth] = &[#(#auth),*];
    }
}

/// The webhook verifier's default scheme and the event type it decodes: the union of the
/// description's webhook payloads (always compiled, in a crate split into areas too), or
/// any JSON where there is none or where the crate is made of several specs (each its own
/// module behind its own feature).
fn webhook_items(apis: &[&Api]) -> Option<TokenStream> {
    use crate::settings::WebhookSignature;
    let api = apis.iter().find(|api| Feature::Webhooks.enabled(api))?;
    let scheme = match api.webhook_signature? {
        WebhookSignature::StandardWebhooks => quote!(StandardWebhooks),
        WebhookSignature::Stripe => quote!(Stripe),
        WebhookSignature::HubspotV3 => quote!(HubSpotV3),
        WebhookSignature::HubspotV2 => quote!(HubSpotV2),
    };
    let event = match &api.webhook_event {
        Some(ty) if apis.len() == 1 && api.module.is_none() => type_tokens(ty, Place::Elsewhere),
        _ => quote!(::serde_json::Value),
    };
    Some(quote! {
        /// How the API signs its webhooks: the default of [`Webhooks`](crate::Webhooks).
        pub(crate) const WEBHOOK_SIGNATURE: crate::signature::WebhookScheme = crate::signature::WebhookScheme::#scheme;

        /// What [`Webhooks::verify`](crate::Webhooks::verify) decodes a delivery into.
        pub type WebhookEvent = #event;
    })
}

/// The OAuth2 endpoints of the first API whose bearer tokens come from one.
fn oauth2_endpoints(apis: &[&Api]) -> Option<TokenStream> {
    let api = apis.iter().find(|api| Feature::OAuth2.enabled(api))?;
    let flows = api.oauth2.as_ref()?;
    let option = |url: &Option<String>| match url {
        Some(url) => quote!(::std::option::Option::Some(#url)),
        None => quote!(::std::option::Option::None),
    };
    let (token, authorize) = (option(&flows.token_url), option(&flows.authorization_url));
    Some(quote! {
        /// The token endpoint the API description's OAuth2 security scheme names.
        pub(crate) const OAUTH2_TOKEN_URL: ::std::option::Option<&str> = #token;
        /// Its authorization endpoint (the authorization-code flow).
        pub(crate) const OAUTH2_AUTHORIZATION_URL: ::std::option::Option<&str> = #authorize;
    })
}

/// The API's own description on the crate page, under a heading of ours, after the usage.
fn about_api(description: Option<&str>) -> String {
    match description.map(str::trim) {
        Some(text) if !text.is_empty() => format!("# About the API\n\n{text}"),
        _ => String::new(),
    }
}

/// How to use the crate, after its example: the client and its server, errors, paging,
/// the servers to choose from, and the cargo features of a crate split into parts.
fn usage_notes(apis: &[&Api]) -> Vec<String> {
    let credential = if Feature::Bearer.enabled_in(apis) {
        " with a bearer token"
    } else if Feature::ApiKey.enabled_in(apis) {
        " with an API key"
    } else if Feature::Basic.enabled_in(apis) {
        " with a user name and password"
    } else {
        ""
    };
    let server = match apis {
        [api] => api.default_base_url.as_deref().map_or(
            " (the API names none: set one with `base_url`)".to_owned(),
            |url| format!(" ({})", inline(url)),
        ),
        _ => " of each API".to_owned(),
    };
    let mut lines = vec![
        String::new(),
        "# Using the client".to_owned(),
        String::new(),
        format!(
            "- [`Client::new`] connects{credential} to the default server{server}; \
             [`Client::builder`] sets another base URL, timeouts, retries and a rate limit."
        ),
        "- Each operation is a method on [`Client`] that returns a request builder: optional \
         parameters are its setters, `.send().await` returns `Result<T, Error>` and \
         `.send_with_response()` adds the status and headers."
            .to_owned(),
        "- An answer outside 2xx is [`Error::Api`]: [`Error::status`], and [`Error::body`], \
         the error body the API documents for that status, decoded (the raw text is in \
         [`Error::api_error`]). Idempotent requests are retried on 408, 429 and 5xx."
            .to_owned(),
    ];
    let paged = apis
        .iter()
        .flat_map(|api| &api.operations)
        .filter(|op| op.pagination.is_some())
        .count();
    if paged > 0 {
        lines.push(format!(
            "- {paged} operation{s} page{verb}: `.stream()` yields every item, fetching the next \
             page only when needed; `.pages()` yields each page with its status and headers.",
            s = if paged == 1 { "" } else { "s" },
            verb = if paged == 1 { "s" } else { "" },
        ));
    }
    if let [api] = apis
        && api.servers.len() > 1
    {
        lines.extend([
            String::new(),
            "## Servers".to_owned(),
            String::new(),
            "The API names these; pass one to `Client::builder().base_url(…)`:".to_owned(),
            String::new(),
        ]);
        for (url, description) in &api.servers {
            let description = description
                .as_deref()
                .map(|d| format!(": {}", inline(d)))
                .unwrap_or_default();
            lines.push(format!("- {}{description}", inline(url)));
        }
    }
    if let [api] = apis
        && let Some(grouping) = &api.grouping
    {
        lines.extend([
            String::new(),
            "## Features".to_owned(),
            String::new(),
            "Each area of the API is a module and a cargo feature (all on by default, `full` is \
             all of them); depend on the crate with `default-features = false` and the areas \
             you use to compile only those."
                .to_owned(),
            String::new(),
            "| feature | operations |".to_owned(),
            "|---|---:|".to_owned(),
        ]);
        for group in &grouping.groups {
            lines.push(format!("| `{}` | {} |", group.name, group.operations.len()));
        }
    }
    lines
}

/// The crate page's example, compiled as a `no_run` doctest: a client, and a call of the
/// first operation whose required arguments have a plain value to write (a string, number,
/// bool or enum), or just the client when none has.
fn usage_example(apis: &[&Api], krate: &str) -> Vec<String> {
    use crate::ir::TypeRef;
    let credential = if Feature::Bearer.enabled_in(apis) {
        "\"my-token\""
    } else if Feature::ApiKey.enabled_in(apis) {
        "\"my-api-key\""
    } else if Feature::Basic.enabled_in(apis) {
        "\"user\", \"password\""
    } else {
        ""
    };
    let value = |api: &Api, types: &str, ty: &TypeRef| -> Option<String> {
        Some(match ty {
            TypeRef::String => "\"…\"".to_owned(),
            TypeRef::I32 | TypeRef::I64 => "42".to_owned(),
            TypeRef::F32 | TypeRef::F64 => "1.5".to_owned(),
            TypeRef::Bool => "true".to_owned(),
            TypeRef::Named(name) => {
                let def = api.types.iter().find(|t| &t.name == name)?;
                match &def.kind {
                    crate::ir::TypeKind::StringEnum { variants, .. } => {
                        format!("{types}::{name}::{}", variants.first()?.name)
                    }
                    _ => return None,
                }
            }
            _ => return None,
        })
    };
    let call = apis.iter().find_map(|api| {
        // In a crate made of several specs, operations are reached through their module.
        let (types, reach) = match &api.module {
            None => (format!("{krate}::types"), String::new()),
            Some(m) => (
                format!("{krate}::{}::types", m.name),
                format!("{}().", m.name),
            ),
        };
        api.operations.iter().find_map(|op| {
            let args: Option<Vec<String>> = op
                .params
                .iter()
                .filter(|p| p.required)
                .map(|p| value(api, &types, &p.ty))
                .chain(
                    op.body
                        .iter()
                        .filter(|b| b.required)
                        .map(|b| value(api, &types, &b.ty)),
                )
                .collect();
            Some((format!("{reach}{}", op.method_name), args?.join(", ")))
        })
    });
    let mut lines = vec![
        "# Example".to_owned(),
        String::new(),
        "```no_run".to_owned(),
        "# async fn example() -> Result<(), Box<dyn std::error::Error>> {".to_owned(),
        format!("let client = {krate}::Client::new({credential})?;"),
    ];
    match call {
        Some((method, args)) => {
            lines.push(format!(
                "let response = client.{method}({args}).send().await?;"
            ));
            lines.push("# let _ = response;".to_owned());
        }
        None => lines.push("# let _ = client;".to_owned()),
    }
    lines.push("# Ok(())".to_owned());
    lines.push("# }".to_owned());
    lines.push("```".to_owned());
    lines
}
