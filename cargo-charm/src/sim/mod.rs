//! `cargo charm sim`: a simulated Juju model in a state directory.
//!
//! Every command loads the model under the state directory's lock, checks its input
//! completely before changing anything, queues the hooks Juju would run (in Juju's
//! order, juju-protocol.md §4), saves, and then runs the queue one step at a time, saving
//! after each, so a crash or kill leaves a consistent model whose remaining steps run at
//! the start of the next command.

pub mod charm;
pub mod model;
pub mod ops;
pub mod run;
pub mod sequence;
pub mod show;
pub mod storage;
pub mod store;
pub mod tool;
pub mod world;

use crate::error::Result;
use crate::fsutil;
use model::{Model, Step, Task};
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
}

impl Sim {
    /// Opens the model in `store`, installs the tool symlinks, and finishes an interrupted
    /// operation first if one left steps queued.
    pub fn open(store: Store, verbosity: Verbosity) -> Result<Sim> {
        let model = store.load()?;
        let sim = Sim {
            store,
            model,
            verbosity,
        };
        sim.install_tools()?;
        Ok(sim)
    }

    /// (Re)creates the hook-tool symlinks to the running binary.
    pub fn install_tools(&self) -> Result<()> {
        let exe = std::env::current_exe()?;
        self.store.install_tools(&exe, tool::TOOLS)
    }

    /// Runs the steps an interrupted command left in the queue.
    pub fn resume(&mut self) -> Result<()> {
        if self.model.queue.is_empty() {
            return Ok(());
        }
        if !self.verbosity.quiet {
            eprintln!(
                "resuming {} queued step(s) of an interrupted operation",
                self.model.queue.len()
            );
        }
        self.run_queue()?;
        Ok(())
    }

    /// Saves the model.
    pub fn save(&self) -> Result<()> {
        self.store.save(&self.model)
    }

    /// Queues steps, saves, and runs the whole queue.
    pub fn execute(&mut self, steps: Vec<Step>) -> Result<Summary> {
        self.model.queue.extend(steps);
        self.save()?;
        self.run_queue()
    }

    /// Runs the queue to the end, saving after every step.
    pub fn run_queue(&mut self) -> Result<Summary> {
        let mut summary = Summary::default();
        while let Some(step) = self.model.queue.front().cloned() {
            let mut triggered = Vec::new();
            match &step {
                Step::Hook(h) => {
                    let alive = self.model.unit(&h.unit).is_some();
                    if alive {
                        let ran = run::dispatch(&self.store, &mut self.model, h)?;
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
                        if e.exit_code != 0 && !e.action {
                            if !self.verbosity.quiet {
                                eprintln!(
                                    "{}: hook {:?} failed (exit {}); see `cargo charm sim debug-log`",
                                    e.unit, e.hook, e.exit_code
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
            }
            self.model.queue.pop_front();
            for t in triggered {
                if !self.model.queue.contains(&t) {
                    self.model.queue.push_back(t);
                }
            }
            self.save()?;
        }
        Ok(summary)
    }

    /// A new pod: the unit's charm directory is replaced by a fresh copy of the charm
    /// (what the charm wrote locally is gone, as on Kubernetes).
    fn fresh_pod(&mut self, unit: &str) -> Result<()> {
        let Some(u) = self.model.unit_mut(unit) else {
            return Ok(());
        };
        u.pod += 1;
        self.store.fresh_charm_copy(unit)
    }

    /// Removes a unit whose teardown is over.
    fn remove_unit(&mut self, unit: &str) -> Result<()> {
        self.model.units.retain(|_, u| u.name != unit);
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
