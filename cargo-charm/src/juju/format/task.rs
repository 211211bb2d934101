//! `juju run` and `juju exec` results (Juju 3.6 `cmd/juju/action/common.go`,
//! `formatActionResult`): `{unit: {id, log, message, results, status, timing, unit}}`,
//! a Go map, so its keys are sorted; `results` holds the action's values (dotted
//! `action-set` keys as nested maps) plus `return-code`, and `stdout` / `stderr` when not
//! empty.

use super::time;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt::Write;

/// One finished task, as the simulator ran it.
#[derive(Debug, Clone)]
pub struct TaskResult {
    /// Task id.
    pub id: String,
    /// The unit it ran on.
    pub unit: String,
    /// `completed` or `failed`.
    pub status: String,
    /// The failure message (`action-fail`).
    pub message: String,
    /// `action-set` values, flat dotted keys.
    pub results: BTreeMap<String, String>,
    /// `action-log` messages.
    pub log: Vec<String>,
    /// The process's stdout.
    pub stdout: String,
    /// The process's stderr.
    pub stderr: String,
    /// Its exit code.
    pub return_code: i32,
    /// When it was queued, started, completed (Unix seconds).
    pub at: i64,
}

/// The nested `results` map (`a.b=1` → `{a: {b: "1"}}`) with Juju's extra keys.
fn results(t: &TaskResult) -> Map<String, Value> {
    let mut root = Map::new();
    for (k, v) in &t.results {
        let parts: Vec<&str> = k.split('.').collect();
        insert_path(&mut root, &parts, v);
    }
    root.insert("return-code".into(), Value::from(t.return_code));
    if !t.stdout.is_empty() {
        root.insert("stdout".into(), Value::from(t.stdout.replace("\r\n", "\n")));
    }
    if !t.stderr.is_empty() {
        root.insert("stderr".into(), Value::from(t.stderr.replace("\r\n", "\n")));
    }
    root
}

fn insert_path(m: &mut Map<String, Value>, parts: &[&str], v: &str) {
    match parts {
        [] => {}
        [last] => {
            m.insert((*last).to_string(), Value::from(v));
        }
        [first, rest @ ..] => {
            let entry = m
                .entry((*first).to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            if let Value::Object(inner) = entry {
                insert_path(inner, rest, v);
            }
        }
    }
}

/// One task's map, as `formatActionResult` builds it.
pub fn task_value(t: &TaskResult) -> Value {
    let when = time::go_string(t.at);
    let mut m = Map::new();
    m.insert("id".into(), Value::from(t.id.as_str()));
    if !t.log.is_empty() {
        let log: Vec<Value> = t
            .log
            .iter()
            .map(|l| Value::from(format!("{when} {l}")))
            .collect();
        m.insert("log".into(), Value::Array(log));
    }
    if !t.message.is_empty() {
        m.insert("message".into(), Value::from(t.message.as_str()));
    }
    m.insert("results".into(), Value::Object(results(t)));
    m.insert("status".into(), Value::from(t.status.as_str()));
    let mut timing = Map::new();
    for k in ["completed", "enqueued", "started"] {
        timing.insert(k.into(), Value::from(when.as_str()));
    }
    m.insert("timing".into(), Value::Object(timing));
    m.insert("unit".into(), Value::from(t.unit.as_str()));
    Value::Object(m)
}

/// `{unit: task}` for `--format json|yaml`.
pub fn tasks_value(tasks: &[TaskResult]) -> Value {
    Value::Object(
        tasks
            .iter()
            .map(|t| (t.unit.clone(), task_value(t)))
            .collect(),
    )
}

/// The default (`plain`) view of one task, as `printPlainOutput` writes it: a failure
/// line, the results as YAML (without Juju's own keys), then stdout and stderr.
pub fn plain(t: &TaskResult) -> String {
    let mut out = String::new();
    let mut shown = results(t);
    for k in ["return-code", "stdout", "stderr"] {
        shown.remove(k);
    }
    let body = if shown.is_empty() {
        format!("Task {} {}\n", t.id, t.status)
    } else {
        super::yaml(&shown)
    };
    if t.status == "failed" {
        let _ = writeln!(out, "Action id {} failed: {}", t.id, t.message);
    }
    out.push_str(&body);
    if !t.stdout.is_empty() {
        let _ = writeln!(out, "{}", t.stdout.trim_matches('\n'));
    }
    if !t.stderr.is_empty() {
        let _ = writeln!(out, "{}", t.stderr.trim_matches('\n'));
    }
    out
}

/// The error `juju run` / `juju exec` end with when a task exited non-zero.
pub fn failed_error(failed: &[(String, i32)]) -> String {
    let plural = if failed.len() > 1 { "s" } else { "" };
    let mut list: Vec<String> = failed
        .iter()
        .map(|(id, code)| format!(" - id {id:?} with return code {code}"))
        .collect();
    list.sort();
    format!(
        "the following task{plural} failed:\n{}\n\nuse 'juju show-task' to inspect the failure{plural}\n",
        list.join("\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task() -> TaskResult {
        TaskResult {
            id: "2".into(),
            unit: "a/0".into(),
            status: "completed".into(),
            message: String::new(),
            results: BTreeMap::from([
                ("db-host".to_string(), "h".to_string()),
                ("x.y".to_string(), "1".to_string()),
            ]),
            log: vec!["hello".into()],
            stdout: String::new(),
            stderr: "warn\n".into(),
            return_code: 0,
            at: 0,
        }
    }

    #[test]
    fn json_keys_sorted_with_return_code() {
        let s = super::super::json::to_string(&tasks_value(&[task()]));
        assert_eq!(
            s,
            concat!(
                r#"{"a/0":{"id":"2","log":["1970-01-01 00:00:00 +0000 UTC hello"],"#,
                r#""results":{"db-host":"h","return-code":0,"stderr":"warn\n","x":{"y":"1"}},"#,
                r#""status":"completed","timing":{"completed":"1970-01-01 00:00:00 +0000 UTC","#,
                r#""enqueued":"1970-01-01 00:00:00 +0000 UTC","started":"1970-01-01 00:00:00 +0000 UTC"},"#,
                r#""unit":"a/0"}}"#
            )
        );
    }

    #[test]
    fn plain_and_failure_texts() {
        assert_eq!(plain(&task()), "db-host: h\nx:\n  y: '1'\nwarn\n");
        let e = failed_error(&[("2".into(), 1)]);
        assert!(e.contains("task failed"), "{e}");
        assert!(e.starts_with("the following task failed:\n - id \"2\" with return code 1\n"));
    }
}
