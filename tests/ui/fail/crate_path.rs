//! `crate = ...` must be a module path; each mistake is reported at the value, or at the
//! key when it is in the wrong place.
use charm_runtime::prelude::*;

#[json_value(crate = "not a path")]
struct Stats {
    starts: u32,
}

#[derive(Databag)]
#[databag(crate = 42)]
struct PeerData {
    #[databag(crate = "charm_runtime")]
    ready: bool,
}

#[derive(CharmConfig)]
#[config(crate = "")]
#[config(name = "port")]
struct Config {
    #[config(default = 1)]
    port: u16,
}

#[derive(Default)]
struct Demo;

#[charm(name = "demo", summary = "Demo", description = "Demo.", crate = "rt::<T>")]
impl Demo {}

fn main() {}
