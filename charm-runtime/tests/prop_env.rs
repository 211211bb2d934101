//! Property tests over the `JUJU_*` environment: any set of variables (valid, near-valid,
//! hostile, huge, not UTF-8) parses to an event whose names have Juju's shapes, or to an
//! error that names a variable (or the unknown hook) in one short line; never a panic.

mod common;

use charm_runtime::event::names;
use charm_runtime::{Event, HookEnv};
use common::gen::hostile_string;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

/// Cases (recorded in docs/guarantees.md).
const CASES: u32 = 3_000;

const VARS: &[&str] = &[
    "JUJU_DISPATCH_PATH",
    "JUJU_HOOK_NAME",
    "JUJU_UNIT_NAME",
    "JUJU_MODEL_NAME",
    "JUJU_MODEL_UUID",
    "JUJU_VERSION",
    "JUJU_RELATION",
    "JUJU_RELATION_ID",
    "JUJU_REMOTE_APP",
    "JUJU_REMOTE_UNIT",
    "JUJU_DEPARTING_UNIT",
    "JUJU_ACTION_NAME",
    "JUJU_ACTION_UUID",
    "JUJU_STORAGE_ID",
    "JUJU_WORKLOAD_NAME",
    "JUJU_NOTICE_ID",
    "JUJU_NOTICE_TYPE",
    "JUJU_NOTICE_KEY",
    "JUJU_PEBBLE_CHECK_NAME",
    "JUJU_SECRET_ID",
    "JUJU_SECRET_REVISION",
    "JUJU_SECRET_LABEL",
    "JUJU_CHARM_DIR",
    "JUJU_CONTEXT_ID",
];

/// A plausible value for `var` (so many cases parse), or anything.
fn value(var: &'static str) -> BoxedStrategy<Vec<u8>> {
    let plausible: &'static [&'static str] = match var {
        "JUJU_DISPATCH_PATH" => &[
            "hooks/install",
            "hooks/db-relation-changed",
            "hooks/data-storage-attached",
            "hooks/web-pebble-ready",
            "hooks/secret-changed",
            "actions/backup",
            "hooks/start",
            "hooks/-x",
        ],
        "JUJU_HOOK_NAME" => &["install", "db-relation-changed", "start", ""],
        "JUJU_UNIT_NAME" | "JUJU_REMOTE_UNIT" | "JUJU_DEPARTING_UNIT" => {
            &["app/0", "pg/12", "-x/0", "app/01", "App/0"]
        }
        "JUJU_RELATION" => &["db", "database", "-db", "db_admin"],
        "JUJU_RELATION_ID" => &["db:3", "database:0", "fastapi-peer:0", "7", "db:-1"],
        "JUJU_REMOTE_APP" => &["pg", "app", "-pg"],
        "JUJU_ACTION_NAME" => &["backup", "restore", "-x"],
        "JUJU_ACTION_UUID" => &["1", "0b1c2d3e-0000-4000-8000-000000000000", "-1"],
        "JUJU_STORAGE_ID" => &["data/0", "data/x", "-x/0"],
        "JUJU_WORKLOAD_NAME" => &["web", "-web"],
        "JUJU_SECRET_ID" => &["secret:d1b2k8hnm2h3bq5rpmn0", "--peek"],
        "JUJU_SECRET_REVISION" => &["3", "-3"],
        _ => &["x", "3.6.4", "m", "0b1c2d3e-0000-4000-8000-000000000000"],
    };
    prop_oneof![
        6 => prop::sample::select(plausible.to_vec()).prop_map(|s| s.as_bytes().to_vec()),
        2 => hostile_string().prop_map(String::into_bytes),
        1 => prop::collection::vec(any::<u8>(), 0..40),
    ]
    .boxed()
}

fn environment() -> impl Strategy<Value = BTreeMap<&'static str, Vec<u8>>> {
    let entries: Vec<_> = VARS
        .iter()
        .map(|v| prop::option::weighted(0.6, value(v)).prop_map(move |x| (*v, x)))
        .collect();
    entries.prop_map(|pairs| {
        pairs
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_environment_is_an_event_with_juju_shapes_or_one_short_error(vars in environment()) {
        let parsed = HookEnv::from_os_vars(|k| vars.get(k).map(|v| OsString::from_vec(v.clone())));
        match parsed {
            Ok(None) => prop_assert!(vars.get("JUJU_DISPATCH_PATH").is_none_or(|v| v.is_empty())),
            Ok(Some(env)) => {
                prop_assert!(names::unit(&env.unit_name).is_some(), "{}", env.unit_name);
                prop_assert!(names::is_application(&env.app_name));
                match &env.event {
                    Event::Relation(r) => {
                        prop_assert!(names::is_endpoint(&r.endpoint));
                        prop_assert!(names::is_application(&r.remote_app));
                        for u in r.remote_unit.iter().chain(&r.departing_unit) {
                            prop_assert!(names::unit(u).is_some(), "{u}");
                        }
                        let raw = String::from_utf8(vars["JUJU_RELATION_ID"].clone()).unwrap();
                        if let Some((ep, _)) = raw.rsplit_once(':') {
                            prop_assert_eq!(ep, r.endpoint.as_str());
                        }
                    }
                    Event::Action(a) => {
                        prop_assert!(names::is_action(&a.name));
                        prop_assert_eq!(format!("actions/{}", a.name), env.dispatch_path.clone());
                    }
                    Event::Secret(s) => prop_assert!(names::is_secret_uri(&s.id)),
                    Event::Storage(s) => prop_assert!(names::is_application(&s.name)),
                    Event::Workload(w) => prop_assert!(names::is_endpoint(&w.container)),
                    _ => {}
                }
            }
            Err(e) => {
                let text = e.to_string();
                prop_assert!(text.len() <= 400, "{} bytes: {}", text.len(), &text[..200]);
                prop_assert!(!text.contains('\n'), "{text}");
                prop_assert!(text.contains("JUJU_") || text.starts_with("unknown hook"), "{text}");
            }
        }
    }
}
