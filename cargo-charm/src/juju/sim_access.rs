//! The simulator state directory of a model, for [`crate::sim::api`]'s calls.

use super::home::{Home, ModelRecord};
use crate::error::{Error, Result};
use crate::sim::api;
use std::path::PathBuf;

/// The state directory of model `rec`, which must hold its simulated model (`add-model`
/// created it).
pub fn dir(home: &Home, rec: &ModelRecord) -> Result<PathBuf> {
    let dir = home.state_dir(&rec.name);
    if !api::has_model(&dir) {
        return Err(Error::msg(format!(
            "model {} has no simulated model in {} (was its directory removed?); destroy-model and add-model it again",
            rec.name,
            dir.display()
        )));
    }
    Ok(dir)
}
