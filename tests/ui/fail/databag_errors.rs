//! Databag derive errors: duplicate keys, unknown keys, non-struct inputs.
use charm_runtime::prelude::*;

#[derive(Databag)]
struct Bag {
    address: String,
    #[databag(rename = "address")]
    other: String,
    #[databag(renam = "x")]
    typo: u32,
}

#[derive(Databag)]
struct Tuple(u32);

fn main() {}
