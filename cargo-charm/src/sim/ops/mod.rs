//! The commands that change the model, one module per command group. Each checks all of
//! its input first (a bad input changes nothing), then queues the hooks Juju would run, in
//! Juju's order (juju-protocol.md §4), and runs them.

mod action;
mod config;
mod deploy;
mod dispatch;
mod lookup;
mod relation;
mod secret;
mod units;

pub use action::run_action;
pub use config::config;
pub use deploy::{deploy, CharmSource};
pub use dispatch::{dispatch_one, DispatchArgs};
pub use lookup::{check_container, check_unit};
pub use relation::{relate, set_data, unrelate, RelateArgs};
pub use secret::add_secret;
pub use units::{delete_pod, leader, scale};
