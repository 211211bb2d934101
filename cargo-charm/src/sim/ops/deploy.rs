//! `deploy`: the charm staged (packed, unpacked or copied), a new model, every unit's deploy
//! sequence.

use super::super::charm;
use super::super::model::{App, Counters, Model, Relation, RelationUnit, Unit, FORMAT};
use super::super::pebble;
use super::super::sequence::{install_sequence, join_sequence};
use super::super::storage;
use super::super::store::Store;
use super::super::{Sim, Summary, Verbosity};
use crate::error::{Error, Result};
use crate::workspace::Locate;
use crate::{archive, fsutil, pack, workspace};
use charm_runtime::metadata::CharmMetadata;
use jujuc::BagData;
use serde_json::Map;
use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// Where `deploy` gets the charm.
#[derive(Debug, Clone)]
pub enum CharmSource {
    /// A charm crate: packed first (`cargo charm pack`).
    Crate(Locate),
    /// A `.charm` file.
    CharmFile(PathBuf),
    /// An unpacked charm directory.
    Dir(PathBuf),
}

impl CharmSource {
    /// Classifies `deploy`'s argument: none is the charm crate around the current directory;
    /// a file is a `.charm`; a directory with an executable `dispatch` is an unpacked charm,
    /// one with a `Cargo.toml` is a crate.
    pub fn resolve(arg: Option<&str>, loc: &Locate) -> Result<CharmSource> {
        let Some(arg) = arg else {
            return Ok(CharmSource::Crate(loc.clone()));
        };
        let path = PathBuf::from(arg);
        let meta = std::fs::metadata(&path)
            .map_err(|e| Error::msg(format!("charm {arg:?} not found: {e}")))?;
        if meta.is_file() {
            return Ok(CharmSource::CharmFile(path));
        }
        let dispatch = path.join("dispatch");
        let executable = std::fs::metadata(&dispatch)
            .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
            .unwrap_or(false);
        if !executable && path.join("Cargo.toml").is_file() {
            return Ok(CharmSource::Crate(Locate {
                manifest_path: Some(path.join("Cargo.toml")),
                package: loc.package.clone(),
                quiet: loc.quiet,
            }));
        }
        Ok(CharmSource::Dir(path))
    }
}

/// Unpacks or copies the charm into `<state>/charm.new`, checks it is a charm, and moves it
/// to `<state>/charm`. Returns its metadata and a description of where it came from.
fn stage_charm(
    store: &Store,
    source: &CharmSource,
    quiet: bool,
) -> Result<(CharmMetadata, String)> {
    let staging = store.dir.join("charm.new");
    fsutil::remove_dir(&staging)?;
    let described = match source {
        CharmSource::Crate(loc) => {
            let krate = workspace::find(loc)?;
            let packed = pack::pack(&krate, "release", &store.build_dir(), quiet)?;
            unpack(&packed.path, &staging)?;
            packed.path.display().to_string()
        }
        CharmSource::CharmFile(path) => {
            unpack(path, &staging)?;
            std::path::absolute(path)?.display().to_string()
        }
        CharmSource::Dir(dir) => {
            charm::load(dir)?;
            fsutil::copy_dir(dir, &staging)?;
            std::path::absolute(dir)?.display().to_string()
        }
    };
    let meta = match charm::load(&staging) {
        Ok(m) => m,
        Err(e) => {
            let _ = fsutil::remove_dir(&staging);
            let msg = e
                .message
                .replace(&staging.display().to_string(), &described);
            return Err(Error::msg(msg));
        }
    };
    fsutil::remove_dir(&store.charm_dir())?;
    std::fs::rename(&staging, store.charm_dir())?;
    Ok((meta, described))
}

/// Unzips a `.charm` (files and their modes; see [`archive::extract`] for what is refused);
/// a refused archive leaves nothing behind.
fn unpack(path: &Path, into: &Path) -> Result<()> {
    archive::extract(path, into, archive::CHARM_LIMITS).inspect_err(|_| {
        let _ = fsutil::remove_dir(into);
    })
}

/// `deploy`: a new model with the charm and `units` units, each running Juju's deploy
/// sequence; unit 0 is the leader.
pub fn deploy(
    store: Store,
    source: &CharmSource,
    units: u32,
    config: &[(String, String)],
    verbosity: Verbosity,
) -> Result<(Sim, Summary)> {
    if store.has_model() {
        let app = store
            .load()
            .map(|m| format!(" (application {} is deployed)", m.app.name))
            .unwrap_or_default();
        return Err(Error::msg(format!(
            "a model already exists in {}{app}; run `cargo charm sim destroy` first or pass another --state",
            store.dir.display()
        )));
    }
    store.check_ours()?;
    if units == 0 {
        return Err(Error::usage("--num-units must be at least 1"));
    }
    // Leftovers of an interrupted deploy: their servers first, then their files.
    pebble::process::stop_all_in(&store)?;
    fsutil::remove_dir(&store.dir.join("units"))?;
    let (meta, source_desc) = stage_charm(&store, source, verbosity.quiet)?;
    let cleanup = |store: &Store| {
        let _ = fsutil::remove_dir(&store.charm_dir());
        let _ = fsutil::remove_dir(&store.dir.join("units"));
    };
    let mut user_config = Map::new();
    for (k, v) in config {
        match charm::config_value(&meta, k, v) {
            Ok(value) => {
                user_config.insert(k.clone(), value);
            }
            Err(e) => {
                cleanup(&store);
                return Err(e);
            }
        }
    }
    let app = meta.name.clone();
    let mut model = Model {
        format: FORMAT,
        name: "sim".into(),
        uuid: fsutil::uuid4(),
        app: App {
            name: app.clone(),
            charm_source: source_desc,
            meta: meta.clone(),
            config: user_config,
            status: None,
            leader: Some(format!("{app}/0")),
            address: "10.152.183.10".into(),
        },
        units: BTreeMap::new(),
        relations: BTreeMap::new(),
        secrets: vec![],
        queue: Default::default(),
        events: vec![],
        logs: vec![],
        tasks: vec![],
        next: Counters::default(),
    };
    let mut names = Vec::new();
    for n in 0..units {
        let unit = Unit::new(&app, n);
        let name = unit.name.clone();
        model.units.insert(n, unit);
        let made = store
            .fresh_charm_copy(&name)
            .and_then(|_| storage::provision(&store, &mut model, &name));
        if let Err(e) = made {
            cleanup(&store);
            return Err(e);
        }
        names.push(name);
    }
    model.next.unit = units;
    for ep in &meta.peers {
        let id = model.next.relation;
        model.next.relation += 1;
        model.relations.insert(
            id,
            Relation {
                id,
                endpoint: ep.name.clone(),
                interface: ep.interface.clone(),
                role: "peer".into(),
                remote_app: app.clone(),
                remote_endpoint: ep.name.clone(),
                app_data: BagData::new(),
                units: names
                    .iter()
                    .map(|u| (u.clone(), RelationUnit::default()))
                    .collect(),
                remote_app_data: BagData::new(),
                remote_units: BTreeMap::new(),
                dying: false,
            },
        );
    }
    let mut steps = Vec::new();
    for (i, name) in names.iter().enumerate() {
        steps.extend(install_sequence(&model, name, i == 0, "deploy"));
    }
    steps.extend(join_sequence(&model, &names, "deploy"));
    let mut sim = Sim::new(store, model, verbosity);
    sim.install_tools()?;
    sim.start_pebbles(&names)?;
    let summary = sim.execute(steps)?;
    Ok((sim, summary))
}
