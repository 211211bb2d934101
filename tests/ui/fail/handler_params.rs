//! An action handler takes its action's parameters as its third argument, typed by the
//! action's `params = ...`: an action without parameters, or actions with different
//! parameter types, are errors of `#[charm]` (another type is rustc's: see
//! `handler_params_type.rs`).
use charm_runtime::prelude::*;

#[derive(ActionParams)]
struct GetDbInfo {
    #[param(default = false)]
    show_password: bool,
}

#[derive(ActionParams)]
struct Restore {
    id: String,
}

#[derive(Default)]
struct Demo;

#[charm(name = "demo", summary = "Demo", description = "Demo.")]
#[action("get-db-info", params = GetDbInfo)]
#[action("restore", params = Restore)]
#[action("ping")]
impl Demo {
    #[on(action("ping"))]
    fn no_params(&self, _model: &mut Model, _params: GetDbInfo) {}

    #[on(action("get-db-info"), action("restore"))]
    fn two_types(&self, _model: &mut Model, _params: GetDbInfo) {}
}

fn main() {}
