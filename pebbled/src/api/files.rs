//! `/v1/files` (`internals/daemon/api_files.go`): read (a multipart reply: a `files` part
//! per file read, then the JSON `response` part), list, write (a multipart request),
//! make-dirs and remove (JSON), with Pebble's per-path results.

use charm_runtime::pebble::types::{ErrorResult, FileResult};
use serde::Deserialize;
use serde_json::Value;

use super::{bad_request, decode_json, error, sync};
use crate::duration::go_quote;
use crate::files::{ContainerFs, FileError, MakeDirItem, WriteItem};
use crate::gopath;
use crate::http::{Request, Response};
use crate::multipart;
use crate::state::Pebble;

/// Pebble's `minBoundaryLength`.
const MIN_BOUNDARY_LENGTH: usize = 32;

fn no_fs() -> Response {
    error(
        500,
        "cannot access files: this container has no filesystem",
        None,
    )
}

fn result(path: &str, outcome: Result<(), FileError>) -> FileResult {
    FileResult {
        path: path.to_string(),
        error: outcome.err().map(|err| ErrorResult {
            message: err.message,
            kind: err.kind.as_str().to_string(),
            value: Value::Null,
        }),
    }
}

/// `v1GetFiles`.
pub fn get(state: &Pebble, request: &Request) -> Response {
    let action = request.query_get("action");
    match action {
        "read" => {
            let paths = request.query_all("path");
            if paths.is_empty() {
                return bad_request("must specify one or more paths");
            }
            if request.header("accept") != Some("multipart/form-data") {
                return bad_request("must accept multipart/form-data");
            }
            let Some(fs) = state.fs() else { return no_fs() };
            read(&fs, &paths)
        }
        "list" => {
            let path = request.query_get("path");
            if path.is_empty() {
                return bad_request("must specify path");
            }
            let itself = request.query_get("itself");
            if !matches!(itself, "true" | "false" | "") {
                return bad_request("itself parameter must be \"true\" or \"false\"");
            }
            if !gopath::is_abs(path) {
                return bad_request(format!("path must be absolute, got {}", go_quote(path)));
            }
            let Some(fs) = state.fs() else { return no_fs() };
            match fs.list(
                path,
                request.query_get("pattern"),
                itself == "true",
                state.owners(),
            ) {
                Ok(entries) => sync(entries),
                Err(err) => error(err.kind.status(), err.message, Some(err.kind.as_str())),
            }
        }
        other => bad_request(format!("invalid action {}", go_quote(other))),
    }
}

/// `readFilesResponse`: always 200; per-path errors are in the `response` part.
fn read(fs: &ContainerFs, paths: &[&str]) -> Response {
    let mut writer = multipart::Writer::new();
    let mut results = Vec::new();
    for path in paths {
        let outcome = fs.read(path).map(|content| {
            let disposition = format!(
                "form-data; name=\"files\"; filename=\"{}\"",
                multipart::escape_quotes(path)
            );
            writer.part(
                &[
                    ("Content-Disposition", disposition),
                    ("Content-Type", "application/octet-stream".to_string()),
                ],
                &content,
            );
        });
        results.push(result(path, outcome));
    }
    let mut metadata = serde_json::to_vec(&super::sync_envelope(results)).unwrap_or_default();
    metadata.push(b'\n');
    writer.part(
        &[
            ("Content-Type", "application/json".to_string()),
            (
                "Content-Disposition",
                "form-data; name=\"response\"".to_string(),
            ),
        ],
        &metadata,
    );
    let content_type = writer.content_type();
    Response {
        status: 200,
        headers: vec![("Content-Type".to_string(), content_type)],
        body: writer.finish(),
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct RemoveItem {
    path: String,
    recursive: bool,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JsonPayload {
    action: String,
    dirs: Vec<MakeDirItem>,
    paths: Vec<RemoveItem>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct WritePayload {
    action: String,
    files: Vec<WriteItem>,
}

/// `v1PostFiles`.
pub fn post(state: &mut Pebble, request: &Request) -> Response {
    let content_type = request.header("content-type").unwrap_or("");
    let Ok((media, params)) = multipart::parse_media_type(content_type) else {
        return bad_request(format!("invalid Content-Type {}", go_quote(content_type)));
    };
    match media.as_str() {
        "multipart/form-data" => {
            let boundary = params.get("boundary").cloned().unwrap_or_default();
            if boundary.len() < MIN_BOUNDARY_LENGTH {
                return bad_request(format!("invalid boundary {}", go_quote(&boundary)));
            }
            let Some(fs) = state.fs() else { return no_fs() };
            write(&fs, state, &request.body, &boundary)
        }
        "application/json" => {
            let payload: JsonPayload = match decode_json(&request.body) {
                Ok(payload) => payload,
                Err(err) => return bad_request(format!("cannot decode request body: {err}")),
            };
            let Some(fs) = state.fs() else { return no_fs() };
            match payload.action.as_str() {
                "make-dirs" => {
                    let results: Vec<FileResult> = payload
                        .dirs
                        .iter()
                        .map(|dir| result(&dir.path, fs.make_dir(dir, state.owners_mut())))
                        .collect();
                    sync(results)
                }
                "remove" => {
                    let results: Vec<FileResult> = payload
                        .paths
                        .iter()
                        .map(|item| {
                            result(
                                &item.path,
                                fs.remove(&item.path, item.recursive, state.owners_mut()),
                            )
                        })
                        .collect();
                    sync(results)
                }
                "write" => bad_request("must use multipart with \"write\" action"),
                other => bad_request(format!("invalid action {}", go_quote(other))),
            }
        }
        other => bad_request(format!("invalid media type {}", go_quote(other))),
    }
}

/// `writeFiles`: the `request` part first, then one `files` part per file.
fn write(fs: &ContainerFs, state: &mut Pebble, body: &[u8], boundary: &str) -> Response {
    let mut reader = multipart::Reader::new(body, boundary);
    let first = match reader.next_part() {
        Ok(Some(part)) => part,
        Ok(None) => return bad_request("cannot read request metadata: EOF"),
        Err(err) => return bad_request(format!("cannot read request metadata: {err}")),
    };
    if first.form_name() != "request" {
        return bad_request(format!(
            "metadata field name must be \"request\", got {}",
            go_quote(&first.form_name())
        ));
    }
    let payload: WritePayload = match decode_json(&first.body) {
        Ok(payload) => payload,
        Err(err) => return bad_request(format!("cannot decode request metadata: {err}")),
    };
    if payload.action != "write" {
        return bad_request(format!(
            "multipart action must be \"write\", got {}",
            go_quote(&payload.action)
        ));
    }
    if payload.files.is_empty() {
        return bad_request("must specify one or more files");
    }
    let mut outcomes: std::collections::BTreeMap<String, Result<(), FileError>> =
        Default::default();
    let mut index = 0;
    loop {
        let part = match reader.next_part() {
            Ok(Some(part)) => part,
            Ok(None) => break,
            Err(err) => return bad_request(format!("cannot read file part {index}: {err}")),
        };
        if part.form_name() != "files" {
            return bad_request(format!(
                "field name must be \"files\", got {}",
                go_quote(&part.form_name())
            ));
        }
        let path = part.filename();
        let Some(item) = payload.files.iter().rev().find(|item| item.path == path) else {
            return bad_request(format!("no metadata for path {}", go_quote(&path)));
        };
        outcomes.insert(path, fs.write(item, &part.body, state.owners_mut()));
        index += 1;
    }
    let results: Vec<FileResult> = payload
        .files
        .iter()
        .map(|item| {
            let outcome = outcomes.get(&item.path).cloned().unwrap_or_else(|| {
                Err(FileError {
                    kind: crate::files::FileErrorKind::Generic,
                    message: format!("no file content for path {}", go_quote(&item.path)),
                })
            });
            result(&item.path, outcome)
        })
        .collect();
    sync(results)
}
