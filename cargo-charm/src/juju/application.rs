//! Application commands: `deploy`, `add-unit`, `remove-unit`, `config`, `refresh`,
//! `integrate`, `remove-relation`, `remove-application`.

use super::format::{self, Format};
use super::home::{self, Home};
use super::opts::ModelOpt;
use super::outcome::unsupported;
use super::{sim_access, snapshot};
use crate::error::{Error, Result};
use crate::sim::ops::{self, CharmSource};
use crate::sim::store::Store;
use crate::workspace::Locate;
use clap::Args;
use std::path::Path;

/// `juju deploy`.
#[derive(Debug, Args)]
pub struct DeployArgs {
    /// A local charm (a path starting with `.` or `/`: a .charm file or a charm directory)
    /// or a charm's store name
    #[arg(value_name = "CHARM")]
    pub charm: String,
    /// The application's name [default: the charm's]
    #[arg(value_name = "APPLICATION NAME")]
    pub app: Option<String>,
    /// Number of application units to deploy for principal charms
    #[arg(short = 'n', long = "num-units", value_name = "N", default_value = "1")]
    pub num_units: u32,
    /// Either a path to yaml-formatted application config file or a key=value pair
    #[arg(long, value_name = "KEY=VALUE")]
    pub config: Vec<String>,
    /// Resource to be uploaded to the controller
    #[arg(long, value_name = "NAME=VALUE")]
    pub resource: Vec<String>,
    /// Allows charm to run hooks that require access credentials
    #[arg(long)]
    pub trust: bool,
    /// Channel to use when deploying a charm or bundle from Charmhub
    #[arg(long, value_name = "CHANNEL")]
    pub channel: Option<String>,
    /// The revision to deploy
    #[arg(long, value_name = "REVISION")]
    pub revision: Option<u32>,
    /// The base on which to deploy
    #[arg(long, value_name = "BASE")]
    pub base: Option<String>,
    /// Set application constraints
    #[arg(long, value_name = "CONSTRAINTS")]
    pub constraints: Vec<String>,
    /// Allow a charm to be deployed which bypasses checks such as supported base or LXD profile allow list
    #[arg(long)]
    pub force: bool,
    /// Which model.
    #[command(flatten)]
    pub model: ModelOpt,
}

/// `juju add-unit`.
#[derive(Debug, Args)]
pub struct AddUnitArgs {
    /// The application
    #[arg(value_name = "APPLICATION NAME")]
    pub app: String,
    /// Number of units to add
    #[arg(short = 'n', long = "num-units", value_name = "N", default_value = "1")]
    pub num_units: u32,
    /// Which model.
    #[command(flatten)]
    pub model: ModelOpt,
}

/// `juju remove-unit`.
#[derive(Debug, Args)]
pub struct RemoveUnitArgs {
    /// The application (Kubernetes models remove units by number, with --num-units)
    #[arg(value_name = "APPLICATION NAME|UNIT", required = true)]
    pub targets: Vec<String>,
    /// Number of units to remove (Kubernetes models only)
    #[arg(long = "num-units", value_name = "N", default_value = "0")]
    pub num_units: u32,
    /// Do not ask for confirmation
    #[arg(long)]
    pub no_prompt: bool,
    /// Destroy storage attached to the unit
    #[arg(long)]
    pub destroy_storage: bool,
    /// Completely remove an unit and all its dependencies
    #[arg(long)]
    pub force: bool,
    /// Rush through unit removal without waiting for each individual step to complete
    #[arg(long)]
    pub no_wait: bool,
    /// Which model.
    #[command(flatten)]
    pub model: ModelOpt,
}

/// `juju config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// APPLICATION [KEY | KEY=VALUE ...]
    #[arg(value_name = "ARGS", required = true)]
    pub args: Vec<String>,
    /// Reset the provided comma delimited keys
    #[arg(long, value_name = "KEY[,KEY...]")]
    pub reset: Vec<String>,
    /// Path to yaml-formatted configuration file
    #[arg(long, value_name = "FILE")]
    pub file: Option<String>,
    /// Specify output format (default|json|yaml)
    #[arg(long, value_name = "FORMAT", default_value = "default")]
    pub format: String,
    /// Which model.
    #[command(flatten)]
    pub model: ModelOpt,
}

/// `juju refresh`.
#[derive(Debug, Args)]
pub struct RefreshArgs {
    /// The application
    #[arg(value_name = "APPLICATION NAME")]
    pub app: String,
    /// Refresh to a charm located at path
    #[arg(long, value_name = "PATH")]
    pub path: Option<String>,
    /// Resource to be uploaded to the controller
    #[arg(long, value_name = "NAME=VALUE")]
    pub resource: Vec<String>,
    /// Channel to use when getting the charm from Charmhub
    #[arg(long, value_name = "CHANNEL")]
    pub channel: Option<String>,
    /// Which model.
    #[command(flatten)]
    pub model: ModelOpt,
}

/// `juju integrate` / `juju remove-relation`.
#[derive(Debug, Args)]
pub struct IntegrateArgs {
    /// The application, or APPLICATION:ENDPOINT
    #[arg(value_name = "APPLICATION[:ENDPOINT]")]
    pub a: String,
    /// The application, or APPLICATION:ENDPOINT
    #[arg(value_name = "OTHER APPLICATION[:ENDPOINT]")]
    pub b: String,
    /// Force remove a relation
    #[arg(long)]
    pub force: bool,
    /// For cross-model integrations, the subnets to use
    #[arg(long, value_name = "CIDRS")]
    pub via: Option<String>,
    /// Which model.
    #[command(flatten)]
    pub model: ModelOpt,
}

/// `juju remove-application`.
#[derive(Debug, Args)]
pub struct RemoveApplicationArgs {
    /// The applications
    #[arg(value_name = "APPLICATION NAME", required = true)]
    pub apps: Vec<String>,
    /// Do not ask for confirmation
    #[arg(long)]
    pub no_prompt: bool,
    /// Destroy storage attached to application units
    #[arg(long)]
    pub destroy_storage: bool,
    /// Completely remove an application and all its dependencies
    #[arg(long)]
    pub force: bool,
    /// Which model.
    #[command(flatten)]
    pub model: ModelOpt,
}

/// `k=v` pairs and YAML files (`app: {k: v}` or `{k: v}`), as `--config` takes them.
fn config_pairs(items: &[String], app: Option<&str>) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for item in items {
        if let Some((k, v)) = item.split_once('=') {
            out.push((k.to_string(), v.to_string()));
            continue;
        }
        let text = std::fs::read_to_string(item)
            .map_err(|e| Error::msg(format!("reading config file {item:?}: {e}")))?;
        let doc: serde_yaml::Mapping = serde_yaml::from_str(&text)
            .map_err(|e| Error::msg(format!("config file {item:?}: {e}")))?;
        let inner = app
            .and_then(|a| doc.get(a))
            .and_then(|v| v.as_mapping())
            .cloned()
            .unwrap_or(doc);
        for (k, v) in inner {
            let key = k.as_str().unwrap_or_default().to_string();
            let value = match v {
                serde_yaml::Value::String(s) => s,
                other => format::yaml(&other).trim_end().to_string(),
            };
            out.push((key, value));
        }
    }
    Ok(out)
}

pub fn deploy(home: &Home, a: DeployArgs) -> Result<()> {
    let rec = home.resolve(a.model.model.as_deref())?;
    if a.num_units == 0 {
        return Err(Error::msg("--num-units must be a positive integer"));
    }
    let local = a.charm.starts_with('.') || a.charm.starts_with('/');
    if !local {
        if Path::new(&a.charm).exists() {
            return Err(Error::msg(format!(
                "The charm or bundle {:?} is ambiguous, please use \"./{}\"",
                a.charm, a.charm
            )));
        }
        // TODO(multiapp sim::api): the Charmhub stand-in (a store name mapped to a local
        // charm) comes with the multi-application simulator.
        return Err(unsupported(
            &format!("deploying {:?} from Charmhub", a.charm),
            "the store stand-in is not available in this build",
        ));
    }
    let dir = home.state_dir(&rec.name);
    if home::has_sim_model(&dir) {
        // TODO(multiapp sim::api): several applications in one model.
        let existing = sim_access::read(home, &rec)?
            .map(|s| s.model.app.name.clone())
            .unwrap_or_default();
        return Err(Error::msg(format!(
            "cannot add application {:?}: application {existing:?} is deployed and this simulator holds one application per model",
            a.app.as_deref().unwrap_or(&a.charm)
        )));
    }
    let loc = Locate {
        manifest_path: None,
        package: None,
        quiet: true,
    };
    let source = CharmSource::resolve(Some(&a.charm), &loc)?;
    if matches!(source, CharmSource::Crate(_)) {
        return Err(Error::msg(format!(
            "{:?} is a cargo crate, not a charm: pack it first (`cargo charm pack`)",
            a.charm
        )));
    }
    let config = config_pairs(&a.config, a.app.as_deref())?;
    let store = Store::open(&dir, true)?;
    let (sim, _summary) = ops::deploy(store, &source, a.num_units, &config, sim_access::quiet())?;
    let charm = sim.model.app.meta.name.clone();
    if let Some(app) = &a.app {
        if *app != charm {
            // TODO(multiapp sim::api): application names other than the charm's.
            return Err(unsupported(
                &format!("the application name {app:?}"),
                &format!("this simulator names the application after its charm ({charm:?})"),
            ));
        }
    }
    let base = if sim.model.app.meta.base.is_empty() {
        "ubuntu@22.04".to_string()
    } else {
        sim.model.app.meta.base.clone()
    };
    eprintln!("Located local charm \"{charm}\", revision 0");
    eprintln!("Deploying \"{charm}\" from local charm \"{charm}\", revision 0 on {base}/stable");
    Ok(())
}

pub fn add_unit(home: &Home, a: AddUnitArgs) -> Result<()> {
    let rec = home.resolve(a.model.model.as_deref())?;
    let mut sim = sim_access::with_app(home, &rec, &a.app, true)?;
    let target = sim.model.units.len() as u32 + a.num_units;
    ops::scale(&mut sim, target)?;
    Ok(())
}

pub fn remove_unit(home: &Home, a: RemoveUnitArgs) -> Result<()> {
    let rec = home.resolve(a.model.model.as_deref())?;
    if a.targets.len() != 1 || a.targets[0].contains('/') {
        return Err(Error::msg(
            "removing units by name is not supported on Kubernetes models; pass the application name and --num-units",
        ));
    }
    if a.num_units == 0 {
        return Err(Error::msg(
            "specify the number of units (> 0) to remove using --num-units",
        ));
    }
    let mut sim = sim_access::with_app(home, &rec, &a.targets[0], true)?;
    let current = sim.model.units.len() as u32;
    if a.num_units >= current {
        return Err(Error::msg(format!(
            "cannot remove {} unit(s) from {:?}: it has {current}; use remove-application to remove them all",
            a.num_units, a.targets[0]
        )));
    }
    ops::scale(&mut sim, current - a.num_units)?;
    Ok(())
}

pub fn config(home: &Home, a: ConfigArgs) -> Result<()> {
    let rec = home.resolve(a.model.model.as_deref())?;
    let app = &a.args[0];
    let rest = &a.args[1..];
    let sets: Vec<&String> = rest.iter().filter(|s| s.contains('=')).collect();
    let gets: Vec<&String> = rest.iter().filter(|s| !s.contains('=')).collect();
    let resets: Vec<String> = a
        .reset
        .iter()
        .flat_map(|r| r.split(','))
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect();
    let changing = !sets.is_empty() || !resets.is_empty() || a.file.is_some();
    if changing && !gets.is_empty() {
        return Err(Error::msg(
            "cannot get value and set key=value pairs simultaneously",
        ));
    }
    if gets.len() > 1 {
        return Err(Error::msg(
            "can only retrieve a single value, or all values",
        ));
    }
    if changing {
        let mut pairs = Vec::new();
        if let Some(f) = &a.file {
            pairs.extend(config_pairs(std::slice::from_ref(f), Some(app))?);
        }
        pairs.extend(
            sets.iter()
                .filter_map(|s| s.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string())),
        );
        let mut sim = sim_access::with_app(home, &rec, app, true)?;
        ops::config(&mut sim, &pairs, &resets)?;
        return Ok(());
    }
    let sim = sim_access::with_app(home, &rec, app, false)?;
    let options = snapshot::options(&sim.model);
    if let Some(key) = gets.first() {
        let o = options.iter().find(|o| o.name == **key).ok_or_else(|| {
            Error::msg(format!(
                "key {key:?} not found in {app:?} application config or charm settings."
            ))
        })?;
        print!(
            "{}",
            format::config::single_value(o.user.as_ref().or(o.default.as_ref()))
        );
        return Ok(());
    }
    let format = Format::parse(&a.format, &["default"])?;
    let value = format::config::config_value(app, &sim.model.app.meta.name, false, &options);
    print!(
        "{}",
        format::machine(&value, format).unwrap_or_else(|| format::yaml(&value))
    );
    Ok(())
}

pub fn refresh(home: &Home, a: RefreshArgs) -> Result<()> {
    let rec = home.resolve(a.model.model.as_deref())?;
    sim_access::with_app(home, &rec, &a.app, false)?;
    // TODO(multiapp sim::api): refresh (a new charm revision, upgrade-charm on every unit).
    Err(unsupported(
        "refresh",
        "the simulator's refresh comes with the multi-application model",
    ))
}

pub fn integrate(home: &Home, a: IntegrateArgs) -> Result<()> {
    home.resolve(a.model.model.as_deref())?;
    // TODO(multiapp sim::api): integrate two deployed applications.
    Err(unsupported(
        "integrate",
        "relations between deployed applications come with the multi-application model",
    ))
}

pub fn remove_relation(home: &Home, a: IntegrateArgs) -> Result<()> {
    home.resolve(a.model.model.as_deref())?;
    // TODO(multiapp sim::api): remove a relation between deployed applications.
    Err(unsupported(
        "remove-relation",
        "relations between deployed applications come with the multi-application model",
    ))
}

pub fn remove_application(home: &Home, a: RemoveApplicationArgs) -> Result<()> {
    home.resolve(a.model.model.as_deref())?;
    // TODO(multiapp sim::api): remove one application of several.
    Err(unsupported(
        "remove-application",
        "it comes with the multi-application model",
    ))
}
