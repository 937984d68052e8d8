//! A paginated operation's `Paged` impl (its `.pages()` and `.stream()` are the runtime's):
//! how the next request is made from the last response.

use super::*;

/// A value reached through `steps` from `root`: a place while every field is required,
/// then an `Option` of a reference (or, with `by_value`, of the value).
enum Reached {
    Place(TokenStream),
    Optional(TokenStream),
}

fn reach(root: Reached, steps: &[Step], by_value: bool) -> Reached {
    let mut reached = root;
    for step in steps {
        let field = ident(&step.field);
        reached = match (reached, step.optional) {
            (Reached::Place(place), false) => Reached::Place(quote!(#place.#field)),
            (Reached::Place(place), true) if by_value => Reached::Optional(quote!(#place.#field)),
            (Reached::Place(place), true) => Reached::Optional(quote!(#place.#field.as_ref())),
            (Reached::Optional(option), false) if by_value => {
                Reached::Optional(quote!(#option.map(|v| v.#field)))
            }
            (Reached::Optional(option), false) => {
                Reached::Optional(quote!(#option.map(|v| &v.#field)))
            }
            (Reached::Optional(option), true) if by_value => {
                Reached::Optional(quote!(#option.and_then(|v| v.#field)))
            }
            (Reached::Optional(option), true) => {
                Reached::Optional(quote!(#option.and_then(|v| v.#field.as_ref())))
            }
        };
    }
    reached
}

/// Where a page's body is: `page.body` of a `&Response<P>` (or, `by_value`, `page`, a
/// body moved out), an `Option` when the operation may answer without one.
fn body_root(op: &Operation, by_value: bool) -> Reached {
    let root = if by_value {
        quote!(page)
    } else {
        quote!(page.body)
    };
    match (op.success_kind == ContentKind::JsonOrEmpty, by_value) {
        (false, _) => Reached::Place(root),
        (true, true) => Reached::Optional(root),
        (true, false) => Reached::Optional(quote!(#root.as_ref())),
    }
}

/// A reached value as `Option<&T>`.
fn optional_ref(reached: Reached) -> TokenStream {
    match reached {
        Reached::Place(place) => quote!(::std::option::Option::Some(&#place)),
        Reached::Optional(option) => option,
    }
}

/// The items of a page (`page: &Response<P>`), as a count.
fn item_count(op: &Operation, p: &Pagination) -> TokenStream {
    match reach(body_root(op, false), &p.items, false) {
        Reached::Place(place) => quote!(#place.len()),
        Reached::Optional(option) => quote!(#option.map_or(0, ::std::vec::Vec::len)),
    }
}

/// An integer query parameter's value as `Option<i64>`.
fn int_param(api: &Api, op: &Operation, index: usize) -> TokenStream {
    let param = &op.params[index];
    let name = ident(&param.name);
    let narrow = *api.resolve(&param.ty) == TypeRef::I32;
    match (param.required, narrow) {
        (true, true) => quote!(::std::option::Option::Some(i64::from(request.params.#name))),
        (true, false) => quote!(::std::option::Option::Some(request.params.#name)),
        (false, true) => quote!(request.params.#name.map(i64::from)),
        (false, false) => quote!(request.params.#name),
    }
}

/// Statements setting `next.<target>` to `value` (of the target's own type).
fn set_target(op: &Operation, target: &Target, value: TokenStream) -> TokenStream {
    let some = |v: TokenStream| quote!(::std::option::Option::Some(#v));
    match target {
        Target::Param(index) => {
            let param = &op.params[*index];
            let name = ident(&param.name);
            let value = if param.required { value } else { some(value) };
            quote!(next.params.#name = #value;)
        }
        Target::Body { path } => {
            let (Some(body), Some(((last, wrap), on_the_way))) = (&op.body, path.split_last())
            else {
                return TokenStream::new();
            };
            let name = ident(&body.name);
            // An optional body the caller did not set has nowhere to carry the cursor.
            let (find, mut place) = if body.required {
                (TokenStream::new(), quote!(next.params.#name))
            } else {
                let message = "the list continues, but this request has no body to carry the next page's cursor; set one with `.body(…)`";
                (
                    quote! {
                        let ::std::option::Option::Some(body) = next.params.#name.as_mut() else {
                            return ::std::result::Result::Err(crate::Error::Paging(#message.to_owned()));
                        };
                    },
                    quote!(body),
                )
            };
            for (field, wrap) in on_the_way {
                let field = ident(field);
                place = match wrap {
                    Wrap::Plain => quote!(#place.#field),
                    // An object that can start empty, made to hold the cursor.
                    _ => quote!(#place.#field.get_or_insert_with(::std::default::Default::default)),
                };
            }
            let field = ident(last);
            let value = match wrap {
                Wrap::Plain => value,
                Wrap::Option => some(value),
                Wrap::DoubleOption => some(some(value)),
            };
            quote! {
                #find
                #place.#field = #value;
            }
        }
    }
}

/// `let Some(pattern) = option else { end }`, then the next request: a clone of this one
/// that `set` changes, remembered by `key`.
fn follow(
    option: TokenStream,
    pattern: TokenStream,
    set: TokenStream,
    key: TokenStream,
) -> TokenStream {
    quote! {
        let ::std::option::Option::Some(#pattern) = #option else {
            return ::std::result::Result::Ok(::std::option::Option::None);
        };
        let mut next = request.clone();
        #set
        ::std::result::Result::Ok(::std::option::Option::Some((next, #key)))
    }
}

/// The next request from `name`, an `Option<i64>` from the paging helpers, written back
/// into an integer query parameter.
fn follow_int(api: &Api, op: &Operation, index: usize, name: TokenStream) -> TokenStream {
    let narrow = (*api.resolve(&op.params[index].ty) == TypeRef::I32).then(|| {
        let message = format!(
            "the next `{}` does not fit the parameter's 32 bits",
            op.params[index].wire
        );
        quote! {
            let ::std::result::Result::Ok(#name) = i32::try_from(#name) else {
                return ::std::result::Result::Err(crate::Error::Paging(#message.to_owned()));
            };
        }
    });
    let key = quote!(#name.to_string());
    let set = set_target(op, &Target::Param(index), name.clone());
    let set = quote! {
        #narrow
        #set
    };
    follow(name.clone(), name, set, key)
}

/// The next request from a next-page URL (`Option<Url>`), used as it is.
fn follow_url(url: TokenStream) -> TokenStream {
    quote! {
        let ::std::option::Option::Some(url) = #url else {
            return ::std::result::Result::Ok(::std::option::Option::None);
        };
        let key = url.to_string();
        let mut next = request.clone();
        next.options.next_url = ::std::option::Option::Some(url);
        ::std::result::Result::Ok(::std::option::Option::Some((next, key)))
    }
}

/// `.stream()` and `.pages()` on the builder of an operation whose list continues on
/// further pages.
pub(super) fn paging(api: &Api, op: &Operation, p: &Pagination) -> TokenStream {
    let page = success(op);
    let item = type_tokens(&p.item, Place::Elsewhere);
    let take = match reach(body_root(op, true), &p.items, true) {
        Reached::Place(place) => place,
        Reached::Optional(option) => quote!(#option.unwrap_or_default()),
    };
    let next = match &p.next {
        NextPage::Cursor {
            at,
            into,
            as_text,
            end,
        } => {
            let cursor = optional_ref(reach(body_root(op, false), at, false));
            let value = if *as_text {
                quote!(cursor.to_string())
            } else {
                quote!(cursor)
            };
            let set = set_target(op, into, value);
            // A page that says it is the last ends the list, whatever cursor it gives.
            let cursor = match end {
                None => quote!(crate::paging::cursor(#cursor)),
                Some(flag) => {
                    let last_when = flag.last_when;
                    let goes_on = match reach(body_root(op, false), &flag.at, false) {
                        Reached::Place(place) if last_when => quote!(!#place),
                        Reached::Place(place) => quote!(#place),
                        Reached::Optional(option) => {
                            quote!(#option != ::std::option::Option::Some(&#last_when))
                        }
                    };
                    quote!(crate::paging::cursor(#cursor).filter(|_| #goes_on))
                }
            };
            follow(cursor, quote!((cursor, key)), set, quote!(key))
        }
        NextPage::LastId { has_more, id, into } => {
            let more = match reach(body_root(op, false), has_more, false) {
                Reached::Place(place) => place,
                Reached::Optional(option) => quote!(#option == ::std::option::Option::Some(&true)),
            };
            let last = match reach(body_root(op, false), &p.items, false) {
                Reached::Place(place) => quote!(#place.last()),
                Reached::Optional(option) => quote!(#option.and_then(|items| items.last())),
            };
            let last_id = match id {
                LastId::Item { optional: true } => {
                    quote!(#last.and_then(|item| item.id.as_ref()))
                }
                LastId::Item { optional: false } => quote!(#last.map(|item| &item.id)),
                LastId::Field(steps) => optional_ref(reach(body_root(op, false), steps, false)),
            };
            let set = set_target(op, into, quote!(id.clone()));
            follow(
                quote!(#last_id.filter(|_| #more)),
                quote!(id),
                set,
                quote!(id.clone()),
            )
        }
        NextPage::Url { at } => {
            let url = optional_ref(reach(body_root(op, false), at, false));
            follow_url(quote!(crate::paging::follow(&request.client, #url)?))
        }
        NextPage::Link => follow_url(quote!(crate::paging::next_link(
            &request.client,
            &page.headers
        )?)),
        NextPage::Offset { offset, limit } => {
            let current = int_param(api, op, *offset);
            let limit = limit.map_or_else(
                || quote!(::std::option::Option::None),
                |l| int_param(api, op, l),
            );
            let count = item_count(op, p);
            let follow = follow_int(api, op, *offset, quote!(offset));
            quote! {
                let offset = crate::paging::next_offset(#current, #limit, #count);
                #follow
            }
        }
        NextPage::Page { page, size, first } => {
            let current = int_param(api, op, *page);
            let size = size.map_or_else(
                || quote!(::std::option::Option::None),
                |s| int_param(api, op, s),
            );
            let count = item_count(op, p);
            let follow = follow_int(api, op, *page, quote!(number));
            let first = proc_macro2::Literal::i64_unsuffixed(*first);
            quote! {
                let number = crate::paging::next_page(#current, #size, #count, #first);
                #follow
            }
        }
    };
    let builder = ident(&op.builder_name);
    let error = with_error(api, op, quote!(crate::Error), &[]);
    quote! {
        impl crate::paging::Paged for params::#builder {
            type Item = #item;

            fn items(page: #page) -> ::std::vec::Vec<#item> {
                #take
            }

            fn next(
                request: &crate::Request<Self>,
                page: &crate::Response<#page>,
            ) -> ::std::result::Result<::std::option::Option<(crate::Request<Self>, ::std::string::String)>, #error> {
                #next
            }
        }
    }
}
