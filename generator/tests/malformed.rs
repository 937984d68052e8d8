//! A table of malformed and hostile documents: each must give located errors (file, JSON
//! pointer, line:column where the parser knows it) and a clear message — never a panic.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use openapi_gen::{Error, Options, generate};

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

struct Case {
    name: &'static str,
    file: &'static str,
    text: String,
    pointer: &'static str,
    message: &'static str,
    line: Option<usize>,
}

fn case(
    name: &'static str,
    file: &'static str,
    text: impl Into<String>,
    pointer: &'static str,
    message: &'static str,
    line: Option<usize>,
) -> Case {
    Case {
        name,
        file,
        text: text.into(),
        pointer,
        message,
        line,
    }
}

fn yaml(body: &str) -> String {
    format!("{HEAD}{body}")
}

fn cases() -> Vec<Case> {
    vec![
        case(
            "YAML: unclosed flow mapping",
            "a.yaml",
            "openapi: 3.0.3\ninfo: {title: t\npaths: {}\n",
            "#",
            "invalid YAML",
            Some(3),
        ),
        case(
            "YAML: tab indentation",
            "a.yaml",
            "openapi: 3.0.3\ninfo:\n\ttitle: t\n",
            "#",
            "invalid YAML",
            Some(3),
        ),
        // serde_yaml locates a duplicate key at the mapping that holds it.
        case(
            "YAML: duplicate key",
            "a.yaml",
            "openapi: 3.0.3\nopenapi: 3.0.1\n",
            "#",
            "duplicate",
            Some(1),
        ),
        case(
            "JSON: trailing comma",
            "a.json",
            "{\"openapi\": \"3.0.3\",\n \"info\": {},\n}",
            "#",
            "invalid JSON",
            Some(3),
        ),
        case(
            "JSON: unterminated string",
            "a.json",
            "{\"openapi\": \"3.0.3",
            "#",
            "invalid JSON",
            Some(1),
        ),
        case("empty document", "a.yaml", "", "#", "not a mapping", None),
        case(
            "a list, not a mapping",
            "a.yaml",
            "- 1\n- 2\n",
            "#",
            "not a mapping",
            None,
        ),
        case(
            "no openapi field",
            "a.yaml",
            "info: {title: t, version: '1'}\npaths: {}\n",
            "#",
            "missing `openapi`",
            None,
        ),
        case(
            "OpenAPI 3.1 with a dangling $ref",
            "a.yaml",
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    A: {type: [object, 'null'], properties: {b: {$ref: '#/components/schemas/Gone'}}}\n",
            "#/components/schemas/A/properties/b",
            "points to a schema that does not exist",
            Some(5),
        ),
        case(
            "Swagger 2.0 with a dangling $ref",
            "a.json",
            "{\"swagger\": \"2.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {}, \"definitions\": {\"A\": {\"type\": \"object\", \"properties\": {\"b\": {\"$ref\": \"#/definitions/Gone\"}}}}}",
            "#/definitions/A/properties/b",
            "points to a schema that does not exist",
            Some(1),
        ),
        case(
            "Swagger 1.2",
            "a.json",
            "{\"swagger\": \"1.2\", \"info\": {}}",
            "#/swagger",
            "expected 2.0",
            None,
        ),
        case(
            "openapi as a number",
            "a.yaml",
            "openapi: 2.5\ninfo: {title: t, version: '1'}\n",
            "#/openapi",
            "unsupported `openapi` version",
            None,
        ),
        case(
            "no info",
            "a.yaml",
            "openapi: 3.0.3\npaths: {}\n",
            "#",
            "missing field `info`",
            None,
        ),
        case(
            "title of the wrong type",
            "a.yaml",
            "openapi: 3.0.3\ninfo: {title: [1], version: '1'}\npaths: {}\n",
            "#/info/title",
            "invalid type: sequence",
            None,
        ),
        case(
            "paths is a string",
            "a.yaml",
            yaml("paths: nothing\n"),
            "#/paths",
            "invalid type",
            None,
        ),
        case(
            "responses is a number",
            "a.yaml",
            yaml("paths:\n  /a:\n    get:\n      responses: 7\n"),
            "#/paths/~1a/get/responses",
            "invalid type",
            None,
        ),
        case(
            "parameter without `in`",
            "a.yaml",
            yaml(
                "paths:\n  /a:\n    get:\n      parameters: [{name: x, schema: {type: string}}]\n      responses: {'204': {description: ok}}\n",
            ),
            "#/paths/~1a/get/parameters/0",
            "missing field `in`",
            None,
        ),
        case(
            "schema keyword of the wrong type",
            "a.yaml",
            yaml(
                "paths: {}\ncomponents:\n  schemas:\n    A: {type: object, properties: {b: {type: string, maxLength: lots}}}\n",
            ),
            "#/components/schemas/A/properties/b",
            "invalid type: string \"lots\"",
            None,
        ),
        case(
            "dangling schema $ref",
            "a.yaml",
            yaml(
                "paths: {}\ncomponents:\n  schemas:\n    A: {type: object, properties: {b: {$ref: '#/components/schemas/Nope'}}}\n",
            ),
            "#/components/schemas/A/properties/b",
            "does not exist",
            None,
        ),
        case(
            "external $ref",
            "a.yaml",
            yaml(
                "paths: {}\ncomponents:\n  schemas:\n    A: {type: object, properties: {b: {$ref: 'other.yaml#/components/schemas/B'}}}\n",
            ),
            "#/components/schemas/A/properties/b",
            "only local refs",
            None,
        ),
        case(
            "$ref into a missing part of a schema",
            "a.yaml",
            yaml(
                "paths: {}\ncomponents:\n  schemas:\n    A: {type: object, properties: {b: {$ref: '#/components/schemas/B/properties/nope'}}}\n    B: {type: object, properties: {c: {type: string}}}\n",
            ),
            "#/components/schemas/A/properties/b",
            "only local refs",
            None,
        ),
        case(
            "cyclic $ref aliases",
            "a.yaml",
            yaml(
                "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
            ),
            "#/components/schemas",
            "A, B only refer to each other",
            None,
        ),
        case(
            "a schema that is its own alias",
            "a.yaml",
            yaml("paths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/A'}\n"),
            "#/components/schemas",
            "A only refer to each other",
            None,
        ),
        case(
            "cyclic parameter $refs",
            "a.yaml",
            yaml(
                "paths:\n  /a:\n    get:\n      parameters: [{$ref: '#/components/parameters/P'}]\n      responses: {'204': {description: ok}}\ncomponents:\n  parameters:\n    P: {$ref: '#/components/parameters/Q'}\n    Q: {$ref: '#/components/parameters/P'}\n",
            ),
            "#/paths/~1a/get/parameters/0",
            "too long or cyclic",
            None,
        ),
        case(
            "dangling response $ref",
            "a.yaml",
            yaml(
                "paths:\n  /a:\n    get:\n      responses: {'200': {$ref: '#/components/responses/Gone'}}\n",
            ),
            "#/paths/~1a/get/responses/200",
            "points to nothing",
            None,
        ),
        case(
            "dangling requestBody $ref",
            "a.yaml",
            yaml(
                "paths:\n  /a:\n    post:\n      requestBody: {$ref: '#/components/requestBodies/Gone'}\n      responses: {'204': {description: ok}}\n",
            ),
            "#/paths/~1a/post/requestBody",
            "points to nothing",
            None,
        ),
        case(
            "duplicate operationId",
            "a.yaml",
            yaml(
                "paths:\n  /a:\n    get: {operationId: same, responses: {'204': {description: ok}}}\n  /b:\n    get: {operationId: same, responses: {'204': {description: ok}}}\n",
            ),
            "#/paths/~1b/get/operationId",
            "also used at #/paths/~1a/get",
            None,
        ),
        case(
            "unclosed brace in a path",
            "a.yaml",
            yaml("paths:\n  /a/{id:\n    get: {responses: {'204': {description: ok}}}\n"),
            "#/paths/~1a~1{id/get",
            "unclosed `{`",
            None,
        ),
        case(
            "parameter content that is not JSON",
            "a.yaml",
            yaml(
                "paths:\n  /a/{id}:\n    get:\n      parameters: [{name: id, in: path, required: true, content: {text/plain: {schema: {type: string}}}}]\n      responses: {'204': {description: ok}}\n",
            ),
            "#/paths/~1a~1{id}/get/parameters/0/content",
            "only JSON `content` is supported for parameters",
            None,
        ),
        case(
            "allOf of a string and an object",
            "a.yaml",
            yaml(
                "paths: {}\ncomponents:\n  schemas:\n    A: {allOf: [{type: string}, {type: object, properties: {a: {type: string}}}]}\n",
            ),
            "#/components/schemas/A",
            "mixes objects with non-object schemas",
            None,
        ),
        case(
            "allOf of string enums with no value in common",
            "a.yaml",
            yaml(
                "paths: {}\ncomponents:\n  schemas:\n    A: {allOf: [{type: string, enum: [a, b]}, {type: string, enum: [c]}]}\n",
            ),
            "#/components/schemas/A",
            "no value in common",
            None,
        ),
        case(
            "YAML alias bomb",
            "a.yaml",
            "openapi: 3.0.3\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\ni: [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n",
            "#",
            "billion laughs",
            None,
        ),
        case(
            "nesting past the parser's limit",
            "a.json",
            format!(
                "{{\"openapi\": \"3.0.3\", \"x\": {}{}}}",
                "[".repeat(10_000),
                "]".repeat(10_000)
            ),
            "#",
            "recursion limit",
            Some(1),
        ),
    ]
}

#[test]
fn every_malformed_document_gets_a_located_clear_error() {
    let cases = cases();
    assert!(cases.len() >= 25, "the table covers at least 25 documents");
    let mut failures = Vec::new();
    for c in &cases {
        let diagnostics = match generate(c.file, &c.text, &Options::new("x")) {
            Err(Error::Spec(d)) => d.0,
            Err(other) => {
                failures.push(format!("{}: not a spec error: {other}", c.name));
                continue;
            }
            Ok(_) => {
                failures.push(format!("{}: accepted", c.name));
                continue;
            }
        };
        let found = diagnostics
            .iter()
            .find(|d| d.pointer == c.pointer && d.message.contains(c.message));
        match found {
            None => failures.push(format!(
                "{}: wanted {} / {:?}, got {diagnostics:?}",
                c.name, c.pointer, c.message
            )),
            Some(d) => {
                if d.file != c.file {
                    failures.push(format!("{}: file {}", c.name, d.file));
                }
                if let Some(line) = c.line
                    && d.line_col.map(|(l, _)| l) != Some(line)
                {
                    failures.push(format!("{}: line {:?}, wanted {line}", c.name, d.line_col));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// The directory's wrong-typed keywords (api.video's `pattern: 0`, codat's map where `type`
/// wants a string, peertube's callback that is a `$ref` string): refused strictly with the
/// keyword located; under `--lenient` each keyword is dropped with a located warning and the
/// rest is generated.
#[test]
fn lenient_drops_a_keyword_whose_value_has_the_wrong_type() {
    let text = format!(
        "{HEAD}paths:\n  /v:\n    get:\n      operationId: getV\n      callbacks:\n        done:\n          $ref: '#/components/callbacks/x'\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/V'}}\ncomponents:\n  schemas:\n    V:\n      type: object\n      properties:\n        code: {{type: string, pattern: 0}}\n        kind: {{type: {{a: b}}}}\n        name: {{type: string}}\n"
    );
    let strict = generate("v.yaml", &text, &Options::new("v")).unwrap_err();
    assert!(
        strict
            .to_string()
            .contains("#/paths/~1v/get/callbacks/done/$ref"),
        "{strict}"
    );
    let options = Options {
        lenient: true,
        ..Options::new("v")
    };
    let krate = generate("v.yaml", &text, &options).unwrap();
    let dropped: Vec<&str> = krate
        .warnings
        .iter()
        .filter(|w| w.message.starts_with("dropped (--lenient)"))
        .map(|w| w.pointer.as_str())
        .collect();
    assert_eq!(
        dropped,
        [
            "#/paths/~1v/get/callbacks/done/$ref",
            "#/components/schemas/V/properties/code/pattern",
            "#/components/schemas/V/properties/kind/type",
        ],
        "{:?}",
        krate.warnings
    );
    let types = &krate
        .files
        .iter()
        .find(|(p, _)| p == "src/types.rs")
        .unwrap()
        .1;
    assert!(types.contains("pub code: Option<String>"), "{types}");
    assert!(types.contains("pub name: Option<String>"), "{types}");
}

/// A Swagger 2.0 document with 3.1's `type: [T, "null"]` (Weaviate's) reads, with a
/// warning; its errors name the document's own `#/definitions/…` with line and column.
#[test]
fn a_swagger_2_document_with_type_lists_reads_and_is_located_in_its_own_terms() {
    let text = "swagger: '2.0'\ninfo: {title: w, version: '1'}\npaths:\n  /things:\n    get:\n      operationId: listThings\n      responses:\n        '200': {description: ok, schema: {$ref: '#/definitions/Thing'}}\ndefinitions:\n  Thing:\n    type: object\n    properties:\n      name: {type: [string, 'null']}\n      size: {type: [integer, string]}\n";
    let krate = generate("w.yaml", text, &Options::new("w")).unwrap();
    assert!(
        krate
            .warnings
            .iter()
            .any(|w| w.message.contains("2 schema(s) give `type` as a list")),
        "{:?}",
        krate.warnings
    );
    let types = &krate
        .files
        .iter()
        .find(|(p, _)| p == "src/types.rs")
        .unwrap()
        .1;
    assert!(types.contains("pub name: Option<String>"), "{types}");
    let broken = format!("{text}      bad: {{type: string, pattern: 5}}\n");
    match generate("w.yaml", &broken, &Options::new("w")) {
        Err(Error::Spec(d)) => {
            let d = &d.0[0];
            assert_eq!(d.pointer, "#/definitions/Thing/properties/bad");
            assert_eq!(d.line_col.map(|(line, _)| line), Some(15));
            assert!(d.message.contains("Swagger 2.0"), "{}", d.message);
        }
        other => panic!("expected a located error, got {other:?}"),
    }
}
