//! charmcraft allows at most 78 characters of summary, on one line.
use charm_runtime::prelude::*;

#[derive(Default)]
struct Demo;

#[charm(
    name = "demo",
    summary = "A demo charm whose summary goes on and on, well past what charmcraft accepts here",
    description = "Demo."
)]
impl Demo {}

#[derive(Default)]
struct Other;

#[charm(name = "other", summary = "Two\nlines", description = "")]
impl Other {}

fn main() {}
