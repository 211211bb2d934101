//! Databag field types: a JSON field's type must be serde-ready (`#[json_value]` makes it
//! so), a raw field's must parse from and print to its string; each error is at the field.
use charm_runtime::prelude::*;

#[derive(Debug, Default)]
struct Stats {
    starts: u32,
}

#[derive(Databag)]
struct PeerData {
    stats: Option<Stats>,
    count: u32,
}

#[derive(Databag)]
#[databag(raw)]
struct Provider {
    endpoints: Option<String>,
    #[databag(json)]
    extra: Vec<u32>,
    pairs: Vec<String>,
}

fn main() {}
