//! A long queue kept mostly out of `model.json`, so that saving the model after a step
//! does not cost the queue's length.
//!
//! `deploy -n 50` queues about 5,000 steps at once (the peer relation's joins); written
//! into `model.json` after every step, they made each save serialise, write and fsync a
//! megabyte. Instead, a queue longer than [`INLINE`] steps is written once, as JSON lines,
//! to `queue/<generation>.jsonl` (the *base*), and `model.json` holds only what changes
//! from step to step: how many of the base's steps have run ([`Base::done`]) and the steps
//! queued since, after the base (`queue` in `model.json`, at most [`INLINE`] of them).
//! Popping steps off the front and queueing a few at the end, which is what running a
//! queue does, then costs a small `model.json`. Anything else (a step removed from the
//! middle, one inserted before the end of the base, a long tail) writes a new base under
//! the next generation number.
//!
//! Commit: the new base file is written and fsynced before `model.json` names it, and
//! `model.json`'s atomic replacement commits it; a command killed in between leaves a file
//! no `model.json` names, replaced by the next save of that generation and removed with
//! the other stale ones once a save commits. A base file that does not hold the extent
//! `model.json` records is refused, naming the file ([`super::history::read`]).

use super::history::{self, Extent};
use crate::error::{Error, Result};
use crate::fsutil;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The directory of the base files, relative to the state directory.
pub const DIR: &str = "queue";

/// A queue at most this long is kept whole in `model.json`, and so is the tail of a longer
/// one: past it, the whole queue becomes a new base.
pub const INLINE: usize = 64;

/// Where the front of a long queue is, saved in `model.json` (`queue_base`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Base {
    /// The file: `queue/<generation>.jsonl`.
    pub generation: u64,
    /// What the file holds (records and bytes).
    pub extent: Extent,
    /// How many of its steps have run: the queue begins after them.
    pub done: u64,
}

impl Base {
    /// The file, relative to the state directory.
    pub fn file(&self) -> String {
        file(self.generation)
    }
}

/// `queue/<generation>.jsonl`, relative to the state directory.
fn file(generation: u64) -> String {
    format!("{DIR}/{generation}.jsonl")
}

/// A base's steps, as last saved or loaded (kept in memory to tell what changed since).
/// Generic over the step type (the model's `Step`), which this module only stores.
pub type Steps<T> = Arc<Vec<T>>;

/// How a save writes the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// The whole queue in `model.json`, no base.
    Inline,
    /// The base stays: `done` of its steps have run, and the queue's steps from `tail`
    /// on go into `model.json`.
    Keep {
        /// [`Base::done`].
        done: u64,
        /// Where the steps queued after the base begin.
        tail: usize,
    },
    /// A new base holding the whole queue.
    Rebase,
}

/// How to save `queue`, given the saved `base` and its `steps`.
pub fn plan<T: PartialEq>(queue: &VecDeque<T>, base: Option<&Base>, steps: &[T]) -> Plan {
    if queue.len() <= INLINE {
        return Plan::Inline;
    }
    let Some(base) = base else {
        return Plan::Rebase;
    };
    // The queue must be the base's steps from some `done` on (no fewer run than saved),
    // then a short tail. Running steps pops them off the front: `done` is usually the
    // saved one plus one.
    let from = (base.done as usize).min(steps.len());
    let rest_matches = |done: usize| {
        let rest = &steps[done..];
        rest.len() <= queue.len() && queue.iter().zip(rest).all(|(q, s)| q == s)
    };
    let done = match queue.front() {
        Some(first) => (from..steps.len()).find(|&d| steps[d] == *first && rest_matches(d)),
        None => None,
    }
    // None found: every base step counts as run, the whole queue is tail (a correct
    // reading whatever happened; too long a tail makes a new base).
    .unwrap_or(steps.len());
    let rest = steps.len() - done;
    if queue.len() - rest > INLINE {
        return Plan::Rebase;
    }
    Plan::Keep {
        done: done as u64,
        tail: rest,
    }
}

/// Writes `queue` as the base of generation `generation` (durably: fsynced, and the
/// directory too, before `model.json` names it).
pub fn write<T: Serialize + Clone>(
    state: &Path,
    generation: u64,
    queue: &VecDeque<T>,
) -> Result<(Base, Steps<T>)> {
    let name = file(generation);
    let path = state.join(&name);
    let mut bytes = Vec::new();
    for step in queue {
        serde_json::to_writer(&mut bytes, step)
            .map_err(|e| Error::msg(format!("serializing {}: {e}", path.display())))?;
        bytes.push(b'\n');
    }
    let dir = state.join(DIR);
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::msg(format!("creating {}: {e}", dir.display())))?;
    fsutil::write_atomic(&path, &bytes)?;
    let base = Base {
        generation,
        extent: Extent {
            records: queue.len() as u64,
            bytes: bytes.len() as u64,
        },
        done: 0,
    };
    Ok((base, Arc::new(queue.iter().cloned().collect())))
}

/// Reads the base `base`: its steps (all of them; the queue begins at [`Base::done`]).
pub fn read<T: DeserializeOwned>(state: &Path, base: &Base) -> Result<Steps<T>> {
    let steps: Vec<T> = history::read(state, &base.file(), base.extent)?;
    if base.done > steps.len() as u64 {
        return Err(Error::msg(format!(
            "the model in {} is corrupt: model.json says {} steps of {} ran, which holds {}; restore it, or run `cargo charm sim destroy` to start over",
            state.display(),
            base.done,
            base.file(),
            steps.len()
        )));
    }
    Ok(Arc::new(steps))
}

/// Removes the base files other than `keep`'s (left by earlier generations, or by a save
/// a kill interrupted). Best effort: what is left is removed by a later save.
pub fn remove_stale(state: &Path, keep: Option<&Base>) {
    let dir = state.join(DIR);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let keep: Option<PathBuf> = keep.map(|b| state.join(b.file()));
    for e in entries.flatten() {
        if Some(e.path()) != keep {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A step, as far as this module is concerned: anything serializable and comparable.
    fn step(n: usize) -> String {
        format!("a/{n} install")
    }

    fn queue(range: std::ops::Range<usize>) -> VecDeque<String> {
        range.map(step).collect()
    }

    #[test]
    fn short_queues_stay_inline_and_long_ones_get_a_base() {
        assert_eq!(plan(&queue(0..INLINE), None, &[]), Plan::Inline);
        assert_eq!(plan(&queue(0..INLINE + 1), None, &[]), Plan::Rebase);
    }

    #[test]
    fn popping_and_appending_keep_the_base_until_the_tail_is_long() {
        let steps: Vec<String> = queue(0..200).into_iter().collect();
        let base = Base {
            generation: 3,
            extent: Extent::default(),
            done: 0,
        };
        // Nothing changed; one step ran; five ran and three were queued at the end.
        assert_eq!(
            plan(&queue(0..200), Some(&base), &steps),
            Plan::Keep { done: 0, tail: 200 }
        );
        assert_eq!(
            plan(&queue(1..200), Some(&base), &steps),
            Plan::Keep { done: 1, tail: 199 }
        );
        let mut q = queue(5..203);
        assert_eq!(
            plan(&q, Some(&base), &steps),
            Plan::Keep { done: 5, tail: 195 }
        );
        // Every base step ran: the queue is all tail.
        q = queue(200..200 + INLINE + 1);
        assert_eq!(plan(&q, Some(&base), &steps), Plan::Rebase);
        q = queue(150..200 + INLINE);
        assert_eq!(
            plan(&q, Some(&base), &steps),
            Plan::Keep {
                done: 150,
                tail: 50
            }
        );
        // Too long a tail; a step removed from the middle; one inserted before the end
        // of the base; fewer run than saved.
        q = queue(100..200 + INLINE + 1);
        assert_eq!(plan(&q, Some(&base), &steps), Plan::Rebase);
        q = queue(0..200);
        q.remove(100);
        assert_eq!(plan(&q, Some(&base), &steps), Plan::Rebase);
        q = queue(0..200);
        q.insert(100, step(999));
        assert_eq!(plan(&q, Some(&base), &steps), Plan::Rebase);
        let later = Base { done: 10, ..base };
        assert_eq!(plan(&queue(5..200), Some(&later), &steps), Plan::Rebase);
    }

    #[test]
    fn a_base_is_written_read_back_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let q = queue(0..100);
        let (base, steps) = write(dir.path(), 7, &q).unwrap();
        assert_eq!(base.extent.records, 100);
        assert_eq!(*read::<String>(dir.path(), &base).unwrap(), *steps);
        assert_eq!(steps.iter().cloned().collect::<VecDeque<_>>(), q);
        // A stale generation goes, the current one stays.
        write(dir.path(), 8, &q).unwrap();
        remove_stale(dir.path(), Some(&base));
        assert!(dir.path().join(base.file()).is_file());
        assert!(!dir.path().join(file(8)).exists());
        // More steps run than the file holds; a truncated file.
        let over = Base { done: 101, ..base };
        let e = read::<String>(dir.path(), &over).unwrap_err();
        assert!(e.message.contains("queue/7.jsonl"), "{}", e.message);
        let path = dir.path().join(base.file());
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        let e = read::<String>(dir.path(), &base).unwrap_err();
        assert!(
            e.message.contains("queue/7.jsonl is truncated"),
            "{}",
            e.message
        );
    }
}
