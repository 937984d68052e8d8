//! `allOf`: members merged into one struct (each schema once), or a scalar refined by its
//! members.

use super::*;

impl<'a> TypeContext<'a> {
    /// `allOf`: one struct with every member's properties (later members win a clash),
    /// unions among the members flattened in. Collapses to the member's own type when only
    /// one member says anything (`allOf: [$ref]` beside a description is common).
    pub(super) fn all_of_kind(
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

    pub(super) fn merge_member(
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

    pub(super) fn merged_struct(
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

    /// `allOf` whose members are all scalars of one type or bare constraints (`format`,
    /// `minimum`, `maxLength`…): that scalar, and for string enums the values every
    /// enum member allows. `None` when any member is something else.
    pub(super) fn scalar_all_of(
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
}

/// The object keywords of one schema.
#[derive(Clone, Copy)]
pub(super) struct Own<'a> {
    pub(super) properties: &'a IndexMap<String, ReferenceOr<Box<Schema>>>,
    pub(super) required: &'a [String],
    pub(super) additional: Option<&'a AdditionalProperties>,
}

static NO_PROPERTIES: std::sync::LazyLock<IndexMap<String, ReferenceOr<Box<Schema>>>> =
    std::sync::LazyLock::new(IndexMap::new);

impl Own<'static> {
    /// No properties of its own (a bare `allOf`).
    pub(super) fn none() -> Self {
        Own {
            properties: &NO_PROPERTIES,
            required: &[],
            additional: None,
        }
    }
}

/// Where one `allOf`'s members are merged into, and which schemas it has merged already.
pub(super) struct MergeStep<'s, 'a> {
    pub(super) merged: &'s mut Merged<'a>,
    pub(super) others: &'s mut usize,
    pub(super) seen: &'s mut HashSet<usize>,
}

/// Properties gathered from several schemas (`allOf`), in first-seen order.
#[derive(Default)]
pub(super) struct Merged<'a> {
    pub(super) properties: IndexMap<String, (&'a ReferenceOr<Box<Schema>>, Pointer)>,
    pub(super) required: Vec<String>,
    pub(super) additional: Option<(&'a AdditionalProperties, Pointer)>,
    pub(super) unions: Vec<TypeRef>,
}

impl<'a> Merged<'a> {
    pub(super) fn add_own(&mut self, own: Own<'a>, at: &Pointer) {
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
