//! `#[on]` only means something inside a `#[charm]` impl block.
use charm_runtime::prelude::*;

#[derive(Default)]
struct Demo;

impl Demo {
    #[on(start)]
    fn start(&self) {}
}

fn main() {}
