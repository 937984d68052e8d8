//! `openapi-gen.toml`: every mistake is an error naming the file, line and column, and
//! `openapi-gen --config` generates and checks what it lists (issue 13).

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use openapi_gen::config::{Config, OverrideKind};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The single error `text` gives, as printed.
fn error(text: &str) -> String {
    let errors = Config::parse(Path::new("openapi-gen.toml"), text).unwrap_err();
    assert_eq!(errors.0.len(), 1, "{errors}");
    errors.to_string()
}

const SPEC: &str = "[[crate.spec]]\npath = \"a.yaml\"\n";

#[test]
fn unknown_keys_are_errors_at_their_line() {
    let text = "[[crate]]\nname = \"a\"\nout = \"a\"\nlenient = true\nmodle = \"x\"\n";
    let shown = error(text);
    assert!(
        shown.starts_with("error: openapi-gen.toml:5:1: "),
        "{shown}"
    );
    assert!(shown.contains("unknown field `modle`"), "{shown}");
    let text = format!("[[crate]]\nname = \"a\"\nout = \"a\"\n{SPEC}base_url = \"https://x\"\n");
    let shown = error(&text);
    assert!(
        shown.starts_with("error: openapi-gen.toml:6:1: "),
        "{shown}"
    );
    assert!(
        shown.contains("unknown field `base_url`") && shown.contains("base-url"),
        "{shown}"
    );
}

#[test]
fn values_that_cannot_work_are_errors_at_their_line() {
    let cases = [
        // A second spec without a module.
        (
            format!("[[crate]]\nname = \"a\"\nout = \"a\"\n{SPEC}module = \"one\"\n{SPEC}"),
            "openapi-gen.toml:8:8",
            "needs a `module`",
        ),
        (
            format!("[[crate]]\nname = \"a\"\nout = \"a\"\n{SPEC}module = \"Crm-Contacts\"\n"),
            "openapi-gen.toml:6:10",
            "must be snake_case",
        ),
        (
            format!("[[crate]]\nname = \"a\"\nout = \"a\"\n{SPEC}module = \"full\"\n"),
            "openapi-gen.toml:6:10",
            "would clash",
        ),
        (
            format!(
                "[[crate]]\nname = \"a\"\nout = \"a\"\n{SPEC}module = \"x\"\n{SPEC}module = \"x\"\n"
            ),
            "openapi-gen.toml:9:10",
            "both module `x`",
        ),
        (
            "[[crate]]\nname = \"9a\"\nout = \"a\"\n[[crate.spec]]\npath = \"a.yaml\"\n".to_owned(),
            "openapi-gen.toml:2:8",
            "not a valid crate name",
        ),
        (
            format!("[[crate]]\nname = \"a\"\nout = \"a\"\n{SPEC}base-url = \"ftp://x\"\n"),
            "openapi-gen.toml:6:12",
            "not an http or https URL",
        ),
        (
            format!(
                "[[crate]]\nname = \"a\"\nout = \"a\"\n{SPEC}[[crate.spec.override]]\npointer = \"#/components/schemas/A\"\n"
            ),
            "openapi-gen.toml:7:11",
            "needs `type",
        ),
        (
            format!(
                "[[crate]]\nname = \"a\"\nout = \"a\"\n{SPEC}[[crate.spec.override]]\npointer = \"components/schemas/A\"\ntype = \"i64\"\n"
            ),
            "openapi-gen.toml:7:11",
            "not a JSON pointer",
        ),
        (
            format!(
                "[[crate]]\nname = \"a\"\nout = \"a\"\n{SPEC}[[crate.spec.override]]\npointer = \"#/a\"\ntype = \"Vec<u8>\"\n"
            ),
            "openapi-gen.toml:8:8",
            "neither one of",
        ),
        (
            format!(
                "[[crate]]\nname = \"a\"\nout = \"a\"\n{SPEC}[[crate]]\nname = \"b\"\nout = \"a\"\n{SPEC}"
            ),
            "openapi-gen.toml:8:7",
            "two crates are written to `a`",
        ),
        (
            "# nothing\n".to_owned(),
            "openapi-gen.toml:1:1",
            "no `[[crate]]`",
        ),
        (
            "[[crate]\n".to_owned(),
            "openapi-gen.toml:1:9: unclosed",
            "array table",
        ),
    ];
    for (text, at, message) in cases {
        let shown = error(&text);
        assert!(
            shown.starts_with(&format!("error: {at}")) && shown.contains(message),
            "{text}\n→ {shown}"
        );
    }
}

#[test]
fn a_good_configuration_resolves_paths_against_its_folder() {
    let text = format!(
        "[[crate]]\nname = \"hub\"\nout = \"out/hub\"\nlenient = true\n{SPEC}module = \"a\"\nbase-url = \"https://x.test/v1\"\n[[crate.spec.override]]\npointer = \"#/components/schemas/A/properties/n\"\ntolerant = true\n[[crate.spec]]\npath = \"b.yaml\"\nmodule = \"b\"\nlenient = false\n"
    );
    let config = Config::parse(Path::new("conf/openapi-gen.toml"), &text).unwrap();
    let krate = &config.crates[0];
    assert_eq!(krate.out, Path::new("conf/out/hub"));
    assert_eq!(krate.version, "0.1.0");
    assert_eq!(krate.specs[0].path, Path::new("conf/a.yaml"));
    assert_eq!(krate.specs[0].path_as_written, "a.yaml");
    assert!(krate.specs[0].lenient && !krate.specs[1].lenient);
    assert_eq!(
        krate.specs[0].base_url.as_deref(),
        Some("https://x.test/v1")
    );
    assert_eq!(krate.specs[0].overrides[0].change, OverrideKind::Tolerant);
}

fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("openapi-gen-config-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_cli_generates_and_checks_what_a_configuration_lists() {
    let dir = scratch("cli");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let config = dir.join("openapi-gen.toml");
    std::fs::write(
        &config,
        format!(
            "[[crate]]\nname = \"two\"\nout = \"two\"\n[[crate.spec]]\npath = {:?}\nmodule = \"conversations\"\n[[crate.spec]]\npath = {:?}\nmodule = \"contacts\"\nbase-url = \"https://x.test\"\n",
            fixtures.join("family_threads.yaml"),
            fixtures.join("family_contacts.yaml"),
        ),
    )
    .unwrap();
    let run = |check: bool| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_openapi-gen"));
        command.arg("--config").arg(&config);
        if check {
            command.arg("--check");
        }
        command.output().unwrap()
    };
    assert_eq!(run(true).status.code(), Some(3), "nothing written yet");
    let written = run(false);
    assert_eq!(written.status.code(), Some(0), "{written:?}");
    assert!(dir.join("two/src/conversations/operations.rs").is_file());
    assert!(dir.join("two/src/contacts/types.rs").is_file());
    assert_eq!(run(true).status.code(), Some(0));
    std::fs::write(dir.join("two/src/contacts/types.rs"), "// edited\n").unwrap();
    assert_eq!(run(true).status.code(), Some(3));

    // A configuration error exits 1 with the location.
    std::fs::write(&config, "[[crate]]\nnmae = \"x\"\n").unwrap();
    let failed = run(false);
    assert_eq!(failed.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("openapi-gen.toml:2:1"), "{stderr}");
}

/// The errors generating from `config` (with `fixtures/family_contacts.yaml`) gives.
fn generation_errors(overrides: &str) -> String {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let text = format!(
        "[[crate]]\nname = \"c\"\nout = \"c\"\n[[crate.spec]]\npath = \"family_contacts.yaml\"\n{overrides}"
    );
    let config = Config::parse(&fixtures.join("openapi-gen.toml"), &text).unwrap();
    config.crates[0].generate().unwrap_err().to_string()
}

#[test]
fn an_override_that_matches_nothing_is_an_error_at_its_line() {
    let shown = generation_errors(
        "[[crate.spec.override]]\npointer = \"#/components/schemas/Contact/properties/scor\"\ntolerant = true\n",
    );
    assert!(shown.contains("openapi-gen.toml:7:11"), "{shown}");
    assert!(shown.contains("matches no property"), "{shown}");
    let shown = generation_errors(
        "[[crate.spec.override]]\npointer = \"#/components/schemas/Contact/properties/id\"\ntype = \"Nope\"\n",
    );
    assert!(shown.contains("`Nope` is neither"), "{shown}");
    assert!(
        shown.contains("#/components/schemas/Contact/properties/id"),
        "{shown}"
    );
    let shown = generation_errors(
        "[[crate.spec.override]]\npointer = \"#/components/schemas/Error\"\ntolerant = true\n",
    );
    assert!(shown.contains("matches no property"), "{shown}");
}

#[test]
fn an_override_can_name_a_schema_of_the_spec() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let text = "[[crate]]\nname = \"c\"\nout = \"c\"\n[[crate.spec]]\npath = \"family_contacts.yaml\"\n[[crate.spec.override]]\npointer = \"#/components/schemas/Contact/properties/legacyId\"\ntype = \"Error\"\n";
    let config = Config::parse(&fixtures.join("openapi-gen.toml"), text).unwrap();
    let krate = config.crates[0].generate().unwrap();
    let types = krate
        .files
        .iter()
        .find(|(path, _)| path == "src/types.rs")
        .map(|(_, text)| text.as_str())
        .unwrap();
    assert!(types.contains("pub legacy_id: Option<Error>"), "{types}");
}

#[test]
fn the_mostly_unused_hint_is_written_only_when_asked_for() {
    let dir = scratch("hint");
    std::fs::write(
        dir.join("a.yaml"),
        "openapi: 3.0.3\ninfo: {title: A, version: '1'}\npaths: {}\n",
    )
    .unwrap();
    let manifest = |key: &str| {
        let text = format!("[[crate]]\nname = \"a\"\nout = \"out\"\n{key}{SPEC}");
        let config = Config::parse(&dir.join("openapi-gen.toml"), &text).unwrap();
        let krate = config.crates[0].generate().unwrap();
        let (_, text) = krate
            .files
            .into_iter()
            .find(|(path, _)| path == "Cargo.toml")
            .unwrap();
        text
    };
    let hinted = manifest("hint-mostly-unused = true\n");
    assert!(
        hinted.ends_with("\n[hints]\nmostly-unused = true\n"),
        "{hinted}"
    );
    let plain = manifest("");
    assert!(!plain.contains("[hints]"), "{plain}");
    assert_eq!(
        hinted.replace("\n[hints]\nmostly-unused = true\n", ""),
        plain
    );
}

/// The errors generating `webhooks_service.yaml` with these paging entries gives.
fn paging_errors(entries: &str) -> String {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let text = format!(
        "[[crate]]\nname = \"c\"\nout = \"c\"\n[[crate.spec]]\npath = \"webhooks_service.yaml\"\n{entries}"
    );
    match Config::parse(&fixtures.join("openapi-gen.toml"), &text) {
        Err(errors) => errors.to_string(),
        Ok(config) => config.crates[0].generate().unwrap_err().to_string(),
    }
}

#[test]
fn a_paging_entry_that_cannot_work_is_an_error_at_its_line() {
    let cases = [
        (
            "[[crate.spec.paging]]\nstyle = \"cursor\"\n",
            "openapi-gen.toml:6:",
            "names its operation",
        ),
        (
            "[[crate.spec.paging]]\noperation = \"v1.application.list\"\nmethod = \"GET\"\npath = \"/api/v1/app\"\nstyle = \"cursor\"\n",
            "openapi-gen.toml:7:13",
            "not both",
        ),
        (
            "[[crate.spec.paging]]\noperation = \"v1.application.list\"\ndisabled = true\nstyle = \"cursor\"\n",
            "openapi-gen.toml:7:13",
            "takes no other paging keys",
        ),
        (
            "[[crate.spec.paging]]\noperation = \"v1.application.list\"\n",
            "openapi-gen.toml:7:13",
            "has `style`",
        ),
        (
            "[[crate.spec.paging]]\noperation = \"v1.application.list\"\nstyle = \"cursor\"\nend = \"done\"\n",
            "openapi-gen.toml:9:1",
            "unknown field `end`",
        ),
        (
            "[[crate.spec.paging]]\noperation = \"v1.application.lst\"\ndisabled = true\n",
            "openapi-gen.toml:7:13",
            "names operation `v1.application.lst`, which",
        ),
        (
            "[[crate.spec.paging]]\nmethod = \"POST\"\npath = \"/api/v1/app/{app_id}/msg\"\ndisabled = true\n",
            "openapi-gen.toml:7:10",
            "names `post /api/v1/app/{app_id}/msg`",
        ),
    ];
    for (entries, at, message) in cases {
        let shown = paging_errors(entries);
        assert!(shown.contains(at), "{entries}\n→ {shown}");
        assert!(shown.contains(message), "{entries}\n→ {shown}");
    }
}

#[test]
fn a_paging_declaration_that_does_not_fit_the_operation_is_an_error() {
    let entry = |keys: &str| {
        format!(
            "[[crate.spec.paging]]\noperation = \"v1.application.list\"\nstyle = \"cursor\"\n{keys}\n"
        )
    };
    for (keys, message) in [
        ("items = \"results\"", "results"),
        (
            "items = \"data\"\ncursor = \"next.token\"\nparam = \"iterator\"",
            "next.token",
        ),
        (
            "items = \"data\"\ncursor = \"iterator\"\nparam = \"page_token\"",
            "page_token",
        ),
        (
            "items = \"data\"\ncursor = \"iterator\"\nparam = \"iterator\"\ndone = \"finished\"",
            "finished",
        ),
    ] {
        let shown = paging_errors(&entry(keys));
        assert!(shown.contains(message), "{keys}\n→ {shown}");
        assert!(
            shown.contains("x-openapi-gen-pagination"),
            "{keys}\n→ {shown}"
        );
    }
}

#[test]
fn a_webhook_signature_scheme_is_checked_at_its_line() {
    let text =
        format!("[[crate]]\nname = \"a\"\nout = \"a\"\nwebhook-signature = \"hmac-md5\"\n{SPEC}");
    let shown = error(&text);
    assert!(shown.starts_with("error: openapi-gen.toml:4:"), "{shown}");
    assert!(
        shown.contains("hmac-md5") && shown.contains("standard-webhooks"),
        "{shown}"
    );
    let text =
        format!("[[crate]]\nname = \"a\"\nout = \"a\"\nwebhook-signature = \"hubspot-v3\"\n{SPEC}");
    let config = Config::parse(Path::new("openapi-gen.toml"), &text).unwrap();
    assert_eq!(
        config.crates[0].webhook_signature,
        Some(openapi_gen::config::WebhookSignature::HubspotV3)
    );
}
