//! A local stand-in for Charmhub: `deploy postgresql-k8s --channel 14/stable` finds the
//! charm through a mapping from store names to local charms (a `.charm`, a charm directory
//! or a charm crate), so an integration test that deploys store charms runs unchanged.
//!
//! The mapping comes from, in this order:
//! - [`INLINE_VAR`], inline: `name=path[,name=path...]`;
//! - [`FILE_VAR`], a file: a YAML file of `name: path` (or `name: {path: PATH}`); relative paths
//!   are relative to the file's directory.
//!
//! The channel is recorded (status shows it) but does not select anything: one local
//! charm stands for every channel.

use super::model::StoreOrigin;
use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The variable holding the mapping inline: `name=path,name=path`.
pub const INLINE_VAR: &str = "CARGO_CHARM_CHARMHUB";

/// The variable naming the mapping file (YAML, `name: path`).
pub const FILE_VAR: &str = "CARGO_CHARM_CHARMHUB_MAP";

/// The channel a store deploy gets when none is given.
pub const DEFAULT_CHANNEL: &str = "latest/stable";

/// One entry of the mapping file.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Entry {
    Path(String),
    Full { path: String },
}

/// The mapping file's entries, paths made absolute against its directory.
fn read_file(file: &Path) -> Result<BTreeMap<String, PathBuf>> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        Error::msg(format!(
            "the Charmhub stand-in's mapping {} ({FILE_VAR}) cannot be read: {e}",
            file.display()
        ))
    })?;
    let entries: BTreeMap<String, Entry> = serde_yaml::from_str(&text).map_err(|e| {
        Error::msg(format!(
            "the Charmhub stand-in's mapping {} ({FILE_VAR}) is not a YAML map of charm name to path: {e}",
            file.display()
        ))
    })?;
    let base = file.parent().unwrap_or(Path::new("."));
    Ok(entries
        .into_iter()
        .map(|(name, e)| {
            let p = match e {
                Entry::Path(p) | Entry::Full { path: p } => PathBuf::from(p),
            };
            (name, if p.is_absolute() { p } else { base.join(p) })
        })
        .collect())
}

/// `name=path,name=path`.
fn read_inline(text: &str) -> Result<BTreeMap<String, PathBuf>> {
    text.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((n, p)) if !n.trim().is_empty() && !p.trim().is_empty() => {
                Ok((n.trim().to_string(), PathBuf::from(p.trim())))
            }
            _ => Err(Error::msg(format!(
                "{INLINE_VAR} has {pair:?}: expected name=path[,name=path...]"
            ))),
        })
        .collect()
}

/// The local charm standing for store charm `name` on `channel`, from the mapping the
/// environment sets, and its origin (name and channel) for the model to record.
pub fn resolve(name: &str, channel: Option<&str>) -> Result<(PathBuf, StoreOrigin)> {
    let inline = std::env::var(INLINE_VAR).ok();
    let file = std::env::var_os(FILE_VAR).map(PathBuf::from);
    resolve_in(name, channel, inline.as_deref(), file.as_deref())
}

/// [`resolve`] with the mapping given.
pub fn resolve_in(
    name: &str,
    channel: Option<&str>,
    inline: Option<&str>,
    file: Option<&Path>,
) -> Result<(PathBuf, StoreOrigin)> {
    let name = name.strip_prefix("ch:").unwrap_or(name);
    let mut found = None;
    if let Some(text) = inline {
        found = read_inline(text)?.remove(name);
    }
    if found.is_none() {
        if let Some(f) = file {
            found = read_file(f)?.remove(name);
        }
    }
    let Some(path) = found else {
        let where_ = match (inline, file) {
            (None, None) => format!("neither {INLINE_VAR} nor {FILE_VAR} is set"),
            (Some(i), None) => format!("{INLINE_VAR}={i:?} does not name it"),
            (None, Some(f)) => format!("{FILE_VAR}={} does not name it", f.display()),
            (Some(i), Some(f)) => format!(
                "neither {INLINE_VAR}={i:?} nor {FILE_VAR}={} names it",
                f.display()
            ),
        };
        return Err(Error::msg(format!(
            "charm {name:?} is not in the local Charmhub stand-in ({where_}): map it to a local charm (a .charm, a charm directory or a charm crate) with {INLINE_VAR}={name}=PATH or a line `{name}: PATH` in the YAML file {FILE_VAR} names"
        )));
    };
    if !path.exists() {
        return Err(Error::msg(format!(
            "charm {name:?} maps to {} in the local Charmhub stand-in, which does not exist",
            path.display()
        )));
    }
    let origin = StoreOrigin {
        name: name.to_string(),
        channel: channel.unwrap_or(DEFAULT_CHANNEL).to_string(),
    };
    Ok((path, origin))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_map_to_local_charms_inline_or_in_a_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("pg")).unwrap();
        let file = dir.path().join("map.yaml");
        std::fs::write(&file, "postgresql-k8s: pg\nother: {path: /nowhere}\n").unwrap();
        let (p, o) = resolve_in("postgresql-k8s", Some("14/stable"), None, Some(&file)).unwrap();
        assert_eq!(p, dir.path().join("pg"));
        assert_eq!(o.channel, "14/stable");
        let pg = dir.path().join("pg").display().to_string();
        let (p, o) = resolve_in(
            "ch:postgresql-k8s",
            None,
            Some(&format!("a=/x,postgresql-k8s={pg}")),
            None,
        )
        .unwrap();
        assert_eq!(p, dir.path().join("pg"));
        assert_eq!(
            (o.name.as_str(), o.channel.as_str()),
            ("postgresql-k8s", "latest/stable")
        );
    }

    #[test]
    fn an_unmapped_charm_names_the_mapping() {
        let e = resolve_in("mysql-k8s", None, None, None).unwrap_err();
        assert!(e.message.contains("charm \"mysql-k8s\" is not in the local Charmhub stand-in (neither CARGO_CHARM_CHARMHUB nor CARGO_CHARM_CHARMHUB_MAP is set)"), "{}", e.message);
        let e = resolve_in("mysql-k8s", None, Some("pg=/x"), None).unwrap_err();
        assert!(
            e.message
                .contains("CARGO_CHARM_CHARMHUB=\"pg=/x\" does not name it"),
            "{}",
            e.message
        );
        let e = resolve_in("other", None, Some("other=/nowhere/at/all"), None).unwrap_err();
        assert!(e.message.contains("which does not exist"), "{}", e.message);
        let e = resolve_in("x", None, Some("broken"), None).unwrap_err();
        assert!(e.message.contains("expected name=path"), "{}", e.message);
    }
}
