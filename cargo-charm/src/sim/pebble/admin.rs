//! Acting as the workload on a container's Pebble, through its socket and `pebbled`'s
//! `/pebbled/` endpoints (the server owns the state; the simulator never writes the state
//! file itself): a custom notice as `pebble notify` records it, a check's probe results.
//!
//! The HTTP/1.1 client here is the least that talks to one known server: one request per
//! connection (`Connection: close`), the reply read to its end.
// Hand-written: an HTTP client crate (ureq, hyper) would bring TLS/async machinery for one
// request over a unix socket to our own server, whose replies always carry Content-Length.

use super::Workload;
use crate::error::{Error, Result};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::time::Duration;

/// One request; the `result` of a 200 reply, or the server's error message.
fn request(w: &Workload, method: &str, path: &str, body: &Value) -> Result<Value> {
    let fail = |e: String| {
        Error::msg(format!(
            "cannot reach the Pebble of {} at {}: {e}",
            w.label(),
            w.socket().display()
        ))
    };
    let (socket, _dir) = super::short_path(&w.socket()).map_err(|e| fail(e.to_string()))?;
    let mut stream = UnixStream::connect(socket).map_err(|e| fail(e.to_string()))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|e| fail(e.to_string()))?;
    let body = if body.is_null() {
        String::new()
    } else {
        body.to_string()
    };
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream
        .write_all(head.as_bytes())
        .and_then(|_| stream.write_all(body.as_bytes()))
        .map_err(|e| fail(e.to_string()))?;
    let mut reply = Vec::new();
    stream
        .read_to_end(&mut reply)
        .map_err(|e| fail(e.to_string()))?;
    let text = String::from_utf8_lossy(&reply);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| fail("a truncated reply".into()))?;
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| fail(format!("a malformed reply: {head:?}")))?;
    let envelope: Value =
        serde_json::from_str(body).map_err(|e| fail(format!("a reply that is not JSON ({e})")))?;
    let result = envelope.get("result").cloned().unwrap_or(Value::Null);
    if status == 200 {
        return Ok(result);
    }
    let message = result
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("no message");
    Err(Error::msg(format!("{} (Pebble of {})", message, w.label())))
}

/// Records a custom notice as the workload's `pebble notify KEY k=v...` would; returns
/// its id (what Juju passes as `JUJU_NOTICE_ID`).
pub fn notify(w: &Workload, key: &str, data: &BTreeMap<String, String>) -> Result<String> {
    let result = request(
        w,
        "POST",
        "/pebbled/notice",
        &json!({ "key": key, "data": data }),
    )?;
    result
        .get("id")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| Error::msg(format!("the Pebble of {} gave no notice id", w.label())))
}

/// The check `name` as the server reports it (`GET /v1/checks?names=NAME`); an error if
/// the plan has no such check or it is not running.
fn running_check(w: &Workload, name: &str) -> Result<Value> {
    let path = format!("/v1/checks?names={}", query_escape(name));
    let result = request(w, "GET", &path, &Value::Null)?;
    let Some(info) = result.as_array().and_then(|a| a.first()).cloned() else {
        return Err(Error::msg(format!(
            "{} has no check {name:?} in its plan (see `cargo charm sim pebble {} {} checks`)",
            w.label(),
            w.unit,
            w.container
        )));
    };
    if info["status"] == "inactive" {
        return Err(Error::msg(format!(
            "check {name:?} of {} is not running (inactive), so it can neither fail nor recover",
            w.label()
        )));
    }
    Ok(info)
}

/// Reports one probe result of check `name`.
fn probe(w: &Workload, name: &str, pass: bool) -> Result<()> {
    let body = if pass {
        json!({ "check": name, "result": "pass" })
    } else {
        json!({ "check": name, "result": "fail", "error": "simulated failure (cargo charm sim dispatch)" })
    };
    request(w, "POST", "/pebbled/check", &body).map(|_| ())
}

/// What makes Juju send `-pebble-check-failed`: a running check that is up fails until it
/// reaches its threshold (Pebble's `perform-check` change errors and a `recover-check`
/// starts). A check that is already down is left as it is.
pub fn fail_check(w: &Workload, name: &str) -> Result<()> {
    let info = running_check(w, name)?;
    if info["status"] != "up" {
        return Ok(());
    }
    let threshold = info["threshold"].as_u64().unwrap_or(3);
    let failures = info["failures"].as_u64().unwrap_or(0);
    for _ in failures..threshold {
        probe(w, name, false)?;
    }
    Ok(())
}

/// What makes Juju send `-pebble-check-recovered`: a check that is down passes once (the
/// `recover-check` change ends, a new `perform-check` starts). A check that is up is left
/// as it is.
pub fn recover_check(w: &Workload, name: &str) -> Result<()> {
    let info = running_check(w, name)?;
    if info["status"] != "down" {
        return Ok(());
    }
    probe(w, name, true)
}

/// `%XX` for everything but unreserved characters.
fn query_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
