//! `secret-add`, `secret-get`, `secret-info-get`, `secret-set`, `secret-grant`,
//! `secret-revoke`, `secret-remove`, `secret-ids`.
//!
//! Content goes to `secret-add` and `secret-set` as ops sends it: one `key#file=<path>`
//! argument per key, each file holding one value, in a fresh directory (mode 0700, files
//! 0600) removed when the call returns, failed or not (and if the backend panics). Juju
//! also takes `--file <yaml>`, but not `--file -`: the tool reads the file in the unit
//! agent's process, whose stdin is not the charm's, so stdin cannot carry content. Values
//! never appear in argv, and `secret-get`'s output is never quoted in an error.

use super::util::{args, json, json_confidential, run};
use crate::hooktools::{HookTools, ToolCall, ToolError};
use crate::secret::Rotate;
use crate::secret::{valid_key, Secret, SecretContent, SecretInfo, SecretMeta, SecretOwner};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Which revision `secret-get` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretRead {
    /// The tracked revision.
    Tracked,
    /// Move tracking to the latest revision and read it (`--refresh`).
    Refresh,
    /// Read the latest revision without tracking it (`--peek`).
    Peek,
}

/// The metadata flags, in ops's order: `--label`, `--description`, `--expire`, `--rotate`.
fn meta_args(meta: &SecretMeta) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(l) = &meta.label {
        out.extend(["--label".to_string(), l.clone()]);
    }
    if let Some(d) = &meta.description {
        out.extend(["--description".to_string(), d.clone()]);
    }
    if let Some(e) = meta.expire {
        out.extend(["--expire".to_string(), e.to_arg()]);
    }
    if let Some(r) = meta.rotate {
        out.extend(["--rotate".to_string(), r.as_str().to_string()]);
    }
    out
}

/// The temporary directory holding one content's values; removed when dropped.
struct ContentFiles {
    dir: PathBuf,
}

static NEXT_DIR: AtomicU64 = AtomicU64::new(0);

impl ContentFiles {
    /// Writes each value to `<dir>/<key>` and returns the `key#file=<path>` arguments.
    /// Keys are checked first (a key names a file), so nothing is written for bad content.
    fn write(
        tool: &str,
        content: &SecretContent,
    ) -> Result<(ContentFiles, Vec<String>), ToolError> {
        ContentFiles::write_in(&std::env::temp_dir(), tool, content)
    }

    /// [`ContentFiles::write`] under `base` instead of the temporary directory.
    fn write_in(
        base: &Path,
        tool: &str,
        content: &SecretContent,
    ) -> Result<(ContentFiles, Vec<String>), ToolError> {
        let fail = |message: String| ToolError::ContentFile {
            tool: tool.to_string(),
            message,
        };
        if let Some(k) = content.keys().find(|k| !valid_key(k)) {
            return Err(fail(format!(
                "{:?} is not a valid secret content key",
                super::util::quoted_prefix(k)
            )));
        }
        let files =
            ContentFiles::create_dir(base).map_err(|e| fail(format!("{}: {e}", base.display())))?;
        let mut argv = Vec::with_capacity(content.len());
        for (k, v) in content.iter() {
            let path = files.dir.join(k);
            write_private(&path, v.as_bytes())
                .map_err(|e| fail(format!("{}: {e}", path.display())))?;
            argv.push(format!("{k}#file={}", path.display()));
        }
        Ok((files, argv))
    }

    fn create_dir(base: &Path) -> std::io::Result<ContentFiles> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let mut last = None;
        for _ in 0..16 {
            let n = NEXT_DIR.fetch_add(1, Ordering::Relaxed);
            let dir = base.join(format!("charm-secret-{}-{n}-{nanos}", std::process::id()));
            let mut builder = std::fs::DirBuilder::new();
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            match builder.create(&dir) {
                Ok(()) => return Ok(ContentFiles { dir }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| std::io::Error::other("no free directory name")))
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    opts.open(path)?.write_all(bytes)
}

impl Drop for ContentFiles {
    fn drop(&mut self) {
        // Best effort: the directory is private; there is nobody to tell if this fails.
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `secret-add [--label L] [--description D] [--expire E] [--rotate R] --owner
/// <application|unit> k#file=<path> ...`: the new secret's URI.
pub fn secret_add(
    tools: &mut dyn HookTools,
    content: &SecretContent,
    owner: SecretOwner,
    meta: &SecretMeta,
) -> Result<String, ToolError> {
    let mut argv = meta_args(meta);
    argv.extend(args(["--owner", owner.as_str()]));
    let (_files, content_args) = ContentFiles::write("secret-add", content)?;
    argv.extend(content_args);
    let (call, out) = run(tools, ToolCall::new("secret-add", argv))?;
    let uri = out.trim();
    if uri.is_empty() {
        return Err(ToolError::BadOutput {
            call: call.describe(),
            output: super::util::quoted_prefix(&out),
            problem: "no secret URI printed".into(),
        });
    }
    Ok(uri.to_string())
}

/// The secret selection `secret-get` takes: `[<id>] [--label L]`.
fn select(secret: &Secret) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(id) = &secret.id {
        out.push(id.clone());
    }
    if let Some(l) = &secret.label {
        out.extend(["--label".to_string(), l.clone()]);
    }
    out
}

/// `secret-get --format=json [<id>] [--label L] [--refresh | --peek]`: the content.
pub fn secret_get(
    tools: &mut dyn HookTools,
    secret: &Secret,
    mode: SecretRead,
) -> Result<SecretContent, ToolError> {
    let mut argv = vec!["--format=json".to_string()];
    argv.extend(select(secret));
    match mode {
        SecretRead::Tracked => {}
        SecretRead::Refresh => argv.push("--refresh".into()),
        SecretRead::Peek => argv.push("--peek".into()),
    }
    let (call, out) = run(tools, ToolCall::new("secret-get", argv))?;
    let map: Option<BTreeMap<String, String>> = json_confidential(&call, &out)?;
    Ok(map.unwrap_or_default().into())
}

#[derive(Deserialize)]
struct RawInfo {
    revision: u64,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    expiry: Option<String>,
    #[serde(default)]
    rotation: Option<String>,
    #[serde(default)]
    rotates: Option<String>,
}

/// `secret-info-get --format=json <id>`, or `--label L` when only the label is known
/// (Juju takes one or the other, never both).
pub fn secret_info_get(
    tools: &mut dyn HookTools,
    secret: &Secret,
) -> Result<SecretInfo, ToolError> {
    let mut argv = vec!["--format=json".to_string()];
    match (&secret.id, &secret.label) {
        (Some(id), _) => argv.push(id.clone()),
        (None, Some(l)) => argv.extend(["--label".to_string(), l.clone()]),
        (None, None) => {}
    }
    let (call, out) = run(tools, ToolCall::new("secret-info-get", argv))?;
    let map: BTreeMap<String, RawInfo> = json(&call, &out)?;
    let bad = |problem: &str| ToolError::BadOutput {
        call: call.describe(),
        output: super::util::quoted_prefix(&out),
        problem: problem.to_string(),
    };
    let (id, raw) = map
        .into_iter()
        .next()
        .ok_or_else(|| bad("no secret in the output"))?;
    let nonempty = |s: Option<String>| s.filter(|s| !s.is_empty());
    let rotation = match nonempty(raw.rotation) {
        None => None,
        Some(r) => Some(Rotate::parse(&r).ok_or_else(|| bad("unknown rotation policy"))?),
    };
    Ok(SecretInfo {
        id,
        label: nonempty(raw.label),
        revision: raw.revision,
        owner: match raw.owner.as_deref() {
            Some("application") => Some(SecretOwner::App),
            Some("unit") => Some(SecretOwner::Unit),
            _ => None,
        },
        description: nonempty(raw.description),
        expires: nonempty(raw.expiry),
        rotation,
        rotates: nonempty(raw.rotates),
    })
}

/// `secret-set [--label L] [--description D] [--expire E] [--rotate R] --owner
/// application <id> [k#file=<path> ...]`: new content (a new revision if it differs) and/or
/// metadata. `--owner application` is what ops sends whatever the owner (its hookcmds
/// default); Juju's `secret-set` ignores it.
pub fn secret_set(
    tools: &mut dyn HookTools,
    id: &str,
    content: Option<&SecretContent>,
    meta: &SecretMeta,
) -> Result<(), ToolError> {
    let mut argv = meta_args(meta);
    argv.extend(args(["--owner", "application", id]));
    let _files = match content {
        Some(c) => {
            let (files, content_args) = ContentFiles::write("secret-set", c)?;
            argv.extend(content_args);
            Some(files)
        }
        None => None,
    };
    tools.call(&ToolCall::new("secret-set", argv))?;
    Ok(())
}

/// `secret-grant --relation <id> [--unit <unit>] <secret-id>`.
pub fn secret_grant(
    tools: &mut dyn HookTools,
    id: &str,
    relation_id: u64,
    unit: Option<&str>,
) -> Result<(), ToolError> {
    secret_access(tools, "secret-grant", id, relation_id, unit)
}

/// `secret-revoke --relation <id> [--unit <unit>] <secret-id>`.
pub fn secret_revoke(
    tools: &mut dyn HookTools,
    id: &str,
    relation_id: u64,
    unit: Option<&str>,
) -> Result<(), ToolError> {
    secret_access(tools, "secret-revoke", id, relation_id, unit)
}

/// `secret-grant` and `secret-revoke` take the same arguments.
fn secret_access(
    tools: &mut dyn HookTools,
    tool: &'static str,
    id: &str,
    relation_id: u64,
    unit: Option<&str>,
) -> Result<(), ToolError> {
    let mut argv = vec!["--relation".to_string(), relation_id.to_string()];
    if let Some(u) = unit {
        argv.extend(["--unit".to_string(), u.to_string()]);
    }
    argv.push(id.to_string());
    tools.call(&ToolCall::new(tool, argv))?;
    Ok(())
}

/// `secret-remove <secret-id> [--revision N]`: one revision, or all of them.
pub fn secret_remove(
    tools: &mut dyn HookTools,
    id: &str,
    revision: Option<u64>,
) -> Result<(), ToolError> {
    let mut argv = vec![id.to_string()];
    if let Some(r) = revision {
        argv.extend(["--revision".to_string(), r.to_string()]);
    }
    tools.call(&ToolCall::new("secret-remove", argv))?;
    Ok(())
}

/// `secret-ids --format=json`: the ids of the secrets this unit manages.
pub fn secret_ids(tools: &mut dyn HookTools) -> Result<Vec<String>, ToolError> {
    let (call, out) = run(tools, ToolCall::new("secret-ids", ["--format=json"]))?;
    let ids: Option<Vec<String>> = json(&call, &out)?;
    Ok(ids.unwrap_or_default())
}

/// For the runtime's tests: writing content files under a given directory.
#[cfg(test)]
pub(crate) mod tests_support {
    use super::ContentFiles;
    use crate::hooktools::ToolError;
    use crate::secret::SecretContent;
    use std::path::Path;

    /// Writes `content` as `secret-add` would, under `base` (then removes it).
    pub fn write_in(base: &Path, content: &SecretContent) -> Result<(), ToolError> {
        ContentFiles::write_in(base, "secret-add", content).map(|_| ())
    }
}
