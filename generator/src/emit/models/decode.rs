//! Structs read and written field by field: the runtime's `FromMap` and a `Serialize`
//! written out, instead of serde's derives.

use super::*;

/// `Deserialize` through the runtime's `FromMap`: a slot per field, filled by a `match` on
/// the key's name. Reads what serde's derive read (unknown keys skipped, a
/// repeated key and a missing required field are errors, an absent `Option` is `None`, an
/// absent double option `None` and `null` `Some(None)`); the visitors serde's derive writes
/// per struct are generic runtime code, checked once (nexus: reading types 1.43 → 0.62 s).
pub(super) fn from_map(name: &str, fields: &[Field]) -> TokenStream {
    let type_name = ident(name);
    let message_name = name.trim_start_matches("r#");
    let keys = fields.iter().map(|f| &f.wire);
    // Slots and arms named by field, not by position: a field added to the spec adds its own
    // lines and changes no other (reviewers read these as a pull-request diff).
    let slots: Vec<proc_macro2::Ident> = fields
        .iter()
        .map(|f| quote::format_ident!("f_{}", f.name.trim_start_matches("r#")))
        .collect();
    let arms = fields.iter().zip(&slots).map(|(f, slot)| {
        let key = &f.wire;
        quote!(::std::option::Option::Some(#key) => map.value(&mut #slot))
    });
    let inits = fields.iter().zip(&slots).map(|(f, slot)| {
        let name = ident(&f.name);
        let key = &f.wire;
        if f.double_option {
            quote!(#name: #slot)
        } else if f.is_option() {
            quote!(#name: #slot.flatten())
        } else {
            quote!(#name: map.required(#slot, #key)?)
        }
    });
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #type_name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                crate::params::read_struct(deserializer, #message_name, &[#(#keys),*])
            }
        }
        impl<'de> crate::params::FromMap<'de> for #type_name {
            fn from_map<A: ::serde::de::MapAccess<'de>>(mut map: crate::params::Fields<A>) -> ::std::result::Result<Self, A::Error> {
                #(let mut #slots = ::std::option::Option::None;)*
                while let ::std::option::Option::Some(key) = map.key()? {
                    // One `?` for all the arms: each is a few lines less to compile.
                    match key {
                        #(#arms,)*
                        _ => map.skip(),
                    }?;
                }
                ::std::result::Result::Ok(Self { #(#inits,)* })
            }
        }
    }
}

/// `Serialize` written out: each field under its JSON name, in order, an optional one left
/// out when `None` (what serde's derive wrote with `skip_serializing_if`). Written by the
/// generator rather than derived, so no proc macro runs on every rebuild of the crate. The
/// field count is written out (a field added changes it too): a `FIELDS` constant to count
/// instead was one more item per struct for rustc to lower on every rebuild.
pub(super) fn to_map(name: &str, fields: &[Field]) -> TokenStream {
    let type_name = ident(name);
    let writes = fields.iter().map(|f| {
        let field = ident(&f.name);
        let key = &f.wire;
        if f.left_out_when_none() {
            quote!(out.optional(#key, &self.#field);)
        } else {
            quote!(out.field(#key, &self.#field);)
        }
    });
    let message_name = name.trim_start_matches("r#");
    let len = proc_macro2::Literal::usize_unsuffixed(fields.len());
    quote! {
        impl ::serde::Serialize for #type_name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                let mut out = crate::params::WriteStruct::new(serializer, #message_name, #len);
                #(#writes)*
                out.end()
            }
        }
    }
}
