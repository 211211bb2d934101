//! Endpoint names are unique across peer, requires and provides; containers, storage,
//! actions and resources are unique too.
use charm_runtime::prelude::*;

#[derive(Default)]
struct Demo;

#[charm(name = "demo", summary = "Demo", description = "Demo.")]
#[peer("database", interface = "demo_peers")]
#[requires("database", interface = "postgresql_client")]
#[container("workload")]
#[container("workload", resource = "other-image")]
#[resource("workload-image", kind = "oci-image")]
#[storage("data")]
#[storage("data")]
#[action("backup")]
#[action("backup")]
impl Demo {}

fn main() {}
