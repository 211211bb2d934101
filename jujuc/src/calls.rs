//! [`CallLog`]: every hook-tool call of one hook, kept compact and read as
//! [`CallRecord`]s.
//!
//! A hook records every call it makes, but most runs (a simulator step, a harness run in a
//! benchmark or a test that looks only at the state) never read the records. The log keeps
//! each call's arguments in one shared text buffer (no `String` per argument, no vector
//! per call) and builds the [`CallRecord`]s the first time they are read; a recorded call
//! reads exactly as before, through `Deref<Target = [CallRecord]>`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::ops::Deref;
use std::sync::OnceLock;

/// One recorded tool call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallRecord {
    /// Tool then arguments.
    pub argv: Vec<String>,
    /// Stdin, if any.
    pub stdin: Option<String>,
    /// Exit code.
    pub code: i32,
    /// Stderr (empty on success).
    pub stderr: String,
}

/// A command line written argument by argument into whatever records it (a
/// [`CallLog`]), so that a caller holding a typed call need not build a `Vec<String>`.
pub trait CommandLine {
    /// The tool.
    fn tool(&self) -> &str;
    /// Calls `arg` once per argument after the tool, in order, each given as the pieces it
    /// is made of (the argument is their concatenation).
    fn each_arg(&self, arg: &mut dyn FnMut(&[&str]));
}

/// An argv, the tool first.
impl CommandLine for [String] {
    fn tool(&self) -> &str {
        self.first().map_or("", String::as_str)
    }

    fn each_arg(&self, arg: &mut dyn FnMut(&[&str])) {
        for a in self.iter().skip(1) {
            arg(&[a.as_str()]);
        }
    }
}

/// One call as the log keeps it: where its pieces end in the log's piece list (its tool,
/// its arguments, its stdin if it had one, its stderr), its exit code and whether it had
/// stdin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    /// One past the index of its last piece (its stderr) in [`CallLog::ends`].
    pieces_end: usize,
    code: i32,
    stdin: bool,
}

/// Every hook-tool call of a hook, in order: compact while it is written, read as a slice
/// of [`CallRecord`]s (built on first read, and again after a later call is recorded).
///
/// Serialized, compared and printed as that slice.
#[derive(Default)]
pub struct CallLog {
    /// Every piece (tool, argument, stdin, stderr) of every call, back to back.
    text: String,
    /// Where each piece ends in `text`.
    ends: Vec<usize>,
    /// The calls.
    entries: Vec<Entry>,
    /// The records, once read.
    records: OnceLock<Vec<CallRecord>>,
}

/// Room for a typical hook's calls, reserved on the first one (each block stays small
/// enough for the allocator's per-thread cache).
const FIRST_TEXT: usize = 512;
const FIRST_PIECES: usize = 64;
const FIRST_CALLS: usize = 16;

impl CallLog {
    /// An empty log.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a call: `line`'s tool and arguments, its stdin, exit code and stderr.
    pub fn push_line(
        &mut self,
        line: &(impl CommandLine + ?Sized),
        stdin: Option<String>,
        code: i32,
        stderr: String,
    ) {
        self.records.take();
        if self.entries.is_empty() {
            self.text.reserve(FIRST_TEXT);
            self.ends.reserve(FIRST_PIECES);
            self.entries.reserve(FIRST_CALLS);
        }
        let (text, ends) = (&mut self.text, &mut self.ends);
        let mut piece = |parts: &[&str]| {
            for p in parts {
                text.push_str(p);
            }
            ends.push(text.len());
        };
        piece(&[line.tool()]);
        line.each_arg(&mut piece);
        if let Some(stdin) = &stdin {
            piece(&[stdin]);
        }
        piece(&[&stderr]);
        self.entries.push(Entry {
            pieces_end: self.ends.len(),
            code,
            stdin: stdin.is_some(),
        });
    }

    /// Records a call given as a [`CallRecord`].
    pub fn push(&mut self, record: CallRecord) {
        let CallRecord {
            argv,
            stdin,
            code,
            stderr,
        } = record;
        self.push_line(argv.as_slice(), stdin, code, stderr);
    }

    /// The records (built now if they were not yet).
    pub fn records(&self) -> &[CallRecord] {
        self.records.get_or_init(|| {
            let piece = |i: usize| {
                let from = if i == 0 { 0 } else { self.ends[i - 1] };
                self.text[from..self.ends[i]].to_string()
            };
            let mut start = 0;
            self.entries
                .iter()
                .map(|e| {
                    let stderr = e.pieces_end - 1;
                    let argv_end = stderr - usize::from(e.stdin);
                    let record = CallRecord {
                        argv: (start..argv_end).map(piece).collect(),
                        stdin: e.stdin.then(|| piece(argv_end)),
                        code: e.code,
                        stderr: piece(stderr),
                    };
                    start = e.pieces_end;
                    record
                })
                .collect()
        })
    }

    /// The records, moved out (built now if they were not yet).
    pub fn into_records(mut self) -> Vec<CallRecord> {
        self.records();
        self.records.take().unwrap_or_default()
    }
}

impl Deref for CallLog {
    type Target = [CallRecord];

    fn deref(&self) -> &[CallRecord] {
        self.records()
    }
}

impl Clone for CallLog {
    /// The compact log (records already built are built again when read).
    fn clone(&self) -> Self {
        CallLog {
            text: self.text.clone(),
            ends: self.ends.clone(),
            entries: self.entries.clone(),
            records: OnceLock::new(),
        }
    }
}

impl PartialEq for CallLog {
    /// The same calls (the compact form is the same exactly when the records are).
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text && self.ends == other.ends && self.entries == other.entries
    }
}

impl Eq for CallLog {}

impl PartialEq<Vec<CallRecord>> for CallLog {
    fn eq(&self, other: &Vec<CallRecord>) -> bool {
        self.records() == other.as_slice()
    }
}

impl PartialEq<[CallRecord]> for CallLog {
    fn eq(&self, other: &[CallRecord]) -> bool {
        self.records() == other
    }
}

impl fmt::Debug for CallLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.records(), f)
    }
}

impl From<Vec<CallRecord>> for CallLog {
    fn from(records: Vec<CallRecord>) -> Self {
        let mut log = CallLog::new();
        for r in records {
            log.push(r);
        }
        log
    }
}

impl FromIterator<CallRecord> for CallLog {
    fn from_iter<I: IntoIterator<Item = CallRecord>>(iter: I) -> Self {
        let mut log = CallLog::new();
        for r in iter {
            log.push(r);
        }
        log
    }
}

impl<'a> IntoIterator for &'a CallLog {
    type Item = &'a CallRecord;
    type IntoIter = std::slice::Iter<'a, CallRecord>;

    fn into_iter(self) -> Self::IntoIter {
        self.records().iter()
    }
}

/// As the sequence of records.
impl Serialize for CallLog {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.records().serialize(s)
    }
}

/// From the sequence of records.
impl<'de> Deserialize<'de> for CallLog {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<CallRecord>::deserialize(d).map(CallLog::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(argv: &[&str], stdin: Option<&str>, code: i32, stderr: &str) -> CallRecord {
        CallRecord {
            argv: argv.iter().map(|a| a.to_string()).collect(),
            stdin: stdin.map(str::to_string),
            code,
            stderr: stderr.into(),
        }
    }

    /// Pieces of one argument, as a typed caller gives them.
    struct Pieces;

    impl CommandLine for Pieces {
        fn tool(&self) -> &str {
            "relation-get"
        }

        fn each_arg(&self, arg: &mut dyn FnMut(&[&str])) {
            arg(&["-r"]);
            arg(&["peers", ":", "1"]);
            arg(&[]);
            arg(&["-"]);
        }
    }

    #[test]
    fn records_read_back_as_written() {
        let mut log = CallLog::new();
        assert!(log.is_empty());
        let calls = vec![
            record(&["is-leader", "--format=json"], None, 0, ""),
            record(&["status-set", "", "--", ""], None, 2, "ERROR bad\n"),
            record(&["relation-set", "--file", "-"], Some("{}"), 0, ""),
            record(&["config-get"], None, 0, ""),
        ];
        for c in calls.clone() {
            log.push(c);
        }
        assert_eq!(log, calls);
        assert_eq!(log.len(), 4);
        assert_eq!(log[1].code, 2);
        assert_eq!(log[1].argv, ["status-set", "", "--", ""]);
        // A call after a read is seen by the next read.
        log.push_line(&Pieces, None, 0, String::new());
        assert_eq!(log[4].argv, ["relation-get", "-r", "peers:1", "", "-"]);
        assert_eq!(log.len(), 5);
        assert_eq!(log.clone(), log);
        assert_eq!(log.clone().into_records(), log.to_vec());
    }

    #[test]
    fn serializes_as_the_records() {
        let calls = vec![
            record(&["juju-log", "--", "hi"], None, 0, ""),
            record(&["state-set", "--file", "-"], Some("{\"a\":\"b\"}"), 1, "x"),
        ];
        let log = CallLog::from(calls.clone());
        let json = serde_json::to_string(&log).expect("serializes");
        assert_eq!(json, serde_json::to_string(&calls).expect("serializes"));
        let back: CallLog = serde_json::from_str(&json).expect("deserializes");
        assert_eq!(back, log);
        assert_eq!(format!("{log:?}"), format!("{calls:?}"));
    }
}
