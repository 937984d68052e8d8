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

    /// A fresh name in the type namespace.
    pub fn type_name(&mut self, raw: &str) -> String {
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

    /// `allOf`: one struct with every member's properties (later members win a clash),
    /// unions among the members flattened in. Collapses to the member's own type when only
    /// one member says anything (`allOf: [$ref]` beside a description is common).
    fn all_of_kind(
        &mut self,
        name: &str,
        own: Own<'a>,
        members: &'a [ReferenceOr<Schema>],
        pointer: &Pointer,
    ) -> Conv<Option<TypeKind>> {
        if own.properties.is_empty() && own.additional.is_none() {
            match self.scalar_all_of(members, pointer)? {
                Some(ScalarAllOf::Enum(values)) => {
                    let values: Vec<&str> = values.iter().map(String::as_str).collect();
                    return Ok(Some(string_enum(&values)));
                }
                // inline_type reads it as the scalar.
                Some(ScalarAllOf::Scalar(_)) => return Ok(None),
                None => {}
            }
        }
        let meaningful = members.iter().filter(|m| !self.is_empty_schema(m)).count();
        if own.properties.is_empty() && own.additional.is_none() && meaningful <= 1 {
            // The schema is its one meaningful member; inline_type refers to it.
            return Ok(None);
        }
        let mut merged = Merged::default();
        merged.add_own(own, pointer);
        let mut others = 0;
        let mut seen = HashSet::new();
        for (i, member) in members.iter().enumerate() {
            let at = pointer.join("allOf").join(i);
            let mut step = MergeStep {
                merged: &mut merged,
                others: &mut others,
                seen: &mut seen,
            };
            self.merge_member(name, member, &at, &mut step, 0)?;
        }
        if merged.properties.is_empty()
            && merged.unions.len() + others <= 1
            && merged.additional.is_none()
        {
            // Nothing to merge: the schema is its one meaningful member.
            return Ok(None);
        }
        if others > 0 {
            return Err(self.error(
                pointer,
                "allOf mixes objects with non-object schemas; no Rust type is both",
            ));
        }
        let unions = std::mem::take(&mut merged.unions);
        self.merged_struct(name, merged, &unions, pointer).map(Some)
    }

    fn merge_member(
        &mut self,
        name: &str,
        member: &'a ReferenceOr<Schema>,
        at: &Pointer,
        step: &mut MergeStep<'_, 'a>,
        depth: usize,
    ) -> Conv<()> {
        if depth > 32 {
            return Err(self.error(at, "allOf nests too deep (or refers to itself)"));
        }
        let (schema, at) = self.resolve_schema(member, at)?;
        // A schema reached twice (`allOf: [$ref A, $ref A]` at every level) adds nothing
        // the second time; following it again made merging exponential in the depth.
        if !step.seen.insert(std::ptr::from_ref(schema) as usize) {
            return Ok(());
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => step.merged.add_own(
                Own {
                    properties: &o.properties,
                    required: &o.required,
                    additional: o.additional_properties.as_ref(),
                },
                &at,
            ),
            SchemaKind::AllOf { all_of } => {
                for (i, m) in all_of.iter().enumerate() {
                    self.merge_member(name, m, &at.join("allOf").join(i), step, depth + 1)?;
                }
            }
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => {
                let ty = self.type_of(&format!("{name} Variant"), member, &at)?;
                step.merged.unions.push(ty);
            }
            SchemaKind::Any(any) => {
                step.merged.add_own(
                    Own {
                        properties: &any.properties,
                        required: &any.required,
                        additional: any.additional_properties.as_ref(),
                    },
                    &at,
                );
                for (i, m) in any.all_of.iter().enumerate() {
                    self.merge_member(name, m, &at.join("allOf").join(i), step, depth + 1)?;
                }
                if !any.one_of.is_empty() || !any.any_of.is_empty() {
                    let ty = self.type_of(&format!("{name} Variant"), member, &at)?;
                    step.merged.unions.push(ty);
                }
                if is_plain_object(any)
                    && any.properties.is_empty()
                    && any.additional_properties.is_none()
                    && any.typ.as_deref().is_some_and(|t| t != "object")
                {
                    *step.others += 1;
                }
            }
            _ => *step.others += 1,
        }
        Ok(())
    }

    /// `oneOf`/`anyOf` → an enum of the member types; one meaningful member collapses to it.
    fn union_kind(
        &mut self,
        name: &str,
        schema: &'a Schema,
        members: &'a [ReferenceOr<Schema>],
        pointer: &Pointer,
    ) -> Conv<Option<TypeKind>> {
        // The keyword the members sit under, for pointers.
        let keyword = match &schema.schema_kind {
            SchemaKind::AnyOf { .. } => "anyOf",
            SchemaKind::Any(any) if any.one_of.is_empty() => "anyOf",
            _ => "oneOf",
        };
        let meaningful: Vec<(usize, &'a ReferenceOr<Schema>)> = members
            .iter()
            .enumerate()
            .filter(|(_, m)| !self.is_empty_schema(m))
            .collect();
        if meaningful.len() <= 1 {
            return Ok(None);
        }
        let discriminator = schema.schema_data.discriminator.as_ref();
        if discriminator.is_none()
            && keyword == "oneOf"
            && let Some(kind) = self.implicitly_tagged(name, &meaningful, keyword, pointer)?
        {
            return Ok(Some(kind));
        }
        let mut names = Scope::new();
        let mut variants = Vec::with_capacity(meaningful.len());
        let mut all_tagged = discriminator.is_some();
        for (i, member) in meaningful {
            let at = pointer.join(keyword).join(i);
            let ty = self.type_of(&format!("{name} Variant {}", i + 1), member, &at)?;
            if variants.iter().any(|v: &UnionVariant| v.ty == ty) {
                continue;
            }
            let mut tags = Vec::new();
            if let (Some(d), ReferenceOr::Reference { reference }) = (discriminator, member) {
                tags.extend(
                    d.mapping
                        .iter()
                        .filter(|(_, r)| *r == reference)
                        .map(|(tag, _)| tag.clone()),
                );
                if tags.is_empty() {
                    tags.extend(reference.rsplit('/').next().map(str::to_owned));
                }
            }
            all_tagged &= !tags.is_empty();
            // An inline member's type is named `{Union}Variant{n}`; the variant is `Variant{n}`.
            let full = variant_name(&ty);
            let short = full
                .strip_prefix(name)
                .filter(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()));
            let variant = names.unique(short.unwrap_or(&full).to_owned());
            variants.push(UnionVariant {
                name: variant,
                ty,
                tags,
                boxed: false,
            });
        }
        let fallback = fallback_name(&mut names);
        Ok(Some(TypeKind::Union {
            variants,
            discriminator: discriminator
                .filter(|_| all_tagged)
                .map(|d| d.property_name.clone()),
            fallback,
            tag_outside: false,
        }))
    }

    /// A `oneOf` whose members are all inline objects requiring one property that holds a
    /// single string, a different one in each (`{"state": "attaching", "instance": …}`,
    /// `{"state": "creating"}`): a tagged union. Each member becomes a struct of its other
    /// properties named for its tag (or a variant without fields), instead of a
    /// `{Union}Variant{n}` struct holding a one-value enum of its own.
    fn implicitly_tagged(
        &mut self,
        name: &str,
        members: &[(usize, &'a ReferenceOr<Schema>)],
        keyword: &str,
        pointer: &Pointer,
    ) -> Conv<Option<TypeKind>> {
        let objects: Option<Vec<(usize, &'a Schema, &'a ObjectType)>> = members
            .iter()
            .map(|(i, member)| match member {
                ReferenceOr::Item(schema) => match &schema.schema_kind {
                    SchemaKind::Type(Type::Object(o)) => Some((*i, schema, o)),
                    _ => None,
                },
                ReferenceOr::Reference { .. } => None,
            })
            .collect();
        let Some(objects) = objects else {
            return Ok(None);
        };
        let Some((_, _, first)) = objects.first() else {
            return Ok(None);
        };
        let tags_for = |property: &str| -> Option<Vec<&'a str>> {
            let tags: Vec<&'a str> = objects
                .iter()
                .map(|(_, _, o)| single_value(o, property))
                .collect::<Option<_>>()?;
            let distinct = tags.iter().collect::<std::collections::HashSet<_>>().len();
            (distinct == tags.len()).then_some(tags)
        };
        let Some((property, tags)) = first
            .properties
            .keys()
            .find_map(|p| tags_for(p).map(|tags| (p, tags)))
        else {
            return Ok(None);
        };
        let mut names = Scope::new();
        let mut variants = Vec::with_capacity(objects.len());
        for ((i, schema, object), tag) in objects.iter().zip(tags) {
            let at = pointer.join(keyword).join(i);
            let mut merged = Merged::default();
            merged.add_own(
                Own {
                    properties: &object.properties,
                    required: &object.required,
                    additional: object.additional_properties.as_ref(),
                },
                &at,
            );
            merged.properties.shift_remove(property);
            merged.required.retain(|r| r != property);
            let ty = if merged.properties.is_empty() && merged.additional.is_none() {
                TypeRef::Unit
            } else {
                let type_name = self.type_name(&format!("{name} {tag}"));
                let kind = self.merged_struct(&type_name, merged, &[], &at)?;
                self.push(type_name.clone(), docs_of(schema), kind);
                TypeRef::Named(type_name)
            };
            variants.push(UnionVariant {
                name: names.unique(pascal_ident(tag, "Variant")),
                ty,
                tags: vec![tag.to_owned()],
                boxed: false,
            });
        }
        Ok(Some(TypeKind::Union {
            variants,
            discriminator: Some(property.clone()),
            fallback: fallback_name(&mut names),
            tag_outside: true,
        }))
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

    fn merged_struct(
        &mut self,
        parent: &str,
        merged: Merged<'a>,
        unions: &[TypeRef],
        _pointer: &Pointer,
    ) -> Conv<TypeKind> {
        let mut fields = Vec::with_capacity(merged.properties.len() + unions.len() + 1);
        let mut field_names = Scope::new();
        for (wire, (prop, at)) in &merged.properties {
            let hint = format!("{parent} {wire}");
            let (mut ty, nullable, one_way, docs) = match prop {
                ReferenceOr::Reference { reference } => {
                    let target = self.resolve_schema_ref(reference, at);
                    (self.recover(target)?, false, false, None)
                }
                ReferenceOr::Item(schema) => (
                    self.type_of_schema(&hint, schema, at)?,
                    schema.schema_data.nullable,
                    schema.schema_data.read_only || schema.schema_data.write_only,
                    field_docs(schema),
                ),
            };
            let tolerant = self.override_property(at, &mut ty)?;
            fields.push(Field {
                name: field_names.unique(snake_ident(wire, "field")),
                wire: wire.clone(),
                ty,
                // A read-only field is absent from requests and a write-only one from
                // responses, so neither can be required of both.
                required: merged.required.iter().any(|r| r == wire) && !one_way,
                nullable,
                docs,
                flatten: false,
                boxed: false,
                double_option: false,
                tolerant,
                features: None,
            });
        }
        for (i, union) in unions.iter().enumerate() {
            let candidate = if i == 0 {
                "variant".to_owned()
            } else {
                format!("variant_{}", i + 1)
            };
            fields.push(Field {
                name: field_names.unique(candidate),
                wire: String::new(),
                ty: union.clone(),
                required: true,
                nullable: false,
                docs: Some("The variant part of this type (its `oneOf`/`anyOf`).".to_owned()),
                flatten: true,
                boxed: false,
                double_option: false,
                tolerant: false,
                features: None,
            });
        }
        let extra = match merged.additional {
            Some((AdditionalProperties::Schema(schema), at)) => Some(self.type_of(
                &format!("{parent} Value"),
                schema,
                &at.join("additionalProperties"),
            )?),
            Some((AdditionalProperties::Any(true), _)) => Some(TypeRef::Json),
            Some((AdditionalProperties::Any(false), _)) | None => None,
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
                boxed: false,
                double_option: false,
                tolerant: false,
                features: None,
            });
        }
        Ok(TypeKind::Struct { fields })
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

    /// `allOf` whose members are all scalars of one type or bare constraints (`format`,
    /// `minimum`, `maxLength`…): that scalar, and for string enums the values every
    /// enum member allows. `None` when any member is something else.
    fn scalar_all_of(
        &self,
        members: &'a [ReferenceOr<Schema>],
        pointer: &Pointer,
    ) -> Conv<Option<ScalarAllOf>> {
        let mut leaves = Vec::new();
        let mut pending: Vec<(&'a ReferenceOr<Schema>, usize)> =
            members.iter().map(|m| (m, 0)).collect();
        let mut seen = HashSet::new();
        while let Some((member, depth)) = pending.pop() {
            if depth > 32 {
                return Ok(None);
            }
            let Ok((schema, _)) = self.resolve_schema(member, pointer) else {
                return Ok(None);
            };
            if !seen.insert(std::ptr::from_ref(schema) as usize) {
                continue;
            }
            match &schema.schema_kind {
                SchemaKind::AllOf { all_of } => {
                    pending.extend(all_of.iter().map(|m| (m, depth + 1)))
                }
                kind => leaves.push(kind),
            }
        }
        let mut base: Option<&str> = None;
        let mut format: Option<String> = None;
        let mut enums: Vec<Vec<String>> = Vec::new();
        for kind in leaves.iter().rev() {
            let (this, this_format, values) = match kind {
                SchemaKind::Type(Type::String(s)) => (
                    Some("string"),
                    match &s.format {
                        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => {
                            Some("date-time".to_owned())
                        }
                        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => {
                            Some("date".to_owned())
                        }
                        VariantOrUnknownOrEmpty::Unknown(f) => Some(f.clone()),
                        _ => None,
                    },
                    (!s.enumeration.is_empty())
                        .then(|| s.enumeration.iter().flatten().cloned().collect::<Vec<_>>()),
                ),
                SchemaKind::Type(Type::Integer(i)) => (
                    Some("integer"),
                    matches!(
                        i.format,
                        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32)
                    )
                    .then(|| "int32".to_owned()),
                    None,
                ),
                SchemaKind::Type(Type::Number(n)) => (
                    Some("number"),
                    matches!(n.format, VariantOrUnknownOrEmpty::Item(NumberFormat::Float))
                        .then(|| "float".to_owned()),
                    None,
                ),
                SchemaKind::Type(Type::Boolean(_)) => (Some("boolean"), None, None),
                SchemaKind::Any(any)
                    if is_plain_object(any)
                        && any.properties.is_empty()
                        && any.additional_properties.is_none()
                        && any.items.is_none()
                        && matches!(
                            any.typ.as_deref(),
                            None | Some("string" | "integer" | "number" | "boolean")
                        ) =>
                {
                    let values: Vec<String> = any
                        .enumeration
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect();
                    (
                        any.typ.as_deref(),
                        any.format.clone(),
                        (!values.is_empty()).then_some(values),
                    )
                }
                _ => return Ok(None),
            };
            base = match (base, this) {
                (None, t) | (t, None) => t,
                (Some(a), Some(b)) if a == b => Some(a),
                // An integer is a number; the narrower type holds both.
                (Some("integer"), Some("number")) | (Some("number"), Some("integer")) => {
                    Some("integer")
                }
                _ => return Ok(None),
            };
            if format.is_none() {
                format = this_format;
            }
            enums.extend(values);
        }
        let Some(base) = base else {
            return Ok(None);
        };
        if let Some((first, rest)) = enums.split_first() {
            if base != "string" {
                return Ok(None);
            }
            let common: Vec<String> = first
                .iter()
                .filter(|v| rest.iter().all(|other| other.contains(v)))
                .cloned()
                .collect();
            if common.is_empty() {
                return Err(self.error(
                    pointer,
                    "allOf of string enums that have no value in common; no value is valid",
                ));
            }
            return Ok(Some(ScalarAllOf::Enum(common)));
        }
        let format = format.as_deref();
        Ok(Some(ScalarAllOf::Scalar(match base {
            "string" => match format {
                Some("date-time") => TypeRef::DateTime,
                Some("date") => TypeRef::Date,
                Some("uuid") => TypeRef::Uuid,
                _ => TypeRef::String,
            },
            "integer" => match format {
                Some("int32") => TypeRef::I32,
                _ => TypeRef::I64,
            },
            "number" => match format {
                Some("float") => TypeRef::F32,
                _ => TypeRef::F64,
            },
            _ => TypeRef::Bool,
        })))
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

/// Per-value descriptions (`x-enum-descriptions`, which the 3.1 reader makes of a `oneOf` of
/// documented constants), by position in `enum`.
fn value_docs(schema: &Schema) -> Vec<Option<String>> {
    match schema.schema_data.extensions.get("x-enum-descriptions") {
        Some(serde_json::Value::Array(docs)) => {
            docs.iter().map(|d| d.as_str().map(str::to_owned)).collect()
        }
        _ => Vec::new(),
    }
}

/// A property's docs: its description, then what the schema adds (default, direction).
fn field_docs(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    let mut notes = Vec::new();
    if let Some(default) = &data.default {
        notes.push(format!(
            "Defaults to `{}` when absent.",
            default.to_string().replace('`', "'")
        ));
    }
    if data.read_only {
        notes.push("Read-only: set by the server, ignored in requests.".to_owned());
    }
    if data.write_only {
        notes.push("Write-only: sent in requests, never returned.".to_owned());
    }
    if data.deprecated {
        notes.push("Deprecated.".to_owned());
    }
    let base = docs_of(schema);
    if notes.is_empty() {
        return base;
    }
    let notes = notes.join(" ");
    Some(match base {
        Some(text) => format!("{text}\n\n{notes}"),
        None => notes,
    })
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

/// The object keywords of one schema.
#[derive(Clone, Copy)]
struct Own<'a> {
    properties: &'a IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: &'a [String],
    additional: Option<&'a AdditionalProperties>,
}

static NO_PROPERTIES: std::sync::LazyLock<IndexMap<String, ReferenceOr<Box<Schema>>>> =
    std::sync::LazyLock::new(IndexMap::new);

impl Own<'static> {
    /// No properties of its own (a bare `allOf`).
    fn none() -> Self {
        Own {
            properties: &NO_PROPERTIES,
            required: &[],
            additional: None,
        }
    }
}

/// Where one `allOf`'s members are merged into, and which schemas it has merged already.
struct MergeStep<'s, 'a> {
    merged: &'s mut Merged<'a>,
    others: &'s mut usize,
    seen: &'s mut HashSet<usize>,
}

/// Properties gathered from several schemas (`allOf`), in first-seen order.
#[derive(Default)]
struct Merged<'a> {
    properties: IndexMap<String, (&'a ReferenceOr<Box<Schema>>, Pointer)>,
    required: Vec<String>,
    additional: Option<(&'a AdditionalProperties, Pointer)>,
    unions: Vec<TypeRef>,
}

impl<'a> Merged<'a> {
    fn add_own(&mut self, own: Own<'a>, at: &Pointer) {
        for (wire, schema) in own.properties {
            self.properties
                .insert(wire.clone(), (schema, at.join("properties").join(wire)));
        }
        for r in own.required {
            if !self.required.contains(r) {
                self.required.push(r.clone());
            }
        }
        if let Some(additional) = own.additional {
            self.additional = Some((additional, at.clone()));
        }
    }
}
