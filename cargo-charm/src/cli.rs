//! The command line, declared with clap's derive: every command, its arguments and
//! options, and the help texts. Each command takes only the options that mean something to
//! it (`pack` has no `--state`; only commands that run hooks take `-v`). Parsing errors are
//! turned into one-line `ERROR`s by [`crate::usage`].
//!
//! The doc comments of the commands and options below are their `--help` text (clap's
//! derive reads them), written for a terminal: `<name>` placeholders and `[default: ...]`
//! follow clap's conventions and are neither HTML nor intra-doc links.
#![allow(rustdoc::invalid_html_tags, rustdoc::broken_intra_doc_links)]

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// cargo charm: pack Rust charms into .charm files and run charms on a local simulated Juju.
#[derive(Debug, Parser)]
#[command(
    name = "cargo-charm",
    bin_name = "cargo charm",
    version,
    arg_required_else_help = true,
    subcommand_required = true
)]
pub struct Cli {
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// `cargo charm <command>`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the charm in release mode and write <name>_<platform>.charm
    ///
    /// Build the charm crate (release profile) and pack <name>_<platform>.charm into
    /// <target-dir>/charm (or -o DIR): a zip with `dispatch` (the binary, mode 0755),
    /// metadata.yaml, config.yaml and actions.yaml (when the charm has them) and
    /// manifest.yaml, generated from the charm's own metadata as charmcraft generates them.
    /// Entries are deflated. Same sources, same bytes: fixed timestamps ($SOURCE_DATE_EPOCH
    /// if set) and entry order. Prints the path of the .charm.
    #[command(verbatim_doc_comment)]
    Pack(PackArgs),
    /// A local simulated Juju model: deploy, churn pods, relate, inspect
    ///
    /// A simulated Juju model in a state directory, speaking Juju's protocol to the charm.
    #[command(subcommand, arg_required_else_help = true, verbatim_doc_comment)]
    Sim(SimCommand),
    /// Put a `juju` that drives simulated models first on PATH
    ///
    /// Write DIR/juju, a symlink to this binary, which then runs as the Juju CLI over
    /// simulated models (one simulator state directory per model under
    /// $CARGO_CHARM_JUJU_HOME, default <target-dir>/juju). With DIR first on PATH,
    /// integration tests written with jubilant / pytest-jubilant run against the simulator
    /// unchanged. `cargo charm juju ARGS` runs the same without the link.
    #[command(verbatim_doc_comment)]
    JujuShim(JujuShimArgs),
    /// The Juju CLI over simulated models (`juju --help` lists its commands)
    #[command(disable_help_flag = true)]
    Juju(JujuArgs),
    /// One container's Pebble server (started by `sim` itself; not for users)
    #[command(name = "__pebble-server", hide = true)]
    PebbleServer(PebbleServerArgs),
    /// One hook's process: records its pid, then runs the charm (started by `sim` itself;
    /// not for users)
    #[command(name = "__hook", hide = true)]
    Hook(HookArgs),
    /// Makes a hook's mount namespace and exits: whether hooks can have one (started by
    /// `sim` itself; not for users)
    #[command(name = "__namespace", hide = true)]
    Namespace(NamespaceArgs),
}

/// A hook's mount namespace (`__hook`, `__namespace`).
#[derive(Debug, Args)]
pub struct NamespaceArgs {
    /// Run in a private mount namespace with DIR bind-mounted on /charm/containers
    #[arg(long, value_name = "DIR")]
    pub bind: Option<PathBuf>,
    /// A user namespace too, mapping the caller to root in it (when not root)
    #[arg(long, requires = "bind")]
    pub map_root: bool,
}

/// `__hook`: what [`crate::sim::hookproc::exec`] runs.
#[derive(Debug, Args)]
pub struct HookArgs {
    /// The dispatch's run directory (the pid is recorded there)
    #[arg(long, value_name = "DIR")]
    pub run_dir: PathBuf,
    /// The pid of the cargo-charm command that runs the hook
    #[arg(long, value_name = "PID")]
    pub parent: u32,
    /// The charm's mount namespace
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    /// The program and its arguments
    #[arg(last = true, required = true, value_name = "PROGRAM")]
    pub argv: Vec<String>,
}

/// `juju-shim`.
#[derive(Debug, Args)]
pub struct JujuShimArgs {
    /// The directory to put the `juju` link in
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

/// `juju` (only reached for `--help`: `cargo charm juju ...` goes to the front end before
/// this parser).
#[derive(Debug, Args)]
pub struct JujuArgs {
    /// The juju command and its arguments
    #[arg(
        value_name = "ARGS",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub args: Vec<String>,
}

/// `__pebble-server`: what [`crate::sim::pebble::serve`] serves.
#[derive(Debug, Args)]
pub struct PebbleServerArgs {
    /// The unix socket
    #[arg(long, value_name = "PATH")]
    pub socket: PathBuf,
    /// The container's root directory
    #[arg(long, value_name = "DIR")]
    pub root: PathBuf,
    /// The state file
    #[arg(long, value_name = "FILE")]
    pub state: PathBuf,
    /// Storage mounted into the container
    #[arg(long = "mount", value_name = "PATH=DIR", value_parser = key_value)]
    pub mounts: Vec<(String, String)>,
}

/// `--manifest-path` and `-p`: which charm crate, found as cargo finds a package.
#[derive(Debug, Clone, Args)]
pub struct CrateOpts {
    /// Path to the charm crate's (or workspace's) Cargo.toml
    #[arg(long, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,
    /// The charm crate, in a workspace with several
    #[arg(short, long, value_name = "NAME")]
    pub package: Option<String>,
}

/// `-q`.
#[derive(Debug, Clone, Copy, Args)]
pub struct Quiet {
    /// No progress output
    #[arg(short, long)]
    pub quiet: bool,
}

/// `cargo charm pack`.
#[derive(Debug, Args)]
pub struct PackArgs {
    /// Where to write the .charm [default: <target-dir>/charm]
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Cargo profile to build with
    #[arg(long, value_name = "NAME", default_value = "release")]
    pub profile: String,
    /// Which crate.
    #[command(flatten)]
    pub krate: CrateOpts,
    /// `-q`.
    #[command(flatten)]
    pub quiet: Quiet,
}

/// The options of a command that reads the model.
#[derive(Debug, Clone, Args)]
pub struct StateOpts {
    /// The simulated model's directory [default: <target-dir>/charm-sim]
    #[arg(long, value_name = "DIR")]
    pub state: Option<PathBuf>,
    /// The Cargo.toml of the workspace whose target directory holds the default --state
    #[arg(long, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,
    /// No progress output
    #[arg(short, long)]
    pub quiet: bool,
}

/// The options of a command that runs hooks: [`StateOpts`] and `-v`.
#[derive(Debug, Clone, Args)]
pub struct RunOpts {
    /// Where the model is.
    #[command(flatten)]
    pub state: StateOpts,
    /// One line per hook as it runs
    #[arg(short, long)]
    pub verbose: bool,
}

/// `cargo charm sim <command>`.
#[derive(Debug, Subcommand)]
pub enum SimCommand {
    /// Deploy a charm (crate, .charm or directory) with N units
    ///
    /// Deploy a charm: CHARM is a .charm file, an unpacked charm directory (with an executable
    /// `dispatch`), or a charm crate; without CHARM, the charm crate around the current
    /// directory is packed first. A CHARM that is no path is a store charm's name, found
    /// through the local Charmhub stand-in (CARGO_CHARM_CHARMHUB=name=path,... or a YAML
    /// file of name: path named by CARGO_CHARM_CHARMHUB_MAP). A model holds any number of
    /// applications: deploying into an existing model adds one (named after the charm, or
    /// --app). Each unit gets its own copy of the charm directory, its
    /// storage (each declared storage's minimum count, under units/<app>-<n>/root/) and a
    /// Pebble per container (a server on units/<app>-<n>/containers/<c>/pebble.socket, which
    /// the charm's hooks see at /charm/containers/<c>/pebble.socket); peer relations are
    /// created; the first unit leads. Each unit runs install, <peer>-relation-created,
    /// leader-elected (leader) or leader-settings-changed, config-changed, start,
    /// <storage>-storage-attached, <container>-pebble-ready; then the peers join.
    #[command(verbatim_doc_comment)]
    Deploy(DeployArgs),
    /// Kubernetes pod churn for a unit
    ///
    /// Delete a unit's pod, as Kubernetes churn does: `stop` on the old pod; the new pod gets
    /// a fresh charm directory (files the charm wrote there are gone; its storage is kept)
    /// and fresh containers (each Pebble restarted with no plan, services, notices or files,
    /// but storage mounted into the container kept), and runs upgrade-charm, config-changed,
    /// leader-settings-changed (non-leaders), start, <container>-pebble-ready.
    #[command(verbatim_doc_comment)]
    DeletePod(UnitArgs),
    /// Show or change config (config-changed on every unit)
    ///
    /// Without arguments, print the config. Otherwise set options (values typed and checked
    /// against the charm's options) and run config-changed on every unit if anything
    /// changed.
    #[command(verbatim_doc_comment)]
    Config(ConfigArgs),
    /// Relate an endpoint to a simulated remote application
    ///
    /// Relate ENDPOINT to a simulated remote application. Every unit runs
    /// <endpoint>-relation-created, then -relation-joined and -relation-changed for each
    /// remote unit (and -relation-changed for the remote application's data).
    #[command(verbatim_doc_comment)]
    Relate(RelateArgs),
    /// Change a remote application's or unit's relation data
    ///
    /// Change the remote application's bag (or one remote unit's) on the relation of
    /// ENDPOINT; an empty value deletes the key. The units that see the bag run
    /// -relation-changed.
    #[command(verbatim_doc_comment)]
    SetData(SetDataArgs),
    /// Add a secret a related application owns and grants to this one
    ///
    /// Add a secret owned by REMOTE_APP, a simulated application related to this one, and
    /// granted to this application through their relation, as a provider charm does
    /// (`secret-add`, then `secret-grant` on the relation) before naming it in its relation
    /// data. Prints its URI, for `set-data ENDPOINT REMOTE_APP secret-user=<URI>`. The
    /// units read it with `secret-get` while the relation lives; no hook runs.
    #[command(verbatim_doc_comment)]
    AddSecret(AddSecretArgs),
    /// Relate two deployed applications (both sides' hooks run)
    ///
    /// Relate two deployed applications, each named APP or APP:ENDPOINT (the endpoints are
    /// inferred from their interfaces when not given, as `juju integrate` does). Every unit
    /// of both runs -relation-created; then each unit runs the application-level
    /// -relation-changed if the other application's bag is already set, and
    /// -relation-joined / -relation-changed for each unit of the other side; what the
    /// charms write reaches the other side as -relation-changed.
    #[command(verbatim_doc_comment)]
    Integrate(IntegrateArgs),
    /// Remove a relation between two applications (departed, broken on both sides)
    ///
    /// Remove the relation between two applications (APP or APP:ENDPOINT): every unit in it
    /// runs -relation-departed for each unit it has seen join, then -relation-broken.
    #[command(verbatim_doc_comment)]
    RemoveRelation(IntegrateArgs),
    /// Remove a relation (departed, broken)
    ///
    /// Remove a relation: every unit runs -relation-departed for each remote unit, then
    /// -relation-broken.
    #[command(verbatim_doc_comment)]
    Unrelate(UnrelateArgs),
    /// Run an action on a unit
    ///
    /// Run an action. Parameters are parsed as YAML scalars, checked against the action's
    /// schema and completed with its defaults, as Juju does. Prints the action's log and
    /// results; exits 1 if the action failed.
    #[command(verbatim_doc_comment)]
    Run(RunArgs),
    /// Resolve a unit's hook error (retry the hook, or skip it with --no-retry)
    ///
    /// A unit whose hook failed is in error: it runs no other hook (its actions still run)
    /// until the hook succeeds on a retry (the simulator retries it at the start of each
    /// command that changes the model, as Juju retries it with a back-off) or the error is
    /// resolved. resolve runs the failed hook again (the unit stays in error if it fails
    /// again); with --no-retry the hook is skipped. Then the hooks that waited run.
    #[command(verbatim_doc_comment)]
    Resolve(ResolveArgs),
    /// Move leadership to a unit
    ///
    /// Move leadership to UNIT: it runs leader-elected, the others leader-settings-changed.
    #[command(verbatim_doc_comment)]
    Leader(UnitArgs),
    /// Add or remove units
    ///
    /// Scale to N units. New units get their storage, run the deploy sequence and join the
    /// peer relations; removed units (highest numbers first) run stop, -relation-departed
    /// (-broken), -storage-detaching, remove, and the others see them depart.
    #[command(verbatim_doc_comment)]
    Scale(ScaleArgs),
    /// Run any single hook on a unit
    ///
    /// Run one hook on one unit, with the model as it is: a unit hook (install, start, stop,
    /// remove, config-changed, update-status, upgrade-charm, leader-elected,
    /// leader-settings-changed, collect-metrics),
    /// <endpoint>-relation-<created|joined|changed|departed|broken>,
    /// <container>-pebble-<ready|custom-notice|check-failed|check-recovered>,
    /// <storage>-storage-<attached|detaching> or secret-<changed|rotate|remove|expired>.
    /// A custom notice is first recorded in the container's Pebble (as `pebble notify`
    /// would; the hook gets its id); check-failed first fails a check that is up until it
    /// reaches its threshold, check-recovered makes a check that is down pass.
    #[command(verbatim_doc_comment)]
    Dispatch(DispatchArgs),
    /// A unit, like `juju show-unit`
    ///
    /// Show a unit like `juju show-unit`: relation-info (endpoint, relation-id,
    /// related-endpoint, application-data, local-unit, related-units), opened ports, leader,
    /// workload version, plus its workload status, storage (id: kind, location, status) and
    /// containers (each plan service's current state, startup and since when; checks).
    /// With --format json|yaml: exactly `juju show-unit`'s output.
    #[command(verbatim_doc_comment)]
    ShowUnit(ShowUnitArgs),
    /// The model, like `juju status`
    ///
    /// The model, like `juju status`: application, units (leader marked *), workload and
    /// agent status, messages, opened ports, integrations, each unit's containers with their
    /// plan services and states; with --storage, each unit's storage instances (like
    /// `juju status --storage`).
    #[command(verbatim_doc_comment)]
    Status(StatusArgs),
    /// Look inside a unit's container: its Pebble's socket, plan, services, files...
    ///
    /// Look inside one container of a unit, as the `pebble` CLI would: without VIEW, the
    /// path of its Pebble socket (point ops' pebble.Client or `curl --unix-socket` at it);
    /// `plan` (YAML), `services`, `checks`, `notices`, `files PATH` (like `pebble ls -l`),
    /// `pull PATH` (a file's contents).
    #[command(verbatim_doc_comment)]
    Pebble(PebbleArgs),
    /// The units' log lines
    ///
    /// The units' log: juju-log lines with their level, and the charm's stdout (DEBUG) and
    /// stderr (WARNING), as Juju logs them.
    #[command(verbatim_doc_comment)]
    DebugLog(DebugLogArgs),
    /// Every dispatch: unit, hook, exit code, wall time, hook-tool calls
    ///
    /// Every dispatch: what queued it, unit, hook, exit code, wall time, and the hook-tool
    /// calls it made.
    #[command(verbatim_doc_comment)]
    Events(EventsArgs),
    /// Remove the model and its state directory
    ///
    /// Remove the model: its state directory and everything in it.
    #[command(verbatim_doc_comment)]
    Destroy(StateOpts),
}

/// `sim deploy`.
#[derive(Debug, Args)]
pub struct DeployArgs {
    /// A .charm file, a charm directory, a charm crate, or a store charm's name [default: the crate around here]
    #[arg(value_name = "CHARM")]
    pub charm: Option<String>,
    /// Number of units
    #[arg(short, long, value_name = "N", default_value = "1", value_parser = number::<u32>)]
    pub num_units: u32,
    /// Config values
    #[arg(long, value_name = "k=v", num_args = 1.., value_parser = key_value)]
    pub config: Vec<(String, String)>,
    /// The application's name [default: the charm's name]
    #[arg(long, value_name = "NAME")]
    pub app: Option<String>,
    /// The charm crate, in a workspace with several
    #[arg(short, long, value_name = "NAME")]
    pub package: Option<String>,
    /// Where the model goes.
    #[command(flatten)]
    pub run: RunOpts,
}

/// A command on one unit.
#[derive(Debug, Args)]
pub struct UnitArgs {
    /// The unit, e.g. my-app/0
    #[arg(value_name = "UNIT")]
    pub unit: String,
    /// Where the model is.
    #[command(flatten)]
    pub run: RunOpts,
}

/// `--app`: which application a command is about.
#[derive(Debug, Clone, Args)]
pub struct AppOpt {
    /// The application [default: the model's only application]
    #[arg(long, value_name = "APP")]
    pub app: Option<String>,
}

/// `sim integrate` / `sim remove-relation`.
#[derive(Debug, Args)]
pub struct IntegrateArgs {
    /// One end: a deployed application, optionally with its endpoint
    #[arg(value_name = "APP[:ENDPOINT]")]
    pub a: String,
    /// The other end
    #[arg(value_name = "APP[:ENDPOINT]")]
    pub b: String,
    /// Where the model is.
    #[command(flatten)]
    pub run: RunOpts,
}

/// `sim config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Options to set
    #[arg(value_name = "KEY=VALUE", value_parser = key_value)]
    pub set: Vec<(String, String)>,
    /// Reset an option to its default
    #[arg(long, value_name = "KEY")]
    pub reset: Vec<String>,
    /// Which application.
    #[command(flatten)]
    pub app: AppOpt,
    /// Where the model is.
    #[command(flatten)]
    pub run: RunOpts,
}

/// `sim relate`.
#[derive(Debug, Args)]
pub struct RelateArgs {
    /// The local endpoint
    #[arg(value_name = "ENDPOINT")]
    pub endpoint: String,
    /// The remote application's name
    #[arg(value_name = "REMOTE_APP")]
    pub remote_app: String,
    /// The remote application's endpoint [default: ENDPOINT]
    #[arg(long, value_name = "NAME")]
    pub remote_endpoint: Option<String>,
    /// The remote application's bag
    #[arg(long, value_name = "k=v", num_args = 1.., value_parser = key_value)]
    pub app_data: Vec<(String, String)>,
    /// Every remote unit's bag
    #[arg(long, value_name = "k=v", num_args = 1.., value_parser = key_value)]
    pub unit_data: Vec<(String, String)>,
    /// Remote units
    #[arg(long, value_name = "N", default_value = "1", value_parser = number::<u32>)]
    pub units: u32,
    /// Which application.
    #[command(flatten)]
    pub app: AppOpt,
    /// Where the model is.
    #[command(flatten)]
    pub run: RunOpts,
}

/// `sim set-data`.
#[derive(Debug, Args)]
pub struct SetDataArgs {
    /// The local endpoint
    #[arg(value_name = "ENDPOINT")]
    pub endpoint: String,
    /// The remote application (its bag) or one of its units (that unit's bag)
    #[arg(value_name = "REMOTE_APP|REMOTE_UNIT")]
    pub remote: String,
    /// Keys to set (an empty value deletes the key)
    #[arg(value_name = "KEY=VALUE", required = true, value_parser = key_value)]
    pub data: Vec<(String, String)>,
    /// Which application.
    #[command(flatten)]
    pub app: AppOpt,
    /// Where the model is.
    #[command(flatten)]
    pub run: RunOpts,
}

/// `sim add-secret`.
#[derive(Debug, Args)]
pub struct AddSecretArgs {
    /// The related application that owns the secret
    #[arg(value_name = "REMOTE_APP")]
    pub remote_app: String,
    /// The secret's content
    #[arg(value_name = "KEY=VALUE", required = true, value_parser = key_value)]
    pub content: Vec<(String, String)>,
    /// Which application.
    #[command(flatten)]
    pub app: AppOpt,
    /// Where the model is.
    #[command(flatten)]
    pub state: StateOpts,
}

/// `sim unrelate`.
#[derive(Debug, Args)]
pub struct UnrelateArgs {
    /// The local endpoint
    #[arg(value_name = "ENDPOINT")]
    pub endpoint: String,
    /// The remote application's name
    #[arg(value_name = "REMOTE_APP")]
    pub remote_app: String,
    /// Which application.
    #[command(flatten)]
    pub app: AppOpt,
    /// Where the model is.
    #[command(flatten)]
    pub run: RunOpts,
}

/// `sim run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The unit, e.g. my-app/0
    #[arg(value_name = "UNIT")]
    pub unit: String,
    /// The action's name
    #[arg(value_name = "ACTION")]
    pub action: String,
    /// The action's parameters
    #[arg(value_name = "KEY=VALUE", value_parser = key_value)]
    pub params: Vec<(String, String)>,
    /// Where the model is.
    #[command(flatten)]
    pub run: RunOpts,
}

/// `sim resolve`.
#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// The unit, e.g. my-app/0
    #[arg(value_name = "UNIT")]
    pub unit: String,
    /// Skip the failed hook instead of running it again
    #[arg(long)]
    pub no_retry: bool,
    /// Where the model is.
    #[command(flatten)]
    pub run: RunOpts,
}

/// `sim scale`.
#[derive(Debug, Args)]
pub struct ScaleArgs {
    /// The number of units
    #[arg(value_name = "N", value_parser = units)]
    pub units: u32,
    /// Which application.
    #[command(flatten)]
    pub app: AppOpt,
    /// Where the model is.
    #[command(flatten)]
    pub run: RunOpts,
}

/// `sim dispatch`.
#[derive(Debug, Args)]
pub struct DispatchArgs {
    /// The unit, e.g. my-app/0
    #[arg(value_name = "UNIT")]
    pub unit: String,
    /// The hook, e.g. update-status
    #[arg(value_name = "HOOK")]
    pub hook: String,
    /// The relation, for relation hooks on an endpoint with several
    #[arg(long, value_name = "ID", value_parser = number::<u64>)]
    pub relation: Option<u64>,
    /// JUJU_REMOTE_UNIT [default: the first remote unit]
    #[arg(long, value_name = "UNIT")]
    pub remote_unit: Option<String>,
    /// The secret, for secret hooks
    #[arg(long, value_name = "ID")]
    pub secret: Option<String>,
    /// The secret revision [default: the latest]
    #[arg(long, value_name = "N", value_parser = number::<u64>)]
    pub revision: Option<u64>,
    /// The Pebble check, for check hooks
    #[arg(long, value_name = "NAME")]
    pub check: Option<String>,
    /// The Pebble notice key, for custom-notice [default: example.com/notice]
    #[arg(long, value_name = "KEY")]
    pub notice_key: Option<String>,
    /// The notice's data, for custom-notice
    #[arg(long, value_name = "k=v", num_args = 1.., value_parser = key_value)]
    pub notice_data: Vec<(String, String)>,
    /// The storage instance, for storage hooks on a unit with several
    #[arg(long, value_name = "NAME/INDEX")]
    pub storage: Option<String>,
    /// Where the model is.
    #[command(flatten)]
    pub run: RunOpts,
}

/// `sim show-unit`.
#[derive(Debug, Args)]
pub struct ShowUnitArgs {
    /// The unit, e.g. my-app/0
    #[arg(value_name = "UNIT")]
    pub unit: String,
    /// Output format: `json` and `yaml` are `juju show-unit`'s own output; `default` is
    /// the simulator's view (YAML: Juju's keys plus workload status, storage and Pebble's
    /// containers, and the unit's own bag on every relation)
    #[arg(long, value_name = "FORMAT", default_value = "default", value_parser = ["default", "yaml", "json"])]
    pub format: String,
    /// Where the model is.
    #[command(flatten)]
    pub state: StateOpts,
}

/// `sim pebble`.
#[derive(Debug, Args)]
pub struct PebbleArgs {
    /// The unit, e.g. my-app/0
    #[arg(value_name = "UNIT")]
    pub unit: String,
    /// One of the charm's containers
    #[arg(value_name = "CONTAINER")]
    pub container: String,
    /// What to show
    #[arg(value_name = "VIEW", value_enum, default_value = "socket")]
    pub view: PebbleView,
    /// The container path, for `files` and `pull`
    #[arg(value_name = "PATH")]
    pub path: Option<String>,
    /// Where the model is.
    #[command(flatten)]
    pub state: StateOpts,
}

/// What `sim pebble` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PebbleView {
    /// The socket's path
    Socket,
    /// The combined plan, as YAML
    Plan,
    /// The plan's services: startup, current state, since when
    Services,
    /// The health checks: level, status, failures
    Checks,
    /// The notices
    Notices,
    /// A directory's entries (or a file itself), like `pebble ls -l PATH`
    Files,
    /// A file's contents, like `pebble pull PATH -`
    Pull,
}

/// `sim status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Also list storage: unit, storage id, type, mount point, status
    #[arg(long)]
    pub storage: bool,
    /// Output format: the simulator's view, or `juju status --format json|yaml`'s shape
    #[arg(long, value_name = "FORMAT", default_value = "tabular", value_parser = ["tabular", "json", "yaml"])]
    pub format: String,
    /// Where the model is.
    #[command(flatten)]
    pub state: StateOpts,
}

/// `sim debug-log`.
#[derive(Debug, Args)]
pub struct DebugLogArgs {
    /// Only this unit
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
    /// Only this level and above
    #[arg(
        long,
        value_name = "LEVEL",
        ignore_case = true,
        value_parser = ["TRACE", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
    )]
    pub level: Option<String>,
    /// Where the model is.
    #[command(flatten)]
    pub state: StateOpts,
}

/// `sim events`.
#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Only this unit
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
    /// Every call's argv, stdin and exit code
    #[arg(long)]
    pub calls: bool,
    /// The records as JSON
    #[arg(long)]
    pub json: bool,
    /// Where the model is.
    #[command(flatten)]
    pub state: StateOpts,
}

/// A number, for options and arguments that count things.
fn number<T: std::str::FromStr>(s: &str) -> Result<T, String> {
    s.parse()
        .map_err(|_| format!("expected a number, got {s:?}"))
}

/// `sim scale N`.
fn units(s: &str) -> Result<u32, String> {
    s.parse()
        .map_err(|_| format!("N must be a number of units, got {s:?}"))
}

/// Splits `k=v`. The key must be non-empty and without spaces; the value may be empty.
pub fn key_value(arg: &str) -> Result<(String, String), String> {
    match arg.split_once('=') {
        Some((k, v)) if !k.is_empty() && !k.contains(char::is_whitespace) => {
            Ok((k.to_string(), v.to_string()))
        }
        _ => Err(format!("expected \"key=value\", got {arg:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_interface_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn key_values() {
        assert!(key_value("novalue").is_err());
        assert!(key_value("=v").is_err());
        assert!(key_value("a b=v").is_err());
        assert_eq!(key_value("k=").unwrap(), ("k".into(), "".into()));
        assert_eq!(key_value("k=a=b").unwrap(), ("k".into(), "a=b".into()));
    }

    fn parse(s: &str) -> Command {
        let argv = std::iter::once("cargo-charm").chain(s.split_whitespace());
        Cli::try_parse_from(argv).unwrap().command
    }

    #[test]
    fn options_positionals_and_pairs() {
        let Command::Sim(SimCommand::Deploy(d)) =
            parse("sim deploy x.charm -n 2 --config a=1 b=2 --config=c=3 -q")
        else {
            panic!("not deploy")
        };
        assert_eq!(d.charm.as_deref(), Some("x.charm"));
        assert_eq!(d.num_units, 2);
        let keys: Vec<&str> = d.config.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a", "b", "c"]);
        assert!(d.run.state.quiet && !d.run.verbose);
        let Command::Sim(SimCommand::Deploy(d)) = parse("sim deploy -n3 -- --odd") else {
            panic!("not deploy")
        };
        assert_eq!(d.num_units, 3);
        assert_eq!(d.charm.as_deref(), Some("--odd"));
    }
}
