//! Action parameters: unsupported types, defaults of the wrong type, bad grammar.
use charm_runtime::prelude::*;

#[derive(Default)]
struct Demo;

#[charm(name = "demo", summary = "Demo", description = "Demo.")]
#[action("backup", param(target: Vec<String>), param(force: bool = "yes"), param(level: Option<u8> = 3))]
#[action("restore", param(id: String, descrption = "x"))]
impl Demo {}

fn main() {}
