//! Which parts of an API a cargo feature switches on: the operations of one tag (the spec's
//! first tag of each operation, or, for a spec without tags, the first path segment after
//! any version: Stripe's `/v1/customers/…` is `customers`) and the types only they use.
//! Types several groups share are compiled with any of them, types every group (or too many
//! sets of groups) reaches always, types no operation uses only with `full`. The crate's
//! error body does not join every area to what it mentions: an optional field of it whose
//! types areas use is compiled with those areas' features (set as [`super::Field::features`]).
//! The union of webhook payloads, and all it names, is always compiled.
//!
//! Grouping is decided here so the emitter only follows it: a group is a module
//! (`types/<group>.rs`, `operations/<group>.rs`) behind a feature of the same name.

use super::names::{Scope, snake_ident};
use super::{Operation, TypeDef, TypeKind, TypeRef};
use std::collections::{BTreeSet, HashMap};

/// An API split into groups; `None` on [`super::Api::grouping`] when it has fewer than two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grouping {
    pub groups: Vec<Group>,
    /// Indices into `Api::types` of the types every build has.
    pub shared_types: Vec<usize>,
    /// Types several groups share, compiled when any of them is.
    pub clusters: Vec<Cluster>,
}

/// Types the same few groups reach (or none: then only `full` compiles them), in one module
/// compiled with any of those groups' features.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// The module name (`pets_users`, `unreferenced`).
    pub name: String,
    /// The features any of which compiles it.
    pub features: Vec<String>,
    /// Indices into `Api::types`.
    pub types: Vec<usize>,
    /// Some of its types refer to types in other modules.
    pub uses_others: bool,
}

/// Where a type is emitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Home {
    Shared,
    Group(usize),
    Cluster(usize),
}

/// The longest area (module and feature) name, in characters, with room for a `_2`…`_999`
/// that tells two apart.
const MAX_NAME: usize = 40;

/// More groups than this (or than half of them) are many.
const MANY_GROUPS: usize = 4;

/// How many sets of many groups get a module of their own: types that many groups reach
/// mostly share a few sets (Stripe: 8); beyond these, such types are always compiled.
const MANY_SET_MODULES: usize = 16;

/// `pets_users`, `orders_pets_users_and_2_more`; `unreferenced` for types no group uses.
fn cluster_name(features: &[String]) -> String {
    match features {
        [] => "unreferenced".to_owned(),
        [a, b] => format!("{a}_{b}"),
        [a, b, c] => format!("{a}_{b}_{c}"),
        [a, b, rest @ ..] => format!("{a}_{b}_and_{}_more", rest.len()),
        [a] => a.clone(),
    }
}

/// One module and the cargo feature that compiles it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The module and feature name (`crm_contacts`).
    pub name: String,
    /// The tag (or path segment) it was made from, for docs.
    pub label: String,
    /// Indices into `Api::types`.
    pub types: Vec<usize>,
    /// Some of its types refer to types in other modules (which it then imports).
    pub uses_shared: bool,
    /// Indices into `Api::operations`.
    pub operations: Vec<usize>,
}

/// Names a module or feature cannot take: Cargo's `default`, the feature that enables all
/// groups, the always-compiled modules, the modules' own files, and the crates generated
/// code names (a module `serde` beside `serde::Serialize` would be ambiguous).
const RESERVED: &[&str] = &[
    "default",
    "full",
    "shared",
    "mod",
    "types",
    "operations",
    "std",
    "core",
    "alloc",
    "bytes",
    "chrono",
    "form_urlencoded",
    "futures_util",
    "percent_encoding",
    "reqwest",
    "rustls",
    "serde",
    "serde_json",
    "serde_path_to_error",
    "thiserror",
    "tokio",
    "tracing",
    "uuid",
];

/// Whether a module and feature cannot be called `name` (a spec's module in a crate made of
/// several specs, too): a reserved name, a keyword, or one of the runtime's modules.
pub fn is_reserved_module(name: &str) -> bool {
    const RUNTIME: &[&str] = &[
        "about",
        "base64",
        "budget",
        "builder",
        "call",
        "client",
        "error",
        "limit",
        "multipart",
        "paging",
        "params",
        "raw",
        "request",
        "response",
        "signature",
        "stream",
        "trace",
        "unreferenced",
    ];
    // A module's name is also the `Client` method that reaches it.
    const CLIENT: &[&str] = &["builder", "new", "base_url", "for_api", "request"];
    // Cargo features every crate has besides its areas.
    const FEATURES: &[&str] = &["full", "default", "traceparent"];
    RESERVED.contains(&name)
        || RUNTIME.contains(&name)
        || CLIENT.contains(&name)
        || FEATURES.contains(&name)
        || super::names::is_keyword(name)
}

/// The groups of `operations`, given each operation's group label in order.
pub fn group(
    types: &mut [TypeDef],
    operations: &[Operation],
    labels: &[String],
    error_body: &TypeRef,
    webhook_event: Option<&TypeRef>,
) -> Option<Grouping> {
    // Groups in the order their first operation appears.
    let mut order: Vec<&str> = Vec::new();
    for label in labels {
        if !order.contains(&label.as_str()) {
            order.push(label);
        }
    }
    if order.len() < 2 {
        return None;
    }
    let mut scope = Scope::new();
    scope.reserve(RESERVED);
    let mut groups: Vec<Group> = order
        .iter()
        .map(|label| {
            let name = snake_ident(label, "group");
            // A raw identifier cannot name a feature: `r#type` → `type_`.
            let name = match name.strip_prefix("r#") {
                Some(bare) => format!("{bare}_"),
                None => name,
            };
            // A tag can be a sentence; a module name is also a file name (and a cluster's
            // joins three of them), which file systems bound at 255 bytes.
            let name = super::names::shortened(&name, MAX_NAME - 4);
            Group {
                name: scope.unique(name),
                label: (*label).to_owned(),
                types: Vec::new(),
                uses_shared: false,
                operations: Vec::new(),
            }
        })
        .collect();
    let index: HashMap<&str, usize> = order.iter().enumerate().map(|(i, l)| (*l, i)).collect();
    for (op, label) in labels.iter().enumerate() {
        if let Some(&g) = index.get(label.as_str()) {
            groups[g].operations.push(op);
        }
    }

    let by_name: HashMap<&str, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    let refs: Vec<Vec<usize>> = types
        .iter()
        .map(|t| {
            let mut out = Vec::new();
            type_kind_refs(&t.kind, &by_name, &mut out);
            out
        })
        .collect();
    // Which groups reach each type. The crate's error body is left out here: every
    // operation has it, so it would make whatever it reaches part of every area (Stripe's
    // error names a PaymentIntent, and through it half the API); what it needs is decided
    // below.
    let mut reached: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); types.len()];
    for (g, group) in groups.iter().enumerate() {
        let mut stack = Vec::new();
        for &op in &group.operations {
            operation_refs(&operations[op], error_body, &by_name, &mut stack);
        }
        while let Some(t) = stack.pop() {
            if reached[t].insert(g) {
                stack.extend(&refs[t]);
            }
        }
    }

    // Types many groups reach get a module per set of groups while such sets are few
    // (Stripe has 8); past that, and for a type every group reaches, they are always
    // compiled, as is whatever an always-compiled type refers to.
    let many = (groups.len() / 2).max(MANY_GROUPS);
    let mut many_sets: Vec<(&BTreeSet<usize>, usize)> = Vec::new();
    for reach in reached
        .iter()
        .filter(|r| r.len() > many && r.len() < groups.len())
    {
        match many_sets.iter_mut().find(|(set, _)| *set == reach) {
            Some((_, count)) => *count += 1,
            None => many_sets.push((reach, 1)),
        }
    }
    // The sets with most types keep their modules; ties in first-seen order.
    many_sets.sort_by_key(|set| std::cmp::Reverse(set.1));
    let kept: Vec<&BTreeSet<usize>> = many_sets
        .iter()
        .take(MANY_SET_MODULES)
        .map(|(set, _)| *set)
        .collect();
    let mut always = vec![false; types.len()];
    let mut stack: Vec<usize> = (0..types.len())
        .filter(|&t| reached[t].len() > many && !kept.contains(&&reached[t]))
        .collect();
    // The union of webhook payloads is what a receiver decodes, whichever areas it calls.
    if let Some(event) = webhook_event {
        ref_names(event, &by_name, &mut stack);
    }
    while let Some(t) = stack.pop() {
        if !always[t] {
            always[t] = true;
            stack.extend(&refs[t]);
        }
    }
    // The error body is compiled always, with what it cannot be without: its required
    // fields, a union's variants, and types no area uses (its own). An optional field
    // whose types areas use (Stripe's `ApiErrors.payment_intent`) is compiled with those
    // areas' features instead, so it does not join every area to them.
    let mut stack = Vec::new();
    ref_names(error_body, &by_name, &mut stack);
    let gatable = |field: &super::Field| {
        let mut named = Vec::new();
        ref_names(&field.ty, &by_name, &mut named);
        !field.required && !field.flatten && named.iter().all(|&r| !reached[r].is_empty())
    };
    while let Some(t) = stack.pop() {
        if always[t] {
            continue;
        }
        always[t] = true;
        match &types[t].kind {
            TypeKind::Struct { fields } => {
                for field in fields.iter().filter(|f| !gatable(f)) {
                    ref_names(&field.ty, &by_name, &mut stack);
                }
            }
            _ => stack.extend(&refs[t]),
        }
    }
    // An always-compiled struct's field whose types may be off is compiled with any of
    // the groups that reach all of them. Only the walk above leaves such fields, and only
    // optional ones: whatever else an always-compiled type refers to is always compiled.
    let mut gated_fields = Vec::new();
    for t in (0..types.len()).filter(|&t| always[t]) {
        let TypeKind::Struct { fields } = &types[t].kind else {
            continue;
        };
        for (f, field) in fields.iter().enumerate().filter(|(_, f)| gatable(f)) {
            let mut named = Vec::new();
            ref_names(&field.ty, &by_name, &mut named);
            named.retain(|&r| !always[r]);
            let Some((&first, rest)) = named.split_first() else {
                continue;
            };
            let reach = rest.iter().fold(reached[first].clone(), |all, &r| {
                all.intersection(&reached[r]).copied().collect()
            });
            let features: Vec<String> = reach.iter().map(|&g| groups[g].name.clone()).collect();
            let features = match features.is_empty() {
                true => vec!["full".to_owned()],
                false => features,
            };
            gated_fields.push((t, f, features));
        }
    }

    // Where each type lives: one group's module when that group alone reaches it; a
    // cluster module compiled with any of the groups that reach it; `shared`, always
    // compiled, for the rest above; types no operation reaches only with `full`.
    let mut home: Vec<Home> = Vec::with_capacity(types.len());
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut cluster_of: HashMap<Vec<usize>, usize> = HashMap::new();
    let mut shared_types = Vec::new();
    for t in 0..types.len() {
        let reach: Vec<usize> = reached[t].iter().copied().collect();
        let place = if always[t] {
            shared_types.push(t);
            Home::Shared
        } else if let [g] = reach.as_slice() {
            groups[*g].types.push(t);
            Home::Group(*g)
        } else {
            // No group (unused: `full` only), or several.
            let c = *cluster_of.entry(reach.clone()).or_insert_with(|| {
                clusters.push(Cluster {
                    name: String::new(),
                    features: reach.iter().map(|&g| groups[g].name.clone()).collect(),
                    types: Vec::new(),
                    uses_others: false,
                });
                clusters.len() - 1
            });
            clusters[c].types.push(t);
            Home::Cluster(c)
        };
        home.push(place);
    }
    for cluster in &mut clusters {
        cluster.name = scope.unique(cluster_name(&cluster.features));
        if cluster.features.is_empty() {
            cluster.features.push("full".to_owned());
        }
    }
    // A gated field names its type by its whole path, so it needs no import.
    let linked: Vec<Vec<usize>> = (0..types.len())
        .map(|t| match &types[t].kind {
            TypeKind::Struct { fields } => {
                let mut out = Vec::new();
                for (f, field) in fields.iter().enumerate() {
                    if !gated_fields
                        .iter()
                        .any(|(ty, field, _)| (*ty, *field) == (t, f))
                    {
                        ref_names(&field.ty, &by_name, &mut out);
                    }
                }
                out
            }
            _ => refs[t].clone(),
        })
        .collect();
    let refers_out = |types: &[usize], here: Home| {
        types
            .iter()
            .any(|&t| linked[t].iter().any(|&r| home[r] != here))
    };
    for (g, group) in groups.iter_mut().enumerate() {
        group.uses_shared = refers_out(&group.types, Home::Group(g));
    }
    for (c, cluster) in clusters.iter_mut().enumerate() {
        cluster.uses_others = refers_out(&cluster.types, Home::Cluster(c));
    }
    for (t, f, features) in gated_fields {
        if let TypeKind::Struct { fields } = &mut types[t].kind {
            fields[f].features = Some(features);
        }
    }
    Some(Grouping {
        groups,
        shared_types,
        clusters,
    })
}

/// Each operation's group label: its first tag, or for a spec where no operation has a
/// tag, the first path segment that is not a version or a parameter.
pub fn labels(tags: &[Option<String>], paths: &[&str]) -> Vec<String> {
    let tagged = tags.iter().any(Option::is_some);
    tags.iter()
        .zip(paths)
        .map(|(tag, path)| match tag {
            Some(tag) => tag.clone(),
            None if tagged => "untagged".to_owned(),
            // A path's `#…` or `?…` part (AWS: `/#X-Amz-Target=Service.Action`) names no area.
            None => path
                .split(['#', '?'])
                .next()
                .unwrap_or_default()
                .split('/')
                .find(|s| !s.is_empty() && !s.starts_with('{') && !super::op_names::is_version(s))
                .unwrap_or("root")
                .to_owned(),
        })
        .collect()
}

fn operation_refs(
    op: &Operation,
    error_body: &TypeRef,
    by_name: &HashMap<&str, usize>,
    out: &mut Vec<usize>,
) {
    for p in &op.params {
        ref_names(&p.ty, by_name, out);
    }
    if let Some(b) = &op.body {
        ref_names(&b.ty, by_name, out);
    }
    ref_names(&op.success, by_name, out);
    if op.error != *error_body {
        ref_names(&op.error, by_name, out);
    }
}

fn type_kind_refs(kind: &TypeKind, by_name: &HashMap<&str, usize>, out: &mut Vec<usize>) {
    match kind {
        TypeKind::Struct { fields } => fields.iter().for_each(|f| ref_names(&f.ty, by_name, out)),
        TypeKind::Union { variants, .. } => {
            variants.iter().for_each(|v| ref_names(&v.ty, by_name, out));
        }
        TypeKind::ErrorUnion { variants } => {
            variants.iter().for_each(|v| ref_names(&v.ty, by_name, out));
        }
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => ref_names(ty, by_name, out),
        TypeKind::StringEnum { .. } | TypeKind::IntEnum { .. } => {}
    }
}

fn ref_names(ty: &TypeRef, by_name: &HashMap<&str, usize>, out: &mut Vec<usize>) {
    ty.for_each_named(&mut |name| out.extend(by_name.get(name)));
}
