//! `multipart/form-data` request bodies.

use std::fmt;

/// A `multipart/form-data` body: text fields and files, sent in the order added.
#[derive(Clone, Default)]
pub struct Multipart {
    parts: Vec<Part>,
}

#[derive(Clone)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    data: Vec<u8>,
}

impl fmt::Debug for Multipart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Contents can be large or private; names and sizes are enough to debug with.
        let parts: Vec<(&str, usize)> = self
            .parts
            .iter()
            .map(|p| (p.name.as_str(), p.data.len()))
            .collect();
        f.debug_struct("Multipart").field("parts", &parts).finish()
    }
}

impl Multipart {
    pub fn new() -> Self {
        Self::default()
    }

    /// A text field.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.push(Part {
            name: name.into(),
            file_name: None,
            content_type: None,
            data: value.into().into_bytes(),
        });
        self
    }

    /// A file: its bytes, the name it is uploaded under, and its media type.
    pub fn file(
        mut self,
        name: impl Into<String>,
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        data: impl Into<Vec<u8>>,
    ) -> Self {
        self.parts.push(Part {
            name: name.into(),
            file_name: Some(file_name.into()),
            content_type: Some(content_type.into()),
            data: data.into(),
        });
        self
    }

    /// The `Content-Type` value and the encoded body.
    #[allow(dead_code, reason = "only APIs with multipart bodies use it")]
    pub(crate) fn encode(&self) -> (String, Vec<u8>) {
        let boundary = boundary(&self.parts);
        let mut body = Vec::new();
        for part in &self.parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let mut disposition = format!(
                "Content-Disposition: form-data; name=\"{}\"",
                quote(&part.name)
            );
            if let Some(file_name) = &part.file_name {
                disposition.push_str(&format!("; filename=\"{}\"", quote(file_name)));
            }
            body.extend_from_slice(disposition.as_bytes());
            body.extend_from_slice(b"\r\n");
            if let Some(content_type) = &part.content_type {
                body.extend_from_slice(
                    format!("Content-Type: {}\r\n", strip_breaks(content_type)).as_bytes(),
                );
            }
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(&part.data);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (format!("multipart/form-data; boundary={boundary}"), body)
    }
}

/// A random boundary that no part contains.
fn boundary(parts: &[Part]) -> String {
    use std::hash::{BuildHasher, Hasher};
    loop {
        let random = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        let candidate = format!("openapi-gen-{random:016x}");
        if !parts.iter().any(|p| {
            p.data
                .windows(candidate.len())
                .any(|w| w == candidate.as_bytes())
        }) {
            return candidate;
        }
    }
}

/// Names go inside a quoted header parameter: quotes and line breaks would end it.
fn quote(text: &str) -> String {
    strip_breaks(text).replace('"', "%22")
}

fn strip_breaks(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}
