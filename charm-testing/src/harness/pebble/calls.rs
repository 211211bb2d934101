//! [`PebbleCall`]: one request the charm made to a container's Pebble, as
//! [`Output::pebble_calls`](crate::Output::pebble_calls) records it.
//!
//! What is kept of each is described on [`PebbleCall`].

use pebbled::http::Request;
use pebbled::multipart;
use serde_json::Value;

/// The most bytes of a request body kept in [`PebbleCall::body`].
pub const MAX_BODY_SUMMARY: usize = 4096;

/// A file sent by a push: its container path and size, not its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushedFile {
    /// The container path it was written to.
    pub path: String,
    /// Its size in bytes.
    pub size: usize,
}

/// A request the charm made to Pebble.
///
/// What is recorded: the container, the method, the path, the query pairs, the HTTP status
/// Pebble answered, and a summary of the body — never a pushed file's content:
///
/// - a JSON body (layers, service actions, make-dirs, remove, notify, checks) is kept as
///   text, cut at [`MAX_BODY_SUMMARY`] bytes with `… (<n> bytes)` after it;
/// - a file push (`multipart/form-data`) keeps its `request` part (the JSON metadata:
///   paths, permissions, owners, make-dirs) as the body, and each file as a
///   [`PushedFile`]: its path and size;
/// - any other body is `<<n> bytes of <content type>>`.
///
/// Responses are not recorded beyond their status (a pull's content is in the charm's
/// hands).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PebbleCall {
    /// The container.
    pub container: String,
    /// HTTP method: `GET` or `POST`.
    pub method: String,
    /// API path, e.g. `/v1/layers`.
    pub path: String,
    /// Query pairs in order, decoded (`[("format", "yaml")]`).
    pub query: Vec<(String, String)>,
    /// The body's summary, if there was a body: JSON text, or a push's metadata.
    pub body: Option<String>,
    /// Files a push sent (path and size).
    pub pushed: Vec<PushedFile>,
    /// The HTTP status Pebble answered (200, 202, 400, 404, ...).
    pub status: u16,
}

impl PebbleCall {
    pub(crate) fn new(container: &str, request: &Request, status: u16) -> Self {
        let (body, pushed) = summarize(request);
        PebbleCall {
            container: container.to_string(),
            method: request.method.clone(),
            path: request.path.clone(),
            query: request.query.clone(),
            body,
            pushed,
            status,
        }
    }

    /// `METHOD path?k=v&...` (query unencoded), for exact assertions:
    /// `"GET /v1/plan?format=yaml"`.
    pub fn line(&self) -> String {
        if self.query.is_empty() {
            return format!("{} {}", self.method, self.path);
        }
        let query: Vec<String> = self.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!("{} {}?{}", self.method, self.path, query.join("&"))
    }

    /// The body as JSON, if it is (and was not cut).
    pub fn json(&self) -> Option<Value> {
        serde_json::from_str(self.body.as_deref()?).ok()
    }

    /// The value of query parameter `key`, if given.
    pub fn query_get(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// The body's text, cut at [`MAX_BODY_SUMMARY`] on a character boundary.
fn text(bytes: &[u8]) -> String {
    let all = String::from_utf8_lossy(bytes);
    if all.len() <= MAX_BODY_SUMMARY {
        return all.into_owned();
    }
    let mut cut = MAX_BODY_SUMMARY;
    while !all.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}… ({} bytes)", &all[..cut], bytes.len())
}

fn summarize(request: &Request) -> (Option<String>, Vec<PushedFile>) {
    if request.body.is_empty() {
        return (None, Vec::new());
    }
    let content_type = request.header("content-type").unwrap_or("");
    let (media, params) = multipart::parse_media_type(content_type).unwrap_or_default();
    match media.as_str() {
        "multipart/form-data" => {
            let boundary = params.get("boundary").cloned().unwrap_or_default();
            let mut reader = multipart::Reader::new(&request.body, &boundary);
            let mut body = None;
            let mut pushed = Vec::new();
            while let Ok(Some(part)) = reader.next_part() {
                match part.form_name().as_str() {
                    "request" => body = Some(text(&part.body)),
                    "files" => pushed.push(PushedFile {
                        path: part.filename(),
                        size: part.body.len(),
                    }),
                    _ => {}
                }
            }
            let body = body.unwrap_or_else(|| {
                format!("<{} bytes of multipart/form-data>", request.body.len())
            });
            (Some(body), pushed)
        }
        "application/json" => (Some(text(&request.body)), Vec::new()),
        other => {
            let kind = if other.is_empty() {
                "unknown type"
            } else {
                other
            };
            (
                Some(format!("<{} bytes of {kind}>", request.body.len())),
                Vec::new(),
            )
        }
    }
}
