//! Events naming an endpoint, container, storage or action the charm does not declare.
use charm_runtime::prelude::*;

#[derive(Default)]
struct Demo;

#[charm(name = "demo", summary = "Demo", description = "Demo.")]
#[requires("database", interface = "postgresql_client")]
#[container("workload")]
#[storage("data")]
#[action("backup")]
impl Demo {
    #[on(relation_changed("databse"), relation_joined("ingress"))]
    fn relations(&self, _model: &mut Model) {}

    #[on(pebble_ready("workloads"), pebble_check_failed("sidecar"))]
    fn workload(&self, _model: &mut Model) {}

    #[on(storage_attached("cache"))]
    fn storage(&self, _model: &mut Model) {}

    #[on(action("restore"))]
    fn restore(&self, _model: &mut Model) {}
}

fn main() {}
