//! One dispatch, start to end: route the event to the charm's handlers, run them, run the
//! collect-status handlers, commit, and turn the outcome into an exit code.
//!
//! When collect-status runs is ops' rule (ops 3.9.0 `_main.py`, `_Manager._emit`): after
//! the event's handlers on **every** dispatch, whether or not a handler was routed the
//! event, actions included; not after a handler failed (the error ends the dispatch);
//! never in Juju's restricted context (`collect-metrics`). A charm with neither a handler
//! for the event nor a collect-status handler runs nothing and calls no hook tool.

use crate::error::{Error, RebootNow, Result};
use crate::event::{
    EnvError, Event, HookEnv, RelationEventKind, SecretEventKind, StorageEventKind,
    WorkloadEventKind,
};
use crate::hooktools::{HookTools, ProcessTools};
use crate::log::LogLevel;
use crate::metadata::CharmMetadata;
use crate::model::Model;
use crate::relation::DeclaredEndpoint;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::ExitCode;

/// A charm: what `#[charm]` implements for the type whose `impl` block it annotates.
pub trait Charm: Default + 'static {
    /// The charm's config: the type named by `#[charm(config = MyConfig)]`, which
    /// `model.config()` returns, or [`NoConfig`](crate::config::NoConfig) without it.
    type Config;

    /// The endpoints the charm declares, in declaration order.
    const ENDPOINTS: &'static [DeclaredEndpoint];

    /// The handlers, in declaration order.
    const HANDLERS: &'static [Handler<Self>];

    /// The charm's complete metadata: what `charmcraft.yaml` says.
    fn metadata() -> CharmMetadata;
}

/// A handler method and the events it is routed.
pub struct Handler<C: 'static> {
    /// The method's name, for messages.
    pub name: &'static str,
    /// The events that call it.
    pub on: &'static [On],
    /// Calls the method.
    pub call: fn(&mut C, &mut Model<'_>) -> Result<()>,
}

/// An event selector, as written in `#[on(...)]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum On {
    /// `install`
    Install,
    /// `start`
    Start,
    /// `stop`
    Stop,
    /// `remove`
    Remove,
    /// `config_changed`
    ConfigChanged,
    /// `update_status`
    UpdateStatus,
    /// `upgrade_charm`
    UpgradeCharm,
    /// `leader_elected`
    LeaderElected,
    /// `leader_settings_changed`
    LeaderSettingsChanged,
    /// `relation_created("endpoint")` and the other four relation hooks.
    Relation(RelationEventKind, &'static str),
    /// `storage_attached("name")`, `storage_detaching("name")`.
    Storage(StorageEventKind, &'static str),
    /// `pebble_ready("container")` and the other workload hooks.
    Workload(WorkloadHook, &'static str),
    /// `secret_changed`, `secret_rotate`, `secret_remove`, `secret_expired`.
    Secret(SecretEventKind),
    /// `action("name")`
    Action(&'static str),
    /// `collect_status`: runs at the end of every dispatch (after the event's handlers, if
    /// any, and after actions too) to add statuses, as ops' `collect-unit-status` /
    /// `collect-app-status`. Not in the restricted context, not after a failed handler.
    CollectStatus,
    /// `any`: every hook, once per dispatch (the reconciler's selector). Matches every
    /// event except actions (a user's request, with its own handler) and the restricted
    /// `collect-metrics`; `model.event()` says which hook it is.
    Any,
}

/// The workload hook kinds, without their data (for selectors).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkloadHook {
    /// `pebble_ready`
    PebbleReady,
    /// `pebble_custom_notice`
    CustomNotice,
    /// `pebble_check_failed`
    CheckFailed,
    /// `pebble_check_recovered`
    CheckRecovered,
}

impl On {
    /// Whether this selector matches the event.
    pub fn matches(&self, event: &Event) -> bool {
        match (self, event) {
            (On::Install, Event::Install)
            | (On::Start, Event::Start)
            | (On::Stop, Event::Stop)
            | (On::Remove, Event::Remove)
            | (On::ConfigChanged, Event::ConfigChanged)
            | (On::UpdateStatus, Event::UpdateStatus)
            | (On::UpgradeCharm, Event::UpgradeCharm)
            | (On::LeaderElected, Event::LeaderElected)
            | (On::LeaderSettingsChanged, Event::LeaderSettingsChanged) => true,
            (On::Relation(k, ep), Event::Relation(r)) => *k == r.kind && *ep == r.endpoint,
            (On::Storage(k, name), Event::Storage(s)) => *k == s.kind && *name == s.name,
            (On::Workload(k, c), Event::Workload(w)) => {
                let kind = match w.kind {
                    WorkloadEventKind::PebbleReady => WorkloadHook::PebbleReady,
                    WorkloadEventKind::CustomNotice { .. } => WorkloadHook::CustomNotice,
                    WorkloadEventKind::CheckFailed { .. } => WorkloadHook::CheckFailed,
                    WorkloadEventKind::CheckRecovered { .. } => WorkloadHook::CheckRecovered,
                };
                *k == kind && *c == w.container
            }
            (On::Secret(k), Event::Secret(s)) => *k == s.kind,
            (On::Action(name), Event::Action(a)) => *name == a.name,
            (On::Any, Event::Action(_)) => false,
            (On::Any, e) => !e.is_restricted(),
            _ => false,
        }
    }
}

/// How a dispatch ended.
#[derive(Debug)]
pub enum Outcome {
    /// No handler is routed this event and no collect-status handler runs (the charm has
    /// none, or the context is restricted): nothing ran, no hook tool was called.
    Unhandled,
    /// Every handler succeeded and the staged writes were committed.
    Committed,
    /// A handler (or the commit) failed; nothing staged was applied.
    Failed(Error),
    /// A handler called `juju-reboot --now` ([`Model::reboot_now`]): the dispatch stopped
    /// there and applied nothing staged; the process exits 0 (Juju kills it anyway and
    /// runs the hook again after the reboot).
    Rebooting,
}

impl Outcome {
    /// The process exit code Juju sees: 0 unless failed.
    pub fn exit_code(&self) -> u8 {
        match self {
            Outcome::Failed(_) => 1,
            _ => 0,
        }
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(non-string panic payload)".into()
    }
}

/// Runs one dispatch of charm `C` for `env` against any hook-tool backend: the handlers
/// routed the event in declaration order, then the collect-status handlers (on every
/// dispatch but the restricted `collect-metrics`), then the commit. A handler error or
/// panic stops the dispatch and nothing staged is applied. With neither a routed handler
/// nor a collect-status handler, nothing runs: [`Outcome::Unhandled`], no hook-tool call.
///
/// A handler runs at most once per dispatch, however many of its selectors match; one that
/// is also a collect-status handler runs once, with the collect-status handlers.
pub fn dispatch<C: Charm>(env: &HookEnv, tools: &mut dyn HookTools) -> Outcome {
    let routed: Vec<&Handler<C>> = C::HANDLERS
        .iter()
        .filter(|h| !h.on.contains(&On::CollectStatus))
        .filter(|h| h.on.iter().any(|on| on.matches(&env.event)))
        .collect();
    execute::<C>(env, tools, routed)
}

/// Runs only the collect-status handlers for `env`, then commits: no handler is routed
/// the event. What `ops.testing`'s `ctx.on.collect_unit_status()` does; the harness uses it
/// to evaluate a state's status on its own.
pub fn collect_status<C: Charm>(env: &HookEnv, tools: &mut dyn HookTools) -> Outcome {
    execute::<C>(env, tools, Vec::new())
}

fn execute<C: Charm>(
    env: &HookEnv,
    tools: &mut dyn HookTools,
    routed: Vec<&Handler<C>>,
) -> Outcome {
    let collectors: Vec<&Handler<C>> = if env.event.is_restricted() {
        Vec::new()
    } else {
        C::HANDLERS
            .iter()
            .filter(|h| h.on.contains(&On::CollectStatus))
            .collect()
    };
    if routed.is_empty() && collectors.is_empty() {
        return Outcome::Unhandled;
    }
    crate::log::install();
    // `log` records of this dispatch reach `juju-log` before each tool call and at the end.
    let mut tools = crate::log::Flushing::new(tools);
    let mut model = Model::new(env, &mut tools, C::ENDPOINTS);
    let result = catch_unwind(AssertUnwindSafe(|| -> Result<()> {
        let mut charm = C::default();
        for h in routed.into_iter().chain(collectors) {
            (h.call)(&mut charm, &mut model)
                .map_err(|e| e.context(format!("handler `{}`", h.name)))?;
        }
        model.commit()
    }));
    drop(model);
    tools.flush();
    match result {
        Ok(Ok(())) => Outcome::Committed,
        Ok(Err(e)) if e.downcast_ref::<RebootNow>().is_some() => Outcome::Rebooting,
        Ok(Err(e)) => Outcome::Failed(e),
        Err(payload) => Outcome::Failed(Error::msg(format!(
            "a handler panicked: {}",
            panic_message(&*payload)
        ))),
    }
}

/// The entry point of a charm binary: `fn main() -> ExitCode { charm_runtime::run::<MyCharm>() }`.
///
/// Under Juju (`JUJU_DISPATCH_PATH` set) it dispatches the event with the real hook tools.
/// A failure is printed to stderr, logged at ERROR with `juju-log`, and the process exits 1
/// so Juju retries the hook. Otherwise it is a small CLI: `metadata` prints the charm's
/// `charmcraft.yaml`.
///
/// The CLI (and with it the metadata rendering, ~90 KiB of code) is only in builds with
/// debug assertions (the `dev` profile: `cargo run -- metadata`) or the `metadata-cli`
/// feature of this crate. A release build, what `cargo charm pack` ships, answers every
/// CLI use with exit code [`NO_METADATA_CLI`] and a message saying so; `cargo charm pack`
/// then reads the metadata from a `dev` build of the same crate.
pub fn run<C: Charm>() -> ExitCode {
    match HookEnv::from_env() {
        Ok(Some(env)) => {
            let mut tools = ProcessTools;
            let outcome = dispatch::<C>(&env, &mut tools);
            if let Some(msg) = report(&env, &mut tools, &outcome) {
                eprintln!("{msg}");
            }
            ExitCode::from(outcome.exit_code())
        }
        #[cfg(any(debug_assertions, feature = "metadata-cli"))]
        Ok(None) => cli::<C>(std::env::args().skip(1).collect()),
        #[cfg(not(any(debug_assertions, feature = "metadata-cli")))]
        Ok(None) => no_cli(),
        // ops ignores events it has no class for (e.g. `meter-status-changed`); so do we.
        Err(EnvError::UnknownHook { hook }) => {
            crate::log::install();
            let mut tools = ProcessTools;
            let _tools = crate::log::Flushing::new(&mut tools);
            log::warn!("charm dispatch: hook `{hook}` is not one this runtime knows; ignored");
            ExitCode::SUCCESS
        }
        Err(e) => env_error(e),
    }
}

fn env_error(e: EnvError) -> ExitCode {
    eprintln!("charm dispatch: the Juju environment is not usable: {e}");
    ExitCode::from(1)
}

/// The most of a failure report one `juju-log` call carries: a longer report is cut
/// there, with a marker saying so, and is whole on stderr.
pub const MAX_REPORT_BYTES: usize = 16 * 1024;

/// Reports a failed dispatch to Juju as [`run`] does: `juju-log` at ERROR, at most
/// [`MAX_REPORT_BYTES`] of it (a marker says what was cut). Returns the whole message
/// (which [`run`] prints to stderr, where Juju logs it at WARNING); does nothing and
/// returns `None` for other outcomes. If `juju-log` fails, the line goes to stderr with
/// a note saying why: the report is never dropped.
pub fn report(env: &HookEnv, tools: &mut dyn HookTools, outcome: &Outcome) -> Option<String> {
    let Outcome::Failed(e) = outcome else {
        return None;
    };
    let msg = format!("hook `{}` failed: {e}", env.event.hook_name());
    // Through the log queue (which falls back to stderr if juju-log is unavailable), and
    // not through the `log` facade: a backend the charm installed must not swallow it.
    let _tools = crate::log::Flushing::new(tools);
    crate::log::line(LogLevel::Error, bounded_report(&msg));
    Some(msg)
}

/// `msg`, cut to [`MAX_REPORT_BYTES`] (at a character boundary) with a marker.
fn bounded_report(msg: &str) -> String {
    if msg.len() <= MAX_REPORT_BYTES {
        return msg.to_string();
    }
    let marker = format!(
        " [... report cut: {} bytes in all; the whole report is on the hook's stderr]",
        msg.len()
    );
    let mut cut = MAX_REPORT_BYTES - marker.len();
    while !msg.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{marker}", &msg[..cut])
}

/// The exit code of a charm binary built without the metadata CLI (a release build without
/// the `metadata-cli` feature) when it is run outside Juju.
pub const NO_METADATA_CLI: u8 = 3;

#[cfg(not(any(debug_assertions, feature = "metadata-cli")))]
fn no_cli() -> ExitCode {
    let me = std::env::args().next().unwrap_or_else(|| "dispatch".into());
    eprintln!(
        "{me}: a Juju charm. Juju runs this binary as `dispatch` with JUJU_DISPATCH_PATH set.\n\
         This build leaves out the `metadata` command (release builds do, to stay small): \
         run a dev build (`cargo run -- metadata`), build with the `charm-runtime/metadata-cli` \
         feature, or let `cargo charm pack` write the charm's files."
    );
    ExitCode::from(NO_METADATA_CLI)
}

#[cfg(any(debug_assertions, feature = "metadata-cli"))]
fn cli<C: Charm>(args: Vec<String>) -> ExitCode {
    let meta = C::metadata();
    let name = &meta.name;
    match args.first().map(String::as_str) {
        Some("metadata") | Some("--print-metadata") => metadata_cli(&meta, &args[1..]),
        Some("--help") | Some("-h") | Some("help") => {
            println!("{}", usage(name));
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{}", usage(name));
            ExitCode::from(2)
        }
    }
}

/// `metadata` prints `charmcraft.yaml`. `metadata --format json` prints one JSON object
/// mapping file names to contents: `charmcraft.yaml` plus the files charmcraft would put in
/// the `.charm` ([`CharmMetadata::to_charm_files`]); `--charmcraft-version V` and
/// `--started-at T` fill `manifest.yaml` (defaults: this crate's version, the zip epoch);
/// `--platform P` packs for one of the charm's platforms (its `bases` entry only).
#[cfg(any(debug_assertions, feature = "metadata-cli"))]
fn metadata_cli(meta: &CharmMetadata, args: &[String]) -> ExitCode {
    let mut packed = meta.clone();
    let mut json = false;
    let mut platform = String::new();
    let mut version = format!("charm-runtime {}", env!("CARGO_PKG_VERSION"));
    let mut started_at = String::from("1980-01-01T00:00:00Z");
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |slot: &mut String| match inline.clone().or_else(|| it.next().cloned()) {
            Some(v) => {
                *slot = v;
                true
            }
            None => false,
        };
        let ok = match flag {
            "--format" => {
                let mut f = String::new();
                value(&mut f) && {
                    json = f == "json";
                    f == "json" || f == "yaml"
                }
            }
            "--charmcraft-version" => value(&mut version),
            "--started-at" => value(&mut started_at),
            "--platform" => value(&mut platform),
            _ => false,
        };
        if !ok {
            eprintln!("metadata: bad argument `{arg}`; usage: metadata [--format yaml|json] [--charmcraft-version V] [--started-at T] [--platform P]");
            return ExitCode::from(2);
        }
    }
    if !platform.is_empty() {
        if !meta.platforms.contains(&platform) {
            eprintln!(
                "metadata: `{platform}` is not one of the charm's platforms ({})",
                meta.platforms.join(", ")
            );
            return ExitCode::from(2);
        }
        packed.platforms = vec![platform];
    }
    if !json {
        print!("{}", meta.to_charmcraft_yaml());
        return ExitCode::SUCCESS;
    }
    let mut files = serde_json::Map::new();
    files.insert("charmcraft.yaml".into(), meta.to_charmcraft_yaml().into());
    for (name, text) in packed.to_charm_files(&version, &started_at) {
        files.insert(name.into(), text.into());
    }
    println!("{}", serde_json::Value::Object(files));
    ExitCode::SUCCESS
}

#[cfg(any(debug_assertions, feature = "metadata-cli"))]
fn usage(name: &str) -> String {
    format!(
        "{name}: a Juju charm. Juju runs this binary as `dispatch` with JUJU_DISPATCH_PATH set.\n\
         Outside Juju:\n  metadata [--format yaml|json] [--charmcraft-version V] [--started-at T] [--platform P]\n              \
         print the charm's charmcraft.yaml; with json, also the files of its .charm\n  --help      this text"
    )
}
