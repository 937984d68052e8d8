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
    let clusters = grouping.clusters.iter().map(|cluster| {
        let name = super::tokens::ident(&cluster.name);
        let cfg = match cluster.features.as_slice() {
            [one] => quote!(feature = #one),
            all => quote!(any(#(feature = #all),*)),
        };
        quote! {
            #[cfg(#cfg)]
            mod #name;
            #[cfg(#cfg)]
            pub use #name::*;
        }
    });
    quote! {
        //! Request and response bodies, as the API description defines them: the types one
        //! area alone uses in that area's module (compiled with its feature), types a few
        //! areas share in a module compiled with any of them, the rest in `shared`.
        #shared
        #(#modules)*
        #(#clusters)*
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
