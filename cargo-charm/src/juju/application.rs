//! Application commands: `deploy`, `add-unit`, `remove-unit`, `config`, `refresh`,
//! `integrate`, `remove-relation`, `remove-application`, `resolve`.

use super::format::{self, Format};
use super::home::Home;
use super::opts::ModelOpt;
use super::outcome::unsupported;
use super::{sim_access, snapshot};
use crate::error::{Error, Result};
use crate::sim::api;
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

/// `juju resolve`.
#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// The units in error
    #[arg(value_name = "UNIT", required = true)]
    pub units: Vec<String>,
    /// Do not re-execute failed hooks on the unit
    #[arg(long)]
    pub no_retry: bool,
    /// Marks all units in error as resolved
    #[arg(long)]
    pub all: bool,
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
    let dir = sim_access::dir(home, &rec)?;
    if a.num_units == 0 {
        return Err(Error::msg("--num-units must be a positive integer"));
    }
    let local = api::is_local(&a.charm);
    if !local && Path::new(&a.charm).exists() {
        return Err(Error::msg(format!(
            "The charm or bundle {:?} is ambiguous, please use \"./{}\"",
            a.charm, a.charm
        )));
    }
    if local && Path::new(&a.charm).join("Cargo.toml").is_file() {
        return Err(Error::msg(format!(
            "{:?} is a cargo crate, not a charm: pack it first (`cargo charm pack`)",
            a.charm
        )));
    }
    let mut resources = Vec::new();
    for r in &a.resource {
        let (k, v) = r
            .split_once('=')
            .ok_or_else(|| Error::msg(format!("invalid resource {r:?}: expected name=value")))?;
        resources.push((k.to_string(), v.to_string()));
    }
    let request = api::DeployRequest {
        charm: a.charm.clone(),
        app: a.app.clone(),
        units: a.num_units,
        config: config_pairs(&a.config, a.app.as_deref())?,
        resources,
        trust: a.trust,
        channel: a.channel.clone(),
    };
    let (app, _) = api::deploy(&dir, &request)?;
    let snap = api::status(&dir)?;
    let view = snap.apps.iter().find(|v| v.name == app);
    let (charm, rev) = view.map_or((app.clone(), 0), |v| (v.charm.clone(), v.charm_rev));
    if local {
        eprintln!("Located local charm \"{charm}\", revision {rev}");
        eprintln!(
            "Deploying \"{app}\" from local charm \"{charm}\", revision {rev} on ubuntu@22.04/stable"
        );
    } else {
        let channel = view.and_then(|v| v.channel.clone()).unwrap_or_default();
        eprintln!("Located charm \"{charm}\" in charm-hub, channel {channel}");
        eprintln!(
            "Deploying \"{app}\" from charm-hub charm \"{charm}\", revision {rev} in channel {channel} on ubuntu@22.04/stable"
        );
    }
    Ok(())
}

pub fn add_unit(home: &Home, a: AddUnitArgs) -> Result<()> {
    let rec = home.resolve(a.model.model.as_deref())?;
    let dir = sim_access::dir(home, &rec)?;
    api::add_unit(&dir, &a.app, a.num_units)?;
    Ok(())
}

pub fn remove_unit(home: &Home, a: RemoveUnitArgs) -> Result<()> {
    let rec = home.resolve(a.model.model.as_deref())?;
    let dir = sim_access::dir(home, &rec)?;
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
    let app = &a.targets[0];
    let snap = api::status(&dir)?;
    let view = snap
        .apps
        .iter()
        .find(|v| v.name == *app)
        .ok_or_else(|| Error::msg(format!("application {app:?} not found")))?;
    let n = a.num_units as usize;
    if n >= view.units.len() {
        return Err(Error::msg(format!(
            "cannot remove {n} unit(s) from {app:?}: it has {}; use remove-application to remove them all",
            view.units.len()
        )));
    }
    // Kubernetes scales a StatefulSet down: the highest-numbered pods go.
    let names: Vec<String> = view.units[view.units.len() - n..]
        .iter()
        .map(|u| u.name.clone())
        .collect();
    api::remove_unit(&dir, &names)?;
    Ok(())
}

pub fn config(home: &Home, a: ConfigArgs) -> Result<()> {
    let rec = home.resolve(a.model.model.as_deref())?;
    let dir = sim_access::dir(home, &rec)?;
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
        api::set_config(&dir, app, &pairs, &resets)?;
        return Ok(());
    }
    let (charm, entries) = api::config(&dir, app)?;
    let options = snapshot::options(entries);
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
    let trust = api::status(&dir)?
        .apps
        .iter()
        .any(|v| v.name == *app && v.trust);
    let format = Format::parse(&a.format, &["default"])?;
    let value = format::config::config_value(app, &charm, trust, &options);
    print!(
        "{}",
        format::machine(&value, format).unwrap_or_else(|| format::yaml(&value))
    );
    Ok(())
}

pub fn refresh(home: &Home, a: RefreshArgs) -> Result<()> {
    let rec = home.resolve(a.model.model.as_deref())?;
    let dir = sim_access::dir(home, &rec)?;
    let Some(path) = &a.path else {
        return Err(unsupported(
            "refresh from Charmhub",
            "refresh a local charm with --path",
        ));
    };
    api::refresh(&dir, &a.app, path)?;
    Ok(())
}

pub fn integrate(home: &Home, a: IntegrateArgs) -> Result<()> {
    let rec = home.resolve(a.model.model.as_deref())?;
    let dir = sim_access::dir(home, &rec)?;
    if a.via.is_some() {
        return Err(unsupported("--via", "there are no cross-model relations"));
    }
    api::integrate(&dir, &a.a, &a.b)?;
    Ok(())
}

pub fn remove_relation(home: &Home, a: IntegrateArgs) -> Result<()> {
    let rec = home.resolve(a.model.model.as_deref())?;
    let dir = sim_access::dir(home, &rec)?;
    api::remove_relation(&dir, &a.a, &a.b)?;
    Ok(())
}

pub fn remove_application(home: &Home, a: RemoveApplicationArgs) -> Result<()> {
    let rec = home.resolve(a.model.model.as_deref())?;
    let dir = sim_access::dir(home, &rec)?;
    for app in &a.apps {
        eprintln!("will remove application {app}");
        api::remove_application(&dir, app)?;
    }
    Ok(())
}

pub fn resolve(home: &Home, a: ResolveArgs) -> Result<()> {
    let rec = home.resolve(a.model.model.as_deref())?;
    let dir = sim_access::dir(home, &rec)?;
    if a.all {
        return Err(unsupported("resolve --all", "name the units"));
    }
    for unit in &a.units {
        api::resolve(&dir, unit, !a.no_retry)?;
    }
    Ok(())
}
