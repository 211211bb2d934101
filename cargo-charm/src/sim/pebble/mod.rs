//! Each unit's workload containers: one Pebble (the `pebbled` crate) per container, on a
//! unix socket, in a server process of its own that outlives the command that started it.
//!
//! ```text
//! units/<app>-<n>/containers/<c>/pebble.socket   the socket; `containers/` is what the
//!                                                charm sees as /charm/containers
//! units/<app>-<n>/workloads/<c>/root/            the container's `/` (files API)
//! units/<app>-<n>/workloads/<c>/pebble.json      its Pebble state, saved after every change
//! units/<app>-<n>/workloads/<c>/pebbled.pid      the server's process id
//! units/<app>-<n>/workloads/<c>/pebbled.log      the server's stdout and stderr
//! ```
//!
//! Storage the charm mounts into a container (`containers.<c>.mounts`) is the unit's
//! storage directory (under `units/<app>-<n>/root/`), seen at the mount location: it keeps
//! its files when the pod is replaced, everything else of the container does not.
//!
//! - [`process`]: starting, finding and stopping the servers (pid files, liveness).
//! - [`serve`]: the server itself, the hidden `__pebble-server` command.
//! - [`admin`]: acting as the workload (a notice, a check result) through the socket.
//! - [`namespace`]: how a dispatch reaches its unit's sockets at `/charm/containers`.
//! - [`view`]: what `show-unit`, `status` and `sim pebble` show, read from the state files.

pub mod admin;
pub mod namespace;
pub mod process;
pub mod serve;
pub mod view;

use super::charm;
use super::model::Model;
use super::store::Store;
use charm_runtime::metadata::StorageKind;
use pebbled::Pebble;
use std::path::{Path, PathBuf};

/// The socket's file name, as Juju names it.
pub const SOCKET: &str = "pebble.socket";

/// Where one container of one unit lives in the state directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workload {
    /// The unit (`app/0`).
    pub unit: String,
    /// The container's name.
    pub container: String,
    /// `units/<app>-<n>/containers`: the directory bound on `/charm/containers`.
    pub containers_dir: PathBuf,
    /// `units/<app>-<n>/workloads/<c>`: the server's own files.
    pub dir: PathBuf,
}

impl Workload {
    /// Container `container` of `unit`.
    pub fn new(store: &Store, unit: &str, container: &str) -> Workload {
        Workload {
            unit: unit.to_string(),
            container: container.to_string(),
            containers_dir: containers_dir(store, unit),
            dir: store.unit_dir(unit).join("workloads").join(container),
        }
    }

    /// The socket.
    pub fn socket(&self) -> PathBuf {
        self.containers_dir.join(&self.container).join(SOCKET)
    }

    /// The container's `/`.
    pub fn root(&self) -> PathBuf {
        self.dir.join("root")
    }

    /// The saved Pebble state.
    pub fn state_file(&self) -> PathBuf {
        self.dir.join("pebble.json")
    }

    /// The server's pid file.
    pub fn pid_file(&self) -> PathBuf {
        self.dir.join("pebbled.pid")
    }

    /// The server's log.
    pub fn log_file(&self) -> PathBuf {
        self.dir.join("pebbled.log")
    }

    /// `unit container`, for messages.
    pub fn label(&self) -> String {
        format!("container {:?} of {}", self.container, self.unit)
    }

    /// The saved state (an empty Pebble before the server first saved it), with the
    /// container's root and mounts so that its files can be read. A state file that cannot
    /// be read is a one-line error naming it and what is wrong.
    pub fn load(&self) -> Result<Pebble, String> {
        let path = self.state_file();
        if !path.exists() {
            return Ok(Pebble::default().with_root(self.root()));
        }
        let mut state = Pebble::load(&path).map_err(|e| {
            let read_error = format!("cannot read {}: ", path.display());
            let e = e.strip_prefix(&read_error).map_or(e.clone(), str::to_string);
            let e = match e.char_indices().nth(300) {
                Some((at, _)) => format!("{}...", &e[..at]),
                None => e,
            };
            format!(
                "the Pebble state of {} is corrupt: {}: {e}; restore it, or run `cargo charm sim destroy` to start over",
                self.label(),
                path.display()
            )
        })?;
        state.root = Some(self.root());
        Ok(state)
    }
}

/// `units/<app>-<n>/containers` of `unit`.
pub fn containers_dir(store: &Store, unit: &str) -> PathBuf {
    store.unit_dir(unit).join("containers")
}

/// Every container of `unit`, in metadata order.
pub fn workloads(store: &Store, model: &Model, unit: &str) -> Vec<Workload> {
    let Some(app) = model.app_of(unit) else {
        return vec![];
    };
    app.meta
        .containers
        .iter()
        .map(|c| Workload::new(store, unit, &c.name))
        .collect()
}

/// Every container of every unit.
pub fn all_workloads(store: &Store, model: &Model) -> Vec<Workload> {
    model
        .units()
        .flat_map(|u| workloads(store, model, &u.name))
        .collect()
}

/// The storage mounted into `w`'s container: (container path, host directory) for each
/// filesystem instance of each storage its `mounts` name. A mount's `location` takes the
/// place of the storage's own location (`<location>/<name>/<index>` for a storage with
/// several instances, as Juju lays out the charm container's mounts); without one the
/// container sees the storage where the charm container does.
pub fn mounts(model: &Model, w: &Workload) -> Vec<(String, PathBuf)> {
    let Some(container) = model.meta_of(&w.unit).container(&w.container) else {
        return vec![];
    };
    let Some(unit) = model.unit(&w.unit) else {
        return vec![];
    };
    let mut out = Vec::new();
    for mount in &container.mounts {
        let Some(storage) = model.meta_of(&w.unit).storage(&mount.storage) else {
            continue;
        };
        if storage.kind != StorageKind::Filesystem {
            continue;
        }
        let mut placed = storage.clone();
        if mount.location.is_some() {
            placed.location = mount.location.clone();
        }
        for s in unit.storage.iter().filter(|s| s.name == mount.storage) {
            out.push((
                charm::juju_location(&placed, s.index),
                PathBuf::from(&s.location),
            ));
        }
    }
    out
}

/// `<dir>/<name>` shortened for `connect`: a unix socket path is limited to 107 bytes
/// ([`namespace::MAX_SOCKET_PATH`]), so a longer one is reached through the directory's
/// descriptor
/// (`/proc/self/fd/<n>/<name>`), which must stay open while the path is used.
pub fn short_path(path: &Path) -> std::io::Result<(PathBuf, Option<std::fs::File>)> {
    use std::os::fd::AsRawFd;
    if path.as_os_str().len() <= namespace::MAX_SOCKET_PATH {
        return Ok((path.to_path_buf(), None));
    }
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return Ok((path.to_path_buf(), None));
    };
    let dir = std::fs::File::open(dir)?;
    let short = PathBuf::from(format!("/proc/self/fd/{}", dir.as_raw_fd())).join(name);
    Ok((short, Some(dir)))
}
