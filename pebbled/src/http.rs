//! HTTP/1.1 on a byte stream, with only std: reading one request (request line, headers,
//! `Content-Length` or chunked body, `Expect: 100-continue`) and writing one response.
//!
//! Malformed requests get the plain-text replies Go's `net/http` server (Pebble's) sends
//! before any handler runs: `400 Bad Request: <reason>`, `431 Request Header Fields Too
//! Large`, always with `Connection: close`.

use std::io::{self, BufRead, Read, Write};

/// Go's `http.DefaultMaxHeaderBytes`: the request line and headers together.
pub const MAX_HEADER_BYTES: usize = 1 << 20;
/// The largest request body accepted (a pushed file is held in memory).
pub const MAX_BODY_BYTES: usize = 1 << 30;

/// One parsed HTTP request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Request {
    /// `GET`, `POST`, ... as sent.
    pub method: String,
    /// The path, percent-decoded (`/v1/files`).
    pub path: String,
    /// The query's pairs in order, decoded as a form (`+` is a space).
    pub query: Vec<(String, String)>,
    /// Headers in order; names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked.
    pub body: Vec<u8>,
    /// `HTTP/1.0`, or `HTTP/1.1` asking `Connection: close`.
    pub wants_close: bool,
}

impl Request {
    /// A request with the given method and target (`/v1/plan?format=yaml`): for the
    /// in-memory harness, which has no bytes to parse.
    pub fn new(method: &str, target: &str) -> Result<Request, String> {
        let (path, query) = split_target(target)?;
        Ok(Request {
            method: method.to_string(),
            path,
            query,
            ..Request::default()
        })
    }

    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Every value of query parameter `key`, in order (Go's `url.Values[key]`).
    pub fn query_all(&self, key: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The first value of query parameter `key`, or `""` (Go's `url.Values.Get`).
    pub fn query_get(&self, key: &str) -> &str {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// Why no request could be read.
#[derive(Debug)]
pub enum ReadError {
    /// The peer closed the connection before sending a byte: not an error.
    Closed,
    /// Malformed request; the reason goes after `400 Bad Request: `.
    Bad(String),
    /// The request line and headers exceed [`MAX_HEADER_BYTES`].
    HeadersTooLarge,
    /// The body exceeds [`MAX_BODY_BYTES`].
    BodyTooLarge,
    /// The connection failed (or timed out) mid-request.
    Io(io::Error),
}

impl ReadError {
    /// The reply Go's server sends for this error, if any (none for a closed or broken
    /// connection).
    pub fn reply(&self) -> Option<Vec<u8>> {
        let (status, text) = match self {
            ReadError::Closed | ReadError::Io(_) => return None,
            ReadError::Bad(reason) => (400, format!("400 Bad Request: {reason}")),
            ReadError::HeadersTooLarge => (431, "431 Request Header Fields Too Large".to_string()),
            ReadError::BodyTooLarge => (413, "413 Request Entity Too Large".to_string()),
        };
        Some(
            format!(
                "HTTP/1.1 {status} {}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n{text}",
                status_text(status)
            )
            .into_bytes(),
        )
    }
}

impl From<io::Error> for ReadError {
    fn from(err: io::Error) -> Self {
        ReadError::Io(err)
    }
}

/// Reads one line ending in LF (CR stripped), counting against `budget`.
fn read_line<R: BufRead>(reader: &mut R, budget: &mut usize) -> Result<Option<String>, ReadError> {
    let mut line = Vec::new();
    let limit = (*budget as u64).saturating_add(1);
    let read = reader.by_ref().take(limit).read_until(b'\n', &mut line)?;
    if read == 0 {
        return Ok(None);
    }
    if read > *budget {
        return Err(ReadError::HeadersTooLarge);
    }
    *budget -= read;
    if line.last() != Some(&b'\n') {
        return Err(ReadError::Bad("unexpected EOF".to_string()));
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    String::from_utf8(line)
        .map(Some)
        .map_err(|_| ReadError::Bad("malformed header (not UTF-8)".to_string()))
}

/// Reads one request. `interim` receives `100 Continue` when the client expects it.
pub fn read_request<R: BufRead, W: Write>(
    reader: &mut R,
    interim: &mut W,
) -> Result<Request, ReadError> {
    let mut budget = MAX_HEADER_BYTES;
    // Go tolerates blank lines before a request line.
    let request_line = loop {
        match read_line(reader, &mut budget)? {
            None => return Err(ReadError::Closed),
            Some(line) if line.is_empty() => continue,
            Some(line) => break line,
        }
    };
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ReadError::Bad("malformed HTTP request".to_string()));
    };
    let minor = match version {
        "HTTP/1.1" => 1,
        "HTTP/1.0" => 0,
        _ => return Err(ReadError::Bad("malformed HTTP version".to_string())),
    };
    if method.is_empty()
        || !method
            .bytes()
            .all(|b| b.is_ascii_alphabetic() || b == b'-' || b == b'_')
    {
        return Err(ReadError::Bad("invalid method".to_string()));
    }
    let (path, query) = split_target(target).map_err(ReadError::Bad)?;
    let mut headers = Vec::new();
    loop {
        let line = read_line(reader, &mut budget)?
            .ok_or_else(|| ReadError::Bad("unexpected EOF".to_string()))?;
        if line.is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(ReadError::Bad("malformed MIME header line".to_string()));
        };
        if name.is_empty()
            || name
                .bytes()
                .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
        {
            return Err(ReadError::Bad("malformed MIME header line".to_string()));
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
    }
    let mut request = Request {
        method: method.to_string(),
        path,
        query,
        headers,
        body: Vec::new(),
        wants_close: false,
    };
    let connection = request
        .header("connection")
        .unwrap_or("")
        .to_ascii_lowercase();
    request.wants_close = connection.split(',').any(|token| token.trim() == "close")
        || (minor == 0
            && !connection
                .split(',')
                .any(|token| token.trim() == "keep-alive"));

    let chunked = request
        .headers
        .iter()
        .filter(|(name, _)| name == "transfer-encoding")
        .any(|(_, value)| value.to_ascii_lowercase().contains("chunked"));
    let length = match request.header("content-length") {
        Some(_) if chunked => None,
        Some(text) => Some(text.parse::<usize>().map_err(|_| {
            ReadError::Bad(format!(
                "bad Content-Length {}",
                crate::duration::go_quote(text)
            ))
        })?),
        None => None,
    };
    let expects_continue = request
        .header("expect")
        .is_some_and(|value| value.eq_ignore_ascii_case("100-continue"));
    if (chunked || length.is_some_and(|n| n > 0)) && expects_continue && minor == 1 {
        interim.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        interim.flush()?;
    }
    if chunked {
        request.body = read_chunked(reader)?;
    } else if let Some(length) = length {
        if length > MAX_BODY_BYTES {
            return Err(ReadError::BodyTooLarge);
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).map_err(|err| {
            if err.kind() == io::ErrorKind::UnexpectedEof {
                ReadError::Bad("unexpected EOF reading body".to_string())
            } else {
                ReadError::Io(err)
            }
        })?;
        request.body = body;
    }
    Ok(request)
}

fn read_chunked<R: BufRead>(reader: &mut R) -> Result<Vec<u8>, ReadError> {
    let mut body = Vec::new();
    let mut budget = MAX_HEADER_BYTES;
    loop {
        let line = read_line(reader, &mut budget)?
            .ok_or_else(|| ReadError::Bad("unexpected EOF in chunked body".to_string()))?;
        let size_text = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| ReadError::Bad("invalid byte in chunk length".to_string()))?;
        if size == 0 {
            // Trailers, then a blank line.
            loop {
                let trailer = read_line(reader, &mut budget)?
                    .ok_or_else(|| ReadError::Bad("unexpected EOF in chunked body".to_string()))?;
                if trailer.is_empty() {
                    return Ok(body);
                }
            }
        }
        if body.len().saturating_add(size) > MAX_BODY_BYTES {
            return Err(ReadError::BodyTooLarge);
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..]).map_err(|err| {
            if err.kind() == io::ErrorKind::UnexpectedEof {
                ReadError::Bad("unexpected EOF in chunked body".to_string())
            } else {
                ReadError::Io(err)
            }
        })?;
        let mut crlf = [0u8; 2];
        reader
            .read_exact(&mut crlf)
            .map_err(|_| ReadError::Bad("malformed chunked encoding".to_string()))?;
        if &crlf != b"\r\n" {
            return Err(ReadError::Bad("malformed chunked encoding".to_string()));
        }
    }
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes `text`; `plus_is_space` for form-encoded queries. `None` on a bad escape
/// or bytes that are not UTF-8.
fn percent_decode(text: &str, plus_is_space: bool) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let high = hex_value(*bytes.get(i + 1)?)?;
                let low = hex_value(*bytes.get(i + 2)?)?;
                out.push(high * 16 + low);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Splits a request target into its decoded path and query pairs. A bad escape in the
/// path is an error (Go: `invalid URL escape`); a bad query pair is dropped, as Go's
/// `URL.Query()` drops it.
fn split_target(target: &str) -> Result<(String, Vec<(String, String)>), String> {
    // An absolute-form target (`http://localhost/v1/plan`) is reduced to its path.
    let target = match target
        .strip_prefix("http://")
        .or_else(|| target.strip_prefix("https://"))
    {
        Some(rest) => rest.find('/').map_or("/", |at| &rest[at..]),
        None => target,
    };
    if !target.starts_with('/') {
        return Err(format!(
            "invalid request URI {}",
            crate::duration::go_quote(target)
        ));
    }
    let (raw_path, raw_query) = target.split_once('?').unwrap_or((target, ""));
    let path = percent_decode(raw_path, false).ok_or_else(|| "invalid URL escape".to_string())?;
    let query = raw_query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            Some((percent_decode(key, true)?, percent_decode(value, true)?))
        })
        .collect();
    Ok((path, query))
}

/// Go's `http.StatusText` for the codes this server sends.
pub fn status_text(code: u16) -> &'static str {
    match code {
        100 => "Continue",
        200 => "OK",
        202 => "Accepted",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Request Entity Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// One response: status, headers (besides `Content-Length`), body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// HTTP status code.
    pub status: u16,
    /// Headers in order; `Content-Length` is added when written.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Writes the response; `close` adds `Connection: close`.
    pub fn write_to<W: Write>(&self, out: &mut W, close: bool) -> io::Result<()> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, status_text(self.status));
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n", self.body.len()));
        if close {
            head.push_str("Connection: close\r\n");
        }
        head.push_str("\r\n");
        out.write_all(head.as_bytes())?;
        out.write_all(&self.body)?;
        out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(bytes: &[u8]) -> Result<Request, ReadError> {
        let mut reader = io::BufReader::new(bytes);
        read_request(&mut reader, &mut io::sink())
    }

    #[test]
    fn reads_content_length_and_query() {
        let request = parse(b"POST /v1/files?action=list&path=%2Ftmp&x=a+b HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello").unwrap();
        assert_eq!(request.method, "POST");
        assert_eq!(request.path, "/v1/files");
        assert_eq!(request.query_get("path"), "/tmp");
        assert_eq!(request.query_get("x"), "a b");
        assert_eq!(request.query_get("missing"), "");
        assert_eq!(request.body, b"hello");
        assert_eq!(request.header("HOST"), Some("localhost"));
        assert!(!request.wants_close);
    }

    #[test]
    fn reads_chunked_bodies_and_answers_expect() {
        let raw = b"POST /v1/files HTTP/1.1\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n";
        let mut reader = io::BufReader::new(&raw[..]);
        let mut interim = Vec::new();
        let request = read_request(&mut reader, &mut interim).unwrap();
        assert_eq!(request.body, b"hello world");
        assert!(request.wants_close);
        assert_eq!(interim, b"HTTP/1.1 100 Continue\r\n\r\n");
    }

    #[test]
    fn bad_requests_are_errors_never_panics() {
        let cases: [&[u8]; 9] = [
            b"GARBAGE\r\n\r\n",
            b"GET /v1/plan HTTP/2.0\r\n\r\n",
            b"GET /v1/plan HTTP/1.1\r\nno colon\r\n\r\n",
            b"GET /v1/plan HTTP/1.1\r\nContent-Length: x\r\n\r\n",
            b"POST /v1/x HTTP/1.1\r\nContent-Length: 10\r\n\r\nshort",
            b"POST /v1/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            b"POST /v1/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX",
            b"GET /v1/%zz HTTP/1.1\r\n\r\n",
            b"GET /v1/plan HTTP/1.1\r\nHost: x",
        ];
        for raw in cases {
            match parse(raw) {
                Err(err @ ReadError::Bad(_)) => assert!(err
                    .reply()
                    .unwrap()
                    .starts_with(b"HTTP/1.1 400 Bad Request")),
                other => panic!("{:?}: {other:?}", String::from_utf8_lossy(raw)),
            }
        }
        assert!(matches!(parse(b""), Err(ReadError::Closed)));
        let mut huge = b"GET /v1/plan HTTP/1.1\r\nX-Big: ".to_vec();
        huge.extend(std::iter::repeat_n(b'a', MAX_HEADER_BYTES + 10));
        huge.extend(b"\r\n\r\n");
        let err = parse(&huge).unwrap_err();
        assert!(matches!(err, ReadError::HeadersTooLarge));
        assert!(err.reply().unwrap().starts_with(b"HTTP/1.1 431 "));
    }

    #[test]
    fn writes_responses() {
        let response = Response {
            status: 404,
            headers: vec![("Content-Type".to_string(), "application/json".to_string())],
            body: b"{}".to_vec(),
        };
        let mut out = Vec::new();
        response.write_to(&mut out, true).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
        );
    }
}
