//! Why generating produced nothing.

use crate::diagnostics::Diagnostics;

/// Why generating produced nothing.
#[derive(Debug)]
pub enum Error {
    /// The spec is broken or uses something not supported: located diagnostics.
    Spec(Diagnostics),
    /// The configuration file is unusable: located diagnostics.
    Config(Diagnostics),
    /// The options are unusable (e.g. an invalid crate name).
    Usage(String),
    /// A bug in openapi-gen: it built code it cannot format.
    Internal(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Spec(d) | Error::Config(d) => write!(f, "{d}"),
            Error::Usage(m) => write!(f, "error: {m}"),
            Error::Internal(m) => write!(f, "internal error (please report): {m}"),
        }
    }
}

impl std::error::Error for Error {}
