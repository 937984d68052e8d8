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

/// `#[doc = " line"]` per line: spec text stays inert inside string literals.
pub fn docs(text: Option<&str>) -> TokenStream {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return TokenStream::new();
    };
    let lines = text.lines().map(|line| {
        let line = format!(" {}", line.trim_end());
        quote!(#[doc = #line])
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
        TypeRef::Unit => quote!(()),
        TypeRef::Bytes => quote!(::std::vec::Vec<u8>),
        TypeRef::Multipart => quote!(crate::Multipart),
    }
}
