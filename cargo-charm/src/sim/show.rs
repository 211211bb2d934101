//! What the model looks like from outside: `show-unit` (shaped like `juju show-unit`),
//! `status` (like `juju status`), `debug-log`, `events`.

use super::model::{
    app_of_unit, App, EventRecord, LogLine, Model, Relation, StorageInstance, Task,
};
use super::table::table;
use jujuc::{BagData, StatusValue};
use serde_yaml::{Mapping, Value};
use std::fmt::Write;

fn bag(data: &BagData) -> Value {
    Value::Mapping(
        data.iter()
            .map(|(k, v)| (Value::from(k.as_str()), Value::from(v.as_str())))
            .collect(),
    )
}

fn unit_data(data: &BagData) -> Value {
    let mut m = Mapping::new();
    m.insert("in-scope".into(), true.into());
    m.insert("data".into(), bag(data));
    Value::Mapping(m)
}

/// The status `juju status` shows for a unit: `error` / `hook failed: "<hook>"` while
/// in error, else what the charm set.
pub fn shown_status(model: &Model, unit: &str) -> StatusValue {
    let u = model.unit(unit).expect("unit exists");
    match &u.error {
        Some(hook) => StatusValue {
            status: "error".into(),
            message: format!("hook failed: {hook:?}"),
        },
        None => u.status.clone(),
    }
}

fn relation_info(model: &Model, unit: &str, rel: &Relation) -> Option<Value> {
    let ru = rel.units.get(unit)?;
    let side = rel.side(app_of_unit(unit))?;
    let mut m = Mapping::new();
    m.insert("relation-id".into(), rel.id.into());
    m.insert("endpoint".into(), side.endpoint.into());
    m.insert("related-endpoint".into(), side.remote_endpoint.into());
    // The related application's bag (for peers, this application's).
    let app_data = if rel.is_peer() {
        &rel.app_data
    } else {
        side.remote_app_data
    };
    m.insert("application-data".into(), bag(app_data));
    if !rel.is_peer() {
        // Not in `juju show-unit` (it shows the related side); the simulator's addition,
        // since a simulated remote side has no unit to run show-unit on.
        m.insert("local-application-data".into(), bag(side.app_data));
    }
    m.insert("local-unit".into(), unit_data(&ru.data));
    let mut related = Mapping::new();
    for other in rel.units_of_other_side(app_of_unit(unit)) {
        if other == unit {
            continue;
        }
        let deployed = rel.units.contains_key(&other);
        if deployed && model.unit(&other).is_none() {
            continue;
        }
        if let Some(data) = rel.unit_bag(&other) {
            related.insert(other.as_str().into(), unit_data(data));
        }
    }
    if !related.is_empty() {
        m.insert("related-units".into(), Value::Mapping(related));
    }
    Some(Value::Mapping(m))
}

/// `show-unit`: `{unit: {...}}` with `juju show-unit`'s keys (workload-version,
/// opened-ports, charm, leader, life, relation-info, provider-id, address) plus the
/// unit's storage, its `containers` (given: their services and checks) and its workload
/// and agent status.
pub fn show_unit(model: &Model, unit: &str, containers: Option<Value>) -> Value {
    let u = model.unit(unit).expect("unit exists");
    let mut m = Mapping::new();
    if !u.workload_version.is_empty() {
        m.insert(
            "workload-version".into(),
            u.workload_version.as_str().into(),
        );
    }
    m.insert(
        "opened-ports".into(),
        Value::Sequence(u.ports.iter().map(|p| p.as_str().into()).collect()),
    );
    let app = model.app_of(unit).expect("unit exists");
    m.insert(
        "charm".into(),
        format!("local:{}-{}", app.meta.name, app.revision).into(),
    );
    m.insert("leader".into(), model.is_leader(unit).into());
    m.insert("life".into(), u.life.as_str().into());
    let rels: Vec<Value> = model
        .relations
        .values()
        .filter_map(|r| relation_info(model, unit, r))
        .collect();
    if !rels.is_empty() {
        m.insert("relation-info".into(), Value::Sequence(rels));
    }
    m.insert("provider-id".into(), unit.replace('/', "-").into());
    m.insert("address".into(), u.address.as_str().into());
    if !u.storage.is_empty() {
        // Not in `juju show-unit` (`juju storage` has it); the simulator's addition.
        let mut storage = Mapping::new();
        for s in &u.storage {
            let mut sm = Mapping::new();
            sm.insert("kind".into(), s.kind.as_str().into());
            sm.insert("location".into(), s.location.as_str().into());
            sm.insert("status".into(), storage_status(s).into());
            storage.insert(s.id().into(), Value::Mapping(sm));
        }
        m.insert("storage".into(), Value::Mapping(storage));
    }
    if let Some(c) = containers {
        // Not in `juju show-unit` (Juju does not show Pebble's state); the simulator's
        // addition.
        m.insert("containers".into(), c);
    }
    let status = shown_status(model, unit);
    let mut ws = Mapping::new();
    ws.insert("current".into(), status.status.as_str().into());
    ws.insert("message".into(), status.message.as_str().into());
    m.insert("workload-status".into(), Value::Mapping(ws));
    let mut js = Mapping::new();
    js.insert("current".into(), "idle".into());
    m.insert("juju-status".into(), Value::Mapping(js));
    let mut out = Mapping::new();
    out.insert(unit.into(), Value::Mapping(m));
    Value::Mapping(out)
}

/// `attached` once the instance's `-storage-attached` has run, `pending` before (as
/// `juju storage` says).
fn storage_status(s: &StorageInstance) -> &'static str {
    if s.attached {
        "attached"
    } else {
        "pending"
    }
}

/// Juju's rule for an application status nobody set: the most severe unit status.
pub fn derived_app_status(model: &Model, app: &App) -> StatusValue {
    if let Some(s) = &app.status {
        return s.clone();
    }
    let rank = |s: &str| match s {
        "error" => 6,
        "blocked" => 5,
        "maintenance" => 4,
        "waiting" => 3,
        "active" => 2,
        "unknown" => 1,
        _ => 0,
    };
    app.units
        .values()
        .map(|u| shown_status(model, &u.name))
        .max_by_key(|s| rank(&s.status))
        .unwrap_or(StatusValue {
            status: "unknown".into(),
            message: String::new(),
        })
}

/// `status`: like `juju status` (model, application, units, integrations); with `storage`,
/// like `juju status --storage` (plus each unit's storage instances). `containers` are the
/// rows of the containers table (unit, container, services and their states), shown
/// after the units when the charm has containers: not in `juju status`, which does not
/// show Pebble's state.
pub fn status(model: &Model, storage: bool, containers: &[Vec<String>]) -> String {
    let mut out = table(&[
        vec![
            "Model".into(),
            "Controller".into(),
            "Cloud/Region".into(),
            "Version".into(),
        ],
        vec![
            model.name.clone(),
            "cargo-charm-sim".into(),
            "local/k8s".into(),
            super::model::JUJU_VERSION.into(),
        ],
    ]);
    out.push('\n');
    let mut apps = vec![vec![
        "App".into(),
        "Version".into(),
        "Status".into(),
        "Scale".into(),
        "Charm".into(),
        "Rev".into(),
        "Address".into(),
        "Message".into(),
    ]];
    for app in model.apps.values() {
        let app_status = derived_app_status(model, app);
        let version = app
            .units
            .values()
            .map(|u| u.workload_version.clone())
            .find(|v| !v.is_empty())
            .unwrap_or_default();
        apps.push(vec![
            app.name.clone(),
            version,
            app_status.status,
            app.units.len().to_string(),
            app.meta.name.clone(),
            app.revision.to_string(),
            app.address.clone(),
            app_status.message,
        ]);
    }
    out.push_str(&table(&apps));
    out.push('\n');
    let mut rows = vec![vec![
        "Unit".into(),
        "Workload".into(),
        "Agent".into(),
        "Address".into(),
        "Ports".into(),
        "Message".into(),
    ]];
    for u in model.units() {
        let s = shown_status(model, &u.name);
        let marker = if model.is_leader(&u.name) { "*" } else { "" };
        let agent = if u.life == "dying" {
            "stopping"
        } else {
            "idle"
        };
        rows.push(vec![
            format!("{}{marker}", u.name),
            s.status,
            agent.into(),
            u.address.clone(),
            u.ports.iter().cloned().collect::<Vec<_>>().join(","),
            s.message,
        ]);
    }
    out.push_str(&table(&rows));
    if !containers.is_empty() {
        out.push('\n');
        let mut rows = vec![vec!["Unit".into(), "Container".into(), "Services".into()]];
        rows.extend(containers.iter().cloned());
        out.push_str(&table(&rows));
    }
    if !model.relations.is_empty() {
        out.push('\n');
        let mut rows = vec![vec![
            "Integration provider".into(),
            "Requirer".into(),
            "Interface".into(),
            "Type".into(),
            "Message".into(),
        ]];
        for r in model.relations.values() {
            let local = format!("{}:{}", r.app, r.endpoint);
            let remote = format!("{}:{}", r.remote_app, r.remote_endpoint);
            let (provider, requirer) = if r.role == "requires" {
                (remote, local)
            } else {
                (local, remote)
            };
            let kind = if r.is_peer() { "peer" } else { "regular" };
            rows.push(vec![
                provider,
                requirer,
                r.interface.clone(),
                kind.into(),
                if r.dying {
                    "removing".into()
                } else {
                    String::new()
                },
            ]);
        }
        out.push_str(&table(&rows));
    }
    let instances: Vec<(&str, &StorageInstance)> = model
        .units()
        .flat_map(|u| u.storage.iter().map(move |s| (u.name.as_str(), s)))
        .collect();
    if storage && !instances.is_empty() {
        out.push('\n');
        let mut rows = vec![vec![
            "Storage Unit".into(),
            "Storage ID".into(),
            "Type".into(),
            "Mountpoint".into(),
            "Status".into(),
        ]];
        for (unit, s) in instances {
            rows.push(vec![
                unit.to_string(),
                s.id(),
                s.kind.clone(),
                s.location.clone(),
                storage_status(s).into(),
            ]);
        }
        out.push_str(&table(&rows));
    }
    let held = model.held_count();
    if model.queue.len() > held {
        let _ = writeln!(
            out,
            "\n{} step(s) of an interrupted operation are queued; the next command that changes the model runs them first.",
            model.queue.len() - held
        );
    }
    if held > 0 {
        let _ = writeln!(
            out,
            "\n{held} step(s) wait for units in error; `cargo charm sim resolve UNIT` resolves a unit (its failed hook is also retried at the start of each command that changes the model)."
        );
    }
    out
}

/// How an event is labelled: `hook` plus `(remote unit)` or `(app)` in relation hooks,
/// `(storage id)` in storage hooks, `action NAME` for actions.
pub fn event_label(e: &EventRecord) -> String {
    if e.action {
        return format!("action {}", e.hook);
    }
    if let Some(s) = &e.storage {
        return format!("{} ({s})", e.hook);
    }
    match (&e.relation, &e.remote_unit) {
        (Some(_), Some(r)) => format!("{} ({r})", e.hook),
        (Some(_), None) if e.hook.ends_with("-changed") => format!("{} (app)", e.hook),
        _ => e.hook.clone(),
    }
}

/// `a b×2 c`: the tools an event called, in first-call order, with counts.
fn call_summary(e: &EventRecord) -> String {
    let mut seen: Vec<(String, usize, bool)> = Vec::new();
    for c in &e.calls {
        let tool = c.argv.first().cloned().unwrap_or_default();
        match seen.iter_mut().find(|(t, _, _)| *t == tool) {
            Some(s) => {
                s.1 += 1;
                s.2 |= c.code != 0;
            }
            None => seen.push((tool, 1, c.code != 0)),
        }
    }
    seen.iter()
        .map(|(t, n, failed)| {
            let mut s = t.clone();
            if *n > 1 {
                let _ = write!(s, "×{n}");
            }
            if *failed {
                s.push('!');
            }
            s
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `events`: every dispatch with unit, hook, exit code, wall time and tool calls; with
/// `calls`, each call's argv and exit code below its event.
pub fn events(model: &Model, unit: Option<&str>, calls: bool) -> String {
    let mut rows = vec![vec![
        "#".into(),
        "Cause".into(),
        "Unit".into(),
        "Hook".into(),
        "Exit".into(),
        "Wall".into(),
        "Calls".into(),
        "Tools".into(),
    ]];
    let selected: Vec<&EventRecord> = model
        .events
        .iter()
        .filter(|e| unit.is_none_or(|u| e.unit == u))
        .collect();
    if !calls {
        for e in &selected {
            rows.push(vec![
                e.seq.to_string(),
                e.cause.clone(),
                e.unit.clone(),
                event_label(e),
                e.exit_code.to_string(),
                format!("{:.1} ms", e.wall_ms),
                e.calls.len().to_string(),
                call_summary(e),
            ]);
        }
        let mut out = table(&rows);
        let total: f64 = selected.iter().map(|e| e.wall_ms).sum();
        let ncalls: usize = selected.iter().map(|e| e.calls.len()).sum();
        let _ = writeln!(
            out,
            "{} event(s), {ncalls} tool call(s), {total:.1} ms in hooks (a `!` marks a tool that failed)",
            selected.len()
        );
        return out;
    }
    let mut out = String::new();
    for e in &selected {
        let _ = writeln!(
            out,
            "#{} {} {} {}: exit {}, {:.1} ms, {} call(s)",
            e.seq,
            e.cause,
            e.unit,
            event_label(e),
            e.exit_code,
            e.wall_ms,
            e.calls.len()
        );
        for c in &e.calls {
            let argv: Vec<String> = shown_argv(&c.argv).iter().map(|a| shell_quote(a)).collect();
            let _ = write!(out, "    {}", argv.join(" "));
            if let Some(stdin) = &c.stdin {
                let _ = write!(out, " <<< {}", shell_quote(stdin.trim_end()));
            }
            let _ = writeln!(out, "  → {}", c.code);
            if c.code != 0 {
                let _ = writeln!(out, "      {}", c.stderr.trim_end());
            }
        }
    }
    out
}

/// A call's argv as `events --calls` shows it: the values of `action-set` (where a charm
/// puts credentials it was asked for, e.g. `db-password=...`) shown as `<redacted>`, as the
/// runtime's own error messages show them; everything else as called.
fn shown_argv(argv: &[String]) -> Vec<String> {
    if argv.first().map(String::as_str) != Some("action-set") {
        return argv.to_vec();
    }
    let mut shown = vec![argv[0].clone()];
    for a in &argv[1..] {
        match a.split_once('=') {
            Some((k, _)) if !a.starts_with('-') => shown.push(format!("{k}=<redacted>")),
            _ => shown.push(a.clone()),
        }
    }
    shown
}

/// An argument as a shell would need it (`'it'\''s'`), for showing hook-tool calls.
// Hand-written: display only, one rule; shlex would be a dependency for these five lines.
fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=,@%+".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// `debug-log`: `unit-app-0: HH:MM:SS LEVEL unit.app/0.<source> message`, like
/// `juju debug-log`. Filters: one unit, a minimum level.
pub fn debug_log(model: &Model, unit: Option<&str>, level: Option<&str>) -> String {
    let rank = |l: &str| match l {
        "TRACE" => 0,
        "DEBUG" => 1,
        "INFO" => 2,
        "WARNING" => 3,
        "ERROR" => 4,
        "CRITICAL" => 5,
        _ => 2,
    };
    let min = level.map_or(0, rank);
    let mut out = String::new();
    for l in &model.logs {
        if unit.is_some_and(|u| l.unit != u) || rank(&l.level) < min {
            continue;
        }
        let _ = writeln!(out, "{}", log_line(l));
    }
    out
}

/// An action's outcome, like `juju run` prints it: log lines, then the results as YAML.
pub fn task(t: &Task) -> String {
    let mut out = String::new();
    for l in &t.logs {
        let _ = writeln!(out, "{l}");
    }
    // `a.b=1` → {a: {b: "1"}}.
    let mut root = Mapping::new();
    for (k, v) in &t.results {
        let parts: Vec<&str> = k.split('.').collect();
        insert_path(&mut root, &parts, v);
    }
    if !root.is_empty() {
        out.push_str(&serde_yaml::to_string(&Value::Mapping(root)).unwrap_or_default());
    }
    out
}

fn insert_path(m: &mut Mapping, parts: &[&str], v: &str) {
    match parts {
        [] => {}
        [last] => {
            m.insert((*last).into(), v.into());
        }
        [first, rest @ ..] => {
            let entry = m
                .entry((*first).into())
                .or_insert_with(|| Value::Mapping(Mapping::new()));
            if !entry.is_mapping() {
                *entry = Value::Mapping(Mapping::new());
            }
            if let Value::Mapping(inner) = entry {
                insert_path(inner, rest, v);
            }
        }
    }
}

/// A log line as `juju debug-log` prints it:
/// `unit-app-0: HH:MM:SS LEVEL unit.app/0.<source> message`.
pub fn log_line(l: &LogLine) -> String {
    format!(
        "unit-{}: {} {} unit.{}.{} {}",
        l.unit.replace('/', "-"),
        crate::fsutil::hms(l.at),
        l.level,
        l.unit,
        l.source,
        l.message
    )
}
