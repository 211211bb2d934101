//! `storage-list`, `storage-get`, `storage-add`.

use super::util::{json, run};
use crate::hooktools::{HookTools, ToolCall, ToolError};
use crate::storage::{Storage, StorageInfo, StorageKind};
use std::path::PathBuf;

/// `storage-list --format=json <name>`: the instances of one storage attached to the unit.
pub fn storage_list(tools: &mut dyn HookTools, name: &str) -> Result<Vec<Storage>, ToolError> {
    let (call, out) = run(
        tools,
        ToolCall::new("storage-list", ["--format=json", name]),
    )?;
    let ids: Option<Vec<String>> = json(&call, &out)?;
    ids.unwrap_or_default()
        .iter()
        .map(|id| {
            Storage::parse(id).ok_or_else(|| ToolError::BadOutput {
                call: call.describe(),
                output: super::util::quoted_prefix(&out),
                problem: format!(
                    "storage id {:?} is not `<name>/<index>`",
                    super::util::quoted_prefix(id)
                ),
            })
        })
        .collect()
}

#[derive(serde::Deserialize)]
struct RawInfo {
    kind: StorageKind,
    location: PathBuf,
}

/// `storage-get --format=json -s <name>/<index>`: the instance's kind and location (ops
/// reads the whole object and picks the attribute it wants).
pub fn storage_get(tools: &mut dyn HookTools, storage: &Storage) -> Result<StorageInfo, ToolError> {
    let (call, out) = run(
        tools,
        ToolCall::new("storage-get", ["--format=json", "-s", &storage.id()]),
    )?;
    let raw: RawInfo = json(&call, &out)?;
    Ok(StorageInfo {
        kind: raw.kind,
        location: raw.location,
    })
}

/// `storage-add <name>=<count>`: Juju queues the request until the hook ends; the new
/// instances arrive later with `<name>-storage-attached`.
pub fn storage_add(tools: &mut dyn HookTools, name: &str, count: u32) -> Result<(), ToolError> {
    tools.call(&ToolCall::new("storage-add", [format!("{name}={count}")]))?;
    Ok(())
}
