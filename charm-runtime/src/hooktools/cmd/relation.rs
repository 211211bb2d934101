//! `relation-ids`, `relation-list`, `relation-get`, `relation-set`.

pub use super::argv::relation_arg;
use super::argv::relation_set_call;
use super::util::{ask, done, json, json_map, run, BagData};
use crate::hooktools::{HookTools, Reply, Request, ToolCall, ToolError};

/// `relation-ids <endpoint> --format=json`: the ids of the endpoint's live relations.
pub fn relation_ids(tools: &mut dyn HookTools, endpoint: &str) -> Result<Vec<u64>, ToolError> {
    let request = Request::RelationIds { endpoint };
    if let Some(ids) = ask(tools, &request, |r| match r {
        Reply::RelationIds(ids) => Ok(ids),
        other => Err(other),
    }) {
        return ids;
    }
    let (call, out) = run(tools, request.call())?;
    let ids: Option<Vec<String>> = json(&call, &out)?;
    ids.unwrap_or_default()
        .iter()
        .map(|s| {
            s.rsplit(':')
                .next()
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| ToolError::BadOutput {
                    call: call.describe(),
                    output: super::util::quoted_prefix(&out),
                    problem: format!(
                        "relation id {:?} is not `<endpoint>:<int>`",
                        super::util::quoted_prefix(s)
                    ),
                })
        })
        .collect()
}

/// `relation-list --format=json -r <ep>:<id>`: the remote units.
pub fn relation_list(
    tools: &mut dyn HookTools,
    endpoint: &str,
    id: u64,
) -> Result<Vec<String>, ToolError> {
    let request = Request::RelationList { endpoint, id };
    if let Some(units) = ask(tools, &request, |r| match r {
        Reply::Names(units) => Ok(units),
        other => Err(other),
    }) {
        return units;
    }
    let (call, out) = run(tools, request.call())?;
    let units: Option<Vec<String>> = json(&call, &out)?;
    Ok(units.unwrap_or_default())
}

/// `relation-list --format=json --app -r <ep>:<id>`: the remote application's name.
pub fn relation_app(
    tools: &mut dyn HookTools,
    endpoint: &str,
    id: u64,
) -> Result<String, ToolError> {
    let (call, out) = run(
        tools,
        ToolCall::new(
            "relation-list",
            [
                "--format=json".to_string(),
                "--app".into(),
                "-r".into(),
                relation_arg(endpoint, id),
            ],
        ),
    )?;
    json(&call, &out)
}

/// `relation-get --format=json -r <ep>:<id> [--app] - <unit-or-app>`: a whole bag.
pub fn relation_get(
    tools: &mut dyn HookTools,
    endpoint: &str,
    id: u64,
    owner: &str,
    app: bool,
) -> Result<BagData, ToolError> {
    let request = Request::RelationGet {
        endpoint,
        id,
        owner,
        app,
    };
    if let Some(bag) = ask(tools, &request, |r| match r {
        Reply::Bag(bag) => Ok(bag),
        other => Err(other),
    }) {
        return bag;
    }
    let (call, out) = run(tools, request.call())?;
    json_map(&call, &out)
}

/// Juju's limit on one relation bag: its keys and values together, in bytes (Juju's
/// `core/quota.MaxRelationSettingsSize`, 16 MiB, checked by `CheckRelationSettingsSize`
/// over the raw bytes of every key and value).
pub const MAX_RELATION_SETTINGS_BYTES: usize = 16 * 1024 * 1024;

/// Checks a bag, as it would be after a `relation-set`, against
/// [`MAX_RELATION_SETTINGS_BYTES`] (keys plus values, as Juju counts): over it, the
/// [`ToolError::TooLarge`] Juju's refusal would be, before calling anything.
pub fn check_relation_settings(
    endpoint: &str,
    id: u64,
    app: bool,
    bag: &BagData,
) -> Result<(), ToolError> {
    let total: usize = bag
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| k.len() + v.len())
        .sum();
    check_relation_settings_bytes(endpoint, id, app, total)
}

/// [`check_relation_settings`] for a bag of `total` bytes of keys and values (counted
/// without building the bag).
pub(crate) fn check_relation_settings_bytes(
    endpoint: &str,
    id: u64,
    app: bool,
    total: usize,
) -> Result<(), ToolError> {
    if total <= MAX_RELATION_SETTINGS_BYTES {
        return Ok(());
    }
    Err(ToolError::TooLarge {
        call: relation_set_call(endpoint, id, app).describe(),
        problem: format!(
            "the bag would hold {total} bytes of keys and values; Juju stores at most {MAX_RELATION_SETTINGS_BYTES} in one relation bag"
        ),
    })
}

/// `relation-set -r <ep>:<id> [--app] --file -` with the changes as JSON on stdin, written
/// so that the YAML reader of Juju's `relation-set` reads every string back unchanged
/// (as ops writes it, but for characters above U+FFFF: see `json::to_tool_input`). A
/// value of `""` deletes its key. Changes over [`MAX_RELATION_SETTINGS_BYTES`] are
/// refused before the call.
pub fn relation_set(
    tools: &mut dyn HookTools,
    endpoint: &str,
    id: u64,
    app: bool,
    changes: &BagData,
) -> Result<(), ToolError> {
    check_relation_settings(endpoint, id, app, changes)?;
    let request = Request::RelationSet {
        endpoint,
        id,
        app,
        changes,
    };
    if let Some(result) = ask(tools, &request, done) {
        return result;
    }
    tools.call(&request.call())?;
    Ok(())
}

/// `relation-model-get --format=json -r <ep>:<id>`: the UUID of the model the remote
/// application is in (Juju ≥ 3.6.2; this model's for a relation inside it).
pub fn relation_model_get(
    tools: &mut dyn HookTools,
    endpoint: &str,
    id: u64,
) -> Result<String, ToolError> {
    #[derive(serde::Deserialize)]
    struct Raw {
        uuid: String,
    }
    let (call, out) = run(
        tools,
        ToolCall::new(
            "relation-model-get",
            [
                "--format=json".to_string(),
                "-r".into(),
                relation_arg(endpoint, id),
            ],
        ),
    )?;
    let raw: Raw = json(&call, &out)?;
    Ok(raw.uuid)
}
