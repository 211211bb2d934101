//! `multipart/form-data` for Pebble's files API: the body `push` sends (byte for byte what
//! ops' `Client._encode_multipart` writes) and the reader for what a file read returns (a
//! `files` part per file, then the JSON `response` part, as Pebble's `api_files.go`
//! `readFilesResponse` writes it with Go's `mime/multipart`; parsed with the rules of ops'
//! `_FilesParser` and `_MultipartParser`).

use super::http::header_param;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::Read;
use std::time::{SystemTime, UNIX_EPOCH};

/// A fresh boundary: 32 lower-case hex digits of 16 random bytes (ops:
/// `binascii.hexlify(os.urandom(16))`), from `/dev/urandom`, else from the process's
/// randomly seeded hasher keys mixed with the time and the process id.
pub fn boundary() -> String {
    let mut bytes = [0u8; 16];
    let from_os = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .is_ok();
    if !from_os {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        for (i, chunk) in bytes.chunks_mut(8).enumerate() {
            let mut h = RandomState::new().build_hasher();
            h.write_u128(nanos);
            h.write_u32(std::process::id());
            h.write_usize(i);
            chunk.copy_from_slice(&h.finish().to_le_bytes());
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    find(haystack, needle, 0).is_some()
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > haystack.len() {
        return None;
    }
    haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// The body of a one-file write: the JSON `request` part, then the `files` part named by
/// `path`. Returns the `Content-Type` header value (`multipart/form-data;
/// boundary="<b>"`, quoted as ops writes it) and the body. The boundary is drawn again in
/// the (astronomically unlikely) case that the content contains it.
pub fn encode_write(request_json: &[u8], path: &str, content: &[u8]) -> (String, Vec<u8>) {
    let mut b = boundary();
    while contains(content, format!("--{b}").as_bytes()) {
        b = boundary();
    }
    let escaped = path.replace('"', "\\\"");
    let mut body = Vec::with_capacity(content.len() + request_json.len() + 300);
    body.extend_from_slice(
        format!(
            "--{b}\r\nContent-Type: application/json\r\n\
             Content-Disposition: form-data; name=\"request\"\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(request_json);
    body.extend_from_slice(
        format!(
            "\r\n--{b}\r\nContent-Type: application/octet-stream\r\n\
             Content-Disposition: form-data; name=\"files\"; filename=\"{escaped}\"\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary=\"{b}\""), body)
}

/// One part of a multipart body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    /// Header lines, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The part's bytes.
    pub body: Vec<u8>,
}

impl Part {
    /// The first value of header `name` (lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Where the boundary delimiter `\r\n--<b>` starting at or after `from` is, with the
/// length of the whole delimiter line and whether it is the closing one. A delimiter must
/// be followed by optional `--`, optional spaces/tabs, then CRLF (RFC 2046, as ops
/// checks); a candidate that is not is skipped.
fn next_boundary(buf: &[u8], boundary: &[u8], from: usize) -> Option<(usize, usize, bool)> {
    let mut prefix = b"\r\n--".to_vec();
    prefix.extend_from_slice(boundary);
    let mut start = from;
    while let Some(i) = find(buf, &prefix, start) {
        let mut pos = i + prefix.len();
        let terminal = buf[pos..].starts_with(b"--");
        if terminal {
            pos += 2;
        }
        while pos < buf.len() && (buf[pos] == b' ' || buf[pos] == b'\t') {
            pos += 1;
        }
        if buf[pos..].starts_with(b"\r\n") {
            return Some((i, pos + 2 - i, terminal));
        }
        // The closing delimiter may end the body without its CRLF.
        if terminal && pos == buf.len() {
            return Some((i, pos - i, true));
        }
        start = i + 1;
    }
    None
}

/// Splits a multipart body into parts. Errors name what is missing: no opening
/// delimiter, a part without its header terminator, no closing delimiter (truncated).
pub fn parse(body: &[u8], boundary: &str) -> Result<Vec<Part>, String> {
    if boundary.is_empty() {
        return Err("invalid boundary \"\"".into());
    }
    // The first delimiter has no CRLF before it; prime one, as ops' parser does.
    let mut buf = Vec::with_capacity(body.len() + 2);
    buf.extend_from_slice(b"\r\n");
    buf.extend_from_slice(body);
    let b = boundary.as_bytes();
    let (i, n, mut terminal) = next_boundary(&buf, b, 0)
        .ok_or_else(|| format!("multipart body has no boundary {boundary:?}"))?;
    let mut pos = i + n;
    let mut parts = Vec::new();
    while !terminal {
        let head_end = find(&buf, b"\r\n\r\n", pos)
            .map(|e| e + 4)
            .or_else(|| buf[pos..].starts_with(b"\r\n").then_some(pos + 2))
            .ok_or("a multipart part has no end of headers (truncated?)")?;
        let headers = parse_part_headers(&buf[pos..head_end])?;
        let (next, len, is_terminal) = next_boundary(&buf, b, head_end - 2)
            .ok_or("multipart body ends without its closing boundary (truncated?)".to_string())?;
        let body_start = head_end.min(next);
        parts.push(Part {
            headers,
            body: buf[body_start..next].to_vec(),
        });
        pos = next + len;
        terminal = is_terminal;
    }
    Ok(parts)
}

fn parse_part_headers(raw: &[u8]) -> Result<Vec<(String, String)>, String> {
    let text = std::str::from_utf8(raw).map_err(|_| "multipart part headers are not UTF-8")?;
    let mut headers = Vec::new();
    for line in text.split("\r\n").filter(|l| !l.is_empty()) {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| format!("multipart header line without colon: {line:?}"))?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    Ok(headers)
}

/// What a file read returned: the files by name, and the `response` part's bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadParts {
    /// `(filename, content)` of each `files` part, in order.
    pub files: Vec<(String, Vec<u8>)>,
    /// The JSON of the `response` part, if there was one.
    pub response: Option<Vec<u8>>,
}

/// Reads a file-read body: every part must be `form-data` named `files` (with a
/// `filename`) or `response` (ops' `_FilesParser._process_header` rules and texts).
pub fn parse_read(body: &[u8], boundary: &str) -> Result<ReadParts, String> {
    let mut out = ReadParts::default();
    for part in parse(body, boundary)? {
        let disposition = part.header("content-disposition").unwrap_or("");
        let kind = disposition
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if kind != "form-data" {
            return Err(format!("unexpected content disposition: {kind:?}"));
        }
        match header_param(disposition, "name").as_deref() {
            Some("files") => {
                let filename = header_param(disposition, "filename")
                    .ok_or("multipart \"files\" part missing filename")?;
                out.files.push((filename, part.body));
            }
            Some("response") => out.response = Some(part.body),
            other => {
                return Err(format!(
                    "unexpected name in content-disposition header: {:?}",
                    other.unwrap_or("")
                ))
            }
        }
    }
    Ok(out)
}
