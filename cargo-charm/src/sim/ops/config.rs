//! `config`: typed, checked option values; `config-changed` on every unit.

use super::super::charm;
use super::super::model::{HookStep, Step};
use super::super::{Sim, Summary};
use super::lookup::list;
use crate::error::{Error, Result};

/// `config`: sets (typed, checked) and resets options; `config-changed` on every unit when
/// something changed. Returns `None` when nothing changed.
pub fn config(
    sim: &mut Sim,
    sets: &[(String, String)],
    resets: &[String],
) -> Result<Option<Summary>> {
    let meta = &sim.model.app.meta;
    let mut new = sim.model.app.config.clone();
    for key in resets {
        if meta.config_option(key).is_none() {
            return Err(Error::msg(format!(
                "unknown option {key:?} (options of {}: {})",
                meta.name,
                list(&charm::option_names(meta))
            )));
        }
        new.remove(key);
    }
    for (k, v) in sets {
        let value = charm::config_value(meta, k, v)?;
        new.insert(k.clone(), value);
    }
    let before = sim.model.effective_config();
    sim.model.app.config = new;
    if sim.model.effective_config() == before {
        return Ok(None);
    }
    let steps = sim
        .model
        .unit_names()
        .iter()
        .map(|u| Step::hook(HookStep::new(u, "config-changed", "config")))
        .collect();
    sim.execute(steps).map(Some)
}
