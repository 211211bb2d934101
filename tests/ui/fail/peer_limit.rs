//! `limit` is for requires and provides endpoints: a peer relation always holds every unit.
use charm_runtime::prelude::*;

#[derive(Default)]
struct Demo;

#[charm(name = "demo", summary = "Demo", description = "Demo.")]
#[peer("replicas", interface = "demo_peers", limit = 1)]
impl Demo {}

fn main() {}
