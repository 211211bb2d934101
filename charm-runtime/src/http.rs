//! A small HTTP client for the charm's own workload on `localhost` (e.g. a version or
//! health endpoint), as Python charms use `requests.get("http://localhost:8000/...")`.
//! Plain HTTP/1.1, one request per connection, every step bounded by a timeout; it reuses
//! the reader of the Pebble client ([`crate::pebble::http`]).

use crate::pebble::http::{read_response, Request, Response};
use std::fmt;
use std::io::{BufReader, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// Why [`get`] failed. The message names the URL and what went wrong.
#[derive(Debug)]
pub struct HttpGetError {
    url: String,
    what: String,
}

impl fmt::Display for HttpGetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GET {}: {}", self.url, self.what)
    }
}

impl std::error::Error for HttpGetError {}

/// `GET http://localhost:<port><path>`: each address `localhost` has is tried with `timeout`
/// to connect, then writes and each read time out after `timeout`. Nothing listening is a
/// refused connection, which fails at once. A status outside 2xx is an error.
pub fn get(port: u16, path: &str, timeout: Duration) -> Result<Response, HttpGetError> {
    let url = format!("http://localhost:{port}{path}");
    let fail = |what: String| HttpGetError {
        url: url.clone(),
        what,
    };
    let addrs = ("localhost", port)
        .to_socket_addrs()
        .map_err(|e| fail(format!("cannot resolve localhost: {e}")))?;
    let mut last = None;
    let mut stream = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => last = Some(e),
        }
    }
    let Some(mut stream) = stream else {
        return Err(fail(match last {
            Some(e) => format!("cannot connect: {e}"),
            None => "localhost has no address".into(),
        }));
    };
    let io = |e: std::io::Error| fail(e.to_string());
    stream.set_read_timeout(Some(timeout)).map_err(io)?;
    stream.set_write_timeout(Some(timeout)).map_err(io)?;
    stream
        .write_all(&Request::new("GET", path).to_bytes())
        .map_err(io)?;
    let response =
        read_response(&mut BufReader::new(stream), false).map_err(|e| fail(e.to_string()))?;
    if !(200..300).contains(&response.status) {
        return Err(fail(format!(
            "HTTP {} {}",
            response.status, response.reason
        )));
    }
    Ok(response)
}

/// [`get`], and the body as JSON.
pub fn get_json(
    port: u16,
    path: &str,
    timeout: Duration,
) -> Result<serde_json::Value, HttpGetError> {
    let response = get(port, path, timeout)?;
    serde_json::from_slice(&response.body).map_err(|e| HttpGetError {
        url: format!("http://localhost:{port}{path}"),
        what: format!("the answer is not JSON: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::net::TcpListener;

    fn serve_once(reply: &'static str) -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let mut buf = [0u8; 1024];
            let _ = s.read(&mut buf);
            s.write_all(reply.as_bytes()).unwrap();
        });
        port
    }

    #[test]
    fn a_json_answer_is_read() {
        let port = serve_once(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 19\r\n\r\n{\"version\": \"1.0.1\"}",
        );
        // The body is 20 bytes; Content-Length 19 cuts it: a clear error, not a panic.
        let e = get_json(port, "/version", Duration::from_secs(2)).unwrap_err();
        assert!(e.to_string().contains("/version"), "{e}");
        let port = serve_once(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n{\"version\": \"1.0.1\"}",
        );
        let v = get_json(port, "/version", Duration::from_secs(2)).unwrap();
        assert_eq!(v["version"], "1.0.1");
    }

    #[test]
    fn an_error_status_and_a_closed_port_are_errors_naming_the_url() {
        let port = serve_once("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
        let e = get(port, "/version", Duration::from_secs(2)).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("GET http://localhost:{port}/version: HTTP 503 Service Unavailable")
        );
        let closed = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = closed.local_addr().unwrap().port();
        drop(closed);
        let e = get(port, "/version", Duration::from_secs(2)).unwrap_err();
        assert!(e.to_string().contains("cannot connect"), "{e}");
    }
}
