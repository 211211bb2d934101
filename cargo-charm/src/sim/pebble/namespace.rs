//! How a dispatch reaches its own unit's Pebble at the path ops hard-codes,
//! `/charm/containers/<c>/pebble.socket`: the charm runs in a private mount namespace
//! (util-linux's `unshare --mount --propagation private`, with `--map-root-user` when
//! not root) in which the unit's `containers/` directory is bind-mounted on
//! `/charm/containers`. The host's `/charm/containers` is only the mount point: nothing
//! is mounted there outside the namespace, and units never see each other's sockets.
//!
//! Needs: `unshare` and `mount` (util-linux), the right to create a mount namespace (root,
//! or unprivileged user namespaces), and an existing `/charm/containers` (created here
//! when running as root; creating it inside the namespace would create it on the host all
//! the same). Where something is missing, hooks run without a namespace and one warning
//! says what is missing: ops charms then cannot reach Pebble, Rust charms still can,
//! through [`CONTAINERS_DIR_VAR`].

use charm_runtime::metadata::CharmMetadata;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Where ops (and the Rust runtime by default) look for the sockets.
pub const CHARM_CONTAINERS: &str = charm_runtime::pebble::DEFAULT_CONTAINERS_DIR;

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
        /// util-linux's `unshare`.
        unshare: PathBuf,
        /// util-linux's `mount`.
        mount: PathBuf,
        /// Not root: a user namespace too (`--map-root-user`).
        map_root: bool,
    },
    /// No namespace, and why.
    Direct {
        /// What is missing.
        why: String,
    },
}

/// `name` in `$PATH` or the usual system directories.
fn find(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/bin", "/bin", "/usr/sbin", "/sbin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

impl Access {
    /// Finds out whether hooks can run in a namespace, by trying the bind mount once in
    /// one (`containers_dir`: a unit's containers directory).
    pub fn probe(containers_dir: &Path) -> Access {
        if std::env::var(SWITCH_VAR).is_ok_and(|v| v == "off") {
            return Access::direct(format!("{SWITCH_VAR}=off"));
        }
        let (Some(unshare), Some(mount)) = (find("unshare"), find("mount")) else {
            return Access::direct("`unshare` or `mount` is not installed (util-linux)".into());
        };
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
        let access = Access::Namespace {
            unshare,
            mount,
            map_root: !root,
        };
        let Some((mut probe, mount)) = access.unshare() else {
            return access;
        };
        let tried = probe
            .arg(mount)
            .arg("--bind")
            .arg(containers_dir)
            .arg(CHARM_CONTAINERS)
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
                    "`unshare --mount` with a bind mount on {CHARM_CONTAINERS} failed ({}); {hint}",
                    err.trim().replace('\n', "; ")
                ))
            }
            Err(e) => Access::direct(format!("cannot run unshare: {e}")),
        }
    }

    fn direct(why: String) -> Access {
        Access::Direct { why }
    }

    /// `unshare [--map-root-user] --mount --propagation private --`, and `mount`.
    fn unshare(&self) -> Option<(Command, &Path)> {
        let Access::Namespace {
            unshare,
            mount,
            map_root,
        } = self
        else {
            return None;
        };
        let mut c = Command::new(unshare);
        if *map_root {
            c.arg("--map-root-user");
        }
        c.args(["--mount", "--propagation", "private", "--"]);
        Some((c, mount))
    }

    /// The command that runs `program` as a dispatch of the unit whose containers
    /// directory is `containers_dir`: in its namespace (unshare → sh → mount, then sh
    /// execs the charm, so the charm is the process unshare started and its exit status or
    /// signal is the command's), or directly.
    pub fn command(&self, program: &Path, containers_dir: &Path) -> Command {
        let Some((mut c, mount)) = self.unshare() else {
            return Command::new(program);
        };
        c.args(["/bin/sh", "-c"])
            .arg(format!(
                "\"$1\" --bind \"$2\" {CHARM_CONTAINERS} && exec \"$3\""
            ))
            .arg("sh")
            .arg(mount)
            .arg(containers_dir)
            .arg(program);
        c
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
