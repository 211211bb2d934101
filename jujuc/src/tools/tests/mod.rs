//! Tests of the in-memory hook tools: one file per tool family, each checking output
//! shapes against juju-protocol.md §2, every error's exit code and exact message, the §3
//! access rules, staged-vs-committed visibility.

mod action;
mod common;
mod other;
mod relation;
mod secret;
mod state;
mod unit;

use crate::{
    commit, run_tool, ActionWorld, HookContext, HookInfo, RelationWorld, StatusValue, StorageWorld,
    ToolOutcome, UnitWorld,
};
use serde_json::json;
use std::collections::BTreeMap;

pub(super) fn bag(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The world most tests use: unit `app/0` (the leader) with
/// - peer relation `peers:1` (peer `app/1`),
/// - `db:4` to `pg` (units `pg/0`, `pg/1`),
/// - `db:10` to `pg2` (a second relation on `db`, to check string sorting),
/// - `db:9`, dead (left out of `relation-ids`),
/// - `web:7` to `ingress` in another model.
pub(super) fn world() -> UnitWorld {
    let mut config = serde_json::Map::new();
    config.insert("port".into(), json!(8080));
    config.insert("name".into(), json!("demo"));
    config.insert("debug".into(), json!(false));
    UnitWorld {
        unit: "app/0".into(),
        leader: true,
        model_name: "m".into(),
        model_uuid: "11111111-2222-3333-4444-555555555555".into(),
        config,
        relations: vec![
            RelationWorld {
                id: 1,
                endpoint: "peers".into(),
                peer: true,
                remote_app: "app".into(),
                local_app_data: bag(&[("shared", "yes")]),
                local_unit_data: bag(&[("me", "0")]),
                remote_app_data: bag(&[("shared", "yes")]),
                remote_units: [("app/1".to_string(), bag(&[("me", "1")]))]
                    .into_iter()
                    .collect(),
                alive: true,
                remote_model_uuid: None,
            },
            RelationWorld {
                id: 4,
                endpoint: "db".into(),
                peer: false,
                remote_app: "pg".into(),
                local_app_data: bag(&[("db-name", "demo")]),
                local_unit_data: bag(&[("ingress", "10.1.0.5")]),
                remote_app_data: bag(&[("user", "u1"), ("password", "p1")]),
                remote_units: [
                    ("pg/0".to_string(), bag(&[("host", "10.0.0.1")])),
                    ("pg/1".to_string(), bag(&[("host", "10.0.0.2")])),
                ]
                .into_iter()
                .collect(),
                alive: true,
                remote_model_uuid: None,
            },
            RelationWorld {
                id: 10,
                endpoint: "db".into(),
                remote_app: "pg2".into(),
                alive: true,
                ..Default::default()
            },
            RelationWorld {
                id: 9,
                endpoint: "db".into(),
                remote_app: "old".into(),
                alive: false,
                ..Default::default()
            },
            RelationWorld {
                id: 7,
                endpoint: "web".into(),
                remote_app: "ingress".into(),
                alive: true,
                remote_model_uuid: Some("99999999-0000-0000-0000-000000000000".into()),
                ..Default::default()
            },
        ],
        unit_status: StatusValue {
            status: "unknown".into(),
            message: String::new(),
        },
        app_status: StatusValue {
            status: "active".into(),
            message: "ready".into(),
        },
        storages: vec![
            StorageWorld {
                name: "data".into(),
                index: 0,
                kind: "filesystem".into(),
                location: "/srv/data".into(),
            },
            StorageWorld {
                name: "cache".into(),
                index: 1,
                kind: "block".into(),
                location: "/dev/sdb".into(),
            },
        ],
        planned_units: vec!["app/0".into(), "app/1".into()],
        ..Default::default()
    }
}

/// A hook context for a non-relation hook.
pub(super) fn hook(name: &str) -> HookContext {
    HookContext {
        info: HookInfo {
            hook: name.into(),
            ..Default::default()
        },
        ..Default::default()
    }
}

/// A relation hook on `db:4` about `pg/1`.
pub(super) fn db_hook(kind: &str) -> HookContext {
    HookContext {
        info: HookInfo {
            hook: format!("db-relation-{kind}"),
            relation_id: Some(4),
            remote_unit: Some("pg/1".into()),
            remote_app: Some("pg".into()),
            ..Default::default()
        },
        ..Default::default()
    }
}

/// An action hook with these parameters.
pub(super) fn action(w: &mut UnitWorld, params: serde_json::Value) -> HookContext {
    w.action = Some(ActionWorld {
        name: "do-it".into(),
        params: params.as_object().cloned().unwrap_or_default(),
    });
    HookContext {
        info: HookInfo {
            hook: "do-it".into(),
            is_action: true,
            ..Default::default()
        },
        ..Default::default()
    }
}

/// A world and a hook, with shorthands to run tools.
pub(super) struct T {
    pub w: UnitWorld,
    pub h: HookContext,
}

impl T {
    pub fn new(w: UnitWorld, h: HookContext) -> Self {
        T { w, h }
    }

    /// The default world in a `start` hook.
    pub fn start() -> Self {
        T::new(world(), hook("start"))
    }

    pub fn run_stdin(&mut self, argv: &[&str], stdin: Option<&str>) -> ToolOutcome {
        let args: Vec<String> = argv[1..].iter().map(|s| s.to_string()).collect();
        run_tool(&mut self.w, &mut self.h, argv[0], &args, stdin)
    }

    pub fn run(&mut self, argv: &[&str]) -> ToolOutcome {
        self.run_stdin(argv, None)
    }

    /// Runs a call that must succeed with nothing on stderr; returns stdout.
    #[track_caller]
    pub fn ok(&mut self, argv: &[&str]) -> String {
        let out = self.run(argv);
        assert_eq!(
            (out.code, out.stderr.as_str()),
            (0, ""),
            "{argv:?}: {out:?}"
        );
        out.stdout
    }

    /// Runs a call that must fail; returns (exit code, stderr).
    #[track_caller]
    pub fn fail(&mut self, argv: &[&str]) -> (i32, String) {
        let out = self.run(argv);
        assert_ne!(out.code, 0, "{argv:?} succeeded: {out:?}");
        assert_eq!(out.stdout, "", "{argv:?}");
        (out.code, out.stderr)
    }

    pub fn commit(&mut self) {
        commit(&mut self.w, &self.h);
    }

    pub fn rel(&self, id: u64) -> &RelationWorld {
        self.w.relations.iter().find(|r| r.id == id).unwrap()
    }
}

/// `(code, "ERROR <msg>\n")`.
pub(super) fn err(code: i32, msg: &str) -> (i32, String) {
    (code, format!("ERROR {msg}\n"))
}
