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
use crate::state::Pebble;

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
const STATUS_ORDER: [Status; 10] = [
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

impl Pebble {
    /// Creates a change (and its spawn notice); returns its index in `changes`.
    pub(crate) fn new_change(
        &mut self,
        kind: &str,
        summary: &str,
        notice_data: BTreeMap<String, String>,
    ) -> usize {
        self.last_change_id += 1;
        let now = self.now();
        self.changes.push(ChangeRecord {
            id: self.last_change_id.to_string(),
            kind: kind.to_string(),
            summary: summary.to_string(),
            tasks: Vec::new(),
            explicit_status: None,
            spawn_time: now,
            ready_time: None,
            service_names: Vec::new(),
            notice_data,
            noticed_status: None,
        });
        let index = self.changes.len() - 1;
        self.change_notice(index);
        index
    }

    /// Adds a task in `Do` to change `index`; returns the task's index.
    pub(crate) fn add_task(&mut self, index: usize, kind: &str, summary: &str) -> usize {
        self.last_task_id += 1;
        let now = self.now();
        let change = &mut self.changes[index];
        change.tasks.push(TaskRecord {
            id: self.last_task_id.to_string(),
            kind: kind.to_string(),
            summary: summary.to_string(),
            status: Status::Do,
            log: Vec::new(),
            spawn_time: now,
            ready_time: None,
        });
        change.tasks.len() - 1
    }

    /// Appends `<time> <level> <message>` to a task's log (Pebble keeps the last 10).
    pub(crate) fn task_log(&mut self, index: usize, task: usize, level: &str, message: &str) {
        let line = format!("{} {level} {message}", self.now().rfc3339());
        let log = &mut self.changes[index].tasks[task].log;
        if log.len() > 9 {
            log.drain(..log.len() - 9);
        }
        log.push(line);
    }

    /// Sets a task's status, then records the change's new status.
    pub(crate) fn set_task_status(&mut self, index: usize, task: usize, status: Status) {
        let now = self.now();
        let record = &mut self.changes[index].tasks[task];
        record.status = status;
        if status.ready() {
            record.ready_time.get_or_insert(now);
        }
        self.change_status_changed(index);
    }

    /// Sets the change's own status (a change without tasks).
    pub(crate) fn set_change_status(&mut self, index: usize, status: Status) {
        self.changes[index].explicit_status = Some(status);
        self.change_status_changed(index);
    }

    fn change_status_changed(&mut self, index: usize) {
        let now = self.now();
        let change = &mut self.changes[index];
        let status = change.status();
        if status.ready() {
            change.ready_time.get_or_insert(now);
        }
        // Pebble skips a notice for no change, and for Doing→Do or Undoing→Undo flips.
        let skip = match change.noticed_status {
            Some(old) => {
                old == status
                    || (old == Status::Doing && status == Status::Do)
                    || (old == Status::Undoing && status == Status::Undo)
            }
            None => status == Status::Do,
        };
        if !skip {
            change.noticed_status = Some(status);
            self.change_notice(index);
        }
    }

    /// Records an occurrence of the change's public `change-update` notice.
    fn change_notice(&mut self, index: usize) {
        let change = &self.changes[index];
        let mut data = BTreeMap::from([("kind".to_string(), change.kind.clone())]);
        data.extend(change.notice_data.clone());
        let key = change.id.clone();
        self.record_notice(None, "change-update", &key, data, None);
    }

    /// The index of change `id`.
    pub(crate) fn change_index(&self, id: &str) -> Option<usize> {
        self.changes.iter().position(|change| change.id == id)
    }

    /// Change `id` as the API shows it.
    pub fn change(&self, id: &str) -> Option<types::Change> {
        self.changes
            .iter()
            .find(|change| change.id == id)
            .map(ChangeRecord::to_wire)
    }

    /// Every change, oldest first.
    pub fn change_records(&self) -> &[ChangeRecord] {
        &self.changes
    }

    /// Aborts a change that is not ready: its unfinished tasks end `Undone` (as a stopped
    /// check's task does). `Err` carries Pebble's message when nothing is pending.
    pub fn abort_change(&mut self, id: &str) -> Result<types::Change, String> {
        let index = self.change_index(id).ok_or_else(|| {
            format!(
                "cannot find change with id {}",
                crate::duration::go_quote(id)
            )
        })?;
        if self.changes[index].status().ready() {
            return Err(format!("cannot abort change {id} with nothing pending"));
        }
        self.finish_unready_tasks(index, Status::Undone);
        Ok(self.changes[index].to_wire())
    }

    /// Moves every unready task of change `index` to `status`.
    pub(crate) fn finish_unready_tasks(&mut self, index: usize, status: Status) {
        let unready: Vec<usize> = (0..self.changes[index].tasks.len())
            .filter(|task| !self.changes[index].tasks[*task].status.ready())
            .collect();
        for task in unready {
            self.set_task_status(index, task, status);
        }
        if self.changes[index].tasks.is_empty() && !self.changes[index].status().ready() {
            self.set_change_status(index, status);
        }
    }
}
