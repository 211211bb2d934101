//! `multipart/form-data` as Pebble's files API uses it, read and written the way Go's
//! `mime/multipart` does: a reader that yields one part at a time (so errors come in the
//! order Pebble reports them), and a writer producing Go's framing (`--boundary\r\n`,
//! headers sorted by name, `\r\n--boundary--\r\n` at the end). Also Go's
//! `mime.ParseMediaType`, for `Content-Type` and `Content-Disposition`.

use std::collections::hash_map::RandomState;
use std::collections::BTreeMap;
use std::hash::{BuildHasher, Hasher};

/// Parses a media type with parameters (`multipart/form-data; boundary="x"`) as Go's
/// `mime.ParseMediaType`: the type lower-cased, parameter names lower-cased, quoted values
/// unescaped. The error is Go's text.
pub fn parse_media_type(text: &str) -> Result<(String, BTreeMap<String, String>), String> {
    let (media, mut rest) = text.split_once(';').map_or((text, ""), |(m, r)| (m, r));
    let media = media.trim().to_ascii_lowercase();
    if media.is_empty() {
        return Err("mime: no media type".to_string());
    }
    let is_token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b > 0x20 && b < 0x7f && !b"()<>@,;:\\\"/[]?=".contains(&b))
    };
    match media.split_once('/') {
        None if !is_token(&media) => return Err("mime: expected token after slash".to_string()),
        Some((kind, sub)) if !is_token(kind) || !is_token(sub) => {
            return Err("mime: expected token after slash".to_string())
        }
        _ => {}
    }
    let mut params = BTreeMap::new();
    loop {
        rest = rest.trim_start_matches([' ', '\t', ';']);
        if rest.is_empty() {
            break;
        }
        let Some((key, after)) = rest.split_once('=') else {
            return Err("mime: invalid media parameter".to_string());
        };
        let key = key.trim().to_ascii_lowercase();
        if !is_token(&key) {
            return Err("mime: invalid media parameter".to_string());
        }
        let after = after.trim_start();
        let (value, remaining) = if let Some(quoted) = after.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            let mut end = None;
            while let Some((at, c)) = chars.next() {
                match c {
                    '\\' => match chars.next() {
                        Some((_, escaped)) => value.push(escaped),
                        None => break,
                    },
                    '"' => {
                        end = Some(at + 1);
                        break;
                    }
                    c => value.push(c),
                }
            }
            let end = end.ok_or_else(|| "mime: invalid media parameter".to_string())?;
            (value, &quoted[end..])
        } else {
            let end = after.find(';').unwrap_or(after.len());
            let value = after[..end].trim();
            if !is_token(value) {
                return Err("mime: invalid media parameter".to_string());
            }
            (value.to_string(), &after[end..])
        };
        if params.insert(key, value).is_some() {
            return Err("mime: duplicate parameter name".to_string());
        }
        rest = remaining;
    }
    Ok((media, params))
}

/// One part of a multipart body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    /// Headers in order; names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The part's content.
    pub body: Vec<u8>,
}

impl Part {
    fn disposition(&self) -> BTreeMap<String, String> {
        let header = self
            .headers
            .iter()
            .find(|(name, _)| name == "content-disposition");
        header
            .and_then(|(_, value)| parse_media_type(value).ok())
            .map(|(_, params)| params)
            .unwrap_or_default()
    }

    /// The `name` of a `form-data` part (Go's `Part.FormName`), or `""`.
    pub fn form_name(&self) -> String {
        let header = self
            .headers
            .iter()
            .find(|(name, _)| name == "content-disposition");
        match header.and_then(|(_, value)| parse_media_type(value).ok()) {
            Some((disposition, params)) if disposition == "form-data" => {
                params.get("name").cloned().unwrap_or_default()
            }
            _ => String::new(),
        }
    }

    /// The `filename` parameter as sent, path included (Pebble's `multipartFilename`).
    pub fn filename(&self) -> String {
        self.disposition()
            .get("filename")
            .cloned()
            .unwrap_or_default()
    }
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > haystack.len() {
        return None;
    }
    haystack[from..]
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|at| at + from)
}

/// Reads parts one at a time from a complete body.
#[derive(Debug)]
pub struct Reader<'a> {
    body: &'a [u8],
    delimiter: Vec<u8>,
    /// Where the next part's headers start; `None` before the first delimiter is found.
    position: Option<usize>,
    finished: bool,
}

impl<'a> Reader<'a> {
    /// A reader of `body` whose parts are separated by `--boundary`.
    pub fn new(body: &'a [u8], boundary: &str) -> Self {
        Reader {
            body,
            delimiter: format!("--{boundary}").into_bytes(),
            position: None,
            finished: false,
        }
    }

    /// The next part, `Ok(None)` after the closing delimiter, or Go's error text.
    pub fn next_part(&mut self) -> Result<Option<Part>, String> {
        if self.finished {
            return Ok(None);
        }
        let start = match self.position {
            Some(at) => at,
            None => {
                if self.body.is_empty() {
                    return Err("EOF".to_string());
                }
                // The first delimiter starts the body or a line.
                let at = if self.body.starts_with(&self.delimiter) {
                    0
                } else {
                    let mut line_delimiter = b"\n".to_vec();
                    line_delimiter.extend(&self.delimiter);
                    find(self.body, &line_delimiter, 0)
                        .map(|at| at + 1)
                        .ok_or("multipart: NextPart: EOF")?
                };
                let after = at + self.delimiter.len();
                if self.body[after..].starts_with(b"--") {
                    self.finished = true;
                    return Ok(None);
                }
                let line_end = find(self.body, b"\n", after).ok_or("multipart: NextPart: EOF")?;
                if !self.body[after..line_end]
                    .iter()
                    .all(|b| matches!(b, b' ' | b'\t' | b'\r'))
                {
                    return Err("multipart: NextPart: EOF".to_string());
                }
                line_end + 1
            }
        };
        // Headers, up to a blank line.
        let mut headers = Vec::new();
        let mut at = start;
        loop {
            let line_end = find(self.body, b"\n", at).ok_or("multipart: NextPart: EOF")?;
            let mut line = &self.body[at..line_end];
            if line.last() == Some(&b'\r') {
                line = &line[..line.len() - 1];
            }
            at = line_end + 1;
            if line.is_empty() {
                break;
            }
            let line = std::str::from_utf8(line)
                .map_err(|_| "multipart: NextPart: malformed MIME header line".to_string())?;
            let (name, value) = line.split_once(':').ok_or_else(|| {
                format!("multipart: NextPart: malformed MIME header line: {line}")
            })?;
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
        // Content, up to CRLF (or LF) and the next delimiter.
        let mut search = at;
        loop {
            let mut line_delimiter = b"\n".to_vec();
            line_delimiter.extend(&self.delimiter);
            let found = find(self.body, &line_delimiter, search)
                .ok_or("multipart: NextPart: unexpected EOF")?;
            let content_end = if found > at && self.body[found - 1] == b'\r' {
                found - 1
            } else {
                found
            };
            let after = found + line_delimiter.len();
            let tail = &self.body[after..];
            if tail.starts_with(b"--") {
                self.finished = true;
            } else {
                // The delimiter line may end with whitespace, then LF.
                let Some(line_end) = find(self.body, b"\n", after) else {
                    return Err("multipart: NextPart: unexpected EOF".to_string());
                };
                if !self.body[after..line_end]
                    .iter()
                    .all(|b| matches!(b, b' ' | b'\t' | b'\r'))
                {
                    // Not a delimiter after all (content that starts like one).
                    search = found + 1;
                    continue;
                }
                self.position = Some(line_end + 1);
            }
            return Ok(Some(Part {
                headers,
                body: self.body[at..content_end].to_vec(),
            }));
        }
    }
}

/// A random boundary the size Go's writer uses (30 bytes, hex).
pub fn random_boundary() -> String {
    let mut out = String::with_capacity(60);
    while out.len() < 60 {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_usize(out.len());
        out.push_str(&format!("{:016x}", hasher.finish()));
    }
    out.truncate(60);
    out
}

/// Go's `escapeQuotes` for a quoted header parameter.
pub fn escape_quotes(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Builds a multipart body as Go's `multipart.Writer` frames it.
#[derive(Debug)]
pub struct Writer {
    boundary: String,
    body: Vec<u8>,
}

impl Writer {
    /// A writer with a fresh random boundary.
    pub fn new() -> Self {
        Writer {
            boundary: random_boundary(),
            body: Vec::new(),
        }
    }

    /// `multipart/form-data; boundary=...` for this body.
    pub fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    /// Appends a part with `headers` (written sorted by name, as Go does) and `content`.
    pub fn part(&mut self, headers: &[(&str, String)], content: &[u8]) {
        if self.body.is_empty() {
            self.body
                .extend(format!("--{}\r\n", self.boundary).as_bytes());
        } else {
            self.body
                .extend(format!("\r\n--{}\r\n", self.boundary).as_bytes());
        }
        let mut sorted: Vec<&(&str, String)> = headers.iter().collect();
        sorted.sort_by_key(|(name, _)| *name);
        for (name, value) in sorted {
            self.body.extend(format!("{name}: {value}\r\n").as_bytes());
        }
        self.body.extend(b"\r\n");
        self.body.extend(content);
    }

    /// The complete body, closing delimiter included.
    pub fn finish(mut self) -> Vec<u8> {
        self.body
            .extend(format!("\r\n--{}--\r\n", self.boundary).as_bytes());
        self.body
    }
}

impl Default for Writer {
    fn default() -> Self {
        Writer::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_parse_as_go() {
        let (media, params) =
            parse_media_type("Multipart/Form-Data; boundary=\"abc\\\"d\"").unwrap();
        assert_eq!(media, "multipart/form-data");
        assert_eq!(params["boundary"], "abc\"d");
        let (disposition, params) =
            parse_media_type("form-data; name=\"files\"; filename=\"/a b/c.txt\"").unwrap();
        assert_eq!(disposition, "form-data");
        assert_eq!(params["filename"], "/a b/c.txt");
        assert_eq!(parse_media_type("").unwrap_err(), "mime: no media type");
        assert!(parse_media_type("text/plain; x").is_err());
        assert!(parse_media_type("text/plain; x=\"unterminated").is_err());
    }

    #[test]
    fn round_trips_go_framing() {
        let mut writer = Writer::new();
        let boundary = writer.boundary.clone();
        writer.part(
            &[
                ("Content-Type", "application/octet-stream".into()),
                (
                    "Content-Disposition",
                    "form-data; name=\"files\"; filename=\"/x\"".into(),
                ),
            ],
            b"line\r\n--not-a-delimiter\r\n",
        );
        writer.part(
            &[("Content-Disposition", "form-data; name=\"response\"".into())],
            b"{}\n",
        );
        let body = writer.finish();
        assert!(
            body.starts_with(format!("--{boundary}\r\nContent-Disposition: form-data").as_bytes())
        );
        let mut reader = Reader::new(&body, &boundary);
        let first = reader.next_part().unwrap().unwrap();
        assert_eq!(first.form_name(), "files");
        assert_eq!(first.filename(), "/x");
        assert_eq!(first.body, b"line\r\n--not-a-delimiter\r\n");
        let second = reader.next_part().unwrap().unwrap();
        assert_eq!(second.form_name(), "response");
        assert_eq!(second.body, b"{}\n");
        assert_eq!(reader.next_part(), Ok(None));
    }

    #[test]
    fn malformed_bodies_are_errors() {
        assert_eq!(Reader::new(b"", "b").next_part(), Err("EOF".to_string()));
        assert!(Reader::new(b"no delimiter here", "b").next_part().is_err());
        assert!(Reader::new(b"--b\r\nContent-Type: x\r\n\r\ntruncated", "b")
            .next_part()
            .is_err());
        assert!(Reader::new(b"--b\r\nbad header\r\n\r\nx\r\n--b--", "b")
            .next_part()
            .is_err());
        assert_eq!(Reader::new(b"--b--\r\n", "b").next_part(), Ok(None));
    }
}
