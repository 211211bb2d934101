//! A container is reached through its generated const: a container the charm does not
//! declare has no const, and an endpoint const is not a container.
use charm_runtime::prelude::*;

#[derive(Default)]
struct Demo;

#[charm(name = "demo", summary = "Demo", description = "Demo.")]
#[container("workload")]
#[requires("database", interface = "postgresql_client")]
impl Demo {
    #[on(start)]
    fn start(&self, model: &mut Model) {
        let _ = model.container(Self::WORKLOAD);
        let _ = model.container(Self::SIDECAR);
        let _ = model.container(Self::DATABASE);
    }
}

fn main() {}
