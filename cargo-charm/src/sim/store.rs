//! The state directory: one lock for the whole command, `model.json` written atomically,
//! the charm's pristine copy, each unit's charm directory, per-dispatch directories and
//! the hook-tool symlinks.
//!
//! ```text
//! <state>/
//!   lock                  flock held by the running cargo-charm command
//!   model.json            the model (format, app, units, relations, queue, events, logs)
//!   charms/<app>/         each application's charm, unpacked (pristine; new pods copy it)
//!   charm/                the charm of a model saved in format 1 (one application)
//!   build/                .charm files packed by `deploy` from a crate
//!   units/<app>-<n>/charm the unit's charm directory (JUJU_CHARM_DIR)
//!   units/<app>-<n>/root  the unit's storage, at Juju's mount paths (kept across pods)
//!   units/<app>-<n>/containers/<c>/pebble.socket   each container's Pebble (see `pebble`)
//!   units/<app>-<n>/workloads/<c>/   its root, saved state, pid file and log
//!   tools/                hook tools: symlinks to the cargo-charm binary
//!   run/<seq>/            one dispatch: world.json, context.json, lock (removed after)
//! ```

use super::model::{Model, Step, FORMAT};
use crate::error::{Error, Result};
use crate::fsutil::{self, Lock};
use std::path::{Path, PathBuf};

/// The names this module creates in a state directory; anything else there means the
/// directory is not ours.
const OWN: &[&str] = &[
    "lock",
    "model.json",
    "charm",
    "charm.new",
    "charms",
    "build",
    "units",
    "tools",
    "run",
];

/// An open state directory, locked.
pub struct Store {
    /// The directory.
    pub dir: PathBuf,
    _lock: Lock,
}

impl Store {
    /// Opens (creating it when `create`) and locks the state directory.
    pub fn open(dir: &Path, create: bool) -> Result<Store> {
        if !dir.is_dir() {
            if create {
                std::fs::create_dir_all(dir)
                    .map_err(|e| Error::msg(format!("creating {}: {e}", dir.display())))?;
            } else {
                return Err(no_model(dir));
            }
        }
        let dir = dir.canonicalize()?;
        let lock = Lock::exclusive(&dir.join("lock"), || {
            eprintln!(
                "waiting for another cargo-charm command using {}...",
                dir.display()
            )
        })?;
        Ok(Store { dir, _lock: lock })
    }

    /// `model.json`.
    pub fn model_path(&self) -> PathBuf {
        self.dir.join("model.json")
    }

    /// Whether a model exists.
    pub fn has_model(&self) -> bool {
        self.model_path().exists()
    }

    /// Loads the model, refusing a missing, unreadable or corrupt one with a one-line error.
    pub fn load(&self) -> Result<Model> {
        let path = self.model_path();
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(no_model(&self.dir)),
            Err(e) => return Err(Error::msg(format!("reading {}: {e}", path.display()))),
        };
        let value = serde_json::from_slice(&bytes).map(super::model::upgrade).map_err(|e| {
            Error::msg(format!(
                "the model in {} is corrupt: model.json is not valid JSON ({e}); remove the directory or run `cargo charm sim destroy`",
                self.dir.display()
            ))
        })?;
        let format = value.get("format").and_then(|f| f.as_u64());
        if format != Some(FORMAT as u64) {
            return Err(Error::msg(format!(
                "the model in {} has format {} but this cargo-charm reads format {FORMAT}; run `cargo charm sim destroy`",
                self.dir.display(),
                format.map_or("none".to_string(), |f| f.to_string())
            )));
        }
        let model: Model = serde_json::from_value(value).map_err(|e| {
            Error::msg(format!(
                "the model in {} is corrupt: model.json: {e}; remove the directory or run `cargo charm sim destroy`",
                self.dir.display()
            ))
        })?;
        for u in model.units() {
            // A step interrupted halfway through replacing or removing the directory
            // finishes when the queue resumes.
            let pending = model.queue.iter().any(|s| {
                matches!(s, Step::FreshPod { unit } | Step::RemoveUnit { unit } if *unit == u.name)
            });
            if !pending && !self.unit_charm_dir(&u.name).is_dir() {
                return Err(Error::msg(format!(
                    "the model in {} is corrupt: the charm directory of {} is missing",
                    self.dir.display(),
                    u.name
                )));
            }
        }
        Ok(model)
    }

    /// Saves the model atomically.
    pub fn save(&self, model: &Model) -> Result<()> {
        let bytes = serde_json::to_vec_pretty(model)
            .map_err(|e| Error::msg(format!("serializing the model: {e}")))?;
        fsutil::write_atomic(&self.model_path(), &bytes)
    }

    /// An application's pristine unpacked charm, from its path relative to the state
    /// directory (`App::charm_dir`).
    pub fn app_charm_dir(&self, relative: &str) -> PathBuf {
        self.dir.join(relative)
    }

    /// Where `deploy` packs a crate.
    pub fn build_dir(&self) -> PathBuf {
        self.dir.join("build")
    }

    /// A unit's own directory (`units/app-0`).
    pub fn unit_dir(&self, unit: &str) -> PathBuf {
        self.dir.join("units").join(unit.replace('/', "-"))
    }

    /// A unit's charm directory.
    pub fn unit_charm_dir(&self, unit: &str) -> PathBuf {
        self.unit_dir(unit).join("charm")
    }

    /// Gives `unit` a fresh copy of its application's pristine charm directory
    /// (`pristine`), replacing any old one: copied next to it, then renamed into place.
    ///
    /// The staging directory has a fixed name (not a `tempfile::TempDir`) so that a copy a
    /// crash interrupted is found and removed when the queued step runs again.
    pub fn fresh_charm_copy(&self, unit: &str, pristine: &Path) -> Result<()> {
        let dir = self.unit_charm_dir(unit);
        let staging = self.unit_dir(unit).join("charm.new");
        fsutil::remove_dir(&staging)?;
        fsutil::copy_dir(pristine, &staging)?;
        fsutil::remove_dir(&dir)?;
        std::fs::rename(&staging, &dir)
            .map_err(|e| Error::msg(format!("renaming {}: {e}", staging.display())))
    }

    /// The hook-tool directory.
    pub fn tools_dir(&self) -> PathBuf {
        self.dir.join("tools")
    }

    /// One dispatch's directory.
    pub fn run_dir(&self, seq: u64) -> PathBuf {
        self.dir.join("run").join(seq.to_string())
    }

    /// Fails unless the directory is empty or holds only what a state directory holds.
    pub fn check_ours(&self) -> Result<()> {
        for entry in std::fs::read_dir(&self.dir)? {
            let name = entry?.file_name();
            let name = name.to_string_lossy();
            if !OWN.contains(&name.as_ref()) && !name.starts_with(".model.json.tmp") {
                return Err(Error::msg(format!(
                    "{} is not a cargo-charm state directory (it holds `{name}`); choose another --state",
                    self.dir.display()
                )));
            }
        }
        Ok(())
    }

    /// Removes everything this module created (the lock file last). The units' Pebble
    /// servers must be stopped first (`pebble::process::stop_all_in`).
    pub fn destroy(self) -> Result<()> {
        self.check_ours()?;
        let _ = std::fs::remove_file(self.model_path());
        for name in OWN.iter().filter(|n| **n != "lock" && **n != "model.json") {
            fsutil::remove_dir(&self.dir.join(name))?;
        }
        let dir = self.dir.clone();
        drop(self);
        let _ = std::fs::remove_file(dir.join("lock"));
        let _ = std::fs::remove_dir(&dir);
        Ok(())
    }

    /// Makes `tools/` hold one symlink per hook tool, pointing at `exe`.
    pub fn install_tools(&self, exe: &Path, tools: &[&str]) -> Result<()> {
        let dir = self.tools_dir();
        std::fs::create_dir_all(&dir)?;
        for tool in tools {
            let link = dir.join(tool);
            if std::fs::read_link(&link).ok().as_deref() == Some(exe) {
                continue;
            }
            let _ = std::fs::remove_file(&link);
            std::os::unix::fs::symlink(exe, &link)
                .map_err(|e| Error::msg(format!("creating {}: {e}", link.display())))?;
        }
        Ok(())
    }
}

fn no_model(dir: &Path) -> Error {
    Error::msg(format!(
        "no model in {} (run `cargo charm sim deploy` first, or pass --state DIR)",
        dir.display()
    ))
}
