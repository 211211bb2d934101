//! How a dispatch reaches its own unit's Pebble at the path ops hard-codes,
//! `/charm/containers/<c>/pebble.socket`: the charm runs in a private mount namespace
//! (as util-linux's `unshare --mount --propagation private` makes one, with a user
//! namespace mapping the caller to root when not root) in which the unit's `containers/`
//! directory is bind-mounted on `/charm/containers`. The hook's wrapper (`cargo-charm
//! __hook`, [`super::super::hookproc`]) makes the namespace itself, with the system calls,
//! just before it becomes the charm: no process is started for it. The host's
//! `/charm/containers` is only the mount point: nothing is mounted there outside the
//! namespace, and units never see each other's sockets.
//!
//! Needs: the right to create a mount namespace (root, or unprivileged user namespaces),
//! and an existing `/charm/containers` (created here when running as root; creating it
//! inside the namespace would create it on the host all the same). Where something is
//! missing, hooks run without a namespace and one warning says what is missing: ops charms
//! then cannot reach Pebble, Rust charms still can, through [`CONTAINERS_DIR_VAR`].

use charm_runtime::metadata::CharmMetadata;
use std::ffi::OsString;
use std::path::Path;
use std::process::{Command, Stdio};

/// Where ops (and the Rust runtime by default) look for the sockets.
pub use super::super::mountns::CHARM_CONTAINERS;

/// The runtime's variable that moves [`CHARM_CONTAINERS`] (read by `HookEnv::from_vars`):
/// every dispatch of a charm with containers gets it, set to the unit's containers
/// directory, so a Rust charm reaches its Pebble with or without a namespace.
pub const CONTAINERS_DIR_VAR: &str = charm_runtime::pebble::CONTAINERS_DIR_VAR;

/// Set to `off` to run hooks without a namespace (what happens where namespaces are not
/// allowed), e.g. to see how a charm copes without its Pebble.
pub const SWITCH_VAR: &str = "CARGO_CHARM_SIM_NAMESPACES";

/// The value of [`CONTAINERS_DIR_VAR`] for a unit whose containers directory is `dir`:
/// `dir` itself, unless one of its socket paths is longer than a unix socket path may be
/// (107 bytes) and the hook runs in a namespace, where the short [`CHARM_CONTAINERS`] is
/// the same directory.
pub fn containers_dir_var(dir: &Path, meta: &CharmMetadata, access: Option<&Access>) -> String {
    let too_long = meta
        .containers
        .iter()
        .any(|c| dir.join(&c.name).join(super::SOCKET).as_os_str().len() > MAX_SOCKET_PATH);
    match access {
        Some(Access::Namespace { .. }) if too_long => CHARM_CONTAINERS.to_string(),
        _ => dir.display().to_string(),
    }
}

/// The longest path a unix socket address holds (`sun_path` less its terminating NUL).
pub const MAX_SOCKET_PATH: usize = 107;

/// How hooks reach the sockets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Each dispatch in a private mount namespace with the unit's containers directory on
    /// `/charm/containers`.
    Namespace {
        /// Not root: a user namespace too, mapping the caller to root in it.
        map_root: bool,
    },
    /// No namespace, and why.
    Direct {
        /// What is missing.
        why: String,
    },
}

/// The `__hook` option that makes the namespace, bind-mounting its value.
pub const BIND_OPTION: &str = "--bind";
/// The `__hook` option that makes a user namespace too.
pub const MAP_ROOT_OPTION: &str = "--map-root";

fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

impl Access {
    /// Finds out whether hooks can run in a namespace, by making one in a process of its
    /// own (`cargo-charm __namespace`, [`super::super::mountns::enter`]) with `containers_dir` (a unit's
    /// containers directory) bind-mounted, as each hook's wrapper will.
    pub fn probe(containers_dir: &Path) -> Access {
        if std::env::var(SWITCH_VAR).is_ok_and(|v| v == "off") {
            return Access::direct(format!("{SWITCH_VAR}=off"));
        }
        let root = is_root();
        if !Path::new(CHARM_CONTAINERS).is_dir() {
            if !root {
                return Access::direct(format!(
                    "{CHARM_CONTAINERS} does not exist and only root can create it (run `sudo mkdir -p {CHARM_CONTAINERS}` once)"
                ));
            }
            if let Err(e) = std::fs::create_dir_all(CHARM_CONTAINERS) {
                return Access::direct(format!("cannot create {CHARM_CONTAINERS}: {e}"));
            }
        }
        if let Err(e) = std::fs::create_dir_all(containers_dir) {
            return Access::direct(format!("cannot create {}: {e}", containers_dir.display()));
        }
        let exe = match crate::exe::path() {
            Ok(exe) => exe,
            Err(e) => return Access::direct(format!("cannot find the cargo-charm binary: {e}")),
        };
        let access = Access::Namespace { map_root: !root };
        let tried = Command::new(exe)
            .arg(PROBE_SUBCOMMAND)
            .args(access.hook_args(containers_dir))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .output();
        match tried {
            Ok(out) if out.status.success() => access,
            Ok(out) => {
                let err = String::from_utf8_lossy(&out.stderr);
                let hint = if root {
                    "the process may lack CAP_SYS_ADMIN (in a container: --privileged, or --cap-add SYS_ADMIN with seccomp and AppArmor unconfined)"
                } else {
                    "run as root, or enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1 and user.max_user_namespaces > 0; on Ubuntu also kernel.apparmor_restrict_unprivileged_userns=0)"
                };
                Access::direct(format!(
                    "a private mount namespace with a bind mount on {CHARM_CONTAINERS} could not be made ({}); {hint}",
                    err.trim().replace('\n', "; ")
                ))
            }
            Err(e) => Access::direct(format!("cannot run the namespace probe: {e}")),
        }
    }

    fn direct(why: String) -> Access {
        Access::Direct { why }
    }

    /// The options of `cargo-charm __hook` (and of the probe) that make the charm run in
    /// its namespace, with `containers_dir` on `/charm/containers`: none without one.
    pub fn hook_args(&self, containers_dir: &Path) -> Vec<OsString> {
        match self {
            Access::Namespace { map_root } => {
                let mut args = vec![BIND_OPTION.into(), containers_dir.as_os_str().to_owned()];
                if *map_root {
                    args.push(MAP_ROOT_OPTION.into());
                }
                args
            }
            Access::Direct { .. } => Vec::new(),
        }
    }

    /// The one-line warning for hooks without a namespace.
    pub fn warning(&self) -> Option<String> {
        match self {
            Access::Namespace { .. } => None,
            Access::Direct { why } => Some(format!(
                "warning: hooks run without a mount namespace, so {CHARM_CONTAINERS}/<container>/pebble.socket is not the unit's Pebble: ops charms cannot reach it (Rust charms still can, through {CONTAINERS_DIR_VAR}); {why}"
            )),
        }
    }
}

/// The hidden subcommand that only makes the namespace and exits (the probe).
pub const PROBE_SUBCOMMAND: &str = "__namespace";
