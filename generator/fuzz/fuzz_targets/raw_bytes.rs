//! Any bytes as a spec: no panic, no hang; anything accepted is valid Rust.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for file in ["fuzz.yaml", "fuzz.json"] {
        if let Ok(krate) = openapi_gen::generate(file, &text, &openapi_gen::Options::new("fuzz")) {
            for (path, source) in krate.files.iter().filter(|(p, _)| p.ends_with(".rs")) {
                if let Err(e) = syn::parse_file(source) {
                    panic!("{path} of an accepted document does not parse: {e}");
                }
            }
        }
    }
});
