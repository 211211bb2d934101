//! The HTTP server: envelopes, routing errors, chunked and keep-alive requests, malformed
//! input (answered, never a panic), change waits, and a clean shutdown.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::thread;
use std::time::{Duration, Instant};

use pebbled::{serve_connection, Pebble, Server, SharedPebble};
use serde_json::Value;

/// Sends raw bytes on a fresh socket pair served by `state`; returns everything the
/// server wrote before closing.
fn exchange(state: &SharedPebble, raw: &[u8]) -> String {
    let (mut client, server) = UnixStream::pair().unwrap();
    let state = state.clone();
    let worker = thread::spawn(move || serve_connection(server, &state));
    // The server may answer and close before reading everything (a 431): a broken pipe
    // here is expected then.
    let _ = client.write_all(raw);
    let _ = client.shutdown(std::net::Shutdown::Write);
    let mut out = Vec::new();
    let _ = client.read_to_end(&mut out);
    let out = String::from_utf8_lossy(&out).into_owned();
    worker.join().expect("the connection thread never panics");
    out
}

fn body_json(response: &str) -> Value {
    let body = response.split("\r\n\r\n").nth(1).expect("a body");
    serde_json::from_str(body).unwrap_or_else(|err| panic!("{err}: {response}"))
}

fn state() -> SharedPebble {
    SharedPebble::new(Pebble::default().with_root(tempfile::tempdir().unwrap().keep()))
}

#[test]
fn envelopes_and_routing_errors() {
    let state = state();
    let ok = exchange(
        &state,
        b"GET /v1/system-info HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(
        ok.starts_with("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"),
        "{ok}"
    );
    let json = body_json(&ok);
    assert_eq!(
        (
            json["type"].as_str(),
            json["status-code"].as_u64(),
            json["status"].as_str()
        ),
        (Some("sync"), Some(200), Some("OK"))
    );
    assert_eq!(json["result"]["version"], "v1.32.1");

    let cases: [(&[u8], u16, &str); 6] = [
        (
            b"GET /v1/nope HTTP/1.1\r\n\r\n",
            404,
            "invalid API endpoint requested",
        ),
        (
            b"PUT /v1/plan HTTP/1.1\r\n\r\n",
            405,
            "method \"PUT\" not allowed",
        ),
        (
            b"POST /v1/exec HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}",
            501,
            "exec is not supported by this Pebble (pebbled records services but runs no commands)",
        ),
        (
            b"POST /v1/layers HTTP/1.1\r\nContent-Length: 5\r\n\r\n{bad}",
            400,
            "cannot decode request body: key must be a string at line 1 column 2",
        ),
        (
            b"POST /v1/services HTTP/1.1\r\n\r\n",
            400,
            "cannot decode data from request body: EOF",
        ),
        (
            b"GET /v1/services/web HTTP/1.1\r\n\r\n",
            400,
            "not implemented",
        ),
    ];
    for (raw, status, message) in cases {
        let response = exchange(&state, raw);
        let json = body_json(&response);
        assert_eq!(json["type"], "error", "{response}");
        assert_eq!(
            json["status-code"].as_u64(),
            Some(u64::from(status)),
            "{response}"
        );
        assert_eq!(json["result"]["message"], message, "{response}");
    }
}

#[test]
fn chunked_bodies_and_keep_alive() {
    let state = state();
    let layer = serde_json::json!({
        "action": "add", "combine": false, "label": "base", "format": "yaml",
        "layer": "services:\n  web:\n    override: replace\n    command: /bin/web\n    startup: enabled\n",
    })
    .to_string();
    let mut raw = b"POST /v1/layers HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for chunk in layer.as_bytes().chunks(7) {
        raw.extend(format!("{:x}\r\n", chunk.len()).as_bytes());
        raw.extend(chunk);
        raw.extend(b"\r\n");
    }
    raw.extend(b"0\r\n\r\n");
    raw.extend(b"POST /v1/services HTTP/1.1\r\nContent-Length: 34\r\n\r\n{\"action\":\"replan\",\"services\":[]}\n");
    raw.extend(b"GET /v1/changes/1/wait?timeout=4.000s HTTP/1.1\r\n\r\n");
    let out = exchange(&state, &raw);
    let responses: Vec<&str> = out
        .split("HTTP/1.1 ")
        .filter(|part| !part.is_empty())
        .collect();
    assert_eq!(responses.len(), 3, "{out}");
    assert!(responses[0].starts_with("200 OK"), "{out}");
    assert!(responses[1].starts_with("202 Accepted"), "{out}");
    let accepted = body_json(&format!("HTTP/1.1 {}", responses[1]));
    assert_eq!(
        (accepted["type"].as_str(), accepted["change"].as_str()),
        (Some("async"), Some("1"))
    );
    let waited = body_json(&format!("HTTP/1.1 {}", responses[2]));
    assert_eq!(waited["result"]["status"], "Done");
    assert!(
        state.lock().service_infos(&[])[0].current
            == charm_runtime::pebble::types::ServiceStatus::Active
    );
}

#[test]
fn malformed_input_gets_an_answer_not_a_panic() {
    let state = state();
    let mut huge = b"GET /v1/plan HTTP/1.1\r\nX: ".to_vec();
    huge.extend(std::iter::repeat_n(b'a', 2 << 20));
    huge.extend(b"\r\n\r\n");
    assert!(exchange(&state, &huge).starts_with("HTTP/1.1 431 Request Header Fields Too Large"));
    let garbage: [&[u8]; 8] = [
        b"\x00\x01\x02\xff\r\n\r\n",
        b"GET\r\n\r\n",
        b"GET /v1/plan HTTP/1.1\r\nContent-Length: 99\r\n\r\n{",
        b"POST /v1/files HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\n",
        b"POST /v1/files HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=\"0123456789abcdef0123456789abcdef\"\r\nContent-Length: 12\r\n\r\n--0123456789",
        b"POST /v1/files HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: 1\r\n\r\nx",
        b"POST /v1/files HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=short\r\nContent-Length: 1\r\n\r\nx",
        b"GET /v1/files?action=read&path=/x HTTP/1.1\r\n\r\n",
    ];
    for raw in garbage {
        let out = exchange(&state, raw);
        assert!(
            out.starts_with("HTTP/1.1 400 Bad Request"),
            "{:?} -> {out}",
            String::from_utf8_lossy(raw)
        );
    }
    // Every prefix of a valid write request: an answer or a clean close, never a panic.
    let valid = b"POST /v1/files HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=0123456789abcdef0123456789abcdef\r\nContent-Length: 40\r\n\r\n--0123456789abcdef0123456789abcdef\r\n\r\n";
    for end in 0..valid.len() {
        exchange(&state, &valid[..end]);
    }
}

#[test]
fn waits_and_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("pebble.socket");
    let mut pebble = Pebble::default();
    pebble
        .add_layer_yaml(
            "l",
            "checks:\n  c:\n    override: replace\n    tcp: {port: 1}\n",
            false,
        )
        .unwrap();
    let server = Server::bind(&socket, SharedPebble::new(pebble)).unwrap();
    let request = |raw: &'static [u8]| {
        let mut stream = UnixStream::connect(&socket).unwrap();
        stream.write_all(raw).unwrap();
        let mut out = String::new();
        stream.read_to_string(&mut out).unwrap();
        out
    };
    // The check's perform-check change (id 1) never ends by itself: 504 after the timeout.
    let started = Instant::now();
    let out =
        request(b"GET /v1/changes/1/wait?timeout=200ms HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(
        body_json(&out)["result"]["message"],
        "timed out waiting for change after 200ms"
    );
    // Stopping the check from another thread wakes a waiter.
    let shared = server.state().clone();
    let stopper = thread::spawn(move || {
        thread::sleep(Duration::from_millis(100));
        shared.update(|state| state.stop_checks(&["c".to_string()]).unwrap());
    });
    let out = request(b"GET /v1/changes/1/wait HTTP/1.1\r\nConnection: close\r\n\r\n");
    stopper.join().unwrap();
    assert_eq!(body_json(&out)["result"]["status"], "Undone");
    // An idle keep-alive connection does not block shutdown.
    let idle = UnixStream::connect(&socket).unwrap();
    server.shutdown();
    assert!(!socket.exists());
    drop(idle);
    assert!(UnixStream::connect(&socket).is_err());
}
