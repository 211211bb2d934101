//! Networks: what `network-get` says about a binding (an endpoint, an extra binding or
//! `juju-info`), typed as ops's `Network` is: the interfaces with their addresses, the
//! ingress addresses, the egress subnets. [`Model::binding`](crate::Model::binding) reads
//! it.

use crate::hooktools::ToolError;
use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// An address Juju gives: an IP address, or a hostname Juju could not resolve (ops keeps
/// those as strings too).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Address {
    /// An IPv4 or IPv6 address.
    Ip(IpAddr),
    /// Anything else, as Juju printed it.
    Host(String),
}

impl Address {
    /// Reads an address: an IP if it parses as one, else a hostname.
    pub fn parse(s: &str) -> Address {
        match s.parse() {
            Ok(ip) => Address::Ip(ip),
            Err(_) => Address::Host(s.to_string()),
        }
    }

    /// The IP address, if it is one.
    pub fn ip(&self) -> Option<IpAddr> {
        match self {
            Address::Ip(ip) => Some(*ip),
            Address::Host(_) => None,
        }
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Address::Ip(ip) => write!(f, "{ip}"),
            Address::Host(h) => f.write_str(h),
        }
    }
}

/// A subnet in CIDR form, `10.1.2.0/24` (a bare address is `/32` or `/128`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Subnet {
    /// The network address, as Juju printed it.
    pub address: IpAddr,
    /// The prefix length.
    pub prefix: u8,
}

impl Subnet {
    /// Whether `ip` is in this subnet.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.address, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl FromStr for Subnet {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let address: IpAddr = addr
            .parse()
            .map_err(|_| format!("{s:?} is not a subnet (`<address>/<prefix>`)"))?;
        let max = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{s:?} has a prefix length that is not 0 to {max}"))?,
        };
        Ok(Subnet { address, prefix })
    }
}

impl fmt::Display for Subnet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix)
    }
}

/// One address of one interface (ops lists an interface with several addresses as
/// several interfaces of the same name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkInterface {
    /// The interface name (`eth0`); may be empty.
    pub name: String,
    /// Its MAC address; may be empty.
    pub mac_address: String,
    /// The address (Juju may leave it empty).
    pub address: Option<Address>,
    /// The subnet: Juju's `cidr`, or the address alone (`/32`, `/128`) when Juju gives
    /// none.
    pub subnet: Option<Subnet>,
    /// The hostname Juju gives for the address; may be empty.
    pub hostname: String,
}

/// A binding's network, as `network-get --format=json <binding>` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Network {
    /// The interfaces the unit should bind to, one per address.
    pub interfaces: Vec<NetworkInterface>,
    /// The addresses other units should use to reach this one.
    pub ingress_addresses: Vec<Address>,
    /// The subnets other units see this one's traffic coming from.
    pub egress_subnets: Vec<Subnet>,
}

impl Network {
    /// The address to `bind()` to: the first interface's address (ops's `bind_address`).
    pub fn bind_address(&self) -> Option<&Address> {
        self.interfaces.first().and_then(|i| i.address.as_ref())
    }

    /// The address other applications should connect to: the first ingress address (ops's
    /// `ingress_address`).
    pub fn ingress_address(&self) -> Option<&Address> {
        self.ingress_addresses.first()
    }
}

/// A `network-get` that failed, naming the binding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetworkError {
    /// Juju has no network config for this binding: it is neither an endpoint, an extra
    /// binding nor `juju-info`.
    UnknownBinding {
        /// The binding name.
        binding: String,
        /// Juju's message.
        stderr: String,
    },
    /// Juju printed something that is not a network (an address or subnet that does not
    /// parse).
    BadOutput {
        /// The binding name.
        binding: String,
        /// What was wrong.
        problem: String,
    },
    /// Another hook-tool failure.
    Tool(ToolError),
}

impl NetworkError {
    /// Maps a failed `network-get` of `binding`.
    pub(crate) fn from_tool(binding: &str, e: ToolError) -> Self {
        match e.stderr() {
            Some(stderr) if stderr.contains("no network config found") => {
                NetworkError::UnknownBinding {
                    binding: binding.to_string(),
                    stderr: stderr.to_string(),
                }
            }
            _ => NetworkError::Tool(e),
        }
    }
}

impl fmt::Display for NetworkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetworkError::UnknownBinding { binding, stderr } => write!(
                f,
                "binding {binding} has no network: it is not an endpoint, an extra binding or `juju-info` ({stderr})"
            ),
            NetworkError::BadOutput { binding, problem } => {
                write!(f, "the network of binding {binding} cannot be read: {problem}")
            }
            NetworkError::Tool(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for NetworkError {}

impl From<ToolError> for NetworkError {
    fn from(e: ToolError) -> Self {
        NetworkError::Tool(e)
    }
}
