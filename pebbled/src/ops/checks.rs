//! Health checks as operations on the state (see [`crate::checks`] for the model).

use crate::changes::Status;
use crate::checks::{check_type, enabled, CheckRecord, PERFORM, RECOVER};
use crate::duration::go_quote;
use crate::state::Pebble;
use charm_runtime::pebble::layer::{Check, CheckLevel, Startup};
use charm_runtime::pebble::types::CheckInfo;
use std::collections::{BTreeMap, BTreeSet};

impl Pebble {
    fn check_change(&mut self, kind: &str, name: &str, config: &Check) -> String {
        let verb = if kind == PERFORM {
            "Perform"
        } else {
            "Recover"
        };
        let summary = format!("{verb} {} check {}", check_type(config), go_quote(name));
        let data = BTreeMap::from([("check-name".to_string(), name.to_string())]);
        let index = self.new_change(kind, &summary, data);
        let task = self.add_task(index, kind, &summary);
        self.set_task_status(index, task, Status::Doing);
        self.changes[index].id.clone()
    }

    fn set_check(
        &mut self,
        name: &str,
        config: &Check,
        change_id: String,
        prev: String,
        successes: u32,
        failures: u32,
    ) {
        self.checks.insert(
            name.to_string(),
            CheckRecord {
                config: config.clone(),
                successes,
                failures,
                change_id,
                prev_change_id: prev,
            },
        );
    }

    fn stop_check_change(&mut self, change_id: &str) {
        if let Some(index) = self.change_index(change_id) {
            if !self.changes[index].status().ready() {
                self.finish_unready_tasks(index, Status::Undone);
            }
        }
    }

    /// `CheckManager.PlanChanged`: restart modified checks, start new enabled ones.
    pub(crate) fn plan_changed(&mut self) {
        let plan_checks = self.plan.checks.clone();
        let mut running = BTreeSet::new();
        let mut start = BTreeSet::new();
        for (name, record) in self.checks.clone() {
            if record.change_id.is_empty() {
                continue;
            }
            running.insert(name.clone());
            if let Some(config) = plan_checks.get(&name) {
                if *config == record.config {
                    continue;
                }
                if config.startup == Some(Startup::Disabled) && enabled(&record.config) {
                    continue;
                }
                start.insert(name.clone());
            }
            self.stop_check_change(&record.change_id);
            self.checks.remove(&name);
        }
        for (name, config) in &plan_checks {
            if running.contains(name) {
                continue;
            }
            if enabled(config) {
                start.insert(name.clone());
            } else {
                self.set_check(name, config, String::new(), String::new(), 0, 0);
            }
        }
        for name in start {
            let config = &plan_checks[&name];
            let change_id = self.check_change(PERFORM, &name, config);
            self.set_check(&name, config, change_id, String::new(), 0, 0);
        }
    }

    /// `CheckManager.Replan`: start enabled checks that are not running.
    pub(crate) fn replan_checks(&mut self) {
        for (name, config) in self.plan.checks.clone() {
            let Some(record) = self.checks.get(&name) else {
                continue;
            };
            if !enabled(&config) || !record.change_id.is_empty() {
                continue;
            }
            let change_id = self.check_change(PERFORM, &name, &config);
            self.set_check(&name, &config, change_id, String::new(), 0, 0);
        }
    }

    /// `GET /v1/checks`: by name, filtered by level and names.
    pub fn check_infos(&self, level: Option<&CheckLevel>, names: &[String]) -> Vec<CheckInfo> {
        self.checks
            .iter()
            .filter(|(name, record)| {
                level.is_none_or(|level| record.config.level.as_ref() == Some(level))
                    && (names.is_empty() || names.contains(name))
            })
            .map(|(name, record)| CheckInfo {
                name: name.clone(),
                level: record.config.level.clone(),
                startup: if enabled(&record.config) {
                    Startup::Enabled
                } else {
                    Startup::Disabled
                },
                status: record.status(),
                successes: Some(record.successes),
                failures: record.failures,
                threshold: record.threshold(),
                change_id: Some(record.change_id.clone()).filter(|id| !id.is_empty()),
                prev_change_id: Some(record.prev_change_id.clone()).filter(|id| !id.is_empty()),
            })
            .collect()
    }

    fn missing_checks(&self, names: &[String]) -> Result<(), String> {
        let mut missing: Vec<&String> = names
            .iter()
            .filter(|name| !self.plan.checks.contains_key(*name))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        missing.sort();
        let list: Vec<&str> = missing.iter().map(|name| name.as_str()).collect();
        Err(format!("cannot find checks in plan: {}", list.join(", ")))
    }

    /// `CheckManager.StartChecks`: returns the checks it started; `Err` is
    /// `ChecksNotFound`'s message.
    pub fn start_checks(&mut self, names: &[String]) -> Result<Vec<String>, String> {
        self.missing_checks(names)?;
        let mut started = Vec::new();
        for name in names {
            let Some(record) = self.checks.get(name) else {
                continue;
            };
            if !record.change_id.is_empty() {
                continue;
            }
            let config = self.plan.checks[name].clone();
            let change_id = self.check_change(PERFORM, name, &config);
            self.set_check(name, &config, change_id, String::new(), 0, 0);
            started.push(name.clone());
        }
        started.sort();
        Ok(started)
    }

    /// `CheckManager.StopChecks`: returns the checks it stopped (their counters are kept).
    pub fn stop_checks(&mut self, names: &[String]) -> Result<Vec<String>, String> {
        self.missing_checks(names)?;
        let mut stopped = Vec::new();
        for name in names {
            let Some(record) = self.checks.get(name).cloned() else {
                continue;
            };
            if record.change_id.is_empty() {
                continue;
            }
            if self.change_index(&record.change_id).is_some() {
                self.stop_check_change(&record.change_id);
                stopped.push(name.clone());
            }
            let config = self.plan.checks[name].clone();
            self.set_check(
                name,
                &config,
                String::new(),
                record.prev_change_id,
                record.successes,
                record.failures,
            );
        }
        stopped.sort();
        Ok(stopped)
    }

    fn running_check(&self, name: &str) -> Result<(CheckRecord, usize), String> {
        let record = self
            .checks
            .get(name)
            .cloned()
            .ok_or_else(|| format!("cannot find check {}", go_quote(name)))?;
        let index = self
            .change_index(&record.change_id)
            .filter(|index| !self.changes[*index].status().ready())
            .ok_or_else(|| format!("check {} is not running", go_quote(name)))?;
        Ok((record, index))
    }

    /// Reports one failed probe of a running check, with the error text Pebble would log
    /// (`doPerformCheck` / `doRecoverCheck`). At the threshold the `perform-check` change
    /// errors and a `recover-check` change starts.
    pub fn check_failed(&mut self, name: &str, error: &str) -> Result<(), String> {
        let (mut record, index) = self.running_check(name)?;
        record.failures += 1;
        let kind = self.changes[index].kind.clone();
        if kind == PERFORM && record.failures >= record.threshold() {
            self.task_log(index, 0, "ERROR", error);
            self.set_task_status(index, 0, Status::Error);
            let recover = self.check_change(RECOVER, name, &record.config);
            let prev = record.change_id.clone();
            self.set_check(
                name,
                &record.config,
                recover,
                prev,
                record.successes,
                record.failures,
            );
        } else {
            self.task_log(index, 0, "ERROR", error);
            self.checks.insert(name.to_string(), record);
        }
        Ok(())
    }

    /// Reports one successful probe of a running check. A success while recovering ends
    /// the `recover-check` change and starts a new `perform-check`.
    pub fn check_succeeded(&mut self, name: &str) -> Result<(), String> {
        let (mut record, index) = self.running_check(name)?;
        if self.changes[index].kind == RECOVER {
            self.set_task_status(index, 0, Status::Done);
            let perform = self.check_change(PERFORM, name, &record.config);
            let prev = record.change_id.clone();
            self.set_check(name, &record.config, perform, prev, 1, 0);
            return Ok(());
        }
        record.successes += 1;
        if record.failures > 0 {
            let plural = if record.failures == 1 {
                "failure"
            } else {
                "failures"
            };
            self.task_log(
                index,
                0,
                "INFO",
                &format!("succeeded after {} {plural}", record.failures),
            );
            record.failures = 0;
        }
        self.checks.insert(name.to_string(), record);
        Ok(())
    }
}
