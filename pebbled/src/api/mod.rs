//! Pebble's HTTP API over a [`Pebble`] state: routing (`internals/daemon/api.go`,
//! `daemon.go`), response envelopes (`response.go`), and the handlers, one module per
//! area. [`handle`] is the whole API as a function of a request; the unix-socket server
//! and an in-memory harness both call it.

mod admin;
mod files;
mod handlers;

use charm_runtime::pebble::types::{Envelope, ErrorResult, ResponseType};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::http::{status_text, Request, Response};
use crate::state::Pebble;

/// Who is asking: Pebble takes the peer's uid from the socket (`SO_PEERCRED`); a std-only
/// server cannot read it, so the caller says. Juju runs charms as root: uid 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Caller {
    /// The requester's uid (custom notices are recorded under it).
    pub uid: u32,
}

/// What the API decided: a response now, or "wait for this change" (which a server with
/// other clients does without holding the state).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Send this.
    Respond(Response),
    /// `GET /v1/changes/{id}/wait`: the change exists but is not ready. Wait up to
    /// `timeout_nanos` (`None`: for ever), then answer with [`wait_result`].
    WaitChange {
        /// The change id.
        id: String,
        /// The requested timeout, if any.
        timeout_nanos: Option<i64>,
    },
}

fn json_response(status: u16, envelope: &Envelope) -> Response {
    Response {
        status,
        headers: vec![("Content-Type".to_string(), "application/json".to_string())],
        body: serde_json::to_vec(envelope).unwrap_or_default(),
    }
}

/// A `sync` envelope with `result` (`SyncResponse`).
pub fn sync<T: Serialize>(result: T) -> Response {
    sync_status(200, result)
}

/// A `sync` envelope with another status (`/v1/health` answers 502 when unhealthy).
pub fn sync_status<T: Serialize>(status: u16, result: T) -> Response {
    let mut envelope = sync_envelope(result);
    envelope.status_code = status;
    envelope.status = status_text(status).to_string();
    json_response(status, &envelope)
}

/// The envelope of a 200 `sync` response (also the JSON part of a file read's reply).
pub fn sync_envelope<T: Serialize>(result: T) -> Envelope {
    let result = serde_json::to_value(result).unwrap_or(Value::Null);
    Envelope {
        type_: ResponseType::Synchronous,
        status_code: 200,
        status: status_text(200).to_string(),
        change: None,
        result,
    }
}

/// An `async` envelope for a change (`AsyncResponse`, no result).
pub fn async_change(change: &str) -> Response {
    json_response(
        202,
        &Envelope {
            type_: ResponseType::Asynchronous,
            status_code: 202,
            status: status_text(202).to_string(),
            change: Some(change.to_string()),
            result: Value::Null,
        },
    )
}

/// An `error` envelope (`ErrorResponse`); 401 gets kind `login-required` as in Pebble.
pub fn error(status: u16, message: impl Into<String>, kind: Option<&str>) -> Response {
    let kind = kind.map(str::to_string).unwrap_or_else(|| {
        if status == 401 {
            "login-required".into()
        } else {
            String::new()
        }
    });
    let result = ErrorResult {
        message: message.into(),
        kind,
        value: Value::Null,
    };
    json_response(
        status,
        &Envelope {
            type_: ResponseType::Error,
            status_code: status,
            status: status_text(status).to_string(),
            change: None,
            result: serde_json::to_value(result).unwrap_or(Value::Null),
        },
    )
}

/// A 400 error envelope.
pub fn bad_request(message: impl Into<String>) -> Response {
    error(400, message, None)
}

/// Decodes a JSON body as Go's `json.NewDecoder(body).Decode(&payload)`: the first value
/// only, unknown fields ignored, missing ones zero. The error text follows Go's where it
/// can (`EOF` for an empty body).
pub fn decode_json<T: DeserializeOwned + Default>(body: &[u8]) -> Result<T, String> {
    let mut values = serde_json::Deserializer::from_slice(body).into_iter::<Value>();
    match values.next() {
        None => Err("EOF".to_string()),
        Some(Err(err)) if err.is_eof() => Err("unexpected EOF".to_string()),
        Some(Err(err)) => Err(err.to_string()),
        Some(Ok(Value::Null)) => Ok(T::default()),
        Some(Ok(value)) => serde_json::from_value(value).map_err(|err| format!("json: {err}")),
    }
}

/// Go's `strutil.MultiCommaSeparatedList`: every value split on commas, blanks dropped.
pub fn comma_list(values: &[&str]) -> Vec<String> {
    values
        .iter()
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_string)
        .collect()
}

/// The answer to a change wait once it is over: the change if ready, else Pebble's 504.
pub fn wait_result(state: &Pebble, id: &str, timeout_nanos: Option<i64>) -> Response {
    match state.change(id) {
        Some(change) if change.ready => sync(change),
        Some(_) => error(
            504,
            format!(
                "timed out waiting for change after {}",
                crate::duration::format(timeout_nanos.unwrap_or(0))
            ),
            None,
        ),
        None => error(
            404,
            format!(
                "cannot find change with id {}",
                crate::duration::go_quote(id)
            ),
            None,
        ),
    }
}

/// Routes a request to its handler (Pebble's mux: exact paths with `{id}` segments;
/// an unknown path is 404 `invalid API endpoint requested`, a method the path lacks is
/// 405 `method "X" not allowed`).
pub fn handle(state: &mut Pebble, request: &Request, caller: Caller) -> Outcome {
    let segments: Vec<&str> = request.path.trim_start_matches('/').split('/').collect();
    let method = request.method.as_str();
    let not_allowed = || {
        Outcome::Respond(error(
            405,
            format!("method {} not allowed", crate::duration::go_quote(method)),
            None,
        ))
    };
    let respond = Outcome::Respond;
    // (GET handler exists, POST handler exists) per route, then dispatch.
    macro_rules! route {
        (get: $get:expr, post: $post:expr) => {
            match method {
                "GET" => $get,
                "POST" => $post,
                _ => not_allowed(),
            }
        };
    }
    match segments.as_slice() {
        ["v1", "system-info"] => {
            route!(get: respond(handlers::system_info(state)), post: not_allowed())
        }
        ["v1", "health"] => {
            route!(get: respond(handlers::health(state, request)), post: not_allowed())
        }
        ["v1", "changes"] => {
            route!(get: respond(handlers::changes(state, request)), post: not_allowed())
        }
        ["v1", "changes", id] => {
            route!(get: respond(handlers::change(state, id)), post: respond(handlers::post_change(state, id, request)))
        }
        ["v1", "changes", id, "wait"] => {
            route!(get: handlers::change_wait(state, id, request), post: not_allowed())
        }
        ["v1", "services"] => route!(
            get: respond(handlers::services(state, request)),
            post: respond(handlers::post_services(state, request))
        ),
        ["v1", "services", _name] => route!(
            get: respond(bad_request("not implemented")),
            post: respond(bad_request("not implemented"))
        ),
        ["v1", "plan"] => route!(get: respond(handlers::plan(state, request)), post: not_allowed()),
        ["v1", "layers"] => {
            route!(get: not_allowed(), post: respond(handlers::post_layers(state, request)))
        }
        ["v1", "files"] => route!(
            get: respond(files::get(state, request)),
            post: respond(files::post(state, request))
        ),
        ["v1", "checks"] => route!(
            get: respond(handlers::checks(state, request)),
            post: respond(handlers::post_checks(state, request))
        ),
        ["v1", "checks", "refresh"] => {
            route!(get: not_allowed(), post: respond(handlers::post_checks_refresh(state, request)))
        }
        ["v1", "notices"] => route!(
            get: respond(handlers::notices(state, request, caller)),
            post: respond(handlers::post_notices(state, request, caller))
        ),
        ["v1", "notices", id] => {
            route!(get: respond(handlers::notice(state, id, caller)), post: not_allowed())
        }
        ["v1", "signals"] => {
            route!(get: not_allowed(), post: respond(handlers::post_signals(state, request)))
        }
        ["v1", "exec"] => route!(
            get: not_allowed(),
            post: respond(error(501, "exec is not supported by this Pebble (pebbled records services but runs no commands)", None))
        ),
        ["v1", "tasks", _task, "websocket", _ws] => route!(
            get: respond(error(501, "exec websockets are not supported by this Pebble (pebbled runs no commands)", None)),
            post: not_allowed()
        ),
        ["v1", "logs"] => route!(
            get: respond(error(501, "service logs are not supported by this Pebble (pebbled runs no services)", None)),
            post: not_allowed()
        ),
        ["v1", "identities"] | ["v1", "metrics"] | ["v1", "pairing"] => {
            let what = segments[1];
            let unsupported = || {
                respond(error(
                    501,
                    format!("/v1/{what} is not supported by this Pebble"),
                    None,
                ))
            };
            match (what, method) {
                ("identities", "GET" | "POST") | ("metrics", "GET") | ("pairing", "POST") => {
                    unsupported()
                }
                _ => not_allowed(),
            }
        }
        ["pebbled", segment] => admin::handle(state, request, segment, caller),
        _ => respond(error(404, "invalid API endpoint requested", None)),
    }
}
