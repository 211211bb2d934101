//! Where a hook caused by another hook's relation data goes in the queue, so that each
//! unit sees relation changes in the order Juju's relation resolver gives them
//! (`internal/worker/uniter/relation/resolver.go`, `nextHookForRelation`).

use super::{HookStep, Model, Step};

impl Model {
    /// Queues a `-relation-changed` another hook's data change caused:
    /// - nothing when the same step is already queued (Juju runs one hook for several
    ///   changes it has not yet seen);
    /// - nothing when it is about a remote unit whose `-relation-joined` is still queued
    ///   for that unit (the `-relation-changed` that follows the join sees the data);
    /// - an application-level one goes before the unit's queued `-relation-joined` hooks
    ///   of the same relation ("trigger all app hooks first");
    /// - anything else goes last.
    pub fn queue_triggered(&mut self, step: Step) {
        if self.queue.contains(&step) {
            return;
        }
        let Step::Hook(h) = &step else {
            self.queue.push_back(step);
            return;
        };
        let joined_of = |q: &Step| -> Option<Option<String>> { joined(q, h) };
        match &h.remote_unit {
            Some(remote) => {
                let pending = self
                    .queue
                    .iter()
                    .filter_map(joined_of)
                    .any(|j| j.as_ref() == Some(remote));
                if !pending {
                    self.queue.push_back(step);
                }
            }
            None => match self.queue.iter().position(|q| joined_of(q).is_some()) {
                Some(at) => self.queue.insert(at, step),
                None => self.queue.push_back(step),
            },
        }
    }
}

/// For a queued `-relation-joined` of `h`'s unit on `h`'s relation: its remote unit.
fn joined(q: &Step, h: &HookStep) -> Option<Option<String>> {
    match q {
        Step::Hook(j)
            if j.unit == h.unit
                && j.relation == h.relation
                && j.action.is_none()
                && j.hook.ends_with("-relation-joined") =>
        {
            Some(j.remote_unit.clone())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{HookStep, Model, Step};

    fn hook(unit: &str, hook: &str, remote: Option<&str>) -> Step {
        Step::hook(HookStep {
            relation: Some(1),
            remote_unit: remote.map(str::to_string),
            ..HookStep::new(unit, hook, "t")
        })
    }

    fn names(m: &Model) -> Vec<String> {
        m.queue
            .iter()
            .map(|s| match s {
                Step::Hook(h) => format!(
                    "{} {} {}",
                    h.unit,
                    h.hook,
                    h.remote_unit.as_deref().unwrap_or("app")
                ),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn app_changes_go_before_pending_joins_and_unit_changes_wait_for_them() {
        let mut m = Model::new("m", "u".into());
        m.queue.extend([
            hook("a/0", "install", None),
            hook("a/0", "db-relation-joined", Some("b/0")),
            hook("a/0", "db-relation-changed", Some("b/0")),
            hook("b/0", "start", None),
        ]);
        // The other application's bag changed: before a/0's joins.
        m.queue_triggered(hook("a/0", "db-relation-changed", None));
        // Twice: once.
        m.queue_triggered(hook("a/0", "db-relation-changed", None));
        // b/0's bag changed, b/0 not yet joined on a/0: the join's -changed covers it.
        m.queue_triggered(hook("a/0", "db-relation-changed", Some("b/0")));
        // For a unit with no join pending: last.
        m.queue_triggered(hook("b/0", "db-relation-changed", Some("a/0")));
        m.queue_triggered(hook("b/0", "db-relation-changed", None));
        assert_eq!(
            names(&m),
            [
                "a/0 install app",
                "a/0 db-relation-changed app",
                "a/0 db-relation-joined b/0",
                "a/0 db-relation-changed b/0",
                "b/0 start app",
                "b/0 db-relation-changed a/0",
                "b/0 db-relation-changed app",
            ]
        );
    }
}
