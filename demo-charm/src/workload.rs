//! The workload: the FastAPI server in the `demo-server` container, run by Pebble from the
//! layer `fastapi_demo`, and its version, read from the server's `/version`.

use crate::database::Database;
use charm_runtime::log;
use charm_runtime::pebble::{Layer, PebbleError, Service};
use charm_runtime::prelude::*;
use charm_runtime::ContainerName;
use std::collections::BTreeMap;
use std::time::Duration;

/// The layer's label.
pub const LAYER: &str = "fastapi_demo";
/// The service.
pub const SERVICE: &str = "fastapi-service";
/// How long reading the workload's version may take: the connection, and then each read.
pub const VERSION_TIMEOUT: Duration = Duration::from_secs(2);

/// The workload's Pebble layer: the FastAPI server on `port`, with the database's
/// environment when there is one (none: no `environment` key at all, as the tutorial's
/// layer has none).
pub fn workload_layer(port: u16, environment: &BTreeMap<String, String>) -> Layer {
    let mut service = Service::new(format!(
        "uvicorn api_demo_server.app:app --host=0.0.0.0 --port={port}"
    ))
    .summary("fastapi demo")
    .enabled();
    for (k, v) in environment {
        service = service.env(k, v);
    }
    Layer::new()
        .summary("FastAPI demo service")
        .description("Pebble config layer for the FastAPI demo server")
        .service(SERVICE, service)
}

/// What [`update`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Update {
    /// The plan differed: the layer was added (combined into `fastapi_demo`) and Pebble
    /// replanned.
    Replanned,
    /// The plan already runs this service: nothing was touched.
    Unchanged,
    /// Pebble does not answer yet (`demo-server-pebble-ready` will run this again).
    NotReady,
}

fn not_ready(e: &PebbleError) -> Result<Update> {
    log::info!("Pebble is not ready yet in demo-server");
    log::debug!("{e}");
    Ok(Update::NotReady)
}

/// Makes the plan of `container` run the FastAPI server on `port` with the database's environment,
/// unless it already does. With unusable database data the running service keeps the
/// environment it has (the last good credentials): the workload keeps serving.
pub fn update(
    model: &mut Model,
    container: ContainerName,
    port: u16,
    db: &Database,
) -> Result<Update> {
    let container = model.container(container);
    let plan = match container.get_plan() {
        Ok(plan) => plan,
        Err(e) if e.is_cannot_connect() => return not_ready(&e),
        Err(e) => return Err(e.into()),
    };
    let environment = match db {
        Database::Ready(info) => info.environment(),
        Database::NotRelated | Database::Waiting => BTreeMap::new(),
        Database::Unusable(_) => plan
            .services
            .get(SERVICE)
            .map(|s| s.environment.clone())
            .unwrap_or_default(),
    };
    let layer = workload_layer(port, &environment);
    if plan.services == layer.services {
        return Ok(Update::Unchanged);
    }
    // Shown while Pebble restarts the service, as the tutorial shows it; collect-status
    // sets the unit's real status at the end of the dispatch.
    model.set_status_now(&maintenance("Assembling Pebble layers"))?;
    let applied = container
        .add_layer(LAYER, &layer, true)
        .and_then(|()| container.replan());
    match applied {
        Ok(()) => {
            log::info!("added the updated layer {LAYER} to the Pebble plan and replanned");
            Ok(Update::Replanned)
        }
        Err(e) if e.is_cannot_connect() => not_ready(&e),
        Err(e) => Err(e.into()),
    }
}

/// Sets the workload version from the server's `/version`; when that fails, the version
/// stays what it was and a warning says why.
pub fn update_version(model: &mut Model, port: u16) -> Result<()> {
    match fetch_version(port, VERSION_TIMEOUT) {
        Ok(version) => model.set_workload_version(&version)?,
        Err(e) => log::warn!("unable to get version from API: {e}"),
    }
    Ok(())
}

/// Whether the service runs, for the status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceState {
    /// Pebble does not answer, or the plan has no such service (ops' `get_service`
    /// raises `ModelError` then, which the tutorial reports the same way).
    NoPebble,
    /// In the plan, not running.
    Stopped,
    /// Running.
    Running,
}

/// Asks Pebble about the service (one request). Any Pebble error counts as "no Pebble
/// yet": a status, never a failed hook.
pub fn service_state(model: &mut Model, container: ContainerName) -> ServiceState {
    match model.container(container).get_service(SERVICE) {
        Ok(Some(s)) if s.is_running() => ServiceState::Running,
        Ok(Some(_)) => ServiceState::Stopped,
        Ok(None) | Err(_) => ServiceState::NoPebble,
    }
}

/// `GET http://localhost:<port>/version` and its JSON field `version`.
pub fn fetch_version(port: u16, timeout: Duration) -> Result<String> {
    let body = charm_runtime::http::get_json(port, "/version", timeout)?;
    match body.get("version").and_then(|v| v.as_str()) {
        Some(v) => Ok(v.to_string()),
        None => Err(Error::msg(format!(
            "GET http://localhost:{port}/version: the answer has no string `version`"
        ))),
    }
}
