//! Where the simulated models live: one simulator state directory per model under the
//! juju home, `$CARGO_CHARM_JUJU_HOME` (default: `<target-dir>/juju` of the cargo
//! workspace around the current directory).
//!
//! ```text
//! <home>/
//!   current-model        the model commands use without --model or JUJU_MODEL
//!   models/<name>.json   the model's record: uuid, creation time, constraints
//!   models/<name>/       its simulator state directory (`cargo charm sim --state` reads it)
//! ```

use crate::error::{Error, Result};
use crate::fsutil;
use crate::workspace::{self, Locate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The environment variable naming the juju home.
pub const HOME_VAR: &str = "CARGO_CHARM_JUJU_HOME";

/// The controller every simulated model is on.
pub const CONTROLLER: &str = "cargo-charm-sim";

/// A model's record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelRecord {
    /// The model's name.
    pub name: String,
    /// Its UUID.
    pub uuid: String,
    /// When it was added (Unix seconds).
    pub created: i64,
    /// `set-model-constraints` values.
    #[serde(default)]
    pub constraints: BTreeMap<String, String>,
    /// `add-model --config` values.
    #[serde(default)]
    pub config: BTreeMap<String, String>,
}

/// The juju home.
pub struct Home {
    /// Its directory.
    pub dir: PathBuf,
}

impl Home {
    /// `$CARGO_CHARM_JUJU_HOME`, else `<target-dir>/juju` of the workspace around the
    /// current directory.
    pub fn locate() -> Result<Home> {
        if let Some(dir) = std::env::var_os(HOME_VAR).filter(|d| !d.is_empty()) {
            return Ok(Home {
                dir: PathBuf::from(dir),
            });
        }
        let loc = Locate {
            manifest_path: None,
            package: None,
            quiet: true,
        };
        let target = workspace::target_dir(&loc).map_err(|e| {
            Error::msg(format!(
                "no place for the simulated models: set {HOME_VAR} to a directory (default: <target-dir>/juju of the cargo workspace around here, but {})",
                e.message
            ))
        })?;
        Ok(Home {
            dir: target.join("juju"),
        })
    }

    fn models_dir(&self) -> PathBuf {
        self.dir.join("models")
    }

    fn record_path(&self, name: &str) -> PathBuf {
        self.models_dir().join(format!("{name}.json"))
    }

    /// The simulator state directory of model `name`.
    pub fn state_dir(&self, name: &str) -> PathBuf {
        self.models_dir().join(name)
    }

    /// The record of model `name`, if it exists.
    pub fn record(&self, name: &str) -> Result<Option<ModelRecord>> {
        let path = self.record_path(name);
        match std::fs::read(&path) {
            Ok(b) => serde_json::from_slice(&b)
                .map(Some)
                .map_err(|e| Error::msg(format!("{} is corrupt: {e}", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::msg(format!("reading {}: {e}", path.display()))),
        }
    }

    /// Writes a model's record.
    pub fn save(&self, r: &ModelRecord) -> Result<()> {
        std::fs::create_dir_all(self.models_dir())
            .map_err(|e| Error::msg(format!("creating {}: {e}", self.models_dir().display())))?;
        let bytes = serde_json::to_vec_pretty(r).unwrap_or_default();
        fsutil::write_atomic(&self.record_path(&r.name), &bytes)
    }

    /// Every model, by name.
    pub fn models(&self) -> Result<Vec<ModelRecord>> {
        let mut out = Vec::new();
        let Ok(entries) = std::fs::read_dir(self.models_dir()) else {
            return Ok(out);
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                e.file_name()
                    .to_str()
                    .and_then(|n| n.strip_suffix(".json"))
                    .map(str::to_string)
            })
            .collect();
        names.sort();
        for n in names {
            if let Some(r) = self.record(&n)? {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// Removes a model's record and state directory.
    pub fn remove(&self, name: &str) -> Result<()> {
        fsutil::remove_dir(&self.state_dir(name))?;
        match std::fs::remove_file(self.record_path(name)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::msg(format!("removing model {name:?}: {e}"))),
        }
        if self.current()?.as_deref() == Some(name) {
            let _ = std::fs::remove_file(self.dir.join("current-model"));
        }
        Ok(())
    }

    /// The current model (`add-model` without `--no-switch`, `switch`).
    pub fn current(&self) -> Result<Option<String>> {
        match std::fs::read_to_string(self.dir.join("current-model")) {
            Ok(s) if !s.trim().is_empty() => Ok(Some(s.trim().to_string())),
            Ok(_) => Ok(None),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::msg(format!("reading the current model: {e}"))),
        }
    }

    /// Makes `name` the current model.
    pub fn set_current(&self, name: &str) -> Result<()> {
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| Error::msg(format!("creating {}: {e}", self.dir.display())))?;
        fsutil::write_atomic(&self.dir.join("current-model"), name.as_bytes())
    }

    /// The model a command works on: `--model`, else `$JUJU_MODEL`, else the current one;
    /// it must exist.
    pub fn resolve(&self, flag: Option<&str>) -> Result<ModelRecord> {
        let env = std::env::var("JUJU_MODEL").ok().filter(|m| !m.is_empty());
        let name = match flag.map(str::to_string).or(env) {
            Some(m) => short_name(&m).to_string(),
            None => self.current()?.ok_or_else(|| {
                Error::msg(
                    "no model in focus; use --model, JUJU_MODEL, `juju switch` or `juju add-model`",
                )
            })?,
        };
        self.record(&name)?
            .ok_or_else(|| Error::msg(format!("model cargo-charm-sim:admin/{name} not found")))
    }
}

/// `[<controller>:][<user>/]<model>` → `<model>`.
pub fn short_name(reference: &str) -> &str {
    let s = reference.rsplit_once(':').map_or(reference, |(_, m)| m);
    s.rsplit_once('/').map_or(s, |(_, m)| m)
}

/// Juju's model-name rule: lowercase letters, digits and hyphens, starting with a letter or
/// digit.
pub fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(Error::msg(format!(
            "{name:?} is not a valid name: model names may only contain lowercase letters, digits and hyphens"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_references() {
        assert_eq!(short_name("ctl:admin/m-1"), "m-1");
        assert_eq!(short_name("admin/m"), "m");
        assert_eq!(short_name("m"), "m");
        assert!(check_name("jubilant-1a2b-test").is_ok());
        assert!(check_name("Bad").is_err());
        assert!(check_name("-x").is_err());
    }

    #[test]
    fn records_and_current() {
        let dir = tempfile::tempdir().unwrap();
        let home = Home {
            dir: dir.path().to_path_buf(),
        };
        assert!(home.models().unwrap().is_empty());
        let r = ModelRecord {
            name: "m".into(),
            uuid: "u".into(),
            created: 1,
            constraints: BTreeMap::new(),
            config: BTreeMap::new(),
        };
        home.save(&r).unwrap();
        home.set_current("m").unwrap();
        assert_eq!(home.resolve(None).unwrap().uuid, "u");
        assert_eq!(home.resolve(Some("c:admin/m")).unwrap().name, "m");
        assert!(home.resolve(Some("other")).is_err());
        home.remove("m").unwrap();
        assert!(home.current().unwrap().is_none());
        assert!(home.models().unwrap().is_empty());
    }
}
