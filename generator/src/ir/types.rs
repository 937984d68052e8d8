//! Schemas → named types. Component schemas are declared first so `$ref`s resolve to
//! settled names before any type is built; inline objects and enums get names from their
//! parent (`{Parent}{Property}`).

use super::names::{Scope, pascal_ident, snake_ident};
use super::{EnumVariant, Field, TypeDef, TypeKind, TypeRef, UnionVariant};
use crate::diagnostics::{Diagnostic, Pointer, Severity};
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ObjectType, OpenAPI, ReferenceOr, Schema,
    SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use std::collections::{HashMap, HashSet};

/// State shared by the IR passes: the document, the type namespace, and the problems seen.
pub struct TypeContext<'a> {
    pub file: &'a str,
    pub api: &'a OpenAPI,
    types: Vec<TypeDef>,
    names: Scope,
    /// Component schema key → its Rust name.
    components: HashMap<&'a str, String>,
    diagnostics: Vec<Diagnostic>,
    /// Unsupported schemas become `serde_json::Value` with a warning instead of an error.
    pub lenient: bool,
    /// How many schemas deep the conversion is, to refuse runaway recursion.
    depth: usize,
    /// The configuration's corrections, each with whether a property took it.
    overrides: Vec<(&'a crate::settings::Override, String, bool)>,
}

/// Deeper than any real spec nests (serde's own parsers stop at 128 too); reached only by a
/// hostile document or an `allOf` that pulls a schema back into itself.
const MAX_DEPTH: usize = 128;

/// The longest name the generator makes up for a type (component names are the spec's).
const MAX_DERIVED_NAME: usize = 60;

mod compose;
mod docs;
mod unions;

use compose::{Merged, Own};
use docs::{docs_of, field_docs, value_docs};

type Conv<T> = Result<T, Diagnostic>;

impl<'a> TypeContext<'a> {
    pub fn new(file: &'a str, api: &'a OpenAPI) -> Self {
        TypeContext {
            file,
            api,
            types: Vec::new(),
            names: Scope::new(),
            components: HashMap::new(),
            diagnostics: Vec::new(),
            lenient: false,
            depth: 0,
            overrides: Vec::new(),
        }
    }

    /// Corrections for properties; `pointer` maps each one's pointer, as written against the
    /// spec, to the document as read (a Swagger 2.0 `#/definitions/…` is
    /// `#/components/schemas/…` here).
    pub fn set_overrides(
        &mut self,
        overrides: &'a [crate::settings::Override],
        pointer: impl Fn(&str) -> String,
    ) {
        self.overrides = overrides
            .iter()
            .map(|o| (o, pointer(&o.pointer), false))
            .collect();
    }

    /// The overrides no property took: the spec changed under them.
    pub fn unused_overrides(&self) -> impl Iterator<Item = &'a crate::settings::Override> + '_ {
        self.overrides
            .iter()
            .filter(|(_, _, used)| !used)
            .map(|(o, _, _)| *o)
    }

    /// Applies an override to the property at `at`: its new type, or whether it reads
    /// tolerantly.
    fn override_property(&mut self, at: &Pointer, ty: &mut TypeRef) -> Conv<bool> {
        use crate::settings::OverrideKind;
        let Some(entry) = self.overrides.iter_mut().find(|(_, p, _)| p == at.as_str()) else {
            return Ok(false);
        };
        entry.2 = true;
        let change = &entry.0.change;
        match change {
            OverrideKind::Type(name) => {
                *ty = match name.as_str() {
                    "i64" => TypeRef::I64,
                    "f64" => TypeRef::F64,
                    "String" => TypeRef::String,
                    "bool" => TypeRef::Bool,
                    "json" => TypeRef::Json,
                    schema => match self.components.get(schema) {
                        Some(rust) => TypeRef::Named(rust.clone()),
                        None => {
                            return Err(self.error(
                                at,
                                format!(
                                    "the override's type `{schema}` is neither one of {} nor a schema of this spec",
                                    crate::settings::OVERRIDE_SCALARS.join(", ")
                                ),
                            ));
                        }
                    },
                };
                Ok(false)
            }
            OverrideKind::Tolerant => match ty {
                TypeRef::String | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64 => {
                    Ok(true)
                }
                _ => Err(self.error(
                    at,
                    "a tolerant override applies to a string or number property; set its `type` instead",
                )),
            },
        }
    }

    pub fn error(&self, pointer: &Pointer, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: self.file.to_owned(),
            pointer: pointer.to_string(),
            line_col: None,
            message: message.into(),
        }
    }

    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    pub fn warn(&mut self, pointer: &Pointer, message: impl Into<String>) {
        let mut d = self.error(pointer, message);
        d.severity = Severity::Warning;
        self.diagnostics.push(d);
    }

    /// A fresh name in the type namespace for a type we make up (an inline schema's, named
    /// from where it sits): at most 60 characters, its last words kept, since they say what
    /// it is and the first ones only where (`BodyPaymentMethodOptionsUsBankAccount…Speed` →
    /// `MethodOptionsUsBankAccountVariant1PreferredSettlementSpeed`).
    pub fn type_name(&mut self, raw: &str) -> String {
        let name = pascal_ident(raw, "Type");
        let name = super::names::last_words(&name, MAX_DERIVED_NAME)
            .filter(|short| !self.names.contains(short))
            .unwrap_or(name);
        self.names.unique(name)
    }

    /// A component schema's name, as the spec writes it (however long).
    fn component_name(&mut self, raw: &str) -> String {
        self.names.unique(pascal_ident(raw, "Type"))
    }

    /// A new untagged union of `types`, for a position that may hold any of them.
    pub fn define_union(&mut self, hint: &str, types: Vec<TypeRef>) -> TypeRef {
        let name = self.type_name(hint);
        let mut names = Scope::new();
        let variants = types
            .into_iter()
            .map(|ty| UnionVariant {
                name: names.unique(variant_name(&ty)),
                ty,
                tags: Vec::new(),
                boxed: false,
            })
            .collect();
        let fallback = fallback_name(&mut names);
        self.push(
            name.clone(),
            None,
            TypeKind::Union {
                variants,
                discriminator: None,
                fallback,
                tag_outside: false,
            },
        );
        TypeRef::Named(name)
    }

    /// A new enum of an operation's error bodies by status.
    pub fn define_error_union(
        &mut self,
        hint: &str,
        variants: Vec<super::StatusVariant>,
    ) -> TypeRef {
        let name = self.type_name(hint);
        let doc = "An error body as documented for the status the server answered with \
                   (an undocumented status keeps only the raw text)."
            .to_owned();
        self.push(name.clone(), Some(doc), TypeKind::ErrorUnion { variants });
        TypeRef::Named(name)
    }

    /// Whether values of `ty` have a plain text form (for path, query and header values).
    pub fn is_scalar(&self, ty: &TypeRef) -> bool {
        super::is_scalar_in(&self.types, ty)
    }

    /// The Rust names of the component schemas (the others were made for inline schemas).
    /// The type a component schema became, as a reference.
    pub fn component_type(&self, key: &str) -> Option<TypeRef> {
        self.components.get(key).cloned().map(TypeRef::Named)
    }

    pub fn component_names(&self) -> HashSet<String> {
        self.components.values().cloned().collect()
    }

    pub fn finish(self) -> (Vec<TypeDef>, Vec<Diagnostic>) {
        (self.types, self.diagnostics)
    }

    /// Gives every component schema its name, in spec order, before any is converted.
    pub fn declare_components(&mut self) {
        let Some(components) = &self.api.components else {
            return;
        };
        for key in components.schemas.keys() {
            let name = self.component_name(key);
            self.components.insert(key.as_str(), name);
        }
    }

    pub fn convert_components(&mut self) {
        let Some(components) = &self.api.components else {
            return;
        };
        let base = Pointer::root().join("components").join("schemas");
        for (key, schema) in &components.schemas {
            let pointer = base.join(key);
            let name = self.components[key.as_str()].clone();
            let result = match schema {
                ReferenceOr::Reference { reference } => self
                    .resolve_schema_ref(reference, &pointer)
                    .map(|target| self.push(name, None, TypeKind::Alias(target))),
                ReferenceOr::Item(schema) => self.define(name, schema, &pointer),
            };
            if let Err(mut d) = result {
                if self.lenient {
                    d.severity = Severity::Warning;
                    d.message
                        .push_str(" (read as any JSON value under --lenient)");
                    let name = self.components[key.as_str()].clone();
                    self.push(name, None, TypeKind::Alias(TypeRef::Json));
                }
                self.report(d);
            }
        }
    }

    fn push(&mut self, name: String, docs: Option<String>, kind: TypeKind) {
        self.types.push(TypeDef {
            name,
            docs,
            kind,
            required_record: None,
            error_body: false,
        });
    }

    /// Defines the named type `name` from `schema`: a struct, an enum, or an alias.
    fn define(&mut self, name: String, schema: &'a Schema, pointer: &Pointer) -> Conv<()> {
        let docs = docs_of(schema);
        if let Some(kind) = self.named_kind(&name, schema, pointer)? {
            self.push(name, docs, kind);
        } else {
            let target = self.inline_type(&name, schema, pointer)?;
            self.push(name, docs, TypeKind::Alias(target));
        }
        Ok(())
    }

    /// The kind of a schema that needs a type of its own (object with properties, string
    /// enum, composition), or `None` when it maps to an existing Rust type.
    fn named_kind(
        &mut self,
        name: &str,
        schema: &'a Schema,
        pointer: &Pointer,
    ) -> Conv<Option<TypeKind>> {
        if is_tuple(schema) {
            return Ok(None);
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                let values: Vec<&str> =
                    s.enumeration.iter().flatten().map(String::as_str).collect();
                let mut kind = string_enum(&values);
                if let TypeKind::StringEnum { variants, .. } = &mut kind {
                    let docs = value_docs(schema);
                    for v in variants.iter_mut() {
                        let at = values.iter().position(|x| *x == v.wire);
                        v.docs = at.and_then(|i| docs.get(i).cloned().flatten());
                    }
                }
                Ok(Some(kind))
            }
            SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => {
                let own = Own {
                    properties: &o.properties,
                    required: &o.required,
                    additional: o.additional_properties.as_ref(),
                };
                self.object_kind(name, own, &[], pointer).map(Some)
            }
            SchemaKind::Type(Type::Integer(i)) if !i.enumeration.is_empty() => {
                let mut names = Scope::new();
                let mut variants: Vec<(String, i64)> = Vec::new();
                let mut docs = Vec::new();
                let described = value_docs(schema);
                for (at, value) in i.enumeration.iter().enumerate() {
                    let Some(value) = value else { continue };
                    if variants.iter().all(|(_, v)| v != value) {
                        docs.push(described.get(at).cloned().flatten());
                        let raw = if *value < 0 {
                            format!("Minus {}", value.unsigned_abs())
                        } else {
                            format!("V{value}")
                        };
                        variants.push((names.unique(pascal_ident(&raw, "Value")), *value));
                    }
                }
                let fallback = fallback_name(&mut names);
                Ok(Some(TypeKind::IntEnum {
                    variants,
                    fallback,
                    docs,
                }))
            }
            SchemaKind::AllOf { all_of } => self.all_of_kind(name, Own::none(), all_of, pointer),
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
                self.union_kind(name, schema, members, pointer)
            }
            SchemaKind::Any(any) => {
                let own = Own {
                    properties: &any.properties,
                    required: &any.required,
                    additional: any.additional_properties.as_ref(),
                };
                if !any.all_of.is_empty() {
                    return self.all_of_kind(name, own, &any.all_of, pointer);
                }
                let members = if any.one_of.is_empty() {
                    &any.any_of
                } else {
                    &any.one_of
                };
                if !members.is_empty() {
                    if any.properties.is_empty() {
                        return self.union_kind(name, schema, members, pointer);
                    }
                    // Properties beside a oneOf/anyOf: a struct with the union flattened in.
                    let union_name = self.type_name(&format!("{name} Variant"));
                    if let Some(kind) = self.union_kind(&union_name, schema, members, pointer)? {
                        self.push(union_name.clone(), None, kind);
                        let union = TypeRef::Named(union_name);
                        return self.object_kind(name, own, &[union], pointer).map(Some);
                    }
                    return self.object_kind(name, own, &[], pointer).map(Some);
                }
                if !any.properties.is_empty() {
                    return self.object_kind(name, own, &[], pointer).map(Some);
                }
                Ok(None)
            }
            _ => Ok(None),
        }
    }

    /// A schema that constrains nothing (only a description, say).
    fn is_empty_schema(&self, schema: &ReferenceOr<Schema>) -> bool {
        match schema {
            ReferenceOr::Reference { .. } => false,
            ReferenceOr::Item(s) => match &s.schema_kind {
                SchemaKind::Any(any) => {
                    is_plain_object(any)
                        && any.typ.is_none()
                        && any.properties.is_empty()
                        && any.additional_properties.is_none()
                        && any.items.is_none()
                        && any.enumeration.is_empty()
                        && any.format.is_none()
                }
                _ => false,
            },
        }
    }

    /// Follows `$ref`s (and refs to refs) to the schema they name.
    fn resolve_schema(
        &self,
        schema: &'a ReferenceOr<Schema>,
        at: &Pointer,
    ) -> Conv<(&'a Schema, Pointer)> {
        let mut current = schema;
        let mut at = at.clone();
        for _ in 0..32 {
            match current {
                ReferenceOr::Item(schema) => return Ok((schema, at)),
                ReferenceOr::Reference { reference } => {
                    self.resolve_schema_ref(reference, &at)?;
                    let key = reference
                        .trim_start_matches("#/components/schemas/")
                        .replace("~1", "/")
                        .replace("~0", "~");
                    current = self
                        .api
                        .components
                        .as_ref()
                        .and_then(|c| c.schemas.get(&key))
                        .ok_or_else(|| {
                            self.error(
                                &at,
                                format!(
                                    "`$ref: {reference}` points to a schema that does not exist"
                                ),
                            )
                        })?;
                    at = Pointer::root()
                        .join("components")
                        .join("schemas")
                        .join(&key);
                }
            }
        }
        Err(self.error(&at, "`$ref` chain is too long or cyclic"))
    }

    fn object_kind(
        &mut self,
        parent: &str,
        own: Own<'a>,
        unions: &[TypeRef],
        pointer: &Pointer,
    ) -> Conv<TypeKind> {
        let mut merged = Merged::default();
        merged.add_own(own, pointer);
        self.merged_struct(parent, merged, unions, pointer)
    }

    /// The type of a schema in some position; `hint` names any type it must create.
    pub fn type_of(
        &mut self,
        hint: &str,
        schema: &'a ReferenceOr<Schema>,
        pointer: &Pointer,
    ) -> Conv<TypeRef> {
        let result = match schema {
            ReferenceOr::Reference { reference } => self.resolve_schema_ref(reference, pointer),
            ReferenceOr::Item(schema) => self.type_of_schema(hint, schema, pointer),
        };
        self.recover(result)
    }

    /// With `--lenient`, a schema openapi-gen cannot express becomes any JSON value, with a
    /// warning; otherwise the error stands.
    fn recover(&mut self, result: Conv<TypeRef>) -> Conv<TypeRef> {
        match result {
            Err(mut d) if self.lenient => {
                d.severity = Severity::Warning;
                d.message
                    .push_str(" (read as any JSON value under --lenient)");
                self.diagnostics.push(d);
                Ok(TypeRef::Json)
            }
            other => other,
        }
    }

    fn type_of_boxed(
        &mut self,
        hint: &str,
        schema: &'a ReferenceOr<Box<Schema>>,
        pointer: &Pointer,
    ) -> Conv<TypeRef> {
        let result = match schema {
            ReferenceOr::Reference { reference } => self.resolve_schema_ref(reference, pointer),
            ReferenceOr::Item(schema) => self.type_of_schema(hint, schema, pointer),
        };
        self.recover(result)
    }

    pub fn type_of_schema(
        &mut self,
        hint: &str,
        schema: &'a Schema,
        pointer: &Pointer,
    ) -> Conv<TypeRef> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(
                pointer,
                format!("schemas nest more than {MAX_DEPTH} levels deep here (an `allOf` that includes itself, or a hostile document)"),
            ));
        }
        self.depth += 1;
        let result = self.type_of_schema_inner(hint, schema, pointer);
        self.depth -= 1;
        self.recover(result)
    }

    fn type_of_schema_inner(
        &mut self,
        hint: &str,
        schema: &'a Schema,
        pointer: &Pointer,
    ) -> Conv<TypeRef> {
        let name_hint = pascal_ident(hint, "Type");
        match self.named_kind(&name_hint, schema, pointer) {
            Ok(Some(kind)) => {
                let name = self.type_name(hint);
                self.push(name.clone(), docs_of(schema), kind);
                Ok(TypeRef::Named(name))
            }
            Ok(None) => self.inline_type(hint, schema, pointer),
            Err(d) => Err(d),
        }
    }

    /// Schemas that map onto Rust types without a definition of their own.
    fn inline_type(&mut self, hint: &str, schema: &'a Schema, pointer: &Pointer) -> Conv<TypeRef> {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => Ok(match &s.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid" => TypeRef::Uuid,
                VariantOrUnknownOrEmpty::Unknown(f) if f == "base64" => TypeRef::Base64,
                _ => TypeRef::String,
            }),
            SchemaKind::Type(Type::Integer(i)) => Ok(match i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            }),
            SchemaKind::Type(Type::Number(n)) => Ok(match n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            }),
            SchemaKind::Type(Type::Boolean(_)) => Ok(TypeRef::Bool),
            SchemaKind::Type(Type::Array(a)) => {
                let item = match &a.items {
                    Some(items) => {
                        self.type_of_boxed(&format!("{hint} Item"), items, &pointer.join("items"))?
                    }
                    None => TypeRef::Json,
                };
                Ok(TypeRef::Vec(Box::new(item)))
            }
            SchemaKind::Type(Type::Object(o)) if is_tuple(schema) => {
                let mut items = Vec::with_capacity(o.properties.len());
                for (i, (key, member)) in o.properties.iter().enumerate() {
                    let at = pointer.join("prefixItems").join(i);
                    let _ = key;
                    items.push(self.type_of_boxed(&format!("{hint} {i}"), member, &at)?);
                }
                Ok(TypeRef::Tuple(items))
            }
            SchemaKind::Type(Type::Object(o)) => {
                self.map_type(hint, o.additional_properties.as_ref(), pointer)
            }
            // openapiv3 reads a typed schema with a keyword foreign to its type (a string with
            // `uniqueItems`, say) as untyped; `type` still says what it is.
            SchemaKind::Any(any) if is_plain_object(any) => Ok(match any.typ.as_deref() {
                Some("string") => match any.format.as_deref() {
                    Some("date-time") => TypeRef::DateTime,
                    Some("date") => TypeRef::Date,
                    Some("uuid") => TypeRef::Uuid,
                    Some("base64") => TypeRef::Base64,
                    _ => TypeRef::String,
                },
                Some("integer") => match any.format.as_deref() {
                    Some("int32") => TypeRef::I32,
                    _ => TypeRef::I64,
                },
                Some("number") => match any.format.as_deref() {
                    Some("float") => TypeRef::F32,
                    _ => TypeRef::F64,
                },
                Some("boolean") => TypeRef::Bool,
                Some("array") => {
                    let item = match &any.items {
                        Some(items) => self.type_of_boxed(
                            &format!("{hint} Item"),
                            items,
                            &pointer.join("items"),
                        )?,
                        None => TypeRef::Json,
                    };
                    TypeRef::Vec(Box::new(item))
                }
                Some("object") => {
                    self.map_type(hint, any.additional_properties.as_ref(), pointer)?
                }
                _ if any.additional_properties.is_some() => {
                    self.map_type(hint, any.additional_properties.as_ref(), pointer)?
                }
                _ => TypeRef::Json,
            }),
            // Scalars that only add constraints, or one meaningful member (named_kind made a
            // type otherwise).
            SchemaKind::AllOf { all_of: members } => {
                if let Some(ScalarAllOf::Scalar(ty)) = self.scalar_all_of(members, pointer)? {
                    return Ok(ty);
                }
                self.single_member(hint, members, "allOf", pointer)
            }
            SchemaKind::OneOf { one_of: members } => {
                self.single_member(hint, members, "oneOf", pointer)
            }
            SchemaKind::AnyOf { any_of: members } => {
                self.single_member(hint, members, "anyOf", pointer)
            }
            SchemaKind::Any(any) if !any.all_of.is_empty() => {
                if let Some(ScalarAllOf::Scalar(ty)) = self.scalar_all_of(&any.all_of, pointer)? {
                    return Ok(ty);
                }
                self.single_member(hint, &any.all_of, "allOf", pointer)
            }
            SchemaKind::Any(any) if !any.one_of.is_empty() => {
                self.single_member(hint, &any.one_of, "oneOf", pointer)
            }
            SchemaKind::Any(any) if !any.any_of.is_empty() => {
                self.single_member(hint, &any.any_of, "anyOf", pointer)
            }
            SchemaKind::Not { .. } | SchemaKind::Any(_) => {
                self.warn(
                    pointer,
                    "`not` cannot be expressed as a Rust type; it is read as any JSON value",
                );
                Ok(TypeRef::Json)
            }
        }
    }

    fn single_member(
        &mut self,
        hint: &str,
        members: &'a [ReferenceOr<Schema>],
        keyword: &str,
        pointer: &Pointer,
    ) -> Conv<TypeRef> {
        match members
            .iter()
            .enumerate()
            .find(|(_, m)| !self.is_empty_schema(m))
        {
            Some((i, member)) => self.type_of(hint, member, &pointer.join(keyword).join(i)),
            None => Ok(TypeRef::Json),
        }
    }

    fn map_type(
        &mut self,
        hint: &str,
        additional: Option<&'a AdditionalProperties>,
        pointer: &Pointer,
    ) -> Conv<TypeRef> {
        let value = match additional {
            Some(AdditionalProperties::Schema(schema)) => self.type_of(
                &format!("{hint} Value"),
                schema,
                &pointer.join("additionalProperties"),
            )?,
            _ => TypeRef::Json,
        };
        Ok(TypeRef::Map(Box::new(value)))
    }

    /// `#/components/schemas/X` → the named type `X`.
    pub fn resolve_schema_ref(&self, reference: &str, pointer: &Pointer) -> Conv<TypeRef> {
        let key = reference
            .strip_prefix("#/components/schemas/")
            .filter(|k| !k.contains('/'))
            .ok_or_else(|| {
                self.error(
                    pointer,
                    format!("`$ref: {reference}` is not supported: only local refs to #/components/schemas/<name> are"),
                )
            })?;
        let key = key.replace("~1", "/").replace("~0", "~");
        self.components
            .get(key.as_str())
            .map(|name| TypeRef::Named(name.clone()))
            .ok_or_else(|| {
                self.error(
                    pointer,
                    format!("`$ref: {reference}` points to a schema that does not exist"),
                )
            })
    }
}

/// The 3.1 reader writes a fixed `prefixItems` as an object of its members marked `x-tuple`.
fn is_tuple(schema: &Schema) -> bool {
    schema.schema_data.extensions.contains_key("x-tuple")
}

/// What an `allOf` of scalars is.
enum ScalarAllOf {
    /// A string enum of these values (the intersection of the members' enums).
    Enum(Vec<String>),
    Scalar(TypeRef),
}

/// An untyped schema that still only uses object keywords (no composition).
fn is_plain_object(any: &openapiv3::AnySchema) -> bool {
    any.one_of.is_empty() && any.all_of.is_empty() && any.any_of.is_empty() && any.not.is_none()
}

fn string_enum(values: &[&str]) -> TypeKind {
    let mut names = Scope::new();
    let mut variants: Vec<EnumVariant> = Vec::with_capacity(values.len());
    for value in values {
        // A value listed twice (seen in real specs) needs one variant, not two.
        if variants.iter().any(|v| v.wire == *value) {
            continue;
        }
        variants.push(EnumVariant {
            name: names.unique(pascal_ident(value, "Empty")),
            wire: (*value).to_owned(),
            docs: None,
        });
    }
    let fallback = fallback_name(&mut names);
    TypeKind::StringEnum { variants, fallback }
}

/// The variant that keeps values the spec does not list: `Unknown` unless a listed value
/// took that name.
/// The one string a required, non-null property of `object` can hold (`enum: [x]`).
fn single_value<'a>(object: &'a ObjectType, property: &str) -> Option<&'a str> {
    if !object.required.iter().any(|r| r == property) {
        return None;
    }
    let ReferenceOr::Item(schema) = object.properties.get(property)? else {
        return None;
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) if !schema.schema_data.nullable => {
            match s.enumeration.as_slice() {
                [Some(value)] => Some(value.as_str()),
                _ => None,
            }
        }
        _ => None,
    }
}

fn fallback_name(names: &mut Scope) -> String {
    ["Unknown", "UnknownValue", "Other"]
        .into_iter()
        .map(str::to_owned)
        .find(|candidate| !names.contains(candidate))
        .map(|free| names.unique(free))
        .unwrap_or_else(|| names.unique("Unknown".to_owned()))
}

/// A union variant is named for the type it holds.
pub(super) fn variant_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::String => "String".into(),
        TypeRef::Bool => "Boolean".into(),
        TypeRef::I32 | TypeRef::I64 => "Integer".into(),
        TypeRef::F32 | TypeRef::F64 => "Number".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::Uuid => "Uuid".into(),
        TypeRef::Json => "Value".into(),
        TypeRef::Vec(item) => format!("{}List", variant_name(item)),
        TypeRef::Tuple(_) => "Tuple".into(),
        TypeRef::Map(value) => format!("{}Map", variant_name(value)),
        TypeRef::Unit => "Empty".into(),
        TypeRef::Bytes => "Bytes".into(),
        TypeRef::Base64 => "Base64".into(),
        TypeRef::Multipart => "Multipart".into(),
    }
}
