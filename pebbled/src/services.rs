//! Services (`internals/overlord/servstate/manager.go`, `handlers.go`, `request.go`,
//! `internals/daemon/api_services.go`, `api_signals.go`): start, stop, restart, replan,
//! autostart as changes with Pebble's kinds, summaries, task logs and errors; service
//! status with `current-since`; signals.
//!
//! No command is run: a started service is recorded as running, a stopped one as stopped.
//! A harness or simulator can make a service fail ([`Pebble::set_service_status`]) to see
//! what a charm does then.

use charm_runtime::pebble::layer::Service;
use charm_runtime::pebble::types::ServiceStatus;
use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;

/// A service's state machine, reduced to what a server without processes can be in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ServiceState {
    /// Started (`active`).
    Running,
    /// Stopped (`inactive`).
    Stopped,
    /// Exited, waiting to be restarted (`backoff`).
    Backoff,
    /// Exited, not being restarted (`error`).
    Exited,
}

impl ServiceState {
    pub(crate) fn status(self) -> ServiceStatus {
        match self {
            ServiceState::Running => ServiceStatus::Active,
            ServiceState::Stopped => ServiceStatus::Inactive,
            ServiceState::Backoff => ServiceStatus::Backoff,
            ServiceState::Exited => ServiceStatus::Error,
        }
    }
}

/// A service that has been started at least once (Pebble's `serviceData`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceRecord {
    /// Its state.
    pub state: ServiceState,
    /// The configuration it was last started with (replan restarts it when the plan's
    /// differs).
    pub config: Service,
    /// When its status last changed.
    pub current_since: Timestamp,
    /// The last signal sent to it.
    pub last_signal: Option<String>,
}

/// An API failure: HTTP status, message and (sometimes) kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status code.
    pub status: u16,
    /// The message.
    pub message: String,
    /// Pebble's error kind, if any.
    pub kind: Option<&'static str>,
}

impl ApiError {
    /// A 400 with a message.
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError {
            status: 400,
            message: message.into(),
            kind: None,
        }
    }

    /// A 500 with a message.
    pub fn server(message: impl Into<String>) -> Self {
        ApiError {
            status: 500,
            message: message.into(),
            kind: None,
        }
    }
}

/// Signal names Pebble accepts (`unix.SignalNum` on Linux).
pub(crate) const SIGNALS: [&str; 31] = [
    "SIGHUP",
    "SIGINT",
    "SIGQUIT",
    "SIGILL",
    "SIGTRAP",
    "SIGABRT",
    "SIGBUS",
    "SIGFPE",
    "SIGKILL",
    "SIGUSR1",
    "SIGSEGV",
    "SIGUSR2",
    "SIGPIPE",
    "SIGALRM",
    "SIGTERM",
    "SIGSTKFLT",
    "SIGCHLD",
    "SIGCONT",
    "SIGSTOP",
    "SIGTSTP",
    "SIGTTIN",
    "SIGTTOU",
    "SIGURG",
    "SIGXCPU",
    "SIGXFSZ",
    "SIGVTALRM",
    "SIGPROF",
    "SIGWINCH",
    "SIGIO",
    "SIGPWR",
    "SIGSYS",
];

/// Go's `strings.Title` of an action name (`"replan"` → `"Replan"`).
pub(crate) fn title(action: &str) -> String {
    let mut chars = action.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Changes a service's state; `current-since` moves only when its status changes.
pub(crate) fn transition(record: &mut ServiceRecord, state: ServiceState, now: Timestamp) {
    if record.state.status() != state.status() {
        record.current_since = now;
    }
    record.state = state;
}
