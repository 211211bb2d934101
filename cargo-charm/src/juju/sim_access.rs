//! Opening a model's simulator state directory, to read it or to change it.
//!
//! TODO(multiapp sim::api): an empty model has no `model.json` until the first deploy
//! (the single-application simulator creates the model with its application); with the
//! simulator's API, `add-model` creates an empty simulated model and these helpers go.

use super::home::{self, Home, ModelRecord};
use crate::error::{Error, Result};
use crate::sim::store::Store;
use crate::sim::{Sim, Verbosity};

const QUIET: Verbosity = Verbosity {
    quiet: true,
    verbose: false,
};

/// The model's simulator, to read; `None` while nothing is deployed.
pub fn read(home: &Home, rec: &ModelRecord) -> Result<Option<Sim>> {
    let dir = home.state_dir(&rec.name);
    if !home::has_sim_model(&dir) {
        return Ok(None);
    }
    let store = Store::open(&dir, false)?;
    Sim::open(store, QUIET).map(Some)
}

/// The model's simulator, to change it (an interrupted operation's steps run first);
/// `None` while nothing is deployed.
pub fn write(home: &Home, rec: &ModelRecord) -> Result<Option<Sim>> {
    let Some(mut sim) = read(home, rec)? else {
        return Ok(None);
    };
    sim.resume()?;
    Ok(Some(sim))
}

/// The simulator of a model where `app` must be deployed.
pub fn with_app(home: &Home, rec: &ModelRecord, app: &str, change: bool) -> Result<Sim> {
    let sim = if change {
        write(home, rec)?
    } else {
        read(home, rec)?
    };
    match sim {
        Some(sim) if sim.model.app.name == app => Ok(sim),
        _ => Err(Error::msg(format!("application {app:?} not found"))),
    }
}

/// The simulator's verbosity for commands of the front end: quiet (Juju's own messages
/// are printed instead).
pub fn quiet() -> Verbosity {
    QUIET
}
