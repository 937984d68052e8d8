//! Spec text made inert for each place it lands: one function per destination (doc
//! comment, TOML string, line comment). Whatever a description holds, the result is text
//! there: never a doctest, a raw HTML element, a bidi reordering, an unescaped quote, or a
//! line break that ends a comment.
//!
//! Doc comments are checked with pulldown-cmark, the Markdown parser rustdoc itself uses:
//! the text is rewritten until the parser finds no code block but ```` ```text ```` and no
//! raw HTML, and if that cannot be reached, every line is flattened to a paragraph line
//! (which cannot open a block of any kind) and checked again.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};
use std::fmt::Write as _;
use std::ops::Range;

/// Rewrites before falling back to flat lines; real descriptions need one.
const MAX_PASSES: usize = 4;

/// What is left when even flat lines would not parse as inert (never seen; a guard).
const OMITTED: &str = "(This description could not be shown safely and was left out.)";

/// Spec text as the lines of a doc comment that rustdoc renders as text: every code
/// block a ```` ```text ```` block (rustdoc runs Rust, untagged and indented blocks as
/// doctests), raw HTML escaped, control and bidi characters shown as `\u{…}`, every fence
/// closed so nothing after it is swallowed.
pub fn doc_lines(text: &str) -> Vec<String> {
    let visible = visible(text);
    let trimmed = visible.trim();
    if trimmed.is_empty() {
        return Vec::new();
    }
    let mut doc = trimmed.to_owned();
    for _ in 0..MAX_PASSES {
        match rewrite(&doc) {
            Rewrite::Inert => {
                if let Some(closed) = closed(doc) {
                    return closed.lines().map(str::to_owned).collect();
                }
                break;
            }
            Rewrite::Edited(next) => doc = next,
        }
    }
    let flat = flat(trimmed);
    if findings(&flat).is_empty() && closed(flat.clone()).is_some() {
        flat.lines().map(str::to_owned).collect()
    } else {
        vec![OMITTED.to_owned()]
    }
}

/// Spec text as one line inside the generator's own Markdown (a list item, a table cell, a
/// page's first line): line breaks become spaces, and the characters that open code, HTML,
/// links, emphasis, tables or (first on a line) a block are backslash-escaped, so it is
/// plain text wherever it is put.
pub fn inline(text: &str) -> String {
    let visible = visible(text);
    let mut out = String::with_capacity(visible.len());
    for word in visible.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            let opens = matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '!' | '|' | '~' | '&'
            );
            if opens || (out.is_empty() && c.is_ascii_punctuation()) {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// A TOML basic string (`"…"`): quotes, backslashes, control characters (DEL included,
/// which JSON leaves as it is and TOML rejects) and bidi controls escaped.
pub fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if hidden(c) => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text on one line of a `//` or `#` comment: line breaks and control characters shown as
/// `\u{…}`, so nothing after them becomes code or TOML.
pub fn comment(text: &str) -> String {
    text.chars()
        .fold(String::with_capacity(text.len()), |mut out, c| {
            if hidden(c) || c == '\n' {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            } else {
                out.push(c);
            }
            out
        })
}

/// Characters that must not appear as they are in generated text: controls (but line
/// feeds and tabs), line and paragraph separators, and the bidi controls rustc rejects in
/// comments and literals (`text_direction_codepoint_in_comment`).
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// Line endings as `\n` (a lone CR is a line break to Markdown and an error to rustc in a
/// doc comment), every other hidden character as `\u{…}`.
fn visible(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if hidden(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// The parser with the extensions rustdoc enables.
fn parse(text: &str) -> impl Iterator<Item = (Event<'_>, Range<usize>)> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION;
    Parser::new_ext(text, options).into_offset_iter()
}

/// What in `text` is not inert: code blocks other than `text` ones, raw HTML.
#[derive(Debug, PartialEq)]
enum Finding {
    /// A fenced block; the range is the whole block.
    Fence(Range<usize>),
    /// One line's content in an indented block (the range starts at its first character).
    IndentedLine(usize),
    Html(Range<usize>),
}

fn findings(text: &str) -> Vec<Finding> {
    let mut found = Vec::new();
    let mut indented = false;
    for (event, range) in parse(text) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if &*info != "text" => {
                found.push(Finding::Fence(range));
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => indented = true,
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => indented = false,
            Event::Text(_) if indented => found.push(Finding::IndentedLine(range.start)),
            Event::Html(_) | Event::InlineHtml(_) => found.push(Finding::Html(range)),
            _ => {}
        }
    }
    found
}

enum Rewrite {
    Inert,
    Edited(String),
}

/// One pass: every finding edited in place (a fence's info becomes `text`, an indented
/// line loses its indentation, `<` of raw HTML becomes `&lt;`).
fn rewrite(text: &str) -> Rewrite {
    let found = findings(text);
    if found.is_empty() {
        return Rewrite::Inert;
    }
    let mut edits: Vec<(Range<usize>, &str)> = Vec::new();
    for finding in found {
        match finding {
            Finding::Fence(range) => {
                let line_end = text[range.start..]
                    .find('\n')
                    .map_or(text.len(), |i| range.start + i);
                let line = &text[range.start..line_end];
                let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
                let rest = &line[indent..];
                let Some(fence) = rest.chars().next().filter(|c| matches!(c, '`' | '~')) else {
                    // Not where a fence was expected: the next pass falls back to flat lines.
                    return Rewrite::Edited(flat(text));
                };
                let marker = rest.len() - rest.trim_start_matches(fence).len();
                edits.push((range.start + indent + marker..line_end, "text"));
            }
            Finding::IndentedLine(start) => {
                let bytes = text.as_bytes();
                let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
                let mut from = start;
                while from > line_start && matches!(bytes[from - 1], b' ' | b'\t') {
                    from -= 1;
                }
                let mut to = start;
                while to < bytes.len() && matches!(bytes[to], b' ' | b'\t') {
                    to += 1;
                }
                let joiner = if from == line_start { "" } else { " " };
                edits.push((from..to, joiner));
            }
            Finding::Html(range) => {
                for (i, _) in text[range.clone()].match_indices('<') {
                    let at = range.start + i;
                    edits.push((at..at + 1, "&lt;"));
                }
            }
        }
    }
    edits.sort_by_key(|(range, _)| (range.start, range.end));
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    for (range, replacement) in edits {
        if range.start < at {
            continue;
        }
        out.push_str(&text[at..range.start]);
        out.push_str(replacement);
        at = range.end;
    }
    out.push_str(&text[at..]);
    Rewrite::Edited(out)
}

/// `text` with a closing fence added when a fence is still open at its end (what comes
/// after it in the same doc comment would be inside the block); `None` when it cannot be
/// closed.
fn closed(mut text: String) -> Option<String> {
    const PROBE: &str = "openapi-gen-end-of-text";
    for _ in 0..2 {
        let probe = format!("{text}\n\n{PROBE}");
        let mut open: Option<(char, usize)> = None;
        let mut in_block = false;
        let mut swallowed = false;
        for (event, range) in parse(&probe) {
            match event {
                Event::Start(Tag::CodeBlock(kind)) => {
                    in_block = true;
                    open = match kind {
                        CodeBlockKind::Fenced(_) => {
                            let line = probe[range].trim_start_matches([' ', '\t']);
                            let fence = line.chars().next()?;
                            Some((fence, line.len() - line.trim_start_matches(fence).len()))
                        }
                        CodeBlockKind::Indented => None,
                    };
                }
                Event::End(pulldown_cmark::TagEnd::CodeBlock) => in_block = false,
                Event::Text(t) if in_block && t.contains(PROBE) => swallowed = true,
                _ => {}
            }
        }
        if !swallowed {
            return Some(text);
        }
        let (fence, length) = open?;
        text.push('\n');
        text.extend(std::iter::repeat_n(fence, length));
    }
    None
}

/// Every line a paragraph line: no indentation, and a first character that cannot start
/// a block (ASCII punctuation escaped, an ordered-list number's `.`/`)` escaped), raw HTML
/// escaped.
fn flat(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.lines() {
        let line = line.trim_start().replace('<', "&lt;");
        let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        match line.chars().next() {
            Some(c) if c.is_ascii_punctuation() && !line.starts_with("&lt;") => {
                out.push('\\');
                out.push_str(&line);
            }
            Some(_) if digits > 0 && line[digits..].starts_with(['.', ')']) => {
                out.push_str(&line[..digits]);
                out.push('\\');
                out.push_str(&line[digits..]);
            }
            _ => out.push_str(&line),
        }
        out.push('\n');
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> String {
        doc_lines(text).join("\n")
    }

    #[test]
    fn code_blocks_become_text_blocks() {
        assert_eq!(
            doc("Intro\n```\nlet x = 1;\n```\n```json\n{\"a\": 1}\n```"),
            "Intro\n```text\nlet x = 1;\n```\n```text\n{\"a\": 1}\n```"
        );
        assert_eq!(doc("a\n\n    indented\n    more"), "a\n\nindented\nmore");
        assert_eq!(doc("> q\n>\n>     code"), "> q\n>\n> code");
        assert_eq!(doc("~~~rust\nfn main() {}"), "~~~text\nfn main() {}\n~~~");
    }

    #[test]
    fn html_and_hidden_characters_are_shown_as_text() {
        assert_eq!(
            doc("<script>alert(1)</script>"),
            "&lt;script>alert(1)&lt;/script>"
        );
        assert_eq!(doc("a <b>bold</b>"), "a &lt;b>bold&lt;/b>");
        assert_eq!(doc("a\u{202E}b\rc\u{7f}"), "a\\u{202e}b\nc\\u{7f}");
        assert_eq!(
            toml_string("x\"\\\u{7f}\u{202e}\n"),
            "\"x\\\"\\\\\\u007F\\u202E\\n\""
        );
        assert_eq!(comment("a\nb\u{2028}"), "a\\u{a}b\\u{2028}");
    }

    #[test]
    fn inline_text_is_one_plain_line() {
        assert_eq!(
            inline("https://api.example.com/v1 — EU (a)\n```rust\n<b>x</b> *y* [z](w) `q` a|b"),
            "https://api.example.com/v1 — EU (a) \\`\\`\\`rust \\<b\\>x\\</b\\> \\*y\\* \\[z\\](w) \\`q\\` a\\|b"
        );
        assert_eq!(inline("- a\n+ b"), "\\- a + b");
    }

    #[test]
    fn ordinary_text_is_kept_as_written() {
        let text = "Returns the thread.\n\n- `id`: the thread\n- see [docs](https://x.example)\n\n| a | b |\n|---|---|\n| 1 | 2 |";
        assert_eq!(doc(text), text);
    }

    #[test]
    fn flat_lines_open_no_block() {
        let text = "    a\n```rust\n> b\n1. c\n- d\n<div>\n# e";
        let flat = flat(text);
        assert_eq!(flat, "a\n\\```rust\n\\> b\n1\\. c\n\\- d\n&lt;div>\n\\# e");
        assert!(findings(&flat).is_empty());
    }

    /// Lines assembled from the pieces CommonMark builds blocks from, in any order and
    /// nesting: whatever comes out parses (with rustdoc's parser) to no code block but
    /// `text` ones, no raw HTML, and no fence left open.
    #[test]
    fn any_arrangement_of_block_syntax_comes_out_inert() {
        use proptest::prelude::*;
        let piece = prop::sample::select(vec![
            "```",
            "```rust",
            "```json,rust",
            "```rust\t",
            "~~~",
            "~~~~",
            "````",
            "``` `x`",
            "    ",
            "\t",
            "  ",
            "> ",
            ">",
            "- ",
            "* ",
            "1. ",
            "2) ",
            "[^1]: ",
            "<div>",
            "<!--",
            "-->",
            "fn main() {}",
            "text",
            "\r",
            "\r\n",
            "\n",
            "\n\n",
            "`",
            "\\",
            "|",
            "#",
        ]);
        let text = prop::collection::vec(piece, 0..40).prop_map(|p| p.concat());
        proptest!(ProptestConfig::with_cases(4000), |(text in text)| {
            let doc = doc_lines(&text).join("\n");
            prop_assert!(findings(&doc).is_empty(), "{text:?} became {doc:?}");
            prop_assert_eq!(closed(doc.clone()), Some(doc.clone()));
            prop_assert!(!doc.contains('\r'));
            // In a list item, as the crate page puts a server's description.
            let item = format!("- {}", inline(&text));
            prop_assert!(findings(&item).is_empty(), "{text:?} became {item:?}");
            prop_assert!(!item.contains('\n'));
            let first = inline(&text);
            prop_assert!(findings(&first).is_empty(), "{text:?} became {first:?}");
        });
    }
}
