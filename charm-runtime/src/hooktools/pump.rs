//! One running tool's pipes and exit, served from the calling thread: its input written,
//! its stdout and stderr read as they come, and its exit noticed, all in one `poll(2)` loop
//! (as `std::process::Command::output` reads two pipes), so the call returns the moment the
//! tool is reaped and starts no thread.
//!
//! The tool's exit is watched through a pidfd (Linux 5.3 and later); where the kernel
//! refuses one (an older kernel, a seccomp profile), the loop checks for the exit
//! every [`TICK`] while the pipes are open and at doubling pauses from
//! [`FIRST_REAP_PAUSE`] once they are closed.

use rustix::event::{poll, PollFd, PollFlags, Timespec};
use rustix::process::{pidfd_open, Pid, PidfdFlags};
use std::io::{ErrorKind, Read, Write};
use std::os::fd::OwnedFd;
use std::process::{Child, ChildStderr, ChildStdin, ChildStdout, ExitStatus};
use std::time::{Duration, Instant};

/// How long the output pipes may stay open once the tool has exited (a process the tool
/// started may hold them) before the call returns with what was read.
pub(super) const PIPE_GRACE: Duration = Duration::from_secs(2);

/// How often the tool is checked for having exited when the kernel gives no pidfd.
const TICK: Duration = Duration::from_millis(20);

/// Without a pidfd, the first pause between checks once both pipes are closed: the tool
/// is exiting (the kernel closes its files a moment before it can be reaped), so it is
/// checked again soon, then at doubling intervals up to [`TICK`].
const FIRST_REAP_PAUSE: Duration = Duration::from_micros(50);

/// How much is read from a pipe at once.
const CHUNK: usize = 64 * 1024;

/// How waiting for a tool ended.
pub(super) enum Ended {
    /// It exited (or was stopped because its stdout overflowed).
    Exited(ExitStatus),
    /// It was still running at its deadline, after this long, and was stopped.
    Stopped(Duration),
}

/// What one run of a tool gave.
pub(super) struct Outcome {
    pub ended: Ended,
    pub stdout: Kept,
    pub stderr: Kept,
    /// How much of its input the tool took (`None`: it had no input).
    pub written: Option<Written>,
}

/// Serves `child` (spawned with piped stdout and stderr, and piped stdin when `input` is
/// given) until both output pipes are closed, its input is written and it has exited:
/// stopping it if stdout passes `stdout_limit` or it is still running at `deadline`, and
/// giving up on pipes a leftover process keeps open [`PIPE_GRACE`] after it exited.
pub(super) fn pump(
    child: &mut Child,
    input: Option<&[u8]>,
    stdout_limit: usize,
    stderr_kept: usize,
    deadline: Duration,
) -> std::io::Result<Outcome> {
    // Refused (old kernel, seccomp): the loop polls for the exit instead.
    let pidfd = pidfd_open(Pid::from_child(child), PidfdFlags::empty()).ok();
    serve(child, input, stdout_limit, stderr_kept, deadline, pidfd)
}

/// [`pump`] with the pidfd it got, or none.
fn serve(
    child: &mut Child,
    input: Option<&[u8]>,
    stdout_limit: usize,
    stderr_kept: usize,
    deadline: Duration,
    pidfd: Option<OwnedFd>,
) -> std::io::Result<Outcome> {
    let started = Instant::now();
    let mut out = Pipe::open(child.stdout.take())?;
    let mut err = Pipe::open(child.stderr.take())?;
    let mut feed = match (child.stdin.take(), input) {
        (Some(pipe), Some(input)) => Some(Feed::open(pipe, input)?),
        _ => None,
    };
    let mut stdout = Kept::head_only(stdout_limit);
    let mut stderr = Kept::head_and_tail(stderr_kept);
    let mut buf = vec![0u8; CHUNK];
    let mut exited: Option<(ExitStatus, Instant)> = None;
    let mut killed = false;
    let mut pause = FIRST_REAP_PAUSE;
    let mut check_exit = true;
    let ended = loop {
        if exited.is_none() && (check_exit || pidfd.is_none()) {
            if let Some(status) = child.try_wait()? {
                exited = Some((status, Instant::now()));
            }
        }
        let writing = feed.as_ref().is_some_and(|f| f.pipe.is_some());
        match exited {
            Some((status, _)) if out.is_none() && err.is_none() && !writing => {
                break Ended::Exited(status);
            }
            Some((status, at)) if at.elapsed() >= PIPE_GRACE => break Ended::Exited(status),
            None if started.elapsed() >= deadline => break stop(child, started)?,
            _ => {}
        }
        let timeout = match exited {
            Some((_, at)) => PIPE_GRACE.saturating_sub(at.elapsed()),
            None => {
                let left = deadline.saturating_sub(started.elapsed());
                if pidfd.is_some() {
                    left
                } else if out.is_some() || err.is_some() || writing {
                    left.min(TICK)
                } else {
                    let now = pause;
                    pause = (pause * 2).min(TICK);
                    left.min(now)
                }
            }
        };
        let ready = wait_ready(
            &out,
            &err,
            &feed,
            pidfd.as_ref().filter(|_| exited.is_none()),
            timeout,
        )?;
        check_exit = ready.exited;
        if ready.stdout {
            out.drain(&mut buf, &mut stdout);
            if stdout.overflowed && !killed {
                killed = true;
                // Already exited is fine; the status no longer matters.
                let _ = child.kill();
            }
        }
        if ready.stderr {
            err.drain(&mut buf, &mut stderr);
        }
        if let Some(feed) = feed.as_mut().filter(|_| ready.stdin) {
            feed.write();
        }
    };
    let written = feed.map(Feed::outcome);
    Ok(Outcome {
        ended,
        stdout,
        stderr,
        written,
    })
}

/// Which of the watched files `poll` found ready.
#[derive(Default)]
struct Ready {
    stdout: bool,
    stderr: bool,
    stdin: bool,
    exited: bool,
}

/// Waits up to `timeout` for one of the open pipes, or the pidfd, to be ready.
fn wait_ready(
    out: &Pipe<ChildStdout>,
    err: &Pipe<ChildStderr>,
    feed: &Option<Feed>,
    pidfd: Option<&OwnedFd>,
    timeout: Duration,
) -> std::io::Result<Ready> {
    const STDOUT: u8 = 0;
    const STDERR: u8 = 1;
    const STDIN: u8 = 2;
    const EXIT: u8 = 3;
    let mut polled: Vec<PollFd<'_>> = Vec::with_capacity(4);
    let mut which = [EXIT; 4];
    if let Some(pipe) = &out.0 {
        which[polled.len()] = STDOUT;
        polled.push(PollFd::new(pipe, PollFlags::IN));
    }
    if let Some(pipe) = &err.0 {
        which[polled.len()] = STDERR;
        polled.push(PollFd::new(pipe, PollFlags::IN));
    }
    if let Some(pipe) = feed.as_ref().and_then(|f| f.pipe.as_ref()) {
        which[polled.len()] = STDIN;
        polled.push(PollFd::new(pipe, PollFlags::OUT));
    }
    if let Some(pidfd) = pidfd {
        polled.push(PollFd::new(pidfd, PollFlags::IN));
    }
    let timeout = Timespec::try_from(timeout).unwrap_or(Timespec {
        tv_sec: i64::MAX,
        tv_nsec: 0,
    });
    match poll(&mut polled, Some(&timeout)) {
        Ok(_) => {}
        Err(e) if e == rustix::io::Errno::INTR => return Ok(Ready::default()),
        Err(e) => return Err(e.into()),
    }
    let mut ready = Ready::default();
    for (fd, what) in polled.iter().zip(which) {
        if fd.revents().is_empty() {
            continue;
        }
        match what {
            STDOUT => ready.stdout = true,
            STDERR => ready.stderr = true,
            STDIN => ready.stdin = true,
            _ => ready.exited = true,
        }
    }
    Ok(ready)
}

/// Stops a tool past its deadline: killed and reaped (a process it started may live on,
/// holding the pipes, which are closed unread).
fn stop(child: &mut Child, started: Instant) -> std::io::Result<Ended> {
    // It may have exited just now: then there is nothing to kill.
    let _ = child.kill();
    child.wait()?;
    Ok(Ended::Stopped(started.elapsed()))
}

/// An output pipe, `None` once it reached its end (or failed).
struct Pipe<R>(Option<R>);

impl<R: Read + std::os::fd::AsFd> Pipe<R> {
    fn open(pipe: Option<R>) -> std::io::Result<Self> {
        if let Some(pipe) = &pipe {
            rustix::io::ioctl_fionbio(pipe, true)?;
        }
        Ok(Pipe(pipe))
    }

    fn is_none(&self) -> bool {
        self.0.is_none()
    }

    fn is_some(&self) -> bool {
        self.0.is_some()
    }

    /// Reads what is there into `kept`, closing the pipe at its end.
    fn drain(&mut self, buf: &mut [u8], kept: &mut Kept) {
        let Some(pipe) = self.0.as_mut() else { return };
        loop {
            match pipe.read(buf) {
                Ok(0) => break self.0 = None,
                Ok(n) => kept.push(&buf[..n]),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(_) => break self.0 = None,
            }
        }
    }
}

/// The tool's input, written as its stdin takes it, then closed.
struct Feed {
    pipe: Option<ChildStdin>,
    input: Vec<u8>,
    taken: usize,
    /// The tool closed its stdin (or the write failed) before taking everything.
    refused: bool,
}

impl Feed {
    fn open(pipe: ChildStdin, input: &[u8]) -> std::io::Result<Self> {
        rustix::io::ioctl_fionbio(&pipe, true)?;
        let mut feed = Feed {
            pipe: Some(pipe),
            input: input.to_vec(),
            taken: 0,
            refused: false,
        };
        feed.write();
        Ok(feed)
    }

    /// Writes what the pipe takes now; closes it when everything is written or the tool
    /// stopped reading.
    fn write(&mut self) {
        let Some(pipe) = self.pipe.as_mut() else {
            return;
        };
        while self.taken < self.input.len() {
            match pipe.write(&self.input[self.taken..]) {
                Ok(0) => {
                    self.refused = true;
                    break;
                }
                Ok(n) => self.taken += n,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if e.kind() == ErrorKind::WouldBlock => return,
                Err(_) => {
                    self.refused = true;
                    break;
                }
            }
        }
        self.pipe = None;
    }

    fn outcome(self) -> Written {
        let total = self.input.len();
        if self.taken == total {
            Written::All
        } else if self.refused {
            Written::Partly {
                taken: self.taken,
                total,
            }
        } else {
            Written::Unknown
        }
    }
}

/// How much of its input the tool took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Written {
    /// All of it.
    All,
    /// It closed its stdin (or exited) after `taken` of `total` bytes.
    Partly { taken: usize, total: usize },
    /// Its stdin was still open, unread, after it exited (a process it started holds it).
    Unknown,
}

impl Written {
    pub(super) fn describe(self) -> String {
        match self {
            Written::All => "all of it".into(),
            Written::Partly { taken, total } => format!("{taken} of {total} bytes taken"),
            Written::Unknown => "its stdin was still open after it exited".into(),
        }
    }
}

/// The bytes kept of one output stream.
#[derive(Debug, Default)]
pub(super) struct Kept {
    /// The first bytes, up to `limit`.
    pub head: Vec<u8>,
    /// The last bytes, up to `limit` (kept only for stderr): a window that slides.
    tail: Vec<u8>,
    /// Whether a tail is kept.
    keep_tail: bool,
    limit: usize,
    /// Every byte read, kept or not.
    total: usize,
    /// More than the head was read.
    pub overflowed: bool,
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
    pub(super) fn text(&self, name: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::{pump, serve, Ended, Kept, Outcome, Written, PIPE_GRACE};
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    /// Runs `sh -c script` through the loop, with or without a pidfd.
    fn run(script: &str, input: Option<&str>, deadline: Duration, pidfd: bool) -> Outcome {
        let mut child = Command::new("sh")
            .args(["-c", script])
            .stdin(if input.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("sh runs");
        let input = input.map(str::as_bytes);
        if pidfd {
            pump(&mut child, input, 1 << 20, 1024, deadline).expect("served")
        } else {
            serve(&mut child, input, 1 << 20, 1024, deadline, None).expect("served")
        }
    }

    fn exit_code(outcome: &Outcome) -> i32 {
        match outcome.ended {
            Ended::Exited(status) => status.code().expect("exited"),
            Ended::Stopped(_) => panic!("stopped"),
        }
    }

    #[test]
    fn input_output_and_exit_with_and_without_a_pidfd() {
        for pidfd in [true, false] {
            let out = run(
                "cat; echo oops >&2; exit 3",
                Some("hello"),
                Duration::from_secs(30),
                pidfd,
            );
            assert_eq!(exit_code(&out), 3, "pidfd: {pidfd}");
            assert_eq!(out.stdout.head, b"hello", "pidfd: {pidfd}");
            assert_eq!(out.stderr.text("stderr"), "oops\n", "pidfd: {pidfd}");
            assert_eq!(out.written, Some(Written::All), "pidfd: {pidfd}");
        }
    }

    #[test]
    fn input_the_tool_refuses_is_partly_taken() {
        let big = "x".repeat(1 << 20);
        for pidfd in [true, false] {
            let out = run(
                "exec 0<&-; exit 0",
                Some(&big),
                Duration::from_secs(30),
                pidfd,
            );
            assert_eq!(exit_code(&out), 0);
            assert!(
                matches!(out.written, Some(Written::Partly { total, .. }) if total == big.len()),
                "pidfd: {pidfd}"
            );
        }
    }

    #[test]
    fn a_running_tool_is_stopped_at_its_deadline_with_and_without_a_pidfd() {
        for pidfd in [true, false] {
            let started = Instant::now();
            let out = run(
                "echo started >&2; exec sleep 30",
                None,
                Duration::from_millis(200),
                pidfd,
            );
            assert!(matches!(out.ended, Ended::Stopped(_)), "pidfd: {pidfd}");
            assert!(started.elapsed() < Duration::from_secs(10));
            assert_eq!(out.stderr.text("stderr"), "started\n");
        }
    }

    #[test]
    fn pipes_held_by_a_leftover_are_given_up_after_the_grace() {
        for pidfd in [true, false] {
            let started = Instant::now();
            let out = run(
                "echo done; sleep 5 & exit 0",
                None,
                Duration::from_secs(60),
                pidfd,
            );
            assert_eq!(exit_code(&out), 0);
            assert_eq!(out.stdout.head, b"done\n");
            let took = started.elapsed();
            assert!(
                took >= PIPE_GRACE && took < PIPE_GRACE * 5,
                "pidfd: {pidfd}: {took:?}"
            );
        }
    }

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
