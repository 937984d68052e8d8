//! Recursive types: a struct that contains itself (directly or through other types) has
//! infinite size unless the recursion passes through a pointer. Every field or variant
//! whose type lies in the same strongly connected component as its owner is boxed; a
//! cycle made only of aliases (`A: $ref B`, `B: $ref A`) names no type and is an error.

use super::{TypeDef, TypeKind, TypeRef};
use crate::diagnostics::{Diagnostic, Pointer, Severity};
use std::collections::HashMap;

/// Named types reached without indirection (`Option` holds its value inline; `Vec` and
/// maps do not).
fn direct_named(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(name) => Some(name),
        _ => None,
    }
}

fn edges(def: &TypeDef) -> Vec<&str> {
    match &def.kind {
        TypeKind::Struct { fields } => fields.iter().filter_map(|f| direct_named(&f.ty)).collect(),
        TypeKind::Union { variants, .. } => variants
            .iter()
            .filter_map(|v| direct_named(&v.ty))
            .collect(),
        TypeKind::ErrorUnion { variants } => variants
            .iter()
            .filter_map(|v| direct_named(&v.ty))
            .collect(),
        TypeKind::Alias(target) | TypeKind::Newtype(target) => {
            direct_named(target).into_iter().collect()
        }
        TypeKind::StringEnum { .. } | TypeKind::IntEnum { .. } => Vec::new(),
    }
}

/// Tarjan's algorithm without recursion (specs can nest thousands deep): the component
/// number of every type, through direct edges.
fn components(types: &[TypeDef]) -> Vec<usize> {
    let index_of: HashMap<&str, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    let graph: Vec<Vec<usize>> = types
        .iter()
        .map(|t| {
            edges(t)
                .into_iter()
                .filter_map(|n| index_of.get(n).copied())
                .collect()
        })
        .collect();
    components_of(&graph)
}

/// How deep the compiler may have to look through the types to decide an auto trait
/// (`Send`, `RefUnwindSafe`, …): the heaviest chain of types one reaches from another
/// (through any field, list or map), a group of types that reach each other counting all its
/// members. rustdoc decides every auto trait of every type; past its recursion limit (128
/// frames, a few per type) it fails with E0275 (Stripe's `Transfer`).
pub fn deepest_chain(types: &[TypeDef]) -> usize {
    let index_of: HashMap<&str, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    let graph: Vec<Vec<usize>> = types
        .iter()
        .map(|t| {
            let mut out = Vec::new();
            let mut add = |ty: &TypeRef| ty.for_each_named(&mut |n| out.extend(index_of.get(n)));
            match &t.kind {
                TypeKind::Struct { fields } => fields.iter().for_each(|f| add(&f.ty)),
                TypeKind::Union { variants, .. } => variants.iter().for_each(|v| add(&v.ty)),
                TypeKind::ErrorUnion { variants } => variants.iter().for_each(|v| add(&v.ty)),
                TypeKind::Alias(ty) | TypeKind::Newtype(ty) => add(ty),
                TypeKind::StringEnum { .. } | TypeKind::IntEnum { .. } => {}
            }
            out
        })
        .collect();
    let component = components_of(&graph);
    let count = component.iter().copied().max().map_or(0, |m| m + 1);
    let mut size = vec![0usize; count];
    for &c in &component {
        size[c] += 1;
    }
    // Tarjan numbers components in reverse topological order: a component's successors
    // are numbered before it, so one pass in number order sees them done.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (t, &c) in component.iter().enumerate() {
        members[c].push(t);
    }
    let mut deepest = vec![0usize; count];
    for c in 0..count {
        let below = members[c]
            .iter()
            .flat_map(|&t| &graph[t])
            .map(|&next| component[next])
            .filter(|&d| d != c)
            .map(|d| deepest[d])
            .max()
            .unwrap_or(0);
        deepest[c] = size[c] + below;
    }
    deepest.into_iter().max().unwrap_or(0)
}

fn components_of(graph: &[Vec<usize>]) -> Vec<usize> {
    let n = graph.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        // (node, next edge to look at)
        let mut work = vec![(root, 0usize)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut edge)) = work.last_mut() {
            if let Some(&next) = graph[node].get(*edge) {
                *edge += 1;
                if index[next] == usize::MAX {
                    index[next] = next_index;
                    low[next] = next_index;
                    next_index += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    work.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// Rust expands type aliases eagerly, so `type Tree = BTreeMap<String, Tree>` is an error
/// (E0391) even though the map is a pointer. An alias whose target reaches the alias again
/// through a `Vec` or a map — directly or through other aliases — becomes a newtype; one
/// newtype in a loop is enough, so aliases are turned in spec order and each turned one
/// stops the walk for the next. (A loop of aliases with no container is an error below.)
pub fn newtype_recursive_aliases(types: &mut [TypeDef]) {
    let index_of: HashMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
    for i in 0..types.len() {
        let TypeKind::Alias(target) = &types[i].kind else {
            continue;
        };
        if reaches_through_container(types, &index_of, target, i) {
            let target = target.clone();
            types[i].kind = TypeKind::Newtype(target);
        }
    }
}

/// Whether expanding `ty` (through `Vec`, maps and aliases, not through nominal types)
/// comes back to `types[goal]` after passing a container.
fn reaches_through_container(
    types: &[TypeDef],
    index_of: &HashMap<String, usize>,
    ty: &TypeRef,
    goal: usize,
) -> bool {
    let mut stack = vec![(ty, false)];
    let mut seen = std::collections::HashSet::new();
    while let Some((ty, contained)) = stack.pop() {
        match ty {
            TypeRef::Vec(item) | TypeRef::Map(item) => stack.push((item, true)),
            TypeRef::Named(name) => {
                let Some(&i) = index_of.get(name) else {
                    continue;
                };
                if i == goal && contained {
                    return true;
                }
                if let TypeKind::Alias(target) = &types[i].kind
                    && seen.insert((i, contained))
                {
                    stack.push((target, contained));
                }
            }
            _ => {}
        }
    }
    false
}

pub fn box_recursive_fields(types: &mut [TypeDef], file: &str) -> Vec<Diagnostic> {
    let component = components(types);
    let index_of: HashMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
    let same = |owner: usize, ty: &TypeRef| {
        direct_named(ty)
            .and_then(|n| index_of.get(n))
            .is_some_and(|&target| component[target] == component[owner])
    };
    let mut sizes: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, c) in component.iter().enumerate() {
        sizes.entry(*c).or_default().push(i);
    }
    let mut diagnostics = Vec::new();
    for members in sizes.values() {
        let cyclic = members.len() > 1
            || edges(&types[members[0]]).contains(&types[members[0]].name.as_str());
        if cyclic
            && members
                .iter()
                .all(|&m| matches!(types[m].kind, TypeKind::Alias(_)))
        {
            let mut names: Vec<&str> = members.iter().map(|&m| types[m].name.as_str()).collect();
            names.sort_unstable();
            diagnostics.push(Diagnostic {
                severity: Severity::Error,
                file: file.to_owned(),
                pointer: Pointer::root()
                    .join("components")
                    .join("schemas")
                    .to_string(),
                line_col: None,
                message: format!(
                    "the schemas {} only refer to each other (a `$ref` cycle with no type in it)",
                    names.join(", ")
                ),
            });
        }
    }
    for (owner, def) in types.iter_mut().enumerate() {
        match &mut def.kind {
            TypeKind::Struct { fields } => {
                for field in fields.iter_mut() {
                    field.boxed = same(owner, &field.ty);
                }
            }
            TypeKind::Union { variants, .. } => {
                for variant in variants.iter_mut() {
                    variant.boxed = same(owner, &variant.ty);
                }
            }
            _ => {}
        }
    }
    diagnostics.sort_by(|a, b| a.message.cmp(&b.message));
    diagnostics
}
