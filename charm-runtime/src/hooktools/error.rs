//! [`ToolError`]: a failed hook-tool call, mapped from exit status and stderr the way ops
//! maps them.
//!
//! What an error says is bounded and never holds a value that may be secret: the call as
//! [`ToolCall::describe`] shows it (redacted arguments stay redacted, stdin is named by
//! its keys), the exit status, and at most [`MAX_STDERR_SHOWN`] bytes of stderr.

use super::call::ToolCall;
use std::fmt;

/// The most of a tool's stderr an error keeps: its first quarter and its last three
/// quarters (Juju's `ERROR ...` line comes last), with a marker for what is left out.
pub const MAX_STDERR_SHOWN: usize = 4096;

/// `text`, bounded to [`MAX_STDERR_SHOWN`] bytes as errors keep stderr.
pub(crate) fn bounded(text: &str) -> String {
    if text.len() <= MAX_STDERR_SHOWN {
        return text.to_string();
    }
    let mut head = MAX_STDERR_SHOWN / 4;
    while !text.is_char_boundary(head) {
        head -= 1;
    }
    let mut tail = text.len() - (MAX_STDERR_SHOWN - MAX_STDERR_SHOWN / 4);
    while !text.is_char_boundary(tail) {
        tail += 1;
    }
    format!(
        "{}\n[... {} bytes not shown ...]\n{}",
        &text[..head],
        tail - head,
        &text[tail..]
    )
}

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
    /// The tool could not be started at all, or its pipes failed.
    Spawn {
        /// The tool.
        tool: String,
        /// Why.
        message: String,
        /// The tool is not on `PATH`: not running under Juju?
        not_found: bool,
    },
    /// The call was not made, or its output not taken, because it is over a limit: an
    /// argument longer than Linux passes, data over what Juju stores, output over what the
    /// runtime reads.
    TooLarge {
        /// The command line (as [`ToolCall::describe`] shows it).
        call: String,
        /// Which limit, and by how much.
        problem: String,
    },
    /// The tool had not exited [`TOOL_DEADLINE`](super::TOOL_DEADLINE) after it started:
    /// it was stopped (killed), and what it did is unknown. Juju's own tools answer in
    /// well under a second; one that hangs means the unit agent is stuck, and failing the
    /// hook lets Juju retry it instead of the unit hanging for ever.
    TimedOut {
        /// The command line (as [`ToolCall::describe`] shows it).
        call: String,
        /// How long it ran before it was stopped.
        after: std::time::Duration,
        /// What it wrote on stderr until then (bounded as for [`ToolError::Failed`]).
        stderr: String,
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
    /// [`ToolError::Failed`]. The error keeps at most [`MAX_STDERR_SHOWN`] bytes of
    /// `stderr` (classified whole) and names the call as [`ToolCall::describe`] does.
    pub fn from_exit(call: &ToolCall, code: i32, stderr: &str) -> Self {
        let lower = stderr.to_ascii_lowercase();
        let tool = call.tool;
        let c = call.describe();
        let stderr = bounded(stderr.trim_end());
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
            | ToolError::Failed { stderr, .. }
            | ToolError::TimedOut { stderr, .. } => Some(stderr),
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
            ToolError::Spawn {
                tool,
                message,
                not_found: true,
            } => write!(
                f,
                "cannot run hook tool `{tool}` (is this running under Juju?): {message}"
            ),
            ToolError::Spawn { tool, message, .. } => {
                write!(f, "cannot run hook tool `{tool}`: {message}")
            }
            ToolError::TimedOut {
                call,
                after,
                stderr,
            } => {
                write!(
                    f,
                    "`{call}` had not finished after {:.1} s and was stopped",
                    after.as_secs_f64()
                )?;
                if !stderr.is_empty() {
                    write!(f, ": {stderr}")?;
                }
                Ok(())
            }
            ToolError::TooLarge { call, problem } => {
                write!(f, "`{call}`: {problem}")
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
