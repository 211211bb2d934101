//! How a command ends: its error, printed as `ERROR <message>` with its exit code.

use crate::error::Error;

/// What a command ended with when it already printed its own error (`juju run` with a
/// failed task prints the results, then the error).
pub struct Failed {
    /// The error text (may be several lines).
    pub message: String,
    /// The exit code.
    pub code: u8,
}

/// A command's outcome.
pub type Outcome = std::result::Result<(), Failed>;

impl From<Error> for Failed {
    fn from(e: Error) -> Failed {
        Failed {
            message: e.message,
            code: e.code,
        }
    }
}

/// A command-line error Juju would give for a command the simulator does not offer (yet):
/// names what is missing.
pub fn unsupported(what: &str, why: &str) -> Error {
    Error::msg(format!("{what} is not supported by the simulator: {why}"))
}
