//! An unknown event is reported at its name, with the closest event suggested.
use charm_runtime::prelude::*;

#[derive(Default)]
struct Demo;

#[charm(name = "demo", summary = "Demo", description = "Demo.")]
impl Demo {
    #[on(start, confg_changed)]
    fn reconcile(&self, _model: &mut Model) {}

    #[on(upgrade)]
    fn upgrade(&self, _model: &mut Model) {}

    #[on(banana)]
    fn banana(&self, _model: &mut Model) {}
}

fn main() {}
