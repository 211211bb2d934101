//! The real backend: spawns Juju's hook tools, found on `PATH`, with the inherited
//! environment (as ops does; juju-protocol.md §1.1).
//!
//! One call runs the tool with its stdin written, and its stdout and stderr read, at the
//! same time (one thread each), so a tool that writes a lot before reading its input
//! never deadlocks against the runtime. What is kept is bounded: stdout up to
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
use std::io::{ErrorKind, Read, Write};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

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

/// How long the output pipes may stay open once the tool has exited (a process the tool
/// started may hold them) before the call returns with what was read.
const PIPE_GRACE: Duration = Duration::from_secs(2);

/// How often the tool is checked for having exited while its pipes are still open.
const TICK: Duration = Duration::from_millis(20);

/// The first pause between checks once both pipes are closed: the tool is exiting (the
/// kernel closes its files a moment before it can be reaped), so it is checked again
/// soon, then at doubling intervals up to [`TICK`]. Sleeping a whole tick there made
/// about one call in twenty-five 20 ms slower (the demo's `update-status` in the
/// simulator, traced).
const FIRST_REAP_PAUSE: Duration = Duration::from_micros(50);

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
    let (events, rx) = mpsc::channel();
    let stdout = Arc::new(Mutex::new(Kept::head_only(MAX_STDOUT_BYTES)));
    let stderr = Arc::new(Mutex::new(Kept::head_and_tail(STDERR_KEPT_BYTES)));
    if let Some(pipe) = child.stdout.take() {
        drain(pipe, Arc::clone(&stdout), Stream::Stdout, events.clone());
    }
    if let Some(pipe) = child.stderr.take() {
        drain(pipe, Arc::clone(&stderr), Stream::Stderr, events.clone());
    }
    let fed = match (child.stdin.take(), &call.stdin) {
        (Some(pipe), Some(input)) => Some(feed(pipe, input.clone().into_bytes())),
        _ => None,
    };
    drop(events);
    let status = match wait(&mut child, &rx, deadline).map_err(spawn_err)? {
        Ended::Exited(status) => status,
        Ended::Stopped(after) => {
            return Err(ToolError::TimedOut {
                call: call.describe(),
                after,
                stderr: super::error::bounded(take(&stderr).text("stderr").trim_end()),
            })
        }
    };
    let stdout = take(&stdout);
    let stderr = take(&stderr);
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
    if let Some(fed) = fed {
        // The writer ends as soon as the tool has read everything or gone away.
        let outcome = fed.recv_timeout(PIPE_GRACE).unwrap_or(Written::Unknown);
        if outcome != Written::All {
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

/// Which output pipe an event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stream {
    Stdout,
    Stderr,
}

/// What the reader threads report.
enum Event {
    /// The pipe reached end of file (or failed).
    Closed,
    /// Stdout passed [`MAX_STDOUT_BYTES`]: the tool is to be stopped.
    Overflow,
}

/// How waiting for a tool ended.
enum Ended {
    /// It exited (or was stopped because its stdout overflowed).
    Exited(ExitStatus),
    /// It was still running at its deadline, after this long, and was stopped.
    Stopped(Duration),
}

/// Waits for the tool: until both output pipes are closed and it has exited, stopping it
/// if stdout overflows or it is still running at `deadline`, and giving up on pipes a
/// leftover process keeps open [`PIPE_GRACE`] after the tool exited.
fn wait(child: &mut Child, rx: &Receiver<Event>, deadline: Duration) -> std::io::Result<Ended> {
    let started = Instant::now();
    let mut open = 2;
    let mut exited: Option<(ExitStatus, Instant)> = None;
    let mut pause = FIRST_REAP_PAUSE;
    loop {
        if open == 0 {
            if let Some((status, _)) = exited {
                return Ok(Ended::Exited(status));
            }
            // Both pipes closed: the tool is exiting or has closed them itself.
            match child.try_wait()? {
                Some(status) => return Ok(Ended::Exited(status)),
                None => {
                    if started.elapsed() >= deadline {
                        return stop(child, started);
                    }
                    thread::sleep(pause);
                    pause = (pause * 2).min(TICK);
                    continue;
                }
            }
        }
        match rx.recv_timeout(TICK) {
            Ok(Event::Closed) => open -= 1,
            Ok(Event::Overflow) => {
                // Already exited is fine; the status no longer matters.
                let _ = child.kill();
            }
            Err(RecvTimeoutError::Disconnected) => open = 0,
            Err(RecvTimeoutError::Timeout) => {}
        }
        match exited {
            None => {
                if let Some(status) = child.try_wait()? {
                    exited = Some((status, Instant::now()));
                } else if started.elapsed() >= deadline {
                    return stop(child, started);
                }
            }
            Some((status, at)) if at.elapsed() >= PIPE_GRACE => return Ok(Ended::Exited(status)),
            Some(_) => {}
        }
    }
}

/// Stops a tool past its deadline: killed and reaped (a process it started may live on,
/// holding the pipes: their reader threads end with it, unwaited).
fn stop(child: &mut Child, started: Instant) -> std::io::Result<Ended> {
    // It may have exited just now: then there is nothing to kill.
    let _ = child.kill();
    child.wait()?;
    Ok(Ended::Stopped(started.elapsed()))
}

/// Reads `pipe` to its end on a thread of its own, keeping what `kept` keeps.
fn drain(
    mut pipe: impl Read + Send + 'static,
    kept: Arc<Mutex<Kept>>,
    stream: Stream,
    events: Sender<Event>,
) {
    thread::spawn(move || {
        let mut buf = vec![0u8; 64 * 1024];
        let mut told = false;
        loop {
            match pipe.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    let mut k = kept.lock().unwrap_or_else(PoisonError::into_inner);
                    k.push(&buf[..n]);
                    if k.overflowed && stream == Stream::Stdout && !told {
                        told = true;
                        let _ = events.send(Event::Overflow);
                    }
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        let _ = events.send(Event::Closed);
    });
}

/// How much of its input the tool took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Written {
    /// All of it.
    All,
    /// It closed its stdin (or exited) after `taken` of `total` bytes.
    Partly { taken: usize, total: usize },
    /// Its stdin was still open, unread, after it exited (a process it started holds it).
    Unknown,
}

impl Written {
    fn describe(self) -> String {
        match self {
            Written::All => "all of it".into(),
            Written::Partly { taken, total } => format!("{taken} of {total} bytes taken"),
            Written::Unknown => "its stdin was still open after it exited".into(),
        }
    }
}

/// Writes `input` to the tool's stdin on a thread of its own, then closes it, and reports
/// how much the tool took. A tool that stops reading (exits, closes stdin) ends the
/// write; its exit status says the rest.
fn feed(mut pipe: impl Write + Send + 'static, input: Vec<u8>) -> Receiver<Written> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let total = input.len();
        let mut taken = 0;
        let outcome = loop {
            if taken == total {
                break Written::All;
            }
            match pipe.write(&input[taken..]) {
                Ok(0) => break Written::Partly { taken, total },
                Ok(n) => taken += n,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => break Written::Partly { taken, total },
            }
        };
        drop(pipe);
        let _ = tx.send(outcome);
    });
    rx
}

/// The bytes kept of one output stream.
#[derive(Debug, Default)]
struct Kept {
    /// The first bytes, up to `limit`.
    head: Vec<u8>,
    /// The last bytes, up to `limit` (kept only for stderr): a window that slides.
    tail: Vec<u8>,
    /// Whether a tail is kept.
    keep_tail: bool,
    limit: usize,
    /// Every byte read, kept or not.
    total: usize,
    /// More than the head was read.
    overflowed: bool,
}

impl Kept {
    fn head_only(limit: usize) -> Self {
        Kept {
            limit,
            ..Kept::default()
        }
    }

    fn head_and_tail(limit: usize) -> Self {
        Kept {
            limit,
            keep_tail: true,
            ..Kept::default()
        }
    }

    fn push(&mut self, mut bytes: &[u8]) {
        self.total += bytes.len();
        let room = self.limit - self.head.len();
        let now = bytes.len().min(room);
        self.head.extend_from_slice(&bytes[..now]);
        bytes = &bytes[now..];
        if bytes.is_empty() {
            return;
        }
        self.overflowed = true;
        if self.keep_tail {
            self.tail.extend_from_slice(bytes);
            if self.tail.len() > 2 * self.limit {
                let cut = self.tail.len() - self.limit;
                self.tail.drain(..cut);
            }
        }
    }

    /// The stream as text: the head, a marker saying how much was left out, the tail
    /// (bytes that are not UTF-8 are replaced).
    fn text(&self, name: &str) -> String {
        let head = String::from_utf8_lossy(&self.head);
        if !self.overflowed {
            return head.into_owned();
        }
        let tail_start = self.tail.len().saturating_sub(self.limit);
        let tail = &self.tail[tail_start..];
        let left_out = self.total - self.head.len() - tail.len();
        format!(
            "{head}\n[... {left_out} bytes of {name} not kept ...]\n{}",
            String::from_utf8_lossy(tail)
        )
    }
}

fn take(kept: &Arc<Mutex<Kept>>) -> Kept {
    std::mem::take(&mut *kept.lock().unwrap_or_else(PoisonError::into_inner))
}

#[cfg(test)]
mod tests {
    use super::Kept;

    #[test]
    fn stderr_keeps_head_and_tail() {
        let mut k = Kept::head_and_tail(4);
        for chunk in [&b"abc"[..], b"defgh", b"ijklmnopqrstuvwxyz"] {
            k.push(chunk);
        }
        assert_eq!(k.total, 26);
        assert_eq!(
            k.text("stderr"),
            "abcd\n[... 18 bytes of stderr not kept ...]\nwxyz"
        );
        let mut k = Kept::head_and_tail(4);
        k.push(b"abc");
        assert_eq!(k.text("stderr"), "abc");
    }

    #[test]
    fn stdout_stops_at_its_limit() {
        let mut k = Kept::head_only(3);
        k.push(b"ab");
        assert!(!k.overflowed);
        k.push(b"cd");
        assert!(k.overflowed);
        assert_eq!(k.head, b"abc");
        assert!(k.tail.is_empty());
    }
}
