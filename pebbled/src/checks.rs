//! Health checks (`internals/overlord/checkstate/manager.go`, `handlers.go`,
//! `request.go`, `internals/daemon/api_checks.go`).
//!
//! As in Pebble, a running check is a long-lived `perform-check` change (`Doing`); when it
//! fails `threshold` times in a row that change errors and a `recover-check` change takes
//! over (status `down`); a success then finishes the recovery and a new `perform-check`
//! starts (status `up`). Juju turns those changes' `change-update` notices into
//! `pebble-check-failed` / `pebble-check-recovered`.
//!
//! Simplification: checks are never probed. A started check stays `up` with `successes: 0`
//! and `failures: 0` until a harness or simulator reports a result with
//! [`Pebble::check_failed`] or [`Pebble::check_succeeded`], which move the counters and
//! changes exactly as one probe result would in Pebble.

use charm_runtime::pebble::layer::{Check, Startup};
use charm_runtime::pebble::types::CheckStatus;
use serde::{Deserialize, Serialize};

pub(crate) const PERFORM: &str = "perform-check";
pub(crate) const RECOVER: &str = "recover-check";

/// What Pebble knows of one check (`checkData`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckRecord {
    /// The configuration the running change was started with.
    pub config: Check,
    /// Successful runs counted by the current change.
    pub successes: u32,
    /// Failures since the last success.
    pub failures: u32,
    /// The change driving the check; empty when inactive.
    pub change_id: String,
    /// The change that drove it before.
    pub prev_change_id: String,
}

impl CheckRecord {
    pub(crate) fn threshold(&self) -> u32 {
        self.config.threshold.unwrap_or(3)
    }

    pub(crate) fn status(&self) -> CheckStatus {
        if self.change_id.is_empty() {
            CheckStatus::Inactive
        } else if self.failures >= self.threshold() {
            CheckStatus::Down
        } else {
            CheckStatus::Up
        }
    }
}

pub(crate) fn check_type(config: &Check) -> &'static str {
    if config.http.is_some() {
        "HTTP"
    } else if config.tcp.is_some() {
        "TCP"
    } else if config.exec.is_some() {
        "exec"
    } else {
        "<unknown>"
    }
}

pub(crate) fn enabled(config: &Check) -> bool {
    config.startup != Some(Startup::Disabled)
}
