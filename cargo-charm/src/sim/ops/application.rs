//! Commands on a whole application: `remove-application`, `refresh`.

use super::super::charm;
use super::super::model::Step;
use super::super::{Sim, Summary};
use super::deploy::{stage_charm, CharmSource};
use super::lookup::no_app;
use super::relation::teardown;
use super::units::{new_pod, unit_teardown};
use crate::error::{Error, Result};
use crate::fsutil;

/// `remove-application`: its relations go (every unit in them, on both sides, runs
/// `-relation-departed` / `-relation-broken`), then its units (teardown, §4.4), then the
/// application.
pub fn remove_application(sim: &mut Sim, app: &str) -> Result<Summary> {
    if sim.model.app(app).is_none() {
        return Err(no_app(&sim.model, app));
    }
    let cause = "remove-application";
    let related: Vec<u64> = sim
        .model
        .relations
        .values()
        .filter(|r| !r.dying && !r.is_peer() && r.side(app).is_some())
        .map(|r| r.id)
        .collect();
    let mut steps = Vec::new();
    for id in related {
        steps.extend(teardown(&mut sim.model, id, cause));
    }
    let units = sim.model.units_of(app);
    steps.extend(unit_teardown(sim, &units, cause));
    steps.push(Step::RemoveApplication {
        app: app.to_string(),
    });
    sim.execute(steps)
}

/// `refresh --path`: `app`'s charm replaced by the one in `source` (the same charm name),
/// its revision +1, and each unit's pod replaced (highest number first, as Kubernetes
/// rolls a StatefulSet): `stop`, then on the new pod `upgrade-charm`, `config-changed`,
/// `leader-settings-changed` (non-leaders), `start`, `<container>-pebble-ready`. Values
/// the user set for options the new charm no longer has are dropped.
pub fn refresh(sim: &mut Sim, app: &str, source: &CharmSource) -> Result<Summary> {
    let Some(a) = sim.model.app(app) else {
        return Err(no_app(&sim.model, app));
    };
    let old_name = a.meta.name.clone();
    let pristine = sim.store.app_charm_dir(&a.charm_dir);
    let (staging, meta, desc) = stage_charm(&sim.store, source, sim.verbosity.quiet)?;
    if meta.name != old_name {
        let _ = fsutil::remove_dir(&staging);
        return Err(Error::msg(format!(
            "cannot refresh {app:?} from charm {:?} to charm {:?}: the charm name differs",
            old_name, meta.name
        )));
    }
    fsutil::remove_dir(&pristine)?;
    std::fs::rename(&staging, &pristine)?;
    let a = sim.model.app_mut(app).expect("checked");
    a.revision += 1;
    a.charm_source = desc;
    a.config
        .retain(|k, _| charm::option_names(&meta).iter().any(|o| o == k));
    a.meta = meta;
    let mut steps = Vec::new();
    for unit in sim.model.units_of(app).iter().rev() {
        steps.extend(new_pod(sim, unit, "refresh"));
    }
    sim.execute(steps)
}
