//! Just enough HTTP/1.1 for Pebble's API over a Unix socket: one request per connection
//! (`Connection: close`), bodies framed by `Content-Length`, `Transfer-Encoding: chunked`
//! or the end of the stream, limits on the header section, and a deadline for the whole
//! response.
//!
//! How the socket is reached is a [`Connector`]: by default a path
//! ([`SocketPath`], or [`SocketDir`] for `/charm/containers/<container>/pebble.socket`);
//! a test harness passes one that hands out one end of a `UnixStream::pair()` it serves
//! in-process.

use std::fmt;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// The most header bytes (status line included) a response may have.
pub const MAX_HEADER_BYTES: usize = 64 * 1024;
/// The most header lines a response may have.
pub const MAX_HEADERS: usize = 100;

/// Opens a connection to one container's Pebble. Called once per request.
///
/// Closures `Fn(&str) -> io::Result<UnixStream>` (given the container name) are
/// connectors, so a harness can serve Pebble in-process:
///
/// ```no_run
/// use charm_runtime::pebble::{Client, Connector};
/// use std::os::unix::net::UnixStream;
/// use std::sync::Arc;
///
/// let connector = |_container: &str| {
///     let (client_end, server_end) = UnixStream::pair()?;
///     std::thread::spawn(move || { /* serve one HTTP request on server_end */ drop(server_end) });
///     Ok(client_end)
/// };
/// let client = Client::new("workload", Arc::new(connector));
/// ```
pub trait Connector: Send + Sync {
    /// A connected stream to `container`'s Pebble.
    fn connect(&self, container: &str) -> io::Result<UnixStream>;

    /// Where this connector goes, for error messages (a socket path, or a description).
    fn describe(&self, container: &str) -> String {
        format!("Pebble of container `{container}`")
    }

    /// Whether [`connect`](Connector::connect) may block. A Unix-socket connect blocks
    /// while the listener's backlog is full, so by default the client connects on a helper
    /// thread and gives up after its timeout. A connector that always returns at once (an
    /// in-process one, like a test harness's) says `false`, and the client calls it
    /// directly, saving that thread on every request.
    fn may_block(&self) -> bool {
        true
    }
}

impl<F: Fn(&str) -> io::Result<UnixStream> + Send + Sync> Connector for F {
    fn connect(&self, container: &str) -> io::Result<UnixStream> {
        self(container)
    }
}

/// Connects to one socket path, whatever the container (ops' `Client(socket_path)`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SocketPath(pub PathBuf);

impl Connector for SocketPath {
    fn connect(&self, _container: &str) -> io::Result<UnixStream> {
        UnixStream::connect(&self.0)
    }
    fn describe(&self, _container: &str) -> String {
        self.0.display().to_string()
    }
}

/// Connects to `<dir>/<container>/pebble.socket`: with `/charm/containers`, the path ops
/// hard-codes (`ops/model.py`, `Container.__init__`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SocketDir(pub PathBuf);

impl SocketDir {
    /// The socket path of `container`.
    pub fn socket_path(&self, container: &str) -> PathBuf {
        socket_path(&self.0, container)
    }
}

/// `<dir>/<container>/pebble.socket`.
pub fn socket_path(dir: &Path, container: &str) -> PathBuf {
    dir.join(container).join("pebble.socket")
}

impl Connector for SocketDir {
    fn connect(&self, container: &str) -> io::Result<UnixStream> {
        UnixStream::connect(self.socket_path(container))
    }
    fn describe(&self, container: &str) -> String {
        self.socket_path(container).display().to_string()
    }
}

/// Connects through `connector`, giving up after `timeout` (the connect runs on a helper
/// thread, since std offers no timeout for Unix-socket connects; one that never finishes
/// stays blocked in the kernel, not in the caller). A socket connect only blocks when the
/// listener's backlog is full; a missing or refused socket fails at once.
pub(crate) fn connect(
    connector: &Arc<dyn Connector>,
    container: &str,
    timeout: Duration,
) -> io::Result<UnixStream> {
    if !connector.may_block() {
        return connector.connect(container);
    }
    type Slot = (Mutex<Option<io::Result<UnixStream>>>, Condvar);
    let slot: Arc<Slot> = Arc::new((Mutex::new(None), Condvar::new()));
    let (c, s, name) = (
        Arc::clone(connector),
        Arc::clone(&slot),
        container.to_owned(),
    );
    std::thread::Builder::new()
        .name("pebble-connect".into())
        .spawn(move || {
            let result = c.connect(&name);
            if let Ok(mut guard) = s.0.lock() {
                *guard = Some(result);
                s.1.notify_one();
            }
        })?;
    let lost = || io::Error::other("the connector panicked");
    let guard = slot.0.lock().map_err(|_| lost())?;
    let (mut guard, _) = slot
        .1
        .wait_timeout_while(guard, timeout, |r| r.is_none())
        .map_err(|_| lost())?;
    guard.take().unwrap_or_else(|| {
        Err(io::Error::new(
            io::ErrorKind::TimedOut,
            format!("connect timed out after {timeout:?}"),
        ))
    })
}

/// One request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The path, e.g. `/v1/services`.
    pub path: String,
    /// Query pairs, encoded in order as Python's `urlencode(query, doseq=True)` does.
    pub query: Vec<(&'static str, String)>,
    /// `Accept`.
    pub accept: &'static str,
    /// `Content-Type` and body, if any.
    pub body: Option<(String, Vec<u8>)>,
}

impl Request {
    /// A request without query or body, accepting JSON.
    pub fn new(method: &'static str, path: impl Into<String>) -> Self {
        Request {
            method,
            path: path.into(),
            query: Vec::new(),
            accept: "application/json",
            body: None,
        }
    }

    /// The request target: path and encoded query.
    pub fn target(&self) -> String {
        if self.query.is_empty() {
            return self.path.clone();
        }
        let mut out = String::with_capacity(
            self.path.len()
                + self
                    .query
                    .iter()
                    .map(|(k, v)| k.len() + v.len() + 2)
                    .sum::<usize>(),
        );
        out.push_str(&self.path);
        for (i, (k, v)) in self.query.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            push_quoted_plus(&mut out, k);
            out.push('=');
            push_quoted_plus(&mut out, v);
        }
        out
    }

    /// The request's bytes on the wire.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut head = format!(
            "{} {} HTTP/1.1\r\nHost: localhost\r\nAccept: {}\r\nConnection: close\r\n",
            self.method,
            self.target(),
            self.accept
        );
        let body: &[u8] = match &self.body {
            Some((ctype, body)) => {
                head.push_str(&format!("Content-Type: {ctype}\r\n"));
                body
            }
            None => &[],
        };
        if self.body.is_some() || self.method == "POST" {
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        let mut out = head.into_bytes();
        out.extend_from_slice(body);
        out
    }
}

/// Python's `urllib.parse.quote_plus(s, safe='')`: letters, digits and `_.-~` stay, space
/// becomes `+`, every other UTF-8 byte becomes `%XX`.
pub fn quote_plus(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_quoted_plus(&mut out, s);
    out
}

/// Appends [`quote_plus`]`(s)` to `out`.
fn push_quoted_plus(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 0xf)] as char);
            }
        }
    }
}

/// A response: status, headers (names lower-cased), body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The reason phrase.
    pub reason: String,
    /// Header lines, names lower-cased, in order.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked.
    pub body: Vec<u8>,
}

impl Response {
    /// The first value of header `name` (lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The media type of `Content-Type`, lower-cased, without parameters; `text/plain` when
    /// absent (as Python's `email.message` reports it, so ops' messages match).
    pub fn content_type(&self) -> String {
        match self.header("content-type") {
            Some(v) => v
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase(),
            None => "text/plain".into(),
        }
    }

    /// A parameter of `Content-Type` (e.g. `boundary`), unquoted.
    pub fn content_type_param(&self, name: &str) -> Option<String> {
        let v = self.header("content-type")?;
        header_param(v, name)
    }
}

/// A parameter of a header value such as `form-data; name="files"; filename="/a\"b"`,
/// unquoted and unescaped; the parameter name is matched case-insensitively.
pub fn header_param(value: &str, name: &str) -> Option<String> {
    let mut rest = value.split_once(';')?.1;
    loop {
        rest = rest.trim_start_matches([' ', '\t', ';']);
        if rest.is_empty() {
            return None;
        }
        let (key, after) = rest.split_once('=')?;
        let key = key.trim();
        let after = after.trim_start();
        let (val, next) = if let Some(q) = after.strip_prefix('"') {
            let mut val = String::new();
            let mut chars = q.char_indices();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, e)) = chars.next() {
                            val.push(e);
                        }
                    }
                    '"' => {
                        end = Some(i + 1);
                        break;
                    }
                    c => val.push(c),
                }
            }
            // An unterminated quote runs to the end.
            (val, &q[end.unwrap_or(q.len())..])
        } else {
            let end = after.find(';').unwrap_or(after.len());
            (after[..end].trim().to_owned(), &after[end..])
        };
        if key.eq_ignore_ascii_case(name) {
            return Some(val);
        }
        rest = next;
    }
}

/// Why a response could not be read.
#[derive(Debug)]
pub enum HttpError {
    /// Writing the request, or reading before any response byte, failed (the peer went
    /// away: the container is restarting).
    Disconnected(io::Error),
    /// No complete response before the deadline.
    Timeout(Duration),
    /// The bytes are not an HTTP/1.x response, or exceed the header limits.
    Malformed(String),
    /// The stream ended inside the response.
    Truncated(String),
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HttpError::Disconnected(e) => write!(f, "connection lost: {e}"),
            HttpError::Timeout(d) => write!(f, "no complete response within {d:?}"),
            HttpError::Malformed(m) => write!(f, "malformed HTTP response: {m}"),
            HttpError::Truncated(m) => write!(f, "truncated HTTP response: {m}"),
        }
    }
}

impl std::error::Error for HttpError {}

/// Reads from a stream, refreshing the socket's read timeout from a deadline before each
/// read, so the whole response is bounded (not just each read).
struct DeadlineReader {
    stream: UnixStream,
    deadline: Instant,
    timeout: Duration,
    timed_out: bool,
}

impl Read for DeadlineReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            self.timed_out = true;
            return Err(io::Error::new(io::ErrorKind::TimedOut, "deadline passed"));
        }
        self.stream.set_read_timeout(Some(left))?;
        match self.stream.read(buf) {
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                self.timed_out = true;
                Err(e)
            }
            r => r,
        }
    }
}

/// Sends `req` on `stream` and reads the whole response, within `timeout`.
pub fn round_trip(
    mut stream: UnixStream,
    req: &Request,
    timeout: Duration,
) -> Result<Response, HttpError> {
    let deadline = Instant::now() + timeout;
    stream
        .set_write_timeout(Some(timeout))
        .map_err(HttpError::Disconnected)?;
    if let Err(e) = stream
        .write_all(&req.to_bytes())
        .and_then(|()| stream.flush())
    {
        if matches!(
            e.kind(),
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
        ) {
            return Err(HttpError::Timeout(timeout));
        }
        // The server may have answered (an error) and closed before reading everything:
        // fall through and try to read its answer.
        if !matches!(
            e.kind(),
            io::ErrorKind::BrokenPipe | io::ErrorKind::ConnectionReset
        ) {
            return Err(HttpError::Disconnected(e));
        }
    }
    let mut r = BufReader::new(DeadlineReader {
        stream,
        deadline,
        timeout,
        timed_out: false,
    });
    let result = read_response(&mut r, req.method == "HEAD");
    match result {
        Err(_) if r.get_ref().timed_out => Err(HttpError::Timeout(r.get_ref().timeout)),
        other => other,
    }
}

fn io_err(e: io::Error, what: &str) -> HttpError {
    HttpError::Truncated(format!("{what}: {e}"))
}

/// Reads one response (skipping interim 1xx ones).
pub fn read_response<R: BufRead>(r: &mut R, head_only: bool) -> Result<Response, HttpError> {
    loop {
        let (status, reason, headers) = read_head(r)?;
        if (100..200).contains(&status) && status != 101 {
            continue;
        }
        let mut resp = Response {
            status,
            reason,
            headers,
            body: Vec::new(),
        };
        if head_only || status == 204 || status == 304 {
            return Ok(resp);
        }
        resp.body = read_body(r, &resp)?;
        return Ok(resp);
    }
}

/// Reads one CRLF- (or LF-) terminated line of the head, counting against the limit.
fn head_line<R: BufRead>(r: &mut R, used: &mut usize, first: bool) -> Result<String, HttpError> {
    let mut line = Vec::new();
    let limit = (MAX_HEADER_BYTES - *used) as u64 + 1;
    let n = r.take(limit).read_until(b'\n', &mut line).map_err(|e| {
        if first && line.is_empty() {
            HttpError::Disconnected(e)
        } else {
            io_err(e, "reading the headers")
        }
    })?;
    *used += n;
    if n == 0 {
        return Err(if first {
            HttpError::Disconnected(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the server closed the connection without answering",
            ))
        } else {
            HttpError::Truncated("the stream ended inside the headers".into())
        });
    }
    if *used > MAX_HEADER_BYTES {
        return Err(HttpError::Malformed(format!(
            "the header section exceeds {MAX_HEADER_BYTES} bytes"
        )));
    }
    if line.last() != Some(&b'\n') {
        return Err(HttpError::Truncated(
            "the stream ended inside the headers".into(),
        ));
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    String::from_utf8(line).map_err(|_| HttpError::Malformed("a header line is not UTF-8".into()))
}

type Head = (u16, String, Vec<(String, String)>);

fn read_head<R: BufRead>(r: &mut R) -> Result<Head, HttpError> {
    let mut used = 0;
    let status_line = head_line(r, &mut used, true)?;
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or("");
    if !version.starts_with("HTTP/1.") {
        return Err(HttpError::Malformed(format!(
            "not an HTTP/1.x status line: {:?}",
            truncate(&status_line)
        )));
    }
    let status = parts
        .next()
        .filter(|s| s.len() == 3)
        .and_then(|s| s.parse::<u16>().ok())
        .filter(|s| (100..600).contains(s))
        .ok_or_else(|| {
            HttpError::Malformed(format!("bad status line: {:?}", truncate(&status_line)))
        })?;
    let reason = parts.next().unwrap_or("").trim().to_owned();
    let mut headers = Vec::new();
    loop {
        let line = head_line(r, &mut used, false)?;
        if line.is_empty() {
            break;
        }
        if headers.len() == MAX_HEADERS {
            return Err(HttpError::Malformed(format!(
                "more than {MAX_HEADERS} header lines"
            )));
        }
        let (name, value) = line.split_once(':').ok_or_else(|| {
            HttpError::Malformed(format!("header line without colon: {:?}", truncate(&line)))
        })?;
        if name.is_empty() || name.contains([' ', '\t']) {
            return Err(HttpError::Malformed(format!(
                "bad header name: {:?}",
                truncate(name)
            )));
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    Ok((status, reason, headers))
}

fn truncate(s: &str) -> String {
    match s.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

fn read_body<R: BufRead>(r: &mut R, resp: &Response) -> Result<Vec<u8>, HttpError> {
    let chunked = resp
        .headers
        .iter()
        .filter(|(n, _)| n == "transfer-encoding")
        .any(|(_, v)| {
            v.split(',')
                .any(|t| t.trim().eq_ignore_ascii_case("chunked"))
        });
    if chunked {
        return read_chunked(r);
    }
    let mut lengths = resp
        .headers
        .iter()
        .filter(|(n, _)| n == "content-length")
        .map(|(_, v)| v.as_str());
    if let Some(first) = lengths.next() {
        if lengths.any(|v| v != first) {
            return Err(HttpError::Malformed(
                "conflicting Content-Length headers".into(),
            ));
        }
        let len: u64 = first
            .parse()
            .map_err(|_| HttpError::Malformed(format!("bad Content-Length: {first:?}")))?;
        let mut body = Vec::with_capacity(len.min(1 << 20) as usize);
        let got = r
            .take(len)
            .read_to_end(&mut body)
            .map_err(|e| io_err(e, "reading the body"))?;
        if (got as u64) < len {
            return Err(HttpError::Truncated(format!(
                "the body ended after {got} of {len} bytes (Content-Length)"
            )));
        }
        return Ok(body);
    }
    let mut body = Vec::new();
    r.read_to_end(&mut body)
        .map_err(|e| io_err(e, "reading the body"))?;
    Ok(body)
}

fn read_chunked<R: BufRead>(r: &mut R) -> Result<Vec<u8>, HttpError> {
    let mut body = Vec::new();
    loop {
        let mut line = Vec::new();
        r.take(1024)
            .read_until(b'\n', &mut line)
            .map_err(|e| io_err(e, "reading a chunk size"))?;
        if line.last() != Some(&b'\n') {
            return Err(if line.len() >= 1024 {
                HttpError::Malformed("a chunk-size line is too long".into())
            } else {
                HttpError::Truncated("the stream ended before the last chunk".into())
            });
        }
        let text = String::from_utf8_lossy(&line);
        let size_text = text.split(';').next().unwrap_or("").trim();
        let size = u64::from_str_radix(size_text, 16).map_err(|_| {
            HttpError::Malformed(format!("bad chunk size: {:?}", truncate(text.trim())))
        })?;
        if size == 0 {
            // Trailers, then the final empty line; a server that closes right after the
            // zero chunk is tolerated.
            loop {
                let mut t = Vec::new();
                let n = r
                    .take(MAX_HEADER_BYTES as u64)
                    .read_until(b'\n', &mut t)
                    .map_err(|e| io_err(e, "reading the chunked trailer"))?;
                if n == 0 || t == b"\r\n" || t == b"\n" {
                    return Ok(body);
                }
            }
        }
        let got = r
            .take(size)
            .read_to_end(&mut body)
            .map_err(|e| io_err(e, "reading a chunk"))?;
        if (got as u64) < size {
            return Err(HttpError::Truncated(format!(
                "a chunk ended after {got} of {size} bytes"
            )));
        }
        let mut crlf = [0u8; 2];
        r.read_exact(&mut crlf[..1])
            .map_err(|_| HttpError::Truncated("the stream ended after a chunk".into()))?;
        if crlf[0] == b'\r' {
            r.read_exact(&mut crlf[1..])
                .map_err(|_| HttpError::Truncated("the stream ended after a chunk".into()))?;
        } else {
            crlf = [b'\r', crlf[0]];
        }
        if crlf != *b"\r\n" {
            return Err(HttpError::Malformed(
                "a chunk is not followed by CRLF".into(),
            ));
        }
    }
}
