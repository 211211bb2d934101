//! One error type: a one-line message and the exit code it maps to (2 for usage errors,
//! 1 for everything else), printed as `ERROR <message>` like Juju's CLI.

use std::fmt;

/// A command failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The message (one line).
    pub message: String,
    /// The process exit code.
    pub code: u8,
}

/// Results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A runtime error (exit 1).
    pub fn msg(message: impl Into<String>) -> Error {
        Error {
            message: one_line(message.into()),
            code: 1,
        }
    }

    /// A usage error (exit 2).
    pub fn usage(message: impl Into<String>) -> Error {
        Error {
            message: one_line(message.into()),
            code: 2,
        }
    }
}

fn one_line(s: String) -> String {
    let s = s.trim_end();
    if s.contains('\n') {
        s.split('\n')
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("; ")
    } else {
        s.to_string()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error::msg(e.to_string())
    }
}

/// Adds a "what failed" prefix to errors of any displayable type.
pub trait Context<T> {
    /// Wraps the error as `"{what}: {error}"`.
    fn context(self, what: impl fmt::Display) -> Result<T>;
}

impl<T, E: fmt::Display> Context<T> for std::result::Result<T, E> {
    fn context(self, what: impl fmt::Display) -> Result<T> {
        self.map_err(|e| Error::msg(format!("{what}: {e}")))
    }
}

/// Returns early with a runtime error built like `format!`.
#[macro_export]
macro_rules! bail {
    ($($t:tt)*) => {
        return Err($crate::error::Error::msg(format!($($t)*)))
    };
}
