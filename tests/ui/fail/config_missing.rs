//! Config joined by type: `model.config()` returns the charm's `config = ...` type; a charm
//! that forgot `config =` has none, and the call does not compile.
use charm_runtime::prelude::*;

#[derive(CharmConfig)]
struct Config {
    /// The port.
    #[config(default = 8000)]
    port: u16,
}

#[derive(Default)]
struct Demo;

#[charm(name = "demo", summary = "Demo", description = "Demo.")]
impl Demo {
    #[on(config_changed)]
    fn configure(&self, model: &mut Model) -> Result<()> {
        let config = model.config()?;
        model.set_ports(&[Port::Tcp(config.port)])?;
        Ok(())
    }
}

fn main() {}
