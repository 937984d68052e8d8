//! Method names for operations. A plain `operationId` (`getThread`) is used as it is; a
//! missing or path-like one (`get-/conversations/v3/conversations/threads/{threadId}`, as
//! HubSpot's specs have) is replaced by a verb and the resource it acts on (`get_thread`),
//! made longer only where two operations would otherwise share a name.

/// What is known about one operation when naming it.
pub struct Named<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub operation_id: Option<&'a str>,
}

/// A snake_case-able name per operation, in order; equal names are left for the caller's
/// scope to suffix.
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
        let mut grew = false;
        for i in 0..ops.len() {
            let clash = idents
                .iter()
                .enumerate()
                .any(|(j, n)| j != i && *n == idents[i]);
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
    let method_prefixed = [
        "get", "put", "post", "delete", "patch", "head", "options", "trace",
    ]
    .iter()
    // Compared as bytes: the id is arbitrary text and may not split at `m.len()`.
    .any(|m| {
        let bytes = id.as_bytes();
        bytes.len() > m.len() + 1
            && bytes[..m.len()].eq_ignore_ascii_case(m.as_bytes())
            && bytes[m.len()..].starts_with(b"-/")
    });
    !id.is_empty() && !id.starts_with('/') && !id.contains(['{', '}']) && !method_prefixed
}

/// Names from shortest to fullest.
fn candidates(op: &Named<'_>) -> Vec<String> {
    if let Some(id) = op.operation_id.filter(|id| is_readable(id)) {
        return vec![id.to_owned()];
    }
    // HubSpot's ids start with the method: `get-/path` or `post-/path_suffix`.
    let path = op
        .operation_id
        .and_then(|id| id.find('/').map(|i| &id[i..]))
        .map(|p| p.split('_').next().unwrap_or(p))
        .unwrap_or(op.path);
    let segments: Vec<&str> = path
        .split('/')
        .filter(|s| !s.is_empty() && !is_version(s))
        .map(|s| s.trim_end_matches(".json"))
        .collect();
    let literals: Vec<&str> = segments
        .iter()
        .copied()
        .filter(|s| !s.starts_with('{'))
        .collect();
    let targets_one = segments.last().is_some_and(|s| s.starts_with('{'));
    let verb = match (op.method, targets_one) {
        ("get", true) => "get",
        ("get", false) => "list",
        ("post", false) => "create",
        ("put", _) => "replace",
        ("patch", _) => "update",
        (other, _) => other,
    };
    let Some((resource, parents)) = literals.split_last() else {
        return vec![format!("{verb} root")];
    };
    let resource = if targets_one || verb == "create" {
        singular(resource)
    } else {
        (*resource).to_owned()
    };
    let mut out = vec![format!("{verb} {resource}")];
    for depth in 1..=parents.len() {
        let prefix: Vec<String> = parents[parents.len() - depth..]
            .iter()
            .map(|p| singular(p))
            .collect();
        out.push(format!("{verb} {} {resource}", prefix.join(" ")));
    }
    // The full path, parameters included, is unique per method.
    out.push(format!(
        "{} {}",
        op.method,
        segments.join(" ").replace(['{', '}'], "")
    ));
    out
}

fn is_version(segment: &str) -> bool {
    let s = segment.to_ascii_lowercase();
    let version = s.strip_prefix('v').is_some_and(|rest| {
        !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit() || c == '.')
    });
    let date = s.len() == 10
        && s.chars().filter(|c| *c == '-').count() == 2
        && s.chars().all(|c| c.is_ascii_digit() || c == '-');
    version || date
}

/// English plurals well enough for resource names (`threads`, `policies`, `addresses`).
fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if word.ends_with("sses")
        || word.ends_with("xes")
        || word.ends_with("ches")
        || word.ends_with("shes")
    {
        word[..word.len() - 2].to_owned()
    } else if word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") {
        word[..word.len() - 1].to_owned()
    } else {
        word.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(ops: &[(&str, &str, Option<&str>)]) -> Vec<String> {
        let named: Vec<Named<'_>> = ops
            .iter()
            .map(|(method, path, id)| Named {
                method,
                path,
                operation_id: *id,
            })
            .collect();
        operation_names(&named)
    }

    #[test]
    fn path_like_ids_become_verbs_and_resources() {
        let t = "/conversations/v3/conversations/threads/{threadId}";
        assert_eq!(
            names(&[
                (
                    "get",
                    t,
                    Some("get-/conversations/v3/conversations/threads/{threadId}")
                ),
                (
                    "get",
                    "/conversations/v3/conversations/threads",
                    Some("get-/conversations/v3/conversations/threads_getPage")
                ),
                ("post", "/conversations/v3/conversations/threads", None),
                ("patch", t, None),
                ("delete", t, None),
                ("get", "/2010-04-01/Accounts/{Sid}/Messages.json", None),
                ("get", "/", None),
                ("get", "/x", Some("getThing")),
                ("get", "/app", Some("apps/get-authenticated")),
            ]),
            [
                "get thread",
                "list threads",
                "create thread",
                "update thread",
                "delete thread",
                "list Messages",
                "list root",
                "getThing",
                "apps/get-authenticated"
            ]
        );
    }

    /// Found by the property test in CI: a multi-byte character where a method name would
    /// end made the method-prefix check slice inside a character and panic.
    #[test]
    fn multi_byte_operation_ids_do_not_panic() {
        assert_eq!(names(&[("get", "/a", Some("日本/x"))]), ["日本/x"]);
        assert_eq!(names(&[("get", "/a", Some("géé-/x"))]), ["géé-/x"]);
        assert_eq!(names(&[("get", "/a", Some("postéé"))]), ["postéé"]);
    }

    #[test]
    fn clashing_names_grow_until_they_differ() {
        assert_eq!(
            names(&[
                ("get", "/threads/{id}/messages", None),
                ("get", "/inboxes/{id}/messages", None),
                ("get", "/users", None),
            ]),
            ["list thread messages", "list inbox messages", "list users"]
        );
    }
}
