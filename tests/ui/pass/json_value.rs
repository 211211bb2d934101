//! `#[json_value]`: serde derives through `charm_runtime::serde`, with the user's own derives
//! and `#[serde(...)]` attributes still working. This crate does not depend on serde.

use charm_runtime::prelude::*;

#[json_value]
#[derive(Debug, Clone, PartialEq, Default)]
#[serde(rename_all = "kebab-case")]
struct Endpoint {
    host_name: String,
    #[serde(default)]
    port: u16,
    tags: Vec<String>,
}

#[json_value]
#[derive(Debug, PartialEq)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum Backend {
    Memory,
    Disk { path: String },
}

#[derive(Debug, PartialEq)]
#[json_value]
struct Wrapper(u32);

fn main() {
    let e = Endpoint {
        host_name: "db".into(),
        port: 5432,
        tags: vec!["a".into()],
    };
    let text = charm_runtime::serde_json::to_string(&e).unwrap();
    assert_eq!(text, r#"{"host-name":"db","port":5432,"tags":["a"]}"#);
    let back: Endpoint =
        charm_runtime::serde_json::from_str(r#"{"host-name":"db","tags":[]}"#).unwrap();
    assert_eq!(
        back,
        Endpoint {
            host_name: "db".into(),
            ..Endpoint::default()
        }
    );

    let b: Backend = charm_runtime::serde_json::from_str(r#"{"kind":"disk","path":"/x"}"#).unwrap();
    assert_eq!(b, Backend::Disk { path: "/x".into() });
    assert_eq!(
        charm_runtime::serde_json::to_string(&Backend::Memory).unwrap(),
        r#"{"kind":"memory"}"#
    );

    assert_eq!(
        charm_runtime::serde_json::to_string(&Wrapper(7)).unwrap(),
        "7"
    );
}
