//! Juju does not send unset options: a field without default must be an Option.
use charm_runtime::prelude::*;

#[derive(CharmConfig)]
struct Config {
    /// The port.
    server_port: u16,
    #[config(name = "Log Level", default = "info")]
    level: String,
    #[config(defualt = 1)]
    retries: Option<u32>,
}

fn main() {}
