//! The command line: every command's interface (for parsing and `--help`) and handler.

use crate::cli::{self, key_value, Opt, Parsed, Spec, Takes};
use crate::error::{Error, Result};
use crate::pack;
use crate::sim::ops::{self, CharmSource, DispatchArgs, RelateArgs};
use crate::sim::store::Store;
use crate::sim::{show, Sim, Summary, Verbosity};
use crate::workspace::{self, Locate};
use std::path::PathBuf;

const fn opt(
    long: &'static str,
    short: Option<char>,
    takes: Takes,
    value: &'static str,
    help: &'static str,
) -> Opt {
    Opt {
        long,
        short,
        takes,
        value,
        help,
    }
}

/// Options every command accepts.
const GLOBAL: &[Opt] = &[
    opt(
        "manifest-path",
        None,
        Takes::One,
        "PATH",
        "Path to the charm crate's (or workspace's) Cargo.toml",
    ),
    opt(
        "package",
        Some('p'),
        Takes::One,
        "NAME",
        "The charm crate, in a workspace with several",
    ),
    opt(
        "state",
        None,
        Takes::One,
        "DIR",
        "The simulated model's directory [default: <target-dir>/charm-sim]",
    ),
    opt("quiet", Some('q'), Takes::Nothing, "", "No progress output"),
    opt(
        "verbose",
        Some('v'),
        Takes::Nothing,
        "",
        "One line per hook as it runs",
    ),
];

const TOP: Spec = Spec {
    name: "",
    args: "<COMMAND>",
    about: "cargo charm: pack Rust charms into .charm files and run charms on a local simulated Juju.\n\n\
Commands:\n  pack   Build the charm in release mode and write <name>_<platform>.charm\n  sim    A local simulated Juju model: deploy, churn pods, relate, inspect (`cargo charm sim --help`)\n  help   This text (`cargo charm help <command>` for a command's)",
    opts: &[opt("version", None, Takes::Nothing, "", "Print the version")],
};

const PACK: Spec = Spec {
    name: "pack",
    args: "",
    about: "Build the charm crate (release profile) and pack <name>_<platform>.charm: a zip with\n\
`dispatch` (the binary, mode 0755), metadata.yaml, config.yaml and actions.yaml (when the charm\n\
has them) and manifest.yaml, generated from the charm's own metadata as charmcraft generates\n\
them. Same sources, same bytes: fixed timestamps ($SOURCE_DATE_EPOCH if set) and entry order.",
    opts: &[
        opt(
            "output",
            Some('o'),
            Takes::One,
            "DIR",
            "Where to write the .charm [default: the current directory]",
        ),
        opt(
            "profile",
            None,
            Takes::One,
            "NAME",
            "Cargo profile to build with [default: release]",
        ),
    ],
};

const SIM: Spec = Spec {
    name: "sim",
    args: "<COMMAND>",
    about: "A simulated Juju model in a state directory, speaking Juju's protocol to the charm.\n\n\
Commands:\n  deploy       Deploy a charm (crate, .charm or directory) with N units\n  delete-pod   Kubernetes pod churn for a unit\n  config       Show or change config (config-changed on every unit)\n  relate       Relate an endpoint to a simulated remote application\n  set-data     Change a remote application's or unit's relation data\n  unrelate     Remove a relation (departed, broken)\n  run          Run an action on a unit\n  leader       Move leadership to a unit\n  scale        Add or remove units\n  dispatch     Run any single hook on a unit\n  show-unit    A unit, like `juju show-unit`\n  status       The model, like `juju status`\n  debug-log    The units' log lines\n  events       Every dispatch: unit, hook, exit code, wall time, hook-tool calls\n  destroy      Remove the model and its state directory",
    opts: &[],
};

const DEPLOY: Spec = Spec {
    name: "sim deploy",
    args: "[CHARM]",
    about:
        "Deploy a charm: CHARM is a .charm file, an unpacked charm directory (with an executable\n\
`dispatch`), or a charm crate; without CHARM, the charm crate around the current directory is\n\
packed first. Each unit gets its own copy of the charm directory and its storage (each declared\n\
storage's minimum count, under units/<app>-<n>/root/); peer relations are created; unit 0 leads.\n\
Each unit runs install, <peer>-relation-created, leader-elected (leader) or\n\
leader-settings-changed, config-changed, start, <storage>-storage-attached,\n\
<container>-pebble-ready; then the peers join.",
    opts: &[
        opt(
            "num-units",
            Some('n'),
            Takes::One,
            "N",
            "Number of units [default: 1]",
        ),
        opt("config", None, Takes::Pairs, "k=v", "Config values"),
    ],
};

const DELETE_POD: Spec = Spec {
    name: "sim delete-pod",
    args: "UNIT",
    about:
        "Delete a unit's pod, as Kubernetes churn does: `stop` on the old pod; the new pod gets a\n\
fresh charm directory (files the charm wrote there are gone; its storage is kept) and runs\n\
upgrade-charm, config-changed, leader-settings-changed (non-leaders), start,\n\
<container>-pebble-ready.",
    opts: &[],
};

const CONFIG: Spec = Spec {
    name: "sim config",
    args: "[KEY=VALUE ...]",
    about: "Without arguments, print the config. Otherwise set options (values typed and checked\n\
against the charm's options) and run config-changed on every unit if anything changed.",
    opts: &[opt(
        "reset",
        None,
        Takes::Repeated,
        "KEY",
        "Reset an option to its default",
    )],
};

const RELATE: Spec = Spec {
    name: "sim relate",
    args: "ENDPOINT REMOTE_APP",
    about: "Relate ENDPOINT to a simulated remote application. Every unit runs <endpoint>-relation-created,\n\
then -relation-joined and -relation-changed for each remote unit (and -relation-changed for the\n\
remote application's data).",
    opts: &[
        opt("remote-endpoint", None, Takes::One, "NAME", "The remote application's endpoint [default: ENDPOINT]"),
        opt("app-data", None, Takes::Pairs, "k=v", "The remote application's bag"),
        opt("unit-data", None, Takes::Pairs, "k=v", "Every remote unit's bag"),
        opt("units", None, Takes::One, "N", "Remote units [default: 1]"),
    ],
};

const SET_DATA: Spec = Spec {
    name: "sim set-data",
    args: "ENDPOINT REMOTE_APP|REMOTE_UNIT KEY=VALUE ...",
    about:
        "Change the remote application's bag (or one remote unit's) on the relation of ENDPOINT;\n\
an empty value deletes the key. The units that see the bag run -relation-changed.",
    opts: &[],
};

const UNRELATE: Spec = Spec {
    name: "sim unrelate",
    args: "ENDPOINT REMOTE_APP",
    about: "Remove a relation: every unit runs -relation-departed for each remote unit, then\n\
-relation-broken.",
    opts: &[],
};

const RUN: Spec = Spec {
    name: "sim run",
    args: "UNIT ACTION [KEY=VALUE ...]",
    about: "Run an action. Parameters are parsed as YAML scalars, checked against the action's schema\n\
and completed with its defaults, as Juju does. Prints the action's log and results; exits 1 if\n\
the action failed.",
    opts: &[],
};

const LEADER: Spec = Spec {
    name: "sim leader",
    args: "UNIT",
    about: "Move leadership to UNIT: it runs leader-elected, the others leader-settings-changed.",
    opts: &[],
};

const SCALE: Spec = Spec {
    name: "sim scale",
    args: "N",
    about:
        "Scale to N units. New units get their storage, run the deploy sequence and join the peer\n\
relations; removed units (highest numbers first) run stop, -relation-departed (-broken),\n\
-storage-detaching, remove, and the others see them depart.",
    opts: &[],
};

const DISPATCH: Spec = Spec {
    name: "sim dispatch",
    args: "UNIT HOOK",
    about:
        "Run one hook on one unit, with the model as it is: a unit hook (install, start, stop,\n\
remove, config-changed, update-status, upgrade-charm, leader-elected, leader-settings-changed,\n\
collect-metrics), <endpoint>-relation-<created|joined|changed|departed|broken>,\n\
<container>-pebble-<ready|custom-notice|check-failed|check-recovered>,\n\
<storage>-storage-<attached|detaching> or secret-<changed|rotate|remove|expired>.",
    opts: &[
        opt(
            "relation",
            None,
            Takes::One,
            "ID",
            "The relation, for relation hooks on an endpoint with several",
        ),
        opt(
            "remote-unit",
            None,
            Takes::One,
            "UNIT",
            "JUJU_REMOTE_UNIT [default: the first remote unit]",
        ),
        opt(
            "secret",
            None,
            Takes::One,
            "ID",
            "The secret, for secret hooks",
        ),
        opt(
            "revision",
            None,
            Takes::One,
            "N",
            "The secret revision [default: the latest]",
        ),
        opt(
            "check",
            None,
            Takes::One,
            "NAME",
            "The Pebble check, for check hooks",
        ),
        opt(
            "notice-key",
            None,
            Takes::One,
            "KEY",
            "The Pebble notice key, for custom-notice",
        ),
        opt(
            "storage",
            None,
            Takes::One,
            "NAME/INDEX",
            "The storage instance, for storage hooks on a unit with several",
        ),
    ],
};

const SHOW_UNIT: Spec = Spec {
    name: "sim show-unit",
    args: "UNIT",
    about: "Show a unit like `juju show-unit`: relation-info (endpoint, relation-id, related-endpoint,\n\
application-data, local-unit, related-units), opened ports, leader, workload version, plus its\n\
workload status and storage (id: kind, location, status).",
    opts: &[opt("format", None, Takes::One, "yaml|json", "Output format [default: yaml]")],
};

const STATUS: Spec = Spec {
    name: "sim status",
    args: "",
    about:
        "The model, like `juju status`: application, units (leader marked *), workload and agent\n\
status, messages, opened ports, integrations; with --storage, each unit's storage instances\n\
(like `juju status --storage`).",
    opts: &[opt(
        "storage",
        None,
        Takes::Nothing,
        "",
        "Also list storage: unit, storage id, type, mount point, status",
    )],
};

const DEBUG_LOG: Spec = Spec {
    name: "sim debug-log",
    args: "",
    about: "The units' log: juju-log lines with their level, and the charm's stdout (DEBUG) and\n\
stderr (WARNING), as Juju logs them.",
    opts: &[
        opt("unit", None, Takes::One, "UNIT", "Only this unit"),
        opt(
            "level",
            None,
            Takes::One,
            "LEVEL",
            "Only this level and above (TRACE, DEBUG, INFO, WARNING, ERROR)",
        ),
    ],
};

const EVENTS: Spec = Spec {
    name: "sim events",
    args: "",
    about: "Every dispatch: what queued it, unit, hook, exit code, wall time, and the hook-tool calls it made.",
    opts: &[
        opt("unit", None, Takes::One, "UNIT", "Only this unit"),
        opt("calls", None, Takes::Nothing, "", "Every call's argv, stdin and exit code"),
        opt("json", None, Takes::Nothing, "", "The records as JSON"),
    ],
};

const DESTROY: Spec = Spec {
    name: "sim destroy",
    args: "",
    about: "Remove the model: its state directory and everything in it.",
    opts: &[],
};

const SIM_COMMANDS: &[&Spec] = &[
    &DEPLOY,
    &DELETE_POD,
    &CONFIG,
    &RELATE,
    &SET_DATA,
    &UNRELATE,
    &RUN,
    &LEADER,
    &SCALE,
    &DISPATCH,
    &SHOW_UNIT,
    &STATUS,
    &DEBUG_LOG,
    &EVENTS,
    &DESTROY,
];

/// Runs the command line (after `cargo-charm` / `cargo charm`).
pub fn run(args: &[String]) -> Result<()> {
    let Some(first) = args.first() else {
        print!("{}", cli::help(&TOP, GLOBAL));
        return Ok(());
    };
    match first.as_str() {
        "--version" | "-V" => {
            println!("cargo-charm {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        "-h" | "--help" => {
            print!("{}", cli::help(&TOP, GLOBAL));
            Ok(())
        }
        "help" => help(&args[1..]),
        "pack" => run_pack(&args[1..]),
        "sim" => run_sim(&args[1..]),
        other => Err(Error::usage(format!(
            "unknown command {other:?} (commands: pack, sim, help)"
        ))),
    }
}

fn help(args: &[String]) -> Result<()> {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    let spec = match words.as_slice() {
        [] => &TOP,
        ["pack"] => &PACK,
        ["sim"] => &SIM,
        ["sim", cmd] => SIM_COMMANDS
            .iter()
            .find(|s| s.name == format!("sim {cmd}"))
            .ok_or_else(|| Error::usage(format!("unknown command \"sim {cmd}\"")))?,
        _ => {
            return Err(Error::usage(format!(
                "unknown command {:?}",
                words.join(" ")
            )))
        }
    };
    print!("{}", cli::help(spec, GLOBAL));
    Ok(())
}

/// Parses `args`; `Ok(None)` means `--help` was printed.
fn parse(spec: &Spec, args: &[String]) -> Result<Option<Parsed>> {
    let p = cli::parse(spec, GLOBAL, args)?;
    if p.help {
        print!("{}", cli::help(spec, GLOBAL));
        return Ok(None);
    }
    Ok(Some(p))
}

fn locate(p: &Parsed) -> Locate {
    Locate {
        manifest_path: p.one("manifest-path").map(PathBuf::from),
        package: p.one("package").map(str::to_string),
        quiet: p.flag("quiet"),
    }
}

fn verbosity(p: &Parsed) -> Verbosity {
    Verbosity {
        quiet: p.flag("quiet"),
        verbose: p.flag("verbose"),
    }
}

/// Exactly `n` positional arguments, named for the error message.
fn positional<'a>(spec: &Spec, p: &'a Parsed, names: &[&str]) -> Result<Vec<&'a str>> {
    if p.positional.len() != names.len() {
        return Err(Error::usage(format!(
            "`cargo charm {}` takes {} (usage: cargo charm {} {})",
            spec.name,
            if names.is_empty() {
                "no arguments".to_string()
            } else {
                names.join(" ")
            },
            spec.name,
            spec.args
        )));
    }
    Ok(p.positional.iter().map(String::as_str).collect())
}

fn pairs(values: &[String]) -> Result<Vec<(String, String)>> {
    values.iter().map(|v| key_value(v)).collect()
}

fn run_pack(args: &[String]) -> Result<()> {
    let Some(p) = parse(&PACK, args)? else {
        return Ok(());
    };
    positional(&PACK, &p, &[])?;
    let krate = workspace::find(&locate(&p))?;
    let out = match p.one("output") {
        Some(d) => PathBuf::from(d),
        None => std::env::current_dir()?,
    };
    let packed = pack::pack(
        &krate,
        p.one("profile").unwrap_or("release"),
        &out,
        p.flag("quiet"),
    )?;
    if !p.flag("quiet") {
        eprintln!(
            "{:>12} {} ({} bytes)",
            "Contents",
            packed.files.join(", "),
            packed.size
        );
    }
    println!("{}", packed.path.display());
    Ok(())
}

/// The state directory: `--state`, else `<target-dir>/charm-sim` of the workspace around
/// the current directory.
fn state_dir(p: &Parsed) -> Result<PathBuf> {
    if let Some(d) = p.one("state") {
        return Ok(PathBuf::from(d));
    }
    let target = workspace::target_dir(&locate(p)).map_err(|e| {
        Error::msg(format!(
            "{} (the default state directory is under the workspace's target directory; pass --state DIR)",
            e.message
        ))
    })?;
    Ok(target.join("charm-sim"))
}

/// Opens the model for a command that changes it: resumes an interrupted operation first.
fn open(p: &Parsed) -> Result<Sim> {
    let store = Store::open(&state_dir(p)?, false)?;
    let mut sim = Sim::open(store, verbosity(p))?;
    sim.resume()?;
    Ok(sim)
}

/// Opens the model to read it.
fn open_read(p: &Parsed) -> Result<Sim> {
    let store = Store::open(&state_dir(p)?, false)?;
    Sim::open(store, verbosity(p))
}

fn report(sim: &Sim, what: &str, s: &Summary) -> Result<()> {
    if !sim.verbosity.quiet {
        eprintln!(
            "{what}: {} hook(s) ran{}",
            s.ran,
            if s.failed.is_empty() {
                String::new()
            } else {
                format!(", {} failed", s.failed.len())
            }
        );
    }
    Ok(())
}

fn run_sim(args: &[String]) -> Result<()> {
    let Some(first) = args.first() else {
        print!("{}", cli::help(&SIM, GLOBAL));
        return Ok(());
    };
    if first == "-h" || first == "--help" {
        print!("{}", cli::help(&SIM, GLOBAL));
        return Ok(());
    }
    let spec = SIM_COMMANDS
        .iter()
        .find(|s| s.name.strip_prefix("sim ") == Some(first.as_str()))
        .ok_or_else(|| {
            Error::usage(format!(
                "unknown command \"sim {first}\" (see `cargo charm sim --help`)"
            ))
        })?;
    let Some(p) = parse(spec, &args[1..])? else {
        return Ok(());
    };
    match first.as_str() {
        "deploy" => {
            if p.positional.len() > 1 {
                return Err(Error::usage(
                    "`cargo charm sim deploy` takes at most one CHARM",
                ));
            }
            let units: u32 = p.number("num-units")?.unwrap_or(1);
            let config = pairs(p.all("config"))?;
            let source =
                CharmSource::resolve(p.positional.first().map(String::as_str), &locate(&p))?;
            let store = Store::open(&state_dir(&p)?, true)?;
            let (sim, summary) = ops::deploy(store, &source, units, &config, verbosity(&p))?;
            report(
                &sim,
                &format!(
                    "deployed {} ({} unit(s)) in {}",
                    sim.model.app.name,
                    units,
                    sim.store.dir.display()
                ),
                &summary,
            )
        }
        "delete-pod" => {
            let [unit] = positional(spec, &p, &["UNIT"])?[..] else {
                unreachable!()
            };
            let mut sim = open(&p)?;
            let s = ops::delete_pod(&mut sim, unit)?;
            report(&sim, &format!("deleted the pod of {unit}"), &s)
        }
        "config" => {
            let sets = pairs(&p.positional)?;
            let resets = p.all("reset");
            let mut sim = if sets.is_empty() && resets.is_empty() {
                open_read(&p)?
            } else {
                open(&p)?
            };
            if sets.is_empty() && resets.is_empty() {
                let cfg = serde_json::Value::Object(sim.model.effective_config());
                print!("{}", serde_yaml::to_string(&cfg).unwrap_or_default());
                return Ok(());
            }
            match ops::config(&mut sim, &sets, resets)? {
                Some(s) => report(&sim, "config changed", &s),
                None => {
                    if !sim.verbosity.quiet {
                        eprintln!("config unchanged: no hook runs");
                    }
                    Ok(())
                }
            }
        }
        "relate" => {
            let [endpoint, remote] = positional(spec, &p, &["ENDPOINT", "REMOTE_APP"])?[..] else {
                unreachable!()
            };
            let a = RelateArgs {
                endpoint: endpoint.into(),
                remote_app: remote.into(),
                remote_endpoint: p.one("remote-endpoint").map(str::to_string),
                app_data: pairs(p.all("app-data"))?,
                unit_data: pairs(p.all("unit-data"))?,
                units: p.number("units")?.unwrap_or(1),
            };
            let mut sim = open(&p)?;
            let s = ops::relate(&mut sim, &a)?;
            report(&sim, &format!("related {endpoint} to {remote}"), &s)
        }
        "set-data" => {
            if p.positional.len() < 3 {
                return Err(Error::usage(format!(
                    "usage: cargo charm {} {}",
                    spec.name, spec.args
                )));
            }
            let data = pairs(&p.positional[2..])?;
            let mut sim = open(&p)?;
            match ops::set_data(&mut sim, &p.positional[0], &p.positional[1], &data)? {
                Some(s) => report(&sim, "relation data changed", &s),
                None => {
                    if !sim.verbosity.quiet {
                        eprintln!("relation data unchanged: no hook runs");
                    }
                    Ok(())
                }
            }
        }
        "unrelate" => {
            let [endpoint, remote] = positional(spec, &p, &["ENDPOINT", "REMOTE_APP"])?[..] else {
                unreachable!()
            };
            let mut sim = open(&p)?;
            let s = ops::unrelate(&mut sim, endpoint, remote)?;
            report(
                &sim,
                &format!("removed the relation {endpoint} {remote}"),
                &s,
            )
        }
        "run" => {
            if p.positional.len() < 2 {
                return Err(Error::usage(format!(
                    "usage: cargo charm {} {}",
                    spec.name, spec.args
                )));
            }
            let params = pairs(&p.positional[2..])?;
            let mut sim = open(&p)?;
            let task = ops::run_action(&mut sim, &p.positional[0], &p.positional[1], &params)?;
            print!("{}", show::task(&task));
            if task.status == "failed" {
                if !task.stderr.trim().is_empty() && !sim.verbosity.quiet {
                    eprint!("{}", task.stderr);
                }
                return Err(Error::msg(format!(
                    "action {:?} (task {}) failed on {}: {}",
                    task.action,
                    task.id,
                    task.unit,
                    if task.message.is_empty() {
                        "no message"
                    } else {
                        &task.message
                    }
                )));
            }
            Ok(())
        }
        "leader" => {
            let [unit] = positional(spec, &p, &["UNIT"])?[..] else {
                unreachable!()
            };
            let mut sim = open(&p)?;
            match ops::leader(&mut sim, unit)? {
                Some(s) => report(&sim, &format!("{unit} is the leader"), &s),
                None => {
                    if !sim.verbosity.quiet {
                        eprintln!("{unit} is already the leader");
                    }
                    Ok(())
                }
            }
        }
        "scale" => {
            let [n] = positional(spec, &p, &["N"])?[..] else {
                unreachable!()
            };
            let n: u32 = n
                .parse()
                .map_err(|_| Error::usage(format!("N must be a number of units, got {n:?}")))?;
            let mut sim = open(&p)?;
            match ops::scale(&mut sim, n)? {
                Some(s) => report(&sim, &format!("scaled to {n} unit(s)"), &s),
                None => {
                    if !sim.verbosity.quiet {
                        eprintln!("already {n} unit(s)");
                    }
                    Ok(())
                }
            }
        }
        "dispatch" => {
            let [unit, hook] = positional(spec, &p, &["UNIT", "HOOK"])?[..] else {
                unreachable!()
            };
            let a = DispatchArgs {
                relation: p.number("relation")?,
                remote_unit: p.one("remote-unit").map(str::to_string),
                secret: p.one("secret").map(str::to_string),
                revision: p.number("revision")?,
                check: p.one("check").map(str::to_string),
                notice_key: p.one("notice-key").map(str::to_string),
                storage: p.one("storage").map(str::to_string),
            };
            let mut sim = open(&p)?;
            let s = ops::dispatch_one(&mut sim, unit, hook, &a)?;
            report(&sim, &format!("dispatched {hook} on {unit}"), &s)?;
            match s.failed.first() {
                Some((u, h, code)) if u == unit && h == hook => Err(Error::msg(format!(
                    "hook {h:?} failed on {u} (exit {code})"
                ))),
                _ => Ok(()),
            }
        }
        "show-unit" => {
            let [unit] = positional(spec, &p, &["UNIT"])?[..] else {
                unreachable!()
            };
            let format = p.one("format").unwrap_or("yaml");
            if format != "yaml" && format != "json" {
                return Err(Error::usage(format!(
                    "--format must be yaml or json, got {format:?}"
                )));
            }
            let sim = open_read(&p)?;
            ops::check_unit(&sim.model, unit)?;
            let v = show::show_unit(&sim.model, unit);
            if format == "json" {
                let j = serde_json::to_value(&v).unwrap_or_default();
                println!("{}", serde_json::to_string_pretty(&j).unwrap_or_default());
            } else {
                print!("{}", serde_yaml::to_string(&v).unwrap_or_default());
            }
            Ok(())
        }
        "status" => {
            positional(spec, &p, &[])?;
            let sim = open_read(&p)?;
            print!("{}", show::status(&sim.model, p.flag("storage")));
            Ok(())
        }
        "debug-log" => {
            positional(spec, &p, &[])?;
            let sim = open_read(&p)?;
            let unit = p.one("unit");
            if let Some(u) = unit {
                ops::check_unit(&sim.model, u)?;
            }
            let level = p.one("level").map(str::to_uppercase);
            if let Some(l) = &level {
                if !["TRACE", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"].contains(&l.as_str())
                {
                    return Err(Error::usage(format!(
                        "--level must be TRACE, DEBUG, INFO, WARNING or ERROR, got {l:?}"
                    )));
                }
            }
            print!("{}", show::debug_log(&sim.model, unit, level.as_deref()));
            Ok(())
        }
        "events" => {
            positional(spec, &p, &[])?;
            let sim = open_read(&p)?;
            let unit = p.one("unit");
            if let Some(u) = unit {
                if !sim.model.events.iter().any(|e| e.unit == u) {
                    ops::check_unit(&sim.model, u)?;
                }
            }
            if p.flag("json") {
                let events: Vec<_> = sim
                    .model
                    .events
                    .iter()
                    .filter(|e| unit.is_none_or(|u| e.unit == u))
                    .collect();
                println!(
                    "{}",
                    serde_json::to_string_pretty(&events).unwrap_or_default()
                );
            } else {
                print!("{}", show::events(&sim.model, unit, p.flag("calls")));
            }
            Ok(())
        }
        "destroy" => {
            positional(spec, &p, &[])?;
            let dir = state_dir(&p)?;
            if !dir.exists() {
                if !p.flag("quiet") {
                    eprintln!("no model in {}", dir.display());
                }
                return Ok(());
            }
            let store = Store::open(&dir, false)?;
            store.destroy()?;
            if !p.flag("quiet") {
                eprintln!("destroyed the model in {}", dir.display());
            }
            Ok(())
        }
        _ => unreachable!("every command is handled"),
    }
}
