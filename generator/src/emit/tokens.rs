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
    let lines = inert_markdown(text).into_iter().map(|line| {
        let line = format!(" {line}");
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// Spec text as Markdown rustdoc will not run: a code block with no language (or a Rust
/// one) would be compiled as a doctest, so it is marked `text`, and indentation that would
/// make an indented code block is cut to three spaces. (Generated crates run doctests for
/// their own usage example.)
pub fn inert_markdown(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    for line in text.lines() {
        let line = line.trim_end();
        let trimmed = line.trim_start();
        let marker: String = trimmed
            .chars()
            .take_while(|c| *c == '`' || *c == '~')
            .collect();
        let is_fence =
            marker.len() >= 3 && marker.chars().all(|c| c == marker.as_bytes()[0] as char);
        match &fence {
            Some(open)
                if is_fence
                    && marker.starts_with(open.as_str())
                    && trimmed[marker.len()..].trim().is_empty() =>
            {
                fence = None;
                out.push(marker.clone());
            }
            Some(_) => out.push(line.to_owned()),
            None if is_fence => {
                let info = trimmed[marker.len()..].trim();
                let language = info.split([',', ' ']).next().unwrap_or("");
                let runs = language.is_empty()
                    || matches!(
                        language,
                        "rust" | "no_run" | "should_panic" | "compile_fail" | "ignore"
                    )
                    || language.starts_with("edition");
                fence = Some(marker.clone());
                out.push(if runs {
                    format!("{marker}text")
                } else {
                    format!("{marker}{info}")
                });
            }
            None => {
                let indent = line.len() - trimmed.len();
                let keep = line
                    .chars()
                    .take_while(|c| c.is_whitespace())
                    .filter(|c| *c == ' ')
                    .count()
                    .min(3);
                out.push(if indent > 3 || line.starts_with('\t') {
                    format!("{}{trimmed}", " ".repeat(keep))
                } else {
                    line.to_owned()
                });
            }
        }
    }
    // An unclosed fence would swallow what follows; close it.
    if let Some(open) = fence {
        out.push(open);
    }
    out
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

#[cfg(test)]
mod tests {
    use super::inert_markdown;

    #[test]
    fn spec_markdown_never_becomes_a_doctest() {
        let text = "Intro\n```\nlet x = 1;\n```\n```json\n{\"a\": 1}\n```\n\n    indented code\n\ttabbed\n```rust,no_run\nfn main() {}";
        assert_eq!(
            inert_markdown(text),
            [
                "Intro",
                "```text",
                "let x = 1;",
                "```",
                "```json",
                "{\"a\": 1}",
                "```",
                "",
                "   indented code",
                "tabbed",
                "```text",
                "fn main() {}",
                "```",
            ]
        );
    }
}
