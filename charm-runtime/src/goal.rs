//! Goal state (`goal-state`): the units the application should have and the
//! applications and units each endpoint should be related to, with their status.

use serde::Deserialize;
use std::collections::BTreeMap;

/// One goal: a unit's or an application's status and since when.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Goal {
    /// `active`, `waiting`, `joining`, `joined`, `dying`, ...
    pub status: String,
    /// When it got there, as Juju prints it (`2026-01-04 06:29:46Z`).
    #[serde(default)]
    pub since: String,
}

/// What `goal-state --format=json` prints.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct GoalState {
    /// This application's units.
    #[serde(default)]
    pub units: BTreeMap<String, Goal>,
    /// By endpoint: the related applications and units.
    #[serde(default)]
    pub relations: BTreeMap<String, BTreeMap<String, Goal>>,
}

impl GoalState {
    /// The units that are or will be running (those not `dying`): ops's `planned_units`.
    pub fn planned_units(&self) -> usize {
        self.units.values().filter(|g| g.status != "dying").count()
    }
}
