//! `name`, `summary` and `description` are required; all three are reported at once.
use charm_runtime::prelude::*;

#[derive(Default)]
struct Demo;

#[charm(title = "Demo")]
impl Demo {}

fn main() {}
