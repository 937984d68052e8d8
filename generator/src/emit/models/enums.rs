//! Enums: string and integer enums with their fallback variant, and an operation's error
//! bodies by status.

use super::*;

/// A closed set of known values plus a fallback that keeps any other value, so a value
/// the server adds later decodes and re-serializes unchanged.
pub(super) fn string_enum(
    doc: TokenStream,
    name: &str,
    variants: &[EnumVariant],
    fallback: &str,
) -> TokenStream {
    let name = ident(name);
    let fallback = ident(fallback);
    let variant_defs = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = if v.wire.is_empty() {
            "The empty string.".to_owned()
        } else {
            format!("`{}`", v.wire.replace('`', "'"))
        };
        let doc = match &v.docs {
            Some(d) => docs(Some(&format!("{value}: {d}"))),
            None => docs(Some(&value)),
        };
        quote!(#doc #variant)
    });
    let as_str = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = &v.wire;
        quote!(Self::#variant => #wire)
    });
    let from_str: Vec<TokenStream> = variants
        .iter()
        .map(|v| {
            let variant = ident(&v.name);
            let wire = &v.wire;
            quote!(#wire => Self::#variant)
        })
        .collect();
    // An enum that lists no values (only `null`, say) keeps every value as unknown. The
    // owned form reuses the borrowed one's match (one copy of the values to compile) and
    // keeps an unknown value's own allocation.
    let (from_borrowed, from_owned) = if from_str.is_empty() {
        (
            quote!(Self::#fallback(::std::borrow::ToOwned::to_owned(value))),
            quote!(Self::#fallback(value)),
        )
    } else {
        (
            quote! {
                match value {
                    #(#from_str,)*
                    other => Self::#fallback(::std::borrow::ToOwned::to_owned(other)),
                }
            },
            quote! {
                match Self::from(value.as_str()) {
                    Self::#fallback(_) => Self::#fallback(value),
                    known => known,
                }
            },
        )
    };
    quote! {
        #doc
        #[derive(::std::fmt::Debug, ::std::clone::Clone)]
        pub enum #name {
            #(#variant_defs,)*
            /// A value this version of the crate does not know, kept as sent.
            #fallback(::std::string::String),
        }

        crate::params::by_wire_value!(#name);

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str,)*
                    Self::#fallback(value) => value,
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                #from_borrowed
            }
        }

        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                #from_owned
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                deserializer.deserialize_str(crate::params::EnumVisitor::new())
            }
        }

        impl crate::params::ParamValue for #name {
            fn to_param(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(self.as_str())
            }
        }
    }
}

/// An integer enum: the listed values as variants, any other kept in the fallback.
pub(super) fn int_enum(
    doc: TokenStream,
    name: &str,
    variants: &[(String, i64)],
    fallback: &str,
    value_docs: &[Option<String>],
) -> TokenStream {
    let name = ident(name);
    let fallback = ident(fallback);
    let defs = variants.iter().enumerate().map(|(i, (variant, value))| {
        let variant = ident(variant);
        let doc = match value_docs.get(i).cloned().flatten() {
            Some(d) => docs(Some(&format!("`{value}`: {d}"))),
            None => docs(Some(&format!("`{value}`"))),
        };
        quote!(#doc #variant)
    });
    let to_int = variants.iter().map(|(variant, value)| {
        let variant = ident(variant);
        quote!(Self::#variant => #value)
    });
    let from_int = variants.iter().map(|(variant, value)| {
        let variant = ident(variant);
        quote!(#value => Self::#variant)
    });
    quote! {
        #doc
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::marker::Copy, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash, ::std::cmp::PartialOrd, ::std::cmp::Ord)]
        pub enum #name {
            #(#defs,)*
            /// A value this version of the crate does not know, kept as sent.
            #fallback(i64),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_i64(&self) -> i64 {
                match self {
                    #(#to_int,)*
                    Self::#fallback(value) => *value,
                }
            }
        }

        impl ::std::convert::From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #(#from_int,)*
                    other => Self::#fallback(other),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.as_i64(), f)
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.as_i64())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <i64 as ::serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }

        impl crate::params::ParamValue for #name {
            fn to_param(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Owned(self.as_i64().to_string())
            }
        }
    }
}

/// An operation's error bodies by status: an enum of them, read by the status that came
/// back (codes, then ranges, then `default`); a status the spec does not document reads
/// as no body (the raw text stays on the error).
pub(super) fn error_union(
    doc: TokenStream,
    name: &str,
    variants: &[crate::ir::StatusVariant],
) -> TokenStream {
    use crate::ir::Status;
    let type_name = ident(name);
    let defs = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let ty = type_tokens(&v.ty, Place::Types);
        let statuses: Vec<String> = v
            .statuses
            .iter()
            .map(|s| match s {
                Status::Code(c) => c.to_string(),
                Status::Range(r) => format!("{r}XX"),
                Status::Default => "any other".to_owned(),
            })
            .collect();
        let doc = docs(Some(&format!("Status {}.", statuses.join(", "))));
        quote!(#doc #variant(#ty))
    });
    // Codes before ranges before `default`, as the spec means them. A code its range sends to
    // the same variant says nothing more; the others are cut out of their range, so no two
    // arms overlap (clippy's `match_overlapping_arm`).
    let range_of = |hundred: u16| {
        variants
            .iter()
            .find(|v| v.statuses.contains(&Status::Range(hundred)))
            .map(|v| v.name.as_str())
    };
    let mut codes: Vec<(u16, &crate::ir::StatusVariant)> = variants
        .iter()
        .flat_map(|v| {
            v.statuses.iter().filter_map(move |s| match s {
                Status::Code(c) => Some((*c, v)),
                _ => None,
            })
        })
        .filter(|(c, v)| range_of(c / 100) != Some(v.name.as_str()))
        .collect();
    codes.sort_by_key(|(c, _)| *c);
    let literal = proc_macro2::Literal::u16_unsuffixed;
    let mut arms: Vec<TokenStream> = codes
        .iter()
        .map(|(c, v)| {
            let (c, variant) = (literal(*c), ident(&v.name));
            quote!(#c => crate::error::json_body(body).map(Self::#variant),)
        })
        .collect();
    let mut ranges: Vec<(u16, &crate::ir::StatusVariant)> = variants
        .iter()
        .flat_map(|v| {
            v.statuses.iter().filter_map(move |s| match s {
                Status::Range(r) => Some((*r, v)),
                _ => None,
            })
        })
        .collect();
    ranges.sort_by_key(|(r, _)| *r);
    for (hundred, v) in ranges {
        let (low, high) = (
            hundred.saturating_mul(100),
            hundred.saturating_mul(100).saturating_add(99),
        );
        let mut pieces = Vec::new();
        let mut from = low;
        for (c, _) in codes.iter().filter(|(c, _)| (low..=high).contains(c)) {
            if *c > from {
                pieces.push((from, c - 1));
            }
            from = c.saturating_add(1);
        }
        if from <= high {
            pieces.push((from, high));
        }
        let patterns = pieces.into_iter().map(|(a, b)| {
            if a == b {
                let a = literal(a);
                quote!(#a)
            } else {
                let (a, b) = (literal(a), literal(b));
                quote!(#a..=#b)
            }
        });
        let variant = ident(&v.name);
        arms.push(quote!(#(#patterns)|* => crate::error::json_body(body).map(Self::#variant),));
    }
    if let Some(v) = variants
        .iter()
        .find(|v| v.statuses.contains(&Status::Default))
    {
        let variant = ident(&v.name);
        arms.push(quote!(_ => crate::error::json_body(body).map(Self::#variant),));
    }
    let catch_all = (!variants
        .iter()
        .any(|v| v.statuses.contains(&Status::Default)))
    .then(|| quote!(_ => ::std::option::Option::None,));
    quote! {
        #doc
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
        pub enum #type_name {
            #(#defs,)*
        }
        impl crate::error::ErrorBody for #type_name {
            fn from_response(status: ::reqwest::StatusCode, body: &[u8]) -> ::std::option::Option<Self> {
                match status.as_u16() {
                    #(#arms)*
                    #catch_all
                }
            }
        }
    }
}
