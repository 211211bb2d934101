//! `network-get`.

use super::util::{json, run};
use crate::hooktools::{HookTools, ToolCall, ToolError};
use crate::network::{Address, Network, NetworkInterface, Subnet};
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawNetwork {
    #[serde(rename = "bind-addresses")]
    bind_addresses: Option<Vec<RawBind>>,
    #[serde(rename = "ingress-addresses")]
    ingress_addresses: Option<Vec<String>>,
    #[serde(rename = "egress-subnets")]
    egress_subnets: Option<Vec<String>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawBind {
    #[serde(rename = "mac-address")]
    mac_address: Option<String>,
    #[serde(rename = "interface-name")]
    interface_name: Option<String>,
    addresses: Option<Vec<RawAddress>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawAddress {
    hostname: Option<String>,
    value: Option<String>,
    /// Juju < 2.9's name for `value`.
    address: Option<String>,
    cidr: Option<String>,
}

/// `network-get --format=json [-r <relation-id>] <binding>`: the binding's network, read
/// as ops reads it (`value`, or Juju < 2.9's `address`; an empty `cidr` gives the
/// address's own `/32` or `/128`).
pub fn network_get(
    tools: &mut dyn HookTools,
    binding: &str,
    relation_id: Option<u64>,
) -> Result<Network, ToolError> {
    let mut args = vec!["--format=json".to_string()];
    if let Some(id) = relation_id {
        args.push("-r".into());
        args.push(id.to_string());
    }
    args.push(binding.to_string());
    let (call, out) = run(tools, ToolCall::new("network-get", args))?;
    let raw: RawNetwork = json(&call, &out)?;
    let bad = |problem: String| ToolError::BadOutput {
        call: call.describe(),
        output: super::util::quoted_prefix(&out),
        problem: super::util::quoted_prefix(&problem),
    };
    let mut interfaces = Vec::new();
    for b in raw.bind_addresses.unwrap_or_default() {
        let name = b.interface_name.unwrap_or_default();
        let mac = b.mac_address.unwrap_or_default();
        for a in b.addresses.unwrap_or_default() {
            let value = a.value.or(a.address).filter(|v| !v.is_empty());
            let subnet = match (a.cidr.as_deref().filter(|c| !c.is_empty()), &value) {
                (Some(cidr), _) => Some(cidr.parse::<Subnet>().map_err(bad)?),
                (None, Some(v)) => v.parse::<Subnet>().ok(),
                (None, None) => None,
            };
            interfaces.push(NetworkInterface {
                name: name.clone(),
                mac_address: mac.clone(),
                address: value.as_deref().map(Address::parse),
                subnet,
                hostname: a.hostname.unwrap_or_default(),
            });
        }
    }
    let egress_subnets = raw
        .egress_subnets
        .unwrap_or_default()
        .iter()
        .map(|s| s.parse::<Subnet>().map_err(bad))
        .collect::<Result<_, _>>()?;
    Ok(Network {
        interfaces,
        ingress_addresses: raw
            .ingress_addresses
            .unwrap_or_default()
            .iter()
            .map(|a| Address::parse(a))
            .collect(),
        egress_subnets,
    })
}
