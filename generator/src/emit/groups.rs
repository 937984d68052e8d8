//! The `types` and `operations` module roots of a crate split into groups: each group's
//! module behind its cargo feature, re-exported, so `crate::types::X` and every client
//! method read the same whichever features are on.

use crate::ir::Grouping;
use proc_macro2::TokenStream;
use quote::quote;

fn modules(grouping: &Grouping, types: bool) -> Vec<TokenStream> {
    grouping
        .groups
        .iter()
        // An area whose types are all shared has no types module.
        .filter(|group| !types || !group.types.is_empty())
        .map(|group| {
            let name = super::tokens::ident(&group.name);
            let feature = &group.name;
            quote! {
                #[cfg(feature = #feature)]
                mod #name;
                #[cfg(feature = #feature)]
                pub use #name::*;
            }
        })
        .collect()
}

pub fn types_root(grouping: &Grouping) -> TokenStream {
    let modules = modules(grouping, true);
    let shared = (!grouping.shared_types.is_empty()).then(|| {
        quote! {
            mod shared;
            pub use shared::*;
        }
    });
    quote! {
        //! Request and response bodies, as the API description defines them: the types one
        //! area alone uses in that area's module (compiled with its feature), the rest in
        //! `shared`.
        #shared
        #(#modules)*
    }
}

pub fn operations_root(grouping: &Grouping) -> TokenStream {
    let modules = modules(grouping, false);
    quote! {
        //! One request builder per operation, in a module per area (each compiled with the
        //! cargo feature of its name); start from the methods on [`Client`](crate::Client).
        #(#modules)*
    }
}
