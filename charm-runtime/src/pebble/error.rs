//! The client's error: which container, which request, and what went wrong, in the classes
//! ops' `pebble.py` raises (`ConnectionError`, `APIError`, `ProtocolError`, `ChangeError`,
//! `TimeoutError`, `PathError`), plus "not supported yet".

use super::types::Change;
use serde_json::Value;
use std::fmt;

/// What went wrong talking to Pebble.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorKind {
    /// Pebble is not reachable: the socket is missing, refuses connections, or the
    /// connection dropped before an answer. The container is not ready yet (or is
    /// restarting); ops' `ConnectionError`.
    CannotConnect {
        /// What the connection attempt said, with the socket path.
        message: String,
    },
    /// Pebble answered with an error status; ops' `APIError`.
    Api {
        /// The HTTP status code (`404`, `400`, `500`, …).
        code: u16,
        /// The HTTP status text (`Not Found`).
        status: String,
        /// Pebble's `result.message` (or why the body could not be read).
        message: String,
        /// Pebble's `result.kind`, e.g. `not-found`, `permission-denied`; may be empty.
        kind: String,
        /// The error body as JSON (`Null` if it was not JSON).
        body: Value,
    },
    /// The answer is not what Pebble sends: wrong content type, not JSON, truncated, bad
    /// envelope, an unexpected multipart layout; ops' `ProtocolError`.
    Protocol {
        /// What was wrong.
        message: String,
    },
    /// A change (start, stop, replan, …) finished with an error; ops' `ChangeError`.
    Change {
        /// The change's `err`.
        err: String,
        /// The change.
        change: Box<Change>,
    },
    /// No answer in time, or a change not ready by its deadline; ops' `TimeoutError`.
    Timeout {
        /// What timed out.
        message: String,
    },
    /// A file operation failed for its path; ops' `PathError`.
    Path {
        /// `not-found`, `permission-denied` or `generic-file-error`.
        kind: String,
        /// Pebble's message.
        message: String,
    },
    /// This client does not implement the operation yet.
    NotSupported {
        /// What is missing and why.
        message: String,
    },
}

/// An error from a Pebble request, naming the container, the method and the request path.
#[derive(Debug, Clone, PartialEq)]
pub struct PebbleError {
    /// The container.
    pub container: String,
    /// The HTTP method (`GET`, `POST`), or `-` for operations that send nothing.
    pub method: &'static str,
    /// The request target, path and query.
    pub path: String,
    /// What went wrong (boxed, to keep results small).
    pub kind: Box<ErrorKind>,
}

impl PebbleError {
    /// Whether Pebble could not be reached: the "not ready yet" case a handler answers
    /// with a waiting status (or by returning and waiting for `pebble-ready`).
    pub fn is_cannot_connect(&self) -> bool {
        matches!(*self.kind, ErrorKind::CannotConnect { .. })
    }

    /// Whether Pebble said "not found": an API 404, or a file path error of kind
    /// `not-found`.
    pub fn is_not_found(&self) -> bool {
        match &*self.kind {
            ErrorKind::Api { code, .. } => *code == 404,
            ErrorKind::Path { kind, .. } => kind == "not-found",
            _ => false,
        }
    }

    /// The HTTP status code of an API error.
    pub fn api_code(&self) -> Option<u16> {
        match &*self.kind {
            ErrorKind::Api { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// The failed change of a change error.
    pub fn change(&self) -> Option<&Change> {
        match &*self.kind {
            ErrorKind::Change { change, .. } => Some(change),
            _ => None,
        }
    }
}

impl fmt::Display for PebbleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "pebble in container `{}`: {} {}: ",
            self.container, self.method, self.path
        )?;
        match &*self.kind {
            ErrorKind::CannotConnect { message } => write!(f, "cannot connect: {message}"),
            ErrorKind::Api {
                code,
                status,
                message,
                kind,
                ..
            } => {
                write!(f, "{code} {status}: {message}")?;
                if !kind.is_empty() {
                    write!(f, " ({kind})")?;
                }
                Ok(())
            }
            ErrorKind::Protocol { message } => write!(f, "protocol error: {message}"),
            ErrorKind::Change { err, change } => {
                write!(f, "change {} ({}) failed: {err}", change.id, change.kind)
            }
            ErrorKind::Timeout { message } => write!(f, "timeout: {message}"),
            ErrorKind::Path { kind, message } => write!(f, "{kind} - {message}"),
            ErrorKind::NotSupported { message } => write!(f, "not supported: {message}"),
        }
    }
}

impl std::error::Error for PebbleError {}
