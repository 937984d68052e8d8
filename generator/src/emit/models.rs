//! The `types` module: one struct, enum or alias per IR type.

use super::Source;
use super::tokens::{Place, docs, ident, type_tokens};
use crate::ir::{Api, EnumVariant, Field, TypeDef, TypeKind, TypeRef, UnionVariant};
use proc_macro2::TokenStream;
use quote::quote;

mod decode;
mod enums;

use decode::{from_map, to_map};
use enums::{error_union, int_enum, string_enum};

/// The types at `indices` (all, when `None`), as one module; `head` goes first (a `use`).
pub fn types_module<'a>(
    api: &'a Api,
    indices: Option<&'a [usize]>,
    inner: TokenStream,
    head: TokenStream,
) -> Source<'a> {
    let defs: Box<dyn Iterator<Item = &TypeDef> + 'a> = match indices {
        Some(indices) => Box::new(indices.iter().map(|&i| &api.types[i])),
        None => Box::new(api.types.iter()),
    };
    let items = defs.map(move |def| {
        let item = type_def(def);
        // A type an operation's error body is: how it reads from an answer outside 2xx.
        let error_body = (def.error_body && !matches!(def.kind, TypeKind::ErrorUnion { .. })).then(|| {
            let name = ident(&def.name);
            quote! {
                impl crate::error::ErrorBody for #name {
                    fn from_response(_: ::reqwest::StatusCode, body: &[u8]) -> ::std::option::Option<Self> {
                        crate::error::json_body(body)
                    }
                }
            }
        });
        // A union of scalars can be a path, query or header value (an ID or a name).
        let param = match &def.kind {
            TypeKind::Union {
                variants, fallback, ..
            } if api.is_scalar(&TypeRef::Named(def.name.clone())) => {
                Some(union_param(&def.name, variants, fallback))
            }
            _ => None,
        };
        quote!(#item #param #error_body)
    });
    Source::Items {
        inner,
        items: Box::new(std::iter::once(head).chain(items)),
    }
}

fn type_def(def: &TypeDef) -> TokenStream {
    let doc = docs(def.docs.as_deref());
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct { fields: all } => {
            let by_field = crate::ir::reads_by_field(all);
            let rule = rename_rule(all);
            let fields = all.iter().map(|f| field(f, rule, by_field));
            let container = rule
                .filter(|_| !by_field)
                .map(|rule| quote!(#[serde(rename_all = #rule)]));
            // Every field can start empty: `Type { a: Some(…), ..Default::default() }`.
            let default = crate::ir::starts_empty(all).then(|| quote!(::std::default::Default,));
            let constructor = default
                .is_none()
                .then(|| constructor(&def.name, def.required_record.as_deref(), all));
            let derived = (!by_field).then(|| quote!(::serde::Serialize, ::serde::Deserialize));
            let by_field_impls = by_field.then(|| {
                let (read, write) = (from_map(&def.name, all), to_map(&def.name, all));
                quote!(#read #write)
            });
            quote! {
                #doc
                #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, #default #derived)]
                #container
                pub struct #name {
                    #(#fields,)*
                }
                #constructor
                #by_field_impls
            }
        }
        TypeKind::StringEnum { variants, fallback } => {
            string_enum(doc, &def.name, variants, fallback)
        }
        TypeKind::IntEnum {
            variants,
            fallback,
            docs: value_docs,
        } => int_enum(doc, &def.name, variants, fallback, value_docs),
        TypeKind::Union {
            variants,
            discriminator,
            fallback,
            tag_outside,
        } => union(
            doc,
            &def.name,
            variants,
            discriminator.as_deref(),
            fallback,
            *tag_outside,
        ),
        TypeKind::ErrorUnion { variants } => error_union(doc, &def.name, variants),
        TypeKind::Alias(target) => {
            let target = type_tokens(target, Place::Types);
            quote! {
                #doc
                pub type #name = #target;
            }
        }
        TypeKind::Newtype(target) => {
            let target = type_tokens(target, Place::Types);
            quote! {
                #doc
                #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::std::default::Default, ::serde::Serialize, ::serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #target);
            }
        }
    }
}

/// `Type::new(required, …)`: every required field as an argument, in spec order, every
/// optional one `None`, so `Type { notes: Some(…), ..Type::new(name) }` works. Past seven
/// arguments they come in a struct of named fields instead (`record`):
/// `Type::new(TypeRequired { id, name, … })`.
fn constructor(name: &str, record: Option<&str>, fields: &[Field]) -> TokenStream {
    if let Some(record) = record {
        return record_constructor(name, record, fields);
    }
    let mut args = Vec::new();
    let inits = fields.iter().map(|f| {
        let field_name = ident(&f.name);
        if !f.is_constructor_arg() {
            return empty_init(f);
        }
        let ty = type_tokens(&f.ty, Place::Types);
        // `None` means the argument goes in as it is (`Self { id, … }`).
        let (arg_ty, mut value) = match (&f.ty, f.boxed) {
            (TypeRef::String, false) => (
                quote!(impl ::std::convert::Into<::std::string::String>),
                Some(quote!(#field_name.into())),
            ),
            _ => (ty.clone(), None),
        };
        if f.boxed {
            value = Some(quote!(::std::boxed::Box::new(#field_name)));
        }
        // Required but nullable: the argument says whether it is null.
        let arg_ty = if f.is_option() {
            let ty = type_tokens(&f.ty, Place::Types);
            quote!(::std::option::Option<#ty>)
        } else {
            arg_ty
        };
        if f.is_option() {
            value = f
                .boxed
                .then(|| quote!(#field_name.map(::std::boxed::Box::new)));
        }
        args.push(quote!(#field_name: #arg_ty));
        match value {
            Some(value) => quote!(#field_name: #value),
            None => quote!(#field_name),
        }
    });
    let inits: Vec<TokenStream> = inits.collect();
    let type_name = ident(name);
    let doc = docs(Some(
        "Takes the required fields; every optional one is `None`.",
    ));
    quote! {
        impl #type_name {
            #doc
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits,)* }
            }
        }
    }
}

/// A field the constructor starts empty.
fn empty_init(f: &Field) -> TokenStream {
    let field_name = ident(&f.name);
    if f.flatten && matches!(f.ty, TypeRef::Map(_)) {
        return quote!(#field_name: ::std::default::Default::default());
    }
    let cfg = f.features.as_deref().map(gate);
    quote!(#cfg #field_name: ::std::option::Option::None)
}

/// `Type::new(TypeRequired { … })`: the required fields by name, for a struct with more
/// of them than a readable argument list holds.
fn record_constructor(name: &str, record: &str, fields: &[Field]) -> TokenStream {
    let type_name = ident(name);
    let record_name = ident(record);
    let shown = name.trim_start_matches("r#");
    let record_fields = fields.iter().filter(|f| f.is_constructor_arg()).map(|f| {
        let field_name = ident(&f.name);
        let ty = type_tokens(&f.ty, Place::Types);
        let ty = if f.is_option() {
            quote!(::std::option::Option<#ty>)
        } else {
            ty
        };
        let doc = docs(f.docs.as_deref());
        quote!(#doc pub #field_name: #ty)
    });
    let inits = fields.iter().map(|f| {
        let field_name = ident(&f.name);
        if !f.is_constructor_arg() {
            return empty_init(f);
        }
        match (f.boxed, f.is_option()) {
            (true, true) => quote!(#field_name: required.#field_name.map(::std::boxed::Box::new)),
            (true, false) => quote!(#field_name: ::std::boxed::Box::new(required.#field_name)),
            (false, _) => quote!(#field_name: required.#field_name),
        }
    });
    let record_doc = docs(Some(&format!(
        "The required fields of `{shown}`, by name: `{shown}::new({record} {{ … }})`."
    )));
    let new_doc = docs(Some(
        "Takes the required fields, by name; every optional one is `None`.",
    ));
    quote! {
        #record_doc
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
        pub struct #record_name {
            #(#record_fields,)*
        }
        impl #type_name {
            #new_doc
            pub fn new(required: #record_name) -> Self {
                Self { #(#inits,)* }
            }
        }
    }
}

/// The serde `rename_all` rule that leaves the fewest fields needing their own `rename`
/// (none when the JSON names are snake_case already).
fn rename_rule(fields: &[Field]) -> Option<&'static str> {
    let renames = |rule: Option<&str>| {
        fields
            .iter()
            .filter(|f| !f.flatten && serde_name(&f.name, rule) != f.wire)
            .count()
    };
    let mut best = (None, renames(None));
    for rule in [
        "camelCase",
        "PascalCase",
        "SCREAMING_SNAKE_CASE",
        "kebab-case",
    ] {
        let n = renames(Some(rule));
        if n < best.1 {
            best = (Some(rule), n);
        }
    }
    best.0
}

/// The JSON name serde gives a snake_case field under a `rename_all` rule (serde's own
/// conversion; it strips `r#` first).
fn serde_name(field: &str, rule: Option<&str>) -> String {
    let field = field.strip_prefix("r#").unwrap_or(field);
    let pascal = || {
        let mut out = String::new();
        let mut capitalize = true;
        for ch in field.chars() {
            if ch == '_' {
                capitalize = true;
            } else if capitalize {
                out.push(ch.to_ascii_uppercase());
                capitalize = false;
            } else {
                out.push(ch);
            }
        }
        out
    };
    match rule {
        None => field.to_owned(),
        Some("camelCase") => {
            let pascal = pascal();
            let mut chars = pascal.chars();
            chars
                .next()
                .map(|first| first.to_ascii_lowercase().to_string() + chars.as_str())
                .unwrap_or_default()
        }
        Some("PascalCase") => pascal(),
        Some("SCREAMING_SNAKE_CASE") => field.to_ascii_uppercase(),
        Some("kebab-case") => field.replace('_', "-"),
        Some(_) => field.to_owned(),
    }
}

/// `#[serde(rename = …, deserialize_with = …)]` with what applies, or nothing.
fn attribute(rename: Option<TokenStream>, with: Option<&str>) -> Option<TokenStream> {
    let with = with.map(|path| quote!(deserialize_with = #path));
    match (rename, with) {
        (None, None) => None,
        (Some(rename), None) => Some(quote!(#[serde(#rename)])),
        (None, Some(with)) => Some(quote!(#[serde(#with)])),
        (Some(rename), Some(with)) => Some(quote!(#[serde(#rename #with)])),
    }
}

/// A struct field with its serde attributes; `by_field`: the struct is read by
/// [`from_map`] and written by [`to_map`], so it has no serde attributes at all.
fn field(field: &Field, rule: Option<&str>, by_field: bool) -> TokenStream {
    let name = ident(&field.name);
    let cfg = field.features.as_deref().map(gate);
    // A gated field's docs say when it is there; its type lives in a module that may be
    // off, so it is named by its whole path (no import).
    let text = match (
        field.docs.as_deref(),
        field.features.as_deref().map(gate_note),
    ) {
        (Some(d), Some(note)) => Some(format!("{d}\n\n{note}")),
        (d, note) => note.or(d.map(str::to_owned)),
    };
    // A double option's docs say what its two `None`s mean.
    let text = match (field.double_option, text) {
        (true, text) => {
            let note = "`None` leaves the value out, `Some(None)` sends `null` (clearing it).";
            Some(text.map_or_else(|| note.to_owned(), |d| format!("{d}\n\n{note}")))
        }
        (false, text) => text,
    };
    let doc = docs(text.as_deref());
    let ty = match field.features {
        Some(_) => {
            let ty = type_tokens(&field.ty, Place::Elsewhere);
            match field.boxed {
                true => quote!(::std::boxed::Box<#ty>),
                false => ty,
            }
        }
        None => boxed(&field.ty, field.boxed),
    };
    if field.flatten {
        return quote! {
            #doc
            #cfg
            #[serde(flatten)]
            pub #name: #ty
        };
    }
    // Read and written by `FromMap` and `to_map`, which name every key themselves.
    if by_field {
        let ty = match (field.double_option, field.is_option()) {
            (true, _) => quote!(::std::option::Option<::std::option::Option<#ty>>),
            (false, true) => quote!(::std::option::Option<#ty>),
            (false, false) => ty,
        };
        return quote! {
            #doc
            #cfg
            pub #name: #ty
        };
    }
    let wire = &field.wire;
    // Only a name the container's `rename_all` does not already give needs its own.
    let rename = (serde_name(&field.name, rule) != *wire).then(|| quote!(rename = #wire,));
    if field.double_option {
        let read = (!by_field)
            .then(|| quote!(default, deserialize_with = "crate::params::double_option",));
        quote! {
            #doc
            #cfg
            #[serde(#rename #read skip_serializing_if = "::std::option::Option::is_none")]
            pub #name: ::std::option::Option<::std::option::Option<#ty>>
        }
    } else if !field.required {
        // A missing key and `null` both read as `None`; `None` is left out when writing.
        let tolerant = field
            .tolerant
            .then(|| quote!(, deserialize_with = "crate::params::tolerant_option"));
        let default = (!by_field).then(|| quote!(default,));
        quote! {
            #doc
            #cfg
            #[serde(#rename #default skip_serializing_if = "::std::option::Option::is_none" #tolerant)]
            pub #name: ::std::option::Option<#ty>
        }
    } else if field.nullable {
        // Required but nullable: always written, `None` as `null`.
        let attr = attribute(
            rename,
            field.tolerant.then_some("crate::params::tolerant_option"),
        );
        quote! {
            #doc
            #cfg
            #attr
            pub #name: ::std::option::Option<#ty>
        }
    } else {
        let attr = attribute(rename, field.tolerant.then_some("crate::params::tolerant"));
        quote! {
            #doc
            #cfg
            #attr
            pub #name: #ty
        }
    }
}

fn union_param(name: &str, variants: &[UnionVariant], fallback: &str) -> TokenStream {
    let name = ident(name);
    let fallback = ident(fallback);
    let arms = variants.iter().map(|v| {
        let variant = ident(&v.name);
        quote!(Self::#variant(value) => crate::params::ParamValue::to_param(value))
    });
    quote! {
        impl crate::params::ParamValue for #name {
            fn to_param(&self) -> ::std::borrow::Cow<'_, str> {
                match self {
                    #(#arms,)*
                    Self::#fallback(value) => match value {
                        ::serde_json::Value::String(text) => ::std::borrow::Cow::Borrowed(text),
                        other => ::std::borrow::Cow::Owned(other.to_string()),
                    },
                }
            }
        }
    }
}

/// `#[cfg(…)]` for a field compiled with any of `features`.
fn gate(features: &[String]) -> TokenStream {
    match features {
        [one] => quote!(#[cfg(feature = #one)]),
        all => quote!(#[cfg(any(#(feature = #all),*))]),
    }
}

/// What a gated field's docs say of it.
fn gate_note(features: &[String]) -> String {
    let named: Vec<String> = features.iter().map(|f| format!("`{f}`")).collect();
    match named.as_slice() {
        [one] if features[0] == "full" => format!("Present with the {one} feature."),
        [one] => format!("Present with the {one} feature, whose operations use its type."),
        [a, b] => format!("Present with the {a} or {b} feature, whose operations use its type."),
        [a, b, c] => {
            format!("Present with the {a}, {b} or {c} feature, whose operations use its type.")
        }
        [a, b, rest @ ..] => format!(
            "Present with any of the features whose operations use its type: {a}, {b} and {} more.",
            rest.len()
        ),
        [] => "Present with the `full` feature.".to_owned(),
    }
}

fn boxed(ty: &TypeRef, boxed: bool) -> TokenStream {
    let ty = type_tokens(ty, Place::Types);
    if boxed {
        quote!(::std::boxed::Box<#ty>)
    } else {
        ty
    }
}

/// `oneOf`/`anyOf`. Without a discriminator serde tries the variants in order. With one, the
/// property's value picks the variant and the whole object (tag included) is decoded as it,
/// since the variant's own type usually declares the tag property too. A value no variant
/// takes is kept in the fallback, as string enums keep unknown values.
fn union(
    doc: TokenStream,
    name: &str,
    variants: &[UnionVariant],
    discriminator: Option<&str>,
    fallback: &str,
    tag_outside: bool,
) -> TokenStream {
    let name = ident(name);
    let fallback = ident(fallback);
    let defs = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let doc = v
            .tags
            .first()
            .filter(|_| tag_outside)
            .map(|tag| docs(Some(&format!("`{tag}`"))));
        if v.ty == TypeRef::Unit {
            return quote!(#doc #variant);
        }
        let ty = boxed(&v.ty, v.boxed);
        quote!(#doc #variant(#ty))
    });
    // Variants hold the API's own types, whose sizes differ; boxing the big ones would make
    // matching on the union depend on type sizes the spec does not state.
    let body = quote! {
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#defs,)*
            /// A value no variant accepts, kept as sent.
            #fallback(::serde_json::Value),
        }
    };
    let Some(property) = discriminator else {
        return quote! {
            #doc
            #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            #[serde(untagged)]
            #body
        };
    };
    let arms = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let tags = &v.tags;
        if v.ty == TypeRef::Unit {
            return quote!(::std::option::Option::Some(#(#tags)|*) => ::std::result::Result::Ok(Self::#variant));
        }
        quote! {
            ::std::option::Option::Some(#(#tags)|*) => ::serde_json::from_value(value).map(Self::#variant).map_err(::serde::de::Error::custom)
        }
    });
    // Variants that leave the tag out write it beside their fields.
    let serialize = if tag_outside {
        let arms = variants.iter().map(|v| {
            let variant = ident(&v.name);
            let tag = v.tags.first().map(String::as_str).unwrap_or_default();
            if v.ty == TypeRef::Unit {
                quote!(Self::#variant => crate::params::tagged::<S, ()>(serializer, #property, #tag, ::std::option::Option::None))
            } else {
                quote!(Self::#variant(fields) => crate::params::tagged(serializer, #property, #tag, ::std::option::Option::Some(fields)))
            }
        });
        quote! {
            #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
            #body

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    match self {
                        #(#arms,)*
                        Self::#fallback(value) => ::serde::Serialize::serialize(value, serializer),
                    }
                }
            }
        }
    } else {
        quote! {
            #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::serde::Serialize)]
            #[serde(untagged)]
            #body
        }
    };
    quote! {
        #doc
        #serialize

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(::serde_json::Value::as_str).map(::std::borrow::ToOwned::to_owned);
                match tag.as_deref() {
                    #(#arms,)*
                    _ => ::std::result::Result::Ok(Self::#fallback(value)),
                }
            }
        }
    }
}
