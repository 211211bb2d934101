//! Model commands: `add-model`, `models`, `destroy-model`, `switch`, `show-model`,
//! `set-model-constraints`, `model-constraints`, and `version`.

use super::format::model::{binary_version, ModelInfo, ModelList, ModelUser, VersionDetail};
use super::format::status::StatusInfo;
use super::format::{self, tabular, time, Format};
use super::home::{self, Home, ModelRecord, CONTROLLER};
use super::opts::ModelOpt;
use super::snapshot::CLOUD;
use crate::error::{Error, Result};
use crate::fsutil;
use crate::sim::model::JUJU_VERSION;
use clap::Args;
use std::collections::BTreeMap;
use std::io::BufRead;

/// The controller's UUID (one simulated controller).
const CONTROLLER_UUID: &str = "00000000-0000-4000-8000-00000000c0de";

/// `juju version`.
#[derive(Debug, Args)]
pub struct VersionArgs {
    /// Prints all version information
    #[arg(long)]
    pub all: bool,
    /// Specify output format (json|smart|yaml)
    #[arg(long, value_name = "FORMAT", default_value = "smart")]
    pub format: String,
}

/// `juju add-model`.
#[derive(Debug, Args)]
pub struct AddModelArgs {
    /// The model's name
    #[arg(value_name = "MODEL NAME")]
    pub name: String,
    /// Cloud or cloud/region (the simulator has one: local/k8s)
    #[arg(value_name = "CLOUD/REGION")]
    pub cloud: Option<String>,
    /// Do not switch to the newly created model
    #[arg(long)]
    pub no_switch: bool,
    /// Controller to operate in
    #[arg(short = 'c', long, value_name = "CONTROLLER")]
    pub controller: Option<String>,
    /// Credential used to add the model
    #[arg(long, value_name = "CREDENTIAL")]
    pub credential: Option<String>,
    /// Path to YAML model configuration file or individual options (--config config.yaml [--config key=value ...])
    #[arg(long, value_name = "KEY=VALUE")]
    pub config: Vec<String>,
    /// Do not use web browser for authentication
    #[arg(short = 'B', long = "no-browser-login")]
    pub no_browser_login: bool,
}

/// `juju models`.
#[derive(Debug, Args)]
pub struct ModelsArgs {
    /// Specify output format (json|tabular|yaml)
    #[arg(long, value_name = "FORMAT", default_value = "tabular")]
    pub format: String,
    /// Controller to operate in
    #[arg(short = 'c', long, value_name = "CONTROLLER")]
    pub controller: Option<String>,
    /// Lists all models, regardless of user accessibility (administrative users only)
    #[arg(long)]
    pub all: bool,
    /// Only display model UUIDs
    #[arg(long)]
    pub uuid: bool,
}

/// `juju destroy-model`.
#[derive(Debug, Args)]
pub struct DestroyModelArgs {
    /// The model
    #[arg(value_name = "MODEL NAME")]
    pub model: String,
    /// Do not ask for confirmation
    #[arg(long, visible_short_alias = 'y')]
    pub no_prompt: bool,
    /// Destroy all storage instances in the model
    #[arg(long)]
    pub destroy_storage: bool,
    /// Release all storage instances from the model, and management of the controller, without destroying them
    #[arg(long)]
    pub release_storage: bool,
    /// Force destroy model ignoring any errors
    #[arg(long)]
    pub force: bool,
    /// Rush through model destruction without waiting for each individual step to complete
    #[arg(long)]
    pub no_wait: bool,
    /// Timeout for each step of force model destruction
    #[arg(long, value_name = "DURATION")]
    pub timeout: Option<String>,
}

/// `juju switch`.
#[derive(Debug, Args)]
pub struct SwitchArgs {
    /// The model to switch to
    #[arg(value_name = "MODEL")]
    pub model: Option<String>,
}

/// `juju show-model`.
#[derive(Debug, Args)]
pub struct ShowModelArgs {
    /// The model [default: the current one]
    #[arg(id = "model_name", value_name = "MODEL NAME")]
    pub model: Option<String>,
    /// Specify output format (json|yaml)
    #[arg(long, value_name = "FORMAT", default_value = "yaml")]
    pub format: String,
    /// Which model.
    #[command(flatten)]
    pub opt: ModelOpt,
}

/// `juju set-model-constraints`.
#[derive(Debug, Args)]
pub struct SetConstraintsArgs {
    /// Constraints
    #[arg(value_name = "CONSTRAINT=VALUE", required = true)]
    pub constraints: Vec<String>,
    /// Which model.
    #[command(flatten)]
    pub opt: ModelOpt,
}

/// `juju model-constraints`.
#[derive(Debug, Args)]
pub struct GetConstraintsArgs {
    /// Specify output format (constraints|json|yaml)
    #[arg(long, value_name = "FORMAT", default_value = "constraints")]
    pub format: String,
    /// Which model.
    #[command(flatten)]
    pub opt: ModelOpt,
}

pub fn add_model(home: &Home, a: AddModelArgs) -> Result<()> {
    home::check_name(&a.name)?;
    if let Some(c) = &a.controller {
        if c != CONTROLLER {
            return Err(Error::msg(format!(
                "controller {c} not found (the simulator's controller is {CONTROLLER})"
            )));
        }
    }
    if home.record(&a.name)?.is_some() {
        return Err(Error::msg(format!(
            "failed to create new model: model \"{}\" for admin already exists (already exists)",
            a.name
        )));
    }
    let mut config = BTreeMap::new();
    for c in &a.config {
        match c.split_once('=') {
            Some((k, v)) => {
                config.insert(k.to_string(), v.to_string());
            }
            None => {
                let text = std::fs::read_to_string(c)
                    .map_err(|e| Error::msg(format!("reading model config {c:?}: {e}")))?;
                let values: BTreeMap<String, serde_yaml::Value> = serde_yaml::from_str(&text)
                    .map_err(|e| Error::msg(format!("model config {c:?}: {e}")))?;
                for (k, v) in values {
                    let s = match v {
                        serde_yaml::Value::String(s) => s,
                        other => format::yaml(&other).trim_end().to_string(),
                    };
                    config.insert(k, s);
                }
            }
        }
    }
    crate::sim::api::create_model(&home.state_dir(&a.name), &a.name)?;
    let rec = ModelRecord {
        name: a.name.clone(),
        uuid: fsutil::uuid4(),
        created: fsutil::now_secs(),
        constraints: BTreeMap::new(),
        config,
    };
    home.save(&rec)?;
    if !a.no_switch {
        home.set_current(&a.name)?;
    }
    eprintln!(
        "Added '{}' model on {}/{} with credential 'admin' for user 'admin'",
        a.name, CLOUD.0, CLOUD.1
    );
    Ok(())
}

fn model_info(home: &Home, rec: &ModelRecord) -> ModelInfo {
    let _ = home;
    ModelInfo {
        name: format!("admin/{}", rec.name),
        short_name: rec.name.clone(),
        model_uuid: rec.uuid.clone(),
        model_type: "caas".into(),
        controller_uuid: CONTROLLER_UUID.into(),
        controller_name: CONTROLLER.into(),
        is_controller: false,
        owner: "admin".into(),
        cloud: CLOUD.0.into(),
        region: CLOUD.1.into(),
        provider_type: "kubernetes".into(),
        life: "alive".into(),
        status: StatusInfo {
            current: "available".into(),
            since: time::since(rec.created),
            ..StatusInfo::default()
        },
        users: BTreeMap::from([(
            "admin".to_string(),
            ModelUser {
                access: "admin".into(),
                last_connection: "just now".into(),
            },
        )]),
        agent_version: JUJU_VERSION.into(),
    }
}

pub fn models(home: &Home, a: ModelsArgs) -> Result<()> {
    let format = Format::parse(&a.format, &["tabular"])?;
    let records = home.models()?;
    let current = home.current()?.unwrap_or_default();
    if a.uuid {
        for r in &records {
            println!("{}", r.uuid);
        }
        return Ok(());
    }
    let list = ModelList {
        models: records.iter().map(|r| model_info(home, r)).collect(),
        current_model: current.clone(),
    };
    if let Some(out) = format::machine(&list, format) {
        print!("{out}");
        return Ok(());
    }
    let mut rows = vec![[
        "Model",
        "Cloud/Region",
        "Type",
        "Status",
        "Units",
        "Access",
        "Last connection",
    ]
    .map(String::from)
    .to_vec()];
    for r in &records {
        let marker = if r.name == current { "*" } else { "" };
        let units = crate::sim::api::status(&home.state_dir(&r.name))
            .map_or(0, |s| s.apps.iter().map(|a| a.scale).sum());
        rows.push(vec![
            format!("{}{marker}", r.name),
            format!("{}/{}", CLOUD.0, CLOUD.1),
            "kubernetes".into(),
            "available".into(),
            if units == 0 {
                "-".into()
            } else {
                units.to_string()
            },
            "admin".into(),
            "just now".into(),
        ]);
    }
    print!(
        "Controller: {CONTROLLER}\n\n{}",
        tabular::table(&rows, &[4])
    );
    Ok(())
}

pub fn destroy_model(home: &Home, a: DestroyModelArgs) -> Result<()> {
    let name = home::short_name(&a.model).to_string();
    if home.record(&name)?.is_none() {
        return Err(Error::msg(format!(
            "model {CONTROLLER}:admin/{name} not found"
        )));
    }
    if a.destroy_storage && a.release_storage {
        return Err(Error::usage(
            "--destroy-storage and --release-storage cannot both be specified",
        ));
    }
    if !a.no_prompt {
        eprint!(
            "\nWARNING This command will destroy the \"{name}\" model and affect the following resources.\n\nTo continue, enter the name of the model to be unregistered: "
        );
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        if line.trim() != name {
            return Err(Error::msg("model destruction: aborted"));
        }
    }
    eprintln!("Destroying model");
    crate::sim::api::destroy(&home.state_dir(&name))?;
    home.remove(&name)?;
    eprintln!("Model destroyed.");
    Ok(())
}

pub fn switch(home: &Home, a: SwitchArgs) -> Result<()> {
    let Some(m) = a.model else {
        let current = home
            .current()?
            .ok_or_else(|| Error::msg("no currently specified model"))?;
        println!("{CONTROLLER}:admin/{current}");
        return Ok(());
    };
    let name = home::short_name(&m).to_string();
    if home.record(&name)?.is_none() {
        return Err(Error::msg(format!(
            "model {CONTROLLER}:admin/{name} not found"
        )));
    }
    let before = home.current()?;
    home.set_current(&name)?;
    let from = before.map_or(format!("{CONTROLLER} (controller)"), |b| {
        format!("{CONTROLLER}:admin/{b}")
    });
    eprintln!("{from} -> {CONTROLLER}:admin/{name}");
    Ok(())
}

pub fn show_model(home: &Home, a: ShowModelArgs) -> Result<()> {
    let format = Format::parse(&a.format, &[])?;
    let rec = home.resolve(a.model.as_deref().or(a.opt.model.as_deref()))?;
    let map = BTreeMap::from([(rec.name.clone(), model_info(home, &rec))]);
    print!(
        "{}",
        format::machine(&map, format).unwrap_or_else(|| format::yaml(&map))
    );
    Ok(())
}

pub fn set_constraints(home: &Home, a: SetConstraintsArgs) -> Result<()> {
    let mut rec = home.resolve(a.opt.model.as_deref())?;
    for c in a.constraints.iter().flat_map(|c| c.split_whitespace()) {
        let (k, v) = c.split_once('=').ok_or_else(|| {
            Error::msg(format!(
                "malformed constraint {c:?}: expected \"name=value\""
            ))
        })?;
        rec.constraints.insert(k.to_string(), v.to_string());
    }
    home.save(&rec)
}

pub fn get_constraints(home: &Home, a: GetConstraintsArgs) -> Result<()> {
    let format = Format::parse(&a.format, &["constraints"])?;
    let rec = home.resolve(a.opt.model.as_deref())?;
    let typed: BTreeMap<&str, serde_json::Value> = rec
        .constraints
        .iter()
        .map(|(k, v)| {
            let value = v
                .parse::<u64>()
                .map(serde_json::Value::from)
                .unwrap_or_else(|_| serde_json::Value::from(v.as_str()));
            (k.as_str(), value)
        })
        .collect();
    match format::machine(&typed, format) {
        Some(out) => print!("{out}"),
        None => {
            let line: Vec<String> = rec
                .constraints
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            println!("{}", line.join(" "));
        }
    }
    Ok(())
}

pub fn version(a: &VersionArgs) -> Result<()> {
    let format = Format::parse(&a.format, &["smart"])?;
    let version = binary_version(JUJU_VERSION);
    if !a.all && format == Format::Human {
        println!("{version}");
        return Ok(());
    }
    let detail = VersionDetail {
        version,
        compiler: "cargo-charm".into(),
        official: false,
    };
    if a.all {
        print!(
            "{}",
            format::machine(&detail, format).unwrap_or_else(|| format::yaml(&detail))
        );
    } else {
        print!(
            "{}",
            format::machine(&detail.version, format).unwrap_or_default()
        );
    }
    Ok(())
}
