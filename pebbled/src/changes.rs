//! Changes and tasks (`internals/overlord/state/change.go`, `task.go`,
//! `internals/daemon/api_changes.go`): ids counting from 1, Go's status names and
//! readiness, task logs stamped `<RFC 3339> INFO|ERROR <message>`, a change's `err`
//! built from its failed tasks' error lines, and a `change-update` notice each time a
//! change is spawned or its status changes (Pebble's `Change.addNotice`).
//!
//! The server runs no processes, so a service change's tasks run at once: a change goes
//! `Do` → `Doing` → `Done` inside the request that made it, as Pebble's would for
//! services that start cleanly. Health-check changes stay `Doing` until stopped or
//! failed.

use std::collections::BTreeMap;

use charm_runtime::pebble::types;
use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;

/// A change's or task's status (`state.Status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    /// Not started.
    Do,
    /// Running.
    Doing,
    /// Finished successfully.
    Done,
    /// Being aborted.
    Abort,
    /// To be undone.
    Undo,
    /// Being undone.
    Undoing,
    /// Undone (a stopped health check's task ends here).
    Undone,
    /// Held.
    Hold,
    /// Failed.
    Error,
    /// Waiting on something external.
    Wait,
}

impl Status {
    /// Go's `Status.String()`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Do => "Do",
            Status::Doing => "Doing",
            Status::Done => "Done",
            Status::Abort => "Abort",
            Status::Undo => "Undo",
            Status::Undoing => "Undoing",
            Status::Undone => "Undone",
            Status::Hold => "Hold",
            Status::Error => "Error",
            Status::Wait => "Wait",
        }
    }

    /// Go's `Status.Ready()`.
    pub fn ready(self) -> bool {
        matches!(
            self,
            Status::Done | Status::Undone | Status::Hold | Status::Error
        )
    }
}

/// Go's `statusOrder`: a change takes the first of these that any task has.
pub(crate) const STATUS_ORDER: [Status; 10] = [
    Status::Abort,
    Status::Undoing,
    Status::Undo,
    Status::Doing,
    Status::Do,
    Status::Wait,
    Status::Error,
    Status::Undone,
    Status::Done,
    Status::Hold,
];

/// One task of a change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskRecord {
    /// Its id (tasks count from 1 across all changes).
    pub id: String,
    /// `start`, `stop`, `perform-check`, `recover-check`.
    pub kind: String,
    /// `Start service "x"`, ...
    pub summary: String,
    /// Its status.
    pub status: Status,
    /// Log lines, at most the last 10 (Pebble keeps 10).
    pub log: Vec<String>,
    /// When it was created.
    pub spawn_time: Timestamp,
    /// When it finished.
    pub ready_time: Option<Timestamp>,
}

/// One change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeRecord {
    /// Its id (changes count from 1).
    pub id: String,
    /// `start`, `stop`, `restart`, `replan`, `autostart`, `perform-check`, `recover-check`.
    pub kind: String,
    /// `Start service "x"`, `Replan service "x" and 1 more`, ...
    pub summary: String,
    /// Its tasks, in the order added.
    pub tasks: Vec<TaskRecord>,
    /// A status set on the change itself (a change without tasks); otherwise the status
    /// is derived from the tasks.
    pub explicit_status: Option<Status>,
    /// When it was created.
    pub spawn_time: Timestamp,
    /// When it became ready.
    pub ready_time: Option<Timestamp>,
    /// The services it is about (Pebble's `service-names`, for `?for=`).
    #[serde(default)]
    pub service_names: Vec<String>,
    /// Extra data for its `change-update` notices (`check-name` for check changes).
    #[serde(default)]
    pub notice_data: BTreeMap<String, String>,
    /// The status last reported by a `change-update` notice.
    pub noticed_status: Option<Status>,
}

impl ChangeRecord {
    /// The change's status: explicit, or derived from its tasks (`Change.Status`).
    pub fn status(&self) -> Status {
        if let Some(status) = self.explicit_status {
            return status;
        }
        if self.tasks.is_empty() {
            return Status::Hold;
        }
        STATUS_ORDER
            .into_iter()
            .find(|status| self.tasks.iter().any(|task| task.status == *status))
            .unwrap_or(Status::Hold)
    }

    /// `Change.Err`: the failed tasks' error lines, or `None` unless the change failed.
    pub fn err(&self) -> Option<String> {
        if self.status() != Status::Error {
            return None;
        }
        let mut lines = Vec::new();
        for task in self
            .tasks
            .iter()
            .filter(|task| task.status == Status::Error)
        {
            for entry in &task.log {
                if let Some((_, rest)) = entry.split_once(' ') {
                    if let Some(message) = rest.strip_prefix("ERROR ") {
                        lines.push(format!("- {} ({message})", task.summary));
                    }
                }
            }
        }
        if lines.is_empty() {
            return Some(format!(
                "internal inconsistency: change {} in ErrorStatus with no task errors logged",
                crate::duration::go_quote(&self.kind)
            ));
        }
        Some(format!(
            "cannot perform the following tasks:\n{}",
            lines.join("\n")
        ))
    }

    /// The change as `GET /v1/changes/{id}` shows it (`change2changeInfo`).
    pub fn to_wire(&self) -> types::Change {
        let status = self.status();
        types::Change {
            id: self.id.clone(),
            kind: self.kind.clone(),
            summary: self.summary.clone(),
            status: status.as_str().to_string(),
            tasks: self
                .tasks
                .iter()
                .map(|task| types::Task {
                    id: task.id.clone(),
                    kind: task.kind.clone(),
                    summary: task.summary.clone(),
                    status: task.status.as_str().to_string(),
                    log: task.log.clone(),
                    progress: types::TaskProgress {
                        label: String::new(),
                        done: u64::from(task.status != Status::Do),
                        total: 1,
                    },
                    spawn_time: task.spawn_time.rfc3339_nano(),
                    ready_time: task.ready_time.map(Timestamp::rfc3339_nano),
                    data: BTreeMap::new(),
                })
                .collect(),
            ready: status.ready(),
            err: self.err(),
            spawn_time: self.spawn_time.rfc3339_nano(),
            ready_time: self.ready_time.map(Timestamp::rfc3339_nano),
            data: BTreeMap::new(),
        }
    }
}
