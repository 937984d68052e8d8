//! Method names for operations. A plain `operationId` (`getThread`) is used as it is; a
//! missing or path-like one (`get-/conversations/v3/conversations/threads/{threadId}`, as
//! HubSpot's specs have) is replaced by a name built from the method and the path, by the
//! rules below, made longer only where two operations would otherwise share a name.
//!
//! 1. Version segments never appear: `v3`, `v1beta1`, `2010-04-01`, `2025-09`,
//!    `2026-09-beta`.
//! 2. A trailing action is the verb, for any HTTP method: a last segment that is a verb
//!    (`read`, `archive`, `search`, `publish`, `merge`, `gdpr-delete`, `cancel`, `pay`…,
//!    after an optional `batch`) or a Google-style `:verb` (`documents:batchGet`):
//!    `POST /actors/batch/read` → `batch read actors`, `POST /objects/{type}/search` →
//!    `search objects`, `POST /tables/{id}/draft/publish` → `publish table draft`,
//!    `POST /invoices/{invoice}/pay` → `pay invoice`. `objects/{objectType}` (HubSpot's
//!    generic object APIs) is the collection `objects`, not an item.
//! 3. Otherwise the method gives the verb: `get` an item (or a singular sub-resource:
//!    `GET /tables/{id}/draft` → `get table draft`), `list` a collection, `create` (POST to
//!    a collection), `update` (PATCH, or POST to an item), `replace` (PUT), `delete`.
//! 4. A HubSpot id's `_camelCaseName` suffix (`get-/cms/v3/hubdb/tables/draft_getAllDraftTables`)
//!    is the name when it says more than generic SDK words (`getPage`, `getById`, `doSearch`
//!    do not).
//! 5. Names that would be the same identifier grow with the parent resources
//!    (`list company contacts` / `list deal contacts`), then with the whole path, and only
//!    where the version alone tells two apart, with the version (`list items v1`); never a
//!    counter, unless two operations are indistinguishable even so (the caller warns).

/// What is known about one operation when naming it.
pub struct Named<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub operation_id: Option<&'a str>,
}

/// A snake_case-able name per operation, in order; equal names are left for the caller's
/// scope to suffix (and warn about).
pub fn operation_names(ops: &[Named<'_>]) -> Vec<String> {
    let candidates: Vec<Vec<String>> = ops.iter().map(candidates).collect();
    let mut level = vec![0usize; ops.len()];
    // Lengthen the names of operations that collide until none do or none can grow.
    loop {
        let names: Vec<&str> = candidates
            .iter()
            .zip(&level)
            .map(|(c, &l)| c[l].as_str())
            .collect();
        // Names clash when they become the same identifier (`getItem`, `get item`).
        let idents: Vec<String> = names
            .iter()
            .map(|n| super::snake_ident(n, "operation"))
            .collect();
        // Counted once per round: comparing every pair was quadratic (Graph: 14,000 ops).
        let mut uses: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for ident in &idents {
            *uses.entry(ident.as_str()).or_default() += 1;
        }
        let mut grew = false;
        for i in 0..ops.len() {
            let clash = uses.get(idents[i].as_str()).is_some_and(|n| *n > 1);
            if clash && level[i] + 1 < candidates[i].len() {
                level[i] += 1;
                grew = true;
            }
        }
        if !grew {
            return names.into_iter().map(str::to_owned).collect();
        }
    }
}

/// Path-like: HubSpot's `get-/crm/v3/…`, a bare `/path`, or template braces. A namespaced id
/// such as GitHub's `apps/get-authenticated` is readable as it is (`apps_get_authenticated`).
fn is_readable(operation_id: &str) -> bool {
    let id = operation_id.trim();
    !id.is_empty()
        && !id.starts_with('/')
        && !id.contains(['{', '}'])
        && method_prefix(id).is_none()
}

/// The length of a `get-` style method prefix followed by a path (`get-/…`).
fn method_prefix(id: &str) -> Option<usize> {
    [
        "get", "put", "post", "delete", "patch", "head", "options", "trace",
    ]
    .iter()
    // Compared as bytes: the id is arbitrary text and may not split at `m.len()`.
    .find(|m| {
        let bytes = id.as_bytes();
        bytes.len() > m.len() + 1
            && bytes[..m.len()].eq_ignore_ascii_case(m.as_bytes())
            && bytes[m.len()..].starts_with(b"-/")
    })
    .map(|m| m.len() + 1)
}

/// Verbs that, as a path's last segment, are the operation's action.
const ACTIONS: &[&str] = &[
    "activate",
    "add",
    "apply",
    "approve",
    "archive",
    "assign",
    "associate",
    "attach",
    "authorize",
    "cancel",
    "capture",
    "check",
    "clone",
    "close",
    "commit",
    "complete",
    "confirm",
    "copy",
    "count",
    "create",
    "deactivate",
    "dissociate",
    "decline",
    "delete",
    "detach",
    "disable",
    "dismiss",
    "do",
    "download",
    "duplicate",
    "enable",
    "estimate",
    "execute",
    "expire",
    "export",
    "finalize",
    "flush",
    "gdpr",
    "generate",
    "import",
    "invite",
    "lock",
    "mark",
    "merge",
    "move",
    "pause",
    "pay",
    "preview",
    "process",
    "publish",
    "purge",
    "push",
    "read",
    "redeem",
    "refresh",
    "refund",
    "reject",
    "release",
    "remove",
    "rename",
    "reopen",
    "replace",
    "reset",
    "resolve",
    "restore",
    "resume",
    "retry",
    "reverse",
    "revert",
    "revoke",
    "run",
    "schedule",
    "search",
    "send",
    "set",
    "start",
    "stop",
    "submit",
    "subscribe",
    "sync",
    "test",
    "transfer",
    "trigger",
    "unarchive",
    "unassign",
    "unlock",
    "unpublish",
    "unschedule",
    "unsubscribe",
    "update",
    "upload",
    "upsert",
    "validate",
    "verify",
    "void",
];

/// Actions whose object reads best as the whole collection (`search objects`,
/// `batch archive associations`), even right after a parameter.
fn keeps_plural(action: &[String]) -> bool {
    action
        .first()
        .is_some_and(|a| matches!(a.as_str(), "batch" | "search" | "count" | "list"))
}

/// SDK method-name words that say nothing of their own about the resource.
const GENERIC_WORDS: &[&str] = &[
    "get", "page", "by", "id", "do", "search", "all", "create", "update", "archive", "read",
    "upsert", "purge", "merge", "batch", "delete", "list", "post", "put", "patch", "replace",
];

/// Names from shortest to fullest.
fn candidates(op: &Named<'_>) -> Vec<String> {
    let readable = op.operation_id.filter(|id| is_readable(id));
    // HubSpot's ids start with the method: `get-/path` or `post-/path_suffixName`.
    let (path, suffix) = match op
        .operation_id
        .and_then(|id| Some((id, method_prefix(id)?)))
    {
        Some((id, prefix)) => {
            let rest = &id[prefix..];
            match rest.rsplit_once('_') {
                // A suffix is a name only after the last path segment.
                Some((path, suffix)) if !suffix.contains('/') && !suffix.is_empty() => {
                    (path, Some(suffix))
                }
                _ => (rest, None),
            }
        }
        None => (op.path, None),
    };
    let mut out = Vec::new();
    if let Some(id) = readable {
        // `v1_application_create`: the version goes, as it does from paths; it comes back
        // only where two operations differ by it alone.
        let id_words = words(id);
        if id_words.len() > 1 && is_version(&id_words[0]) {
            out.push(id_words[1..].join("_"));
        }
        out.push(id.to_owned());
    }
    if let Some(suffix) = suffix.filter(|s| is_descriptive(s)) {
        out.push(suffix.to_owned());
    }
    out.extend(path_names(op.method, path));
    out
}

/// Whether an SDK method name (`getAllDraftTables`) names something beyond generic words.
fn is_descriptive(name: &str) -> bool {
    let words = words(name);
    words.len() >= 2 && words.iter().any(|w| !GENERIC_WORDS.contains(&w.as_str()))
}

/// Lower-case words of a camelCase, snake_case or kebab-case name.
fn words(name: &str) -> Vec<String> {
    use heck::ToSnakeCase;
    name.to_snake_case()
        .split('_')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// One path segment, classified.
enum Segment<'a> {
    Literal(std::borrow::Cow<'a, str>),
    Param,
}

/// Names built from the method and the path, shortest first.
fn path_names(method: &str, path: &str) -> Vec<String> {
    let mut segments: Vec<Segment<'_>> = Vec::new();
    let mut custom: Option<&str> = None;
    let all: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    for (i, raw) in all.iter().enumerate() {
        let mut raw = raw.trim_end_matches(".json");
        // Google's custom methods: `documents:batchGet`, `{name}:cancel`.
        if i + 1 == all.len()
            && let Some((before, verb)) = raw.rsplit_once(':')
            && !verb.is_empty()
            && !verb.contains(['{', '}'])
        {
            custom = Some(verb);
            raw = before;
        }
        if raw.is_empty() || is_version(raw) {
            continue;
        }
        if raw.contains('{') && !raw.starts_with('{') {
            // `thumbnail.{extension}`: the literal part names the resource.
            let literal = raw
                .split('{')
                .next()
                .unwrap_or(raw)
                .trim_end_matches(['.', '-', '_']);
            if !literal.is_empty() {
                segments.push(Segment::Literal(literal.into()));
            }
            continue;
        }
        if raw.starts_with('{') {
            // `objects/{objectType}` (HubSpot's generic object APIs) selects a collection,
            // it is not an item.
            let selects_collection = raw
                .trim_matches(['{', '}'])
                .to_ascii_lowercase()
                .ends_with("type")
                && matches!(segments.last(), Some(Segment::Literal(l)) if l.eq_ignore_ascii_case("objects"));
            if !selects_collection {
                segments.push(Segment::Param);
            }
        } else if raw.starts_with(|c: char| c.is_ascii_digit())
            && let Some(Segment::Literal(prev)) = segments.last_mut()
        {
            // An id in the path (HubSpot's object type `0-420` after `objects`) names nothing
            // alone: it reads with the word before it (`objects 0 420`).
            *prev = format!("{prev} {raw}").into();
        } else {
            segments.push(Segment::Literal(raw.into()));
        }
    }
    // The action: a custom method, or a verb as the last segment (after an optional `batch`).
    let mut action: Vec<String> = Vec::new();
    if let Some(verb) = custom {
        action = words(verb);
    } else if let Some(Segment::Literal(last)) = segments.last()
        && is_action(last)
    {
        action = words(last);
        segments.pop();
    } else if let [.., Segment::Literal(verb), Segment::Literal(last)] = segments.as_slice()
        && is_action(verb)
        && !is_plural(last)
    {
        // A verb and what qualifies it (`batch/associate/default`): the action is both.
        action = words(verb);
        action.extend(words(last));
        segments.truncate(segments.len() - 2);
    }
    if !action.is_empty()
        && let Some(Segment::Literal(prev)) = segments.last()
        && prev.eq_ignore_ascii_case("batch")
    {
        action.insert(0, "batch".to_owned());
        segments.pop();
    }

    // The resource: the last literal, the literals before it as parents.
    let literals: Vec<(usize, &str)> = segments
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match s {
            Segment::Literal(l) => Some((i, l.as_ref())),
            Segment::Param => None,
        })
        .collect();
    let targets_one = matches!(segments.last(), Some(Segment::Param));
    let Some(((last_index, last), parents)) = literals.split_last() else {
        let verb = if action.is_empty() {
            method.to_owned()
        } else {
            action.join(" ")
        };
        return vec![format!("{verb} root"), format!("{method} root")];
    };
    let plural_ok = keeps_plural(&action);
    // A singular literal right after a parameter is a sub-resource of that item
    // (`tables/{id}/draft`): it reads with its parent (`table draft`).
    let sub_resource = !targets_one
        && *last_index > 0
        && matches!(segments.get(last_index - 1), Some(Segment::Param))
        && !is_plural(last)
        && !parents.is_empty();
    let resource =
        if (targets_one && !plural_ok) || (action.is_empty() && method == "post" && !targets_one) {
            singular(last)
        } else {
            (*last).to_owned()
        };
    let verb = if !action.is_empty() {
        action.join(" ")
    } else {
        match (method, targets_one) {
            ("get", true) => "get".to_owned(),
            ("get", false) if !is_plural(last) => "get".to_owned(),
            ("get", false) => "list".to_owned(),
            ("post", false) => "create".to_owned(),
            ("post", true) | ("patch", _) => "update".to_owned(),
            ("put", _) => "replace".to_owned(),
            (other, _) => other.to_owned(),
        }
    };
    // A parent qualifies the resource, so it reads singular (`list company contacts`,
    // `batch read object contacts`).
    let parent_word = |l: &str| singular(l);
    let mut out = Vec::new();
    let mut prefix: Vec<String> = Vec::new();
    let mut remaining = parents.iter().rev();
    if sub_resource && let Some((_, parent)) = remaining.next() {
        prefix.insert(0, parent_word(parent));
    }
    out.push(format!("{verb} {} {resource}", prefix.join(" ")));
    for (_, parent) in remaining {
        prefix.insert(0, parent_word(parent));
        out.push(format!("{verb} {} {resource}", prefix.join(" ")));
    }
    // The whole path, parameters included, is unique per method (versions last of all).
    let mut full: Vec<String> = all
        .iter()
        .filter(|s| !is_version(s))
        .map(|s| s.replace(['{', '}'], ""))
        .collect();
    full.insert(0, method.to_owned());
    out.push(full.join(" "));
    // Only the version tells it apart: the short name with the version after it.
    let versions: Vec<&str> = all.iter().copied().filter(|s| is_version(s)).collect();
    if !versions.is_empty() {
        out.push(format!("{} {}", out[0], versions.join(" ")));
    }
    out.iter_mut()
        .for_each(|n| *n = n.split_whitespace().collect::<Vec<_>>().join(" "));
    out.dedup();
    out
}

fn is_action(segment: &str) -> bool {
    let words = words(segment);
    words.first().is_some_and(|w| ACTIONS.contains(&w.as_str()))
        // `gdpr-delete`, `mark-as-read`; a plural noun (`merges`, `exports`) is not an action.
        && !is_plural(segment)
}

/// `v3`, `v1beta1`, `v2.1`, `2010-04-01`, `2025-09`, `2026-09-beta`.
pub fn is_version(segment: &str) -> bool {
    let s = segment.to_ascii_lowercase();
    let semver = s.strip_prefix('v').is_some_and(|rest| {
        let digits = rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
        rest.starts_with(|c: char| c.is_ascii_digit())
            && (digits.is_empty()
                || ["alpha", "beta", "preview"].iter().any(|tag| {
                    digits
                        .strip_prefix(tag)
                        .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
                }))
    });
    let mut parts = s.splitn(4, '-');
    let year = parts
        .next()
        .is_some_and(|y| y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()));
    let month = parts
        .next()
        .is_some_and(|m| m.len() == 2 && m.chars().all(|c| c.is_ascii_digit()));
    let rest: Vec<&str> = parts.collect();
    let tail_ok = match rest.as_slice() {
        [] => true,
        [day] if day.len() == 2 && day.chars().all(|c| c.is_ascii_digit()) => true,
        [tag] => tag.chars().all(|c| c.is_ascii_alphabetic()),
        [day, tag] => {
            day.len() == 2
                && day.chars().all(|c| c.is_ascii_digit())
                && tag.chars().all(|c| c.is_ascii_alphabetic())
        }
        _ => false,
    };
    semver || (year && month && tail_ok)
}

fn is_plural(word: &str) -> bool {
    singular(word) != word
}

/// English plurals well enough for resource names (`threads`, `policies`, `addresses`).
fn singular(word: &str) -> String {
    // `objects 0-420`: the noun is the word before the id.
    if let Some((noun, id)) = word.split_once(' ') {
        return format!("{} {id}", singular(noun));
    }
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if word.ends_with("sses")
        || word.ends_with("xes")
        || word.ends_with("ches")
        || word.ends_with("shes")
    {
        word[..word.len() - 2].to_owned()
    } else if word.ends_with('s')
        && !word.ends_with("ss")
        && !word.ends_with("us")
        && !word.ends_with("is")
    {
        word[..word.len() - 1].to_owned()
    } else {
        word.to_owned()
    }
}

/// What `cargo xtask corpus` counts as a badly named operation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NameAudit {
    /// A version in the name: `v3`, `2010_04_01`, `2025_09`.
    pub version_fragment: bool,
    /// A numeric counter at the end (`list_items_2`).
    pub numeric_counter: bool,
    /// `create_…` for a path that ends in an action (`POST …/batch/read` → `create_read`).
    pub create_for_action: bool,
}

pub fn audit_name(method_name: &str, path: &str) -> NameAudit {
    let parts: Vec<&str> = method_name
        .trim_start_matches("r#")
        .split('_')
        .filter(|w| !w.is_empty())
        .collect();
    let digits = |w: &str, n: usize| w.len() == n && w.chars().all(|c| c.is_ascii_digit());
    let version_fragment = parts
        .iter()
        .any(|w| w.len() > 1 && w.starts_with('v') && is_version(w))
        || parts.windows(2).any(|p| digits(p[0], 4) && digits(p[1], 2));
    let numeric_counter = parts.len() > 1
        && parts
            .last()
            .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()));
    let last = path
        .rsplit('/')
        .find(|s| !s.is_empty())
        .unwrap_or("")
        .trim_end_matches(".json");
    let last = last.rsplit(':').next().unwrap_or(last);
    let create_for_action = method_name.starts_with("create_")
        && !last.starts_with('{')
        && is_action(last)
        && words(last).first().is_some_and(|w| w != "create");
    NameAudit {
        version_fragment,
        numeric_counter,
        create_for_action,
    }
}

#[cfg(test)]
mod tests;
