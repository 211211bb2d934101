//! For types without a known literal form, rustc checks the default; the mismatch points
//! at the literal.
use charm_runtime::config::SecretUri;
use charm_runtime::prelude::*;

#[derive(CharmConfig)]
struct Config {
    #[config(default = "secret:abc")]
    api_key: SecretUri,
}

fn main() {}
