//! [`WorkloadStatus`]: a unit or application status as Juju reports it.

use std::fmt;

/// A unit or application status as Juju reports it: the four a charm can set, plus Juju's
/// own `unknown` and `error`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum WorkloadStatus {
    /// `unknown`: nothing was set yet (the default).
    #[default]
    Unknown,
    /// `active`
    Active(String),
    /// `blocked`
    Blocked(String),
    /// `maintenance`
    Maintenance(String),
    /// `waiting`
    Waiting(String),
    /// `error`: set by Juju when a hook fails (as input only).
    Error(String),
}

impl WorkloadStatus {
    /// The status name: `active`, `blocked`, ...
    pub fn name(&self) -> &'static str {
        match self {
            WorkloadStatus::Unknown => "unknown",
            WorkloadStatus::Active(_) => "active",
            WorkloadStatus::Blocked(_) => "blocked",
            WorkloadStatus::Maintenance(_) => "maintenance",
            WorkloadStatus::Waiting(_) => "waiting",
            WorkloadStatus::Error(_) => "error",
        }
    }

    /// The message (empty for `unknown`).
    pub fn message(&self) -> &str {
        match self {
            WorkloadStatus::Unknown => "",
            WorkloadStatus::Active(m)
            | WorkloadStatus::Blocked(m)
            | WorkloadStatus::Maintenance(m)
            | WorkloadStatus::Waiting(m)
            | WorkloadStatus::Error(m) => m,
        }
    }

    /// Parses a status name and message; `None` for a name Juju does not have.
    pub fn from_name(name: &str, message: impl Into<String>) -> Option<Self> {
        let m = message.into();
        Some(match name {
            "unknown" | "" => WorkloadStatus::Unknown,
            "active" => WorkloadStatus::Active(m),
            "blocked" => WorkloadStatus::Blocked(m),
            "maintenance" => WorkloadStatus::Maintenance(m),
            "waiting" => WorkloadStatus::Waiting(m),
            "error" => WorkloadStatus::Error(m),
            _ => return None,
        })
    }
}

impl From<charm_runtime::Status> for WorkloadStatus {
    fn from(s: charm_runtime::Status) -> Self {
        use charm_runtime::Status as S;
        match s {
            S::Active(m) => WorkloadStatus::Active(m),
            S::Blocked(m) => WorkloadStatus::Blocked(m),
            S::Maintenance(m) => WorkloadStatus::Maintenance(m),
            S::Waiting(m) => WorkloadStatus::Waiting(m),
        }
    }
}

impl PartialEq<charm_runtime::Status> for WorkloadStatus {
    fn eq(&self, other: &charm_runtime::Status) -> bool {
        self.name() == other.name() && self.message() == other.message()
    }
}

impl PartialEq<WorkloadStatus> for charm_runtime::Status {
    fn eq(&self, other: &WorkloadStatus) -> bool {
        other == self
    }
}

impl fmt::Display for WorkloadStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message().is_empty() {
            f.write_str(self.name())
        } else {
            write!(f, "{}: {}", self.name(), self.message())
        }
    }
}
