//! The line and column of a JSON pointer in the document's text, so diagnostics from any
//! stage point at the source as well as the structure. The parsers keep no positions per
//! node, so this follows the pointer's keys through the text in order; where that cannot be
//! exact (an array index past the first) it gives no position rather than a wrong one.

/// `(line, column)`, 1-based, of the last key of `pointer` in `text`.
pub fn locate(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let path = pointer.strip_prefix("#/")?;
    let mut at = 0;
    let mut found = None;
    for raw in path.split('/') {
        let key = raw.replace("~1", "/").replace("~0", "~");
        if key.chars().all(|c| c.is_ascii_digit()) && !key.is_empty() {
            if key == "0" {
                continue;
            }
            return None;
        }
        let start = find_key(text, &key, at)?;
        at = start + key.len();
        found = Some(start);
    }
    let offset = found?;
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rfind('\n').map_or(offset, |i| offset - i - 1) + 1;
    Some((line, column))
}

/// The first place at or after `from` where `key` stands as a mapping key: quoted and
/// followed by `:`, or bare at the start of a line or after `{`/`,` and followed by `:`.
fn find_key(text: &str, key: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut search = from;
    while let Some(rel) = text.get(search..)?.find(key) {
        let start = search + rel;
        let end = start + key.len();
        let quote = start
            .checked_sub(1)
            .map(|i| bytes[i])
            .filter(|b| *b == b'"' || *b == b'\'');
        let (key_start, after) = match quote {
            Some(q) if bytes.get(end) == Some(&q) => (start - 1, end + 1),
            _ => (start, end),
        };
        let before_ok = key_start == 0
            || matches!(
                bytes[key_start - 1],
                b' ' | b'\t' | b'\n' | b'{' | b',' | b'-'
            );
        let colon = text[after..]
            .trim_start_matches([' ', '\t'])
            .starts_with(':');
        if before_ok && colon {
            return Some(key_start);
        }
        search = start + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::locate;

    #[test]
    fn pointers_find_their_line_in_yaml_and_json() {
        let yaml = "openapi: 3.0.3\npaths:\n  /a/{id}:\n    get:\n      responses: 7\ncomponents:\n  schemas:\n    A: {type: object, properties: {b: {$ref: x}}}\n";
        assert_eq!(
            locate(yaml, "#/paths/~1a~1{id}/get/responses"),
            Some((5, 7))
        );
        assert_eq!(
            locate(yaml, "#/components/schemas/A/properties/b"),
            Some((8, 36))
        );
        let json = "{\n  \"paths\": {\n    \"/a\": {\"get\": {\"responses\": 7}}\n  }\n}";
        assert_eq!(locate(json, "#/paths/~1a/get/responses"), Some((3, 20)));
        assert_eq!(locate(yaml, "#/paths/~1a~1{id}/get/parameters/1"), None);
        assert_eq!(locate(yaml, "#/nowhere"), None);
    }
}
