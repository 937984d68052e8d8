//! The `operations` module: a method on `Client` per operation, returning a request
//! builder with a setter per optional parameter and `send()`.

use super::Source;
use super::tokens::{Place, docs, ident, type_tokens};
use crate::ir::{
    Api, ApiKeyLocation, Auth, ContentKind, LastId, NextPage, Operation, Pagination, Param,
    ParamLocation, ParamStyle, PathPart, Step, Target, TextStyle, TypeRef, Wrap,
};
use proc_macro2::TokenStream;
use quote::quote;

mod paging;

use paging::paging;

/// The operations at `indices` (all, when `None`), as one module.
pub fn operations_module<'a>(
    api: &'a Api,
    indices: Option<&'a [usize]>,
    inner: TokenStream,
) -> Source<'a> {
    let ops: Vec<&'a Operation> = match indices {
        Some(indices) => indices.iter().map(|&i| &api.operations[i]).collect(),
        None => api.operations.iter().collect(),
    };
    // The methods are the client's own, or, in a crate made of several specs, its
    // module's handle's (`client.conversations().get_thread(…)`).
    let (target, client) = match &api.module {
        None => (quote!(crate::Client), quote!(self)),
        Some(module) => {
            let handle = ident(&module.handle);
            (quote!(super::#handle), quote!(&self.client))
        }
    };
    let methods = ops.iter().map(|op| client_method(op, &client));
    let head = [
        quote! {
            #[allow(unused_imports)]
            use crate::params::ParamValue as _;
        },
        quote! {
            impl #target {
                #(#methods)*
            }
        },
    ];
    let builders = ops.clone().into_iter().map(move |op| builder(api, op));
    // The parameters' structs are public (the builders name them) but out of reach: a
    // builder is used through its alias, and each area's module is glob-exported.
    let params = std::iter::once_with(move || {
        let structs = ops.iter().copied().map(params_struct);
        quote! {
            mod params {
                #(#structs)*
            }
        }
    });
    Source::Items {
        inner,
        items: Box::new(head.into_iter().chain(builders).chain(params)),
    }
}

/// `path<args…>` with the operation's error body as the last parameter, left out where it
/// is the crate's default (`Error`, `ByteStream`, `Pages` and `Items` default it).
fn with_error(api: &Api, op: &Operation, path: TokenStream, args: &[TokenStream]) -> TokenStream {
    let error =
        (op.error != *api.crate_error_body()).then(|| type_tokens(&op.error, Place::Elsewhere));
    let args: Vec<&TokenStream> = args.iter().chain(&error).collect();
    if args.is_empty() {
        path
    } else {
        quote!(#path<#(#args),*>)
    }
}

/// How a value of `ty` is taken from the caller: strings and lists take anything that
/// converts, everything else its own type.
fn argument_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(impl ::std::convert::Into<::std::string::String>),
        TypeRef::Bytes => quote!(impl ::std::convert::Into<::std::vec::Vec<u8>>),
        TypeRef::Vec(item) => {
            let item = type_tokens(item, Place::Elsewhere);
            quote!(impl ::std::iter::IntoIterator<Item = #item>)
        }
        other => type_tokens(other, Place::Elsewhere),
    }
}

fn argument_value(name: &TokenStream, input: &Input) -> TokenStream {
    if input.raw {
        return quote!(crate::client::RawBody(::bytes::Bytes::from(#name.into())));
    }
    match input.ty {
        TypeRef::String | TypeRef::Bytes => quote!(#name.into()),
        TypeRef::Vec(_) => quote!(#name.into_iter().collect()),
        _ => quote!(#name),
    }
}

/// Required inputs, in order: path parameters, other required parameters, the body.
struct Input<'a> {
    name: &'a str,
    ty: &'a TypeRef,
    required: bool,
    docs: Option<&'a str>,
    /// Header and cookie values may be credentials: `Debug` does not show them.
    redacted: bool,
    /// A body sent as it is, kept as `bytes::Bytes` (in a `RawBody`, whose `Debug` shows
    /// its length): each attempt of a call shares it.
    raw: bool,
}

fn inputs(op: &Operation) -> Vec<Input<'_>> {
    let params = op.params.iter().map(|p: &Param| Input {
        name: &p.name,
        ty: &p.ty,
        required: p.required,
        docs: p.docs.as_deref(),
        redacted: matches!(p.location, ParamLocation::Header | ParamLocation::Cookie),
        raw: false,
    });
    let body = op.body.iter().map(|b| Input {
        name: &b.name,
        ty: &b.ty,
        required: b.required,
        docs: None,
        redacted: false,
        raw: b.is_raw(),
    });
    params.chain(body).collect()
}

fn client_method(op: &Operation, client: &TokenStream) -> TokenStream {
    let method = ident(&op.method_name);
    let builder = ident(&op.builder_name);
    let mut doc_text = op.docs.clone().unwrap_or_default();
    doc_text.push_str(&format!(
        "\n\n`{} {}`",
        op.http_method.as_str(),
        op.path_template
    ));
    if let Some(p) = &op.pagination {
        doc_text.push_str(&format!(
            "\n\nThe list continues on further pages: `.stream()` reads every item, `.pages()` every page ({}).",
            p.summary
        ));
    }
    let doc = docs(Some(&doc_text));
    let inputs = inputs(op);
    let args = inputs.iter().filter(|i| i.required).map(|i| {
        let name = ident(i.name);
        let ty = argument_type(i.ty);
        quote!(#name: #ty)
    });
    let inits = inputs.iter().map(|i| {
        let name = ident(i.name);
        if i.required && i.redacted {
            let value = argument_value(&quote!(#name), i);
            quote!(#name: crate::client::Redacted(#value))
        } else if i.required {
            match i.ty {
                TypeRef::String | TypeRef::Bytes | TypeRef::Vec(_) => {
                    let value = argument_value(&quote!(#name), i);
                    quote!(#name: #value)
                }
                _ => quote!(#name),
            }
        } else {
            quote!(#name: ::std::option::Option::None)
        }
    });
    let args: Vec<TokenStream> = args.collect();
    // The spec's required parameters are the arguments, however many it has.
    let lint = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #doc
        #lint
        pub fn #method(&self, #(#args),*) -> #builder {
            crate::Request::new(#client, params::#builder { #(#inits,)* })
        }
    }
}

/// An operation's builder: a `crate::Request` of its parameters, with their setters and its
/// `send`.
fn builder(api: &Api, op: &Operation) -> TokenStream {
    let builder = ident(&op.builder_name);
    let method = &op.method_name;
    let (owner, owner_path) = match &api.module {
        None => ("Client".to_owned(), "crate::Client".to_owned()),
        Some(m) => (m.handle.clone(), format!("crate::{}::{}", m.name, m.handle)),
    };
    let builder_doc = docs(Some(&format!(
        "A request to [`{owner}::{}`]({owner_path}::{method}); set options, then `.send().await`, \
         which gives `{}`.",
        method.trim_start_matches("r#"),
        type_text(&success(op)),
    )));
    let inputs = inputs(op);
    let setters = inputs.iter().filter(|i| !i.required).map(|i| {
        let name = ident(i.name);
        let doc = docs(i.docs);
        let ty = argument_type(i.ty);
        let value = argument_value(&quote!(value), i);
        let value = if i.redacted {
            quote!(crate::client::Redacted(#value))
        } else {
            value
        };
        quote! {
            #doc
            pub fn #name(mut self, value: #ty) -> Self {
                self.params.#name = ::std::option::Option::Some(#value);
                self
            }
        }
    });
    let (send_stream, endpoint) = endpoint(api, op);
    let paging = op.pagination.as_ref().map(|p| paging(api, op, p));
    let methods = quote!(#(#setters)* #send_stream);
    let methods = (!methods.is_empty()).then(|| quote!(impl #builder { #methods }));
    quote! {
        #builder_doc
        pub type #builder = crate::Request<params::#builder>;
        #methods
        #endpoint
        #paging
    }
}

/// The struct of an operation's parameters, named like its builder.
fn params_struct(op: &Operation) -> TokenStream {
    let builder = ident(&op.builder_name);
    let name = op.builder_name.trim_start_matches("r#");
    let doc = docs(Some(&format!(
        "The parameters of a [`{name}`](super::{name}) request."
    )));
    let inputs = inputs(op);
    let fields = inputs.iter().map(|i| {
        let name = ident(i.name);
        let ty = match i.raw {
            true => quote!(crate::client::RawBody),
            false => type_tokens(i.ty, Place::Elsewhere),
        };
        let ty = if i.redacted {
            quote!(crate::client::Redacted<#ty>)
        } else {
            ty
        };
        if i.required {
            quote!(pub(super) #name: #ty)
        } else {
            quote!(pub(super) #name: ::std::option::Option<#ty>)
        }
    });
    quote! {
        #doc
        #[derive(::std::fmt::Debug, ::std::clone::Clone)]
        pub struct #builder {
            #(#fields,)*
        }
    }
}

/// A path parameter's text (lists comma-joined, the `simple` style).
fn param_value(op: &Operation, index: usize) -> TokenStream {
    let param = &op.params[index];
    let name = ident(&param.name);
    if let Some(text) = styled(param, quote!(&self.#name)) {
        return quote!(::std::borrow::Cow::<str>::Owned(#text));
    }
    if param.style == ParamStyle::Json {
        let text = text_value(param, quote!(&self.#name));
        return quote!(::std::borrow::Cow::<str>::Owned(#text));
    }
    match param.ty {
        TypeRef::Vec(_) => {
            quote!(::std::borrow::Cow::<str>::Owned(crate::params::join(&self.#name, ",")))
        }
        _ => quote!(self.#name.to_param()),
    }
}

/// The operation's `Endpoint` impl for its parameters (its types, its route and the request
/// each attempt sends; `send` is the runtime's), and `send_stream` for a binary body.
fn endpoint(api: &Api, op: &Operation) -> (TokenStream, TokenStream) {
    // The path as one template, each parameter a `{}` filled by the runtime in order. The
    // spec's literal text cannot hold `{` (the loader reads each as a parameter), so every
    // `{}` here is one.
    let mut template = String::new();
    let mut values = Vec::new();
    for parts in &op.path {
        template.push('/');
        for part in parts {
            match part {
                PathPart::Literal(text) => template.push_str(text),
                PathPart::Param(i) => {
                    template.push_str("{}");
                    values.push(param_value(op, *i));
                }
            }
        }
    }

    let query_params: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .collect();
    let query = if query_params.is_empty() {
        quote!(let query = crate::params::Query::default();)
    } else {
        let pushes = query_params.iter().map(|p| {
            let name = ident(&p.name);
            let wire = &p.wire;
            if scalar_query(api, p) {
                return match p.required {
                    true => quote!(query.push(#wire, self.#name.to_param());),
                    false => quote!(query.push_opt(#wire, &self.#name);),
                };
            }
            let push = query_push(api, p, quote!(value));
            if p.required {
                quote!({ let value = &self.#name; #push })
            } else {
                quote!(if let ::std::option::Option::Some(value) = &self.#name { #push })
            }
        });
        quote! {
            let mut query = crate::params::Query::default();
            #(#pushes)*
        }
    };

    let headers = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Header)
        .map(|p| {
            let name = ident(&p.name);
            let wire = &p.wire;
            let text = text_value(p, quote!(value));
            let set = quote!(request = request.header(#wire, #text););
            if p.required {
                quote!({ let value = &self.#name.0; #set })
            } else {
                quote!(if let ::std::option::Option::Some(crate::client::Redacted(value)) = &self.#name { #set })
            }
        });

    let cookie_params: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Cookie)
        .collect();
    let cookies = (!cookie_params.is_empty()).then(|| {
        let pushes = cookie_params.iter().map(|p| {
            let name = ident(&p.name);
            let wire = &p.wire;
            let text = match (&p.ty, p.style) {
                (TypeRef::Vec(_), _) | (_, ParamStyle::Styled { .. } | ParamStyle::Json) => {
                    text_value(p, quote!(value))
                }
                _ => quote!(value.to_param()),
            };
            let push = quote!(cookies.push(crate::params::cookie(#wire, &#text)););
            if p.required {
                quote!({ let value = &self.#name.0; #push })
            } else {
                quote!(if let ::std::option::Option::Some(crate::client::Redacted(value)) = &self.#name { #push })
            }
        });
        quote! {
            let mut cookies: ::std::vec::Vec<::std::string::String> = ::std::vec::Vec::new();
            #(#pushes)*
            if !cookies.is_empty() {
                options.refuse_header("cookie")?;
                request = request.header(::reqwest::header::COOKIE, cookies.join("; "));
            }
        }
    });

    let body = op.body.as_ref().map(|b| {
        let name = ident(&b.name);
        let content_type = &b.content_type;
        let encode = match b.kind {
            ContentKind::Json | ContentKind::JsonOrEmpty => {
                return if b.required {
                    quote!(request = crate::params::json_body(request, #content_type, &self.#name)?;)
                } else {
                    quote!(if let ::std::option::Option::Some(body) = &self.#name { request = crate::params::json_body(request, #content_type, body)?; })
                };
            }
            ContentKind::Form => quote! {
                let text = crate::params::form_body(body).map_err(crate::Error::InvalidRequest)?;
                request = request.header(::reqwest::header::CONTENT_TYPE, #content_type).body(text);
            },
            ContentKind::Multipart => quote! {
                let (content_type, bytes) = body.encode();
                request = request.header(::reqwest::header::CONTENT_TYPE, content_type).body(bytes);
            },
            // Shared with the request, not copied (`Bytes` is reference-counted).
            ContentKind::Text | ContentKind::Binary | ContentKind::Empty => {
                let set = quote!(request = request.header(::reqwest::header::CONTENT_TYPE, #content_type).body(::bytes::Bytes::clone(&body.0)););
                return if b.required {
                    quote!(let body = &self.#name; #set)
                } else {
                    quote!(if let ::std::option::Option::Some(body) = &self.#name { #set })
                };
            }
        };
        if b.required {
            quote!({ let body = &self.#name; #encode })
        } else {
            quote!(if let ::std::option::Option::Some(body) = &self.#name { #encode })
        }
    });

    let method = ident(op.http_method.as_str());
    let auth = op.auth.iter().map(auth_tokens);
    let mutable = (op.body.is_some()
        || op
            .params
            .iter()
            .any(|p| matches!(p.location, ParamLocation::Header | ParamLocation::Cookie)))
    .then(|| quote!(mut));
    let success = success(op);
    let error = with_error(api, op, quote!(crate::Error), &[]);
    let read = match op.success_kind {
        ContentKind::Empty => quote!(Empty),
        ContentKind::Text => quote!(Text),
        ContentKind::Binary | ContentKind::Multipart | ContentKind::Form => quote!(Binary),
        ContentKind::Json => quote!(Json),
        ContentKind::JsonOrEmpty => quote!(JsonOrEmpty),
    };
    let build = quote!(client.build(::reqwest::Method::#method, #template, &[#(#values),*], &query, &[#(#auth),*], options)?);
    let prepare = quote! {
        #query
        let #mutable request = #build;
        #(#headers)*
        #cookies
        #body
        ::std::result::Result::Ok(request)
    };
    // A binary body can be any size: it can also be taken as it arrives.
    let stream = (op.success_kind == ContentKind::Binary).then(|| {
        let chunks = with_error(api, op, quote!(crate::ByteStream), &[]);
        quote! {
            /// Sends the request and hands over the body as a stream of chunks as they
            /// arrive, without the in-memory size limit of `send`.
            pub fn send_stream(self) -> impl ::std::future::Future<Output = ::std::result::Result<crate::Response<#chunks>, #error>> {
                crate::request::stream(self)
            }
        }
    });
    let builder = ident(&op.builder_name);
    let error_body = type_tokens(&op.error, Place::Elsewhere);
    let (name, method_name, template) =
        (&op.method_name, op.http_method.as_str(), &op.path_template);
    let endpoint = quote! {
        impl crate::request::Endpoint for params::#builder {
            type Output = #success;
            type Error = #error_body;
            type Read = crate::request::#read;
            const ROUTE: crate::trace::Route = crate::trace::Route { name: #name, method: #method_name, template: #template };

            fn request(&self, client: &crate::Client, options: &crate::client::RequestOptions) -> ::std::result::Result<::reqwest::RequestBuilder, #error> {
                #prepare
            }
        }
    };
    (stream.unwrap_or_default(), endpoint)
}

/// The type an operation's `send` gives.
fn success(op: &Operation) -> TokenStream {
    let success = type_tokens(&op.success, Place::Elsewhere);
    if op.success_kind == ContentKind::JsonOrEmpty {
        quote!(::std::option::Option<#success>)
    } else {
        success
    }
}

/// A type as its documentation names it: each path's last segment (`Vec<PublicThread>`).
fn type_text(ty: &TokenStream) -> String {
    let text = ty.to_string().replace(' ', "");
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else if c == ':' {
            word.clear();
        } else {
            out.push_str(&word);
            word.clear();
            out.push(c);
            if c == ',' {
                out.push(' ');
            }
        }
    }
    out + &word
}

/// The runtime's name for a credential an operation accepts.
pub(super) fn auth_tokens(auth: &Auth) -> TokenStream {
    match auth {
        Auth::Bearer => quote!(crate::client::Auth::Bearer),
        Auth::Basic => quote!(crate::client::Auth::Basic),
        Auth::ApiKey { location, name } => match location {
            ApiKeyLocation::Header => quote!(crate::client::Auth::ApiKeyHeader(#name)),
            ApiKeyLocation::Query => quote!(crate::client::Auth::ApiKeyQuery(#name)),
            ApiKeyLocation::Cookie => quote!(crate::client::Auth::ApiKeyCookie(#name)),
        },
    }
}

/// How one query parameter's value (a reference, `value`) is added to `query`.
fn query_push(api: &Api, p: &Param, value: TokenStream) -> TokenStream {
    let wire = &p.wire;
    let scalar_list = matches!(&p.ty, TypeRef::Vec(item) if is_scalar(api, item));
    match (p.style, scalar_list) {
        (ParamStyle::Form, true) => {
            quote!(for item in #value { query.push(#wire, item.to_param()); })
        }
        (ParamStyle::FormCompact, true) => quote!(query.push_joined(#wire, #value, ",");),
        (ParamStyle::SpaceDelimited, true) => quote!(query.push_joined(#wire, #value, " ");),
        (ParamStyle::PipeDelimited, true) => quote!(query.push_joined(#wire, #value, "|");),
        (ParamStyle::Json, _) => structured(wire, value, quote!(Json)),
        _ if scalar_query(api, p) => quote!(query.push(#wire, #value.to_param());),
        (ParamStyle::DeepObject, _) => structured(wire, value, quote!(DeepObject)),
        (ParamStyle::FormCompact, _) => structured(wire, value, quote!(FormCompact)),
        (ParamStyle::SpaceDelimited, _) => structured(wire, value, quote!(SpaceDelimited)),
        (ParamStyle::PipeDelimited, _) => structured(wire, value, quote!(PipeDelimited)),
        (ParamStyle::Form | ParamStyle::Simple | ParamStyle::Styled { .. }, _) => {
            structured(wire, value, quote!(Form))
        }
    }
}

/// Whether a query parameter is sent as its one value's text (`name=value`).
fn scalar_query(api: &Api, p: &Param) -> bool {
    p.style != ParamStyle::Json && is_scalar(api, &p.ty)
}

fn structured(wire: &str, value: TokenStream, style: TokenStream) -> TokenStream {
    quote! {
        query.push_value(#wire, #value, crate::params::Style::#style).map_err(crate::Error::InvalidRequest)?;
    }
}

/// A path or header value the runtime spells in its style, when it is not a plain scalar.
fn styled(p: &Param, value: TokenStream) -> Option<TokenStream> {
    let ParamStyle::Styled { kind, explode } = p.style else {
        return None;
    };
    let wire = &p.wire;
    let kind = match kind {
        TextStyle::Simple => quote!(Simple),
        TextStyle::Label => quote!(Label),
        TextStyle::Matrix => quote!(Matrix),
    };
    Some(quote! {
        crate::params::styled(#wire, #value, crate::params::TextStyle::#kind, #explode).map_err(crate::Error::InvalidRequest)?
    })
}

/// A header or cookie value as text: scalars as themselves, lists comma-joined, JSON as JSON.
fn text_value(p: &Param, value: TokenStream) -> TokenStream {
    if let Some(text) = styled(p, value.clone()) {
        return text;
    }
    match (&p.ty, p.style) {
        (_, ParamStyle::Json) => {
            quote!(::serde_json::to_string(#value).map_err(|e| crate::Error::InvalidRequest(e.to_string()))?)
        }
        (TypeRef::Vec(_), _) => quote!(crate::params::join(#value, ",")),
        _ => quote!(&*#value.to_param()),
    }
}

fn is_scalar(api: &Api, ty: &TypeRef) -> bool {
    api.is_scalar(ty)
}
