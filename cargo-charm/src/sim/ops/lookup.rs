//! Lookups every command makes on its input, with one-line errors that list what exists.

use super::super::charm;
use super::super::model::Model;
use super::super::pebble::Workload;
use super::super::Sim;
use crate::error::{Error, Result};

/// The unit named `name`, or a one-line error listing the units.
pub fn check_unit(model: &Model, name: &str) -> Result<()> {
    if model.unit(name).is_some() {
        return Ok(());
    }
    Err(Error::msg(format!(
        "unit {name:?} not found (units: {})",
        list(&model.unit_names())
    )))
}

pub fn list(v: &[String]) -> String {
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

/// The non-peer relation on `endpoint` with `remote_app`.
pub fn find_relation(model: &Model, endpoint: &str, remote_app: &str) -> Result<u64> {
    check_endpoint(model, endpoint)?;
    model
        .relations
        .values()
        .find(|r| r.endpoint == endpoint && r.remote_app == remote_app && !r.dying)
        .map(|r| r.id)
        .ok_or_else(|| {
            let related: Vec<String> = model
                .relations
                .values()
                .filter(|r| r.endpoint == endpoint && !r.dying)
                .map(|r| r.remote_app.clone())
                .collect();
            Error::msg(format!(
                "{} is not related to {remote_app:?} on endpoint {endpoint:?} (related: {})",
                model.app.name,
                list(&related)
            ))
        })
}

pub fn check_endpoint(model: &Model, endpoint: &str) -> Result<&'static str> {
    model
        .app
        .meta
        .endpoint(endpoint)
        .map(|(role, _)| charm::role_name(role))
        .ok_or_else(|| {
            Error::msg(format!(
                "application {:?} has no endpoint {endpoint:?} (endpoints: {})",
                model.app.name,
                list(&charm::endpoint_names(&model.app.meta))
            ))
        })
}

/// Container `name` of `unit` (which exists), or a one-line error listing the charm's
/// containers.
pub fn check_container(sim: &Sim, unit: &str, name: &str) -> Result<Workload> {
    if sim.model.app.meta.container(name).is_some() {
        return Ok(Workload::new(&sim.store, unit, name));
    }
    let names: Vec<String> = sim
        .model
        .app
        .meta
        .containers
        .iter()
        .map(|c| c.name.clone())
        .collect();
    Err(Error::msg(format!(
        "application {:?} has no container {name:?} (containers: {})",
        sim.model.app.name,
        list(&names)
    )))
}
