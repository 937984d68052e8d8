//! `oneOf`/`anyOf`: unions, tagged by a discriminator or recognised as tagged from their
//! members' shapes.

use super::*;

impl<'a> TypeContext<'a> {
    /// `oneOf`/`anyOf` → an enum of the member types; one meaningful member collapses to it.
    pub(super) fn union_kind(
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
    pub(super) fn implicitly_tagged(
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
}
