//! A misspelled key is reported with the closest key; a duplicate key at the repeat.
use charm_runtime::prelude::*;

#[derive(Default)]
struct Demo;

#[charm(name = "demo", summmary = "Demo", description = "Demo.")]
impl Demo {}

#[derive(Default)]
struct Other;

#[charm(
    name = "other",
    name = "again",
    summary = "Other",
    description = "Other."
)]
#[requires("database", interface = "postgresql_client", limt = 1)]
impl Other {}

fn main() {}
