//! `juju status` and `juju show-unit`.

use super::format::{self, tabular, unit, Format};
use super::home::Home;
use super::opts::ModelOpt;
use super::{sim_access, snapshot};
use crate::error::{Error, Result};
use crate::sim::api;
use clap::Args;

/// `juju status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Selectors (application or unit names) to filter the status by
    #[arg(value_name = "SELECTOR")]
    pub selectors: Vec<String>,
    /// Specify output format (json|tabular|yaml)
    #[arg(long, value_name = "FORMAT", default_value = "tabular")]
    pub format: String,
    /// Show 'integrations' section in tabular output
    #[arg(long, visible_alias = "integrations")]
    pub relations: bool,
    /// Show 'storage' section in tabular output
    #[arg(long)]
    pub storage: bool,
    /// Use ANSI color codes in tabular output
    #[arg(long)]
    pub color: bool,
    /// Disable ANSI color codes in tabular output
    #[arg(long)]
    pub no_color: bool,
    /// Display timestamps in the UTC timezone
    #[arg(long)]
    pub utc: bool,
    /// Which model.
    #[command(flatten)]
    pub model: ModelOpt,
}

/// `juju show-unit`.
#[derive(Debug, Args)]
pub struct ShowUnitArgs {
    /// The units
    #[arg(value_name = "UNIT NAME", required = true)]
    pub units: Vec<String>,
    /// Specify output format (json|yaml)
    #[arg(long, value_name = "FORMAT", default_value = "yaml")]
    pub format: String,
    /// Only show application relation data
    #[arg(long)]
    pub app: bool,
    /// Only show relation data for the specified endpoint
    #[arg(long, value_name = "ENDPOINT")]
    pub endpoint: Option<String>,
    /// Only show relation data for the specified unit
    #[arg(long, value_name = "UNIT")]
    pub related_unit: Option<String>,
    /// Which model.
    #[command(flatten)]
    pub model: ModelOpt,
}

pub fn status(home: &Home, a: StatusArgs) -> Result<()> {
    let format = Format::parse(&a.format, &["tabular"])?;
    let rec = home.resolve(a.model.model.as_deref())?;
    let dir = sim_access::dir(home, &rec)?;
    let snap = api::status(&dir)?;
    let mut s = snapshot::status(&rec, &snap);
    if !a.selectors.is_empty() {
        s.applications.retain(|name, app| {
            a.selectors.iter().any(|sel| {
                sel == name || app.units.contains_key(sel) || sel.strip_suffix("/*") == Some(name)
            })
        });
    }
    match format::machine(&s, format) {
        Some(out) => print!("{out}"),
        None => {
            print!("{}", tabular::status(&s, a.relations));
            if s.applications.is_empty() {
                eprintln!("\nModel \"admin/{}\" is empty.", rec.name);
            }
        }
    }
    Ok(())
}

pub fn show_unit(home: &Home, a: ShowUnitArgs) -> Result<()> {
    let format = Format::parse(&a.format, &[])?;
    let rec = home.resolve(a.model.model.as_deref())?;
    let dir = sim_access::dir(home, &rec)?;
    let snap = api::status(&dir)?;
    let mut infos = Vec::new();
    let mut errors = Vec::new();
    for name in &a.units {
        match api::show_unit(&dir, name) {
            Ok(detail) => {
                let unit = detail.name.clone();
                let mut info = snapshot::unit_info(detail, &snap);
                for r in &mut info.relation_info {
                    if a.endpoint.as_deref().is_some_and(|e| e != r.endpoint) {
                        r.application_data.clear();
                        r.related_units.clear();
                        r.local_unit = None;
                    }
                    if a.app {
                        r.related_units.clear();
                        r.local_unit = None;
                    }
                    if let Some(ru) = &a.related_unit {
                        r.related_units.retain(|n, _| n == ru);
                        r.local_unit = None;
                    }
                }
                infos.push((unit, info));
            }
            Err(e) => errors.push(e.message),
        }
    }
    if !errors.is_empty() {
        return Err(Error::msg(errors.join("\n")));
    }
    print!("{}", unit::show_units(infos, format));
    Ok(())
}
