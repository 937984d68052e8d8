//! What generating produced: the crate's files, and what they hold counted.

use crate::diagnostics::Diagnostic;

/// A generated crate: paths relative to its root, and their full text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedCrate {
    pub files: Vec<(String, String)>,
    /// Problems that did not stop generation.
    pub warnings: Vec<Diagnostic>,
    /// Named types in the `types` module.
    pub type_count: usize,
    /// Client methods.
    pub operation_count: usize,
    /// Each operation's HTTP method, path template and client method name, in spec order.
    pub operations: Vec<OperationName>,
    /// The areas behind cargo features (empty when the crate is not split).
    pub groups: Vec<GroupSummary>,
    /// Types made for inline schemas that repeated another's shape, merged into it.
    pub merged_types: usize,
    /// Every public type, by its path from the crate root (`types::Thread`,
    /// `conversations::types::Thread`).
    pub type_paths: Vec<String>,
}

/// One cargo feature of a split crate: its name and what it compiles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupSummary {
    pub feature: String,
    pub operations: usize,
    pub types: usize,
}

/// How one operation is called: `GET /threads/{threadId}` → `get_thread`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationName {
    pub http_method: String,
    pub path: String,
    pub method_name: String,
    /// The name is the spec's own `operationId`, not one openapi-gen made.
    pub named_by_spec: bool,
    /// When the operation pages: the rule that matched (`cursor`, `stripe`, `link`,
    /// `offset`, `page`, `declared`) and how it pages.
    pub paging: Option<(&'static str, String)>,
    /// How its error bodies decode.
    pub error_body: ErrorBodyKind,
}

/// How an operation's error bodies decode: the `E` of its `Error<E>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorBodyKind {
    /// No error body documented as JSON: `serde_json::Value`.
    Untyped,
    /// One documented type for every error status.
    Typed,
    /// An enum of the documented types, by status.
    ByStatus,
}
