//! `run`: an action on a unit.

use super::super::charm;
use super::super::model::{ActionCall, HookStep, Step, Task, EXEC_ACTION};
use super::super::Sim;
use super::lookup::check_unit;
use crate::error::{Error, Result};
use serde_json::{Map, Value};

/// `run`: an action on a unit, its parameters checked and defaults filled as Juju does.
pub fn run_action(
    sim: &mut Sim,
    unit: &str,
    action: &str,
    raw: &[(String, String)],
) -> Result<Task> {
    check_unit(&sim.model, unit)?;
    let params = charm::action_params(sim.model.meta_of(unit), action, raw)?;
    run_checked(sim, unit, action, params)
}

/// `run` with parameters already parsed (`juju run --params FILE key=value`): checked
/// against the action's schema and completed with its defaults, then run.
pub fn run_action_with(
    sim: &mut Sim,
    unit: &str,
    action: &str,
    params: Map<String, Value>,
) -> Result<Task> {
    check_unit(&sim.model, unit)?;
    let params = charm::check_action_params(sim.model.meta_of(unit), action, params)?;
    run_checked(sim, unit, action, params)
}

fn run_checked(
    sim: &mut Sim,
    unit: &str,
    action: &str,
    params: Map<String, Value>,
) -> Result<Task> {
    let id = sim.model.next.task + 1;
    sim.model.next.task = id;
    let step = Step::hook(HookStep {
        action: Some(ActionCall {
            id,
            name: action.to_string(),
            params,
        }),
        ..HookStep::new(unit, action, "run")
    });
    let summary = sim.execute(vec![step])?;
    summary
        .tasks
        .into_iter()
        .find(|t| t.id == id)
        .ok_or_else(|| Error::msg("the action did not run"))
}

/// `juju exec --unit UNIT -- COMMANDS`: the commands run by `bash` in the unit's charm
/// container (its charm directory), in a hook context: the hook tools work and what
/// they change is committed when the commands exit 0. Like an action, it runs while the
/// unit is in hook error. The task completes whatever the exit code (Juju reports the
/// code in `return-code`).
pub fn exec(sim: &mut Sim, unit: &str, commands: &str) -> Result<Task> {
    check_unit(&sim.model, unit)?;
    let params = Map::from_iter([("command".to_string(), Value::from(commands))]);
    run_checked(sim, unit, EXEC_ACTION, params)
}
