//! How one dispatch reaches its containers' Pebbles: through sockets under a directory (the
//! real thing, and the simulator), or through a [`Connector`] a test harness provides.

use super::http::{Connector, SocketDir};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The directory holding `<container>/pebble.socket` in a Kubernetes charm container
/// (`ops/model.py` hard-codes `/charm/containers/<name>/pebble.socket`).
pub const DEFAULT_CONTAINERS_DIR: &str = "/charm/containers";

/// The variable that moves [`DEFAULT_CONTAINERS_DIR`] (for the simulator and tests), read
/// once by `HookEnv::from_vars`. Juju never sets it.
pub const CONTAINERS_DIR_VAR: &str = "CHARM_CONTAINERS_DIR";

/// How the containers' Pebbles are reached during a dispatch ([`HookEnv::pebble`]).
///
/// [`HookEnv::pebble`]: crate::HookEnv::pebble
#[derive(Clone)]
pub enum PebbleAccess {
    /// `<dir>/<container>/pebble.socket`.
    Sockets(PathBuf),
    /// A connector of the caller's choosing (a harness serving Pebble in-process).
    Connector(Arc<dyn Connector>),
}

impl PebbleAccess {
    /// Sockets under `dir`.
    pub fn sockets(dir: impl Into<PathBuf>) -> Self {
        PebbleAccess::Sockets(dir.into())
    }

    /// Through `connector`, which is given the container name on each request.
    pub fn connector(connector: impl Connector + 'static) -> Self {
        PebbleAccess::Connector(Arc::new(connector))
    }

    /// The connector for requests.
    pub fn to_connector(&self) -> Arc<dyn Connector> {
        match self {
            PebbleAccess::Sockets(dir) => Arc::new(SocketDir(dir.clone())),
            PebbleAccess::Connector(c) => Arc::clone(c),
        }
    }

    /// The sockets' directory, when reached through sockets.
    pub fn containers_dir(&self) -> Option<&Path> {
        match self {
            PebbleAccess::Sockets(dir) => Some(dir),
            PebbleAccess::Connector(_) => None,
        }
    }
}

impl Default for PebbleAccess {
    fn default() -> Self {
        PebbleAccess::Sockets(PathBuf::from(DEFAULT_CONTAINERS_DIR))
    }
}

impl fmt::Debug for PebbleAccess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PebbleAccess::Sockets(dir) => f.debug_tuple("Sockets").field(dir).finish(),
            PebbleAccess::Connector(_) => f.write_str("Connector(..)"),
        }
    }
}

/// Directories compare by path; connectors by identity (the same `Arc`).
impl PartialEq for PebbleAccess {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (PebbleAccess::Sockets(a), PebbleAccess::Sockets(b)) => a == b,
            (PebbleAccess::Connector(a), PebbleAccess::Connector(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Eq for PebbleAccess {}
