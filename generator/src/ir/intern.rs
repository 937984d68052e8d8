//! One shape, one type. Inline schemas written out in many places (Stripe's `enum: [""]`
//! 637 times, HubSpot Media Bridge's 74-member `oneOf` in 57 operators) became as many
//! identical types: more code to compile and review, and long chains of distinct recursive
//! types overflow the trait solver in `cargo doc` and in a user's `Send` bound (E0275).
//! Here types made for inline schemas that are the same — fields, variants, their types and
//! docs — become one, repeatedly (merging inner types makes outer ones equal), and an inline
//! shape equal to exactly one component schema becomes that component. Component schemas
//! keep their names and never merge with each other.
//!
//! The merged type's name is what its uses' names end with in common (`MinNumbersInputsItem`
//! and `LessThanInputsItem` → `InputsItem`), so it stays when a use comes or goes; a small
//! string enum without a common ending is named by its values (`AscDescOrder`,
//! `EmptyValue`); otherwise the first of the uses' names in alphabetical order.

use super::{Operation, TypeDef, TypeKind, TypeRef};
use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Rounds of merging before stopping (each round can only merge what the last one made
/// equal; real specs settle in two or three).
const MAX_ROUNDS: usize = 16;

/// Merges identical inline types in `types`, renaming every reference to them (in types,
/// `operations` and `error_body`). `components` are the names of component schemas.
/// Returns how many definitions were merged away.
pub fn merge_inline_shapes(
    types: &mut Vec<TypeDef>,
    operations: &mut [Operation],
    error_body: &mut TypeRef,
    components: &HashSet<String>,
) -> usize {
    let mut merged = 0;
    for _ in 0..MAX_ROUNDS {
        let (renames, gone) = round(types, components);
        if renames.is_empty() {
            break;
        }
        merged += gone.len();
        let mut index = 0;
        types.retain(|_| {
            index += 1;
            !gone.contains(&(index - 1))
        });
        for def in types.iter_mut() {
            rename_kind(&mut def.kind, &renames);
        }
        for op in operations.iter_mut() {
            for param in &mut op.params {
                rename(&mut param.ty, &renames);
            }
            if let Some(body) = &mut op.body {
                rename(&mut body.ty, &renames);
            }
            rename(&mut op.success, &renames);
            rename(&mut op.error, &renames);
        }
        rename(error_body, &renames);
    }
    merged
}

/// One round: old name → new name for every merged type, and the indices of the
/// definitions that go (the kept one of each group may be renamed in place).
fn round(
    types: &mut [TypeDef],
    components: &HashSet<String>,
) -> (HashMap<String, String>, HashSet<usize>) {
    // Shape → the indices of the types that have it, in order.
    let mut shapes: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, def) in types.iter().enumerate() {
        // An alias is its target already; merging it would only rename.
        if matches!(def.kind, TypeKind::Alias(_)) {
            continue;
        }
        shapes.entry(format!("{:?}", def.kind)).or_default().push(i);
    }
    let mut taken: HashSet<String> = types.iter().map(|t| t.name.clone()).collect();
    let mut renames = HashMap::new();
    let mut gone = HashSet::new();
    for members in shapes.values() {
        let (named, inline): (Vec<usize>, Vec<usize>) = members
            .iter()
            .partition(|&&i| components.contains(&types[i].name));
        let keep = match (named.as_slice(), inline.len()) {
            // The one component with this shape stands for its inline copies.
            ([component], 1..) => *component,
            // Without a component, or with several the spec names apart (which one an inline
            // copy means is not ours to guess), the inline copies become one of their own.
            (_, 2..) => {
                let name = shared_name(types, &inline, &taken);
                let keep = inline
                    .iter()
                    .copied()
                    .find(|&i| types[i].name == name)
                    .unwrap_or(inline[0]);
                types[keep].docs = agreed_docs(types, &inline);
                if types[keep].name != name {
                    taken.insert(name.clone());
                    let old = std::mem::replace(&mut types[keep].name, name);
                    renames.insert(old, types[keep].name.clone());
                }
                keep
            }
            _ => continue,
        };
        for &i in &inline {
            if i != keep {
                renames.insert(types[i].name.clone(), types[keep].name.clone());
                gone.insert(i);
            }
        }
    }
    (renames, gone)
}

/// The docs all `members` agree on, else none.
fn agreed_docs(types: &[TypeDef], members: &[usize]) -> Option<String> {
    let first = types[members[0]].docs.clone();
    members
        .iter()
        .all(|&i| types[i].docs == first)
        .then_some(first)
        .flatten()
}

/// The name for a group of identical inline types (see the module docs).
fn shared_name(types: &[TypeDef], members: &[usize], taken: &HashSet<String>) -> String {
    let own: HashSet<&str> = members.iter().map(|&i| types[i].name.as_str()).collect();
    let free = |name: &str| {
        !name.is_empty()
            && name.starts_with(|c: char| c.is_ascii_uppercase())
            && (!taken.contains(name) || own.contains(name))
    };
    let words: Vec<Vec<String>> = members
        .iter()
        .map(|&i| {
            types[i]
                .name
                .to_snake_case()
                .split('_')
                .map(str::to_owned)
                .collect()
        })
        .collect();
    let mut suffix: Vec<String> = Vec::new();
    'outer: for k in 1.. {
        let mut word = None;
        for w in &words {
            let Some(candidate) = w.len().checked_sub(k).and_then(|at| w.get(at)) else {
                break 'outer;
            };
            match &word {
                None => word = Some(candidate),
                Some(seen) if *seen == candidate => {}
                Some(_) => break 'outer,
            }
        }
        // Every name is this suffix: nothing left to say.
        if words.iter().all(|w| w.len() == k) {
            break;
        }
        match word {
            Some(w) => suffix.insert(0, w.clone()),
            None => break,
        }
    }
    let suffix_name = suffix.join("_").to_upper_camel_case();
    if suffix.len() >= 2 && free(&suffix_name) {
        return suffix_name;
    }
    // Operations' error bodies (`ListAppsError`, `CreateAppError`) by what they hold.
    if let TypeKind::ErrorUnion { variants } = &types[members[0]].kind {
        let name: String = variants
            .iter()
            .map(|v| v.name.trim_start_matches("r#"))
            .collect::<Vec<_>>()
            .join("Or");
        if name.len() <= 60 && free(&name) {
            return name;
        }
    }
    if let TypeKind::StringEnum { variants, .. } = &types[members[0]].kind
        && (1..=3).contains(&variants.len())
    {
        let values: String = variants
            .iter()
            .map(|v| v.name.trim_start_matches("r#"))
            .collect();
        let tail = if suffix.is_empty() {
            "Value".to_owned()
        } else {
            suffix_name
        };
        let name = format!("{values}{tail}");
        if free(&name) {
            return name;
        }
    }
    let mut names: Vec<&str> = own.into_iter().collect();
    names.sort_unstable();
    names[0].to_owned()
}

fn rename(ty: &mut TypeRef, renames: &HashMap<String, String>) {
    match ty {
        TypeRef::Named(name) => {
            if let Some(to) = renames.get(name.as_str()) {
                *name = to.clone();
            }
        }
        TypeRef::Vec(inner) | TypeRef::Map(inner) => rename(inner, renames),
        TypeRef::Tuple(items) => items.iter_mut().for_each(|t| rename(t, renames)),
        _ => {}
    }
}

fn rename_kind(kind: &mut TypeKind, renames: &HashMap<String, String>) {
    match kind {
        TypeKind::Struct { fields } => fields.iter_mut().for_each(|f| rename(&mut f.ty, renames)),
        TypeKind::Union { variants, .. } => {
            variants.iter_mut().for_each(|v| rename(&mut v.ty, renames));
        }
        TypeKind::ErrorUnion { variants } => {
            variants.iter_mut().for_each(|v| rename(&mut v.ty, renames));
        }
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => rename(ty, renames),
        TypeKind::StringEnum { .. } | TypeKind::IntEnum { .. } => {}
    }
}
