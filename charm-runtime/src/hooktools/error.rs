//! [`ToolError`]: a failed hook-tool call, mapped from exit status and stderr the way ops
//! maps them.

use super::call::ToolCall;
use std::fmt;

/// A failed hook-tool call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToolError {
    /// The relation does not exist (`relation not found`).
    RelationNotFound {
        /// The command line.
        call: String,
        /// The tool's stderr.
        stderr: String,
    },
    /// Juju refused the call: not the leader, or no permission.
    PermissionDenied {
        /// The command line.
        call: String,
        /// The tool's stderr.
        stderr: String,
    },
    /// The secret does not exist or is not visible to this unit.
    SecretNotFound {
        /// The command line.
        call: String,
        /// The tool's stderr.
        stderr: String,
    },
    /// Any other non-zero exit.
    Failed {
        /// The command line.
        call: String,
        /// The exit code (`2` for usage errors, `1` for runtime errors); `-1` if killed.
        code: i32,
        /// The tool's stderr.
        stderr: String,
    },
    /// The tool could not be started at all (not on `PATH`: not running under Juju?).
    Spawn {
        /// The tool.
        tool: String,
        /// Why.
        message: String,
    },
    /// The call was not made: the temporary file that carries a secret's content to the
    /// tool could not be written (the message names the file, never the content).
    ContentFile {
        /// The tool.
        tool: String,
        /// Why.
        message: String,
    },
    /// The tool succeeded but printed something that could not be understood.
    BadOutput {
        /// The command line.
        call: String,
        /// What it printed.
        output: String,
        /// What was wrong.
        problem: String,
    },
}

impl ToolError {
    /// Maps a non-zero exit to the typed error, as ops does (`_ModelBackend._wrap_hookcmd`):
    /// `relation not found` from `relation-*`/`network-*` tools, `not found` from `secret-*`
    /// tools, and permission problems are recognised; everything else is
    /// [`ToolError::Failed`].
    pub fn from_exit(call: &ToolCall, code: i32, stderr: &str) -> Self {
        let lower = stderr.to_ascii_lowercase();
        let tool = call.tool;
        let c = call.to_string();
        let stderr = stderr.trim_end().to_string();
        if (tool.starts_with("relation-") || tool.starts_with("network-"))
            && lower.contains("relation not found")
        {
            ToolError::RelationNotFound { call: c, stderr }
        } else if tool.starts_with("secret-") && lower.contains("not found") {
            ToolError::SecretNotFound { call: c, stderr }
        } else if [
            "access denied",
            "permission denied",
            "not the leader",
            "cannot write relation settings",
        ]
        .iter()
        .any(|p| lower.contains(p))
        {
            ToolError::PermissionDenied { call: c, stderr }
        } else {
            ToolError::Failed {
                call: c,
                code,
                stderr,
            }
        }
    }

    /// The tool's stderr, when it ran.
    pub fn stderr(&self) -> Option<&str> {
        match self {
            ToolError::RelationNotFound { stderr, .. }
            | ToolError::PermissionDenied { stderr, .. }
            | ToolError::SecretNotFound { stderr, .. }
            | ToolError::Failed { stderr, .. } => Some(stderr),
            _ => None,
        }
    }
}

impl fmt::Display for ToolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ToolError::RelationNotFound { call, stderr } => {
                write!(f, "`{call}`: relation not found ({stderr})")
            }
            ToolError::PermissionDenied { call, stderr } => {
                write!(f, "`{call}`: permission denied ({stderr})")
            }
            ToolError::SecretNotFound { call, stderr } => {
                write!(f, "`{call}`: secret not found ({stderr})")
            }
            ToolError::Failed { call, code, stderr } => {
                write!(f, "`{call}` failed with exit code {code}: {stderr}")
            }
            ToolError::Spawn { tool, message } => {
                write!(
                    f,
                    "cannot run hook tool `{tool}` (is this running under Juju?): {message}"
                )
            }
            ToolError::ContentFile { tool, message } => write!(
                f,
                "`{tool}` was not run: cannot write the secret content's temporary file: {message}"
            ),
            ToolError::BadOutput {
                call,
                output,
                problem,
            } => write!(
                f,
                "`{call}` printed output that cannot be read ({problem}): {output:?}"
            ),
        }
    }
}

impl std::error::Error for ToolError {}
