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

/// The unit `name` names: a unit, or `<app>/leader` for the application's leader (as
/// `juju run` and `juju exec` accept it).
pub fn unit_name(model: &Model, name: &str) -> Result<String> {
    if let Some(app) = name.strip_suffix("/leader") {
        let a = model.app(app).ok_or_else(|| no_app(model, app))?;
        return a.leader.clone().ok_or_else(|| {
            Error::msg(format!(
                "application {app:?} has no leader (no unit is alive)"
            ))
        });
    }
    check_unit(model, name)?;
    Ok(name.to_string())
}

/// The application a command is about: `given` (checked), else the model's only one.
pub fn the_app(model: &Model, given: Option<&str>) -> Result<String> {
    if let Some(app) = given {
        return model
            .app(app)
            .map(|a| a.name.clone())
            .ok_or_else(|| no_app(model, app));
    }
    match model.app_names().as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(Error::msg("the model has no application")),
        names => Err(Error::usage(format!(
            "the model has several applications ({}): name one with --app",
            names.join(", ")
        ))),
    }
}

/// The error for an application that is not in the model.
pub fn no_app(model: &Model, app: &str) -> Error {
    Error::msg(format!(
        "application {app:?} not found (applications: {})",
        list(&model.app_names())
    ))
}

pub fn list(v: &[String]) -> String {
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

/// The non-peer relation of `app` on `endpoint` with `remote_app`.
pub fn find_relation(model: &Model, app: &str, endpoint: &str, remote_app: &str) -> Result<u64> {
    check_endpoint(model, app, endpoint)?;
    let on_endpoint = |r: &&super::super::model::Relation| {
        !r.dying && r.side(app).is_some_and(|s| s.endpoint == endpoint)
    };
    model
        .relations
        .values()
        .filter(on_endpoint)
        .find(|r| r.side(app).is_some_and(|s| s.remote_app == remote_app))
        .map(|r| r.id)
        .ok_or_else(|| {
            let related: Vec<String> = model
                .relations
                .values()
                .filter(on_endpoint)
                .filter_map(|r| r.side(app).map(|s| s.remote_app.to_string()))
                .collect();
            Error::msg(format!(
                "{app} is not related to {remote_app:?} on endpoint {endpoint:?} (related: {})",
                list(&related)
            ))
        })
}

/// The role of `app`'s `endpoint`, or a one-line error listing its endpoints.
pub fn check_endpoint(model: &Model, app: &str, endpoint: &str) -> Result<&'static str> {
    let a = model.app(app).ok_or_else(|| no_app(model, app))?;
    a.meta
        .endpoint(endpoint)
        .map(|(role, _)| charm::role_name(role))
        .ok_or_else(|| {
            Error::msg(format!(
                "application {app:?} has no endpoint {endpoint:?} (endpoints: {})",
                list(&charm::endpoint_names(&a.meta))
            ))
        })
}

/// Container `name` of `unit` (which exists), or a one-line error listing the charm's
/// containers.
pub fn check_container(sim: &Sim, unit: &str, name: &str) -> Result<Workload> {
    let meta = sim.model.meta_of(unit);
    if meta.container(name).is_some() {
        return Ok(Workload::new(&sim.store, unit, name));
    }
    let names: Vec<String> = meta.containers.iter().map(|c| c.name.clone()).collect();
    Err(Error::msg(format!(
        "application {:?} has no container {name:?} (containers: {})",
        super::super::model::app_of_unit(unit),
        list(&names)
    )))
}
