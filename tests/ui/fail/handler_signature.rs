//! Handler signatures the macro rejects, each at the offending token.
use charm_runtime::prelude::*;

#[derive(Default)]
struct Demo;

#[charm(name = "demo", summary = "Demo", description = "Demo.")]
impl Demo {
    #[on(install)]
    fn no_receiver(_model: &mut Model) {}

    #[on(start)]
    fn by_value(self, _model: &mut Model) {}

    #[on(stop)]
    fn no_model(&self) {}

    #[on(remove)]
    fn two_args(&self, _model: &mut Model, _extra: u32) {}

    #[on(update_status)]
    fn generic<T>(&self, _model: &mut Model) {}

    #[on(config_changed)]
    async fn asynchronous(&self, _model: &mut Model) {}

    #[on(leader_elected)]
    fn boxed(self: Box<Self>, _model: &mut Model) {}
}

fn main() {}
