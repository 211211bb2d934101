//! `#[charm]` goes on an inherent, non-generic impl block.
use charm_runtime::prelude::*;

#[derive(Default)]
struct Demo;

#[charm(name = "demo", summary = "Demo", description = "Demo.")]
struct NotAnImpl;

#[charm(name = "demo", summary = "Demo", description = "Demo.")]
impl Clone for Demo {
    fn clone(&self) -> Self {
        Demo
    }
}

#[derive(Default)]
struct Generic<T>(T);

#[charm(name = "generic", summary = "Generic", description = "Generic.")]
impl<T> Generic<T> {}

fn main() {}
