//! [`ToolCall`]: one hook-tool invocation as data.

use std::fmt;

/// One hook-tool invocation: the tool, its argv (without the tool name) and its stdin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolCall {
    /// The tool, e.g. `relation-get`.
    pub tool: &'static str,
    /// Its arguments, exactly as passed to the process.
    pub args: Vec<String>,
    /// What is written to its stdin (`relation-set --file -`, `state-set --file -`).
    pub stdin: Option<String>,
}

impl ToolCall {
    /// A call with these arguments and no stdin.
    pub fn new(tool: &'static str, args: impl IntoIterator<Item = impl Into<String>>) -> Self {
        ToolCall {
            tool,
            args: args.into_iter().map(Into::into).collect(),
            stdin: None,
        }
    }

    /// The same call with this stdin.
    pub fn with_stdin(mut self, stdin: impl Into<String>) -> Self {
        self.stdin = Some(stdin.into());
        self
    }

    /// The command line, for messages and logs: the tool then its arguments.
    pub fn argv(&self) -> Vec<String> {
        std::iter::once(self.tool.to_string())
            .chain(self.args.iter().cloned())
            .collect()
    }
}

impl fmt::Display for ToolCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tool)?;
        for a in &self.args {
            write!(f, " {a}")?;
        }
        Ok(())
    }
}
