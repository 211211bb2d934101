//! An endpoint needs an interface.
use charm_runtime::prelude::*;

#[derive(Default)]
struct Demo;

#[charm(name = "demo", summary = "Demo", description = "Demo.")]
#[requires("database", limit = 1)]
impl Demo {}

fn main() {}
