//! A scripted Pebble: a `UnixListener` thread that answers each connection with the next
//! canned reply (the last one repeats) and records every request it read.

use crate::pebble::Client;
use std::io::{Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the server does with one connection.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Writes these bytes, then closes.
    Bytes(Vec<u8>),
    /// Reads the request and holds the connection open without answering.
    Silent(Duration),
    /// Writes these bytes, then holds the connection open.
    Stall(Vec<u8>, Duration),
    /// Closes without reading or answering.
    Hangup,
}

/// One request as the server read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seen {
    /// The head, up to and including the blank line.
    pub head: String,
    /// The body (by `Content-Length`).
    pub body: Vec<u8>,
}

impl Seen {
    /// The request line, e.g. `GET /v1/services HTTP/1.1`.
    pub fn line(&self) -> &str {
        self.head.lines().next().unwrap_or("")
    }

    /// A header's value (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("the request body is JSON")
    }
}

/// A running scripted server.
pub struct Server {
    /// Its socket.
    pub path: PathBuf,
    seen: Arc<Mutex<Vec<Seen>>>,
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A fresh directory under the system temp dir.
pub fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "pebble-client-test-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Reads one request: the head, then `Content-Length` bytes.
pub fn read_request(stream: &mut UnixStream) -> Option<Seen> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => buf.push(byte[0]),
            _ => return None,
        }
    }
    let head = String::from_utf8(buf).ok()?;
    let len: usize = head
        .lines()
        .find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    stream.read_exact(&mut body).ok()?;
    Some(Seen { head, body })
}

impl Server {
    /// Serves `script` on a new socket in a new directory.
    pub fn start(script: Vec<Reply>) -> Server {
        let dir = temp_dir();
        let path = dir.join("pebble.socket");
        let listener = UnixListener::bind(&path).unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        std::thread::spawn(move || {
            for (i, conn) in listener.incoming().enumerate() {
                let Ok(mut stream) = conn else { return };
                let reply = script[i.min(script.len() - 1)].clone();
                if let Reply::Hangup = reply {
                    drop(stream);
                    continue;
                }
                if let Some(req) = read_request(&mut stream) {
                    log.lock().unwrap().push(req);
                }
                match reply {
                    Reply::Bytes(b) => {
                        let _ = stream.write_all(&b);
                    }
                    Reply::Silent(d) => std::thread::sleep(d),
                    Reply::Stall(b, d) => {
                        let _ = stream.write_all(&b);
                        std::thread::sleep(d);
                    }
                    Reply::Hangup => {}
                }
            }
        });
        Server { path, seen }
    }

    /// A client of this server, named `workload`, with a short timeout.
    pub fn client(&self) -> Client {
        Client::at_socket("workload", &self.path)
            .with_timeout(Duration::from_secs(2))
            .with_poll_delay(Duration::from_millis(5))
    }

    /// The requests read so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// An HTTP response with a `Content-Length` body.
pub fn http(status: &str, ctype: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// A `200 OK` sync envelope around `result`.
pub fn sync(result: serde_json::Value) -> Reply {
    let body = serde_json::json!({
        "type": "sync", "status-code": 200, "status": "OK", "result": result
    });
    Reply::Bytes(http(
        "200 OK",
        "application/json",
        body.to_string().as_bytes(),
    ))
}

/// A `202 Accepted` async envelope for change `id`.
pub fn async_change(id: &str) -> Reply {
    let body = serde_json::json!({
        "type": "async", "status-code": 202, "status": "Accepted", "change": id, "result": null
    });
    Reply::Bytes(http(
        "202 Accepted",
        "application/json",
        body.to_string().as_bytes(),
    ))
}

/// An error envelope.
pub fn error(code: u16, status: &str, message: &str, kind: &str) -> Reply {
    let body = serde_json::json!({
        "type": "error", "status-code": code, "status": status,
        "result": {"message": message, "kind": kind}
    });
    Reply::Bytes(http(
        &format!("{code} {status}"),
        "application/json",
        body.to_string().as_bytes(),
    ))
}

/// A change, ready or not, with an optional error.
pub fn change(id: &str, ready: bool, err: Option<&str>) -> serde_json::Value {
    let mut c = serde_json::json!({
        "id": id, "kind": "start", "summary": "Start service \"svc\"",
        "status": if ready { if err.is_some() { "Error" } else { "Done" } } else { "Doing" },
        "ready": ready, "spawn-time": "2024-06-01T10:00:00.000000000Z",
        "tasks": [{"id": "t1", "kind": "start", "summary": "Start service \"svc\"",
                   "status": "Done", "progress": {"label": "", "done": 1, "total": 1},
                   "spawn-time": "2024-06-01T10:00:00Z"}]
    });
    if let Some(e) = err {
        c["err"] = e.into();
    }
    c
}
