//! The `juju` command line, declared with clap's derive as Juju 3.6 takes it: flags after
//! the subcommand (`juju status --model m --format json`), `-m`/`--model` on every command
//! that works on a model, `--format json|yaml|...` where Juju has it, `--flag=value` and
//! `--flag value` alike. Each command's arguments live in its command group's module.
//!
//! The doc comments of the commands and options are their `--help` text.
#![allow(rustdoc::invalid_html_tags, rustdoc::broken_intra_doc_links)]

use super::{action, application, logs, models, secrets, status};
use clap::{Args, Parser, Subcommand};

/// juju (cargo charm's simulator): a local, simulated Juju model behind the juju CLI.
#[derive(Debug, Parser)]
#[command(
    name = "juju",
    bin_name = "juju",
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_required = true,
    arg_required_else_help = true
)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: Global,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Juju's logging options (accepted everywhere; the simulator's commands log nothing).
#[derive(Debug, Clone, Args)]
pub struct Global {
    /// Equivalent to --show-log --logging-config=<root>=DEBUG
    #[arg(long, global = true)]
    pub debug: bool,
    /// Show more verbose output
    #[arg(long, global = true)]
    pub verbose: bool,
    /// Show no informational output
    #[arg(long, global = true)]
    pub quiet: bool,
    /// If set, write the log file to stderr
    #[arg(long, global = true)]
    pub show_log: bool,
    /// Specify log levels for modules
    #[arg(long, global = true, value_name = "CONFIG")]
    pub logging_config: Option<String>,
}

/// `juju <command>`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Adds a workload model.
    AddModel(models::AddModelArgs),
    /// Lists models a user can access on a controller.
    #[command(alias = "list-models")]
    Models(models::ModelsArgs),
    /// Terminate all machines/containers and resources for a non-controller model.
    DestroyModel(models::DestroyModelArgs),
    /// Selects or identifies the current controller and model.
    Switch(models::SwitchArgs),
    /// Shows information about the current or specified model.
    ShowModel(models::ShowModelArgs),
    /// Sets machine constraints on a model.
    SetModelConstraints(models::SetConstraintsArgs),
    /// Displays machine constraints for a model.
    #[command(alias = "get-model-constraints")]
    ModelConstraints(models::GetConstraintsArgs),
    /// Deploys a new application or bundle.
    Deploy(application::DeployArgs),
    /// Adds one or more units to a deployed application.
    AddUnit(application::AddUnitArgs),
    /// Remove application units from the model.
    RemoveUnit(application::RemoveUnitArgs),
    /// Gets, sets, or resets configuration for a deployed application.
    Config(application::ConfigArgs),
    /// Refresh an application's charm.
    #[command(alias = "upgrade-charm")]
    Refresh(application::RefreshArgs),
    /// Integrate two applications.
    #[command(alias = "relate")]
    Integrate(application::IntegrateArgs),
    /// Removes an existing relation between two applications.
    RemoveRelation(application::IntegrateArgs),
    /// Remove applications from the model.
    RemoveApplication(application::RemoveApplicationArgs),
    /// Marks unit errors resolved and re-executes failed hooks.
    #[command(alias = "resolved")]
    Resolve(application::ResolveArgs),
    /// Report the status of the model, its machines, applications and units.
    Status(status::StatusArgs),
    /// Displays information about a unit.
    ShowUnit(status::ShowUnitArgs),
    /// Run an action on a specified unit.
    Run(action::RunArgs),
    /// Run the commands on the remote targets specified.
    Exec(action::ExecArgs),
    /// Shows details for a specific secret.
    ShowSecret(secrets::ShowSecretArgs),
    /// Lists secrets available in the model.
    #[command(alias = "list-secrets")]
    Secrets(secrets::SecretsArgs),
    /// Displays log messages for a model.
    DebugLog(logs::DebugLogArgs),
    /// Print the Juju CLI client version.
    Version(models::VersionArgs),
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_interface_is_consistent() {
        Cli::command().debug_assert();
    }

    fn parse(s: &[&str]) -> Command {
        let argv = std::iter::once("juju").chain(s.iter().copied());
        Cli::try_parse_from(argv).unwrap().command
    }

    #[test]
    fn jubilant_argument_orders() {
        // jubilant inserts `--model M` right after the command.
        let Command::Deploy(d) = parse(&[
            "deploy",
            "--model",
            "m",
            "./x.charm",
            "app",
            "--num-units",
            "2",
            "--resource",
            "img=r:1",
            "--config",
            "a=1",
            "--trust",
        ]) else {
            panic!("not deploy")
        };
        assert_eq!(d.model.model.as_deref(), Some("m"));
        assert_eq!(d.charm, "./x.charm");
        assert_eq!(d.app.as_deref(), Some("app"));
        assert_eq!(d.num_units, 2);
        assert!(d.trust);
        let Command::Run(r) = parse(&[
            "run",
            "--model",
            "m",
            "--format",
            "json",
            "a/leader",
            "act",
            "--wait",
            "60.0s",
            "--params",
            "/tmp/p.yaml",
        ]) else {
            panic!("not run")
        };
        assert_eq!(r.unit, "a/leader");
        assert_eq!(r.params.as_deref(), Some("/tmp/p.yaml"));
        let Command::Config(c) = parse(&["config", "-m", "m", "app", "a=1", "--reset", "b,c"])
        else {
            panic!("not config")
        };
        assert_eq!(c.args, ["app", "a=1"]);
        assert_eq!(c.reset, ["b,c"]);
        let Command::Status(s) = parse(&["status", "--format=json", "--model", "m"]) else {
            panic!("not status")
        };
        assert_eq!(s.format, "json");
        let Command::DestroyModel(d) = parse(&[
            "destroy-model",
            "m",
            "--no-prompt",
            "--destroy-storage",
            "--force",
        ]) else {
            panic!("not destroy-model")
        };
        assert!(d.no_prompt && d.destroy_storage && d.force);
        let Command::Exec(e) = parse(&[
            "exec", "--format", "json", "--unit", "a/0", "--", "ls", "-l",
        ]) else {
            panic!("not exec")
        };
        assert_eq!(e.command, ["ls", "-l"]);
    }
}
