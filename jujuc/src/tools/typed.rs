//! [`Typed`]: the hot tools answered as data, for an in-memory caller that already knows
//! what its argv says (the state-transition harness): no argv to parse, no output to print
//! and read back.
//!
//! Each method runs the same implementation as the tool's argv form (the functions the
//! argv parsers call after reading the flags), so access rules, errors and effects are
//! those of [`run_tool`](super::run_tool) for the [`Invocation`] given, which is recorded
//! in `hook.calls` exactly as `run_tool` records it (exit code and stderr included).
//! Positional arguments that [`reads_as_flag`] are the caller's to route to `run_tool`.

use super::{admit, record, relation, state, unit, Ctx, Fail};
use crate::calls::CommandLine;
use crate::world::{BagData, HookContext, UnitWorld};
use serde_json::{Map, Value};

/// Whether Juju's flag parser reads `arg` as a flag (or `--`), not as a positional
/// argument: a typed call whose positional argument (an endpoint, a relation-get owner,
/// a state key) does must run as argv instead, where it is an error or another flag.
pub fn reads_as_flag(arg: &str) -> bool {
    arg.len() > 1 && arg.starts_with('-')
}

/// The command line a typed call stands for: what is recorded, as if it had run (written
/// straight into the hook's [`CallLog`](crate::CallLog), argument by argument).
///
/// Each [`Typed`] method documents the argv it answers; the caller passes that argv here.
pub struct Invocation<'a> {
    /// The tool and its arguments: the recorded [`CallRecord::argv`](crate::CallRecord).
    pub line: &'a dyn CommandLine,
    /// Its stdin.
    pub stdin: Option<String>,
}

/// The typed entry into the tools: a world and a hook, as for [`run_tool`](super::run_tool).
///
/// A method's `Err` is the [`ToolOutcome`](super::ToolOutcome) the argv form fails with
/// (nothing on stdout, `ERROR <message>` on stderr, exit 1 or 2).
pub struct Typed<'a> {
    /// The world.
    pub world: &'a mut UnitWorld,
    /// The hook.
    pub hook: &'a mut HookContext,
}

type Answer<T> = Result<T, super::ToolOutcome>;

impl Typed<'_> {
    /// Runs `f` as `call`'s tool (refused like the argv form in a restricted context),
    /// and records `call`.
    fn run<T>(
        &mut self,
        call: Invocation<'_>,
        f: impl FnOnce(&mut Ctx<'_>) -> Result<T, Fail>,
    ) -> Answer<T> {
        let result = {
            let mut ctx = Ctx {
                world: &mut *self.world,
                hook: &mut *self.hook,
                stdin: call.stdin.as_deref(),
            };
            admit(&ctx, call.line.tool()).and_then(|()| f(&mut ctx))
        };
        let (value, outcome) = match result {
            Ok(v) => (
                Some(v),
                super::ToolOutcome {
                    stdout: String::new(),
                    stderr: String::new(),
                    code: 0,
                },
            ),
            Err(fail) => (None, fail.outcome()),
        };
        record(self.hook, call.line, call.stdin, &outcome);
        value.ok_or(outcome)
    }

    /// `relation-ids <endpoint> --format=json`: the ids, in the tool's order.
    pub fn relation_ids(&mut self, call: Invocation<'_>, endpoint: &str) -> Answer<Vec<u64>> {
        self.run(call, |ctx| Ok(relation::live_ids(ctx, endpoint)))
    }

    /// `relation-list --format=json -r <endpoint>:<id>`: the remote units.
    pub fn relation_list(
        &mut self,
        call: Invocation<'_>,
        endpoint: &str,
        id: u64,
    ) -> Answer<Vec<String>> {
        self.run(call, |ctx| {
            let id = ctx.relation_given(endpoint, id)?;
            relation::members(ctx, id)
        })
    }

    /// `relation-get --format=json -r <endpoint>:<id> [--app] - <owner>`: a whole bag.
    pub fn relation_get(
        &mut self,
        call: Invocation<'_>,
        endpoint: &str,
        id: u64,
        owner: &str,
        app: bool,
    ) -> Answer<BagData> {
        self.run(call, |ctx| {
            let id = ctx.relation_given(endpoint, id)?;
            let target = relation::owner_of(owner, app)?;
            relation::read_bag(ctx, id, app, target)
        })
    }

    /// `relation-set -r <endpoint>:<id> [--app] --file -`, stdin carrying `changes`
    /// (`""` deletes a key): staged.
    pub fn relation_set(
        &mut self,
        call: Invocation<'_>,
        endpoint: &str,
        id: u64,
        app: bool,
        changes: &BagData,
    ) -> Answer<()> {
        self.run(call, |ctx| {
            let id = ctx.relation_given(endpoint, id)?;
            relation::stage_relation_set(ctx, id, app, changes.clone())
        })
    }

    /// `config-get --format=json`.
    pub fn config_get(&mut self, call: Invocation<'_>) -> Answer<Map<String, Value>> {
        self.run(call, |ctx| Ok(unit::config(ctx, false)))
    }

    /// `is-leader --format=json`.
    pub fn is_leader(&mut self, call: Invocation<'_>) -> Answer<bool> {
        self.run(call, |ctx| Ok(ctx.world.leader))
    }

    /// `status-set --application=<True|False> <status> -- <message>`: at once.
    pub fn status_set(
        &mut self,
        call: Invocation<'_>,
        application: bool,
        status: &str,
        message: &str,
    ) -> Answer<()> {
        self.run(call, |ctx| {
            unit::check_settable(status)?;
            unit::set_status(ctx, application, status, message)
        })
    }

    /// `juju-log --log-level <level> -- <message>`: at once.
    pub fn juju_log(&mut self, call: Invocation<'_>, level: &str, message: &str) -> Answer<()> {
        self.run(call, |ctx| {
            unit::log(ctx, false, Some(level), message);
            Ok(())
        })
    }

    /// `application-version-set -- <version>`: at once.
    pub fn application_version_set(&mut self, call: Invocation<'_>, version: &str) -> Answer<()> {
        self.run(call, |ctx| {
            unit::set_version(ctx, version.to_string());
            Ok(())
        })
    }

    /// `state-get --format=json`: the unit state with this hook's writes.
    pub fn state_get(&mut self, call: Invocation<'_>) -> Answer<BagData> {
        self.run(call, |ctx| Ok(state::current(ctx)))
    }

    /// `state-set --file -`, stdin carrying `values`: staged.
    pub fn state_set(&mut self, call: Invocation<'_>, values: &BagData) -> Answer<()> {
        self.run(call, |ctx| state::stage_state(ctx, values.clone()))
    }

    /// `state-delete <key>`: staged.
    pub fn state_delete(&mut self, call: Invocation<'_>, key: &str) -> Answer<()> {
        self.run(call, |ctx| {
            state::stage_delete(ctx, key.to_string());
            Ok(())
        })
    }
}
