//! The resolved model of an API: named types and operations, with every name already a
//! unique, valid Rust identifier. This is all the emitter sees; no `openapiv3` type
//! crosses this boundary.

mod cycles;
mod names;
mod operations;
mod types;

pub use names::{is_keyword, pascal_ident, snake_ident};

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::load::Loaded;

/// An API, ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    pub description: Option<String>,
    /// `info.version`, verbatim (HubSpot uses dated versions that are not semver).
    pub version: String,
    /// The first server's URL, if the spec names one.
    pub default_base_url: Option<String>,
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    /// The error body most operations share; `Error`'s default type parameter.
    pub error_body: TypeRef,
    pub warnings: Vec<Diagnostic>,
}

/// A named type in the generated `types` module.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub docs: Option<String>,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct {
        fields: Vec<Field>,
    },
    /// A string enum; `fallback` names the variant that keeps values the spec does not list.
    StringEnum {
        variants: Vec<EnumVariant>,
        fallback: String,
    },
    Alias(TypeRef),
    /// `oneOf`/`anyOf`: one of several types. With a `discriminator` the named property
    /// picks the variant; without, the first variant that decodes wins. `fallback` keeps
    /// any value no variant accepts.
    Union {
        variants: Vec<UnionVariant>,
        discriminator: Option<String>,
        fallback: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub name: String,
    pub ty: TypeRef,
    /// Discriminator values that select this variant.
    pub tags: Vec<String>,
    /// Held in a `Box` because the type contains itself.
    pub boxed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// A valid Rust identifier (`r#in` for a keyword).
    pub name: String,
    /// The JSON property name.
    pub wire: String,
    pub ty: TypeRef,
    pub required: bool,
    /// `null` is a valid value; with `required` this still maps to `Option`.
    pub nullable: bool,
    pub docs: Option<String>,
    /// Holds the properties the schema does not name (`additionalProperties` beside
    /// `properties`, or a union beside `properties`).
    pub flatten: bool,
    /// Held in a `Box` because the type contains itself.
    pub boxed: bool,
}

impl Field {
    /// Whether the Rust type is wrapped in `Option`.
    pub fn optional(&self) -> bool {
        (!self.required || self.nullable) && !self.flatten
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumVariant {
    pub name: String,
    pub wire: String,
}

/// A reference to a type: a named one in `types`, or a std/crate type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    Named(String),
    String,
    Bool,
    I32,
    I64,
    F32,
    F64,
    DateTime,
    Date,
    Uuid,
    /// Any JSON value.
    Json,
    Vec(Box<TypeRef>),
    /// A string-keyed map.
    Map(Box<TypeRef>),
    /// No body (`204`, or a response without content).
    Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The client method (`get_thread`).
    pub method_name: String,
    /// The request builder type (`GetThread`).
    pub builder_name: String,
    pub http_method: HttpMethod,
    /// The path template as written in the spec, for docs.
    pub path_template: String,
    /// Path segments; each is a run of literal text and parameters.
    pub path: Vec<Vec<PathPart>>,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub success: TypeRef,
    pub error: TypeRef,
    pub docs: Option<String>,
    /// Whether the request carries the client's bearer token.
    pub bearer_auth: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    Literal(String),
    /// Index into [`Operation::params`].
    Param(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    pub wire: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub docs: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub content_type: String,
}

/// Resolves a loaded document into an [`Api`], collecting every problem it finds.
pub fn build(loaded: &Loaded) -> Result<Api, Diagnostics> {
    let mut cx = types::TypeContext::new(&loaded.file, &loaded.api);
    cx.declare_components();
    cx.convert_components();
    let (operations, error_body) = operations::convert(&mut cx);
    let (mut types, mut diagnostics) = cx.finish();
    diagnostics.extend(cycles::box_recursive_fields(&mut types, &loaded.file));

    let (errors, warnings): (Vec<_>, Vec<_>) = diagnostics
        .into_iter()
        .partition(|d| d.severity == Severity::Error);
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }

    let info = &loaded.api.info;
    Ok(Api {
        title: info.title.clone(),
        description: info.description.clone(),
        version: info.version.clone(),
        default_base_url: loaded.api.servers.first().map(|s| s.url.clone()),
        types,
        operations,
        error_body,
        warnings,
    })
}
