//! The resolved model of an API: named types and operations, with every name already a
//! unique, valid Rust identifier. This is all the emitter sees; no `openapiv3` type
//! crosses this boundary.

mod about;
mod cycles;
mod groups;
mod intern;
mod names;
mod op_names;
mod operations;
mod paging;
mod patch;
mod types;

pub use groups::{Cluster, Group, Grouping, is_reserved_module};
pub use names::{is_keyword, pascal_ident, snake_ident};
pub use op_names::{NameAudit, audit_name};
pub use paging::{
    EXTENSION as PAGING_EXTENSION, LastId, NextPage, Pagination, PagingRule, Step, Target, Wrap,
};

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
    /// Every server the spec names with an absolute URL (variables at their defaults), and
    /// its description: the crate page lists them.
    pub servers: Vec<(String, Option<String>)>,
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    /// The error body most operations share; `Error`'s default type parameter.
    pub error_body: TypeRef,
    /// Modules behind cargo features, one per tag, when the API is big enough to split.
    pub grouping: Option<Grouping>,
    /// Where the API sits in a crate generated from several specs (`None`: it is the crate).
    pub module: Option<ApiModule>,
    pub warnings: Vec<Diagnostic>,
    /// Types made for inline schemas that were the same as another and merged into it.
    pub merged_types: usize,
    /// The compiler's recursion limit the crate needs, when its types chain deeper than the
    /// default of 128 allows rustdoc to decide their auto traits (Stripe's).
    pub recursion_limit: Option<usize>,
    /// The endpoints of the first OAuth2 security scheme, when there is one.
    pub oauth2: Option<about::OAuth2Endpoints>,
    /// The union of the webhook payloads the description documents (3.1 `webhooks`).
    pub webhook_event: Option<TypeRef>,
    /// The scheme a webhook verifier is generated for (from the options, not the spec).
    pub webhook_signature: Option<crate::settings::WebhookSignature>,
}

/// An API as one module of a crate made of several specs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiModule {
    /// The module and cargo feature (`conversations`).
    pub name: String,
    /// The type `client.conversations()` returns (`Conversations`).
    pub handle: String,
    /// Its place among the crate's base URLs.
    pub index: usize,
}

impl Api {
    /// The API as one module of a crate made of several specs: one feature for all of it,
    /// so no areas, and no field gated on an area's feature (which that crate does not
    /// have: the field would be compiled out for good and its data dropped when decoding).
    pub fn ungroup(&mut self) {
        self.grouping = None;
        for def in &mut self.types {
            if let TypeKind::Struct { fields } = &mut def.kind {
                for field in fields {
                    field.features = None;
                }
            }
        }
    }

    /// Whether the fields of some struct satisfy `f` (the runtime parts a crate needs).
    pub fn any_struct(&self, f: impl Fn(&[Field]) -> bool) -> bool {
        self.types.iter().any(|t| match &t.kind {
            TypeKind::Struct { fields } => f(fields),
            _ => false,
        })
    }

    /// The error body `Error` defaults to: this API's own, unless the crate is shared with
    /// other specs, where each module names its error body and the default is any JSON.
    pub fn crate_error_body(&self) -> &TypeRef {
        match self.module {
            None => &self.error_body,
            Some(_) => &TypeRef::Json,
        }
    }

    /// Whether some operation accepts this kind of credential.
    pub fn uses_auth(&self, kind: fn(&Auth) -> bool) -> bool {
        self.operations.iter().any(|op| op.auth.iter().any(kind))
    }

    /// Whether some operation sends a multipart body.
    pub fn uses_multipart(&self) -> bool {
        self.operations.iter().any(|op| {
            op.body
                .as_ref()
                .is_some_and(|b| b.kind == ContentKind::Multipart)
        })
    }

    /// Whether any type, parameter or body holds base64-encoded bytes.
    pub fn uses_base64(&self) -> bool {
        fn holds(ty: &TypeRef) -> bool {
            match ty {
                TypeRef::Base64 => true,
                TypeRef::Vec(inner) | TypeRef::Map(inner) => holds(inner),
                TypeRef::Tuple(items) => items.iter().any(holds),
                _ => false,
            }
        }
        self.types.iter().any(|t| match &t.kind {
            TypeKind::Struct { fields } => fields.iter().any(|f| holds(&f.ty)),
            TypeKind::Union { variants, .. } => variants.iter().any(|v| holds(&v.ty)),
            TypeKind::ErrorUnion { variants } => variants.iter().any(|v| holds(&v.ty)),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => holds(ty),
            TypeKind::StringEnum { .. } | TypeKind::IntEnum { .. } => false,
        }) || self.operations.iter().any(|op| {
            holds(&op.success)
                || op.params.iter().any(|p| holds(&p.ty))
                || op.body.as_ref().is_some_and(|b| holds(&b.ty))
        })
    }

    /// Whether some operation's list continues on further pages (in this way).
    pub fn uses_paging(&self, how: fn(&NextPage) -> bool) -> bool {
        self.operations
            .iter()
            .any(|op| op.pagination.as_ref().is_some_and(|p| how(&p.next)))
    }

    /// Whether some operation answers with raw bytes (and so can stream them).
    pub fn uses_streams(&self) -> bool {
        self.operations
            .iter()
            .any(|op| op.success_kind == ContentKind::Binary)
    }

    /// Whether values of `ty` have a plain text form (scalars and string enums).
    pub fn is_scalar(&self, ty: &TypeRef) -> bool {
        is_scalar_in(&self.types, ty)
    }

    /// `ty` through aliases (`Page` → `i32`), bounded: an alias cycle is reported elsewhere.
    pub fn resolve<'t>(&'t self, mut ty: &'t TypeRef) -> &'t TypeRef {
        for _ in 0..32 {
            let TypeRef::Named(name) = ty else { break };
            match self.types.iter().find(|t| &t.name == name).map(|t| &t.kind) {
                Some(TypeKind::Alias(inner)) => ty = inner,
                _ => break,
            }
        }
        ty
    }
}

/// Whether values of `ty` have a plain text form: scalars and string enums, through
/// aliases (bounded, since an alias cycle is only reported later).
pub(crate) fn is_scalar_in(types: &[TypeDef], ty: &TypeRef) -> bool {
    scalar_within(types, ty, 0)
}

/// Unions can contain unions that refer back (`A: oneOf[oneOf[$ref A, …], …]`); the depth
/// bound ends such a cycle (a type that contains itself has no text form anyway).
fn scalar_within(types: &[TypeDef], ty: &TypeRef, depth: usize) -> bool {
    if depth > 32 {
        return false;
    }
    match ty {
        TypeRef::Named(name) => match types.iter().find(|t| &t.name == name).map(|t| &t.kind) {
            Some(TypeKind::StringEnum { .. } | TypeKind::IntEnum { .. }) => true,
            Some(TypeKind::Alias(target)) => scalar_within(types, target, depth + 1),
            // `oneOf: [integer, string]` (an ID or a name) is written as whichever it holds.
            Some(TypeKind::Union { variants, .. }) => variants
                .iter()
                .all(|v| scalar_within(types, &v.ty, depth + 1)),
            _ => false,
        },
        TypeRef::Json
        | TypeRef::Map(_)
        | TypeRef::Vec(_)
        | TypeRef::Tuple(_)
        | TypeRef::Unit
        | TypeRef::Bytes
        | TypeRef::Base64
        | TypeRef::Multipart => false,
        _ => true,
    }
}

/// A named type in the generated `types` module.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub docs: Option<String>,
    pub kind: TypeKind,
    /// A struct with more required fields than a readable argument list holds: the struct
    /// its constructor takes them in, by name (`PaymentIntentRequired`).
    pub required_record: Option<String>,
    /// Some operation's error body is this type: it decodes one (`ErrorBody`).
    pub error_body: bool,
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
    /// An integer enum; like a string enum, `fallback` keeps unlisted values.
    IntEnum {
        variants: Vec<(String, i64)>,
        fallback: String,
        /// Each variant's description, where the spec gives one (3.1 "documented enums").
        docs: Vec<Option<String>>,
    },
    Alias(TypeRef),
    /// An alias that would contain itself (`Tree: additionalProperties: $ref Tree`) cannot be
    /// a Rust type alias; it becomes a one-field struct, transparent in JSON.
    Newtype(TypeRef),
    /// `oneOf`/`anyOf`: one of several types. With a `discriminator` the named property
    /// picks the variant; without, the first variant that decodes wins. `fallback` keeps
    /// any value no variant accepts.
    Union {
        variants: Vec<UnionVariant>,
        discriminator: Option<String>,
        fallback: String,
        /// The variants' types leave the discriminator out (a union recognised as tagged
        /// from its members' shapes): writing a value adds it. A variant without fields
        /// is `TypeRef::Unit`.
        tag_outside: bool,
    },
    /// The error bodies of an operation that documents different ones for different
    /// statuses: the status that came back picks the variant.
    ErrorUnion {
        variants: Vec<StatusVariant>,
    },
}

/// One body of an [`TypeKind::ErrorUnion`], and the statuses that carry it.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusVariant {
    pub name: String,
    pub statuses: Vec<Status>,
    pub ty: TypeRef,
}

/// A documented response status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Code(u16),
    /// `4XX`: the hundreds digit.
    Range(u16),
    Default,
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
    /// `Option<Option<T>>`: absent, `null`, or a value — for optional nullable fields of
    /// PATCH bodies, where sending `null` clears a value and leaving it out keeps it.
    pub double_option: bool,
    /// Also reads the JSON forms servers send instead of the documented one (a string from
    /// a number, a number from a numeric string): an override in the configuration.
    pub tolerant: bool,
    /// Compiled only with any of these cargo features: an optional field of the error
    /// body that names an area's type (set by `groups::group`; `None` elsewhere).
    pub features: Option<Vec<String>>,
}

impl Field {
    /// Whether the field is an `Option` in Rust.
    pub fn is_option(&self) -> bool {
        !self.flatten && (!self.required || self.nullable || self.double_option)
    }

    /// Whether a struct written field by field leaves the field out when it is `None` (an
    /// optional or double-option field); every other field is always written.
    pub fn left_out_when_none(&self) -> bool {
        self.double_option || !self.required
    }

    /// Whether `Type::new` takes the field (it starts every other one empty): required
    /// fields, nullable ones as an `Option` the caller gives.
    pub fn is_constructor_arg(&self) -> bool {
        !(self.flatten && matches!(self.ty, TypeRef::Map(_)))
            && !(self.is_option() && !(self.required && self.nullable && !self.double_option))
    }
}

/// Constructor arguments past which they are passed as a struct of named fields (clippy's
/// own limit): positional arguments of one type are easy to swap without a compiler error.
pub const MAX_POSITIONAL_ARGS: usize = 7;

/// Whether a struct of these fields can start empty (and so derives `Default`): every
/// field optional, or a flattened map.
pub fn starts_empty(fields: &[Field]) -> bool {
    fields.iter().all(|f| {
        if f.flatten {
            matches!(f.ty, TypeRef::Map(_))
        } else {
            f.is_option()
        }
    })
}

/// Whether a struct of these fields is read with the runtime's `FromMap` (a `match` on the
/// key's position per field) instead of serde's derive: every struct but an empty one, one
/// that flattens other properties into a field, or one with a tolerant field (serde's
/// derive does those).
pub fn reads_by_field(fields: &[Field]) -> bool {
    // serde's derive sees a struct after `#[cfg]` has removed fields; `FromMap` would not.
    !fields.is_empty()
        && fields
            .iter()
            .all(|f| !f.flatten && !f.tolerant && f.features.is_none())
}

impl TypeRef {
    /// Calls `f` with every named type this refers to, through lists, maps and tuples.
    pub fn for_each_named<'a>(&'a self, f: &mut impl FnMut(&'a str)) {
        match self {
            TypeRef::Named(name) => f(name),
            TypeRef::Vec(inner) | TypeRef::Map(inner) => inner.for_each_named(f),
            TypeRef::Tuple(items) => items.iter().for_each(|t| t.for_each_named(f)),
            _ => {}
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumVariant {
    pub name: String,
    pub wire: String,
    /// The value's description, where the spec gives one (3.1 "documented enums").
    pub docs: Option<String>,
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
    /// A fixed-length array of these types (3.1 `prefixItems` with no further items).
    Tuple(Vec<TypeRef>),
    /// No body (`204`, or a response without content).
    Unit,
    /// Raw bytes (`application/octet-stream`, images, PDFs…).
    Bytes,
    /// Bytes carried in JSON as base64 text (`contentEncoding: base64`), the runtime's
    /// `Base64`.
    Base64,
    /// A `multipart/form-data` body, built with the runtime's `Multipart`.
    Multipart,
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
    /// Whether `method_name` is the spec's own `operationId` (as opposed to one openapi-gen
    /// made from the method and path).
    pub named_by_spec: bool,
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
    /// How the success body is read.
    pub success_kind: ContentKind,
    pub error: TypeRef,
    pub docs: Option<String>,
    /// The credentials the operation accepts; the client sends the first it has.
    pub auth: Vec<Auth>,
    /// How the list it answers with continues on further pages, if it does.
    pub pagination: Option<Pagination>,
    /// The operation's first tag.
    pub tag: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Bearer` (HTTP bearer, OAuth2, OpenID Connect).
    Bearer,
    /// `Authorization: Basic`.
    Basic,
    /// A key in a header, query parameter or cookie of the given name.
    ApiKey {
        location: ApiKeyLocation,
        name: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    Header,
    Query,
    Cookie,
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
    Cookie,
}

/// How a parameter's value is written (OpenAPI `style` + `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `form`, exploded: `a=1&a=2`, object properties as their own parameters.
    Form,
    /// `form`, not exploded: `a=1,2`.
    FormCompact,
    /// `a=1%202` (`spaceDelimited`).
    SpaceDelimited,
    /// `a=1|2` (`pipeDelimited`).
    PipeDelimited,
    /// `a[key]=value` (`deepObject`).
    DeepObject,
    /// Path and header values that are scalars or lists of scalars: `1,2`.
    Simple,
    /// Path and header values spelled by the runtime from their JSON form (RFC 6570, as
    /// OpenAPI's style table says): objects in any style, anything in `label` or `matrix`.
    Styled { kind: TextStyle, explode: bool },
    /// The value serialized as JSON text (a parameter with `content: application/json`).
    Json,
}

/// The path and header styles: `simple` (`R,100`), `label` (`.R.100`), `matrix`
/// (`;color=R,100`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextStyle {
    Simple,
    Label,
    Matrix,
}

/// How a body is encoded or read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentKind {
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    Multipart,
    Text,
    Binary,
    /// No body.
    Empty,
    /// A JSON body, or none (an operation answering `200` or `204`): read as `Option<T>`.
    JsonOrEmpty,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    pub wire: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub docs: Option<String>,
    pub style: ParamStyle,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub content_type: String,
    pub kind: ContentKind,
    pub docs: Option<String>,
}

impl Body {
    /// Sent as it is (text or bytes), not encoded from a value.
    pub fn is_raw(&self) -> bool {
        matches!(
            self.kind,
            ContentKind::Text | ContentKind::Binary | ContentKind::Empty
        )
    }
}

/// APIs with at least this many operations (and two tags) get a module and cargo feature
/// per tag.
pub const GROUP_FROM_OPERATIONS: usize = 20;

/// Resolves a loaded document into an [`Api`], collecting every problem it finds.
/// A server's URL with its variables at their defaults, when that is an absolute http(s)
/// URL: a relative server (`/api/v1`) or a variable without a default (`{siteUrl}`) leaves
/// the base URL to the caller.
fn server_url(server: &openapiv3::Server) -> Option<String> {
    let mut url = server.url.trim().to_owned();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    let absolute = url.starts_with("https://") || url.starts_with("http://");
    (absolute && !url.contains(['{', '}'])).then_some(url)
}

/// The API `loaded` describes, with the configuration's `overrides` applied (one that no
/// property takes is an error at its line in the configuration).
pub fn build(
    loaded: &Loaded,
    lenient: bool,
    overrides: &[crate::settings::Override],
) -> Result<Api, Diagnostics> {
    let mut cx = types::TypeContext::new(&loaded.file, &loaded.api);
    cx.lenient = lenient;
    cx.set_overrides(overrides, |p| loaded.read_pointer(p));
    cx.declare_components();
    cx.convert_components();
    let (mut operations, error_body, hints) = operations::convert(&mut cx);
    let stale: Vec<Diagnostic> = cx
        .unused_overrides()
        .map(|o| Diagnostic {
            message: format!(
                "the override for `{}` matches no property of {}: the spec changed? update or remove it",
                o.pointer, loaded.file
            ),
            ..o.at.clone()
        })
        .collect();
    let components = cx.component_names();
    let webhook_event =
        about::webhook_event_component(&loaded.api).and_then(|key| cx.component_type(&key));
    let (mut types, mut diagnostics) = cx.finish();
    let mut error_body = error_body;
    let merged_types =
        intern::merge_inline_shapes(&mut types, &mut operations, &mut error_body, &components);
    mark_error_bodies(&mut types, &mut operations, &mut error_body);
    // Corpus: Stripe's chain weighs 143, every other spec's at most 17.
    let depth = cycles::deepest_chain(&types);
    name_required_records(&mut types);
    let recursion_limit = (depth > 32).then(|| (depth * 2).next_power_of_two().max(256));
    cycles::newtype_recursive_aliases(&mut types);
    diagnostics.extend(cycles::box_recursive_fields(&mut types, &loaded.file));
    patch::mark_clearable_fields(&mut types, &operations);
    // After boxing and PATCH fields: paging reads how each field is held.
    diagnostics.extend(paging::recognise(
        &types,
        &mut operations,
        &hints,
        &loaded.file,
        lenient,
    ));

    // The reader's findings: an unknown `type` was left out of its schema, so under
    // --lenient that schema is any JSON value.
    let read = loaded.warnings.iter().cloned().map(|mut d| {
        if lenient && d.severity == Severity::Error {
            d.severity = Severity::Warning;
            d.message
                .push_str(" (read as any JSON value under --lenient)");
        }
        d
    });
    let (errors, warnings): (Vec<_>, Vec<_>) = read
        .chain(diagnostics)
        .chain(stale)
        .partition(|d| d.severity == Severity::Error);
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }

    let tags: Vec<Option<String>> = operations.iter().map(|op| op.tag.clone()).collect();
    let paths: Vec<&str> = operations
        .iter()
        .map(|op| op.path_template.as_str())
        .collect();
    let labels = groups::labels(&tags, &paths);
    // A small API gains nothing from features but `#[cfg]` lines to read past.
    let grouping = (operations.len() >= GROUP_FROM_OPERATIONS)
        .then(|| {
            groups::group(
                &mut types,
                &operations,
                &labels,
                &error_body,
                webhook_event.as_ref(),
            )
        })
        .flatten();

    let info = &loaded.api.info;
    Ok(Api {
        grouping,
        module: None,
        title: info.title.clone(),
        description: info.description.clone(),
        version: info.version.clone(),
        default_base_url: loaded.api.servers.first().and_then(server_url),
        servers: loaded
            .api
            .servers
            .iter()
            .filter_map(|s| Some((server_url(s)?, s.description.clone())))
            .collect(),
        types,
        operations,
        error_body,
        warnings,
        merged_types,
        recursion_limit,
        oauth2: about::oauth2_endpoints(&loaded.api),
        webhook_event,
        webhook_signature: None,
    })
}

/// Gives each struct with more than [`MAX_POSITIONAL_ARGS`] constructor arguments the name
/// of the struct those are passed in (`<Type>Required`, unique among the types).
fn name_required_records(types: &mut [TypeDef]) {
    let mut taken: std::collections::HashSet<String> =
        types.iter().map(|t| t.name.clone()).collect();
    for def in types.iter_mut() {
        let TypeKind::Struct { fields } = &def.kind else {
            continue;
        };
        if starts_empty(fields)
            || fields.iter().filter(|f| f.is_constructor_arg()).count() <= MAX_POSITIONAL_ARGS
        {
            continue;
        }
        let base = format!("{}Required", def.name.trim_start_matches("r#"));
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        taken.insert(name.clone());
        def.required_record = Some(name);
    }
}

/// Error bodies name the type they decode as (through aliases, so no type decodes twice),
/// and each such type is marked to decode one ([`TypeDef::error_body`]). One that is an
/// alias of something unnamed is read as any JSON value.
fn mark_error_bodies(
    types: &mut [TypeDef],
    operations: &mut [Operation],
    error_body: &mut TypeRef,
) {
    let index: std::collections::HashMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
    let settle = |ty: &TypeRef| -> (TypeRef, Option<usize>) {
        let mut current = ty.clone();
        for _ in 0..32 {
            let TypeRef::Named(name) = &current else {
                return (TypeRef::Json, None);
            };
            let Some(&i) = index.get(name) else {
                return (TypeRef::Json, None);
            };
            match &types[i].kind {
                TypeKind::Alias(target) => current = target.clone(),
                _ => return (current, Some(i)),
            }
        }
        (TypeRef::Json, None)
    };
    let mut marked = Vec::new();
    for ty in operations
        .iter_mut()
        .map(|op| &mut op.error)
        .chain(std::iter::once(error_body))
    {
        if *ty == TypeRef::Json {
            continue;
        }
        let (settled, at) = settle(ty);
        *ty = settled;
        marked.extend(at);
    }
    for i in marked {
        types[i].error_body = true;
    }
}
