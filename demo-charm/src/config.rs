//! The charm's one option, `server-port`, and the rule for it: a TCP port other than 22.

use charm_runtime::prelude::*;
use std::fmt;

/// The charm's config options.
#[derive(CharmConfig, Debug, PartialEq)]
pub struct Config {
    /// Default port on which FastAPI is available
    #[config(default = 8000)]
    pub server_port: i64,
}

impl Config {
    /// The port the workload listens on, or why `server-port` cannot be one. The value is
    /// read as Juju sends it (any integer), so a bad value is a status the charm reports,
    /// never a failed hook.
    pub fn port(&self) -> Result<u16, InvalidPort> {
        match self.server_port {
            22 => Err(InvalidPort::Ssh),
            p => u16::try_from(p)
                .ok()
                .filter(|&p| p != 0)
                .ok_or(InvalidPort::NotTcp(p)),
        }
    }
}

/// Why `server-port` is not usable. Its text is the blocked status message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvalidPort {
    /// 22: the tutorial's rule.
    Ssh,
    /// Outside 1..=65535.
    NotTcp(i64),
}

impl fmt::Display for InvalidPort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidPort::Ssh => f.write_str("Invalid port number, 22 is reserved for SSH"),
            InvalidPort::NotTcp(p) => {
                write!(f, "Invalid port number, {p} is not a TCP port (1 to 65535)")
            }
        }
    }
}

impl std::error::Error for InvalidPort {}

#[cfg(test)]
mod tests {
    use super::*;

    fn port(p: i64) -> Result<u16, InvalidPort> {
        Config { server_port: p }.port()
    }

    #[test]
    fn ports() {
        assert_eq!(port(8000), Ok(8000));
        assert_eq!(port(1), Ok(1));
        assert_eq!(port(65535), Ok(65535));
        assert_eq!(port(22), Err(InvalidPort::Ssh));
        for bad in [0, -1, 65536, 70000, i64::MIN, i64::MAX] {
            assert_eq!(port(bad), Err(InvalidPort::NotTcp(bad)));
        }
        assert_eq!(
            InvalidPort::NotTcp(-1).to_string(),
            "Invalid port number, -1 is not a TCP port (1 to 65535)"
        );
    }
}
