//! Collect-status helpers: turning input the charm cannot use into a `blocked` status.

use super::Model;
use crate::status::blocked;
use std::fmt;

impl Model<'_> {
    /// Runs `read` and returns its value; if it fails, adds `blocked("<what>: <error>")`
    /// and returns `None`.
    ///
    /// The collect-status pattern for input that a human must fix (a config value, data
    /// a related application sent): report it as a status instead of failing the hook,
    /// which would put the unit in `error` on every event until the input changes (and
    /// discard the dispatch's other writes). Keep `?` for failures that are not the
    /// input's fault, such as a hook tool failing: Juju retries those hooks.
    ///
    /// ```
    /// # use charm_runtime::prelude::*;
    /// # #[derive(CharmConfig)] struct Config { #[config(default = 8000)] port: i64 }
    /// # #[derive(Default)] struct Demo;
    /// # #[charm(name = "demo", summary = "Demo", description = "Demo.", config = Config)]
    /// # impl Demo {
    /// #[on(collect_status)]
    /// fn collect_status(&self, model: &mut Model) -> Result<()> {
    ///     let Some(config) = model.ok_or_blocked("Invalid config", |m| m.config()) else {
    ///         return Ok(()); // blocked: "Invalid config: ..."
    ///     };
    ///     model.add_status(active(format!("listening on {}", config.port)));
    ///     Ok(())
    /// }
    /// # }
    /// ```
    pub fn ok_or_blocked<T, E: fmt::Display>(
        &mut self,
        what: &str,
        read: impl FnOnce(&mut Self) -> Result<T, E>,
    ) -> Option<T> {
        match read(self) {
            Ok(value) => Some(value),
            Err(e) => {
                self.add_status(blocked(format!("{what}: {e}")));
                None
            }
        }
    }
}
