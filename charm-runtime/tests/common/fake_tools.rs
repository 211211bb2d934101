//! Real processes standing in for Juju's hook tools: every tool name on a private `PATH`
//! directory is a two-line shell script that sources the current case (`case.sh`), so each
//! test says in shell what "the tool" does. Cases run one at a time (a lock): `PATH` and
//! the case file are per test binary.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::Duration;

/// Every tool the runtime calls.
pub const TOOLS: &[&str] = &[
    "action-fail",
    "action-get",
    "action-log",
    "action-set",
    "application-version-set",
    "close-port",
    "config-get",
    "credential-get",
    "goal-state",
    "is-leader",
    "juju-log",
    "juju-reboot",
    "network-get",
    "open-port",
    "opened-ports",
    "relation-get",
    "relation-ids",
    "relation-list",
    "relation-model-get",
    "relation-set",
    "resource-get",
    "secret-add",
    "secret-get",
    "secret-grant",
    "secret-ids",
    "secret-info-get",
    "secret-remove",
    "secret-revoke",
    "secret-set",
    "state-delete",
    "state-get",
    "state-set",
    "status-set",
    "storage-add",
    "storage-get",
    "storage-list",
];

/// The fake tools' directory, made once per test binary and put first on `PATH`.
pub struct FakeTools {
    /// The directory (`bin/` holds the tools, `case.sh` the current behaviour).
    pub dir: PathBuf,
}

static LOCK: Mutex<()> = Mutex::new(());
static TOOLS_DIR: OnceLock<FakeTools> = OnceLock::new();

/// The fake tools, and the lock that makes this test the only one using them.
pub fn fake_tools() -> (&'static FakeTools, MutexGuard<'static, ()>) {
    let guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let tools = TOOLS_DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!(
            "charm-runtime-fake-tools-{}-{}",
            std::process::id(),
            std::thread::current()
                .name()
                .unwrap_or("t")
                .replace("::", "-")
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("bin")).unwrap();
        for tool in TOOLS {
            let p = dir.join("bin").join(tool);
            fs::write(&p, "#!/bin/sh\n. \"$FAKE_TOOLS_DIR/case.sh\"\n").unwrap();
            fs::set_permissions(&p, fs::Permissions::from_mode(0o755)).unwrap();
        }
        let path = format!(
            "{}:{}",
            dir.join("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        std::env::set_var("PATH", path);
        std::env::set_var("FAKE_TOOLS_DIR", &dir);
        FakeTools { dir }
    });
    (tools, guard)
}

impl FakeTools {
    /// Every tool does `script` (POSIX shell; `$0` is the tool, `$@` its arguments,
    /// `$FAKE_TOOLS_DIR` this directory) until the next case.
    pub fn case(&self, script: &str) {
        fs::write(self.dir.join("case.sh"), script).unwrap();
        let _ = fs::remove_file(self.dir.join("got"));
    }

    /// What the case wrote to `$FAKE_TOOLS_DIR/got`.
    pub fn got(&self) -> Vec<u8> {
        fs::read(self.dir.join("got")).unwrap_or_default()
    }
}

/// Runs `f` on a thread and fails the test if it has not returned within `limit` (a hang
/// is a failure, not a stuck test run).
pub fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(limit) {
        Ok(v) => v,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("the call did not return within {limit:?}: it hangs")
        }
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            panic!("the call panicked (see above)")
        }
    }
}
