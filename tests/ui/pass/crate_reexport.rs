//! `crate = "..."` on every macro: the runtime reached only through paths of this crate.
//! `facade` has nothing but `__private`, so a generated path that named any other runtime
//! item (`<crate>::Charm`, `<crate>::metadata::...`) would not resolve; `#[json_value]`
//! points serde's own derives there too (this crate has no serde dependency). A second
//! charm reaches the runtime through a re-exported crate, written as a string.

mod facade {
    /// The runtime's support module, and nothing else.
    pub mod __private {
        pub use charm_runtime::__private::*;
    }
}

mod reexport {
    pub use charm_runtime;
}

use reexport::charm_runtime::{charm, json_value, ActionParams, CharmConfig, Databag, Model};

#[json_value(crate = "facade")]
#[derive(Debug, Clone, PartialEq)]
struct Stats {
    starts: u32,
}

#[derive(Databag, Debug, PartialEq)]
#[databag(crate = "facade")]
struct PeerData {
    stats: Option<Stats>,
    ready: bool,
    #[databag(raw)]
    host: String,
}

#[derive(ActionParams, Debug, PartialEq)]
#[param(crate = "facade")]
struct Go {
    #[param(default = true)]
    fast: bool,
}

#[derive(CharmConfig, Debug, PartialEq)]
#[config(crate = facade)]
struct Config {
    /// The port.
    #[config(default = 8000)]
    port: u16,
}

#[derive(Default)]
struct Viaduct;

#[charm(
    name = "viaduct",
    summary = "Reached through a facade",
    description = "Every generated path goes through facade::__private.",
    config = Config,
    crate = "facade",
)]
#[peer("replicas", interface = "viaduct_peers")]
#[container("web")]
#[storage("data", location = "/data")]
#[action("go", params = Go)]
impl Viaduct {
    #[on(start, relation_changed("replicas"), pebble_ready("web"), storage_attached("data"))]
    fn reconcile(&self, _model: &mut Model) {}

    #[on(secret_changed, action("go"))]
    fn go(&mut self, _model: &mut Model) -> reexport::charm_runtime::Result<()> {
        Ok(())
    }
}

#[derive(Default)]
struct Aliased;

#[charm(
    name = "aliased",
    summary = "Reached through a re-exported crate",
    description = "The path is written as a string.",
    crate = "reexport::charm_runtime"
)]
impl Aliased {
    #[on(install)]
    fn install(&self, _model: &mut Model) {}
}

fn main() {
    use reexport::charm_runtime::serde_json;
    use reexport::charm_runtime::{ActionParams, Charm};

    let data = PeerData {
        stats: Some(Stats { starts: 3 }),
        ready: true,
        host: "10.0.0.1".into(),
    };
    let bag = data.to_bag().unwrap();
    assert_eq!(bag["stats"], r#"{"starts": 3}"#);
    assert_eq!(bag["host"], "10.0.0.1");
    assert_eq!(PeerData::from_bag(&bag).unwrap(), data);

    let options = Config::options();
    assert_eq!(options[0].name, "port");
    assert_eq!(options[0].description.as_deref(), Some("The port."));
    let values = serde_json::json!({"port": 8080});
    let config = Config::from_config(values.as_object().unwrap()).unwrap();
    assert_eq!(config, Config { port: 8080 });

    let meta = Viaduct::metadata();
    assert_eq!(meta.name, "viaduct");
    assert_eq!(meta.config[0].name, "port");
    assert_eq!(meta.peers[0].name, "replicas");
    assert_eq!(meta.actions[0].params[0].name, "fast");
    let values = serde_json::json!({});
    assert_eq!(
        Go::from_params(values.as_object().unwrap()).unwrap(),
        Go { fast: true }
    );
    assert_eq!(Viaduct::ENDPOINTS, [Viaduct::REPLICAS.declared()]);
    let names: Vec<&str> = Viaduct::HANDLERS.iter().map(|h| h.name).collect();
    assert_eq!(names, ["reconcile", "go"]);
    assert_eq!(Viaduct::HANDLERS[0].on.len(), 4);

    assert_eq!(Aliased::metadata().name, "aliased");
    assert_eq!(Aliased::HANDLERS[0].name, "install");
}
