//! [`RunTools`]: the in-memory hook tools as one [`Context::run`](super::Context::run)
//! uses them: [`MemoryTools`] with the default `network-get` answers filled into the
//! world on the first `network-get`, not copied into every run's world.

use crate::memory::MemoryTools;
use charm_runtime::hooktools::{HookTools, Reply, Request, ToolCall, ToolError};
use serde_json::Value;
use std::collections::BTreeMap;

/// [`MemoryTools`] plus the default network answers not yet in its world.
pub(super) struct RunTools<'a> {
    /// The backend.
    pub tools: MemoryTools<'a>,
    /// The answers for every binding the state does not configure (only `network-get`
    /// reads them), until the first `network-get` fills them in.
    pub default_networks: Option<&'a BTreeMap<String, Value>>,
}

impl HookTools for RunTools<'_> {
    fn call(&mut self, call: &ToolCall) -> Result<String, ToolError> {
        if call.tool == "network-get" {
            if let Some(defaults) = self.default_networks.take() {
                let networks = &mut self.tools.world.networks;
                for (binding, info) in defaults {
                    if !networks.contains_key(binding) {
                        networks.insert(binding.clone(), info.clone());
                    }
                }
            }
        }
        self.tools.call(call)
    }

    fn answer(&mut self, request: &Request<'_>) -> Option<Result<Reply, ToolError>> {
        self.tools.answer(request)
    }
}
