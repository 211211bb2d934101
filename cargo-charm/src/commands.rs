//! What each command does, given its parsed arguments ([`crate::cli`]).

use crate::cli::{self, Cli, Command, RunOpts, SimCommand, StateOpts};
use crate::error::{Error, Result};
use crate::juju::format::Format;
use crate::pack;
use crate::sim::ops::{self, CharmSource};
use crate::sim::store::Store;
use crate::sim::{api, charmhub, pebble, show, Sim, Summary, Verbosity};
use crate::workspace::{self, Locate};
use std::path::PathBuf;

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Pack(a) => run_pack(a),
        Command::Sim(c) => run_sim(c),
        Command::JujuShim(a) => {
            let link = crate::juju::shim::install(&a.dir)?;
            let dir = std::path::absolute(&a.dir)?;
            eprintln!(
                "{} -> the simulator's juju; put it first on PATH:\n  export PATH={}:$PATH",
                link.display(),
                dir.display()
            );
            println!("{}", link.display());
            Ok(())
        }
        // The juju front end printed its own error.
        Command::Juju(a) => match crate::juju::run_args(a.args) {
            0 => Ok(()),
            code => std::process::exit(code.into()),
        },
        Command::PebbleServer(a) => pebble::serve::run(&pebble::serve::ServeArgs {
            socket: a.socket,
            root: a.root,
            state: a.state,
            mounts: a
                .mounts
                .into_iter()
                .map(|(at, host)| (at, PathBuf::from(host)))
                .collect(),
        }),
        Command::Hook(a) => crate::sim::hookproc::exec(
            &a.run_dir,
            a.parent,
            a.namespace
                .bind
                .as_deref()
                .map(|d| (d, a.namespace.map_root)),
            &a.argv,
        ),
        Command::Namespace(a) => match a.bind {
            Some(dir) => crate::sim::mountns::enter(&dir, a.map_root),
            None => Err(crate::error::Error::usage("__namespace needs --bind DIR")),
        },
    }
}

fn run_pack(a: cli::PackArgs) -> Result<()> {
    let quiet = a.quiet.quiet;
    let krate = workspace::find(&Locate {
        manifest_path: a.krate.manifest_path,
        package: a.krate.package,
        quiet,
    })?;
    let out = a.output.unwrap_or_else(|| krate.default_charm_dir());
    let packed = pack::pack(&krate, &a.profile, &out, quiet)?;
    if !quiet {
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

fn verbosity(o: &RunOpts) -> Verbosity {
    Verbosity {
        quiet: o.state.quiet,
        verbose: o.verbose,
    }
}

/// The state directory: `--state`, else `<target-dir>/charm-sim` of the workspace around
/// the current directory (or `--manifest-path`).
fn state_dir(o: &StateOpts) -> Result<PathBuf> {
    if let Some(d) = &o.state {
        return Ok(d.clone());
    }
    let loc = Locate {
        manifest_path: o.manifest_path.clone(),
        package: None,
        quiet: o.quiet,
    };
    let target = workspace::target_dir(&loc).map_err(|e| {
        Error::msg(format!(
            "{} (the default state directory is under the workspace's target directory; pass --state DIR)",
            e.message
        ))
    })?;
    Ok(target.join("charm-sim"))
}

/// Opens and locks the state directory, telling what recovery from a killed command did.
fn open_store(o: &StateOpts, create: bool) -> Result<Store> {
    let store = Store::open(&state_dir(o)?, create)?;
    if !o.quiet {
        for line in &store.recovered {
            eprintln!("{line}");
        }
    }
    Ok(store)
}

/// Opens the model for a command that changes it: resumes an interrupted operation
/// first, and retries the failed hooks of units in error.
fn open(o: &RunOpts) -> Result<Sim> {
    open_with(o, true)
}

/// [`open`], with or without the retries.
fn open_with(o: &RunOpts, retries: bool) -> Result<Sim> {
    let store = open_store(&o.state, false)?;
    let mut sim = Sim::open(store, verbosity(o))?;
    sim.resume_with(retries)?;
    Ok(sim)
}

/// Opens the model to read it.
fn open_read(o: &StateOpts) -> Result<Sim> {
    let store = open_store(o, false)?;
    let mut sim = Sim::open(
        store,
        Verbosity {
            quiet: o.quiet,
            verbose: false,
        },
    )?;
    sim.read_history()?;
    Ok(sim)
}

fn report(sim: &Sim, what: &str, s: &Summary) -> Result<()> {
    if !sim.verbosity.quiet {
        eprintln!(
            "{what}: {} hook(s) ran{}{}",
            s.ran,
            if s.failed.is_empty() {
                String::new()
            } else {
                format!(", {} failed", s.failed.len())
            },
            if s.held == 0 {
                String::new()
            } else {
                format!(
                    ", {} wait for units in error (`cargo charm sim resolve UNIT`)",
                    s.held
                )
            }
        );
    }
    Ok(())
}

/// Reports a command that may have had nothing to do (`unchanged` says so).
fn report_or(sim: &Sim, what: &str, s: Option<Summary>, unchanged: &str) -> Result<()> {
    match s {
        Some(s) => report(sim, what, &s),
        None => {
            if !sim.verbosity.quiet {
                eprintln!("{unchanged}");
            }
            Ok(())
        }
    }
}

fn run_sim(command: SimCommand) -> Result<()> {
    match command {
        SimCommand::Deploy(a) => {
            let loc = Locate {
                manifest_path: a.run.state.manifest_path.clone(),
                package: a.package.clone(),
                quiet: a.run.state.quiet,
            };
            // A name that is no path is a store charm, found through the Charmhub
            // stand-in.
            let store_name = a
                .charm
                .as_deref()
                .filter(|c| !api::is_local(c) && !std::path::Path::new(c).exists());
            let (source, origin) = match store_name {
                Some(name) => {
                    let (path, origin) = charmhub::resolve(name, None)?;
                    let path = path.display().to_string();
                    (CharmSource::resolve(Some(&path), &loc)?, Some(origin))
                }
                None => (CharmSource::resolve(a.charm.as_deref(), &loc)?, None),
            };
            let store = open_store(&a.run.state, true)?;
            let d = ops::Deploy {
                app: a.app.clone(),
                config: a.config.clone(),
                origin,
                ..ops::Deploy::new(source, a.num_units)
            };
            let (sim, summary) = ops::deploy(store, &d, verbosity(&a.run))?;
            let name = summary
                .deployed
                .clone()
                .unwrap_or_else(|| a.app.clone().unwrap_or_default());
            report(
                &sim,
                &format!(
                    "deployed {name} ({} unit(s)) in {}",
                    a.num_units,
                    sim.store.dir.display()
                ),
                &summary,
            )
        }
        SimCommand::DeletePod(a) => {
            let mut sim = open(&a.run)?;
            let unit = ops::unit_name(&sim.model, &a.unit)?;
            let s = ops::delete_pod(&mut sim, &unit)?;
            report(&sim, &format!("deleted the pod of {unit}"), &s)
        }
        SimCommand::Config(a) => {
            if a.set.is_empty() && a.reset.is_empty() {
                let sim = open_read(&a.run.state)?;
                let app = ops::the_app(&sim.model, a.app.app.as_deref())?;
                let cfg = serde_json::Value::Object(sim.model.effective_config(&app));
                print!("{}", serde_yaml::to_string(&cfg).unwrap_or_default());
                return Ok(());
            }
            let mut sim = open(&a.run)?;
            let app = ops::the_app(&sim.model, a.app.app.as_deref())?;
            let s = ops::config(&mut sim, &app, &a.set, &a.reset)?;
            report_or(&sim, "config changed", s, "config unchanged: no hook runs")
        }
        SimCommand::Relate(a) => {
            let args = ops::RelateArgs {
                endpoint: a.endpoint,
                remote_app: a.remote_app,
                remote_endpoint: a.remote_endpoint,
                app_data: a.app_data,
                unit_data: a.unit_data,
                units: a.units,
            };
            let mut sim = open(&a.run)?;
            let app = ops::the_app(&sim.model, a.app.app.as_deref())?;
            let s = ops::relate(&mut sim, &app, &args)?;
            let what = format!("related {} to {}", args.endpoint, args.remote_app);
            report(&sim, &what, &s)
        }
        SimCommand::SetData(a) => {
            let mut sim = open(&a.run)?;
            let app = ops::the_app(&sim.model, a.app.app.as_deref())?;
            let s = ops::set_data(&mut sim, &app, &a.endpoint, &a.remote, &a.data)?;
            report_or(
                &sim,
                "relation data changed",
                s,
                "relation data unchanged: no hook runs",
            )
        }
        SimCommand::AddSecret(a) => {
            let mut sim = open_read(&a.state)?;
            let app = ops::the_app(&sim.model, a.app.app.as_deref())?;
            let id = ops::add_secret(&mut sim.model, &app, &a.remote_app, &a.content)?;
            sim.save()?;
            println!("{id}");
            Ok(())
        }
        SimCommand::Unrelate(a) => {
            let mut sim = open(&a.run)?;
            let app = ops::the_app(&sim.model, a.app.app.as_deref())?;
            let s = ops::unrelate(&mut sim, &app, &a.endpoint, &a.remote_app)?;
            let what = format!("removed the relation {} {}", a.endpoint, a.remote_app);
            report(&sim, &what, &s)
        }
        SimCommand::Integrate(a) => {
            let (x, y) = (ops::End::parse(&a.a)?, ops::End::parse(&a.b)?);
            let mut sim = open(&a.run)?;
            let (id, s) = ops::integrate(&mut sim, &x, &y)?;
            let r = &sim.model.relations[&id];
            let what = format!(
                "related {}:{} and {}:{} (relation {id})",
                r.app, r.endpoint, r.remote_app, r.remote_endpoint
            );
            report(&sim, &what, &s)
        }
        SimCommand::RemoveRelation(a) => {
            let (x, y) = (ops::End::parse(&a.a)?, ops::End::parse(&a.b)?);
            let mut sim = open(&a.run)?;
            let s = ops::remove_relation(&mut sim, &x, &y)?;
            report(&sim, &format!("removed the relation {x} {y}"), &s)
        }
        SimCommand::Run(a) => {
            let mut sim = open(&a.run)?;
            let unit = ops::unit_name(&sim.model, &a.unit)?;
            let task = ops::run_action(&mut sim, &unit, &a.action, &a.params)?;
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
        SimCommand::Resolve(a) => {
            let mut sim = open_with(&a.run, false)?;
            let unit = ops::unit_name(&sim.model, &a.unit)?;
            let s = ops::resolve(&mut sim, &unit, !a.no_retry)?;
            let what = if a.no_retry {
                format!("resolved {unit} (the failed hook skipped)")
            } else {
                format!("resolved {unit} (the failed hook retried)")
            };
            report(&sim, &what, &s)
        }
        SimCommand::Leader(a) => {
            let mut sim = open(&a.run)?;
            let s = ops::leader(&mut sim, &a.unit)?;
            let what = format!("{} is the leader", a.unit);
            report_or(&sim, &what, s, &format!("{} is already the leader", a.unit))
        }
        SimCommand::Scale(a) => {
            let mut sim = open(&a.run)?;
            let app = ops::the_app(&sim.model, a.app.app.as_deref())?;
            let s = ops::scale(&mut sim, &app, a.units)?;
            let what = format!("scaled to {} unit(s)", a.units);
            report_or(&sim, &what, s, &format!("already {} unit(s)", a.units))
        }
        SimCommand::Dispatch(a) => {
            let args = ops::DispatchArgs {
                relation: a.relation,
                remote_unit: a.remote_unit,
                secret: a.secret,
                revision: a.revision,
                check: a.check,
                notice_key: a.notice_key,
                notice_data: a.notice_data,
                storage: a.storage,
            };
            let mut sim = open(&a.run)?;
            let unit = ops::unit_name(&sim.model, &a.unit)?;
            let s = ops::dispatch_one(&mut sim, &unit, &a.hook, &args)?;
            report(&sim, &format!("dispatched {} on {unit}", a.hook), &s)?;
            match s.failed.iter().find(|(u, h, _)| *u == unit && *h == a.hook) {
                Some((u, h, code)) => Err(Error::msg(format!(
                    "hook {h:?} failed on {u} (exit {code})"
                ))),
                _ => Ok(()),
            }
        }
        SimCommand::ShowUnit(a) => {
            let sim = open_read(&a.state)?;
            let unit = ops::unit_name(&sim.model, &a.unit)?;
            if let Ok(f @ (Format::Json | Format::Yaml)) = Format::parse(&a.format, &["default"]) {
                print!(
                    "{}",
                    crate::juju::snapshot::sim_show_unit(&sim.model, &unit, f)
                );
                return Ok(());
            }
            let containers = pebble::view::unit_containers(&sim.workloads_of(&unit));
            let v = show::show_unit(&sim.model, &unit, containers);
            print!("{}", serde_yaml::to_string(&v).unwrap_or_default());
            Ok(())
        }
        SimCommand::Status(a) => {
            let sim = open_read(&a.state)?;
            if let Ok(f @ (Format::Json | Format::Yaml)) = Format::parse(&a.format, &["tabular"]) {
                print!("{}", crate::juju::snapshot::sim_status(&sim.model, f));
                return Ok(());
            }
            let workloads: Vec<_> = sim
                .model
                .units()
                .flat_map(|u| {
                    let marker = if sim.model.is_leader(&u.name) {
                        "*"
                    } else {
                        ""
                    };
                    let shown = format!("{}{marker}", u.name);
                    sim.workloads_of(&u.name)
                        .into_iter()
                        .map(move |w| (shown.clone(), w))
                })
                .collect();
            let containers = pebble::view::status_rows(&workloads);
            print!("{}", show::status(&sim.model, a.storage, &containers));
            Ok(())
        }
        SimCommand::Pebble(a) => {
            let sim = open_read(&a.state)?;
            ops::check_unit(&sim.model, &a.unit)?;
            let w = ops::check_container(&sim, &a.unit, &a.container)?;
            let path = || {
                a.path.clone().ok_or_else(|| {
                    Error::usage(format!(
                        "`sim pebble UNIT CONTAINER {}` needs a PATH in the container",
                        a.view
                            .to_possible_value()
                            .map(|v| v.get_name().to_string())
                            .unwrap_or_default()
                    ))
                })
            };
            use clap::ValueEnum;
            let out = match a.view {
                cli::PebbleView::Socket => format!("{}\n", w.socket().display()),
                cli::PebbleView::Plan => pebble::view::plan(&w)?,
                cli::PebbleView::Services => pebble::view::services(&w)?,
                cli::PebbleView::Checks => pebble::view::checks(&w)?,
                cli::PebbleView::Notices => pebble::view::notices(&w)?,
                cli::PebbleView::Files => pebble::view::files(&w, &path()?)?,
                cli::PebbleView::Pull => {
                    use std::io::Write;
                    let bytes = pebble::view::pull(&w, &path()?)?;
                    std::io::stdout().write_all(&bytes)?;
                    return Ok(());
                }
            };
            print!("{out}");
            Ok(())
        }
        SimCommand::DebugLog(a) => {
            let sim = open_read(&a.state)?;
            if let Some(u) = &a.unit {
                ops::check_unit(&sim.model, u)?;
            }
            let level = a.level.map(|l| l.to_uppercase());
            print!(
                "{}",
                show::debug_log(&sim.model, a.unit.as_deref(), level.as_deref())
            );
            Ok(())
        }
        SimCommand::Events(a) => {
            let sim = open_read(&a.state)?;
            let unit = a.unit.as_deref();
            if let Some(u) = unit {
                if !sim.model.events.iter().any(|e| e.unit == u) {
                    ops::check_unit(&sim.model, u)?;
                }
            }
            if a.json {
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
                print!("{}", show::events(&sim.model, unit, a.calls));
            }
            Ok(())
        }
        SimCommand::Destroy(o) => {
            let dir = state_dir(&o)?;
            if !dir.exists() {
                if !o.quiet {
                    eprintln!("no model in {}", dir.display());
                }
                return Ok(());
            }
            let store = open_store(&o, false)?;
            store.check_ours()?;
            pebble::process::stop_all_in(&store)?;
            store.destroy()?;
            if !o.quiet {
                eprintln!("destroyed the model in {}", dir.display());
            }
            Ok(())
        }
    }
}
