//! One dispatch, as Juju's uniter runs it: the unit's view of the model written to a
//! per-dispatch directory, the charm's `dispatch` executed from its charm directory with
//! an environment built from scratch, then commit on success (or keep only the immediate
//! effects on failure) and the record of what happened.

use super::model::{app_of_unit, EventRecord, HookStep, LogLine, Model, Task, JUJU_VERSION};
use super::pebble::{self, namespace::Access};
use super::store::Store;
use super::tool::HOOK_DIR_VAR;
use super::{hookproc, storage, world};
use crate::error::{Error, Result};
use crate::fsutil;
use jujuc::{commit, ActionWorld, HookContext, StatusValue, UnitWorld};
use std::path::Path;
use std::process::Stdio;
use std::time::Instant;

/// What a dispatch produced.
pub struct Ran {
    /// The event record.
    pub event: EventRecord,
    /// What the committed hook causes: `-relation-changed` on other units, and
    /// `-storage-attached` for the storage it added.
    pub triggered: Vec<super::model::Step>,
    /// For actions: the task.
    pub task: Option<Task>,
}

/// The environment Juju gives a hook (juju-protocol.md §1.2), for `step` on its unit.
fn environment(
    store: &Store,
    access: Option<&Access>,
    model: &Model,
    step: &HookStep,
    charm_dir: &Path,
    run_dir: &Path,
    seq: u64,
) -> Vec<(String, String)> {
    let tools_dir = store.tools_dir();
    let unit = &step.unit;
    let agent = format!("unit-{}", unit.replace('/', "-"));
    let system_path = std::env::var("PATH").unwrap_or_else(|_| "/usr/bin:/bin".into());
    let charm_dir = charm_dir.display().to_string();
    let mut env: Vec<(String, String)> = vec![
        ("CHARM_DIR".into(), charm_dir.clone()),
        ("JUJU_CHARM_DIR".into(), charm_dir),
        (
            "JUJU_CONTEXT_ID".into(),
            format!("{unit}-{}-{seq}", step.hook),
        ),
        (
            "JUJU_AGENT_SOCKET_ADDRESS".into(),
            format!("@/var/lib/juju/agents/{agent}/agent.socket"),
        ),
        ("JUJU_AGENT_SOCKET_NETWORK".into(), "unix".into()),
        ("JUJU_UNIT_NAME".into(), unit.clone()),
        ("JUJU_MODEL_UUID".into(), model.uuid.clone()),
        ("JUJU_MODEL_NAME".into(), model.name.clone()),
        ("JUJU_API_ADDRESSES".into(), "10.152.183.1:17070".into()),
        ("JUJU_SLA".into(), "unsupported".into()),
        ("JUJU_MACHINE_ID".into(), String::new()),
        ("JUJU_PRINCIPAL_UNIT".into(), String::new()),
        ("JUJU_AVAILABILITY_ZONE".into(), String::new()),
        ("JUJU_VERSION".into(), JUJU_VERSION.into()),
        ("CLOUD_API_VERSION".into(), "1.31.0".into()),
        ("JUJU_CHARM_HTTP_PROXY".into(), String::new()),
        ("JUJU_CHARM_HTTPS_PROXY".into(), String::new()),
        ("JUJU_CHARM_FTP_PROXY".into(), String::new()),
        ("JUJU_CHARM_NO_PROXY".into(), String::new()),
        (
            "PATH".into(),
            format!("{}:{system_path}", tools_dir.display()),
        ),
        ("LANG".into(), "C.UTF-8".into()),
        ("DEBIAN_FRONTEND".into(), "noninteractive".into()),
        ("APT_LISTCHANGES_FRONTEND".into(), "none".into()),
        (HOOK_DIR_VAR.into(), run_dir.display().to_string()),
    ];
    if let Some(action) = &step.action {
        // `juju exec` commands are no dispatch: Juju sets the action variables only.
        if action.exec_commands().is_none() {
            env.push((
                "JUJU_DISPATCH_PATH".into(),
                format!("actions/{}", action.name),
            ));
            env.push(("JUJU_HOOK_NAME".into(), String::new()));
        }
        env.push(("JUJU_ACTION_NAME".into(), action.name.clone()));
        env.push(("JUJU_ACTION_UUID".into(), action.id.to_string()));
        env.push(("JUJU_ACTION_TAG".into(), format!("action-{}", action.id)));
    } else {
        env.push(("JUJU_DISPATCH_PATH".into(), format!("hooks/{}", step.hook)));
        env.push(("JUJU_HOOK_NAME".into(), step.hook.clone()));
    }
    if let Some((rel, side)) = step.relation.and_then(|id| {
        let rel = model.relations.get(&id)?;
        Some((rel, rel.side(app_of_unit(unit))?))
    }) {
        env.push(("JUJU_RELATION".into(), side.endpoint.to_string()));
        env.push(("JUJU_RELATION_ID".into(), side.key(rel.id)));
        env.push(("JUJU_REMOTE_APP".into(), side.remote_app.to_string()));
        env.push((
            "JUJU_REMOTE_UNIT".into(),
            step.remote_unit.clone().unwrap_or_default(),
        ));
        if let Some(d) = &step.departing_unit {
            env.push(("JUJU_DEPARTING_UNIT".into(), d.clone()));
        }
    }
    if let Some(w) = &step.workload {
        env.push(("JUJU_WORKLOAD_NAME".into(), w.clone()));
    }
    if let Some(id) = &step.storage {
        env.push(("JUJU_STORAGE_ID".into(), id.clone()));
        if let Some(s) = model.unit(unit).and_then(|u| u.storage_instance(id)) {
            env.push(("JUJU_STORAGE_LOCATION".into(), s.location.clone()));
            env.push(("JUJU_STORAGE_KIND".into(), s.kind.clone()));
        }
    }
    let meta = model.meta_of(unit);
    if !meta.containers.is_empty() {
        env.push((
            pebble::namespace::CONTAINERS_DIR_VAR.into(),
            pebble::namespace::containers_dir_var(
                &pebble::containers_dir(store, unit),
                meta,
                access,
            ),
        ));
    }
    for (k, v) in &step.extra_env {
        env.push((k.clone(), v.clone()));
    }
    env
}

/// The script `juju exec` runs: its commands, read by `bash` as Juju's runner feeds
/// them (`bash -s`), kept in the dispatch's run directory (removed with it).
fn exec_script(run_dir: &Path, commands: &str) -> Result<std::path::PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = run_dir.join("exec.sh");
    let text = format!("#!/bin/bash\n{commands}\n");
    std::fs::write(&path, text).map_err(|e| Error::msg(format!("{}: {e}", path.display())))?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700))
        .map_err(|e| Error::msg(format!("{}: {e}", path.display())))?;
    Ok(path)
}

/// Writes a file of a new run directory in place: nothing reads it before the hook starts
/// (the tools replace it atomically from then on).
fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> Result<()> {
    let bytes =
        serde_json::to_vec(value).map_err(|e| Error::msg(format!("{}: {e}", path.display())))?;
    std::fs::write(path, bytes).map_err(|e| Error::msg(format!("writing {}: {e}", path.display())))
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let bytes = std::fs::read(path).map_err(|e| Error::msg(format!("{}: {e}", path.display())))?;
    serde_json::from_slice(&bytes).map_err(|e| Error::msg(format!("{}: {e}", path.display())))
}

/// Runs `step` (its unit must exist) and updates `model`: commit or not, statuses, logs,
/// error state, the event record. With `access`, the charm runs as it says (in a mount
/// namespace where `/charm/containers` is its unit's containers directory).
pub fn dispatch(
    store: &Store,
    model: &mut Model,
    step: &HookStep,
    access: Option<&Access>,
) -> Result<Ran> {
    // The sequence number is committed with the step's record (the save after the step):
    // a step this command is killed in runs again under the same number, its record never
    // having been committed. Its run directory is another one all the same: the name has a
    // random part ([`Store::new_run_dir`]), so whatever is left of the killed hook never
    // finds the new dispatch's files.
    let seq = model.next.dispatch;
    model.next.dispatch += 1;
    model.apply_effect(step, false);
    let unit = step.unit.clone();
    let is_install = step.hook == "install" && step.action.is_none();
    if is_install {
        if let Some(u) = model.unit_mut(&unit) {
            u.status = StatusValue {
                status: "maintenance".into(),
                message: "installing charm software".into(),
            };
        }
    }
    let mut before = world::unit_world(model, &unit);
    // A storage hook sees its own instance even if it was dispatched by hand before the
    // instance's `-storage-attached` ran.
    if let Some(s) = step
        .storage
        .as_ref()
        .and_then(|id| model.unit(&unit)?.storage_instance(id))
    {
        if !before
            .storages
            .iter()
            .any(|w| w.name == s.name && w.index == s.index)
        {
            before.storages.push(world::storage_world(s));
        }
    }
    if let Some(a) = &step.action {
        before.action = Some(ActionWorld {
            name: a.name.clone(),
            params: a.params.clone(),
        });
    }
    let context = HookContext {
        info: world::hook_info(model, step),
        ..Default::default()
    };
    let run_dir = store.new_run_dir(seq)?;
    write_json(&run_dir.join("world.json"), &before)?;
    write_json(&run_dir.join("context.json"), &context)?;
    // The tools lock this file; they never create it, so a late tool call finds nothing to
    // write into once the directory is gone.
    std::fs::write(run_dir.join("lock"), b"")
        .map_err(|e| Error::msg(format!("{}: {e}", run_dir.display())))?;

    let charm_dir = store.unit_charm_dir(&unit);
    let env = environment(store, access, model, step, &charm_dir, &run_dir, seq);
    // `dispatch` for every event; else the legacy `hooks/<hook>` / `actions/<name>`; a
    // missing legacy hook is not an error (Juju skips it).
    let legacy = match &step.action {
        Some(a) => charm_dir.join("actions").join(&a.name),
        None => charm_dir.join("hooks").join(&step.hook),
    };
    let exec = step.action.as_ref().and_then(|a| a.exec_commands());
    let program = if let Some(commands) = exec {
        Some(exec_script(&run_dir, commands)?)
    } else if charm_dir.join("dispatch").exists() {
        Some(charm_dir.join("dispatch"))
    } else if legacy.exists() {
        Some(legacy)
    } else {
        None
    };
    let at = fsutil::now_secs();
    let started = Instant::now();
    let (code, stdout, stderr) = match program {
        None => (0, String::new(), String::new()),
        Some(program) => {
            let containers = pebble::containers_dir(store, &unit);
            let options = access.map(|a| a.hook_args(&containers)).unwrap_or_default();
            let mut command = hookproc::command(&program, &run_dir, &options)?;
            let output = command
                .env_clear()
                .envs(env)
                .current_dir(&charm_dir)
                .stdin(Stdio::null())
                .output();
            match output {
                Ok(o) => {
                    use std::os::unix::process::ExitStatusExt;
                    let code = o
                        .status
                        .code()
                        .unwrap_or_else(|| 128 + o.status.signal().unwrap_or(0));
                    (
                        code,
                        String::from_utf8_lossy(&o.stdout).into_owned(),
                        String::from_utf8_lossy(&o.stderr).into_owned(),
                    )
                }
                Err(e) => (
                    -1,
                    String::new(),
                    format!("cannot run {}: {e}", program.display()),
                ),
            }
        }
    };
    let wall_ms = started.elapsed().as_secs_f64() * 1000.0;

    // What the tools did. A hook whose files cannot be read back failed.
    let read = read_json::<UnitWorld>(&run_dir.join("world.json"))
        .and_then(|w| read_json::<HookContext>(&run_dir.join("context.json")).map(|c| (w, c)));
    let (mut after, ctx, mut code, stderr) = match read {
        Ok((w, c)) => (w, c, code, stderr),
        Err(e) => (
            before.clone(),
            context,
            if code == 0 { 1 } else { code },
            format!("{stderr}cargo-charm: the hook's tool state is unreadable: {e}\n"),
        ),
    };
    hookproc::discard(&run_dir);

    model.apply_effect(step, true);
    let mut triggered = Vec::new();
    let hook_name = step
        .action
        .as_ref()
        .map(|a| a.name.clone())
        .unwrap_or_else(|| step.hook.clone());
    // Juju commits a hook's changes, storage-add requests included, in one call at the
    // end: a request it refuses fails the hook.
    let mut commit_error = None;
    if code == 0 {
        if let Err(e) = storage::check_adds(model, &unit, &ctx.storage_adds) {
            commit_error = Some(format!("cannot add storage: {}", e.message));
            code = 1;
        }
    }
    if code == 0 {
        commit(&mut after, &ctx);
        triggered = world::merge(model, &unit, &before, &after);
        triggered.extend(storage::add_requested(
            store,
            model,
            &unit,
            &ctx.storage_adds,
        )?);
        // New instances of a storage a container mounts: its Pebble restarts (state kept)
        // to see them.
        let remount: Vec<_> = pebble::workloads(store, model, &unit)
            .into_iter()
            .filter(|w| {
                model
                    .meta_of(&unit)
                    .container(&w.container)
                    .is_some_and(|c| {
                        c.mounts
                            .iter()
                            .any(|m| ctx.storage_adds.iter().any(|(name, _)| *name == m.storage))
                    })
            })
            .collect();
        pebble::process::restart(model, &remount)?;
    } else if let Some(u) = model.unit_mut(&unit) {
        // Juju bumps secret ids at once, even if the hook fails.
        u.secret_seq = after.secret_seq;
    }
    // Immediate effects, kept whatever the exit code: statuses, version, logs.
    let leader = model.is_leader(&unit);
    if let Some(u) = model.unit_mut(&unit) {
        if let Some(s) = ctx.unit_status_history.last() {
            u.status = s.clone();
        } else if is_install && code == 0 {
            u.status = StatusValue {
                status: "unknown".into(),
                message: String::new(),
            };
        }
        if let Some(v) = ctx.workload_version_history.last() {
            u.workload_version = v.clone();
        }
        if step.action.is_none() {
            u.error = (code != 0).then(|| hook_name.clone());
        }
    }
    if leader {
        if let Some(s) = ctx.app_status_history.last() {
            if let Some(a) = model.apps.get_mut(app_of_unit(&unit)) {
                a.status = Some(s.clone());
            }
        }
    }
    let log = |level: &str, source: &str, message: &str| LogLine {
        at,
        unit: unit.clone(),
        hook: hook_name.clone(),
        source: source.to_string(),
        level: level.to_string(),
        message: message.to_string(),
    };
    let mut lines: Vec<LogLine> = ctx
        .logs
        .iter()
        .map(|(level, msg)| log(level, "juju-log", msg))
        .collect();
    // Juju logs the charm's stdout at DEBUG and its stderr at WARNING; `juju exec`
    // output goes to the task only.
    if exec.is_none() {
        lines.extend(stdout.lines().map(|l| log("DEBUG", &hook_name, l)));
        lines.extend(stderr.lines().map(|l| log("WARNING", &hook_name, l)));
    }
    if let Some(e) = &commit_error {
        lines.push(log(
            "ERROR",
            "uniter",
            &format!("hook {hook_name:?} failed: {e}"),
        ));
    }
    model.logs.extend(lines);

    let task = step.action.as_ref().map(|a| {
        // A `juju exec` task completes whatever its exit code (`return-code` says it).
        let failed = (code != 0 && exec.is_none()) || ctx.action_failed.is_some();
        Task {
            id: a.id,
            unit: unit.clone(),
            action: a.name.clone(),
            params: a.params.clone(),
            status: if failed { "failed" } else { "completed" }.into(),
            message: match (&ctx.action_failed, code) {
                (Some(m), _) => m.clone(),
                (None, 0) => String::new(),
                (None, _) if exec.is_some() => String::new(),
                (None, c) => format!("exit status {c}"),
            },
            results: ctx.action_results.clone(),
            logs: ctx.action_logs.clone(),
            stdout: stdout.clone(),
            stderr: stderr.clone(),
            return_code: code,
        }
    });
    let event = EventRecord {
        seq,
        at,
        unit: unit.clone(),
        hook: hook_name,
        action: step.action.is_some(),
        relation: step
            .relation
            .and_then(|id| model.relations.get(&id))
            .and_then(|r| r.side(app_of_unit(&unit)).map(|s| s.key(r.id))),
        remote_unit: step.remote_unit.clone(),
        storage: step.storage.clone(),
        exit_code: code,
        wall_ms,
        calls: ctx.calls.to_vec(),
        cause: step.cause.clone(),
    };
    model.events.push(event.clone());
    if let Some(t) = &task {
        model.tasks.push(t.clone());
    }
    Ok(Ran {
        event,
        triggered,
        task,
    })
}
