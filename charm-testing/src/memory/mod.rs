//! [`MemoryTools`]: charm-runtime's [`HookTools`] answered by [`jujuc`], in memory.
//!
//! It lives here, not in `jujuc`, so that Juju's side depends on nothing of the charm's
//! side: `jujuc` knows argv, typed calls and worlds, `charm-runtime` knows the trait, and
//! this adapter joins them for the state-transition harness. The hot calls arrive typed
//! ([`HookTools::answer`]) and are answered by [`jujuc::Typed`] without argv parsing or
//! output printing; everything else runs as argv through [`jujuc::run_tool`]. Both
//! record the same call and give the same errors.

use charm_runtime::hooktools::{HookTools, Reply, Request, ToolCall, ToolError};
use jujuc::{
    reads_as_flag, run_tool, CommandLine, HookContext, Invocation, ToolOutcome, Typed, UnitWorld,
};

#[cfg(test)]
mod tests;
#[cfg(test)]
mod typed_tests;

/// A [`HookTools`] backend over a world and a hook context, for running a charm's dispatch
/// in memory.
pub struct MemoryTools<'a> {
    /// The world.
    pub world: &'a mut UnitWorld,
    /// The hook.
    pub hook: &'a mut HookContext,
}

/// A request's command line, as `jujuc` records it.
struct Line<'r, 'a>(&'r Request<'a>);

impl CommandLine for Line<'_, '_> {
    fn tool(&self) -> &str {
        self.0.tool()
    }

    fn each_arg(&self, arg: &mut dyn FnMut(&[&str])) {
        self.0.each_arg(arg)
    }
}

impl HookTools for MemoryTools<'_> {
    fn call(&mut self, call: &ToolCall) -> Result<String, ToolError> {
        let out = run_tool(
            self.world,
            self.hook,
            call.tool,
            &call.args,
            call.stdin.as_deref(),
        );
        if out.code == 0 {
            Ok(out.stdout)
        } else {
            Err(ToolError::from_exit(call, out.code, &out.stderr))
        }
    }

    fn answer(&mut self, request: &Request<'_>) -> Option<Result<Reply, ToolError>> {
        // The argv this request stands for, written straight into the record.
        let line = Line(request);
        let inv = Invocation {
            line: &line,
            stdin: request.stdin(),
        };
        let mut typed = Typed {
            world: self.world,
            hook: self.hook,
        };
        let answer = match *request {
            Request::RelationIds { endpoint } if !reads_as_flag(endpoint) => {
                typed.relation_ids(inv, endpoint).map(Reply::RelationIds)
            }
            Request::RelationList { endpoint, id } => {
                typed.relation_list(inv, endpoint, id).map(Reply::Names)
            }
            Request::RelationGet {
                endpoint,
                id,
                owner,
                app,
            } if !reads_as_flag(owner) => typed
                .relation_get(inv, endpoint, id, owner, app)
                .map(Reply::Bag),
            Request::RelationSet {
                endpoint,
                id,
                app,
                changes,
            } => typed
                .relation_set(inv, endpoint, id, app, changes)
                .map(|()| Reply::Done),
            Request::ConfigGet => typed.config_get(inv).map(Reply::Config),
            Request::IsLeader => typed.is_leader(inv).map(Reply::Bool),
            Request::StatusSet {
                application,
                status,
            } => typed
                .status_set(inv, application, status.name(), status.message())
                .map(|()| Reply::Done),
            Request::JujuLog { level, message } => typed
                .juju_log(inv, level.as_str(), message)
                .map(|()| Reply::Done),
            Request::ApplicationVersionSet { version } => typed
                .application_version_set(inv, version)
                .map(|()| Reply::Done),
            Request::StateGet => typed.state_get(inv).map(Reply::Bag),
            Request::StateSet { values } => typed.state_set(inv, values).map(|()| Reply::Done),
            Request::StateDelete { key } if !reads_as_flag(key) => {
                typed.state_delete(inv, key).map(|()| Reply::Done)
            }
            // Anything else (or a positional argument Juju would read as a flag) runs as
            // argv.
            _ => return None,
        };
        // A failure quotes the call, built again (only then).
        Some(answer.map_err(|out: ToolOutcome| {
            ToolError::from_exit(&request.call(), out.code, &out.stderr)
        }))
    }
}
