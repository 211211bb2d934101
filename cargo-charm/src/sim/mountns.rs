//! A hook's private mount namespace, made by the process that is about to become the
//! charm (`cargo-charm __hook`, and the probe `cargo-charm __namespace`): see
//! [`super::pebble::namespace`] for why and when.

use crate::error::{Error, Result};
use std::path::Path;

/// Where the unit's containers directory is bind-mounted (ops' hard-coded path).
pub const CHARM_CONTAINERS: &str = charm_runtime::pebble::DEFAULT_CONTAINERS_DIR;

/// Moves this process into a new private mount namespace (and, with `map_root`, a user
/// namespace in which it is root) where `containers_dir` is bind-mounted on
/// `/charm/containers`: what `unshare [--map-root-user] --mount --propagation private`
/// followed by `mount --bind containers_dir /charm/containers` do. Affects this process
/// and what it execs only; it must be single-threaded (the hook wrapper is).
pub fn enter(containers_dir: &Path, map_root: bool) -> Result<()> {
    use rustix::mount::{mount_bind, mount_change, MountPropagationFlags};
    use rustix::thread::UnshareFlags;
    let fail = |what: &str, e: std::io::Error| Error::msg(format!("{what}: {e}"));
    let (uid, gid) = (rustix::process::getuid(), rustix::process::getgid());
    let mut flags = UnshareFlags::NEWNS;
    if map_root {
        flags |= UnshareFlags::NEWUSER;
    }
    // `unshare` is deprecated in rustix for `UnshareFlags::FILES`, which can leave other
    // threads with descriptors of another table; new namespaces in a single-threaded
    // process are what the `unshare` command does.
    #[allow(deprecated)]
    rustix::thread::unshare(flags).map_err(|e| fail("unshare", e.into()))?;
    if map_root {
        // As `unshare --map-root-user`: no setgroups (needed before a gid map), then the
        // caller's ids map to root.
        match std::fs::write("/proc/self/setgroups", "deny") {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(fail("writing /proc/self/setgroups", e))
            }
            _ => {}
        }
        std::fs::write("/proc/self/uid_map", format!("0 {} 1", uid.as_raw()))
            .map_err(|e| fail("writing /proc/self/uid_map", e))?;
        std::fs::write("/proc/self/gid_map", format!("0 {} 1", gid.as_raw()))
            .map_err(|e| fail("writing /proc/self/gid_map", e))?;
    }
    mount_change(
        "/",
        MountPropagationFlags::PRIVATE | MountPropagationFlags::REC,
    )
    .map_err(|e| fail("making / private", e.into()))?;
    mount_bind(containers_dir, CHARM_CONTAINERS).map_err(|e| {
        fail(
            &format!(
                "bind-mounting {} on {CHARM_CONTAINERS}",
                containers_dir.display()
            ),
            e.into(),
        )
    })
}
