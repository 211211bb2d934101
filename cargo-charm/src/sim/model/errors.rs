//! Hook errors as Juju's uniter handles them (`internal/worker/uniter/resolver.go`,
//! `nextOpHookError`): a unit whose hook failed runs no other hook until that hook is
//! retried successfully or resolved; its actions still run.

use super::{HookStep, Model, Step};

impl Model {
    /// Whether queued step `i` waits: a hook (not an action) of a unit in error other than
    /// the retry of its failed hook; a pod change or removal of a unit in error; the
    /// removal of a relation whose hooks wait.
    pub fn held(&self, i: usize) -> bool {
        match &self.queue[i] {
            Step::Hook(h) => {
                h.action.is_none()
                    && self
                        .unit(&h.unit)
                        .is_some_and(|u| u.error.is_some() && u.failed.as_ref() != Some(h.as_ref()))
            }
            Step::FreshPod { unit } | Step::RemoveUnit { unit } => {
                self.unit(unit).is_some_and(|u| u.error.is_some())
            }
            Step::RemoveRelation { relation } => self
                .queue
                .iter()
                .take(i)
                .any(|s| matches!(s, Step::Hook(h) if h.relation == Some(*relation))),
            Step::RemoveApplication { app } => self.queue.iter().take(i).any(|s| match s {
                Step::Hook(h) => super::app_of_unit(&h.unit) == app,
                Step::RemoveUnit { unit } => super::app_of_unit(unit) == app,
                _ => false,
            }),
        }
    }

    /// How many queued steps can run now.
    pub fn runnable(&self) -> usize {
        (0..self.queue.len()).filter(|i| !self.held(*i)).count()
    }

    /// How many queued steps wait for units in error.
    pub fn held_count(&self) -> usize {
        self.queue.len() - self.runnable()
    }

    /// Records how hook `step` ended: a failure puts its unit in error with `step` to
    /// retry (the error itself is set by the dispatch); a success clears it.
    pub fn hook_done(&mut self, step: &HookStep, ok: bool) {
        if let Some(u) = self.unit_mut(&step.unit) {
            u.failed = (!ok).then(|| step.clone());
        }
    }

    /// Queues, first, a retry of the failed hook of every unit in error (unless one is
    /// queued already). Returns how many it queued.
    pub fn queue_retries(&mut self) -> usize {
        let mut retries = Vec::new();
        for u in self.units() {
            if let (Some(_), Some(failed)) = (&u.error, &u.failed) {
                let mut retry = failed.clone();
                retry.cause = "retry".into();
                let queued = self
                    .queue
                    .iter()
                    .any(|s| matches!(s, Step::Hook(h) if **h == *failed));
                if !queued {
                    retries.push(retry);
                }
            }
        }
        let n = retries.len();
        for retry in retries.into_iter().rev() {
            if let Some(u) = self.unit_mut(&retry.unit) {
                u.failed = Some(retry.clone());
            }
            self.queue.push_front(Step::hook(retry));
        }
        n
    }

    /// `resolve`: with `retry`, queues the failed hook of `unit` again (first); without,
    /// skips it: the error is cleared and the unit's waiting steps run.
    pub fn resolve(&mut self, unit: &str, retry: bool) {
        let Some(u) = self.unit_mut(unit) else {
            return;
        };
        if retry {
            if let Some(mut step) = u.failed.clone() {
                step.cause = "resolve".into();
                u.failed = Some(step.clone());
                self.queue.push_front(Step::hook(step));
            }
        } else {
            u.error = None;
            u.failed = None;
        }
    }
}
