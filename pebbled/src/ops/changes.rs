//! Changes and tasks as operations on the state: creating them, logging, status changes and their `change-update` notices, aborting.

use crate::changes::{ChangeRecord, Status, TaskRecord};
use crate::state::Pebble;
use charm_runtime::pebble::types;
use std::collections::BTreeMap;

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
