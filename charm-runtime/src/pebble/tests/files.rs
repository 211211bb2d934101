//! Files: the multipart push body (parsed back from what the client sent), multipart pull
//! as Pebble writes it, list, make-dir, remove, and per-path errors.

use super::server::{http, sync, Reply, Server};
use crate::pebble::http::header_param;
use crate::pebble::multipart::{self, boundary, parse, parse_read};
use crate::pebble::{ErrorKind, FileOptions, FileType};
use serde_json::json;

const GO_BOUNDARY: &str = "3f1a0c2b9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e";

/// A file-read answer as Pebble's `readFilesResponse` writes it with Go's multipart writer.
fn read_answer(files: &[(&str, &[u8])], results: serde_json::Value) -> Vec<u8> {
    let mut body = Vec::new();
    let mut first = true;
    let mut delim = |body: &mut Vec<u8>| {
        if !first {
            body.extend_from_slice(b"\r\n");
        }
        first = false;
        body.extend_from_slice(format!("--{GO_BOUNDARY}\r\n").as_bytes());
    };
    for (name, content) in files {
        delim(&mut body);
        body.extend_from_slice(
            format!(
                "Content-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(content);
    }
    delim(&mut body);
    body.extend_from_slice(
        b"Content-Disposition: form-data; name=\"response\"\r\nContent-Type: application/json\r\n\r\n",
    );
    let meta = json!({"type": "sync", "status-code": 200, "status": "OK", "result": results});
    body.extend_from_slice(format!("{meta}\n").as_bytes());
    body.extend_from_slice(format!("\r\n--{GO_BOUNDARY}--\r\n").as_bytes());
    http(
        "200 OK",
        &format!("multipart/form-data; boundary={GO_BOUNDARY}"),
        &body,
    )
}

#[test]
fn push_sends_ops_multipart_body() {
    let s = Server::start(vec![sync(json!([{"path": "/etc/app/conf \"x\".yaml"}]))]);
    let content: Vec<u8> = (0u8..=255)
        .chain(b"\r\n--not-the-boundary\r\n".iter().copied())
        .collect();
    let opts = FileOptions::new()
        .make_parents()
        .permissions(0o600)
        .user_id(1000)
        .user("app")
        .group_id(1001)
        .group("app");
    s.client()
        .push("/etc/app/conf \"x\".yaml", &content, &opts)
        .unwrap();
    let req = &s.seen()[0];
    assert_eq!(req.line(), "POST /v1/files HTTP/1.1");
    assert_eq!(req.header("accept").as_deref(), Some("application/json"));
    let ctype = req.header("content-type").unwrap();
    assert!(
        ctype.starts_with("multipart/form-data; boundary=\""),
        "{ctype}"
    );
    let b = header_param(&ctype, "boundary").unwrap();
    assert_eq!(b.len(), 32);
    assert!(b.bytes().all(|c| c.is_ascii_hexdigit()), "{b}");
    let parts = parse(&req.body, &b).unwrap();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0].header("content-type"), Some("application/json"));
    assert_eq!(
        parts[0].header("content-disposition"),
        Some("form-data; name=\"request\"")
    );
    let meta: serde_json::Value = serde_json::from_slice(&parts[0].body).unwrap();
    assert_eq!(
        meta,
        json!({"action": "write", "files": [{
            "path": "/etc/app/conf \"x\".yaml", "make-dirs": true, "permissions": "600",
            "user-id": 1000, "user": "app", "group-id": 1001, "group": "app"}]})
    );
    assert_eq!(
        parts[1].header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(
        parts[1].header("content-disposition"),
        Some(r#"form-data; name="files"; filename="/etc/app/conf \"x\".yaml""#)
    );
    assert_eq!(parts[1].body, content);
    // The whole body, byte for byte as ops' generator writes it.
    let mut expected = format!(
        "--{b}\r\nContent-Type: application/json\r\nContent-Disposition: form-data; name=\"request\"\r\n\r\n"
    )
    .into_bytes();
    expected.extend_from_slice(&parts[0].body);
    expected.extend_from_slice(format!("\r\n--{b}\r\nContent-Type: application/octet-stream\r\nContent-Disposition: form-data; name=\"files\"; filename=\"/etc/app/conf \\\"x\\\".yaml\"\r\n\r\n").as_bytes());
    expected.extend_from_slice(&content);
    expected.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    assert_eq!(req.body, expected);
}

#[test]
fn push_without_options_sends_only_the_path() {
    let s = Server::start(vec![sync(json!([{"path": "/a"}]))]);
    s.client().push("/a", b"", &FileOptions::new()).unwrap();
    let req = &s.seen()[0];
    let b = header_param(&req.header("content-type").unwrap(), "boundary").unwrap();
    let parts = parse(&req.body, &b).unwrap();
    let meta: serde_json::Value = serde_json::from_slice(&parts[0].body).unwrap();
    assert_eq!(meta, json!({"action": "write", "files": [{"path": "/a"}]}));
    assert!(parts[1].body.is_empty());
}

#[test]
fn a_push_path_error_is_a_path_error() {
    let s = Server::start(vec![
        sync(json!([{"path": "/no/dir/f", "error": {
            "kind": "not-found", "message": "open /no/dir/f: no such file or directory"}}])),
        sync(json!([{"path": "/other"}])),
    ]);
    let e = s
        .client()
        .push("/no/dir/f", b"x", &FileOptions::new())
        .unwrap_err();
    assert_eq!(
        *e.kind,
        ErrorKind::Path {
            kind: "not-found".into(),
            message: "open /no/dir/f: no such file or directory".into()
        }
    );
    assert!(e.is_not_found());
    let e = s
        .client()
        .push("/mine", b"x", &FileOptions::new())
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("path not found in response metadata"),
        "{e}"
    );
}

#[test]
fn pull_reads_pebbles_multipart_answer() {
    let content: Vec<u8> = b"line\r\n--3f1a\r\n\0\xff binary".to_vec();
    let s = Server::start(vec![Reply::Bytes(read_answer(
        &[("/etc/x", &content)],
        json!([{"path": "/etc/x"}]),
    ))]);
    assert_eq!(s.client().pull("/etc/x").unwrap(), content);
    let req = &s.seen()[0];
    assert_eq!(
        req.line(),
        "GET /v1/files?action=read&path=%2Fetc%2Fx HTTP/1.1"
    );
    assert_eq!(req.header("accept").as_deref(), Some("multipart/form-data"));
}

#[test]
fn pull_errors() {
    let not_found = json!([{"path": "/nope", "error": {"kind": "not-found",
                             "message": "stat /nope: no such file or directory"}}]);
    let s = Server::start(vec![
        Reply::Bytes(read_answer(&[], not_found)),
        Reply::Bytes(read_answer(&[("/other", b"x")], json!([{"path": "/f"}]))),
        Reply::Bytes(read_answer(&[], json!([{"path": "/f"}]))),
        Reply::Bytes(read_answer(
            &[("/f", b"1"), ("/f2", b"2")],
            json!([{"path": "/f"}]),
        )),
        sync(json!([])),
        Reply::Bytes(http("200 OK", "multipart/form-data", b"")),
        Reply::Bytes(http(
            "200 OK",
            "multipart/form-data; boundary=zz",
            b"--zz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"/f\"\r\n\r\nabc",
        )),
        Reply::Bytes(http(
            "200 OK",
            "multipart/form-data; boundary=zz",
            b"--zz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"/f\"\r\n\r\nabc\r\n--zz--\r\n",
        )),
        Reply::Bytes(http(
            "200 OK",
            "multipart/form-data; boundary=zz",
            b"--zz\r\nContent-Disposition: attachment; name=\"files\"\r\n\r\nabc\r\n--zz--\r\n",
        )),
        Reply::Bytes(http(
            "200 OK",
            "multipart/form-data; boundary=zz",
            b"--zz\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nabc\r\n--zz--\r\n",
        )),
        Reply::Bytes(http(
            "200 OK",
            "multipart/form-data; boundary=zz",
            b"--zz\r\nContent-Disposition: form-data; name=\"response\"\r\n\r\n{bad\r\n--zz--\r\n",
        )),
    ]);
    let c = s.client();
    let e = c.pull("/nope").unwrap_err();
    assert!(e.is_not_found(), "{e}");
    assert_eq!(
        e.to_string(),
        "pebble in container `workload`: GET /v1/files?action=read&path=%2Fnope: \
         not-found - stat /nope: no such file or directory"
    );
    let expected = [
        "path not expected: \"/other\"",
        "no file content in multipart response",
        "single file request resulted in a multi-file response",
        "expected Content-Type \"multipart/form-data\", got \"application/json\"",
        "invalid boundary \"\"",
        "multipart body ends without its closing boundary (truncated?)",
        "no \"response\" field in multipart body",
        "unexpected content disposition: \"attachment\"",
        "unexpected name in content-disposition header: \"other\"",
        "the \"response\" part is not valid JSON",
    ];
    for text in expected {
        let e = c.pull("/f").unwrap_err();
        assert!(matches!(*e.kind, ErrorKind::Protocol { .. }), "{e}");
        assert!(e.to_string().contains(text), "{e} (expected {text})");
    }
}

#[test]
fn list_files_query_in_ops_order() {
    let s = Server::start(vec![
        sync(
            json!([{"path": "/etc/a.conf", "name": "a.conf", "type": "file", "size": 12,
                     "permissions": "640", "last-modified": "2024-06-01T10:00:00Z",
                     "user-id": 0, "user": "root", "group-id": 0, "group": "root"}]),
        ),
        sync(json!(null)),
    ]);
    let files = s.client().list_files("/etc", Some("*.conf"), true).unwrap();
    assert_eq!(files[0].type_, FileType::File);
    assert_eq!(files[0].mode(), Some(0o640));
    assert_eq!(
        s.seen()[0].line(),
        "GET /v1/files?path=%2Fetc&pattern=%2A.conf&itself=true&action=list HTTP/1.1"
    );
    assert!(s.client().list_files("/e", None, false).unwrap().is_empty());
    assert_eq!(
        s.seen()[1].line(),
        "GET /v1/files?path=%2Fe&action=list HTTP/1.1"
    );
}

#[test]
fn make_dir_and_remove_path_bodies() {
    let s = Server::start(vec![
        sync(json!([{"path": "/d"}])),
        sync(json!([{"path": "/d"}])),
        sync(
            json!([{"path": "/d", "error": {"kind": "generic-file-error",
                                             "message": "directory not empty"}}]),
        ),
    ]);
    let c = s.client();
    c.make_dir(
        "/d",
        &FileOptions::new()
            .make_parents()
            .permissions(0o755)
            .user("u"),
    )
    .unwrap();
    c.remove_path("/d", true).unwrap();
    let e = c.remove_path("/d", false).unwrap_err();
    assert_eq!(
        *e.kind,
        ErrorKind::Path {
            kind: "generic-file-error".into(),
            message: "directory not empty".into()
        }
    );
    let seen = s.seen();
    assert_eq!(
        seen[0].json(),
        json!({"action": "make-dirs", "dirs": [{"path": "/d", "make-parents": true,
                                                "permissions": "755", "user": "u"}]})
    );
    assert_eq!(
        seen[1].json(),
        json!({"action": "remove", "paths": [{"path": "/d", "recursive": true}]})
    );
    assert_eq!(
        seen[2].json(),
        json!({"action": "remove", "paths": [{"path": "/d"}]})
    );
}

#[test]
fn permissions_are_three_octal_digits_at_least() {
    let s = Server::start(vec![sync(json!([{"path": "/d"}]))]);
    s.client()
        .make_dir("/d", &FileOptions::new().permissions(0o7))
        .unwrap();
    assert_eq!(s.seen()[0].json()["dirs"][0]["permissions"], "007");
}

#[test]
fn boundaries_are_fresh_hex() {
    let a = boundary();
    let b = boundary();
    assert_eq!((a.len(), b.len()), (32, 32));
    assert_ne!(a, b);
}

#[test]
fn multipart_reader_follows_ops_rules() {
    // Whitespace after the delimiter, a preamble, an epilogue, and an empty part body.
    let body = b"preamble\r\n--b \t\r\nContent-Disposition: form-data; name=\"files\"; filename=\"/x\"\r\n\r\n\r\n--b\r\nContent-Disposition: form-data; name=\"response\"\r\n\r\n{}\r\n--b--\r\nepilogue";
    let parts = parse_read(body, "b").unwrap();
    assert_eq!(parts.files, [("/x".to_string(), Vec::new())]);
    assert_eq!(parts.response.as_deref(), Some(&b"{}"[..]));
    // A delimiter look-alike inside content is content.
    let body = b"--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"/x\"\r\n\r\na\r\n--bc\r\n--b-x\r\n--b--\r\n";
    let parts = parse_read(body, "b").unwrap();
    assert_eq!(parts.files[0].1, b"a\r\n--bc\r\n--b-x");
    assert!(parse(b"no delimiter", "b")
        .unwrap_err()
        .contains("no boundary"));
    assert!(parse_read(
        b"--b\r\nContent-Disposition: form-data; name=\"files\"\r\n\r\nx\r\n--b--",
        "b"
    )
    .unwrap_err()
    .contains("missing filename"));
    assert!(parse(b"--b\r\nX: y", "b")
        .unwrap_err()
        .contains("no end of headers"));
    assert!(parse(b"x", "").is_err());
    // Every prefix of a valid body: an error or the parts, never a panic.
    let full = multipart::encode_write(b"{}", "/p", b"data\r\n").1;
    let b = String::from_utf8_lossy(&full[2..34]).into_owned();
    for n in 0..=full.len() {
        let _ = parse(&full[..n], &b);
    }
    assert_eq!(parse(&full, &b).unwrap().len(), 2);
}
