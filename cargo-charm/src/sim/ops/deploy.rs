//! `deploy`: the charm staged (packed, unpacked or copied), a new model, every unit's deploy
//! sequence.

use super::super::charm;
use super::super::model::{App, Model, Relation, RelationUnit, StoreOrigin};
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

/// Unpacks or copies the charm into `<state>/charms/.new` and checks it is a charm.
/// Returns the staging directory, its metadata and a description of where it came from.
pub(super) fn stage_charm(
    store: &Store,
    source: &CharmSource,
    quiet: bool,
) -> Result<(PathBuf, CharmMetadata, String)> {
    let staging = store.dir.join("charms").join(".new");
    fsutil::remove_dir(&staging)?;
    std::fs::create_dir_all(store.dir.join("charms"))?;
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
    match charm::load(&staging) {
        Ok(meta) => Ok((staging, meta, described)),
        Err(e) => {
            let _ = fsutil::remove_dir(&staging);
            let msg = e
                .message
                .replace(&staging.display().to_string(), &described);
            Err(Error::msg(msg))
        }
    }
}

/// Unzips a `.charm` (files and their modes; see [`archive::extract`] for what is refused);
/// a refused archive leaves nothing behind.
fn unpack(path: &Path, into: &Path) -> Result<()> {
    archive::extract(path, into, archive::CHARM_LIMITS).inspect_err(|_| {
        let _ = fsutil::remove_dir(into);
    })
}

/// What `deploy` deploys.
#[derive(Debug, Clone)]
pub struct Deploy {
    /// The charm.
    pub source: CharmSource,
    /// The application name (default: the store name of a store charm, else the charm's
    /// name).
    pub app: Option<String>,
    /// How many units (at least 1).
    pub units: u32,
    /// `--config key=value`, typed by the charm's options.
    pub config: Vec<(String, String)>,
    /// `--resource name=value`, kept as given.
    pub resources: Vec<(String, String)>,
    /// `--trust`.
    pub trust: bool,
    /// For a store charm (through the Charmhub stand-in): its name and channel.
    pub origin: Option<StoreOrigin>,
}

impl Deploy {
    /// `units` units of the charm in `source`, named after it, nothing else set.
    pub fn new(source: CharmSource, units: u32) -> Deploy {
        Deploy {
            source,
            app: None,
            units,
            config: vec![],
            resources: vec![],
            trust: false,
            origin: None,
        }
    }
}

/// `deploy`: the application and its units, each running Juju's deploy sequence; its
/// first unit leads. Without a model in `store`, a new model holds it; otherwise it joins
/// the applications there (an application of the same name is refused).
pub fn deploy(store: Store, d: &Deploy, verbosity: Verbosity) -> Result<(Sim, Summary)> {
    if d.units == 0 {
        return Err(Error::usage("--num-units must be at least 1"));
    }
    if store.has_model() {
        let mut sim = Sim::open(store, verbosity)?;
        sim.resume()?;
        let summary = add_application(&mut sim, d)?;
        return Ok((sim, summary));
    }
    store.check_ours()?;
    // Leftovers of an interrupted deploy: their servers first, then their files.
    pebble::process::stop_all_in(&store)?;
    fsutil::remove_dir(&store.dir.join("units"))?;
    fsutil::remove_dir(&store.dir.join("charms"))?;
    let model = Model::new("sim", fsutil::uuid4());
    let mut sim = Sim::new(store, model, verbosity);
    match add_application(&mut sim, d) {
        Ok(summary) => Ok((sim, summary)),
        Err(e) => {
            if !sim.store.has_model() {
                let _ = fsutil::remove_dir(&sim.store.dir.join("charms"));
                let _ = fsutil::remove_dir(&sim.store.dir.join("units"));
            }
            Err(e)
        }
    }
}

/// Adds an application to the open model: its charm staged and checked, its config
/// checked, then its units (charm directory, storage, Pebbles), its peer relations, and
/// every unit's deploy sequence. A refused input leaves the model as it was.
fn add_application(sim: &mut Sim, d: &Deploy) -> Result<Summary> {
    let (staging, meta, source_desc) = stage_charm(&sim.store, &d.source, sim.verbosity.quiet)?;
    let refuse = |e: Error| {
        let _ = fsutil::remove_dir(&staging);
        Err(e)
    };
    // A store charm's application is named after it in the store, as Juju names it.
    let app = d
        .app
        .clone()
        .or_else(|| d.origin.as_ref().map(|o| o.name.clone()))
        .unwrap_or_else(|| meta.name.clone());
    if !charm::valid_name(&app) {
        return refuse(Error::msg(format!("invalid application name {app:?}")));
    }
    if sim.model.apps.contains_key(&app) {
        return refuse(Error::msg(format!(
            "a model already exists in {} (application {app} is deployed); deploy it under another name, run `cargo charm sim destroy` first or pass another --state",
            sim.store.dir.display()
        )));
    }
    let mut user_config = Map::new();
    for (k, v) in &d.config {
        match charm::config_value(&meta, k, v) {
            Ok(value) => {
                user_config.insert(k.clone(), value);
            }
            Err(e) => return refuse(e),
        }
    }
    let relative = format!("charms/{app}");
    let pristine = sim.store.app_charm_dir(&relative);
    fsutil::remove_dir(&pristine)?;
    std::fs::rename(&staging, &pristine)?;
    let index = sim.model.apps.len() as u32;
    sim.model.apps.insert(
        app.clone(),
        App {
            name: app.clone(),
            charm_source: source_desc,
            charm_dir: relative,
            revision: 0,
            store: d.origin.clone(),
            trust: d.trust,
            resources: d.resources.iter().cloned().collect(),
            meta: meta.clone(),
            config: user_config,
            status: None,
            leader: None,
            address: format!("10.152.183.{}", 10 + index % 240),
            units: BTreeMap::new(),
            next_unit: 0,
        },
    );
    let made = create_units(sim, &app, d.units);
    let names = match made {
        Ok(names) => names,
        Err(e) => {
            if let Some(a) = sim.model.apps.remove(&app) {
                for u in a.unit_names() {
                    let _ = fsutil::remove_dir(&sim.store.unit_dir(&u));
                }
            }
            let _ = fsutil::remove_dir(&pristine);
            return Err(e);
        }
    };
    let leader = names[0].clone();
    sim.model.app_mut(&app).expect("added").leader = Some(leader.clone());
    for ep in &meta.peers {
        let id = sim.model.next.relation;
        sim.model.next.relation += 1;
        sim.model.relations.insert(
            id,
            Relation {
                id,
                app: app.clone(),
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
    for name in &names {
        steps.extend(install_sequence(
            &sim.model,
            name,
            *name == leader,
            "deploy",
        ));
    }
    steps.extend(join_sequence(&sim.model, &names, "deploy"));
    sim.install_tools()?;
    sim.start_pebbles(&names)?;
    let mut summary = sim.execute(steps)?;
    summary.deployed = Some(app);
    Ok(summary)
}

/// Creates `count` units of `app` (charm directory, storage), not yet in any relation.
pub(super) fn create_units(sim: &mut Sim, app: &str, count: u32) -> Result<Vec<String>> {
    let pristine = sim
        .store
        .app_charm_dir(&sim.model.app(app).expect("exists").charm_dir);
    let mut names = Vec::new();
    for _ in 0..count {
        let unit = sim.model.new_unit(app);
        let name = unit.name.clone();
        let n = name
            .rsplit_once('/')
            .and_then(|(_, n)| n.parse().ok())
            .unwrap_or(0);
        sim.model
            .app_mut(app)
            .expect("exists")
            .units
            .insert(n, unit);
        names.push(name.clone());
        sim.store.fresh_charm_copy(&name, &pristine)?;
        storage::provision(&sim.store, &mut sim.model, &name)?;
    }
    Ok(names)
}
