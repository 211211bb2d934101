//! A handler may return `anyhow::Result<()>` and use `anyhow::Context`: the failed dispatch
//! reports anyhow's whole context chain. The charm needs no other error type.

use anyhow::Context as _;
use charm_runtime::hooktools::{HookTools, ToolCall, ToolError};
use charm_runtime::prelude::{charm, Model};
use charm_runtime::{dispatch, HookEnv, Outcome};

#[derive(Default)]
struct Demo;

#[charm(name = "demo", summary = "Demo", description = "Demo.")]
impl Demo {
    #[on(start)]
    fn start(&self, model: &mut Model) -> anyhow::Result<()> {
        let port: u16 = "eighty"
            .parse()
            .with_context(|| format!("parsing the port of {}", model.event().hook_name()))?;
        anyhow::ensure!(port > 0, "port 0");
        Ok(())
    }
}

/// Hook tools that answer every call with empty output.
struct Tools;

impl HookTools for Tools {
    fn call(&mut self, _call: &ToolCall) -> Result<String, ToolError> {
        Ok(String::new())
    }
}

fn main() {
    let vars = [
        ("JUJU_UNIT_NAME", "demo/0"),
        ("JUJU_MODEL_NAME", "m"),
        ("JUJU_MODEL_UUID", "u"),
        ("JUJU_VERSION", "3.6.0"),
        ("JUJU_DISPATCH_PATH", "hooks/start"),
    ];
    let env = HookEnv::from_vars(|k| {
        vars.iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.to_string())
    })
    .unwrap()
    .unwrap();
    let Outcome::Failed(err) = dispatch::<Demo>(&env, &mut Tools) else {
        panic!("expected the handler's error")
    };
    let text = err.to_string();
    assert!(
        text.ends_with("parsing the port of start: invalid digit found in string"),
        "{text}"
    );
    assert!(text.contains("handler `start`"), "{text}");
}
