//! An action handler's third argument is its action's `params = ...` type: another type is
//! a type error at the argument.
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
impl Demo {
    #[on(action("get-db-info"))]
    fn info(&self, _model: &mut Model, params: Restore) {
        let _ = params.id;
    }

    #[on(action("restore"))]
    fn restore(&self, _model: &mut Model, params: Restore) {
        let _ = params.id;
    }
}

fn main() {}
