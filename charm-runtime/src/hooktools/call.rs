//! [`ToolCall`]: one hook-tool invocation as data.

use std::fmt;

/// One hook-tool invocation: the tool, its argv (without the tool name) and its stdin.
///
/// Its `Display` (used in every error message) and `Debug` show the arguments, except
/// for calls built with [`ToolCall::redacted`], whose arguments may carry confidential
/// values (action results, action log messages): those show the redacted form instead,
/// as ops's `redacted_cmd` does. Stdin is never shown.
#[derive(Clone, PartialEq, Eq)]
pub struct ToolCall {
    /// The tool, e.g. `relation-get`.
    pub tool: &'static str,
    /// Its arguments, exactly as passed to the process.
    pub args: Vec<String>,
    /// What is written to its stdin (`relation-set --file -`, `state-set --file -`).
    pub stdin: Option<String>,
    /// What messages show instead of `args`, if they may be confidential.
    pub shown: Option<Vec<String>>,
}

impl ToolCall {
    /// A call with these arguments and no stdin.
    pub fn new(tool: &'static str, args: impl IntoIterator<Item = impl Into<String>>) -> Self {
        ToolCall {
            tool,
            args: args.into_iter().map(Into::into).collect(),
            stdin: None,
            shown: None,
        }
    }

    /// The same call with this stdin.
    pub fn with_stdin(mut self, stdin: impl Into<String>) -> Self {
        self.stdin = Some(stdin.into());
        self
    }

    /// The same call, shown in messages with these arguments instead of the real ones.
    pub fn redacted(mut self, shown: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.shown = Some(shown.into_iter().map(Into::into).collect());
        self
    }

    /// The command line as passed to the process: the tool then its arguments.
    pub fn argv(&self) -> Vec<String> {
        std::iter::once(self.tool.to_string())
            .chain(self.args.iter().cloned())
            .collect()
    }

    /// The arguments messages show (the redacted ones, if any).
    fn shown_args(&self) -> &[String] {
        self.shown.as_deref().unwrap_or(&self.args)
    }
}

impl fmt::Display for ToolCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tool)?;
        for a in self.shown_args() {
            write!(f, " {a}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ToolCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ToolCall")
            .field("tool", &self.tool)
            .field("args", &self.shown_args())
            .field(
                "stdin",
                &self.stdin.as_ref().map(|s| format!("<{} bytes>", s.len())),
            )
            .finish()
    }
}
