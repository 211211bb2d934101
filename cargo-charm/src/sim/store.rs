//! The state directory: one lock for the whole command, `model.json` written atomically,
//! the charm's pristine copy, each unit's charm directory, per-dispatch directories and
//! the hook-tool symlinks.
//!
//! ```text
//! <state>/
//!   .cargo-charm-state    the mark: this directory was made by `deploy` (see below)
//!   lock                  flock held by the running cargo-charm command
//!   model.json            the model (format, apps, relations, queue, history extents)
//!   history/*.jsonl       events, unit logs and action tasks, appended (see `history`)
//!   queue/<gen>.jsonl     the front of a long queue (see `queuefile`)
//!   charms/<app>/         each application's charm, unpacked (pristine; new pods copy it)
//!   charm/                the charm of a model saved in format 1 (one application)
//!   build/                .charm files packed by `deploy` from a crate
//!   units/<app>-<n>/charm the unit's charm directory (JUJU_CHARM_DIR)
//!   units/<app>-<n>/root  the unit's storage, at Juju's mount paths (kept across pods)
//!   units/<app>-<n>/containers/<c>/pebble.socket   each container's Pebble (see `pebble`)
//!   units/<app>-<n>/workloads/<c>/   its root, saved state, pid file and log
//!   tools/                hook tools: symlinks to the cargo-charm binary
//!   run/<seq>.<random>/   one dispatch: world.json, context.json, the hook's pid (removed after)
//! ```
//!
//! Only a marked directory is ever locked, changed or destroyed: `deploy` marks a directory
//! it creates, or an empty one; every other command, and `deploy` into anything else, is
//! refused before a file is written (no `lock` appears in a user's directory). A directory
//! made before the mark existed is recognised by its `model.json` and marked then.

use super::history::{self, Extent};
use super::hookproc;
use super::model::{EventRecord, LogLine, Model, Step, Task, FORMAT};
use super::queuefile;
use crate::error::{Error, Result};
use crate::fsutil::{self, Lock};
use std::path::{Path, PathBuf};

/// The names this module creates in a state directory; anything else there means the
/// directory is not ours.
const OWN: &[&str] = &[
    MARK,
    "lock",
    "model.json",
    "charm",
    "charm.new",
    "charms",
    "build",
    "units",
    "tools",
    "run",
    history::DIR,
    queuefile::DIR,
];

/// The file that marks a directory as a state directory the simulator made.
pub const MARK: &str = ".cargo-charm-state";

/// What the mark says, for a person who finds it.
const MARK_TEXT: &str = "This directory is a `cargo charm sim` state directory: the simulator made it and `cargo charm sim destroy --state <this directory>` removes it.\n";

/// How the temporary files of `model.json` saves begin ([`fsutil::write_replace`]).
const TEMPORARY: &str = ".model.json.tmp";

/// An open state directory, locked.
pub struct Store {
    /// The directory.
    pub dir: PathBuf,
    /// What opening it recovered from a killed command (one line each, for the user).
    pub recovered: Vec<String>,
    _lock: Lock,
}

impl Store {
    /// Opens and locks the state directory. With `create` (`deploy`), a missing or empty
    /// directory is made a state directory first; anything else must already be one (see
    /// the module doc): a directory that is not is refused before anything is written.
    pub fn open(dir: &Path, create: bool) -> Result<Store> {
        // A command that waited for the lock may find the directory destroyed meanwhile:
        // then it starts over (deploy makes it anew; others find no model).
        loop {
            if !dir.is_dir() {
                if !create {
                    return Err(no_model(dir));
                }
                std::fs::create_dir_all(dir)
                    .map_err(|e| Error::msg(format!("creating {}: {e}", dir.display())))?;
            }
            // A `destroy` holding the lock may remove the directory under any of these
            // steps: then the loop starts over too.
            let canonical = match dir.canonicalize() {
                Ok(canonical) => canonical,
                Err(_) if !dir.is_dir() => continue,
                Err(e) => return Err(e.into()),
            };
            let marked = match ensure_marked(&canonical, create) {
                Ok(marked) => marked,
                Err(_) if !canonical.is_dir() => continue,
                Err(e) => return Err(e),
            };
            let lock_path = canonical.join("lock");
            let lock = match Lock::exclusive(&lock_path, || {
                eprintln!(
                    "waiting for another cargo-charm command using {}...",
                    canonical.display()
                )
            }) {
                Ok(lock) => lock,
                Err(_) if !canonical.is_dir() => continue,
                Err(e) => return Err(e),
            };
            if !lock.is_at(&lock_path) {
                continue;
            }
            if !canonical.join(MARK).is_file() {
                if marked {
                    // Destroyed while this command waited: look again.
                    continue;
                }
                // Only a lock file, and nobody holding it: what a destroy killed between
                // removing the mark and the lock leaves.
                if !create {
                    return Err(no_model(&canonical));
                }
                write_mark(&canonical)?;
            }
            let mut store = Store {
                dir: canonical,
                recovered: Vec::new(),
                _lock: lock,
            };
            store.recovered = store.recover_runs()?;
            return Ok(store);
        }
    }

    /// `model.json`.
    pub fn model_path(&self) -> PathBuf {
        self.dir.join("model.json")
    }

    /// Whether a model exists.
    pub fn has_model(&self) -> bool {
        self.model_path().exists()
    }

    /// Loads the model, refusing a missing, unreadable or corrupt one with a one-line error
    /// that names the file and what is wrong (the field, for a value of the wrong type).
    pub fn load(&self) -> Result<Model> {
        let path = self.model_path();
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(no_model(&self.dir)),
            Err(e) => return Err(Error::msg(format!("reading {}: {e}", path.display()))),
        };
        let corrupt = |what: String| {
            Error::msg(format!(
                "the model in {} is corrupt: model.json{what}; restore it, or run `cargo charm sim destroy` to start over",
                self.dir.display()
            ))
        };
        let value: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| corrupt(format!(" is not valid JSON ({})", bounded(&e.to_string()))))?;
        if !value.is_object() {
            return Err(corrupt(" is not a JSON object".into()));
        }
        // A model saved in format 1 (one application) reads as format 2, and format 2
        // (the history inside) as format 3.
        let mut value = super::model::upgrade(value);
        let legacy = super::model::take_history(&mut value);
        super::model::inline_queue(&mut value);
        let format = value.get("format").and_then(|f| f.as_u64());
        if format != Some(FORMAT as u64) {
            return Err(Error::msg(format!(
                "the model in {} has format {} in model.json, but this cargo-charm reads format {FORMAT}; run `cargo charm sim destroy`",
                self.dir.display(),
                format.map_or("none (no numeric `format`)".to_string(), |f| f.to_string())
            )));
        }
        let path_error = |e: serde_path_to_error::Error<serde_json::Error>| {
            let at = e.path().to_string();
            let at = if at == "." {
                String::new()
            } else {
                format!(" (at `{}`)", bounded(&at))
            };
            corrupt(format!(": {}{at}", bounded(&e.into_inner().to_string())))
        };
        let mut model: Model = serde_path_to_error::deserialize(value).map_err(path_error)?;
        if let Some(legacy) = legacy {
            // Appended to the (new) history files at the next save.
            let h: Legacy = serde_path_to_error::deserialize(legacy).map_err(path_error)?;
            model.history = Default::default();
            (model.events, model.logs, model.tasks) = (h.events, h.logs, h.tasks);
        } else {
            let c = model.history;
            history::check(&self.dir, history::EVENTS, c.events)?;
            history::check(&self.dir, history::LOGS, c.logs)?;
            history::check(&self.dir, history::TASKS, c.tasks)?;
        }
        if let Some(base) = model.queue_base {
            let steps = queuefile::read(&self.dir, &base)?;
            let tail = std::mem::take(&mut model.queue);
            model.queue = steps[base.done as usize..].iter().cloned().collect();
            model.queue.extend(tail);
            model.queue_saved = steps;
        }
        for u in model.units() {
            // A step interrupted halfway through replacing or removing the directory
            // finishes when the queue resumes.
            let pending = model.queue.iter().any(|s| {
                matches!(s, Step::FreshPod { unit } | Step::RemoveUnit { unit } if *unit == u.name)
            });
            if !pending && !self.unit_charm_dir(&u.name).is_dir() {
                return Err(Error::msg(format!(
                    "the model in {} is corrupt: the charm directory of {} is missing",
                    self.dir.display(),
                    u.name
                )));
            }
        }
        Ok(model)
    }

    /// Reads the committed history into `model`, before the records not yet saved, for
    /// the commands that show it; the others never read it (a step's cost does not grow
    /// with the history).
    pub fn read_history(&self, model: &mut Model) -> Result<()> {
        let c = model.history;
        let a = model.appended;
        let mut events: Vec<EventRecord> = history::read(&self.dir, history::EVENTS, c.events)?;
        let mut logs: Vec<LogLine> = history::read(&self.dir, history::LOGS, c.logs)?;
        let mut tasks: Vec<Task> = history::read(&self.dir, history::TASKS, c.tasks)?;
        model.appended = super::model::Appended {
            events: events.len(),
            logs: logs.len(),
            tasks: tasks.len(),
        };
        events.extend(model.events.drain(a.events..));
        logs.extend(model.logs.drain(a.logs..));
        tasks.extend(model.tasks.drain(a.tasks..));
        (model.events, model.logs, model.tasks) = (events, logs, tasks);
        Ok(())
    }

    /// Saves the model: appends the history recorded since the last save to the history
    /// files, then replaces `model.json` (compact JSON) atomically, which commits both.
    pub fn save(&self, model: &mut Model) -> Result<()> {
        let old = model.history;
        let a = model.appended;
        let appended = (|| -> Result<_> {
            Ok(history::Committed {
                events: append(
                    &self.dir,
                    history::EVENTS,
                    old.events,
                    &model.events[a.events..],
                )?,
                logs: append(&self.dir, history::LOGS, old.logs, &model.logs[a.logs..])?,
                tasks: append(
                    &self.dir,
                    history::TASKS,
                    old.tasks,
                    &model.tasks[a.tasks..],
                )?,
            })
        })()?;
        model.history = appended;
        // The queue: a long one's front in a base file, written only when it changed other
        // than by steps run off the front (see `queuefile`).
        let old_base = model.queue_base;
        let (tail, rebased) =
            match queuefile::plan(&model.queue, model.queue_base.as_ref(), &model.queue_saved) {
                queuefile::Plan::Inline => {
                    model.queue_base = None;
                    (0, None)
                }
                queuefile::Plan::Keep { done, tail } => {
                    if let Some(b) = &mut model.queue_base {
                        b.done = done;
                    }
                    (tail, None)
                }
                queuefile::Plan::Rebase => {
                    let generation = old_base.map_or(0, |b| b.generation + 1);
                    let (base, steps) = queuefile::write(&self.dir, generation, &model.queue)
                        .inspect_err(|_| model.history = old)?;
                    model.queue_base = Some(base);
                    (model.queue.len(), Some(steps))
                }
            };
        let whole = std::mem::take(&mut model.queue);
        model.queue = whole.range(tail..).cloned().collect();
        let written = serde_json::to_vec(model)
            .map_err(|e| Error::msg(format!("serializing the model: {e}")))
            .and_then(|bytes| fsutil::write_atomic(&self.model_path(), &bytes));
        model.queue = whole;
        match written {
            Ok(()) => {
                if let Some(steps) = rebased {
                    model.queue_saved = steps;
                }
                if model.queue_base.map(|b| b.generation) != old_base.map(|b| b.generation) {
                    queuefile::remove_stale(&self.dir, model.queue_base.as_ref());
                }
                model.appended = super::model::Appended {
                    events: model.events.len(),
                    logs: model.logs.len(),
                    tasks: model.tasks.len(),
                };
                Ok(())
            }
            Err(e) => {
                // The appended bytes lie past the committed end: the next save cuts them; a
                // new base file is named by no `model.json`.
                model.history = old;
                model.queue_base = old_base;
                Err(e)
            }
        }
    }

    /// An application's pristine unpacked charm, from its path relative to the state
    /// directory (`App::charm_dir`).
    pub fn app_charm_dir(&self, relative: &str) -> PathBuf {
        self.dir.join(relative)
    }

    /// Where `deploy` packs a crate.
    pub fn build_dir(&self) -> PathBuf {
        self.dir.join("build")
    }

    /// A unit's own directory (`units/app-0`).
    pub fn unit_dir(&self, unit: &str) -> PathBuf {
        self.dir.join("units").join(unit.replace('/', "-"))
    }

    /// A unit's charm directory.
    pub fn unit_charm_dir(&self, unit: &str) -> PathBuf {
        self.unit_dir(unit).join("charm")
    }

    /// Gives `unit` a fresh copy of its application's pristine charm directory
    /// (`pristine`), replacing any old one: copied next to it, then renamed into place.
    ///
    /// The staging directory has a fixed name (not a `tempfile::TempDir`) so that a copy a
    /// crash interrupted is found and removed when the queued step runs again.
    pub fn fresh_charm_copy(&self, unit: &str, pristine: &Path) -> Result<()> {
        let dir = self.unit_charm_dir(unit);
        let staging = self.unit_dir(unit).join("charm.new");
        fsutil::remove_dir(&staging)?;
        fsutil::copy_dir(pristine, &staging)?;
        fsutil::remove_dir(&dir)?;
        std::fs::rename(&staging, &dir)
            .map_err(|e| Error::msg(format!("renaming {}: {e}", staging.display())))
    }

    /// The hook-tool directory.
    pub fn tools_dir(&self) -> PathBuf {
        self.dir.join("tools")
    }

    /// The directory of the dispatches.
    pub fn runs_dir(&self) -> PathBuf {
        self.dir.join("run")
    }

    /// Creates a new directory for dispatch `seq`: `run/<seq>.<random>`, made exclusively,
    /// so a run directory is never reused, even by a step that runs again under the same
    /// number after a kill (the number is committed with the step's record).
    pub fn new_run_dir(&self, seq: u64) -> Result<PathBuf> {
        let runs = self.runs_dir();
        std::fs::create_dir_all(&runs)
            .map_err(|e| Error::msg(format!("creating {}: {e}", runs.display())))?;
        let dir = tempfile::Builder::new()
            .prefix(&format!("{seq}."))
            .rand_bytes(8)
            .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .tempdir_in(&runs)
            .map_err(|e| {
                Error::msg(format!(
                    "creating a run directory in {}: {e}",
                    runs.display()
                ))
            })?;
        Ok(dir.keep())
    }

    /// Removes the temporary files of `model.json` saves a kill interrupted (no save is
    /// running while the lock is held).
    fn remove_stale_temporaries(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(TEMPORARY) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }

    /// Recovery from a killed command: stops each hook it left running (its whole process
    /// group) and removes every run directory. Idempotent; run by every command once it
    /// holds the lock. Returns what was stopped, for the user.
    pub fn recover_runs(&self) -> Result<Vec<String>> {
        self.remove_stale_temporaries();
        let runs = self.runs_dir();
        let entries = match std::fs::read_dir(&runs) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::msg(format!("reading {}: {e}", runs.display()))),
        };
        let mut stopped = Vec::new();
        let mut dirs: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        dirs.sort();
        for dir in dirs {
            if let Some(pid) = hookproc::stop_leftover(&dir)? {
                stopped.push(format!(
                    "stopped the hook an interrupted command left running (process group {pid}, {})",
                    dir.display()
                ));
            }
            // Nothing of the hook is left to write into it.
            if dir.is_dir() {
                fsutil::remove_dir(&dir)?;
            } else {
                let _ = std::fs::remove_file(&dir);
            }
        }
        Ok(stopped)
    }

    /// Fails unless the directory is empty or holds only what a state directory holds.
    pub fn check_ours(&self) -> Result<()> {
        for entry in std::fs::read_dir(&self.dir)? {
            let name = entry?.file_name();
            let name = name.to_string_lossy();
            if !OWN.contains(&name.as_ref()) && !name.starts_with(TEMPORARY) {
                return Err(Error::msg(format!(
                    "{} is not a cargo-charm state directory (it holds `{name}`); choose another --state",
                    self.dir.display()
                )));
            }
        }
        Ok(())
    }

    /// Removes everything this module created (the lock file last). The units' Pebble
    /// servers must be stopped first (`pebble::process::stop_all_in`).
    pub fn destroy(self) -> Result<()> {
        self.check_ours()?;
        let _ = std::fs::remove_file(self.model_path());
        self.remove_stale_temporaries();
        for name in OWN
            .iter()
            .filter(|n| ![MARK, "lock", "model.json"].contains(*n))
        {
            fsutil::remove_dir(&self.dir.join(name))?;
        }
        // The mark goes last but one: a command waiting for the lock then finds no state
        // directory; the lock file goes when the lock is released.
        let _ = std::fs::remove_file(self.dir.join(MARK));
        let dir = self.dir.clone();
        let _ = std::fs::remove_file(dir.join("lock"));
        drop(self);
        let _ = std::fs::remove_dir(&dir);
        Ok(())
    }

    /// Makes `tools/` hold one symlink per hook tool, pointing at `exe`.
    pub fn install_tools(&self, exe: &Path, tools: &[&str]) -> Result<()> {
        let dir = self.tools_dir();
        std::fs::create_dir_all(&dir)?;
        for tool in tools {
            let link = dir.join(tool);
            if std::fs::read_link(&link).ok().as_deref() == Some(exe) {
                continue;
            }
            let _ = std::fs::remove_file(&link);
            std::os::unix::fs::symlink(exe, &link)
                .map_err(|e| Error::msg(format!("creating {}: {e}", link.display())))?;
        }
        Ok(())
    }
}

/// Marks `dir` a state directory. Written in place, not through a temporary file: a kill
/// leaves an empty mark at worst, which marks the directory as well (its contents are for
/// people).
fn write_mark(dir: &Path) -> Result<()> {
    let mark = dir.join(MARK);
    std::fs::write(&mark, MARK_TEXT)
        .map_err(|e| Error::msg(format!("writing {}: {e}", mark.display())))
}

/// [`history::append`] of `records` to `file`.
fn append<T: serde::Serialize>(
    dir: &Path,
    file: &str,
    extent: Extent,
    records: &[T],
) -> Result<Extent> {
    history::append(dir, file, extent, records)
}

/// The history inside a format 2 `model.json`.
#[derive(serde::Deserialize)]
struct Legacy {
    #[serde(default)]
    events: Vec<EventRecord>,
    #[serde(default)]
    logs: Vec<LogLine>,
    #[serde(default)]
    tasks: Vec<Task>,
}

/// Fails unless `dir` is a state directory: marked, or made before the mark existed (then
/// it is marked now). With `create`, an empty directory is marked. `Ok(false)`: it holds
/// only a lock file, which a destroy leaves for a moment after removing the mark (or for
/// good if it was killed then); the caller decides under the lock.
fn ensure_marked(dir: &Path, create: bool) -> Result<bool> {
    let mark = dir.join(MARK);
    if mark.is_file() {
        return Ok(true);
    }
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        names.push(entry?.file_name().to_string_lossy().into_owned());
    }
    if names.iter().any(|n| n == MARK) {
        // Marked meanwhile (by a deploy making it at the same time).
        return Ok(true);
    }
    let empty = names.is_empty();
    let legacy = !empty
        && names
            .iter()
            .all(|n| OWN.contains(&n.as_str()) || n.starts_with(TEMPORARY))
        && is_saved_model(&dir.join("model.json"));
    if (create && empty) || legacy {
        return write_mark(dir).map(|()| true);
    }
    if !empty
        && names
            .iter()
            .all(|n| n == "lock" || n.starts_with(TEMPORARY))
    {
        return Ok(false);
    }
    if empty {
        return Err(no_model(dir));
    }
    Err(Error::msg(format!(
        "{} is not a cargo-charm state directory (`cargo charm sim deploy` did not make it: it has no {MARK}); it is left as it is: choose another --state",
        dir.display()
    )))
}

/// Whether `path` holds a model the simulator saved (any format): a JSON object with a
/// numeric `format`, a `uuid` and an `app`.
fn is_saved_model(path: &Path) -> bool {
    let Ok(bytes) = std::fs::read(path) else {
        return false;
    };
    serde_json::from_slice::<serde_json::Value>(&bytes).is_ok_and(|v| {
        v.get("format").is_some_and(|f| f.is_u64())
            && v.get("uuid").is_some_and(|u| u.is_string())
            && v.get("app").is_some_and(|a| a.is_object())
    })
}

/// At most 200 characters of `text` (a value quoted in an error may be huge).
fn bounded(text: &str) -> String {
    const MAX: usize = 200;
    match text.char_indices().nth(MAX) {
        None => text.to_string(),
        Some((at, _)) => format!("{}... ({} bytes in all)", &text[..at], text.len()),
    }
}

fn no_model(dir: &Path) -> Error {
    Error::msg(format!(
        "no model in {} (run `cargo charm sim deploy` first, or pass --state DIR)",
        dir.display()
    ))
}
