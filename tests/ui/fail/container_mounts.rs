//! `#[container(..., mounts(storage = ..., location = ...))]`: a mount names a declared
//! storage, once per container, at an absolute path.
use charm_runtime::prelude::*;

#[derive(Default)]
struct Demo;

#[charm(name = "demo", summary = "Demo", description = "Demo.")]
#[storage("data", location = "/data")]
#[container(
    "web",
    mounts(storage = "dta", location = "/var/lib/app"),
    mounts(storage = "data", location = "var/lib/app"),
    mounts(storage = "data"),
    mounts(location = "/tmp"),
    mounts(storage = "data", path = "/x")
)]
impl Demo {}

fn main() {}
