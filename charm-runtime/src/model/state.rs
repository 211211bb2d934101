//! Charm state on the controller: ops's `StoredState` with `use_juju_for_storage`, typed
//! with serde. Read once per dispatch, written like relation bags: staged, and sent at the
//! end of a successful dispatch.

use super::{BagState, Model};
use crate::hooktools::cmd::{self, BagData};
use crate::hooktools::ToolError;
use crate::state::{StateError, MAX_KEY_BYTES, MAX_VALUE_BYTES};
use serde::de::DeserializeOwned;
use serde::Serialize;

fn check_key(key: &str) -> Result<(), StateError> {
    if key.is_empty() {
        Err(StateError::EmptyKey)
    } else if key.len() > MAX_KEY_BYTES {
        Err(StateError::KeyTooLong { key: key.into() })
    } else {
        Ok(())
    }
}

impl Model<'_> {
    fn charm_state(&mut self) -> Result<&mut BagState, StateError> {
        if self.juju.state.is_none() {
            let original = cmd::state_get(self.tools)?;
            self.juju.state = Some(BagState {
                owner: self.env.unit_name.clone(),
                original,
                staged: BagData::new(),
            });
        }
        Ok(self.juju.state.as_mut().expect("just filled"))
    }

    /// The value stored under `key` in this unit's charm state, decoded from JSON, or
    /// `T::default()` when there is none. The whole state is read once per dispatch
    /// (`state-get`); reads see this dispatch's [`save_state`](Model::save_state)s.
    ///
    /// This is the Rust form of ops's `StoredState` kept by Juju (`use_juju_for_storage`):
    /// the state lives on the controller, so it survives the pod churn that empties a
    /// Kubernetes charm's container (a counter of pod starts kept here keeps counting).
    /// It is per unit (each unit has its own; a unit removed loses it) and limited:
    /// keys up to 256 bytes, values up to 64 KiB of JSON, a unit's whole state up to the
    /// controller's `max-charm-state-size` (2 MiB by default). It is not available in
    /// `collect-metrics`. Data every unit must share belongs in the peer relation's
    /// application bag; confidential data in a secret.
    ///
    /// ```no_run
    /// # use charm_runtime::prelude::*;
    /// #[json_value]
    /// #[derive(Default)]
    /// struct Starts {
    ///     count: u64,
    /// }
    /// # fn start(model: &mut Model) -> Result<()> {
    /// let mut starts: Starts = model.load_state("starts")?;
    /// starts.count += 1;
    /// model.save_state("starts", &starts)?;
    /// # Ok(()) }
    /// ```
    pub fn load_state<T: DeserializeOwned + Default>(
        &mut self,
        key: &str,
    ) -> Result<T, StateError> {
        check_key(key)?;
        let current = self.charm_state()?.current();
        match current.get(key) {
            None => Ok(T::default()),
            Some(text) => serde_json::from_str(text).map_err(|e| StateError::Decode {
                key: key.into(),
                problem: crate::redact::serde_problem(&e),
            }),
        }
    }

    /// Stages `value` (as JSON) under `key`; sent with one `state-set` at the end of the
    /// dispatch, only if every handler succeeded (Juju also keeps a failed hook's state
    /// writes out). The size limits are checked now.
    pub fn save_state<T: Serialize + ?Sized>(
        &mut self,
        key: &str,
        value: &T,
    ) -> Result<(), StateError> {
        check_key(key)?;
        let text = serde_json::to_string(value).map_err(|e| StateError::Encode {
            key: key.into(),
            problem: e.to_string(),
        })?;
        if text.len() > MAX_VALUE_BYTES {
            return Err(StateError::ValueTooLarge {
                key: key.into(),
                bytes: text.len(),
            });
        }
        self.charm_state()?.staged.insert(key.into(), text);
        Ok(())
    }

    /// Stages deleting `key` (a `state-delete` at the end of the dispatch, if it exists).
    pub fn delete_state(&mut self, key: &str) -> Result<(), StateError> {
        check_key(key)?;
        self.charm_state()?.staged.insert(key.into(), String::new());
        Ok(())
    }

    /// Sends the staged charm-state changes: one `state-set` for the new values, one
    /// `state-delete` per deleted key that existed.
    pub(super) fn commit_state(&mut self) -> Result<(), ToolError> {
        let Some(state) = &self.juju.state else {
            return Ok(());
        };
        let changes = state.changes();
        let (deleted, set): (BagData, BagData) = changes
            .into_owned()
            .into_iter()
            .partition(|(_, v)| v.is_empty());
        if !set.is_empty() {
            cmd::state_set(self.tools, &set)?;
        }
        for key in deleted.keys() {
            cmd::state_delete(self.tools, key)?;
        }
        Ok(())
    }
}
