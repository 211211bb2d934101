//! Property tests of the Pebble client's replies: responses built from generated parts
//! (status lines, content types, lengths, chunk sizes, envelopes, bodies) and cut
//! anywhere, read by the HTTP reader and by the client over a socket pair. Each ends in a
//! value or a typed error, never a panic, a hang or an allocation of what a header claims.

use charm_runtime::pebble::http::read_response;
use charm_runtime::pebble::Client;
use proptest::prelude::*;
use std::io::{BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::time::Duration;

/// Cases per property (recorded in docs/guarantees.md).
const CASES: u32 = 2_000;
const CLIENT_CASES: u32 = 300;

fn response() -> impl Strategy<Value = Vec<u8>> {
    let status = prop::sample::select(vec![
        "HTTP/1.1 200 OK",
        "HTTP/1.1 202 Accepted",
        "HTTP/1.1 404 Not Found",
        "HTTP/1.1 500 x",
        "HTTP/1.0 200 OK",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK",
        "HTTP/1.1 abc",
        "garbage",
        "",
    ]);
    let ctype = prop::sample::select(vec![
        "Content-Type: application/json\r\n",
        "Content-Type: text/html\r\n",
        "Content-Type: multipart/form-data; boundary=b\r\n",
        "",
    ]);
    let body = prop::sample::select(vec![
        r#"{"type":"sync","status-code":200,"status":"OK","result":{"version":"1.32.0","boot-id":"b"}}"#,
        r#"{"type":"error","status-code":404,"status":"Not Found","result":{"message":"nope","kind":"not-found"}}"#,
        r#"{"type":"async","status-code":202,"change":"7","result":null}"#,
        r#"{"type":"sync","result":[1,2]}"#,
        r#"{"result":{}}"#,
        "[]",
        "not json",
        "",
        "--b\r\n\r\nx\r\n--b--\r\n",
    ]);
    let framing = prop_oneof![
        Just(Framing::Length(None)),
        Just(Framing::Length(Some("99999999999999999999".into()))),
        Just(Framing::Length(Some("18446744073709551615".into()))),
        Just(Framing::Length(Some("-1".into()))),
        Just(Framing::Length(Some("12abc".into()))),
        prop::collection::vec(
            prop::sample::select(vec![
                "5",
                "0",
                "ffffffffffffffff",
                "zz",
                "-3",
                "3;ext=1",
                ""
            ]),
            0..4
        )
        .prop_map(Framing::Chunked),
        Just(Framing::Eof),
    ];
    (
        status,
        ctype,
        body,
        framing,
        any::<prop::sample::Index>(),
        any::<bool>(),
    )
        .prop_map(|(status, ctype, body, framing, cut, do_cut)| {
            let mut out = format!("{status}\r\n{ctype}").into_bytes();
            match framing {
                Framing::Length(None) => {
                    out.extend(format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes())
                }
                Framing::Length(Some(l)) => {
                    out.extend(format!("Content-Length: {l}\r\n\r\n{body}").into_bytes())
                }
                Framing::Chunked(sizes) => {
                    out.extend(b"Transfer-Encoding: chunked\r\n\r\n");
                    for s in sizes {
                        out.extend(
                            format!("{s}\r\n{}\r\n", &body[..body.len().min(5)]).into_bytes(),
                        );
                    }
                    out.extend(b"0\r\n\r\n");
                }
                Framing::Eof => out.extend(format!("\r\n{body}").into_bytes()),
            }
            if do_cut {
                out.truncate(cut.index(out.len() + 1));
            }
            out
        })
}

#[derive(Debug, Clone)]
enum Framing {
    Length(Option<String>),
    Chunked(Vec<&'static str>),
    Eof,
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_response_is_read_or_refused(bytes in response(), head_only in any::<bool>()) {
        let mut r = BufReader::new(&bytes[..]);
        let _ = read_response(&mut r, head_only);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CLIENT_CASES, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_client_ends_every_reply_in_a_value_or_a_typed_error(bytes in response()) {
        let reply = Arc::new(bytes);
        let connector = move |_: &str| {
            let (ours, theirs) = UnixStream::pair()?;
            let reply = Arc::clone(&reply);
            std::thread::spawn(move || {
                let mut theirs = theirs;
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && theirs.read(&mut byte).map(|n| n == 1).unwrap_or(false) {
                    head.push(byte[0]);
                }
                let _ = theirs.write_all(&reply);
            });
            Ok(ours)
        };
        let client = Client::new("workload", Arc::new(connector)).with_timeout(Duration::from_secs(2));
        match client.get_system_info() {
            Ok(info) => prop_assert_eq!(info.version, "1.32.0"),
            Err(e) => {
                let text = e.to_string();
                prop_assert!(text.contains("workload"), "{text}");
                prop_assert!(text.len() < 2_000, "{} bytes", text.len());
            }
        }
    }
}
