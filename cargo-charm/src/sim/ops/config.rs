//! `config`: typed, checked option values; `config-changed` on every unit.

use super::super::charm;
use super::super::model::{HookStep, Step};
use super::super::{Sim, Summary};
use super::lookup::{list, no_app};
use crate::error::{Error, Result};

/// `config`: sets (typed, checked) and resets options of `app`; `config-changed` on each
/// of its units when something changed. Returns `None` when nothing changed.
pub fn config(
    sim: &mut Sim,
    app: &str,
    sets: &[(String, String)],
    resets: &[String],
) -> Result<Option<Summary>> {
    let a = sim.model.app(app).ok_or_else(|| no_app(&sim.model, app))?;
    let meta = &a.meta;
    let mut new = a.config.clone();
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
    let before = sim.model.effective_config(app);
    sim.model.app_mut(app).expect("checked").config = new;
    if sim.model.effective_config(app) == before {
        return Ok(None);
    }
    let steps = sim
        .model
        .units_of(app)
        .iter()
        .map(|u| Step::hook(HookStep::new(u, "config-changed", "config")))
        .collect();
    sim.execute(steps).map(Some)
}
