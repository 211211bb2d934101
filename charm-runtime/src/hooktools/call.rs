//! [`ToolCall`]: one hook-tool invocation as data.

use std::fmt;

/// How much of one argument messages show; the rest is replaced by its length.
pub const SHOWN_ARG_BYTES: usize = 200;

/// How many keys of a JSON map on stdin [`ToolCall::describe`] names.
const SHOWN_KEYS: usize = 20;

/// One hook-tool invocation: the tool, its argv (without the tool name) and its stdin.
///
/// Its `Display` (used in every error message) and `Debug` show the arguments, except
/// for calls built with [`ToolCall::redacted`], whose arguments may carry confidential
/// values (action results, action log messages): those show the redacted form instead,
/// as ops's `redacted_cmd` does. An argument longer than [`SHOWN_ARG_BYTES`] is shown as
/// its beginning and its length. Stdin is never shown: [`ToolCall::describe`], what
/// errors quote, names the keys of a JSON map on stdin, never their values.
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

    /// Argument `i` as messages show it: redacted if the call is, and bounded.
    pub fn shown_arg(&self, i: usize) -> String {
        match self.shown_args().get(i) {
            Some(a) => bounded_arg(a),
            // A redacted form with fewer items than the real argv.
            None => "<redacted>".into(),
        }
    }

    /// What errors quote: the command line as shown (see the type's documentation), and
    /// for a call with stdin, the keys it carries when it is a JSON map (`relation-set`,
    /// `state-set`), else its size: never a value.
    pub fn describe(&self) -> String {
        let mut out = self.to_string();
        if let Some(stdin) = &self.stdin {
            type Keys = std::collections::BTreeMap<String, serde::de::IgnoredAny>;
            match serde_json::from_str::<Keys>(stdin) {
                Ok(map) if map.is_empty() => out.push_str(" (stdin: no keys)"),
                Ok(map) => {
                    let keys: Vec<String> = map
                        .keys()
                        .take(SHOWN_KEYS)
                        .map(|k| bounded_arg(k))
                        .collect();
                    let more = map.len().saturating_sub(SHOWN_KEYS);
                    out.push_str(&format!(" (stdin: keys {}", keys.join(", ")));
                    if more > 0 {
                        out.push_str(&format!(" and {more} more"));
                    }
                    out.push(')');
                }
                Err(_) => out.push_str(&format!(" (stdin: {} bytes)", stdin.len())),
            }
        }
        out
    }
}

/// `a`, or its first [`SHOWN_ARG_BYTES`] (at a character boundary) and its length.
fn bounded_arg(a: &str) -> String {
    if a.len() <= SHOWN_ARG_BYTES {
        return a.to_string();
    }
    let mut cut = SHOWN_ARG_BYTES;
    while !a.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}...[{} bytes]", &a[..cut], a.len())
}

impl fmt::Display for ToolCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tool)?;
        for a in self.shown_args() {
            write!(f, " {}", bounded_arg(a))?;
        }
        Ok(())
    }
}

impl fmt::Debug for ToolCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ToolCall")
            .field("tool", &self.tool)
            .field(
                "args",
                &self
                    .shown_args()
                    .iter()
                    .map(|a| bounded_arg(a))
                    .collect::<Vec<_>>(),
            )
            .field(
                "stdin",
                &self.stdin.as_ref().map(|s| format!("<{} bytes>", s.len())),
            )
            .finish()
    }
}
