//! [`Network`]: a binding's network, as `network-get` prints it.

use super::bag::DEFAULT_ADDRESS;
use serde_json::Value;

/// A binding's network, as `network-get` prints it.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    /// The binding: an endpoint name or `juju-info`.
    pub binding: String,
    /// What `network-get --format=json <binding>` prints.
    pub info: Value,
}

impl Network {
    /// The default network: one interface with address `192.0.2.0` in `192.0.2.0/24`.
    pub fn new(binding: &str) -> Self {
        Network {
            binding: binding.to_string(),
            info: default_network_info(),
        }
    }

    /// Replaces what `network-get` prints.
    pub fn info(mut self, info: Value) -> Self {
        self.info = info;
        self
    }
}

/// What `network-get` prints for a binding no [`Network`] overrides.
pub fn default_network_info() -> Value {
    serde_json::json!({
        "bind-addresses": [{
            "mac-address": "",
            "interface-name": "",
            "addresses": [{"hostname": "", "value": DEFAULT_ADDRESS, "cidr": "192.0.2.0/24"}],
        }],
        "egress-subnets": ["192.0.2.0/24"],
        "ingress-addresses": [DEFAULT_ADDRESS],
    })
}
