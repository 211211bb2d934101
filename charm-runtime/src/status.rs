//! Workload status, with ops' collect-status semantics: handlers add statuses during a
//! dispatch and the one with the highest priority is set once at its end.

use std::fmt;

/// A status a charm can set. `error` and `unknown` are Juju's own and cannot be set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Ready and working.
    Active(String),
    /// Needs a human to do something.
    Blocked(String),
    /// Doing local work (installing, configuring).
    Maintenance(String),
    /// Waiting for another application.
    Waiting(String),
}

/// Same as [`Status::Active`], named like ops' class.
pub fn active(message: impl Into<String>) -> Status {
    Status::Active(message.into())
}

/// Same as [`Status::Blocked`], named like ops' class.
pub fn blocked(message: impl Into<String>) -> Status {
    Status::Blocked(message.into())
}

/// Same as [`Status::Maintenance`], named like ops' class.
pub fn maintenance(message: impl Into<String>) -> Status {
    Status::Maintenance(message.into())
}

/// Same as [`Status::Waiting`], named like ops' class.
pub fn waiting(message: impl Into<String>) -> Status {
    Status::Waiting(message.into())
}

impl Status {
    /// The status name Juju knows: `active`, `blocked`, `maintenance` or `waiting`.
    pub fn name(&self) -> &'static str {
        match self {
            Status::Active(_) => "active",
            Status::Blocked(_) => "blocked",
            Status::Maintenance(_) => "maintenance",
            Status::Waiting(_) => "waiting",
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        match self {
            Status::Active(m)
            | Status::Blocked(m)
            | Status::Maintenance(m)
            | Status::Waiting(m) => m,
        }
    }

    /// ops' priority: blocked 4 > maintenance 3 > waiting 2 > active 1.
    pub fn priority(&self) -> u8 {
        match self {
            Status::Blocked(_) => 4,
            Status::Maintenance(_) => 3,
            Status::Waiting(_) => 2,
            Status::Active(_) => 1,
        }
    }

    /// Parses a status name and message, as `status-get` reports them.
    pub fn from_name(name: &str, message: impl Into<String>) -> Option<Status> {
        let m = message.into();
        Some(match name {
            "active" => Status::Active(m),
            "blocked" => Status::Blocked(m),
            "maintenance" => Status::Maintenance(m),
            "waiting" => Status::Waiting(m),
            _ => return None,
        })
    }

    /// The status that wins among those added: the highest priority, and the first added
    /// among equals.
    pub fn highest(statuses: &[Status]) -> Option<&Status> {
        let mut best: Option<&Status> = None;
        for s in statuses {
            if best.is_none_or(|b| s.priority() > b.priority()) {
                best = Some(s);
            }
        }
        best
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message().is_empty() {
            f.write_str(self.name())
        } else {
            write!(f, "{}: {}", self.name(), self.message())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highest_priority_wins_and_first_wins_ties() {
        let list = [
            active(""),
            waiting("w"),
            blocked("first"),
            maintenance("m"),
            blocked("second"),
        ];
        assert_eq!(Status::highest(&list), Some(&blocked("first")));
        assert_eq!(
            Status::highest(&[active("a"), active("b")]),
            Some(&active("a"))
        );
        assert_eq!(Status::highest(&[]), None);
        assert_eq!(
            Status::highest(&[waiting("w"), maintenance("m")]),
            Some(&maintenance("m"))
        );
    }
}
