//! Events written like hook names, with a missing or extra argument, or repeated.
use charm_runtime::prelude::*;

#[derive(Default)]
struct Demo;

#[charm(name = "demo", summary = "Demo", description = "Demo.")]
#[requires("database", interface = "postgresql_client")]
impl Demo {
    #[on(config-changed)]
    fn dashed(&self, _model: &mut Model) {}

    #[on(relation_changed)]
    fn missing_endpoint(&self, _model: &mut Model) {}

    #[on(start("now"))]
    fn extra_argument(&self, _model: &mut Model) {}

    #[on(start, install, start)]
    fn twice(&self, _model: &mut Model) {}

    #[on()]
    fn empty(&self, _model: &mut Model) {}
}

fn main() {}
