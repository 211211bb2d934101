//! `cargo charm sim`: a simulated Juju model in a state directory.
//!
//! Every command loads the model under the state directory's lock, checks its input
//! completely before changing anything, queues the hooks Juju would run (in Juju's
//! order, juju-protocol.md §4), saves, and then runs the queue one step at a time, saving
//! after each, so a crash or kill leaves a consistent model whose remaining steps run at
//! the start of the next command.

pub mod api;
pub mod charm;
pub mod charmhub;
pub mod history;
pub mod hookproc;
pub mod model;
pub mod mountns;
pub mod ops;
pub mod params;
pub mod pebble;
pub mod queuefile;
pub mod run;
pub mod sequence;
pub mod show;
pub mod storage;
pub mod store;
pub mod table;
pub mod tool;
pub mod world;

use crate::error::Result;
use crate::fsutil;
use model::{Model, Step, Task};
use pebble::namespace::Access;
use store::Store;

/// How chatty a command is.
#[derive(Debug, Clone, Copy, Default)]
pub struct Verbosity {
    /// `-q`: nothing but errors and the command's output.
    pub quiet: bool,
    /// `-v`: one line per dispatch.
    pub verbose: bool,
}

/// An open model.
pub struct Sim {
    /// The state directory.
    pub store: Store,
    /// The model.
    pub model: Model,
    /// Output settings.
    pub verbosity: Verbosity,
    /// How hooks reach their unit's Pebble, found out at the first dispatch of a charm
    /// with containers.
    pub access: Option<Access>,
}

/// What running the queue did.
#[derive(Debug, Default)]
pub struct Summary {
    /// Dispatches run.
    pub ran: usize,
    /// Failed hooks: (unit, hook, exit code).
    pub failed: Vec<(String, String, i32)>,
    /// Action tasks that ran.
    pub tasks: Vec<Task>,
    /// For `deploy`: the application deployed.
    pub deployed: Option<String>,
    /// Steps left waiting for units in error.
    pub held: usize,
}

impl Sim {
    /// Opens the model in `store`, installs the tool symlinks, and restarts any container's
    /// Pebble that is not running (from its saved state).
    pub fn open(store: Store, verbosity: Verbosity) -> Result<Sim> {
        let model = store.load()?;
        let sim = Sim::new(store, model, verbosity);
        sim.install_tools()?;
        let restarted = pebble::process::ensure(&sim.model, &sim.workloads_of_all())?;
        if !verbosity.quiet {
            for w in restarted {
                eprintln!("restarted the Pebble of {} (it was not running)", w.label());
            }
        }
        Ok(sim)
    }

    /// A model in `store`, nothing checked or started.
    pub fn new(store: Store, model: Model, verbosity: Verbosity) -> Sim {
        Sim {
            store,
            model,
            verbosity,
            access: None,
        }
    }

    /// Every container of every unit.
    pub fn workloads_of_all(&self) -> Vec<pebble::Workload> {
        pebble::all_workloads(&self.store, &self.model)
    }

    /// The containers of `unit`.
    pub fn workloads_of(&self, unit: &str) -> Vec<pebble::Workload> {
        pebble::workloads(&self.store, &self.model, unit)
    }

    /// Starts the Pebble of each container of `units` (new units: deploy, scale).
    pub fn start_pebbles(&self, units: &[String]) -> Result<()> {
        let workloads: Vec<_> = units.iter().flat_map(|u| self.workloads_of(u)).collect();
        let started = std::time::Instant::now();
        pebble::process::ensure(&self.model, &workloads)?;
        if self.verbosity.verbose && !workloads.is_empty() {
            eprintln!(
                "  started {} Pebble server(s) in {:.1} ms",
                workloads.len(),
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
        Ok(())
    }

    /// How `unit`'s hooks reach its Pebble: `None` for a charm without containers; else
    /// found out once per command, with a warning when hooks cannot run in a namespace.
    fn access(&mut self, unit: &str) -> Option<&Access> {
        if self.model.meta_of(unit).containers.is_empty() {
            return None;
        }
        if self.access.is_none() {
            let access = Access::probe(&pebble::containers_dir(&self.store, unit));
            if let Some(w) = access.warning() {
                eprintln!("{w}");
            }
            self.access = Some(access);
        }
        self.access.as_ref()
    }

    /// The pristine charm directory of `unit`'s application.
    pub fn pristine_of(&self, unit: &str) -> std::path::PathBuf {
        let relative = self
            .model
            .app_of(unit)
            .map_or("charm", |a| a.charm_dir.as_str());
        self.store.app_charm_dir(relative)
    }

    /// (Re)creates the hook-tool symlinks to the running binary.
    pub fn install_tools(&self) -> Result<()> {
        let exe = crate::exe::path()?;
        self.store.install_tools(&exe, tool::TOOLS)
    }

    /// Runs the steps an interrupted command left in the queue, and retries the failed
    /// hook of each unit in error (Juju retries it with a back-off; the simulator retries
    /// it at the start of each command that changes the model).
    pub fn resume(&mut self) -> Result<()> {
        self.resume_with(true)
    }

    /// [`Sim::resume`], with or without the retries (`resolve` decides itself what
    /// happens to the failed hook).
    pub fn resume_with(&mut self, retries: bool) -> Result<()> {
        let retried = if retries {
            self.model.queue_retries()
        } else {
            0
        };
        let runnable = self.model.runnable() - retried;
        if runnable == 0 && retried == 0 {
            return Ok(());
        }
        if !self.verbosity.quiet && runnable > 0 {
            eprintln!("resuming {runnable} queued step(s) of an interrupted operation");
        }
        self.run_queue()?;
        Ok(())
    }

    /// Saves the model.
    pub fn save(&mut self) -> Result<()> {
        self.store.save(&mut self.model)
    }

    /// Reads the model's whole history (events, logs, tasks): for the commands that
    /// show it.
    pub fn read_history(&mut self) -> Result<()> {
        self.store.read_history(&mut self.model)
    }

    /// Queues steps, saves, and runs the whole queue.
    pub fn execute(&mut self, steps: Vec<Step>) -> Result<Summary> {
        self.model.queue.extend(steps);
        self.save()?;
        self.run_queue()
    }

    /// Runs the queue to the end, saving after every step. The steps of a unit in error
    /// wait in the queue (except its actions, and the retry of its failed hook): they run
    /// once the error is resolved ([`Summary::held`] counts them).
    pub fn run_queue(&mut self) -> Result<Summary> {
        let mut summary = Summary::default();
        while let Some(i) = (0..self.model.queue.len()).find(|i| !self.model.held(*i)) {
            let step = self.model.queue[i].clone();
            let mut triggered = Vec::new();
            match &step {
                Step::Hook(h) => {
                    let alive = self.model.unit(&h.unit).is_some();
                    if alive {
                        let access = self.access(&h.unit).cloned();
                        let ran = run::dispatch(&self.store, &mut self.model, h, access.as_ref())?;
                        summary.ran += 1;
                        let e = &ran.event;
                        if self.verbosity.verbose {
                            eprintln!(
                                "  {:<20} {:<40} exit {:<3} {:>8.1} ms  {} tool call(s)",
                                e.unit,
                                show::event_label(e),
                                e.exit_code,
                                e.wall_ms,
                                e.calls.len()
                            );
                        }
                        if !e.action {
                            self.model.hook_done(h, e.exit_code == 0);
                        }
                        if e.exit_code != 0 && !e.action {
                            if !self.verbosity.quiet {
                                eprintln!(
                                    "{}: hook {:?} failed (exit {}); the unit runs no other hook until it is resolved (`cargo charm sim resolve {}`); see `cargo charm sim debug-log`",
                                    e.unit, e.hook, e.exit_code, e.unit
                                );
                            }
                            summary
                                .failed
                                .push((e.unit.clone(), e.hook.clone(), e.exit_code));
                        }
                        triggered = ran.triggered;
                        summary.tasks.extend(ran.task);
                    }
                }
                Step::FreshPod { unit } => self.fresh_pod(unit)?,
                Step::RemoveUnit { unit } => self.remove_unit(unit)?,
                Step::RemoveRelation { relation } => {
                    self.model.relations.remove(relation);
                }
                Step::RemoveApplication { app } => self.remove_application(app)?,
            }
            self.model.queue.remove(i);
            for t in triggered {
                self.model.queue_triggered(t);
            }
            self.save()?;
        }
        summary.held = self.model.queue.len();
        Ok(summary)
    }

    /// A new pod: the unit's charm directory is replaced by a fresh copy of the charm
    /// (what the charm wrote locally is gone, as on Kubernetes), and each workload
    /// container starts afresh: its Pebble is stopped, its plan, services, notices and
    /// files are gone (storage mounted into it stays), and a new Pebble starts.
    fn fresh_pod(&mut self, unit: &str) -> Result<()> {
        let Some(u) = self.model.unit_mut(unit) else {
            return Ok(());
        };
        u.pod += 1;
        let pristine = self.pristine_of(unit);
        self.store.fresh_charm_copy(unit, &pristine)?;
        let started = std::time::Instant::now();
        let workloads = self.workloads_of(unit);
        pebble::process::reset(&self.model, &workloads)?;
        if self.verbosity.verbose && !workloads.is_empty() {
            eprintln!(
                "  {unit}: {} container(s) reset, Pebble restarted in {:.1} ms",
                workloads.len(),
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
        Ok(())
    }

    /// Removes an application whose units are gone: its peer relations, secrets and
    /// pristine charm directory.
    fn remove_application(&mut self, app: &str) -> Result<()> {
        let Some(a) = self.model.apps.remove(app) else {
            return Ok(());
        };
        self.model.relations.retain(|_, r| r.side(app).is_none());
        self.model.secrets.retain(|s| s.app.as_deref() != Some(app));
        fsutil::remove_dir(&self.store.app_charm_dir(&a.charm_dir))
    }

    /// Removes a unit whose teardown is over (its Pebble servers stopped first).
    fn remove_unit(&mut self, unit: &str) -> Result<()> {
        for w in self.workloads_of(unit) {
            pebble::process::stop(&w)?;
        }
        if let Some(app) = self.model.apps.get_mut(model::app_of_unit(unit)) {
            app.units.retain(|_, u| u.name != unit);
        }
        for rel in self.model.relations.values_mut() {
            rel.units.remove(unit);
            for ru in rel.units.values_mut() {
                ru.joined.remove(unit);
            }
        }
        fsutil::remove_dir(&self.store.unit_dir(unit))?;
        Ok(())
    }
}
