//! Endpoints that are not Pebble's, under `/pebbled/` (real Pebble answers 404 there), for
//! a simulator that runs `pebbled` as a separate process and must act as the workload
//! would: report a check's probe result, record a notice as `pebble notify` would, crash
//! a service, make its starts fail, read the whole state.
//!
//! - `POST /pebbled/check` `{"check": name, "result": "fail"|"pass", "error": text}`
//! - `POST /pebbled/notice` `{"key": k, "data": {..}, "repeat-after": "10s", "user-id": n}`
//! - `POST /pebbled/service` `{"service": name, "status": "active"|"inactive"|"error"|"backoff"}`
//! - `POST /pebbled/start-failure` `{"service": name, "exit-code": n|null}`
//! - `GET /pebbled/state`: the state as JSON.

use std::collections::BTreeMap;

use charm_runtime::pebble::types::ServiceStatus;
use serde::Deserialize;
use serde_json::json;

use super::{bad_request, decode_json, error, sync, Caller, Outcome};
use crate::http::{Request, Response};
use crate::state::Pebble;

#[derive(Default, Deserialize)]
#[serde(default)]
struct CheckPayload {
    check: String,
    result: String,
    error: String,
}

#[derive(Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
struct NoticePayload {
    key: String,
    data: BTreeMap<String, String>,
    repeat_after: String,
    user_id: Option<u32>,
}

#[derive(Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
struct ServicePayload {
    service: String,
    status: String,
    exit_code: Option<i32>,
}

fn decoded<T: serde::de::DeserializeOwned + Default>(request: &Request) -> Result<T, Response> {
    decode_json(&request.body)
        .map_err(|err| bad_request(format!("cannot decode request body: {err}")))
}

fn done(outcome: Result<(), String>) -> Response {
    match outcome {
        Ok(()) => sync(true),
        Err(message) => bad_request(message),
    }
}

/// Routes `/pebbled/...`.
pub fn handle(state: &mut Pebble, request: &Request, segment: &str, caller: Caller) -> Outcome {
    let response = match (request.method.as_str(), segment) {
        ("GET", "state") => match serde_json::from_str::<serde_json::Value>(&state.to_json()) {
            Ok(value) => sync(value),
            Err(err) => error(500, err.to_string(), None),
        },
        ("POST", "check") => match decoded::<CheckPayload>(request) {
            Err(response) => response,
            Ok(payload) => match payload.result.as_str() {
                "fail" => done(state.check_failed(&payload.check, &payload.error)),
                "pass" => done(state.check_succeeded(&payload.check)),
                other => bad_request(format!(
                    "result must be \"fail\" or \"pass\", not {other:?}"
                )),
            },
        },
        ("POST", "notice") => match decoded::<NoticePayload>(request) {
            Err(response) => response,
            Ok(payload) => {
                let repeat_after = match payload.repeat_after.as_str() {
                    "" => None,
                    text => match crate::duration::parse(text) {
                        Ok(nanos) => Some(std::time::Duration::from_nanos(nanos.max(0) as u64)),
                        Err(err) => {
                            return Outcome::Respond(bad_request(format!(
                                "invalid repeat-after: {err}"
                            )))
                        }
                    },
                };
                let user = Some(payload.user_id.unwrap_or(caller.uid));
                match state.notify(user, &payload.key, payload.data, repeat_after) {
                    Ok(id) => sync(json!({ "id": id })),
                    Err(message) => bad_request(message),
                }
            }
        },
        ("POST", "service") => match decoded::<ServicePayload>(request) {
            Err(response) => response,
            Ok(payload) => done(state.set_service_status(
                &payload.service,
                ServiceStatus::from(payload.status.as_str()),
            )),
        },
        ("POST", "start-failure") => match decoded::<ServicePayload>(request) {
            Err(response) => response,
            Ok(payload) => {
                state.set_start_failure(&payload.service, payload.exit_code);
                sync(true)
            }
        },
        ("GET" | "POST", "state" | "check" | "notice" | "service" | "start-failure") => error(
            405,
            format!("method {:?} not allowed", request.method),
            None,
        ),
        _ => error(404, "invalid API endpoint requested", None),
    };
    Outcome::Respond(response)
}
