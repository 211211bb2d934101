//! The running action: its parameters, results, log and failure.

use super::Model;
use crate::error::Result;
use crate::event::Event;
use crate::hooktools::cmd::{self, BagData};
use crate::hooktools::ToolError;
use crate::params::ActionParams;
use serde_json::{Map, Value};

impl Model<'_> {
    /// The running action's parameters (`action-get`, once per dispatch). Juju has already
    /// checked them against the action's schema and filled in defaults.
    pub fn action_params_raw(&mut self) -> Result<&Map<String, Value>, ToolError> {
        if self.action_params.is_none() {
            self.action_params = Some(cmd::action_get(self.tools)?);
        }
        Ok(self.action_params.as_ref().expect("just filled"))
    }

    /// The running action's parameters, decoded into `P` (a `#[derive(ActionParams)]`
    /// struct; a handler of one action gets them as its third argument instead). A
    /// parameter that does not fit is an error naming the action and the parameter.
    pub fn action_params<P: ActionParams>(&mut self) -> Result<P> {
        let name = match self.event() {
            Event::Action(a) => a.name.clone(),
            other => {
                return Err(crate::Error::msg(format!(
                    "action parameters asked for in hook `{}`, which is not an action",
                    other.hook_name()
                )))
            }
        };
        P::from_params(self.action_params_raw()?)
            .map_err(|e| crate::Error::msg(format!("action `{name}`: {e}")))
    }

    /// Sets action results (`action-set`, at once). Keys are dotted for nesting and must
    /// match Juju's pattern (lowercase letters, digits, `-`); `stdout`, `stderr` and their
    /// `-encoding` keys are reserved.
    pub fn set_action_results<K: AsRef<str>, V: AsRef<str>>(
        &mut self,
        results: impl IntoIterator<Item = (K, V)>,
    ) -> Result<()> {
        let mut map = BagData::new();
        for (k, v) in results {
            let k = k.as_ref();
            let valid = !k.is_empty()
                && k.split('.').all(|seg| {
                    !seg.is_empty()
                        && !seg.starts_with('-')
                        && !seg.ends_with('-')
                        && seg
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                });
            if !valid {
                return Err(crate::Error::msg(format!(
                    "action result key `{k}` is invalid: use lowercase letters, digits and `-`, dotted for nesting"
                )));
            }
            if ["stdout", "stdout-encoding", "stderr", "stderr-encoding"].contains(&k) {
                return Err(crate::Error::msg(format!(
                    "action result key `{k}` is reserved by Juju"
                )));
            }
            map.insert(k.to_string(), v.as_ref().to_string());
        }
        if !map.is_empty() {
            cmd::action_set(self.tools, &map)?;
        }
        Ok(())
    }

    /// Sends a progress message to the user running the action (`action-log`).
    pub fn action_log(&mut self, message: &str) -> Result<(), ToolError> {
        cmd::action_log(self.tools, message)
    }

    /// Marks the action failed with this message (`action-fail`); the handler goes on
    /// running and the dispatch still commits, as in Juju.
    pub fn action_fail(&mut self, message: &str) -> Result<(), ToolError> {
        cmd::action_fail(self.tools, message)
    }
}
