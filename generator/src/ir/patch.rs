//! PATCH bodies need three states per optional nullable field: absent (keep the value),
//! `null` (clear it), or a value. Types reachable from a PATCH body get `Option<Option<T>>`
//! there; elsewhere `null` and absent both read as `None`, which is all a reader needs.

use super::{HttpMethod, Operation, TypeDef, TypeKind, TypeRef};
use std::collections::{HashMap, HashSet};

fn named(ty: &TypeRef, out: &mut Vec<String>) {
    ty.for_each_named(&mut |name| out.push(name.to_owned()));
}

pub fn mark_clearable_fields(types: &mut [TypeDef], operations: &[Operation]) {
    let index: HashMap<&str, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    let mut stack = Vec::new();
    for op in operations
        .iter()
        .filter(|op| op.http_method == HttpMethod::Patch)
    {
        if let Some(body) = &op.body {
            named(&body.ty, &mut stack);
        }
    }
    let mut reachable = HashSet::new();
    while let Some(name) = stack.pop() {
        let Some(&i) = index.get(name.as_str()) else {
            continue;
        };
        if !reachable.insert(i) {
            continue;
        }
        match &types[i].kind {
            TypeKind::Struct { fields } => fields.iter().for_each(|f| named(&f.ty, &mut stack)),
            TypeKind::Union { variants, .. } => {
                variants.iter().for_each(|v| named(&v.ty, &mut stack))
            }
            TypeKind::ErrorUnion { variants } => {
                variants.iter().for_each(|v| named(&v.ty, &mut stack))
            }
            TypeKind::Alias(target) | TypeKind::Newtype(target) => named(target, &mut stack),
            TypeKind::StringEnum { .. } | TypeKind::IntEnum { .. } => {}
        }
    }
    for i in reachable {
        if let TypeKind::Struct { fields } = &mut types[i].kind {
            for field in fields
                .iter_mut()
                .filter(|f| !f.required && f.nullable && !f.flatten)
            {
                field.double_option = true;
            }
        }
    }
}
