//! The server process (`cargo-charm __pebble-server`, started by [`super::process`]): one
//! container's Pebble on its socket, saving its state after every change, until it is
//! signalled or its socket goes away (the unit or the model was removed, or another
//! server took the socket over).

use super::SOCKET;
use crate::error::{Error, Result};
use pebbled::{Caller, Pebble, Server, SharedPebble};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How often the server checks that its socket is still its own.
const WATCH_INTERVAL: Duration = Duration::from_millis(200);

/// What a server serves.
#[derive(Debug, Clone)]
pub struct ServeArgs {
    /// The socket.
    pub socket: PathBuf,
    /// The container's `/`.
    pub root: PathBuf,
    /// The state file: loaded if it exists, saved after every change.
    pub state: PathBuf,
    /// Storage mounted into the container: (container path, host directory).
    pub mounts: Vec<(String, PathBuf)>,
}

/// Runs the server until its socket is removed or replaced; only returns on an error or
/// then.
pub fn run(args: &ServeArgs) -> Result<()> {
    // Its own session: no terminal, no signal meant for the command that started it.
    let _ = rustix::process::setsid();
    let fail = |what: &str, e: String| Error::msg(format!("pebble server: {what}: {e}"));
    std::fs::create_dir_all(&args.root).map_err(|e| fail("creating the root", e.to_string()))?;
    let mut state = if args.state.exists() {
        Pebble::load(&args.state).map_err(|e| fail("loading the state", e))?
    } else {
        Pebble::default()
    };
    state.root = Some(args.root.clone());
    state.mounts = args.mounts.iter().cloned().collect();
    for (at, _) in &args.mounts {
        // The mount point, as a real mount shows it in its parent directory.
        let _ = std::fs::create_dir_all(args.root.join(at.trim_start_matches('/')));
    }
    let shared = SharedPebble::with_options(state, Some(args.state.clone()), Caller::default());
    // Saved once at start, so the state file exists as soon as the socket does.
    shared.update(|_| ());
    // Bound by its file name from its own directory: a socket path is limited to 107 bytes
    // and the state directory may be deep.
    let dir = args.socket.parent().unwrap_or(Path::new("/"));
    std::env::set_current_dir(dir)
        .map_err(|e| fail("entering the socket directory", e.to_string()))?;
    let server = Server::bind(Path::new(SOCKET), shared).map_err(|e| {
        fail(
            &format!("listening on {}", args.socket.display()),
            e.to_string(),
        )
    })?;
    let ours = inode(Path::new(SOCKET));
    eprintln!(
        "pebble server {}: listening on {}",
        std::process::id(),
        args.socket.display()
    );
    loop {
        std::thread::sleep(WATCH_INTERVAL);
        if inode(Path::new(SOCKET)) != ours || ours.is_none() {
            eprintln!(
                "pebble server {}: {} is gone or no longer mine; exiting",
                std::process::id(),
                args.socket.display()
            );
            // The socket is not ours: shutdown must not remove the new one.
            std::mem::forget(server);
            return Ok(());
        }
    }
}

/// The (device, inode) of `path`, if it exists.
fn inode(path: &Path) -> Option<(u64, u64)> {
    std::fs::symlink_metadata(path)
        .ok()
        .map(|m| (m.dev(), m.ino()))
}
