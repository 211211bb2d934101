//! The running action: its parameters, results, log and failure.

use super::Model;
use crate::error::Result;
use crate::event::Event;
use crate::hooktools::cmd::{self, BagData};
use crate::hooktools::ToolError;
use crate::params::ActionParams;
use serde::Serialize;
use serde_json::{Map, Value};

/// Juju's reserved result keys (`action-set` refuses them at any level).
const RESERVED: [&str; 4] = ["stdout", "stdout-encoding", "stderr", "stderr-encoding"];

/// Juju's rule for each dotted segment of a result key (its action-name rule):
/// `^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$`.
fn valid_segment(s: &str) -> bool {
    let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    s.starts_with(ok) && s.ends_with(ok) && s.chars().all(|c| ok(c) || c == '-')
}

fn check_key(key: &str) -> Result<()> {
    for seg in key.split('.') {
        if !valid_segment(seg) {
            return Err(crate::Error::msg(format!(
                "action result key `{key}` is invalid: each dotted part must be lowercase letters, digits and `-`, starting and ending with a letter or digit"
            )));
        }
        if RESERVED.contains(&seg) {
            return Err(crate::Error::msg(format!(
                "action result key `{key}` uses `{seg}`, which is reserved by Juju"
            )));
        }
    }
    Ok(())
}

/// Flattens one result into dotted keys: objects nest (as ops's `format_result_dict`),
/// strings are sent as they are, `null` is left out, other values as JSON (`3`, `true`,
/// `["a","b"]`).
fn flatten(key: String, value: Value, out: &mut BagData) -> Result<()> {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                flatten(format!("{key}.{k}"), v, out)?;
            }
            Ok(())
        }
        Value::Null => Ok(()),
        leaf => {
            check_key(&key)?;
            let text = match leaf {
                Value::String(s) => s,
                other => other.to_string(),
            };
            if out.insert(key.clone(), text).is_some() {
                return Err(crate::Error::msg(format!(
                    "action result key `{key}` is given twice (once dotted, once nested)"
                )));
            }
            Ok(())
        }
    }
}

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

    /// Sets action results (`action-set`, at once): key/value pairs, where a key may be
    /// dotted (`db.host`) and a value may be anything serde serializes: a string, a
    /// number, or a map or struct, which nests (`("db", json!({"host": h}))` sets
    /// `db.host`). Every key is checked against Juju's rules first (lowercase letters,
    /// digits and `-` in each dotted part; `stdout`, `stderr` and their `-encoding` keys
    /// are reserved), so a bad key fails before anything is sent.
    pub fn set_action_results<K: AsRef<str>, V: Serialize>(
        &mut self,
        results: impl IntoIterator<Item = (K, V)>,
    ) -> Result<()> {
        let mut map = BagData::new();
        for (k, v) in results {
            let k = k.as_ref();
            let value = serde_json::to_value(v).map_err(|e| {
                crate::Error::msg(format!("action result `{k}` does not serialize: {e}"))
            })?;
            flatten(k.to_string(), value, &mut map)?;
        }
        self.send_results(map)
    }

    /// Sets action results from one value that serializes as a map (a struct, a
    /// `BTreeMap`, `json!({...})`): each field is a result, nested ones dotted, as
    /// ops's `event.set_results(dict)`.
    pub fn set_results<T: Serialize + ?Sized>(&mut self, results: &T) -> Result<()> {
        let value = serde_json::to_value(results)
            .map_err(|e| crate::Error::msg(format!("action results do not serialize: {e}")))?;
        let Value::Object(fields) = value else {
            return Err(crate::Error::msg(
                "action results must serialize as a map (a struct or a map), not a single value",
            ));
        };
        let mut map = BagData::new();
        for (k, v) in fields {
            flatten(k, v, &mut map)?;
        }
        self.send_results(map)
    }

    fn send_results(&mut self, map: BagData) -> Result<()> {
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
