//! The tools: [`run_tool`] runs one invocation against a [`UnitWorld`] and a
//! [`HookContext`]; [`commit`] applies a successful hook's staged writes.
//!
//! One file per tool family: [`relation`] (relation-*), [`unit`] (config, leadership,
//! status, version, logging), [`action`] (action-*), [`state`] (state-*), [`secret`]
//! (secret-*), [`other`] (ports, network, storage, resources, goal state, credentials,
//! reboot). [`args`] parses command lines as Juju's gnuflag does and [`format`] prints as
//! juju/cmd does (`--format=json` is Go's `encoding/json`, the default "smart" format
//! prints bare strings or YAML).
//!
//! Where the behaviour comes from: juju-protocol.md §2–§3, checked against juju/juju's
//! `internal/worker/uniter/runner/jujuc/*.go` (and its `_test.go` expectations) and
//! `runner/context/context.go`. Comments say where ops 3.9 or ops-scenario 8.9 was the
//! reference instead, and mark what could not be checked.

mod action;
mod args;
mod format;
mod other;
mod relation;
mod secret;
mod state;
pub(crate) mod typed;
mod unit;

#[cfg(test)]
mod tests;

use super::calls::CommandLine;
use super::world::{BagData, HookContext, RelationWorld, SecretWorld, UnitWorld};

/// What a tool invocation printed and how it exited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolOutcome {
    /// Stdout.
    pub stdout: String,
    /// Stderr (`ERROR <message>\n` on failure).
    pub stderr: String,
    /// Exit code: 0, 1 (runtime error) or 2 (usage error).
    pub code: i32,
}

/// A failed invocation: exit code and the message after `ERROR `.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fail {
    code: i32,
    msg: String,
}

impl Fail {
    /// A usage (flag-parsing or `Init`) error: exit 2.
    pub(crate) fn usage(msg: impl Into<String>) -> Self {
        Fail {
            code: 2,
            msg: msg.into(),
        }
    }

    /// A runtime error: exit 1.
    pub(crate) fn run(msg: impl Into<String>) -> Self {
        Fail {
            code: 1,
            msg: msg.into(),
        }
    }

    /// `--help`: not a failure; the text goes to stdout with exit 0.
    pub(crate) fn help(text: String) -> Self {
        Fail { code: 0, msg: text }
    }
}

/// What a successful invocation printed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Out {
    stdout: String,
    stderr: String,
}

impl Out {
    /// Prints `stdout`.
    pub(crate) fn print(stdout: impl Into<String>) -> Self {
        Out {
            stdout: stdout.into(),
            stderr: String::new(),
        }
    }

    /// Prints nothing.
    pub(crate) fn none() -> Self {
        Out::default()
    }

    /// Adds a warning on stderr (the call still succeeds).
    pub(crate) fn warn(mut self, msg: impl Into<String>) -> Self {
        self.stderr.push_str(&msg.into());
        self
    }
}

pub(crate) type ToolResult = Result<Out, Fail>;

/// One invocation's view: the world, the hook and stdin.
pub(crate) struct Ctx<'a> {
    pub world: &'a mut UnitWorld,
    pub hook: &'a mut HookContext,
    pub stdin: Option<&'a str>,
}

impl Ctx<'_> {
    /// This unit's application.
    pub fn app(&self) -> &str {
        app_of(&self.world.unit)
    }

    /// The relation with this id.
    pub fn relation(&self, id: u64) -> Option<&RelationWorld> {
        self.world.relations.iter().find(|r| r.id == id)
    }

    /// The relation with this id, or the runtime error Juju gives for it.
    pub fn relation_or_fail(&self, id: u64) -> Result<&RelationWorld, Fail> {
        self.relation(id)
            .ok_or_else(|| Fail::run("relation not found"))
    }

    /// The relation of the current relation hook, if any (`JUJU_RELATION_ID`).
    pub fn hook_relation(&self) -> Option<&RelationWorld> {
        self.hook.info.relation_id.and_then(|id| self.relation(id))
    }

    /// The `-r`/`--relation` value if given, validated as gnuflag's `relationIdValue.Set`
    /// does: the integer after the last `:`; an unknown id fails with exit 2.
    pub fn relation_flag(&self, args: &args::Args) -> Result<Option<u64>, Fail> {
        let Some(v) = args.get("r") else {
            return Ok(None);
        };
        let spelling = args.spelling("r");
        let trimmed = v.rsplit(':').next().unwrap_or(v);
        let id: i64 = parse_go_int(trimmed)
            .ok_or_else(|| args::invalid_value(&spelling, v, "invalid relation id"))?;
        match u64::try_from(id)
            .ok()
            .filter(|id| self.relation(*id).is_some())
        {
            Some(id) => Ok(Some(id)),
            None => Err(args::invalid_value(&spelling, v, "relation not found")),
        }
    }

    /// What `-r <endpoint>:<id>`, as a charm's typed call passes it, resolves to: `id`, or
    /// the same exit-2 error [`Ctx::relation_flag`] gives for an unknown relation.
    pub fn relation_given(&self, endpoint: &str, id: u64) -> Result<u64, Fail> {
        if self.relation(id).is_some() {
            Ok(id)
        } else {
            Err(args::invalid_value(
                "-r",
                &format!("{endpoint}:{id}"),
                "relation not found",
            ))
        }
    }

    /// The relation a relation tool works on: `-r`, else the hook's relation, else
    /// `no relation id specified` (exit 2).
    pub fn relation_id(&self, args: &args::Args) -> Result<u64, Fail> {
        match self.relation_flag(args)? {
            Some(id) => Ok(id),
            None => self
                .hook
                .info
                .relation_id
                .ok_or_else(|| Fail::usage("no relation id specified")),
        }
    }

    /// The secrets as this hook sees them: staged changes included.
    pub fn secrets(&self) -> &Vec<SecretWorld> {
        self.hook
            .secrets_after
            .as_ref()
            .unwrap_or(&self.world.secrets)
    }

    /// The secrets, for a staged change (copied from the world on first change).
    pub fn secrets_mut(&mut self) -> &mut Vec<SecretWorld> {
        if self.hook.secrets_after.is_none() {
            self.hook.secrets_after = Some(self.world.secrets.clone());
        }
        self.hook.secrets_after.as_mut().expect("just filled")
    }
}

/// Go's `strconv.Atoi`: optional sign, decimal digits.
pub(crate) fn parse_go_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// The application of a unit name (`app/0` → `app`).
pub(crate) fn app_of(unit: &str) -> &str {
    unit.split_once('/').map_or(unit, |(a, _)| a)
}

/// Juju's application-name rule (`names.IsValidApplication`): lowercase letters, digits
/// and single hyphens, starting with a letter, and no segment made of digits only.
pub(crate) fn valid_app(name: &str) -> bool {
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return false;
    }
    // One pass: a segment ends at a dash or at the end, and must hold a letter.
    let mut segment_has_letter = true;
    for b in name.bytes() {
        match b {
            b'-' if !segment_has_letter => return false,
            b'-' => segment_has_letter = false,
            b'a'..=b'z' => segment_has_letter = true,
            b'0'..=b'9' => {}
            _ => return false,
        }
    }
    segment_has_letter
}

/// Juju's unit-name rule (`names.IsValidUnit`): `<application>/<number>`.
pub(crate) fn valid_unit(name: &str) -> bool {
    match name.split_once('/') {
        Some((app, n)) => valid_app(app) && !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()),
        None => false,
    }
}

/// Every tool Juju 3.6 provides to a K8s charm (legacy `add-metric`, `pod-spec-*`,
/// `leader-*` and `payload-*` are not modelled and count as unknown).
pub const TOOLS: &[&str] = &[
    "relation-ids",
    "relation-list",
    "relation-get",
    "relation-set",
    "relation-model-get",
    "config-get",
    "is-leader",
    "status-get",
    "status-set",
    "application-version-set",
    "juju-log",
    "action-get",
    "action-set",
    "action-log",
    "action-fail",
    "state-get",
    "state-set",
    "state-delete",
    "secret-add",
    "secret-get",
    "secret-info-get",
    "secret-set",
    "secret-grant",
    "secret-revoke",
    "secret-remove",
    "secret-ids",
    "open-port",
    "close-port",
    "opened-ports",
    "network-get",
    "storage-list",
    "storage-get",
    "storage-add",
    "resource-get",
    "goal-state",
    "credential-get",
    "juju-reboot",
];

/// The tools that work in a restricted context (`collect-metrics`): Juju's
/// `RestrictedContext` implements only logging and (empty) opened ports; everything
/// else fails with `not implemented for restricted context`.
const UNRESTRICTED: &[&str] = &["juju-log", "opened-ports"];

/// Runs one tool as Juju would: `tool` is the tool name, `args` its argv after the name.
///
/// The call is recorded in `hook.calls`. Reads see the world plus, where Juju's hook
/// context caches writes (this unit's relation bags, the leader's own application bags,
/// unit state, secrets), this hook's staged writes. `status-set`, `juju-log`,
/// `application-version-set` and the `action-*` tools take effect at once; everything
/// else is staged in `hook` for [`commit`].
pub fn run_tool(
    world: &mut UnitWorld,
    hook: &mut HookContext,
    tool: &str,
    args: &[String],
    stdin: Option<&str>,
) -> ToolOutcome {
    let result = {
        let mut ctx = Ctx {
            world,
            hook: &mut *hook,
            stdin,
        };
        dispatch(&mut ctx, tool, args)
    };
    let outcome = match result {
        Ok(out) => ToolOutcome {
            stdout: out.stdout,
            stderr: out.stderr,
            code: 0,
        },
        Err(Fail { code: 0, msg }) => ToolOutcome {
            stdout: msg,
            stderr: String::new(),
            code: 0,
        },
        Err(fail) => fail.outcome(),
    };
    record(
        hook,
        &ToolArgs { tool, args },
        stdin.map(str::to_string),
        &outcome,
    );
    outcome
}

impl Fail {
    /// What a process running the tool would have given: nothing on stdout, `ERROR
    /// <message>` on stderr, the exit code.
    pub(crate) fn outcome(self) -> ToolOutcome {
        ToolOutcome {
            stdout: String::new(),
            stderr: format!("ERROR {}\n", self.msg),
            code: self.code,
        }
    }
}

/// A tool and its arguments, as [`run_tool`] gets them.
struct ToolArgs<'a> {
    tool: &'a str,
    args: &'a [String],
}

impl CommandLine for ToolArgs<'_> {
    fn tool(&self) -> &str {
        self.tool
    }

    fn each_arg(&self, arg: &mut dyn FnMut(&[&str])) {
        for a in self.args {
            arg(&[a.as_str()]);
        }
    }
}

/// Records one call in `hook.calls`: `line`, its stdin and its outcome.
pub(crate) fn record(
    hook: &mut HookContext,
    line: &(impl CommandLine + ?Sized),
    stdin: Option<String>,
    outcome: &ToolOutcome,
) {
    hook.calls
        .push_line(line, stdin, outcome.code, outcome.stderr.clone());
}

/// Refuses what no invocation of `tool` may do here, before its flags are read: an
/// unknown tool, and in a restricted context every tool but logging and opened ports.
pub(crate) fn admit(ctx: &Ctx<'_>, tool: &str) -> Result<(), Fail> {
    if !TOOLS.contains(&tool) {
        return Err(Fail::run("unknown command"));
    }
    if ctx.hook.info.restricted && !UNRESTRICTED.contains(&tool) {
        return Err(Fail::run("not implemented for restricted context"));
    }
    Ok(())
}

fn dispatch(ctx: &mut Ctx<'_>, tool: &str, args: &[String]) -> ToolResult {
    admit(ctx, tool)?;
    match tool {
        "relation-ids" => relation::relation_ids(ctx, args),
        "relation-list" => relation::relation_list(ctx, args),
        "relation-get" => relation::relation_get(ctx, args),
        "relation-set" => relation::relation_set(ctx, args),
        "relation-model-get" => relation::relation_model_get(ctx, args),
        "config-get" => unit::config_get(ctx, args),
        "is-leader" => unit::is_leader(ctx, args),
        "status-get" => unit::status_get(ctx, args),
        "status-set" => unit::status_set(ctx, args),
        "application-version-set" => unit::application_version_set(ctx, args),
        "juju-log" => unit::juju_log(ctx, args),
        "action-get" => action::action_get(ctx, args),
        "action-set" => action::action_set(ctx, args),
        "action-log" => action::action_log(ctx, args),
        "action-fail" => action::action_fail(ctx, args),
        "state-get" => state::state_get(ctx, args),
        "state-set" => state::state_set(ctx, args),
        "state-delete" => state::state_delete(ctx, args),
        "secret-add" => secret::secret_add(ctx, args),
        "secret-get" => secret::secret_get(ctx, args),
        "secret-info-get" => secret::secret_info_get(ctx, args),
        "secret-set" => secret::secret_set(ctx, args),
        "secret-grant" => secret::secret_grant(ctx, args),
        "secret-revoke" => secret::secret_revoke(ctx, args),
        "secret-remove" => secret::secret_remove(ctx, args),
        "secret-ids" => secret::secret_ids(ctx, args),
        "open-port" => other::open_close_port(ctx, args, true),
        "close-port" => other::open_close_port(ctx, args, false),
        "opened-ports" => other::opened_ports(ctx, args),
        "network-get" => other::network_get(ctx, args),
        "storage-list" => other::storage_list(ctx, args),
        "storage-get" => other::storage_get(ctx, args),
        "storage-add" => other::storage_add(ctx, args),
        "resource-get" => other::resource_get(ctx, args),
        "goal-state" => other::goal_state(ctx, args),
        "credential-get" => other::credential_get(ctx, args),
        "juju-reboot" => other::juju_reboot(ctx, args),
        _ => Err(Fail::run("unknown command")),
    }
}

/// Applies `changes` to `bag`: `""` deletes the key.
pub(crate) fn apply_changes(bag: &mut BagData, changes: &BagData) {
    for (k, v) in changes {
        if v.is_empty() {
            bag.remove(k);
        } else if let Some(old) = bag.get_mut(k) {
            // The key is kept and the old value's buffer reused.
            old.clone_from(v);
        } else {
            bag.insert(k.clone(), v.clone());
        }
    }
}

/// Applies a successful hook's staged writes to the world, as Juju's context flush
/// does: relation-set writes (`""` deletes), port changes in call order, state-set and
/// state-delete, and the secret changes. `storage-add` requests stay in
/// `hook.storage_adds` for the caller.
///
/// Statuses, logs, the workload version and action results are not here: `run_tool`
/// applied them when they were called. A failed hook simply does not call `commit`: its
/// staged writes are dropped, while the statuses it set stay, as in Juju.
pub fn commit(world: &mut UnitWorld, hook: &HookContext) {
    for w in &hook.relation_writes {
        let Some(rel) = world.relations.iter_mut().find(|r| r.id == w.relation_id) else {
            continue;
        };
        if w.app {
            apply_changes(&mut rel.local_app_data, &w.changes);
            // A peer relation's "remote" application bag is this application's bag.
            if rel.peer {
                apply_changes(&mut rel.remote_app_data, &w.changes);
            }
        } else {
            apply_changes(&mut rel.local_unit_data, &w.changes);
        }
    }
    for (port, open) in &hook.port_changes {
        if *open {
            world.opened_ports.insert(port.clone());
        } else {
            world.opened_ports.remove(port);
        }
    }
    for (k, v) in &hook.state_writes {
        match v {
            Some(v) => {
                world.state.insert(k.clone(), v.clone());
            }
            None => {
                world.state.remove(k);
            }
        }
    }
    if let Some(secrets) = &hook.secrets_after {
        world.secrets = secrets.clone();
    }
}
