//! Emitters write every std and dependency path in full (`::std::option::Option`), which is
//! always correct; this pass then shortens them (`Option`) in each module where no generated
//! item takes the short name, so the code reads like code a person wrote. It works on
//! tokens, so string literals (a JSON name that happens to read `::std::string::String`)
//! are never touched.

use proc_macro2::{Group, Ident, Punct, Spacing, TokenStream, TokenTree};
use std::collections::HashSet;

/// Full path → short form, longest first. The short form is only used where no item of
/// the module is named like its first segment.
const SHORT: &[(&[&str], &[&str])] = &[
    (&["std", "option", "Option", "Some"], &["Some"]),
    (&["std", "option", "Option", "None"], &["None"]),
    (&["std", "option", "Option"], &["Option"]),
    (&["std", "result", "Result", "Ok"], &["Ok"]),
    (&["std", "result", "Result", "Err"], &["Err"]),
    (&["std", "result", "Result"], &["Result"]),
    (&["std", "string", "String"], &["String"]),
    (&["std", "vec", "Vec"], &["Vec"]),
    (&["std", "boxed", "Box"], &["Box"]),
    (&["std", "fmt", "Debug"], &["Debug"]),
    (&["std", "clone", "Clone"], &["Clone"]),
    (&["std", "cmp", "PartialEq"], &["PartialEq"]),
    (&["std", "cmp", "Eq"], &["Eq"]),
    (&["std", "cmp", "PartialOrd"], &["PartialOrd"]),
    (&["std", "cmp", "Ord"], &["Ord"]),
    (&["std", "hash", "Hash"], &["Hash"]),
    (&["std", "default", "Default"], &["Default"]),
    (&["std", "convert", "Into"], &["Into"]),
    (&["std", "convert", "From"], &["From"]),
    (&["std", "iter", "IntoIterator"], &["IntoIterator"]),
    (&["std", "future", "Future"], &["Future"]),
    (&["std", "borrow", "ToOwned"], &["ToOwned"]),
    (&["std", "format"], &["format"]),
];

/// Crates named from the root (`::serde::Serialize`) read as `serde::Serialize`.
const CRATES: &[&str] = &[
    "std",
    "serde",
    "serde_json",
    "chrono",
    "uuid",
    "reqwest",
    "bytes",
];

/// Shortens the paths in `tokens`, except those whose short name is in `taken` (the names
/// of the module's own items).
pub fn shorten(tokens: TokenStream, taken: &HashSet<String>) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out: Vec<TokenTree> = Vec::with_capacity(trees.len());
    let mut i = 0;
    while i < trees.len() {
        if let Some((segments, next)) = absolute_path(&trees, i)
            && !follows_path(&out)
        {
            let names: Vec<String> = segments.iter().map(Ident::to_string).collect();
            let short = SHORT.iter().find(|(full, short)| {
                names.len() >= full.len()
                    && names[..full.len()] == **full
                    && !taken.contains(short[0])
            });
            let (head, rest): (Vec<String>, &[String]) = match short {
                Some((full, short)) => (
                    short.iter().map(|s| (*s).to_owned()).collect(),
                    &names[full.len()..],
                ),
                None if CRATES.contains(&names[0].as_str()) && !taken.contains(&names[0]) => {
                    (vec![names[0].clone()], &names[1..])
                }
                None => {
                    // Not ours to shorten: copy it as it is.
                    out.extend(trees[i..next].iter().cloned());
                    i = next;
                    continue;
                }
            };
            for (n, name) in head.iter().chain(rest).enumerate() {
                if n > 0 {
                    out.push(TokenTree::Punct(Punct::new(':', Spacing::Joint)));
                    out.push(TokenTree::Punct(Punct::new(':', Spacing::Alone)));
                }
                let span = segments[0].span();
                out.push(TokenTree::Ident(Ident::new(name, span)));
            }
            i = next;
            continue;
        }
        match &trees[i] {
            // `skip_serializing_if = "::std::option::Option::is_none"`, the one path the
            // emitters write inside a string.
            TokenTree::Literal(literal)
                if literal.to_string() == "\"::std::option::Option::is_none\""
                    && !taken.contains("Option")
                    && is_skip_serializing_if(&out) =>
            {
                out.push(TokenTree::Literal(proc_macro2::Literal::string(
                    "Option::is_none",
                )));
            }
            TokenTree::Group(group) => {
                let mut inner = Group::new(group.delimiter(), shorten(group.stream(), taken));
                inner.set_span(group.span());
                out.push(TokenTree::Group(inner));
            }
            other => out.push(other.clone()),
        }
        i += 1;
    }
    out.into_iter().collect()
}

/// A preceding identifier (`crate::x`) or `>` (`Vec::<u8>::new`) means the `::` at hand
/// continues a path rather than starting one from the root.
fn follows_path(out: &[TokenTree]) -> bool {
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "const", "dyn", "else", "enum", "fn", "for", "if", "impl", "in",
        "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct",
        "trait", "type", "unsafe", "use", "where", "while",
    ];
    match out.last() {
        Some(TokenTree::Ident(ident)) => !KEYWORDS.contains(&ident.to_string().as_str()),
        // `Vec::<u8>::new` continues; `-> ::std::…` and `impl<'de> ::serde::…` start a path.
        Some(TokenTree::Punct(p)) if p.as_char() == '>' => {
            !matches!(
                out.len().checked_sub(2).and_then(|i| out.get(i)),
                Some(TokenTree::Punct(dash)) if dash.as_char() == '-' && dash.spacing() == Spacing::Joint
            ) && !closes_impl_generics(out)
        }
        _ => false,
    }
}

/// Whether `out` ends in the generics of an `impl` (`impl<'de>`).
fn closes_impl_generics(out: &[TokenTree]) -> bool {
    let mut depth = 0usize;
    for (i, tree) in out.iter().enumerate().rev() {
        match tree {
            TokenTree::Punct(p) if p.as_char() == '>' => depth += 1,
            TokenTree::Punct(p) if p.as_char() == '<' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return matches!(
                        i.checked_sub(1).and_then(|j| out.get(j)),
                        Some(TokenTree::Ident(ident)) if ident == "impl"
                    );
                }
            }
            _ => {}
        }
    }
    false
}

/// Whether `out` ends in `skip_serializing_if =`.
fn is_skip_serializing_if(out: &[TokenTree]) -> bool {
    match out {
        [.., TokenTree::Ident(name), TokenTree::Punct(eq)] => {
            eq.as_char() == '=' && name == "skip_serializing_if"
        }
        _ => false,
    }
}

fn is_colons(trees: &[TokenTree], at: usize) -> bool {
    matches!(
        (trees.get(at), trees.get(at + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':'
    )
}

/// `::a::b::c` starting at `at`: its identifiers and the index after it.
fn absolute_path(trees: &[TokenTree], at: usize) -> Option<(Vec<Ident>, usize)> {
    let mut segments = Vec::new();
    let mut i = at;
    while is_colons(trees, i) {
        match trees.get(i + 2) {
            Some(TokenTree::Ident(ident)) => {
                segments.push(ident.clone());
                i += 3;
            }
            _ => break,
        }
    }
    (!segments.is_empty()).then_some((segments, i))
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn short(tokens: TokenStream, taken: &[&str]) -> String {
        let taken = taken.iter().map(|s| (*s).to_owned()).collect();
        shorten(tokens, &taken).to_string()
    }

    #[test]
    fn std_paths_shorten_unless_a_module_item_takes_the_name() {
        let tokens = quote! {
            #[derive(::std::fmt::Debug, ::serde::Serialize)]
            pub struct A {
                #[serde(rename = "::std::string::String")]
                pub a: ::std::option::Option<::std::vec::Vec<::std::string::String>>,
                pub b: crate::types::Option,
                pub c: ::std::collections::BTreeMap<::std::string::String, i64>,
            }
            fn f() { let _ = ::std::option::Option::Some(1); }
            impl ::std::convert::From<&str> for A {}
            impl<'de> ::serde::Deserialize<'de> for A {}
            fn g() -> ::std::fmt::Result { Ok(()) }
            fn h() { let _ = ::std::vec::Vec::<u8>::new(); }
            #[serde(skip_serializing_if = "::std::option::Option::is_none", rename = "::std::option::Option::is_none")]
            struct B;
        };
        assert_eq!(
            short(tokens.clone(), &[]),
            quote! {
                #[derive(Debug, serde::Serialize)]
                pub struct A {
                    #[serde(rename = "::std::string::String")]
                    pub a: Option<Vec<String>>,
                    pub b: crate::types::Option,
                    pub c: std::collections::BTreeMap<String, i64>,
                }
                fn f() { let _ = Some(1); }
                impl From<&str> for A {}
                impl<'de> serde::Deserialize<'de> for A {}
                fn g() -> std::fmt::Result { Ok(()) }
                fn h() { let _ = Vec::<u8>::new(); }
                #[serde(skip_serializing_if = "Option::is_none", rename = "::std::option::Option::is_none")]
                struct B;
            }
            .to_string()
        );
        let kept = short(tokens, &["Option", "String"]);
        // Taken names stay full paths (from the `std` crate, which no item can shadow).
        assert!(
            kept.contains("std :: option :: Option < Vec < std :: string :: String"),
            "{kept}"
        );
        // A type named `Option` does not hide the prelude's `Some`.
        assert!(kept.contains("let _ = Some (1)"), "{kept}");
    }
}
