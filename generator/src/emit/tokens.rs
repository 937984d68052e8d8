//! Small pieces every emitter uses: identifiers, doc attributes, type paths.

use crate::ir::TypeRef;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// An identifier the IR's naming pass produced (`name` or `r#name`).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// Doc attributes for an item: spec text (or text composed from it) made inert by
/// [`super::text::doc_lines`]. Every doc comment the emitter writes goes through here or
/// [`inner_docs`]; no other module writes a `doc` attribute.
pub fn docs(text: Option<&str>) -> TokenStream {
    let lines = super::text::doc_lines(text.unwrap_or_default());
    let lines = lines.iter().map(|line| {
        let line = format!(" {line}");
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// A crate page: `own`, lines the generator wrote (spec text in them already made inert by
/// [`super::text::inline`]), then `text`, the API's own description, made inert.
pub fn page_docs(own: &[String], text: &str) -> TokenStream {
    let mut lines = own.to_vec();
    let text = super::text::doc_lines(text);
    if !text.is_empty() {
        lines.push(String::new());
        lines.extend(text);
    }
    let lines = lines.iter().map(|line| {
        let line = format!(" {line}");
        quote!(#![doc = #line])
    });
    quote!(#(#lines)*)
}

/// Inner doc attributes (`//!`) for a module or crate: `text` made inert, then `own`,
/// lines the generator wrote itself (the crate page's compiled example), after a blank line.
pub fn inner_docs(text: &str, own: &[String]) -> TokenStream {
    let mut lines = super::text::doc_lines(text);
    if !own.is_empty() {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(own.iter().cloned());
    }
    let lines = lines.iter().map(|line| {
        let line = format!(" {line}");
        quote!(#![doc = #line])
    });
    quote!(#(#lines)*)
}

/// Where a type is written from: inside `types`, named types need no path.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Types,
    Elsewhere,
}

pub fn type_tokens(ty: &TypeRef, from: Place) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let name = ident(name);
            match from {
                Place::Types => quote!(#name),
                Place::Elsewhere => quote!(crate::types::#name),
            }
        }
        TypeRef::String => quote!(::std::string::String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::DateTime => quote!(::chrono::DateTime<::chrono::Utc>),
        TypeRef::Date => quote!(::chrono::NaiveDate),
        TypeRef::Uuid => quote!(::uuid::Uuid),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::Vec(item) => {
            let item = type_tokens(item, from);
            quote!(::std::vec::Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = type_tokens(value, from);
            quote!(::std::collections::BTreeMap<::std::string::String, #value>)
        }
        TypeRef::Tuple(items) => {
            let items = items.iter().map(|t| type_tokens(t, from));
            quote!((#(#items,)*))
        }
        TypeRef::Unit => quote!(()),
        TypeRef::Bytes => quote!(::std::vec::Vec<u8>),
        TypeRef::Multipart => quote!(crate::Multipart),
        TypeRef::Base64 => quote!(crate::Base64),
    }
}
