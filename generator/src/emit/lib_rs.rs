//! The crate root: docs, modules, re-exports and the API's constants.

use super::Feature;
use super::tokens::{Place, type_tokens};
use crate::ir::Api;
use proc_macro2::TokenStream;
use quote::quote;

/// The names the crate root defines or re-exports.
pub const ITEMS: &[&str] = &[
    "client",
    "error",
    "multipart",
    "operations",
    "params",
    "response",
    "types",
    "Client",
    "ClientBuilder",
    "ByteStream",
    "ApiError",
    "BuildError",
    "DecodeError",
    "Error",
    "Multipart",
    "RateLimit",
    "Response",
    "reqwest",
    "DEFAULT_BASE_URL",
    "API_VERSION",
    "ApiErrorBody",
];

pub fn lib_rs(api: &Api) -> TokenStream {
    let mut about = api.title.clone();
    if let Some(description) = &api.description {
        about.push_str("\n\n");
        about.push_str(description.trim());
    }
    let crate_docs = about.lines().map(|line| {
        let line = format!(" {}", line.trim_end());
        quote!(#![doc = #line])
    });
    let base_url = match &api.default_base_url {
        Some(url) => quote!(::std::option::Option::Some(#url)),
        None => quote!(::std::option::Option::None),
    };
    let version = &api.version;
    let multipart = Feature::Multipart.enabled(api).then(|| {
        quote! {
            mod multipart;
            pub use multipart::Multipart;
        }
    });
    let stream = Feature::Stream.enabled(api).then(|| {
        quote! {
            mod stream;
            pub use stream::ByteStream;
        }
    });
    // `Client::new` takes the credential the API asks for, or none.
    let new = if Feature::Bearer.enabled(api) {
        quote! {
            /// A client for the API's default server, sending `bearer_token` as
            /// `Authorization: Bearer …`.
            pub fn new(bearer_token: impl ::std::convert::Into<::std::string::String>) -> ::std::result::Result<Self, BuildError> {
                Self::builder().bearer_token(bearer_token).build()
            }
        }
    } else if Feature::ApiKey.enabled(api) {
        quote! {
            /// A client for the API's default server, sending `api_key` where operations
            /// ask for their API key.
            pub fn new(api_key: impl ::std::convert::Into<::std::string::String>) -> ::std::result::Result<Self, BuildError> {
                Self::builder().api_key(api_key).build()
            }
        }
    } else if Feature::Basic.enabled(api) {
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
    };
    let error_body = type_tokens(&api.error_body, Place::Elsewhere);
    quote! {
        #(#crate_docs)*
        #![forbid(unsafe_code)]
        // Descriptions come from the API description verbatim; their Markdown is not ours
        // to fix, so lints about doc formatting do not apply to them.
        #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::tabs_in_doc_comments)]

        mod client;
        mod error;
        pub mod operations;
        mod params;
        mod response;
        pub mod types;
        #multipart
        #stream

        pub use client::{Client, ClientBuilder};
        pub use error::{ApiError, BuildError, DecodeError, Error};
        pub use response::{RateLimit, Response};
        /// The HTTP client underneath, for `StatusCode`, `HeaderMap` and your own `reqwest::Client`.
        pub use reqwest;

        /// The first server the API description names; the default base URL.
        pub const DEFAULT_BASE_URL: ::std::option::Option<&str> = #base_url;

        /// The API description's `info.version`.
        pub const API_VERSION: &str = #version;

        /// The error body most operations document: the default type parameter of [`Error`].
        pub type ApiErrorBody = #error_body;

        impl Client {
            #new
        }
    }
}
