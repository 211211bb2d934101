//! Malformed sibling attributes: a missing name, bad enumerated values, keys that do not
//! apply to the resource kind, and `#[on]` on something other than a method.
use charm_runtime::prelude::*;

#[derive(Default)]
struct Demo;

#[charm(
    name = "demo",
    summary = "Demo",
    description = "Demo.",
    platforms("amd46"),
    base = "jammy"
)]
#[peer]
#[requires(name = "database", interface = "postgresql_client")]
#[provides("website", interface = "http", scope = "local")]
#[storage("data", kind = "tape")]
#[resource("blob", upstream_source = "ghcr.io/x:1")]
#[resource("image", kind = "oci-image", filename = "x.tar")]
#[action("backup", params)]
impl Demo {
    #[on(start)]
    const LIMIT: u32 = 1;
}

fn main() {}
