//! The commands that change the model, one module per command group. Each checks all of
//! its input first (a bad input changes nothing), then queues the hooks Juju would run, in
//! Juju's order (juju-protocol.md §4), and runs them.

mod action;
mod application;
mod config;
mod deploy;
mod dispatch;
mod integrate;
mod lookup;
mod relation;
mod secret;
mod units;

pub use action::{exec, run_action, run_action_with};
pub use application::{refresh, remove_application};
pub use config::config;
pub use deploy::{deploy, CharmSource, Deploy};
pub use dispatch::{dispatch_one, DispatchArgs};
pub use integrate::{integrate, remove_relation, End};
pub use lookup::{check_container, check_unit, the_app, unit_name};
pub use relation::{relate, set_data, unrelate, RelateArgs};
pub use secret::add_secret;
pub use units::{add_units, delete_pod, leader, remove_units, resolve, scale};
