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

#[cfg(test)]
mod tests {
    use super::*;

    fn request(content_type: &str, body: &[u8]) -> Request {
        let mut r = Request::new("POST", "/v1/files?x=1").unwrap();
        r.headers.push(("content-type".into(), content_type.into()));
        r.body = body.to_vec();
        r
    }

    #[test]
    fn no_body_no_summary() {
        let r = Request::new("GET", "/v1/plan?format=yaml").unwrap();
        let call = PebbleCall::new("web", &r, 200);
        assert_eq!(call.body, None);
        assert!(call.pushed.is_empty());
        assert_eq!(call.line(), "GET /v1/plan?format=yaml");
        assert_eq!(call.query_get("format"), Some("yaml"));
    }

    #[test]
    fn long_json_is_cut_on_a_character_boundary() {
        // Three-byte characters, so the limit falls inside one.
        let text = format!("\"{}\"", "é€".repeat(MAX_BODY_SUMMARY));
        let call = PebbleCall::new("web", &request("application/json", text.as_bytes()), 200);
        let body = call.body.unwrap();
        let (kept, tail) = body.split_once('…').unwrap();
        assert!(kept.len() <= MAX_BODY_SUMMARY && kept.len() > MAX_BODY_SUMMARY - 4);
        assert_eq!(tail, format!(" ({} bytes)", text.len()));
    }

    #[test]
    fn a_push_keeps_its_metadata_and_file_sizes() {
        let mut w = multipart::Writer::new();
        w.part(
            &[(
                "Content-Disposition",
                "form-data; name=\"request\"".to_string(),
            )],
            br#"{"action":"write","files":[{"path":"/a"},{"path":"/b"}]}"#,
        );
        for (path, content) in [("/a", &b"secret"[..]), ("/b", &b""[..])] {
            w.part(
                &[(
                    "Content-Disposition",
                    format!("form-data; name=\"files\"; filename=\"{path}\""),
                )],
                content,
            );
        }
        let ctype = w.content_type();
        let call = PebbleCall::new("web", &request(&ctype, &w.finish()), 200);
        assert_eq!(
            call.json().unwrap()["files"][1]["path"],
            serde_json::json!("/b")
        );
        assert!(!call.body.unwrap().contains("secret"));
        assert_eq!(
            call.pushed,
            [
                PushedFile {
                    path: "/a".into(),
                    size: 6
                },
                PushedFile {
                    path: "/b".into(),
                    size: 0
                }
            ]
        );
    }

    #[test]
    fn other_bodies_are_their_size_and_type() {
        let call = PebbleCall::new("web", &request("application/octet-stream", b"abc"), 400);
        assert_eq!(
            call.body.as_deref(),
            Some("<3 bytes of application/octet-stream>")
        );
        let call = PebbleCall::new("web", &request("", b"abcd"), 400);
        assert_eq!(call.body.as_deref(), Some("<4 bytes of unknown type>"));
        assert_eq!(call.status, 400);
    }
}
