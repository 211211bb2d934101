//! A parameter's Rust type must have a JSON-schema type, and `params = ...` must name a
//! `#[derive(ActionParams)]` struct; both errors are at the type.
use charm_runtime::prelude::*;

#[derive(ActionParams)]
struct Backup {
    target: std::path::PathBuf,
    #[param(default = 3)]
    retries: u32,
}

struct NotParams;

#[derive(Default)]
struct Demo;

#[charm(name = "demo", summary = "Demo", description = "Demo.")]
#[action("backup", params = Backup)]
#[action("verify", params = NotParams)]
impl Demo {}

fn main() {}
