//! How a hook's [`Effect`] changes the model, before or after the hook runs.

use super::{address_keys, Effect, HookStep, Model};

impl Model {
    /// Applies a hook's membership effect: `created` and `joined` before the hook runs (the
    /// relation and the remote unit are visible in it), `departed` after it (during the hook
    /// the departing unit's bag is still readable; jujuc leaves it out of `relation-list`);
    /// storage `attached` before the hook runs.
    pub fn apply_effect(&mut self, step: &HookStep, after_hook: bool) {
        if step.effect == Some(Effect::Attach) {
            if !after_hook {
                self.attach_storage(step);
            }
            return;
        }
        let (Some(effect), Some(id)) = (&step.effect, step.relation) else {
            return;
        };
        if after_hook != (*effect == Effect::Depart) {
            return;
        }
        let address = self
            .unit(&step.unit)
            .map(|u| u.address.clone())
            .unwrap_or_default();
        let Some(rel) = self.relations.get_mut(&id) else {
            return;
        };
        let ru = rel.units.entry(step.unit.clone()).or_default();
        match effect {
            Effect::Create => {
                if !ru.created {
                    ru.created = true;
                    for (k, v) in address_keys(&address) {
                        ru.data.entry(k).or_insert(v);
                    }
                }
            }
            Effect::Join => {
                if let Some(r) = &step.remote_unit {
                    ru.joined.insert(r.clone());
                }
            }
            Effect::Depart => {
                if let Some(r) = &step.remote_unit {
                    ru.joined.remove(r);
                }
            }
            Effect::Attach => {}
        }
    }

    /// Marks the instance of a `-storage-attached` step attached (before the hook runs, so
    /// the hook and everything after it see it in `storage-list`).
    fn attach_storage(&mut self, step: &HookStep) {
        let (Some(Effect::Attach), Some(id)) = (&step.effect, &step.storage) else {
            return;
        };
        if let Some(u) = self.unit_mut(&step.unit) {
            if let Some(s) = u.storage.iter_mut().find(|s| s.id() == *id) {
                s.attached = true;
            }
        }
    }
}
