//! The real backend: spawns Juju's hook tools, found on `PATH`, with the inherited
//! environment (as ops does; juju-protocol.md §1.1).
//!
//! One call runs the tool with its stdin written, and its stdout and stderr read, at the
//! same time (one `poll(2)` loop on the calling thread, as `Command::output` does, with
//! the tool's exit watched through a pidfd), so a tool that writes a lot before reading its
//! input never deadlocks against the runtime, and the call returns the moment the tool is
//! reaped. What is kept is bounded: stdout up to
//! [`MAX_STDOUT_BYTES`] (the call fails past it, and the tool is stopped), stderr its first
//! and last [`STDERR_KEPT_BYTES`] (the middle is counted, not kept). The exit status
//! decides: a tool that exits without reading its input is reported with its exit code
//! and stderr (a refusal), never as a broken pipe. Arguments are checked against Linux's
//! limit on one argument before the tool is started.
//!
//! A tool that does not exit is stopped after [`TOOL_DEADLINE`]. Juju itself never times
//! a hook tool out (its client waits on the unit agent's socket for as long as it takes,
//! and a hook has no time limit), and ops neither; but Juju's tools answer in well under a
//! second, so one still running after minutes means the agent is stuck. The call then
//! fails ([`ToolError::TimedOut`]), the hook fails, and Juju retries it later: the unit
//! does not hang for ever on one call.

use super::backend::HookTools;
use super::call::ToolCall;
use super::error::ToolError;
use super::pump::{pump, Ended, Written};
use std::io::ErrorKind;
use std::process::{Command, ExitStatus, Stdio};
use std::time::Duration;

/// The longest argument Linux passes to a program: `MAX_ARG_STRLEN` (32 pages of 4 KiB)
/// less the terminating NUL. A longer one makes `execve` fail with `E2BIG`.
pub const MAX_ARG_BYTES: usize = 131_071;

/// The most a tool may print on stdout: four times the largest payload Juju returns (a
/// relation bag of 16 MiB, Juju's `MaxRelationSettingsSize`). Past it the call fails with
/// [`ToolError::TooLarge`] and the tool is stopped.
pub const MAX_STDOUT_BYTES: usize = 64 * 1024 * 1024;

/// How much of a tool's stderr is kept: its first and its last this many bytes.
pub const STDERR_KEPT_BYTES: usize = 16 * 1024;

/// How long one tool may run before it is stopped and the call fails with
/// [`ToolError::TimedOut`]: five minutes, the time Juju's own `juju exec` gives a command
/// (`--timeout`, default `5m`) before it is "considered to have failed".
pub const TOOL_DEADLINE: Duration = Duration::from_secs(5 * 60);

/// Spawns each hook tool as a process.
#[derive(Debug, Default, Clone, Copy)]
pub struct ProcessTools;

impl HookTools for ProcessTools {
    /// Runs the tool, stopping it after [`TOOL_DEADLINE`].
    fn call(&mut self, call: &ToolCall) -> Result<String, ToolError> {
        run_tool(call, TOOL_DEADLINE)
    }
}

impl ProcessTools {
    /// Runs the tool as [`HookTools::call`] does, but stops it after `deadline` instead of
    /// [`TOOL_DEADLINE`] (tests use a short one).
    pub fn call_within(
        &mut self,
        call: &ToolCall,
        deadline: Duration,
    ) -> Result<String, ToolError> {
        run_tool(call, deadline)
    }
}

/// Runs `call.tool` (found on `PATH`) as [`ProcessTools`] does.
fn run_tool(call: &ToolCall, deadline: Duration) -> Result<String, ToolError> {
    check_args(call)?;
    let spawn_err = |e: std::io::Error| ToolError::Spawn {
        tool: call.tool.to_string(),
        message: e.to_string(),
        not_found: e.kind() == ErrorKind::NotFound,
    };
    let mut cmd = Command::new(call.tool);
    cmd.args(&call.args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(if call.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    let mut child = cmd.spawn().map_err(spawn_err)?;
    let input = call.stdin.as_deref().map(str::as_bytes);
    let outcome = pump(
        &mut child,
        input,
        MAX_STDOUT_BYTES,
        STDERR_KEPT_BYTES,
        deadline,
    )
    .map_err(spawn_err)?;
    let (stdout, stderr) = (outcome.stdout, outcome.stderr);
    let status = match outcome.ended {
        Ended::Exited(status) => status,
        Ended::Stopped(after) => {
            return Err(ToolError::TimedOut {
                call: call.describe(),
                after,
                stderr: super::error::bounded(stderr.text("stderr").trim_end()),
            })
        }
    };
    if stdout.overflowed {
        return Err(ToolError::TooLarge {
            call: call.describe(),
            problem: format!(
                "it printed more than {MAX_STDOUT_BYTES} bytes on stdout (stopped there)"
            ),
        });
    }
    let stderr_text = stderr.text("stderr");
    if !status.success() {
        let code = status.code().unwrap_or(-1);
        let stderr_text = match signal_of(&status) {
            Some(sig) => format!("{stderr_text}\n[the tool was killed by signal {sig}]"),
            None => stderr_text,
        };
        return Err(ToolError::from_exit(call, code, &stderr_text));
    }
    if let Some(outcome) = outcome.written.filter(|w| *w != Written::All) {
        // Exit 0 without reading all of its input: what it did with it is unknown.
        return Err(ToolError::Failed {
            call: call.describe(),
            code: 0,
            stderr: super::error::bounded(&format!(
                "the tool exited 0 without reading all of its input ({}); {stderr_text}",
                outcome.describe()
            )),
        });
    }
    match String::from_utf8(stdout.head) {
        Ok(out) => Ok(out),
        Err(e) => Err(ToolError::BadOutput {
            call: call.describe(),
            output: format!("<{} bytes>", e.as_bytes().len()),
            problem: format!(
                "not UTF-8 (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        }),
    }
}

/// Refuses a call whose argument Linux would refuse (`E2BIG`), naming the argument as the
/// call shows it (a redacted one stays redacted).
fn check_args(call: &ToolCall) -> Result<(), ToolError> {
    let Some(i) = call.args.iter().position(|a| a.len() > MAX_ARG_BYTES) else {
        return Ok(());
    };
    let shown = call.shown_arg(i);
    Err(ToolError::TooLarge {
        call: call.describe(),
        problem: format!(
            "argument {} ({}) is {} bytes; Linux passes at most {MAX_ARG_BYTES} bytes in one argument",
            i + 1,
            shown,
            call.args[i].len()
        ),
    })
}

/// The signal that ended the tool, if one did.
fn signal_of(status: &ExitStatus) -> Option<i32> {
    #[cfg(unix)]
    {
        std::os::unix::process::ExitStatusExt::signal(status)
    }
    #[cfg(not(unix))]
    {
        let _ = status;
        None
    }
}
