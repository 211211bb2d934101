//! The model's history (every dispatch, log line and action task ever recorded), kept out
//! of `model.json` in append-only JSON-lines files under `<state>/history/`, so that saving
//! the model after a step costs the same whatever the history's length.
//!
//! `model.json` records each file's committed extent (its records and bytes,
//! [`Committed`]). A save appends the records added since the last save at the committed
//! end of each file (cutting off whatever lies beyond it first), then replaces
//! `model.json` atomically: that rename is the commit point. A command killed in between
//! leaves bytes past the committed end, which every reader ignores and the next save cuts
//! off, so a killed step's records are discarded with the rest of the step, and none is
//! ever counted twice.
//!
//! Durability: the appended bytes are fsynced before `model.json` is, so after a power
//! loss the committed extents are on disk too. A file found shorter than its committed
//! extent (lost or truncated) is refused, naming the file.

use crate::error::{Error, Result};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::path::Path;

/// The directory of the history files, relative to the state directory.
pub const DIR: &str = "history";

/// The events file, relative to the state directory.
pub const EVENTS: &str = "history/events.jsonl";
/// The unit log lines file.
pub const LOGS: &str = "history/logs.jsonl";
/// The action tasks file.
pub const TASKS: &str = "history/tasks.jsonl";

/// How much of one history file is committed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extent {
    /// Records (lines).
    pub records: u64,
    /// Bytes.
    pub bytes: u64,
}

/// The committed extent of each history file, saved in `model.json`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Committed {
    /// `history/events.jsonl`.
    pub events: Extent,
    /// `history/logs.jsonl`.
    pub logs: Extent,
    /// `history/tasks.jsonl`.
    pub tasks: Extent,
}

/// The error for a history file that does not hold what `model.json` says it does.
fn corrupt(state: &Path, file: &str, what: &str) -> Error {
    Error::msg(format!(
        "the model in {} is corrupt: {file} {what}; restore it, or run `cargo charm sim destroy` to start over",
        state.display()
    ))
}

/// Opens `file` (relative to `state`) to read it, `None` when it is missing and nothing of
/// it is committed.
fn open(state: &Path, file: &str, extent: Extent) -> Result<Option<File>> {
    match File::open(state.join(file)) {
        Ok(f) => Ok(Some(f)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && extent.bytes == 0 => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(corrupt(
            state,
            file,
            &format!("is missing ({} committed bytes)", extent.bytes),
        )),
        Err(e) => Err(Error::msg(format!(
            "reading {}: {e}",
            state.join(file).display()
        ))),
    }
}

/// Checks, without reading it, that `file` holds its committed extent: at least that many
/// bytes, the last committed one ending a line. Cheap whatever the history's length: for
/// commands that do not read the history.
pub fn check(state: &Path, file: &str, extent: Extent) -> Result<()> {
    let Some(f) = open(state, file, extent)? else {
        return Ok(());
    };
    let len = f
        .metadata()
        .map_err(|e| Error::msg(format!("reading {}: {e}", state.join(file).display())))?
        .len();
    if len < extent.bytes {
        return Err(corrupt(
            state,
            file,
            &format!("is truncated ({len} bytes, {} committed)", extent.bytes),
        ));
    }
    if extent.bytes > 0 {
        let mut last = [0u8];
        f.read_exact_at(&mut last, extent.bytes - 1)
            .map_err(|e| Error::msg(format!("reading {}: {e}", state.join(file).display())))?;
        if last[0] != b'\n' {
            return Err(corrupt(
                state,
                file,
                "does not end its last committed record with a newline",
            ));
        }
    }
    Ok(())
}

/// Reads the committed records of `file`.
pub fn read<T: DeserializeOwned>(state: &Path, file: &str, extent: Extent) -> Result<Vec<T>> {
    check(state, file, extent)?;
    let Some(f) = open(state, file, extent)? else {
        return Ok(Vec::new());
    };
    let mut bytes = Vec::with_capacity(extent.bytes as usize);
    f.take(extent.bytes)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::msg(format!("reading {}: {e}", state.join(file).display())))?;
    let mut out = Vec::with_capacity(extent.records.min(extent.bytes) as usize);
    for (i, line) in bytes.split_inclusive(|b| *b == b'\n').enumerate() {
        let record = serde_json::from_slice(line).map_err(|e| {
            let text = e.to_string();
            let text: String = text.chars().take(200).collect();
            corrupt(state, file, &format!("line {}: {text}", i + 1))
        })?;
        out.push(record);
    }
    if out.len() as u64 != extent.records {
        return Err(corrupt(
            state,
            file,
            &format!(
                "holds {} records where {} are committed",
                out.len(),
                extent.records
            ),
        ));
    }
    Ok(out)
}

/// Appends `records` to `file` at its committed end (anything past it, left by a killed
/// command, is cut off first) and fsyncs them. Returns the extent once `model.json`
/// commits it.
pub fn append<T: Serialize>(
    state: &Path,
    file: &str,
    extent: Extent,
    records: &[T],
) -> Result<Extent> {
    if records.is_empty() {
        return Ok(extent);
    }
    let path = state.join(file);
    let io = |e: std::io::Error| Error::msg(format!("writing {}: {e}", path.display()));
    let mut bytes = Vec::new();
    for r in records {
        serde_json::to_writer(&mut bytes, r)
            .map_err(|e| Error::msg(format!("serializing {}: {e}", path.display())))?;
        bytes.push(b'\n');
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let mut f = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(io)?;
    let len = f.metadata().map_err(io)?.len();
    if len < extent.bytes {
        return Err(corrupt(
            state,
            file,
            &format!("is truncated ({len} bytes, {} committed)", extent.bytes),
        ));
    }
    if len > extent.bytes {
        f.set_len(extent.bytes).map_err(io)?;
    }
    f.seek(SeekFrom::Start(extent.bytes)).map_err(io)?;
    f.write_all(&bytes).map_err(io)?;
    f.sync_data().map_err(io)?;
    if len == 0 {
        // Perhaps a new file: make its name durable too.
        if let Some(dir) = path.parent() {
            File::open(dir).and_then(|d| d.sync_all()).map_err(io)?;
        }
    }
    Ok(Extent {
        records: extent.records.saturating_add(records.len() as u64),
        bytes: extent.bytes + bytes.len() as u64,
    })
}
