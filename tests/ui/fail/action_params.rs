//! Action parameters are declared once, in a `#[derive(ActionParams)]` struct: the old
//! per-parameter form says so; the derive checks names and defaults (types are rustc's: see
//! `action_params_types.rs`).
use charm_runtime::prelude::*;

#[derive(ActionParams)]
struct Backup {
    #[param(name = "Force")]
    force: bool,
    #[param(default = "yes")]
    verbose: bool,
    #[param(default = 300)]
    level: Option<u8>,
    #[param(name = "level")]
    again: u8,
}

#[derive(Default)]
struct Demo;

#[charm(name = "demo", summary = "Demo", description = "Demo.")]
#[action("backup", params = Backup)]
#[action("restore", param(id: String, description = "x"))]
impl Demo {}

fn main() {}
