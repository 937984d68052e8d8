//! Big APIs are split into areas (a module and a cargo feature per tag): which types go
//! where, the manifest's features, and rewriting a crate between the flat and the split
//! layout without touching the user's files. That each feature compiles alone, warning-free,
//! is checked by `cargo xtask corpus` (every area of the fixtures, a sample of GitHub's,
//! Asana's and Stripe's).

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use openapi_gen::{GeneratedCrate, Options, generate};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> GeneratedCrate {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let text = std::fs::read_to_string(path).unwrap();
    generate(name, &text, &Options::new("areas")).unwrap()
}

fn file<'a>(krate: &'a GeneratedCrate, path: &str) -> Option<&'a str> {
    krate
        .files
        .iter()
        .find(|(p, _)| p == path)
        .map(|(_, text)| text.as_str())
}

fn defines(text: &str, name: &str) -> bool {
    [
        format!("pub struct {name} "),
        format!("pub enum {name} "),
        format!("pub type {name} "),
    ]
    .iter()
    .any(|d| text.contains(d.as_str()))
}

#[test]
fn types_one_area_uses_live_in_its_module_and_the_rest_are_shared() {
    let krate = fixture("tagged_areas.yaml");
    let features: Vec<&str> = krate.groups.iter().map(|g| g.feature.as_str()).collect();
    assert_eq!(features, ["pets", "store", "users", "untagged"]);
    let pets = file(&krate, "src/types/pets.rs").unwrap();
    let store = file(&krate, "src/types/store.rs").unwrap();
    let shared = file(&krate, "src/types/shared.rs").unwrap();
    let pets_users = file(&krate, "src/types/pets_users.rs").unwrap();
    let unreferenced = file(&krate, "src/types/unreferenced.rs").unwrap();
    for name in ["Pet", "PetStatus", "NewPet", "Photo"] {
        assert!(defines(pets, name), "{name} is the Pets area's");
    }
    // Order: Store alone uses it (`Archived`, which refers to it, is no operation's).
    for name in ["NewOrder", "Receipt", "Inventory", "Order", "OrderStatus"] {
        assert!(defines(store, name), "{name} is the Store area's");
    }
    // User: Pets (the owner) and Users, so compiled with either; Error: every operation's
    // error body, always; Archived: no operation's, only with `full`.
    for name in ["User", "Address"] {
        assert!(defines(pets_users, name), "{name} is Pets' and Users'");
    }
    assert!(defines(shared, "Error"));
    assert!(!defines(shared, "User"));
    // The error's optional fields naming area types are compiled with those areas; its own
    // detail type is always there; Order stays Store's, User Pets' and Users'.
    assert!(defines(shared, "ErrorDetail"));
    assert!(
        shared.contains(
            "    /// Present with the `store` feature, whose operations use its type.\n    #[cfg(feature = \"store\")]\n    #[serde(default, skip_serializing_if = \"Option::is_none\")]\n    pub order: Option<crate::types::Order>,"
        ),
        "{shared}"
    );
    assert!(
        shared.contains(
            "    #[cfg(any(feature = \"pets\", feature = \"users\"))]\n    #[serde(default, skip_serializing_if = \"Option::is_none\")]\n    pub owner: Option<crate::types::User>,"
        ),
        "{shared}"
    );
    assert!(
        shared.contains("    pub details: Option<Vec<ErrorDetail>>,"),
        "{shared}"
    );
    assert!(
        shared.contains("            #[cfg(feature = \"store\")]\n            order: None,"),
        "the constructor leaves the field out with it: {shared}"
    );
    assert!(!shared.contains("use super::*"), "{shared}");
    assert!(defines(unreferenced, "Archived"));
    assert!(
        unreferenced.contains("use super::*;"),
        "Archived refers to Store's Order"
    );
    let root = file(&krate, "src/types/mod.rs").unwrap();
    assert!(
        root.contains("#[cfg(any(feature = \"pets\", feature = \"users\"))]\nmod pets_users;"),
        "{root}"
    );
    assert!(
        root.contains("#[cfg(feature = \"full\")]\nmod unreferenced;"),
        "{root}"
    );
    // Users has no types of its own: no module for them, and none re-exported.
    assert!(file(&krate, "src/types/users.rs").is_none());
    let root = file(&krate, "src/types/mod.rs").unwrap();
    assert!(
        root.contains("#[cfg(feature = \"pets\")]\nmod pets;"),
        "{root}"
    );
    assert!(!root.contains("mod users;"), "{root}");
    // A module whose types refer to shared ones imports them; one that does not, does not.
    assert!(file(&krate, "src/types/untagged.rs").is_some_and(|t| !t.contains("use super::*")));
    assert!(
        !store.contains("use super::*;"),
        "Store's types refer only to each other"
    );
    assert!(
        !pets.contains("use super::*;"),
        "Pets' types refer only to each other"
    );
    let ops = file(&krate, "src/operations/users.rs").unwrap();
    assert!(ops.contains("pub fn list_users(&self)"));
    assert!(file(&krate, "src/types.rs").is_none());

    let manifest = file(&krate, "Cargo.toml").unwrap();
    assert!(
        manifest.contains(
            "[features]\ndefault = [\"full\"]\nfull = [\"pets\", \"store\", \"users\", \"untagged\"]\npets = []\n"
        ),
        "{manifest}"
    );
    let lib = file(&krate, "src/lib.rs").unwrap();
    assert!(lib.contains(
        "#![cfg_attr(not(feature = \"full\"), allow(dead_code, unused_imports, unused_macros))]"
    ));
}

#[test]
fn a_small_api_stays_in_one_module() {
    let krate = fixture("paging_styles.yaml");
    assert!(krate.groups.is_empty());
    assert!(file(&krate, "src/types.rs").is_some());
    // No area features: only the optional trace propagation every crate has.
    let manifest = file(&krate, "Cargo.toml").unwrap();
    let features = manifest.split("[features]").nth(1).unwrap_or_default();
    assert_eq!(
        features.trim(),
        r#"traceparent = ["dep:opentelemetry", "dep:tracing-opentelemetry"]"#
    );
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("openapi-gen-areas-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn switching_layouts_removes_only_generated_files() {
    let out = scratch("switch");
    let flat = fixture("paging_styles.yaml");
    let split = fixture("tagged_areas.yaml");
    openapi_gen::write::write_crate(&flat, &out).unwrap();
    assert!(out.join("src/types.rs").exists());
    // The user's own module beside the generated ones.
    std::fs::write(out.join("src/extra.rs"), "// mine\n").unwrap();

    openapi_gen::write::write_crate(&split, &out).unwrap();
    assert!(
        !out.join("src/types.rs").exists(),
        "the flat module would clash with types/"
    );
    assert!(out.join("src/types/mod.rs").exists());
    assert!(out.join("src/operations/pets.rs").exists());
    std::fs::write(out.join("src/types/notes.rs"), "// mine too\n").unwrap();
    assert_eq!(
        openapi_gen::write::check_crate(&split, &out).unwrap(),
        Ok(())
    );

    openapi_gen::write::write_crate(&flat, &out).unwrap();
    assert!(out.join("src/types.rs").exists());
    assert!(!out.join("src/types/mod.rs").exists());
    assert!(
        !out.join("src/operations").exists(),
        "an emptied module folder goes"
    );
    // The user's files stay, and so does the folder that holds one.
    assert_eq!(
        std::fs::read_to_string(out.join("src/extra.rs")).unwrap(),
        "// mine\n"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("src/types/notes.rs")).unwrap(),
        "// mine too\n"
    );
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn area_names_never_take_cargo_or_crate_names() {
    // 21 operations tagged `default`, `serde` and `Full`: no feature may be `default` or
    // `full`, and no module `serde` may sit beside `serde::Serialize`.
    let mut spec = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n");
    for i in 0..21 {
        let tag = ["default", "serde", "Full"][i % 3];
        spec.push_str(&format!(
            "  /r{i}:\n    get:\n      operationId: op{i}\n      tags: [{tag}]\n      responses:\n        '200':\n          description: ok\n          content: {{application/json: {{schema: {{type: object, properties: {{a{i}: {{type: string}}}}}}}}}}\n"
        ));
    }
    let krate = generate("t.yaml", &spec, &Options::new("t")).unwrap();
    let features: Vec<&str> = krate.groups.iter().map(|g| g.feature.as_str()).collect();
    assert_eq!(features, ["default_2", "serde_2", "full_2"]);
    assert!(file(&krate, "src/operations/serde_2.rs").is_some());
}

/// Area names are file names: AWS's `/#X-Amz-Target=Service.Action` paths name no area
/// (each was an area of its own, whose file name was too long to write), and a tag that is
/// a sentence becomes a name of at most 40 characters. Both crates are written to disk.
#[test]
fn area_names_stay_short_enough_to_be_file_names() {
    let long = "Operations that manage the lifecycle of every container image repository in the registry, including replication and scanning configuration".repeat(2);
    let (mut aws, mut tagged) = (String::new(), String::new());
    for i in 0..24 {
        aws.push_str(&format!(
            "  /#X-Amz-Target=AmazonEC2ContainerRegistry_V20150921.Action{i}:\n    post:\n      operationId: Action{i}\n      responses: {{'200': {{description: ok}}}}\n"
        ));
        tagged.push_str(&format!(
            "  /tagged/{i}:\n    get:\n      operationId: tagged{i}\n      tags: ['{long} {}']\n      responses: {{'200': {{description: ok}}}}\n",
            i % 3
        ));
    }
    let head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n";
    let out = std::env::temp_dir().join(format!("openapi-gen-area-names-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);

    let krate = generate(
        "tags.yaml",
        &format!("{head}{tagged}"),
        &Options::new("tags"),
    )
    .unwrap();
    assert_eq!(krate.groups.len(), 3, "{:?}", krate.groups);
    for group in &krate.groups {
        assert!(group.feature.len() <= 40, "{}", group.feature);
    }
    openapi_gen::write::write_crate(&krate, &out.join("tags")).unwrap();

    // Without tags, the AWS paths alone are one area: the crate is not split.
    let krate = generate("aws.yaml", &format!("{head}{aws}"), &Options::new("aws")).unwrap();
    assert!(krate.groups.is_empty(), "{:?}", krate.groups);
    openapi_gen::write::write_crate(&krate, &out.join("aws")).unwrap();
    let _ = std::fs::remove_dir_all(&out);
}
