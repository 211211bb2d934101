//! Names Juju would reject, each reported at its literal with a corrected spelling.
use charm_runtime::prelude::*;

#[derive(Default)]
struct Demo;

#[charm(name = "Demo_Charm", summary = "Demo", description = "Demo.")]
#[peer("fastapi_peer", interface = "demo peers")]
#[requires("2db", interface = "postgresql_client")]
#[container("Work Load")]
#[storage("data-")]
#[action("Backup_Now")]
impl Demo {}

fn main() {}
