//! Storage (juju-protocol.md §6.4 metadata, §2.6 tools, §4 ordering): the instances each
//! unit gets, where they live, their `-storage-attached` / `-storage-detaching` hooks, and
//! the `storage-add` requests a successful hook makes.
//!
//! A unit's instances live under its simulated root, `<state>/units/<app>-<n>/root/`, at
//! the path Juju would mount them (the declared `location`, or
//! `/var/lib/juju/storage/<name>/<index>`); filesystem storage is a real directory the
//! charm can write. The charm directory is replaced on pod churn, the root is not: storage
//! keeps its contents for the unit's lifetime and goes with the unit.

use super::charm;
use super::model::{Effect, HookStep, Model, Step, StorageInstance};
use super::store::Store;
use crate::error::{Error, Result};
use charm_runtime::metadata::{Storage, StorageKind};
use std::path::{Component, Path, PathBuf};

/// Where instance `index` of `meta` lives for `unit`: Juju's mount point under the unit's
/// root. Only plain components of the declared path are kept (no `..`), so it stays inside
/// the state directory.
fn location(store: &Store, unit: &str, meta: &Storage, index: u32) -> PathBuf {
    let juju = charm::juju_location(meta, index);
    let mut path = store.unit_dir(unit).join("root");
    for c in Path::new(&juju).components() {
        if let Component::Normal(part) = c {
            path.push(part);
        }
    }
    path
}

/// Creates `count` instances of the storage `name` on `unit`, numbered from the model-wide
/// sequence (a directory each for filesystem storage), and returns their ids.
pub fn create(
    store: &Store,
    model: &mut Model,
    unit: &str,
    name: &str,
    count: u64,
) -> Result<Vec<String>> {
    let meta = model
        .meta_of(unit)
        .storage(name)
        .cloned()
        .ok_or_else(|| Error::msg(format!("charm storage {name:?} not found")))?;
    let mut ids = Vec::new();
    for _ in 0..count {
        let index = model.next.storage;
        model.next.storage += 1;
        let path = location(store, unit, &meta, index);
        if meta.kind == StorageKind::Filesystem {
            std::fs::create_dir_all(&path)
                .map_err(|e| Error::msg(format!("creating {}: {e}", path.display())))?;
        }
        let instance = StorageInstance {
            name: name.to_string(),
            index,
            kind: match meta.kind {
                StorageKind::Filesystem => "filesystem".into(),
                StorageKind::Block => "block".into(),
            },
            location: path.display().to_string(),
            attached: false,
        };
        ids.push(instance.id());
        if let Some(u) = model.unit_mut(unit) {
            u.storage.push(instance);
        }
    }
    Ok(ids)
}

/// Gives a new unit the storage its charm declares: each storage's minimum count (one
/// unless `multiple: range` says otherwise).
pub fn provision(store: &Store, model: &mut Model, unit: &str) -> Result<()> {
    let wanted: Vec<(String, u64)> = model
        .meta_of(unit)
        .storage
        .iter()
        .map(|s| (s.name.clone(), charm::range(s).min.into()))
        .collect();
    for (name, count) in wanted {
        create(store, model, unit, &name, count)?;
    }
    Ok(())
}

/// `-storage-attached` for each of the unit's instances whose hook has not run yet, in
/// creation order; each marks its instance attached as it starts.
pub fn attached_steps(model: &Model, unit: &str, cause: &str) -> Vec<Step> {
    let Some(u) = model.unit(unit) else {
        return vec![];
    };
    u.storage
        .iter()
        .filter(|s| !s.attached)
        .map(|s| {
            Step::hook(HookStep {
                effect: Some(Effect::Attach),
                ..HookStep::storage(unit, &s.id(), "attached", cause)
            })
        })
        .collect()
}

/// `-storage-detaching` for each attached instance (teardown, §4.4). Storage whose
/// `-storage-attached` never ran is released without a hook, as Juju does.
pub fn detaching_steps(model: &Model, unit: &str, cause: &str) -> Vec<Step> {
    let Some(u) = model.unit(unit) else {
        return vec![];
    };
    u.storage
        .iter()
        .filter(|s| s.attached)
        .map(|s| Step::hook(HookStep::storage(unit, &s.id(), "detaching", cause)))
        .collect()
}

/// Checks a hook's `storage-add` requests as Juju does when it commits the hook: the
/// storage is declared, the unit is alive, and the new total stays within `multiple`'s
/// range. An error fails the hook (nothing it did is committed).
pub fn check_adds(model: &Model, unit: &str, adds: &[(String, u64)]) -> Result<()> {
    let Some(u) = model.unit(unit) else {
        return Ok(());
    };
    if !adds.is_empty() && u.life != "alive" {
        return Err(Error::msg(format!("unit {unit} is not alive")));
    }
    for (name, count) in adds {
        let meta = model
            .meta_of(unit)
            .storage(name)
            .ok_or_else(|| Error::msg(format!("charm storage {name:?} not found")))?;
        let existing = u.storage.iter().filter(|s| s.name == *name).count() as u64;
        if let Some(max) = charm::range(meta)
            .max
            .map(u64::from)
            .filter(|m| existing + count > *m)
        {
            return Err(Error::msg(format!(
                "adding {count} {name:?} storage instance(s) to {unit} (which has {existing}) exceeds the maximum of {max}"
            )));
        }
    }
    Ok(())
}

/// Carries out a committed hook's `storage-add` requests (already checked): the new
/// instances, and their `-storage-attached` steps for the caller to queue.
pub fn add_requested(
    store: &Store,
    model: &mut Model,
    unit: &str,
    adds: &[(String, u64)],
) -> Result<Vec<Step>> {
    let mut steps = Vec::new();
    for (name, count) in adds {
        for id in create(store, model, unit, name, *count)? {
            steps.push(Step::hook(HookStep {
                effect: Some(Effect::Attach),
                ..HookStep::storage(unit, &id, "attached", "storage-add")
            }));
        }
    }
    Ok(steps)
}
