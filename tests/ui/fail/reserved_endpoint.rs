//! Juju reserves `juju` and `juju-*` endpoint names (a container-scoped requires endpoint,
//! as subordinates use for `juju-info`, is allowed) and `juju-*` interfaces on provides.
use charm_runtime::prelude::*;

#[derive(Default)]
struct Demo;

#[charm(name = "demo", summary = "Demo", description = "Demo.")]
#[provides("juju", interface = "http")]
#[requires("juju-db", interface = "postgresql_client")]
#[requires("juju-info", interface = "juju-info", scope = "container")]
#[provides("info", interface = "juju-info")]
impl Demo {}

fn main() {}
