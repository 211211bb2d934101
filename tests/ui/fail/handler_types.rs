//! Type errors in handlers point at the user's code: the return type (anyhow's too), the
//! model argument.
use charm_runtime::prelude::*;

#[derive(Default)]
struct Demo;

#[charm(name = "demo", summary = "Demo", description = "Demo.")]
impl Demo {
    #[on(install)]
    fn returns_number(&self, _model: &mut Model) -> u32 {
        1
    }

    #[on(start)]
    fn wrong_model(&self, _model: u32) {}

    #[on(stop)]
    fn result_of_number(&self, _model: &mut Model) -> std::result::Result<(), u32> {
        Ok(())
    }

    #[on(remove)]
    fn anyhow_number(&self, _model: &mut Model) -> anyhow::Result<u32> {
        Ok(1)
    }
}

fn main() {}
