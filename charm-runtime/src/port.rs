//! Opened ports.

use std::fmt;
use std::str::FromStr;

/// A port the unit opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Port {
    /// A TCP port.
    Tcp(u16),
    /// A UDP port.
    Udp(u16),
    /// ICMP.
    Icmp,
}

impl fmt::Display for Port {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Port::Tcp(p) => write!(f, "{p}/tcp"),
            Port::Udp(p) => write!(f, "{p}/udp"),
            Port::Icmp => f.write_str("icmp"),
        }
    }
}

impl FromStr for Port {
    type Err = String;

    /// Parses `opened-ports` items: `8080/tcp`, `53/udp`, `icmp`, or a bare `80` (tcp).
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.split_whitespace().next().unwrap_or("");
        if s == "icmp" {
            return Ok(Port::Icmp);
        }
        let (num, proto) = s.split_once('/').unwrap_or((s, "tcp"));
        let n: u16 = num.parse().map_err(|_| {
            format!("port {s:?} is not `<port>/<protocol>` (ranges are not supported)")
        })?;
        match proto {
            "tcp" => Ok(Port::Tcp(n)),
            "udp" => Ok(Port::Udp(n)),
            other => Err(format!("port {s:?} has unknown protocol {other:?}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_print() {
        for (s, p) in [
            ("8080/tcp", Port::Tcp(8080)),
            ("53/udp", Port::Udp(53)),
            ("icmp", Port::Icmp),
        ] {
            assert_eq!(s.parse::<Port>().unwrap(), p);
            assert_eq!(p.to_string(), s);
        }
        assert_eq!("80".parse::<Port>().unwrap(), Port::Tcp(80));
        assert_eq!("8080/tcp (ep1)".parse::<Port>().unwrap(), Port::Tcp(8080));
        assert!("8000-8999/tcp".parse::<Port>().is_err());
        assert!("80/ftp".parse::<Port>().unwrap_err().contains("ftp"));
    }
}
