//! `juju run` (an action) and `juju exec`.

use super::format::task::{self, TaskResult};
use super::format::{self, Format};
use super::home::Home;
use super::opts::ModelOpt;
use super::outcome::{unsupported, Failed, Outcome};
use super::{sim_access, snapshot};
use crate::error::Error;
use crate::sim::api;
use clap::Args;

/// `juju run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The unit (`app/0` or `app/leader`)
    #[arg(value_name = "UNIT")]
    pub unit: String,
    /// The action
    #[arg(value_name = "ACTION NAME")]
    pub action: String,
    /// Action parameters, key=value (values parsed as YAML)
    #[arg(value_name = "KEY=VALUE")]
    pub params_kv: Vec<String>,
    /// Path to yaml-formatted params file
    #[arg(long, value_name = "FILE")]
    pub params: Option<String>,
    /// Use raw string values of CLI args
    #[arg(long)]
    pub string_args: bool,
    /// Specify output format (json|plain|yaml)
    #[arg(long, value_name = "FORMAT", default_value = "plain")]
    pub format: String,
    /// Maximum wait time for a task to complete
    #[arg(long, value_name = "DURATION")]
    pub wait: Option<String>,
    /// Run the task in the background
    #[arg(long)]
    pub background: bool,
    /// Show times in UTC
    #[arg(long)]
    pub utc: bool,
    /// Disable ANSI color codes in output
    #[arg(long)]
    pub no_color: bool,
    /// Use ANSI color codes in output
    #[arg(long)]
    pub color: bool,
    /// Which model.
    #[command(flatten)]
    pub model: ModelOpt,
}

/// `juju exec`.
#[derive(Debug, Args)]
pub struct ExecArgs {
    /// One or more unit names
    #[arg(short = 'u', long = "unit", value_name = "UNIT")]
    pub unit: Vec<String>,
    /// One or more application names
    #[arg(short = 'a', long = "application", value_name = "APP")]
    pub application: Vec<String>,
    /// One or more machine ids
    #[arg(long = "machine", value_name = "MACHINE")]
    pub machine: Vec<String>,
    /// Run the commands on all the machines
    #[arg(long)]
    pub all: bool,
    /// Specify output format (json|plain|yaml)
    #[arg(long, value_name = "FORMAT", default_value = "plain")]
    pub format: String,
    /// Maximum wait time for a task to complete
    #[arg(long, value_name = "DURATION")]
    pub wait: Option<String>,
    /// Run the task in the background
    #[arg(long)]
    pub background: bool,
    /// Which model.
    #[command(flatten)]
    pub model: ModelOpt,
    /// The command to run
    #[arg(
        value_name = "COMMAND",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub command: Vec<String>,
}

/// `--params FILE` and `key=value` arguments, as `juju run` parses them: the file's YAML
/// map overridden by the arguments (YAML values, dotted keys as nested maps; raw strings
/// with `--string-args`).
fn params(a: &RunArgs) -> Result<serde_json::Map<String, serde_json::Value>, Error> {
    let kv: Vec<String> = if a.string_args {
        a.params_kv
            .iter()
            .map(|kv| match kv.split_once('=') {
                // A YAML single-quoted string is the raw text.
                Some((k, v)) => format!("{k}='{}'", v.replace('\'', "''")),
                None => kv.clone(),
            })
            .collect()
    } else {
        a.params_kv.clone()
    };
    match &a.params {
        Some(file) => {
            // The simulator's API takes the file's text (its `file` parameter).
            let text = std::fs::read_to_string(file)
                .map_err(|e| Error::msg(format!("reading params file {file:?}: {e}")))?;
            api::parse_params_with_file(&text, &kv)
        }
        None => api::parse_params(&kv),
    }
}

pub fn run(home: &Home, a: RunArgs) -> Outcome {
    let format = Format::parse(&a.format, &["plain"])?;
    if a.background && a.wait.is_some() {
        return Err(Error::msg("cannot specify both --wait and --background").into());
    }
    if a.background {
        return Err(unsupported("run --background", "actions run to completion").into());
    }
    let rec = home.resolve(a.model.model.as_deref())?;
    let dir = sim_access::dir(home, &rec)?;
    let params = params(&a)?;
    let ran = api::run_action(&dir, &a.unit, &a.action, params)?;
    let unit = ran.unit.clone();
    let t = snapshot::task(&ran);
    eprintln!("Running operation {} with 1 task", t.id);
    eprintln!("  - task {} on unit-{}", t.id, unit.replace('/', "-"));
    eprintln!();
    eprintln!("Waiting for task {}...", t.id);
    print_tasks(&[t], format)
}

/// Prints the results, then fails as Juju does when a task exited non-zero.
fn print_tasks(tasks: &[TaskResult], format: Format) -> Outcome {
    let value = task::tasks_value(tasks);
    match format::machine(&value, format) {
        Some(out) => print!("{out}"),
        None => {
            for t in tasks {
                print!("{}", task::plain(t));
            }
        }
    }
    let failed: Vec<(String, i32)> = tasks
        .iter()
        .filter(|t| t.return_code != 0)
        .map(|t| (t.id.clone(), t.return_code))
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Failed {
            message: task::failed_error(&failed),
            code: 1,
        })
    }
}

pub fn exec(home: &Home, a: ExecArgs) -> Outcome {
    let format = Format::parse(&a.format, &["plain"])?;
    if a.command.is_empty() {
        return Err(Error::usage("no commands specified").into());
    }
    if !a.machine.is_empty() || a.all {
        return Err(
            Error::msg("--all and --machine are not supported on Kubernetes models").into(),
        );
    }
    if a.unit.is_empty() && a.application.is_empty() {
        return Err(Error::usage(
            "You must specify a target, either through --all, --machine, --application or --unit",
        )
        .into());
    }
    if a.background && a.wait.is_some() {
        return Err(Error::msg("cannot specify both --wait and --background").into());
    }
    if a.background {
        return Err(unsupported("exec --background", "commands run to completion").into());
    }
    let rec = home.resolve(a.model.model.as_deref())?;
    let dir = sim_access::dir(home, &rec)?;
    // Juju joins the arguments with spaces and runs them as shell text.
    let commands = a.command.join(" ");
    let mut units = Vec::new();
    for u in split_list(&a.unit) {
        units.push(api::resolve_unit(&dir, &u)?);
    }
    for app in split_list(&a.application) {
        units.extend(api::units_of(&dir, &app)?);
    }
    let mut tasks = Vec::new();
    for unit in &units {
        let ran = api::exec(&dir, unit, &commands)?;
        tasks.push(snapshot::task(&ran));
    }
    match (format, tasks.as_slice()) {
        // One unit in the default format: its output as the command wrote it.
        (Format::Human, [t]) => {
            print!("{}", t.stdout);
            eprint!("{}", t.stderr);
            if t.return_code == 0 {
                Ok(())
            } else {
                Err(Failed {
                    message: task::failed_error(&[(t.id.clone(), t.return_code)]),
                    code: 1,
                })
            }
        }
        _ => print_tasks(&tasks, format),
    }
}

/// `--unit a/0,a/1 --unit b/0`: Juju's string-list flags take comma-separated values.
fn split_list(values: &[String]) -> Vec<String> {
    values
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}
