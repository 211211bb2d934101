//! A hook's process, as something a later command can find and stop.
//!
//! Every hook runs in its own process group, started through `cargo-charm __hook`, which
//! records its pid (and the kernel's start time of that pid, so a reused pid is not taken
//! for it) in `<run dir>/pid` *before* the charm runs, checks that the command that started
//! it is still there, and only then execs the charm in place (same pid, same group). So:
//!
//! - the command that runs the hook waits for it as for any child;
//! - if that command is killed (SIGKILL, alone or with its process group), the hook may
//!   go on running, orphaned: the next command finds `<run dir>/pid`, kills the hook's whole
//!   group and waits until no process of it is left ([`stop_leftover`]), before it removes
//!   the run directory and runs the step again in a new one;
//! - if the command was killed before the pid was recorded, the wrapper finds its parent
//!   gone and exits without running the charm.

use crate::error::{Error, Result};
use crate::fsutil;
use rustix::process::{kill_process_group, Pid, Signal};
use std::ffi::OsString;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The hidden subcommand that records the pid and execs the charm.
pub const SUBCOMMAND: &str = "__hook";

/// The file in a run directory that holds `<pid> <start time>`.
pub const PID_FILE: &str = "pid";

/// How long a leftover hook may take to die once killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// `program`, started through `cargo-charm __hook` in a process group of its own, with
/// `options` for the wrapper (the namespace's: `pebble::namespace::Access::hook_args`).
/// Environment and working directory are set on the returned command; the exec keeps them.
pub fn command(program: &Path, run_dir: &Path, options: &[OsString]) -> Result<Command> {
    let exe = crate::exe::path()?;
    let mut c = Command::new(exe);
    c.arg(SUBCOMMAND)
        .arg("--run-dir")
        .arg(run_dir)
        .arg("--parent")
        .arg(std::process::id().to_string())
        .args(options)
        .arg("--")
        .arg(program)
        .process_group(0);
    Ok(c)
}

/// `cargo-charm __hook --run-dir D --parent P [--bind DIR [--map-root]] -- PROGRAM ARGS...`:
/// records this process in `D/pid`, then, if `P` is still its parent, enters the charm's
/// mount namespace (`namespace`: the containers directory to bind, and whether to map
/// root; [`super::mountns::enter`]) and becomes `PROGRAM` (exec). Returns only
/// on failure.
pub fn exec(
    run_dir: &Path,
    parent: u32,
    namespace: Option<(&Path, bool)>,
    argv: &[String],
) -> Result<()> {
    let Some((program, args)) = argv.split_first() else {
        return Err(Error::usage("__hook needs the program to run"));
    };
    let me = std::process::id();
    let start = start_time(me)
        .ok_or_else(|| Error::msg(format!("reading /proc/{me}/stat: no start time")))?;
    fsutil::write_replace(
        &run_dir.join(PID_FILE),
        format!("{me} {start}\n").as_bytes(),
        false,
    )?;
    // The command that started this hook was killed before the pid was recorded, or
    // right after: it will not read the hook's results, so the hook must not run.
    let ppid = rustix::process::getppid().map_or(0, |p| p.as_raw_nonzero().get() as u32);
    if ppid != parent {
        return Err(Error::msg(
            "the cargo-charm command that started this hook is gone; not running it",
        ));
    }
    if let Some((containers_dir, map_root)) = namespace {
        super::mountns::enter(containers_dir, map_root)?;
    }
    let e = Command::new(program).args(args).exec();
    Err(Error::msg(format!("cannot run {program}: {e}")))
}

/// One line of `/proc/<pid>/stat`, the fields after the command name.
struct Stat {
    state: char,
    pgrp: u32,
    start: u64,
}

fn stat(pid: u32) -> Option<Stat> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // `pid (comm) state ppid pgrp ... starttime(22nd) ...`; comm may hold spaces and ')'.
    let rest = &text[text.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    Some(Stat {
        state: fields.first()?.chars().next()?,
        pgrp: fields.get(2)?.parse().ok()?,
        start: fields.get(19)?.parse().ok()?,
    })
}

/// The kernel's start time of `pid` (clock ticks since boot).
fn start_time(pid: u32) -> Option<u64> {
    stat(pid).map(|s| s.start)
}

/// The live (not zombie) processes of group `pgid`.
fn members(pgid: u32) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| stat(*pid).is_some_and(|s| s.pgrp == pgid && s.state != 'Z'))
        .collect()
}

/// A hook left running by a command that was killed: what `<run dir>/pid` recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leftover {
    /// The hook's pid, which is also its process group.
    pub pid: u32,
    /// Its start time, to tell it from a later process given the same pid.
    pub start: u64,
}

impl Leftover {
    /// Reads `<run dir>/pid`; `None` if the hook never started (or the file is unreadable:
    /// a hook that could not record itself never ran).
    pub fn read(run_dir: &Path) -> Option<Leftover> {
        let text = std::fs::read_to_string(run_dir.join(PID_FILE)).ok()?;
        let mut it = text.split_whitespace();
        let pid = it.next()?.parse().ok().filter(|p| *p > 1)?;
        let start = it.next()?.parse().ok()?;
        Some(Leftover { pid, start })
    }
}

/// The wrappers (`cargo-charm __hook --run-dir <run_dir> ...`) of `run_dir` that have not
/// become the charm yet: each is the leader of its own process group.
fn wrappers(run_dir: &Path) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let want = run_dir.as_os_str().as_encoded_bytes();
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
                return false;
            };
            let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
            args.contains(&SUBCOMMAND.as_bytes())
                && args
                    .windows(2)
                    .any(|w| w[0] == b"--run-dir" && w[1] == want)
                && stat(*pid).is_some_and(|s| s.state != 'Z')
        })
        .collect()
}

/// Stops what is left of the hook that ran in `run_dir`: first any wrapper that had not
/// recorded itself or become the charm yet (it would write its pid file into the run
/// directory while it is removed: `Directory not empty`), then the hook's process group,
/// and waits until no process of it is left. Returns the pid if a hook was running.
pub fn stop_leftover(run_dir: &Path) -> Result<Option<u32>> {
    let deadline = Instant::now() + STOP_TIMEOUT;
    loop {
        let left = wrappers(run_dir);
        if left.is_empty() {
            break;
        }
        for pid in left {
            if let Some(group) = Pid::from_raw(pid as i32) {
                let _ = kill_process_group(group, Signal::KILL);
            }
        }
        if Instant::now() > deadline {
            return Err(Error::msg(format!(
                "the hook wrapper of {} left by an interrupted command did not stop within {} s of SIGKILL",
                run_dir.display(),
                STOP_TIMEOUT.as_secs()
            )));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    // Read only now: a wrapper records the pid before it becomes the charm.
    let Some(h) = Leftover::read(run_dir) else {
        return Ok(None);
    };
    // The pid now belongs to another process: the hook and its group are long gone (a
    // group's id is not reused while the group has members).
    if let Some(s) = stat(h.pid) {
        if s.start != h.start {
            return Ok(None);
        }
    }
    let own_group = rustix::process::getpgrp().as_raw_nonzero().get() as u32;
    if h.pid == own_group || members(h.pid).is_empty() {
        return Ok(None);
    }
    let group = Pid::from_raw(h.pid as i32).expect("pid > 1");
    let deadline = Instant::now() + STOP_TIMEOUT;
    loop {
        // Again each round: a member may have forked after the first signal.
        let _ = kill_process_group(group, Signal::KILL);
        if members(h.pid).is_empty() {
            return Ok(Some(h.pid));
        }
        if Instant::now() > deadline {
            return Err(Error::msg(format!(
                "the hook left running by an interrupted command (process group {}) did not stop within {} s of SIGKILL",
                h.pid,
                STOP_TIMEOUT.as_secs()
            )));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Removes a run directory that is finished with: renamed first (atomically, so a tool a
/// leftover process calls late finds no dispatch instead of writing into a directory
/// being removed), then removed. A removal that fails is left to the next command's
/// recovery, which removes everything under `run/`.
pub fn discard(run_dir: &Path) {
    let Some(name) = run_dir.file_name() else {
        return;
    };
    let gone: PathBuf = run_dir.with_file_name(format!(".done-{}", name.to_string_lossy()));
    let target = match std::fs::rename(run_dir, &gone) {
        Ok(()) => gone,
        Err(_) => run_dir.to_path_buf(),
    };
    let _ = fsutil::remove_dir(&target);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_its_own_stat() {
        let me = std::process::id();
        let s = stat(me).unwrap();
        assert_ne!(s.state, 'Z');
        assert!(s.start > 0);
        assert_eq!(start_time(me), Some(s.start));
        assert!(stat(u32::MAX).is_none());
    }

    #[test]
    fn a_leftover_group_is_killed_and_a_reused_pid_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        // Nothing recorded: nothing to stop.
        assert_eq!(stop_leftover(dir.path()).unwrap(), None);
        // A group of two sleeping processes.
        let mut child = Command::new("/bin/sh")
            .args(["-c", "sleep 30 & sleep 30"])
            .process_group(0)
            .spawn()
            .unwrap();
        let pid = child.id();
        let start = start_time(pid).unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        while members(pid).len() < 3 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(members(pid).len(), 3, "sh and two sleeps");
        // A pid file naming the right pid with another start time: not ours.
        std::fs::write(dir.path().join(PID_FILE), format!("{pid} {}\n", start + 1)).unwrap();
        assert_eq!(stop_leftover(dir.path()).unwrap(), None);
        assert_eq!(members(pid).len(), 3);
        std::fs::write(dir.path().join(PID_FILE), format!("{pid} {start}\n")).unwrap();
        assert_eq!(stop_leftover(dir.path()).unwrap(), Some(pid));
        let _ = child.wait();
        assert!(members(pid).is_empty());
        // Idempotent.
        assert_eq!(stop_leftover(dir.path()).unwrap(), None);
        // A wrapper that had not recorded itself yet (its command line names the run
        // directory): stopped, with its group, before the directory is removed.
        let _ = std::fs::remove_file(dir.path().join(PID_FILE));
        let run_dir = dir.path().to_str().unwrap();
        let mut wrapper = Command::new("/bin/sh")
            .args([
                "-c",
                "sleep 30 & sleep 30",
                SUBCOMMAND,
                "--run-dir",
                run_dir,
            ])
            .process_group(0)
            .spawn()
            .unwrap();
        let pid = wrapper.id();
        let deadline = Instant::now() + Duration::from_secs(5);
        // Until both sleeps have exec'd: a just-forked child still has sh's command line,
        // so it would count as a second wrapper.
        while (members(pid).len() < 3 || wrappers(dir.path()).len() != 1)
            && Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(wrappers(dir.path()), [pid]);
        assert_eq!(stop_leftover(dir.path()).unwrap(), None);
        let _ = wrapper.wait();
        assert!(members(pid).is_empty(), "the wrapper's group is gone");
        assert!(wrappers(dir.path()).is_empty());
        // Garbage in the pid file: nothing to stop.
        for bad in ["", "x y", "1 5", "-4 3", "12"] {
            std::fs::write(dir.path().join(PID_FILE), bad).unwrap();
            assert_eq!(stop_leftover(dir.path()).unwrap(), None, "{bad:?}");
        }
    }
}
