//! The server processes: one per container, started by `cargo-charm` itself (its hidden
//! `__pebble-server` command), detached (a session of its own, stdio to `pebbled.log`),
//! tracked by a pid file. A pid file is trusted only if `/proc/<pid>/cmdline` is a
//! `__pebble-server` serving that very socket, so a recycled pid is never signalled; a
//! missing or corrupt pid file falls back to finding the server by that command line.

use super::{mounts, Workload};
use crate::error::{Error, Result};
use crate::fsutil;
use crate::sim::model::Model;
use crate::sim::store::Store;
use rustix::process::{kill_process, Pid, Signal};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The hidden command that runs a server.
pub const SERVE_COMMAND: &str = "__pebble-server";

/// How long a new server may take to accept connections.
const READY_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a stopped server may take to exit before it is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(3);

/// The pid of `w`'s server if it is running (not a zombie, and really that server). The
/// pid file says where to look first; when it is missing or names no such server (removed,
/// or corrupt), the server is looked for by its command line, so a server is never lost
/// (and never started twice) because of its pid file.
pub fn running(w: &Workload) -> Option<Pid> {
    let recorded = std::fs::read_to_string(w.pid_file())
        .ok()
        .and_then(|text| text.trim().parse().ok())
        .and_then(Pid::from_raw);
    if let Some(pid) = recorded.filter(|pid| is_server_of(*pid, w)) {
        return Some(pid);
    }
    std::fs::read_dir("/proc")
        .ok()?
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter_map(Pid::from_raw)
        .find(|pid| is_server_of(*pid, w))
}

fn is_server_of(pid: Pid, w: &Workload) -> bool {
    let proc = Path::new("/proc").join(pid.as_raw_nonzero().to_string());
    let Ok(cmdline) = std::fs::read(proc.join("cmdline")) else {
        return false;
    };
    if !alive(pid) {
        return false;
    }
    let socket = w.socket();
    let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
    args.contains(&SERVE_COMMAND.as_bytes())
        && args.contains(&socket.as_os_str().as_encoded_bytes())
}

/// Whether `pid` exists and is not a zombie (a child of this process that exited but was
/// not waited for yet is one).
fn alive(pid: Pid) -> bool {
    let stat = Path::new("/proc")
        .join(pid.as_raw_nonzero().to_string())
        .join("stat");
    match std::fs::read_to_string(stat) {
        // `pid (comm) S ...`: the state follows the last `)`.
        Ok(text) => text
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X"),
        Err(_) => false,
    }
}

/// A server being started.
struct Starting {
    workload: Workload,
    child: Child,
}

/// Spawns `w`'s server (its state file, if any, is loaded: a restart keeps the state).
fn spawn(model: &Model, w: &Workload) -> Result<Starting> {
    let fail = |what: &str, e: std::io::Error| {
        Error::msg(format!(
            "cannot start the Pebble of {}: {what}: {e}",
            w.label()
        ))
    };
    std::fs::create_dir_all(&w.dir).map_err(|e| fail("creating its directory", e))?;
    let socket = w.socket();
    if let Some(dir) = socket.parent() {
        std::fs::create_dir_all(dir).map_err(|e| fail("creating the socket directory", e))?;
    }
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(w.log_file())
        .map_err(|e| fail("opening its log", e))?;
    let log2 = log.try_clone().map_err(|e| fail("opening its log", e))?;
    let exe = crate::exe::path().map_err(|e| fail("finding cargo-charm", e))?;
    let mut cmd = Command::new(exe);
    cmd.arg(SERVE_COMMAND)
        .arg("--socket")
        .arg(&socket)
        .arg("--root")
        .arg(w.root())
        .arg("--state")
        .arg(w.state_file());
    for (at, host) in mounts(model, w) {
        cmd.arg("--mount").arg(format!("{at}={}", host.display()));
    }
    let child = cmd
        .current_dir(&w.dir)
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log2)
        .spawn()
        .map_err(|e| fail("spawning the server", e))?;
    fsutil::write_replace(&w.pid_file(), format!("{}\n", child.id()).as_bytes(), false)?;
    Ok(Starting {
        workload: w.clone(),
        child,
    })
}

/// Waits until each new server accepts connections on its socket.
fn wait_ready(mut starting: Vec<Starting>) -> Result<()> {
    let deadline = Instant::now() + READY_TIMEOUT;
    while !starting.is_empty() {
        let mut still = Vec::new();
        for mut s in starting {
            let socket = s.workload.socket();
            let connected = super::short_path(&socket)
                .and_then(|(path, _dir)| UnixStream::connect(path))
                .is_ok();
            if connected {
                continue;
            }
            if let Ok(Some(status)) = s.child.try_wait() {
                return Err(Error::msg(format!(
                    "the Pebble of {} exited at start ({status}): {}",
                    s.workload.label(),
                    log_tail(&s.workload)
                )));
            }
            if Instant::now() > deadline {
                return Err(Error::msg(format!(
                    "the Pebble of {} did not listen on {} within {}s: {}",
                    s.workload.label(),
                    socket.display(),
                    READY_TIMEOUT.as_secs(),
                    log_tail(&s.workload)
                )));
            }
            still.push(s);
        }
        if !still.is_empty() {
            std::thread::sleep(Duration::from_millis(1));
        }
        starting = still;
    }
    Ok(())
}

/// The last line of a server's log, for errors.
fn log_tail(w: &Workload) -> String {
    let text = std::fs::read_to_string(w.log_file()).unwrap_or_default();
    let last = text.lines().rev().find(|l| !l.trim().is_empty());
    match last {
        Some(l) => l.trim().to_string(),
        None => format!("see {}", w.log_file().display()),
    }
}

/// Starts the servers of `workloads` that are not running, and waits until all of them
/// listen. Returns the ones it started. Every saved state is read first: a corrupt one is
/// an error naming it, before anything is started (every command that opens the model
/// comes here).
pub fn ensure(model: &Model, workloads: &[Workload]) -> Result<Vec<Workload>> {
    for w in workloads {
        w.load().map_err(Error::msg)?;
    }
    let mut starting = Vec::new();
    for w in workloads {
        if running(w).is_none() {
            starting.push(spawn(model, w)?);
        }
    }
    let started = starting.iter().map(|s| s.workload.clone()).collect();
    wait_ready(starting)?;
    Ok(started)
}

/// Stops `w`'s server if it runs (SIGTERM, then SIGKILL after [`STOP_TIMEOUT`]) and
/// removes its pid file.
pub fn stop(w: &Workload) -> Result<()> {
    if let Some(pid) = running(w) {
        let _ = kill_process(pid, Signal::TERM);
        let deadline = Instant::now() + STOP_TIMEOUT;
        while alive(pid) {
            if Instant::now() > deadline {
                let _ = kill_process(pid, Signal::KILL);
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    match std::fs::remove_file(w.pid_file()) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::msg(format!(
            "removing {}: {e}",
            w.pid_file().display()
        ))),
        _ => Ok(()),
    }
}

/// Stops every server whose pid file is under `<state>/units/` (for `destroy`, and for a
/// `deploy` over an old model's leftovers), without needing the model.
pub fn stop_all_in(store: &Store) -> Result<()> {
    let Ok(units) = std::fs::read_dir(store.dir.join("units")) else {
        return Ok(());
    };
    for unit in units.flatten() {
        let Ok(containers) = std::fs::read_dir(unit.path().join("workloads")) else {
            continue;
        };
        for c in containers.flatten() {
            let w = Workload {
                unit: unit.file_name().to_string_lossy().into_owned(),
                container: c.file_name().to_string_lossy().into_owned(),
                containers_dir: unit.path().join("containers"),
                dir: c.path(),
            };
            stop(&w)?;
        }
    }
    Ok(())
}

/// Restarts the servers of `workloads` with their saved state (to see new mounts).
pub fn restart(model: &Model, workloads: &[Workload]) -> Result<()> {
    for w in workloads {
        stop(w)?;
    }
    ensure(model, workloads).map(|_| ())
}

/// A new pod for `workloads`' unit: each server stopped, the container's files, state and
/// socket removed (storage lives elsewhere and stays), then a fresh server started.
pub fn reset(model: &Model, workloads: &[Workload]) -> Result<()> {
    for w in workloads {
        stop(w)?;
        fsutil::remove_dir(&w.dir)?;
        match std::fs::remove_file(w.socket()) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(Error::msg(format!(
                    "removing {}: {e}",
                    w.socket().display()
                )))
            }
            _ => {}
        }
    }
    ensure(model, workloads).map(|_| ())
}
