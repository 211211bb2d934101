//! A default literal of the wrong kind or out of range, reported at the literal.
use charm_runtime::prelude::*;

#[derive(CharmConfig)]
struct Config {
    #[config(default = "8000")]
    port: u16,
    #[config(default = -1)]
    workers: u32,
    #[config(default = 70000)]
    small: u16,
    #[config(default = 1)]
    debug: bool,
    #[config(default = 1.5)]
    name: String,
    #[config(default = "fast")]
    ratio: f64,
    #[config(default = true)]
    greeting: Option<String>,
}

fn main() {}
