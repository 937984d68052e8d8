//! Broken or unsupported specs give located errors, never panics.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use openapi_gen::{Error, Options, generate};

fn diagnostics(file: &str, text: &str) -> Vec<openapi_gen::Diagnostic> {
    match generate(file, text, &Options::new("x")) {
        Err(Error::Spec(d)) => d.0,
        Err(other) => panic!("expected spec diagnostics, got {other}"),
        Ok(_) => panic!("expected {file} to be rejected"),
    }
}

fn one(file: &str, text: &str) -> (String, Option<(usize, usize)>, String) {
    let d = diagnostics(file, text);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].file, file);
    (d[0].pointer.clone(), d[0].line_col, d[0].message.clone())
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

#[test]
fn invalid_yaml_has_line_and_column() {
    let (pointer, at, message) = one("bad.yaml", "openapi: 3.0.3\ninfo: {title: t\npaths: {}\n");
    assert_eq!(pointer, "#");
    assert_eq!(at.map(|(line, _)| line), Some(3));
    assert!(message.starts_with("invalid YAML"), "{message}");
}

#[test]
fn invalid_json_has_line_and_column() {
    let (_, at, message) = one("bad.json", "{\"openapi\": \"3.0.3\",\n  \"info\": }");
    assert_eq!(at, Some((2, 11)));
    assert!(message.starts_with("invalid JSON"), "{message}");
}

#[test]
fn other_versions_are_named() {
    let (pointer, _, message) = one(
        "a.yaml",
        "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
    );
    assert_eq!(pointer, "#/openapi");
    assert!(
        message.contains("unsupported `openapi` version"),
        "{message}"
    );
    let (pointer, _, message) = one("s.yaml", "swagger: '1.2'\ninfo: {title: t, version: '1'}\n");
    assert_eq!(pointer, "#/swagger");
    assert!(message.contains("expected 2.0"), "{message}");
    let (_, _, message) = one("n.yaml", "info: {title: t}\n");
    assert!(message.contains("missing `openapi`"), "{message}");
}

#[test]
fn a_wrongly_typed_field_is_located() {
    let text = format!("{HEAD}paths:\n  /a:\n    get:\n      responses: 7\n");
    let (pointer, _, message) = one("t.yaml", &text);
    assert_eq!(pointer, "#/paths/~1a/get/responses");
    assert!(
        message.contains("not a valid OpenAPI 3.0 document"),
        "{message}"
    );
}

#[test]
fn a_dangling_ref_names_the_pointer_that_holds_it() {
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {{$ref: '#/components/schemas/Missing'}}\n"
    );
    let (pointer, _, message) = one("r.yaml", &text);
    assert_eq!(pointer, "#/components/schemas/A/properties/b");
    assert!(message.contains("does not exist"), "{message}");
}

#[test]
fn an_unsupported_construct_is_an_error_with_its_pointer() {
    let text = format!(
        "{HEAD}paths:\n  /a/{{id}}:\n    get:\n      parameters:\n        - {{name: id, in: path, required: true, content: {{application/xml: {{schema: {{type: string}}}}}}}}\n      responses: {{'204': {{description: ok}}}}\n"
    );
    let (pointer, _, message) = one("u.yaml", &text);
    assert_eq!(pointer, "#/paths/~1a~1{id}/get/parameters/0/content");
    assert_eq!(message, "only JSON `content` is supported for parameters");
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let text = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      responses: {{'200': {{$ref: '#/components/responses/Gone'}}}}\ncomponents:\n  schemas:\n    A: {{$ref: '#/components/schemas/Nope'}}\n"
    );
    let d = diagnostics("m.yaml", &text);
    let pointers: Vec<&str> = d.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        ["#/components/schemas/A", "#/paths/~1a/get/responses/200"],
        "{d:?}"
    );
    assert!(
        d[1].message.contains("points to nothing"),
        "{}",
        d[1].message
    );
}

#[test]
fn path_template_mismatches_are_warnings_not_failures() {
    let text = format!(
        "{HEAD}paths:\n  /a/{{id}}:\n    get:\n      parameters: [{{name: gone, in: path, required: true, schema: {{type: string}}}}]\n      responses: {{'204': {{description: ok}}}}\n"
    );
    let krate = generate("w.yaml", &text, &Options::new("x")).expect("generates");
    let messages: Vec<String> = krate
        .warnings
        .iter()
        .map(|w| format!("{}: {}", w.pointer, w.message))
        .collect();
    assert_eq!(
        messages,
        [
            "#/paths/~1a~1{id}/get: path parameter `gone` does not appear in `/a/{id}`; it is ignored",
            "#/paths/~1a~1{id}/get: `{id}` in `/a/{id}` is not declared; it is taken as a required string",
        ]
    );
    let operations = &krate
        .files
        .iter()
        .find(|(p, _)| p == "src/operations.rs")
        .expect("operations")
        .1;
    assert!(operations.contains("id: impl Into<String>"), "{operations}");
}

#[test]
fn an_invalid_crate_name_is_a_usage_error() {
    let text = format!("{HEAD}paths: {{}}\n");
    let err = generate("x.yaml", &text, &Options::new("2026-09-beta")).expect_err("invalid name");
    assert!(matches!(err, Error::Usage(_)), "{err}");
}

#[test]
fn the_display_form_is_file_line_column_pointer_message() {
    let d = diagnostics("bad.yaml", "openapi: 3.0.3\ninfo: [\n");
    let shown = d[0].to_string();
    assert!(shown.starts_with("error: bad.yaml:"), "{shown}");
    assert!(shown.contains(": #: invalid YAML"), "{shown}");
}

#[test]
fn a_wrongly_typed_component_is_located() {
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {{type: string, maxLength: lots}}\n"
    );
    let (pointer, _, message) = one("c.yaml", &text);
    // serde loses the key inside a schema; the message names it instead.
    assert_eq!(pointer, "#/components/schemas/A/properties/b");
    assert!(
        message.contains("invalid type: string \"lots\""),
        "{message}"
    );
}

#[test]
fn integers_beyond_64_bits_are_read() {
    // OpenAI's description bounds an integer by ±9223372036854776000.
    let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    N: {type: integer, minimum: -9223372036854776000, maximum: 9223372036854776000}\n";
    let krate = generate("o.yaml", text, &Options::new("x")).expect("generates");
    assert_eq!(krate.type_count, 1);
}

#[test]
fn lenient_turns_inexpressible_schemas_into_json_values_with_warnings() {
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Odd:\n      allOf: [{{type: string}}, {{type: object, properties: {{a: {{type: string}}}}}}]\n    Uses:\n      type: object\n      properties:\n        odd: {{$ref: '#/components/schemas/Odd'}}\n        gone: {{$ref: '#/components/schemas/Gone'}}\n"
    );
    let strict = diagnostics("l.yaml", &text);
    assert_eq!(strict.len(), 2, "{strict:?}");
    let mut options = Options::new("x");
    options.lenient = true;
    let krate = generate("l.yaml", &text, &options).expect("lenient generates");
    let warnings: Vec<&str> = krate.warnings.iter().map(|w| w.pointer.as_str()).collect();
    assert_eq!(
        warnings,
        [
            "#/components/schemas/Odd",
            "#/components/schemas/Uses/properties/gone"
        ]
    );
    assert!(krate.warnings.iter().all(|w| {
        w.message
            .ends_with("(read as any JSON value under --lenient)")
    }));
    let types = &krate
        .files
        .iter()
        .find(|(p, _)| p == "src/types.rs")
        .expect("types")
        .1;
    assert!(
        types.contains("pub type Odd = serde_json::Value;"),
        "{types}"
    );
}

#[test]
fn lenient_names_a_repeated_operation_id_from_its_method_and_path() {
    let text = format!(
        "{HEAD}paths:\n  /a:\n    get: {{operationId: get, responses: {{'200': {{description: ok}}}}}}\n  /things/{{id}}:\n    get: {{operationId: get, parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}], responses: {{'200': {{description: ok}}}}}}\n"
    );
    assert_eq!(
        diagnostics("d.yaml", &text).len(),
        1,
        "strict mode refuses it"
    );
    let mut options = Options::new("x");
    options.lenient = true;
    let krate = generate("d.yaml", &text, &options).expect("lenient generates");
    assert_eq!(krate.warnings.len(), 1);
    assert_eq!(
        krate.warnings[0].pointer,
        "#/paths/~1things~1{id}/get/operationId"
    );
    assert!(
        krate.warnings[0]
            .message
            .ends_with("(named from its method and path under --lenient)"),
        "{}",
        krate.warnings[0].message
    );
    let operations = &krate
        .files
        .iter()
        .find(|(p, _)| p == "src/operations.rs")
        .expect("operations")
        .1;
    assert!(operations.contains("pub fn get(&self)"), "{operations}");
    assert!(operations.contains("pub fn get_thing("), "{operations}");
}

#[test]
fn misspelt_types_are_errors_and_misspelt_keywords_warnings_with_a_suggestion() {
    let text = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      operationID: getA\n      parameters:\n        - {{name: n, in: query, schema: {{type: integr}}}}\n      responses: {{'200': {{description: ok}}}}\ncomponents:\n  schemas:\n    A: {{type: object, requried: [b], properties: {{b: {{type: string, nulable: true}}}}}}\n"
    );
    let (pointer, _, message) = one("t.yaml", &text);
    assert_eq!(pointer, "#/paths/~1a/get/parameters/0/schema/type");
    assert_eq!(
        message,
        "`integr` is not a JSON Schema type; did you mean `integer`?"
    );
    let mut options = Options::new("x");
    options.lenient = true;
    let krate = generate("t.yaml", &text, &options).expect("lenient generates");
    let shown: Vec<String> = krate
        .warnings
        .iter()
        .map(|w| format!("{} {}", w.pointer, w.message))
        .collect();
    assert_eq!(
        shown,
        [
            "#/paths/~1a/get/operationID `operationID` is not an OpenAPI or JSON Schema keyword here and is ignored; did you mean `operationId`?",
            "#/paths/~1a/get/parameters/0/schema/type `integr` is not a JSON Schema type; did you mean `integer`? (read as any JSON value under --lenient)",
            "#/components/schemas/A/requried `requried` is not an OpenAPI or JSON Schema keyword here and is ignored; did you mean `required`?",
            "#/components/schemas/A/properties/b/nulable `nulable` is not an OpenAPI or JSON Schema keyword here and is ignored; did you mean `nullable`?",
        ]
    );
    let operations = &krate
        .files
        .iter()
        .find(|(p, _)| p == "src/operations.rs")
        .expect("operations")
        .1;
    assert!(
        operations.contains("value: serde_json::Value"),
        "{operations}"
    );
}

#[test]
fn a_paging_declaration_that_does_not_fit_is_located() {
    let spec = |extension: &str| {
        format!(
            "{HEAD}paths:\n  /events:\n    get:\n      x-openapi-gen-pagination: {extension}\n      parameters:\n        - {{name: from, in: query, schema: {{type: string}}}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  events: {{type: array, items: {{type: string}}}}\n                  meta: {{type: object, properties: {{continuation: {{type: string}}}}}}\n"
        )
    };
    let pointer = "#/paths/~1events/get/x-openapi-gen-pagination";
    for (extension, expected) in [
        ("{style: cursor, cursor: meta.next}", "no property `next`"),
        ("{style: cursor}", "`cursor`"),
        (
            "{style: cursor, cursor: meta.continuation, param: to}",
            "`to`",
        ),
        ("{style: offset}", "no integer query parameter `offset`"),
        ("{style: sideways}", "unknown `style`"),
        ("{style: cursor, curser: x}", "unknown key `curser`"),
        ("true", "is `false` or an object"),
        (
            "{style: cursor, items: meta, cursor: meta.continuation}",
            "not an array",
        ),
    ] {
        let (at, line, message) = one("p.yaml", &spec(extension));
        assert_eq!(at, pointer, "{extension}: {message}");
        assert_eq!(line.map(|(l, _)| l), Some(6), "{extension}");
        assert!(message.contains(expected), "{extension}: {message}");
    }
    // The declaration that fits generates, and `false` is no paging at all.
    for extension in [
        "{style: cursor, cursor: meta.continuation, param: from}",
        "false",
    ] {
        let krate = generate("p.yaml", &spec(extension), &Options::new("x")).unwrap();
        let (_, ops) = krate
            .files
            .iter()
            .find(|(path, _)| path == "src/operations.rs")
            .unwrap();
        // A paginated operation's parameters implement `Paged` (its `stream()` and `pages()`).
        assert_eq!(
            ops.contains("impl crate::paging::Paged for params::"),
            extension != "false",
            "{extension}"
        );
    }
}
