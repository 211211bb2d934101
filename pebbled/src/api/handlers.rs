//! The JSON endpoints: system-info and health (`api.go`, `api_health.go`), plan and
//! layers (`api_plan.go`), services (`api_services.go`), changes (`api_changes.go`),
//! checks (`api_checks.go`), notices (`api_notices.go`), signals (`api_signals.go`).
//! Each error text is Pebble's, from the file named.

use std::collections::BTreeMap;

use charm_runtime::pebble::layer::CheckLevel;
use charm_runtime::pebble::types::{CheckStatus, SystemInfo};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{
    async_change, bad_request, comma_list, decode_json, error, sync, sync_status, wait_result,
    Caller, Outcome,
};
use crate::clock::Timestamp;
use crate::duration::{self, go_quote};
use crate::http::{Request, Response};
use crate::notices::{NoticeFilter, MAX_DATA_SIZE};
use crate::plan::LayerError;
use crate::state::Pebble;

/// `v1SystemInfo`.
pub fn system_info(state: &Pebble) -> Response {
    sync(SystemInfo {
        version: state.version.clone(),
        boot_id: state.boot_id.clone(),
        http_address: String::new(),
        https_address: String::new(),
    })
}

fn level_filter(request: &Request) -> Result<Option<CheckLevel>, Response> {
    match request.query_get("level") {
        "" => Ok(None),
        "alive" => Ok(Some(CheckLevel::Alive)),
        "ready" => Ok(Some(CheckLevel::Ready)),
        _ => Err(bad_request("level must be \"alive\" or \"ready\"")),
    }
}

/// `v1Health`: unhealthy (502) when a matching check is down; `ready` includes `alive`.
pub fn health(state: &Pebble, request: &Request) -> Response {
    let level = match level_filter(request) {
        Ok(level) => level,
        Err(response) => return response,
    };
    let names = comma_list(&request.query_all("names"));
    let healthy = state.check_infos(None, &[]).iter().all(|check| {
        let level_match = match (&level, &check.level) {
            (None, _) => true,
            (Some(wanted), Some(actual)) if wanted == actual => true,
            (Some(CheckLevel::Ready), Some(CheckLevel::Alive)) => true,
            _ => false,
        };
        let name_match = names.is_empty() || names.contains(&check.name);
        !(level_match && name_match && check.status == CheckStatus::Down)
    });
    sync_status(
        if healthy { 200 } else { 502 },
        json!({ "healthy": healthy }),
    )
}

/// `v1GetPlan`: only `format=yaml`.
pub fn plan(state: &Pebble, request: &Request) -> Response {
    let format = request.query_get("format");
    if format != "yaml" {
        return bad_request(format!("invalid format {}", go_quote(format)));
    }
    sync(state.plan_yaml())
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct LayersPayload {
    action: String,
    combine: bool,
    inner: bool,
    label: String,
    format: String,
    layer: String,
}

/// `v1PostLayers`.
pub fn post_layers(state: &mut Pebble, request: &Request) -> Response {
    let payload: LayersPayload = match decode_json(&request.body) {
        Ok(payload) => payload,
        Err(err) => return bad_request(format!("cannot decode request body: {err}")),
    };
    if payload.action != "add" {
        return bad_request(format!("invalid action {}", go_quote(&payload.action)));
    }
    if payload.label.is_empty() {
        return bad_request("label must be set");
    }
    if payload.format != "yaml" {
        return bad_request(format!("invalid format {}", go_quote(&payload.format)));
    }
    if payload.inner && payload.label.contains('/') {
        return error(
            500,
            "cannot insert sub-directory layer: not supported by this Pebble",
            None,
        );
    }
    match state.add_layer_yaml(&payload.label, &payload.layer, payload.combine) {
        Ok(()) => sync(true),
        Err(err @ (LayerError::Format(_) | LayerError::LabelExists(_))) => {
            bad_request(err.message())
        }
    }
}

/// `v1GetServices`.
pub fn services(state: &Pebble, request: &Request) -> Response {
    let names = comma_list(&request.query_all("names"));
    sync(state.service_infos(&names))
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct ServicesPayload {
    action: String,
    services: Vec<String>,
}

/// `v1PostServices`.
pub fn post_services(state: &mut Pebble, request: &Request) -> Response {
    let payload: ServicesPayload = match decode_json(&request.body) {
        Ok(payload) => payload,
        Err(err) => return bad_request(format!("cannot decode data from request body: {err}")),
    };
    match state.services_action(&payload.action, &payload.services) {
        Ok(change) => async_change(&change),
        Err(err) => error(err.status, err.message, err.kind),
    }
}

/// `v1GetChanges`: `select` = `in-progress` (default), `ready` or `all`; `for` a service.
pub fn changes(state: &Pebble, request: &Request) -> Response {
    let select = match request.query_get("select") {
        "" => "in-progress",
        other => other,
    };
    if !matches!(select, "all" | "in-progress" | "ready") {
        return bad_request("select should be one of: all,in-progress,ready");
    }
    let wanted = request.query_get("for");
    let result: Vec<_> = state
        .change_records()
        .iter()
        .filter(|change| match select {
            "in-progress" => !change.status().ready(),
            "ready" => change.status().ready(),
            _ => true,
        })
        .filter(|change| {
            wanted.is_empty() || change.service_names.iter().any(|name| name == wanted)
        })
        .map(|change| change.to_wire())
        .collect();
    sync(result)
}

/// `v1GetChange`.
pub fn change(state: &Pebble, id: &str) -> Response {
    match state.change(id) {
        Some(change) => sync(change),
        None => error(
            404,
            format!("cannot find change with id {}", go_quote(id)),
            None,
        ),
    }
}

/// `v1GetChangeWait`: the ready change at once; otherwise the server waits.
pub fn change_wait(state: &Pebble, id: &str, request: &Request) -> Outcome {
    let Some(change) = state.change(id) else {
        return Outcome::Respond(error(
            404,
            format!("cannot find change with id {}", go_quote(id)),
            None,
        ));
    };
    let timeout = match request.query_get("timeout") {
        "" => None,
        text => match duration::parse(text) {
            Ok(nanos) => Some(nanos),
            Err(err) => return Outcome::Respond(bad_request(format!("invalid timeout: {err}"))),
        },
    };
    if change.ready {
        return Outcome::Respond(wait_result(state, id, timeout));
    }
    Outcome::WaitChange {
        id: id.to_string(),
        timeout_nanos: timeout.filter(|nanos| *nanos != 0),
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct ActionPayload {
    action: String,
}

/// `v1PostChange`: only `abort`.
pub fn post_change(state: &mut Pebble, id: &str, request: &Request) -> Response {
    if state.change(id).is_none() {
        return error(
            404,
            format!("cannot find change with id {}", go_quote(id)),
            None,
        );
    }
    let payload: ActionPayload = match decode_json(&request.body) {
        Ok(payload) => payload,
        Err(err) => return bad_request(format!("cannot decode data from request body: {err}")),
    };
    if payload.action != "abort" {
        return bad_request(format!("invalid action {}", go_quote(&payload.action)));
    }
    match state.abort_change(id) {
        Ok(change) => sync(change),
        Err(message) => bad_request(message),
    }
}

/// `v1GetChecks`.
pub fn checks(state: &Pebble, request: &Request) -> Response {
    let level = match level_filter(request) {
        Ok(level) => level,
        Err(response) => return response,
    };
    let names = comma_list(&request.query_all("names"));
    sync(state.check_infos(level.as_ref(), &names))
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct ChecksPayload {
    action: String,
    checks: Vec<String>,
}

/// `v1PostChecks`.
pub fn post_checks(state: &mut Pebble, request: &Request) -> Response {
    let payload: ChecksPayload = match decode_json(&request.body) {
        Ok(payload) => payload,
        Err(err) => return bad_request(format!("cannot decode data from request body: {err}")),
    };
    if payload.checks.is_empty() {
        return bad_request(format!("must specify checks for {} action", payload.action));
    }
    let outcome = match payload.action.as_str() {
        "start" => state.start_checks(&payload.checks),
        "stop" => state.stop_checks(&payload.checks),
        other => return bad_request(format!("invalid action {}", go_quote(other))),
    };
    match outcome {
        Ok(changed) => sync(json!({ "changed": changed })),
        Err(message) => bad_request(format!("cannot {} checks: {message}", payload.action)),
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct RefreshPayload {
    name: String,
}

/// `v1PostChecksRefresh`: the check's current info (no probe runs here).
pub fn post_checks_refresh(state: &mut Pebble, request: &Request) -> Response {
    let payload: RefreshPayload = match decode_json(&request.body) {
        Ok(payload) => payload,
        Err(err) => return bad_request(format!("cannot decode data from request body: {err}")),
    };
    if payload.name.is_empty() {
        return bad_request("must specify check name");
    }
    if !state.plan().checks.contains_key(&payload.name) {
        return error(
            404,
            format!("cannot find check with name {}", go_quote(&payload.name)),
            None,
        );
    }
    match state
        .check_infos(None, std::slice::from_ref(&payload.name))
        .into_iter()
        .next()
    {
        Some(info) => sync(json!({ "info": info })),
        None => error(
            404,
            format!("cannot find check with name {}", go_quote(&payload.name)),
            None,
        ),
    }
}

/// `v1GetNotices`: the caller's notices and public ones, filtered.
pub fn notices(state: &Pebble, request: &Request, caller: Caller) -> Response {
    let mut user_id = Some(caller.uid);
    let user_ids = request.query_all("user-id");
    if !user_ids.is_empty() {
        let ids = comma_list(&user_ids);
        if ids.len() != 1 {
            return bad_request("invalid \"user-id\" filter: must only include one \"user-id\"");
        }
        match ids[0].parse::<i64>() {
            Ok(id) if (0..=i64::from(u32::MAX)).contains(&id) => user_id = Some(id as u32),
            Ok(id) => {
                return bad_request(format!(
                    "invalid \"user-id\" filter: user ID is not a valid uint32: {id}"
                ))
            }
            Err(_) => {
                return bad_request(format!(
                    "invalid \"user-id\" filter: strconv.ParseInt: parsing {}: invalid syntax",
                    go_quote(&ids[0])
                ))
            }
        }
    }
    if !request.query_all("users").is_empty() {
        if !user_ids.is_empty() {
            return bad_request("cannot use both \"users\" and \"user-id\" parameters");
        }
        if request.query_get("users") != "all" {
            return bad_request("invalid \"users\" filter: must be \"all\"");
        }
        user_id = None;
    }
    let requested_types = comma_list(&request.query_all("types"));
    let mut types: Vec<String> = Vec::new();
    for kind in &requested_types {
        if matches!(kind.as_str(), "custom" | "change-update" | "warning") && !types.contains(kind)
        {
            types.push(kind.clone());
        }
    }
    if types.is_empty() && !requested_types.is_empty() {
        return sync(Vec::<Value>::new());
    }
    let after = match request.query_get("after") {
        "" => None,
        text => match Timestamp::parse_rfc3339(text) {
            Ok(after) => Some(after),
            Err(err) => return bad_request(format!("invalid \"after\" timestamp: {err}")),
        },
    };
    if let Err(err) = match request.query_get("timeout") {
        "" => Ok(0),
        text => duration::parse(text),
    } {
        return bad_request(format!("invalid timeout: {err}"));
    }
    let filter = NoticeFilter {
        user_id,
        types,
        keys: comma_list(&request.query_all("keys")),
        after,
    };
    sync(state.notices(&filter))
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct NoticePayload {
    action: String,
    #[serde(rename = "type")]
    notice_type: String,
    key: String,
    #[serde(rename = "repeat-after")]
    repeat_after: String,
    data: Option<Value>,
}

/// `v1PostNotices`: custom notices only.
pub fn post_notices(state: &mut Pebble, request: &Request, caller: Caller) -> Response {
    let payload: NoticePayload = match decode_json(&request.body) {
        Ok(payload) => payload,
        Err(err) => return bad_request(format!("cannot decode request body: {err}")),
    };
    if payload.action != "add" {
        return bad_request(format!("invalid action {}", go_quote(&payload.action)));
    }
    if payload.notice_type != "custom" {
        return bad_request(format!(
            "invalid type {} (can only add \"custom\" notices)",
            go_quote(&payload.notice_type)
        ));
    }
    if !crate::notices::valid_custom_key(&payload.key) {
        return bad_request(format!(
            "invalid key {} (must be in \"example.com/path\" format)",
            go_quote(&payload.key)
        ));
    }
    if payload.key.len() > crate::notices::MAX_KEY_LENGTH {
        return bad_request(format!(
            "key must be {} bytes or less",
            crate::notices::MAX_KEY_LENGTH
        ));
    }
    let repeat_after = match payload.repeat_after.as_str() {
        "" => 0,
        text => match duration::parse(text) {
            Ok(nanos) => nanos,
            Err(err) => return bad_request(format!("invalid repeat-after: {err}")),
        },
    };
    let data_json = payload
        .data
        .as_ref()
        .map(|data| data.to_string())
        .unwrap_or_default();
    if data_json.len() > MAX_DATA_SIZE {
        return bad_request(format!(
            "total size of data must be {MAX_DATA_SIZE} bytes or less"
        ));
    }
    let data: BTreeMap<String, String> = match payload.data {
        None | Some(Value::Null) => BTreeMap::new(),
        Some(value) => match serde_json::from_value(value) {
            Ok(data) => data,
            Err(err) => return bad_request(format!("cannot decode notice data: json: {err}")),
        },
    };
    let id = state.record_notice(
        Some(caller.uid),
        "custom",
        &payload.key,
        data,
        Some(repeat_after),
    );
    sync(json!({ "id": id }))
}

/// `v1GetNotice`.
pub fn notice(state: &Pebble, id: &str, caller: Caller) -> Response {
    match state.notice_record(id) {
        None => error(
            404,
            format!("cannot find notice with ID {}", go_quote(id)),
            None,
        ),
        // Callers here are admins (uid 0 or the server's own), who may view any notice.
        Some(notice)
            if notice.user_id.is_some_and(|owner| owner != caller.uid) && caller.uid != 0 =>
        {
            error(
                403,
                format!("not allowed to access notice with id {}", go_quote(id)),
                None,
            )
        }
        Some(notice) => sync(notice.to_wire()),
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct SignalsPayload {
    signal: String,
    services: Vec<String>,
}

/// `v1PostSignals`: failures are 500s, as in Pebble.
pub fn post_signals(state: &mut Pebble, request: &Request) -> Response {
    let payload: SignalsPayload = match decode_json(&request.body) {
        Ok(payload) => payload,
        Err(err) => return bad_request(format!("cannot decode request body: {err}")),
    };
    if payload.services.is_empty() {
        return bad_request("must specify one or more services");
    }
    match state.send_signal(&payload.signal, &payload.services) {
        Ok(()) => sync(true),
        Err(message) => error(500, message, None),
    }
}
