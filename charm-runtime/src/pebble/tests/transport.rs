//! The transport: request bytes, response framing, envelopes, and every failure as a typed
//! error (never a panic).

use super::server::{error, http, sync, temp_dir, Reply, Server};
use crate::pebble::http::{header_param, quote_plus, read_response, HttpError};
use crate::pebble::{Client, ErrorKind, PebbleError};
use serde_json::json;
use std::io::BufReader;
use std::os::unix::net::UnixListener;
use std::time::{Duration, Instant};

fn kind(e: &PebbleError) -> &ErrorKind {
    &e.kind
}

#[test]
fn a_get_is_written_as_ops_writes_it_and_a_sync_result_is_read() {
    let s = Server::start(vec![sync(json!({"version": "1.32.0", "boot-id": "b"}))]);
    let info = s.client().get_system_info().unwrap();
    assert_eq!(info.version, "1.32.0");
    assert_eq!(
        s.seen()[0].head,
        "GET /v1/system-info HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n\
         Connection: close\r\n\r\n"
    );
}

#[test]
fn chunked_and_read_to_eof_bodies() {
    let body = json!({"type": "sync", "status-code": 200, "status": "OK",
                      "result": {"version": "chunked"}})
    .to_string();
    let (a, b) = body.split_at(10);
    let chunked = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n\
         {:x};ext=1\r\n{a}\r\n{:X}\r\n{b}\r\n0\r\nX-Trailer: t\r\n\r\n",
        a.len(),
        b.len()
    );
    let eof = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: Application/JSON; charset=utf-8\r\n\r\n{}",
        body.replace("chunked", "eof")
    );
    let s = Server::start(vec![
        Reply::Bytes(chunked.into_bytes()),
        Reply::Bytes(eof.into_bytes()),
    ]);
    assert_eq!(s.client().get_system_info().unwrap().version, "chunked");
    assert_eq!(s.client().get_system_info().unwrap().version, "eof");
}

#[test]
fn interim_responses_are_skipped() {
    let mut bytes = b"HTTP/1.1 100 Continue\r\n\r\n".to_vec();
    if let Reply::Bytes(b) = sync(json!({"version": "v"})) {
        bytes.extend(b);
    }
    let s = Server::start(vec![Reply::Bytes(bytes)]);
    assert_eq!(s.client().get_system_info().unwrap().version, "v");
}

#[test]
fn an_error_envelope_is_an_api_error_naming_container_method_and_path() {
    let s = Server::start(vec![error(
        404,
        "Not Found",
        "cannot find service \"x\"",
        "not-found",
    )]);
    let e = s.client().get_services(&["x", "y z"]).unwrap_err();
    match kind(&e) {
        ErrorKind::Api {
            code,
            status,
            message,
            kind,
            body,
        } => {
            assert_eq!(*code, 404);
            assert_eq!(status, "Not Found");
            assert_eq!(message, "cannot find service \"x\"");
            assert_eq!(kind, "not-found");
            assert_eq!(body["status-code"], 404);
        }
        other => panic!("expected an API error, got {other:?}"),
    }
    assert!(e.is_not_found() && !e.is_cannot_connect());
    assert_eq!(
        e.to_string(),
        "pebble in container `workload`: GET /v1/services?names=x%2Cy+z: \
         404 Not Found: cannot find service \"x\" (not-found)"
    );
}

#[test]
fn an_error_status_without_json_is_still_an_api_error() {
    let s = Server::start(vec![Reply::Bytes(http(
        "502 Bad Gateway",
        "text/html",
        b"<html>oops</html>",
    ))]);
    let e = s.client().get_system_info().unwrap_err();
    match kind(&e) {
        ErrorKind::Api { code, message, .. } => {
            assert_eq!(*code, 502);
            assert!(message.contains("not JSON"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_error_type_in_a_2xx_answer_is_an_api_error() {
    let body = json!({"type": "error", "status-code": 400, "status": "Bad Request",
                      "result": {"message": "nope"}});
    let s = Server::start(vec![Reply::Bytes(http(
        "200 OK",
        "application/json",
        body.to_string().as_bytes(),
    ))]);
    let e = s.client().get_system_info().unwrap_err();
    assert_eq!(e.api_code(), Some(400));
}

#[test]
fn wrong_content_type_is_a_protocol_error() {
    let s = Server::start(vec![
        Reply::Bytes(http("200 OK", "text/html", b"{}")),
        Reply::Bytes(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}".to_vec()),
    ]);
    let e = s.client().get_system_info().unwrap_err();
    assert_eq!(
        *e.kind,
        ErrorKind::Protocol {
            message: "expected Content-Type \"application/json\", got \"text/html\"".into()
        }
    );
    // No Content-Type reads as text/plain, as in Python's email parser (ops' message).
    let e = s.client().get_system_info().unwrap_err();
    assert!(e.to_string().contains("got \"text/plain\""), "{e}");
}

#[test]
fn non_json_truncated_and_bad_envelopes_are_protocol_errors() {
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (http("200 OK", "application/json", b"not json"), "not valid JSON"),
        (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"ty"
                .to_vec(),
            "truncated HTTP response: the body ended after 4 of 100 bytes",
        ),
        (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc"
                .to_vec(),
            "truncated HTTP response: a chunk ended after 3 of 16 bytes",
        ),
        (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"
                .to_vec(),
            "bad chunk size",
        ),
        (
            b"HTTP/1.1 200 OK\r\nContent-Type: applic".to_vec(),
            "the stream ended inside the headers",
        ),
        (http("200 OK", "application/json", b"[1, 2]"), "not a Pebble response envelope"),
        (
            http("200 OK", "application/json", br#"{"type": "sync", "status-code": 200, "result": {"version": 3}}"#),
            "unexpected result",
        ),
        (b"SSH-2.0-OpenSSH_9.6\r\n\r\n".to_vec(), "not an HTTP/1.x status line"),
        (b"HTTP/1.1 2000 OK\r\n\r\n".to_vec(), "bad status line"),
        (b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n".to_vec(), "header line without colon"),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n{}".to_vec(),
            "conflicting Content-Length",
        ),
        (http("301 Moved", "application/json", b"{}"), "301 Moved"),
    ];
    let s = Server::start(cases.iter().map(|(b, _)| Reply::Bytes(b.clone())).collect());
    for (bytes, expect) in &cases {
        let e = s.client().get_system_info().unwrap_err();
        assert!(
            e.to_string().contains(expect),
            "{e} (reply {:?})",
            String::from_utf8_lossy(bytes)
        );
        assert!(!e.is_cannot_connect());
    }
}

#[test]
fn header_limits_are_enforced() {
    let huge = format!(
        "HTTP/1.1 200 OK\r\nX-Big: {}\r\n\r\n",
        "a".repeat(70 * 1024)
    );
    let many = format!(
        "HTTP/1.1 200 OK\r\n{}\r\n",
        (0..150)
            .map(|i| format!("X-{i}: v\r\n"))
            .collect::<String>()
    );
    let s = Server::start(vec![
        Reply::Bytes(huge.into_bytes()),
        Reply::Bytes(many.into_bytes()),
    ]);
    let e = s.client().get_system_info().unwrap_err();
    assert!(e.to_string().contains("exceeds 65536 bytes"), "{e}");
    let e = s.client().get_system_info().unwrap_err();
    assert!(e.to_string().contains("more than 100 header lines"), "{e}");
}

#[test]
fn a_server_that_never_answers_times_out() {
    let s = Server::start(vec![Reply::Silent(Duration::from_secs(5))]);
    let started = Instant::now();
    let e = s
        .client()
        .with_timeout(Duration::from_millis(300))
        .get_system_info()
        .unwrap_err();
    assert!(matches!(*e.kind, ErrorKind::Timeout { .. }), "{e}");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(!e.is_cannot_connect());
}

#[test]
fn a_body_that_stalls_past_the_deadline_times_out() {
    // The whole response is bounded, not each read: headers arrive, the body never ends.
    let s = Server::start(vec![Reply::Stall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{"
            .to_vec(),
        Duration::from_secs(5),
    )]);
    let started = Instant::now();
    let e = s
        .client()
        .with_timeout(Duration::from_millis(300))
        .get_system_info()
        .unwrap_err();
    assert!(matches!(*e.kind, ErrorKind::Timeout { .. }), "{e}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[test]
fn a_body_cut_short_is_truncated() {
    let s = Server::start(vec![Reply::Bytes(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{"
            .to_vec(),
    )]);
    let e = s.client().get_system_info().unwrap_err();
    assert!(e.to_string().contains("truncated"), "{e}");
}

#[test]
fn a_missing_socket_cannot_connect() {
    let dir = temp_dir();
    let client = Client::at_socket("workload", dir.join("pebble.socket"));
    let e = client.get_system_info().unwrap_err();
    assert!(e.is_cannot_connect(), "{e}");
    let text = e.to_string();
    assert!(text.starts_with("pebble in container `workload`: GET /v1/system-info: cannot connect: socket not found at "), "{text}");
    assert!(
        text.ends_with("pebble.socket (container restarted?)"),
        "{text}"
    );
    assert!(!client.can_connect());
}

#[test]
fn a_refused_connection_cannot_connect() {
    let dir = temp_dir();
    let path = dir.join("pebble.socket");
    drop(UnixListener::bind(&path).unwrap()); // the file stays, nobody listens
    let e = Client::at_socket("w", &path).get_plan().unwrap_err();
    assert!(e.is_cannot_connect(), "{e}");
    assert!(e.to_string().contains("GET /v1/plan?format=yaml"), "{e}");
}

#[test]
fn a_hangup_before_the_answer_cannot_connect() {
    let s = Server::start(vec![Reply::Hangup, Reply::Bytes(Vec::new())]);
    for _ in 0..2 {
        let e = s.client().get_system_info().unwrap_err();
        assert!(e.is_cannot_connect(), "{e}");
    }
}

#[test]
fn no_prefix_of_a_response_panics() {
    // Every prefix of valid chunked and multipart answers read as a response: an error or
    // a value, never a panic.
    let answers = [
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n2\r\n1}\r\n0\r\n\r\n".to_vec(),
        b"HTTP/1.1 200 OK\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 20\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n".to_vec(),
    ];
    for answer in answers {
        for n in 0..=answer.len() {
            let mut r = BufReader::new(&answer[..n]);
            match read_response(&mut r, false) {
                Ok(resp) => assert!(n >= answer.len() - 30, "{n}: {resp:?}"),
                Err(HttpError::Disconnected(_)) => assert_eq!(n, 0),
                Err(_) => {}
            }
        }
    }
}

#[test]
fn query_encoding_matches_python_urlencode() {
    assert_eq!(quote_plus("/etc/a b+c"), "%2Fetc%2Fa+b%2Bc");
    assert_eq!(quote_plus("az-AZ_09.~"), "az-AZ_09.~");
    assert_eq!(quote_plus("*.txt,é"), "%2A.txt%2C%C3%A9");
}

#[test]
fn header_params_are_unquoted() {
    let v = r#"form-data; name="files"; filename="/a \"q\" \\b;c""#;
    assert_eq!(header_param(v, "name").as_deref(), Some("files"));
    assert_eq!(
        header_param(v, "FILENAME").as_deref(),
        Some(r#"/a "q" \b;c"#)
    );
    assert_eq!(
        header_param("multipart/form-data; boundary=abc ; x=1", "boundary").as_deref(),
        Some("abc")
    );
    assert_eq!(header_param("form-data", "name"), None);
    assert_eq!(
        header_param("form-data; name=\"unterminated", "name").as_deref(),
        Some("unterminated")
    );
}

/// A connector that says it never blocks is called on the caller's thread; any other on the
/// helper thread that bounds the connect with the timeout.
#[test]
fn only_a_connector_that_may_block_runs_on_a_helper_thread() {
    use crate::pebble::Connector;
    use std::io;
    use std::os::unix::net::UnixStream;
    use std::sync::{Arc, Mutex};

    struct Probe {
        blocks: bool,
        thread: Mutex<Option<String>>,
    }
    impl Connector for Probe {
        fn connect(&self, _: &str) -> io::Result<UnixStream> {
            let name = std::thread::current().name().unwrap_or("").to_string();
            *self.thread.lock().unwrap() = Some(name);
            Err(io::Error::new(io::ErrorKind::ConnectionRefused, "probe"))
        }
        fn may_block(&self) -> bool {
            self.blocks
        }
    }
    let caller = std::thread::current().name().unwrap_or("").to_string();
    for (blocks, want) in [(true, "pebble-connect".to_string()), (false, caller)] {
        let probe = Arc::new(Probe {
            blocks,
            thread: Mutex::new(None),
        });
        let e = Client::new("w", probe.clone()).get_plan().unwrap_err();
        assert!(e.is_cannot_connect(), "{e}");
        assert_eq!(probe.thread.lock().unwrap().as_deref(), Some(want.as_str()));
    }
}
