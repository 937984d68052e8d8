//! Schemas → named types. Component schemas are declared first so `$ref`s resolve to
//! settled names before any type is built; inline objects and enums get names from their
//! parent (`{Parent}{Property}`).

use super::names::{Scope, pascal_ident, snake_ident};
use super::{EnumVariant, Field, TypeDef, TypeKind, TypeRef};
use crate::diagnostics::{Diagnostic, Pointer, Severity};
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, OpenAPI, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};
use std::collections::HashMap;

/// State shared by the IR passes: the document, the type namespace, and the problems seen.
pub struct TypeContext<'a> {
    pub file: &'a str,
    pub api: &'a OpenAPI,
    types: Vec<TypeDef>,
    names: Scope,
    /// Component schema key → its Rust name.
    components: HashMap<&'a str, String>,
    diagnostics: Vec<Diagnostic>,
}

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

    /// A fresh name in the type namespace.
    pub fn type_name(&mut self, raw: &str) -> String {
        self.names.unique(pascal_ident(raw, "Type"))
    }

    /// Whether values of `ty` have a plain text form (for path, query and header values).
    pub fn is_scalar(&self, ty: &TypeRef) -> bool {
        let mut ty = ty;
        // Aliases can chain; the bound stops a cycle the spec may contain.
        for _ in 0..64 {
            match ty {
                TypeRef::Named(name) => {
                    match self.types.iter().find(|t| &t.name == name).map(|t| &t.kind) {
                        Some(TypeKind::StringEnum { .. }) => return true,
                        Some(TypeKind::Alias(target)) => ty = target,
                        _ => return false,
                    }
                }
                TypeRef::Json | TypeRef::Map(_) | TypeRef::Vec(_) | TypeRef::Unit => return false,
                _ => return true,
            }
        }
        false
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
            let name = self.type_name(key);
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
            if let Err(d) = result {
                self.report(d);
            }
        }
    }

    fn push(&mut self, name: String, docs: Option<String>, kind: TypeKind) {
        self.types.push(TypeDef { name, docs, kind });
    }

    /// Defines the named type `name` from `schema`: a struct, an enum, or an alias.
    fn define(&mut self, name: String, schema: &Schema, pointer: &Pointer) -> Conv<()> {
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
    /// enum), or `None` when it maps to an existing Rust type.
    fn named_kind(
        &mut self,
        name: &str,
        schema: &Schema,
        pointer: &Pointer,
    ) -> Conv<Option<TypeKind>> {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                let values: Vec<&str> =
                    s.enumeration.iter().flatten().map(String::as_str).collect();
                Ok(Some(string_enum(&values)))
            }
            SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => self
                .struct_kind(
                    name,
                    &o.properties,
                    &o.required,
                    o.additional_properties.as_ref(),
                    pointer,
                )
                .map(Some),
            SchemaKind::Any(any) if !any.properties.is_empty() && is_plain_object(any) => self
                .struct_kind(
                    name,
                    &any.properties,
                    &any.required,
                    any.additional_properties.as_ref(),
                    pointer,
                )
                .map(Some),
            _ => Ok(None),
        }
    }

    fn struct_kind(
        &mut self,
        parent: &str,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        pointer: &Pointer,
    ) -> Conv<TypeKind> {
        let mut fields = Vec::with_capacity(properties.len());
        let mut field_names = Scope::new();
        for (wire, prop) in properties {
            let at = pointer.join("properties").join(wire);
            let hint = format!("{parent} {wire}");
            let (ty, nullable, docs) = match prop {
                ReferenceOr::Reference { reference } => {
                    (self.resolve_schema_ref(reference, &at)?, false, None)
                }
                ReferenceOr::Item(schema) => (
                    self.type_of_schema(&hint, schema, &at)?,
                    schema.schema_data.nullable,
                    docs_of(schema),
                ),
            };
            fields.push(Field {
                name: field_names.unique(snake_ident(wire, "field")),
                wire: wire.clone(),
                ty,
                required: required.iter().any(|r| r == wire),
                nullable,
                docs,
                flatten: false,
            });
        }
        let extra = match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let at = pointer.join("additionalProperties");
                Some(self.type_of(&format!("{parent} Value"), schema, &at)?)
            }
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Json),
            Some(AdditionalProperties::Any(false)) | None => None,
        };
        if let Some(value) = extra {
            fields.push(Field {
                name: field_names.unique("additional_properties".to_owned()),
                wire: String::new(),
                ty: TypeRef::Map(Box::new(value)),
                required: true,
                nullable: false,
                docs: Some("Properties the schema does not name.".to_owned()),
                flatten: true,
            });
        }
        Ok(TypeKind::Struct { fields })
    }

    /// The type of a schema in some position; `hint` names any type it must create.
    pub fn type_of(
        &mut self,
        hint: &str,
        schema: &ReferenceOr<Schema>,
        pointer: &Pointer,
    ) -> Conv<TypeRef> {
        match schema {
            ReferenceOr::Reference { reference } => self.resolve_schema_ref(reference, pointer),
            ReferenceOr::Item(schema) => self.type_of_schema(hint, schema, pointer),
        }
    }

    fn type_of_boxed(
        &mut self,
        hint: &str,
        schema: &ReferenceOr<Box<Schema>>,
        pointer: &Pointer,
    ) -> Conv<TypeRef> {
        match schema {
            ReferenceOr::Reference { reference } => self.resolve_schema_ref(reference, pointer),
            ReferenceOr::Item(schema) => self.type_of_schema(hint, schema, pointer),
        }
    }

    pub fn type_of_schema(
        &mut self,
        hint: &str,
        schema: &Schema,
        pointer: &Pointer,
    ) -> Conv<TypeRef> {
        let name_hint = pascal_ident(hint, "Type");
        if let Some(kind) = self.named_kind(&name_hint, schema, pointer)? {
            let name = self.type_name(hint);
            self.push(name.clone(), docs_of(schema), kind);
            return Ok(TypeRef::Named(name));
        }
        self.inline_type(hint, schema, pointer)
    }

    /// Schemas that map onto Rust types without a definition of their own.
    fn inline_type(&mut self, hint: &str, schema: &Schema, pointer: &Pointer) -> Conv<TypeRef> {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => Ok(match &s.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid" => TypeRef::Uuid,
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
            SchemaKind::Type(Type::Object(o)) => {
                self.map_type(hint, o.additional_properties.as_ref(), pointer)
            }
            SchemaKind::Any(any) if is_plain_object(any) => {
                if any.typ.as_deref() == Some("object") || any.additional_properties.is_some() {
                    self.map_type(hint, any.additional_properties.as_ref(), pointer)
                } else {
                    Ok(TypeRef::Json)
                }
            }
            SchemaKind::OneOf { .. } => Err(self.unsupported(pointer, "oneOf")),
            SchemaKind::AnyOf { .. } => Err(self.unsupported(pointer, "anyOf")),
            SchemaKind::AllOf { .. } => Err(self.unsupported(pointer, "allOf")),
            SchemaKind::Not { .. } => Err(self.unsupported(pointer, "not")),
            SchemaKind::Any(_) => Err(self.unsupported(
                pointer,
                "a schema mixing object keywords with oneOf/anyOf/allOf/not",
            )),
        }
    }

    fn map_type(
        &mut self,
        hint: &str,
        additional: Option<&AdditionalProperties>,
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

    fn unsupported(&self, pointer: &Pointer, what: &str) -> Diagnostic {
        self.error(pointer, format!("{what} is not supported yet"))
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
        });
    }
    let fallback = ["Unknown", "UnknownValue", "Other"]
        .into_iter()
        .map(str::to_owned)
        .find(|candidate| names.unique(candidate.clone()) == *candidate)
        .unwrap_or_else(|| names.unique("Unknown".to_owned()));
    TypeKind::StringEnum { variants, fallback }
}

fn docs_of(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    match (&data.title, &data.description) {
        (Some(t), Some(d)) => Some(format!("{t}\n\n{d}")),
        (Some(t), None) => Some(t.clone()),
        (None, Some(d)) => Some(d.clone()),
        (None, None) => None,
    }
}
