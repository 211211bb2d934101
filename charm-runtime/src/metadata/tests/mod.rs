//! Tests of the metadata model's rendering (`render.rs`) and reading (`read.rs`), with the
//! fixtures both use.

use super::{
    Action, ActionParam, Build, CharmMetadata, ConfigOption, ConfigValue, Container, Endpoint,
    Links, OptionType, ParamType, Resource, ResourceKind,
};
use serde_yaml::Value;

mod read;
mod render;

/// The SDK tutorial's `demo-api-charm`.
pub(super) fn demo() -> CharmMetadata {
    CharmMetadata {
        name: "demo-api-charm".into(),
        title: Some("demo-fastapi-k8s".into()),
        summary: "FastAPI Demo charm for Kubernetes".into(),
        description: "This is a demo charm built on top of a small Python FastAPI server.\n\
                      It serves as a demo for the Juju SDK tutorial.\n"
            .into(),
        links: Links {
            documentation: Some("https://example.com/docs".into()),
            contact: Some("Demo Team <demo@example.com>".into()),
            ..Links::default()
        },
        assumes: vec!["juju >= 3.1".into(), "k8s-api".into()],
        base: "ubuntu@22.04".into(),
        platforms: vec!["amd64".into()],
        build: Build {
            crate_dir: "demo-charm".into(),
            binary: "demo-charm".into(),
        },
        containers: vec![Container {
            name: "demo-server".into(),
            resource: "demo-server-image".into(),
            mounts: vec![],
        }],
        resources: vec![Resource {
            name: "demo-server-image".into(),
            kind: ResourceKind::OciImage,
            description: Some("OCI image from GitHub Container Repository".into()),
            upstream_source: Some("ghcr.io/canonical/api_demo_server:1.0.1".into()),
            filename: None,
        }],
        peers: vec![Endpoint {
            name: "fastapi-peer".into(),
            interface: "fastapi_demo_peers".into(),
            limit: None,
            optional: None,
            scope: None,
        }],
        provides: vec![],
        requires: vec![Endpoint {
            name: "database".into(),
            interface: "postgresql_client".into(),
            limit: Some(1),
            optional: None,
            scope: None,
        }],
        storage: vec![],
        config: vec![ConfigOption {
            name: "server-port".into(),
            kind: OptionType::Int,
            default: Some(ConfigValue::Int(8000)),
            description: Some("Default port on which FastAPI is available".into()),
        }],
        actions: vec![Action {
            name: "get-db-info".into(),
            description: Some("Fetches database authentication information".into()),
            params: vec![ActionParam {
                name: "show-password".into(),
                kind: ParamType::Boolean,
                description: Some("Show username and password in output information".into()),
                default: Some(serde_json::Value::Bool(false)),
                required: false,
                schema: None,
            }],
            additional_properties: false,
        }],
    }
}

pub(super) fn minimal() -> CharmMetadata {
    CharmMetadata {
        name: "tiny".into(),
        summary: "A tiny charm".into(),
        description: "Tiny.".into(),
        base: "ubuntu@24.04".into(),
        platforms: vec!["amd64".into()],
        ..CharmMetadata::default()
    }
}

pub(super) fn parse(yaml: &str) -> Value {
    serde_yaml::from_str(yaml).expect("rendered YAML parses")
}

pub(super) fn keys(v: &Value) -> Vec<&str> {
    v.as_mapping()
        .expect("a mapping")
        .keys()
        .map(|k| k.as_str().expect("string key"))
        .collect()
}

/// The tricky-string charm used by `render_tricky_strings_round_trip`.
pub(super) fn tricky() -> CharmMetadata {
    let mut meta = minimal();
    meta.description = "Para one.\n\n  Indented code.\nLast line".into();
    meta.config = TRICKY
        .iter()
        .enumerate()
        .map(|(i, s)| ConfigOption {
            name: format!("o{i}"),
            kind: OptionType::String,
            default: Some(ConfigValue::String(s.to_string())),
            description: Some(s.to_string()),
        })
        .collect();
    meta.assumes = TRICKY.iter().map(|s| s.to_string()).collect();
    meta.build = Build {
        crate_dir: "tiny".into(),
        binary: "tiny".into(),
    };
    meta
}

/// Strings that YAML 1.1 readers (PyYAML, Go yaml.v2) would take for something else,
/// and multi-line shapes; each must read back as the same string.
pub(super) const TRICKY: &[&str] = &[
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "n",
    "true",
    "False",
    "null",
    "~",
    "=",
    "<<",
    "",
    "2025-01-01",
    "2025-01-01T00:00:00Z",
    "1:20",
    "0o17",
    "0x1f",
    "1_000",
    "1e3",
    "010",
    "4.5.0",
    ".inf",
    ".5",
    "-.nan",
    "+1",
    "-x",
    "- x",
    " lead",
    "trail ",
    "a: b",
    "a #b",
    "#c",
    "@x",
    "it's",
    "say \"hi\"",
    "back\\slash",
    "tab\there",
    "cr\rlf",
    "bell\u{7}",
    "emoji \u{1f600}",
    "key:",
    "?q",
    "[x]",
    "{x}",
    "*a",
    "&a",
    "!t",
    "|p",
    ">f",
    "%d",
    "`b",
    ",c",
    ".",
    "./src",
    "a\nb",
    "a\nb\n",
    "\nlead",
    " indented\nsecond\n",
    "tail\n\n",
    "blank\n\nline\n",
    "ws\n   \nline",
    "x\r\ny",
];
