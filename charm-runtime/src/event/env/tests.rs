//! Tests of the `JUJU_*` environment parsing: one or more per hook kind, and every error
//! naming its variable.

use std::collections::HashMap;
use std::path::PathBuf;

use super::*;

/// The variables every hook gets, for `hooks/<hook>`.
fn base(hook: &str) -> HashMap<String, String> {
    let mut vars = HashMap::new();
    for (key, value) in [
        ("JUJU_DISPATCH_PATH", format!("hooks/{hook}")),
        ("JUJU_HOOK_NAME", hook.to_owned()),
        ("JUJU_UNIT_NAME", "myapp/3".to_owned()),
        ("JUJU_MODEL_NAME", "prod".to_owned()),
        (
            "JUJU_MODEL_UUID",
            "0b1c2d3e-0000-4000-8000-000000000000".to_owned(),
        ),
        ("JUJU_VERSION", "3.6.4".to_owned()),
        (
            "JUJU_CHARM_DIR",
            "/var/lib/juju/agents/unit-myapp-3/charm".to_owned(),
        ),
        (
            "CHARM_DIR",
            "/var/lib/juju/agents/unit-myapp-3/charm".to_owned(),
        ),
        ("JUJU_CONTEXT_ID", "myapp/3-install-123".to_owned()),
        ("JUJU_AVAILABILITY_ZONE", String::new()),
        ("JUJU_PRINCIPAL_UNIT", String::new()),
    ] {
        vars.insert(key.to_owned(), value);
    }
    vars
}

fn with(mut vars: HashMap<String, String>, extra: &[(&str, &str)]) -> HashMap<String, String> {
    for (key, value) in extra {
        vars.insert((*key).to_owned(), (*value).to_owned());
    }
    vars
}

fn without(mut vars: HashMap<String, String>, keys: &[&str]) -> HashMap<String, String> {
    for key in keys {
        vars.remove(*key);
    }
    vars
}

fn parse(vars: &HashMap<String, String>) -> Result<Option<HookEnv>, EnvError> {
    HookEnv::from_vars(|key| vars.get(key).cloned())
}

fn event(vars: &HashMap<String, String>) -> Event {
    match parse(vars) {
        Ok(Some(env)) => env.event,
        other => panic!("expected an event, got {other:?}"),
    }
}

fn error(vars: &HashMap<String, String>) -> EnvError {
    match parse(vars) {
        Err(err) => err,
        other => panic!("expected an error, got {other:?}"),
    }
}

fn relation(endpoint: &str, kind: &str, extra: &[(&str, &str)]) -> HashMap<String, String> {
    let hook = format!("{endpoint}-relation-{kind}");
    let id = format!("{endpoint}:7");
    let vars = with(
        base(&hook),
        &[
            ("JUJU_RELATION", endpoint),
            ("JUJU_RELATION_ID", &id),
            ("JUJU_REMOTE_APP", "postgresql"),
        ],
    );
    with(vars, extra)
}

fn workload(container: &str, suffix: &str, extra: &[(&str, &str)]) -> HashMap<String, String> {
    let vars = with(
        base(&format!("{container}-{suffix}")),
        &[("JUJU_WORKLOAD_NAME", container)],
    );
    with(vars, extra)
}

fn secret(kind: &str, extra: &[(&str, &str)]) -> HashMap<String, String> {
    let vars = with(
        base(&format!("secret-{kind}")),
        &[
            ("JUJU_SECRET_ID", "secret:cq2a4dpc3cfc7p0fmb5g"),
            ("JUJU_SECRET_LABEL", "db-password"),
        ],
    );
    with(vars, extra)
}

fn action(name: &str) -> HashMap<String, String> {
    with(
        without(base("unused"), &["JUJU_HOOK_NAME"]),
        &[
            ("JUJU_DISPATCH_PATH", &format!("actions/{name}")),
            ("JUJU_HOOK_NAME", ""),
            ("JUJU_ACTION_NAME", name),
            ("JUJU_ACTION_UUID", "42"),
            ("JUJU_ACTION_TAG", "action-42"),
        ],
    )
}

// ---- not under Juju / common fields ------------------------------------------------

#[test]
fn not_under_juju_without_dispatch_path() {
    assert_eq!(parse(&HashMap::new()), Ok(None));
    assert_eq!(
        parse(&without(base("install"), &["JUJU_DISPATCH_PATH"])),
        Ok(None)
    );
}

#[test]
fn not_under_juju_with_empty_dispatch_path() {
    assert_eq!(
        parse(&with(base("install"), &[("JUJU_DISPATCH_PATH", "")])),
        Ok(None)
    );
}

#[test]
fn common_fields() {
    let env = parse(&base("install")).unwrap().unwrap();
    assert_eq!(
        env,
        HookEnv {
            unit_name: "myapp/3".into(),
            app_name: "myapp".into(),
            unit_number: 3,
            model_name: "prod".into(),
            model_uuid: "0b1c2d3e-0000-4000-8000-000000000000".into(),
            juju_version: "3.6.4".into(),
            charm_dir: PathBuf::from("/var/lib/juju/agents/unit-myapp-3/charm"),
            dispatch_path: "hooks/install".into(),
            hook_name: "install".into(),
            context_id: Some("myapp/3-install-123".into()),
            event: Event::Install,
            pebble: PebbleAccess::default(),
        }
    );
}

#[test]
fn pebble_sockets_default_to_charm_containers_and_move_with_the_variable() {
    let env = parse(&base("install")).unwrap().unwrap();
    assert_eq!(
        env.pebble.containers_dir(),
        Some(std::path::Path::new("/charm/containers"))
    );
    let moved = parse(&with(
        base("install"),
        &[("CHARM_CONTAINERS_DIR", "/tmp/sim/u0")],
    ))
    .unwrap()
    .unwrap();
    assert_eq!(moved.pebble, PebbleAccess::sockets("/tmp/sim/u0"));
    // Empty means unset, as for Juju's variables.
    let empty = parse(&with(base("install"), &[("CHARM_CONTAINERS_DIR", "")]))
        .unwrap()
        .unwrap();
    assert_eq!(empty.pebble, PebbleAccess::default());
}

#[test]
fn app_name_with_dashes_and_large_unit_number() {
    let env = parse(&with(
        base("start"),
        &[("JUJU_UNIT_NAME", "my-fast-api/1024")],
    ))
    .unwrap()
    .unwrap();
    assert_eq!(env.app_name, "my-fast-api");
    assert_eq!(env.unit_number, 1024);
}

#[test]
fn charm_dir_falls_back_to_charm_dir_then_dot() {
    let legacy = with(
        base("install"),
        &[("JUJU_CHARM_DIR", ""), ("CHARM_DIR", "/legacy")],
    );
    assert_eq!(
        parse(&legacy).unwrap().unwrap().charm_dir,
        PathBuf::from("/legacy")
    );
    let neither = without(base("install"), &["JUJU_CHARM_DIR", "CHARM_DIR"]);
    assert_eq!(
        parse(&neither).unwrap().unwrap().charm_dir,
        PathBuf::from(".")
    );
}

#[test]
fn empty_context_id_is_none() {
    let vars = with(base("install"), &[("JUJU_CONTEXT_ID", "")]);
    assert_eq!(parse(&vars).unwrap().unwrap().context_id, None);
}

#[test]
fn hook_name_derived_from_dispatch_path_when_absent_or_empty() {
    let empty = with(base("config-changed"), &[("JUJU_HOOK_NAME", "")]);
    let env = parse(&empty).unwrap().unwrap();
    assert_eq!(env.hook_name, "config-changed");
    assert_eq!(env.event, Event::ConfigChanged);

    let absent = without(
        relation(
            "my-relation-db",
            "joined",
            &[("JUJU_REMOTE_UNIT", "postgresql/0")],
        ),
        &["JUJU_HOOK_NAME"],
    );
    let env = parse(&absent).unwrap().unwrap();
    assert_eq!(env.hook_name, "my-relation-db-relation-joined");
    assert_eq!(env.event.hook_name(), env.hook_name);
}

// ---- unit hooks ----------------------------------------------------------------------

macro_rules! unit_hook_tests {
    ($($test:ident: $hook:literal => $event:expr;)*) => {$(
        #[test]
        fn $test() {
            let env = parse(&base($hook)).unwrap().unwrap();
            assert_eq!(env.event, $event);
            assert_eq!(env.hook_name, $hook);
            assert_eq!(env.event.hook_name(), $hook);
        }
    )*};
}

unit_hook_tests! {
    unit_install: "install" => Event::Install;
    unit_start: "start" => Event::Start;
    unit_stop: "stop" => Event::Stop;
    unit_remove: "remove" => Event::Remove;
    unit_config_changed: "config-changed" => Event::ConfigChanged;
    unit_update_status: "update-status" => Event::UpdateStatus;
    unit_upgrade_charm: "upgrade-charm" => Event::UpgradeCharm;
    unit_leader_elected: "leader-elected" => Event::LeaderElected;
    unit_leader_settings_changed: "leader-settings-changed" => Event::LeaderSettingsChanged;
    unit_collect_metrics: "collect-metrics" => Event::CollectMetrics;
    unit_pre_series_upgrade: "pre-series-upgrade" => Event::PreSeriesUpgrade;
    unit_post_series_upgrade: "post-series-upgrade" => Event::PostSeriesUpgrade;
}

#[test]
fn collect_metrics_defaults_juju_version() {
    for vars in [
        without(base("collect-metrics"), &["JUJU_VERSION"]),
        with(base("collect-metrics"), &[("JUJU_VERSION", "")]),
    ] {
        let env = parse(&vars).unwrap().unwrap();
        assert_eq!(env.event, Event::CollectMetrics);
        assert_eq!(env.juju_version, "0.0.0");
    }
}

#[test]
fn juju_version_required_for_other_hooks() {
    assert_eq!(
        error(&without(base("install"), &["JUJU_VERSION"])),
        EnvError::Missing {
            var: "JUJU_VERSION",
            hook: "install".into()
        }
    );
}

// ---- relation hooks --------------------------------------------------------------------

fn rel(
    kind: RelationEventKind,
    endpoint: &str,
    remote_unit: Option<&str>,
    departing_unit: Option<&str>,
) -> Event {
    Event::Relation(RelationEvent {
        kind,
        endpoint: endpoint.into(),
        id: 7,
        remote_app: "postgresql".into(),
        remote_unit: remote_unit.map(Into::into),
        departing_unit: departing_unit.map(Into::into),
    })
}

#[test]
fn relation_created() {
    let vars = relation("db", "created", &[("JUJU_REMOTE_UNIT", "")]);
    assert_eq!(
        event(&vars),
        rel(RelationEventKind::Created, "db", None, None)
    );
}

#[test]
fn relation_joined() {
    let vars = relation("db", "joined", &[("JUJU_REMOTE_UNIT", "postgresql/0")]);
    assert_eq!(
        event(&vars),
        rel(RelationEventKind::Joined, "db", Some("postgresql/0"), None)
    );
}

#[test]
fn relation_changed_with_unit() {
    let vars = relation("db", "changed", &[("JUJU_REMOTE_UNIT", "postgresql/1")]);
    assert_eq!(
        event(&vars),
        rel(RelationEventKind::Changed, "db", Some("postgresql/1"), None)
    );
}

#[test]
fn relation_changed_app_bag_without_unit() {
    let vars = relation("db", "changed", &[("JUJU_REMOTE_UNIT", "")]);
    assert_eq!(
        event(&vars),
        rel(RelationEventKind::Changed, "db", None, None)
    );
}

#[test]
fn relation_departed() {
    let vars = relation(
        "db",
        "departed",
        &[
            ("JUJU_REMOTE_UNIT", "postgresql/1"),
            ("JUJU_DEPARTING_UNIT", "postgresql/1"),
        ],
    );
    assert_eq!(
        event(&vars),
        rel(
            RelationEventKind::Departed,
            "db",
            Some("postgresql/1"),
            Some("postgresql/1")
        )
    );
}

#[test]
fn relation_broken() {
    let vars = relation("db", "broken", &[]);
    assert_eq!(
        event(&vars),
        rel(RelationEventKind::Broken, "db", None, None)
    );
}

#[test]
fn relation_endpoint_with_dashes() {
    let vars = relation(
        "fastapi-peer",
        "changed",
        &[("JUJU_REMOTE_UNIT", "myapp/0")],
    );
    let env = parse(&vars).unwrap().unwrap();
    assert_eq!(
        env.event,
        rel(
            RelationEventKind::Changed,
            "fastapi-peer",
            Some("myapp/0"),
            None
        )
    );
    assert_eq!(env.event.hook_name(), "fastapi-peer-relation-changed");
}

#[test]
fn relation_endpoint_containing_relation_substring() {
    for (kind, expected) in [
        ("created", RelationEventKind::Created),
        ("joined", RelationEventKind::Joined),
        ("changed", RelationEventKind::Changed),
        ("departed", RelationEventKind::Departed),
        ("broken", RelationEventKind::Broken),
    ] {
        let vars = relation(
            "my-relation-db",
            kind,
            &[
                ("JUJU_REMOTE_UNIT", "postgresql/2"),
                ("JUJU_DEPARTING_UNIT", "postgresql/2"),
            ],
        );
        let Event::Relation(r) = event(&vars) else {
            panic!("not a relation event for {kind}");
        };
        assert_eq!(r.kind, expected);
        assert_eq!(r.endpoint, "my-relation-db");
        assert_eq!(r.id, 7);
    }
}

#[test]
fn relation_endpoint_named_like_a_kind() {
    // Endpoint `changed-relation-joined` firing `-relation-broken`.
    let vars = relation("changed-relation-joined", "broken", &[]);
    assert_eq!(
        event(&vars),
        rel(
            RelationEventKind::Broken,
            "changed-relation-joined",
            None,
            None
        )
    );
}

#[test]
fn relation_id_bare_int_and_last_colon() {
    let bare = relation("db", "broken", &[("JUJU_RELATION_ID", "12")]);
    assert_eq!(event(&bare).relation().map(|r| r.id), Some(12));
    // The endpoint part must be JUJU_RELATION's: Juju writes `<endpoint>:<id>`.
    let colons = relation("db", "broken", &[("JUJU_RELATION_ID", "a:b:99")]);
    assert!(
        matches!(
            error(&colons),
            EnvError::Conflict {
                var: "JUJU_RELATION_ID",
                other: "JUJU_RELATION",
                ..
            }
        ),
        "{:?}",
        error(&colons)
    );
}

#[test]
fn relation_missing_remote_unit_for_joined() {
    let vars = relation("db", "joined", &[]);
    assert_eq!(
        error(&vars),
        EnvError::Missing {
            var: "JUJU_REMOTE_UNIT",
            hook: "db-relation-joined".into()
        }
    );
}

#[test]
fn relation_missing_remote_app() {
    let vars = relation("db", "broken", &[("JUJU_REMOTE_APP", "")]);
    assert_eq!(
        error(&vars),
        EnvError::Missing {
            var: "JUJU_REMOTE_APP",
            hook: "db-relation-broken".into()
        }
    );
}

#[test]
fn relation_missing_relation_id() {
    let vars = without(relation("db", "changed", &[]), &["JUJU_RELATION_ID"]);
    let err = error(&vars);
    assert_eq!(
        err,
        EnvError::Missing {
            var: "JUJU_RELATION_ID",
            hook: "db-relation-changed".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "JUJU_RELATION_ID is not set, but hook `db-relation-changed` needs it"
    );
}

// ---- storage hooks ---------------------------------------------------------------------

#[test]
fn storage_attached() {
    let vars = with(
        base("data-storage-attached"),
        &[
            ("JUJU_STORAGE_ID", "data/0"),
            ("JUJU_STORAGE_LOCATION", "/srv/data"),
            ("JUJU_STORAGE_KIND", "filesystem"),
        ],
    );
    assert_eq!(
        event(&vars),
        Event::Storage(StorageEvent {
            kind: StorageEventKind::Attached,
            name: "data".into(),
            index: 0,
            location: Some("/srv/data".into()),
        })
    );
}

#[test]
fn storage_detaching_with_dashes_and_no_location() {
    let vars = with(
        base("my-storage-cache-storage-detaching"),
        &[
            ("JUJU_STORAGE_ID", "my-storage-cache/12"),
            ("JUJU_STORAGE_LOCATION", ""),
        ],
    );
    let env = parse(&vars).unwrap().unwrap();
    assert_eq!(
        env.event,
        Event::Storage(StorageEvent {
            kind: StorageEventKind::Detaching,
            name: "my-storage-cache".into(),
            index: 12,
            location: None,
        })
    );
    assert_eq!(env.event.hook_name(), "my-storage-cache-storage-detaching");
}

#[test]
fn storage_malformed_id() {
    for bad in ["data", "data/x", "/0", "data/-1"] {
        let vars = with(base("data-storage-attached"), &[("JUJU_STORAGE_ID", bad)]);
        assert_eq!(
            error(&vars),
            EnvError::Malformed {
                var: "JUJU_STORAGE_ID",
                value: bad.into(),
                expected: "`<storage-name>/<index>`"
            }
        );
    }
}

#[test]
fn storage_mismatched_prefix() {
    let vars = with(
        base("logs-storage-attached"),
        &[("JUJU_STORAGE_ID", "data/0")],
    );
    let err = error(&vars);
    assert_eq!(
        err,
        EnvError::HookMismatch {
            var: "JUJU_STORAGE_ID",
            value: "data/0".into(),
            hook: "logs-storage-attached".into()
        }
    );
    assert!(err
        .to_string()
        .contains("`data-storage-<attached|detaching>`"));
}

// ---- workload hooks --------------------------------------------------------------------

#[test]
fn workload_pebble_ready() {
    let vars = workload("demo-server", "pebble-ready", &[]);
    let env = parse(&vars).unwrap().unwrap();
    assert_eq!(
        env.event,
        Event::Workload(WorkloadEvent {
            kind: WorkloadEventKind::PebbleReady,
            container: "demo-server".into(),
        })
    );
    assert_eq!(env.event.hook_name(), "demo-server-pebble-ready");
}

#[test]
fn workload_pebble_custom_notice() {
    let vars = workload(
        "demo-server",
        "pebble-custom-notice",
        &[
            ("JUJU_NOTICE_ID", "17"),
            ("JUJU_NOTICE_TYPE", "custom"),
            ("JUJU_NOTICE_KEY", "example.com/foo"),
        ],
    );
    assert_eq!(
        event(&vars),
        Event::Workload(WorkloadEvent {
            kind: WorkloadEventKind::CustomNotice {
                id: "17".into(),
                notice_type: "custom".into(),
                key: "example.com/foo".into(),
            },
            container: "demo-server".into(),
        })
    );
}

#[test]
fn workload_pebble_check_failed() {
    let vars = workload(
        "demo-server",
        "pebble-check-failed",
        &[("JUJU_PEBBLE_CHECK_NAME", "http-alive")],
    );
    assert_eq!(
        event(&vars),
        Event::Workload(WorkloadEvent {
            kind: WorkloadEventKind::CheckFailed {
                check: "http-alive".into()
            },
            container: "demo-server".into(),
        })
    );
}

#[test]
fn workload_pebble_check_recovered() {
    let vars = workload(
        "demo-server",
        "pebble-check-recovered",
        &[("JUJU_PEBBLE_CHECK_NAME", "http-alive")],
    );
    assert_eq!(
        event(&vars),
        Event::Workload(WorkloadEvent {
            kind: WorkloadEventKind::CheckRecovered {
                check: "http-alive".into()
            },
            container: "demo-server".into(),
        })
    );
}

#[test]
fn workload_container_named_like_pebble() {
    let vars = workload("web-pebble", "pebble-ready", &[]);
    assert_eq!(
        event(&vars),
        Event::Workload(WorkloadEvent {
            kind: WorkloadEventKind::PebbleReady,
            container: "web-pebble".into(),
        })
    );
}

#[test]
fn workload_missing_notice_key() {
    let vars = workload(
        "demo-server",
        "pebble-custom-notice",
        &[("JUJU_NOTICE_ID", "17"), ("JUJU_NOTICE_TYPE", "custom")],
    );
    assert_eq!(
        error(&vars),
        EnvError::Missing {
            var: "JUJU_NOTICE_KEY",
            hook: "demo-server-pebble-custom-notice".into()
        }
    );
}

#[test]
fn workload_missing_check_name() {
    let vars = workload("demo-server", "pebble-check-failed", &[]);
    assert_eq!(
        error(&vars),
        EnvError::Missing {
            var: "JUJU_PEBBLE_CHECK_NAME",
            hook: "demo-server-pebble-check-failed".into()
        }
    );
}

#[test]
fn workload_unknown_suffix() {
    let vars = workload("demo-server", "pebble-exploded", &[]);
    assert_eq!(
        error(&vars),
        EnvError::HookMismatch {
            var: "JUJU_WORKLOAD_NAME",
            value: "demo-server".into(),
            hook: "demo-server-pebble-exploded".into()
        }
    );
}

// ---- secret hooks ----------------------------------------------------------------------

fn sec(kind: SecretEventKind, label: Option<&str>, revision: Option<u64>) -> Event {
    Event::Secret(SecretEvent {
        kind,
        id: "secret:cq2a4dpc3cfc7p0fmb5g".into(),
        label: label.map(Into::into),
        revision,
    })
}

#[test]
fn secret_changed() {
    let vars = secret("changed", &[]);
    assert_eq!(
        event(&vars),
        sec(SecretEventKind::Changed, Some("db-password"), None)
    );
}

#[test]
fn secret_changed_with_revision_and_empty_label() {
    let vars = secret(
        "changed",
        &[("JUJU_SECRET_LABEL", ""), ("JUJU_SECRET_REVISION", "4")],
    );
    assert_eq!(event(&vars), sec(SecretEventKind::Changed, None, Some(4)));
}

#[test]
fn secret_rotate() {
    let vars = without(secret("rotate", &[]), &["JUJU_SECRET_LABEL"]);
    assert_eq!(event(&vars), sec(SecretEventKind::Rotate, None, None));
}

#[test]
fn secret_remove() {
    let vars = secret("remove", &[("JUJU_SECRET_REVISION", "3")]);
    assert_eq!(
        event(&vars),
        sec(SecretEventKind::Remove, Some("db-password"), Some(3))
    );
}

#[test]
fn secret_expired() {
    let vars = secret("expired", &[("JUJU_SECRET_REVISION", "9")]);
    assert_eq!(
        event(&vars),
        sec(SecretEventKind::Expired, Some("db-password"), Some(9))
    );
}

#[test]
fn secret_remove_missing_revision() {
    let vars = secret("remove", &[("JUJU_SECRET_REVISION", "")]);
    assert_eq!(
        error(&vars),
        EnvError::Missing {
            var: "JUJU_SECRET_REVISION",
            hook: "secret-remove".into()
        }
    );
}

#[test]
fn secret_expired_missing_revision() {
    let vars = secret("expired", &[]);
    assert_eq!(
        error(&vars),
        EnvError::Missing {
            var: "JUJU_SECRET_REVISION",
            hook: "secret-expired".into()
        }
    );
}

#[test]
fn secret_malformed_revision() {
    let vars = secret("remove", &[("JUJU_SECRET_REVISION", "-1")]);
    assert_eq!(
        error(&vars),
        EnvError::Malformed {
            var: "JUJU_SECRET_REVISION",
            value: "-1".into(),
            expected: "a non-negative integer"
        }
    );
}

#[test]
fn secret_id_with_non_secret_hook() {
    let vars = with(base("install"), &[("JUJU_SECRET_ID", "secret:abc")]);
    assert_eq!(
        error(&vars),
        EnvError::HookMismatch {
            var: "JUJU_SECRET_ID",
            value: "secret:abc".into(),
            hook: "install".into()
        }
    );
}

// ---- actions ---------------------------------------------------------------------------

#[test]
fn action_with_dashes() {
    let env = parse(&action("get-db-info")).unwrap().unwrap();
    assert_eq!(
        env.event,
        Event::Action(ActionEvent {
            name: "get-db-info".into(),
            id: "42".into(),
        })
    );
    assert_eq!(env.hook_name, "get-db-info");
    assert_eq!(env.dispatch_path, "actions/get-db-info");
}

#[test]
fn action_name_falls_back_to_dispatch_path() {
    let vars = without(action("get-db-info"), &["JUJU_ACTION_NAME"]);
    assert_eq!(
        event(&vars),
        Event::Action(ActionEvent {
            name: "get-db-info".into(),
            id: "42".into(),
        })
    );
}

#[test]
fn action_wins_over_context_variables() {
    let vars = with(action("backup"), &[("JUJU_RELATION", "db")]);
    assert!(matches!(event(&vars), Event::Action(_)));
}

#[test]
fn action_missing_uuid() {
    let vars = with(action("get-db-info"), &[("JUJU_ACTION_UUID", "")]);
    assert_eq!(
        error(&vars),
        EnvError::Missing {
            var: "JUJU_ACTION_UUID",
            hook: "get-db-info".into()
        }
    );
}

// ---- errors ----------------------------------------------------------------------------

#[test]
fn missing_unit_name() {
    for vars in [
        without(base("install"), &["JUJU_UNIT_NAME"]),
        with(base("install"), &[("JUJU_UNIT_NAME", "")]),
    ] {
        let err = error(&vars);
        assert_eq!(
            err,
            EnvError::Missing {
                var: "JUJU_UNIT_NAME",
                hook: "install".into()
            }
        );
        assert_eq!(
            err.to_string(),
            "JUJU_UNIT_NAME is not set, but hook `install` needs it"
        );
    }
}

#[test]
fn missing_model_name_and_uuid() {
    assert_eq!(
        error(&without(base("start"), &["JUJU_MODEL_NAME"])),
        EnvError::Missing {
            var: "JUJU_MODEL_NAME",
            hook: "start".into()
        }
    );
    assert_eq!(
        error(&without(base("start"), &["JUJU_MODEL_UUID"])),
        EnvError::Missing {
            var: "JUJU_MODEL_UUID",
            hook: "start".into()
        }
    );
}

#[test]
fn bad_unit_name() {
    for bad in [
        "myapp",
        "myapp/",
        "/0",
        "myapp/x",
        "myapp/0/1",
        "myapp/-1",
        "myapp/99999999999",
    ] {
        let err = error(&with(base("install"), &[("JUJU_UNIT_NAME", bad)]));
        assert_eq!(
            err,
            EnvError::Malformed {
                var: "JUJU_UNIT_NAME",
                value: bad.into(),
                expected: "`<app>/<unit-number>`"
            },
            "for {bad:?}"
        );
    }
}

#[test]
fn malformed_relation_id() {
    let err = error(&relation("db", "changed", &[("JUJU_RELATION_ID", "db:x")]));
    assert_eq!(
        err,
        EnvError::Malformed {
            var: "JUJU_RELATION_ID",
            value: "db:x".into(),
            expected: "`<endpoint>:<id>`"
        }
    );
    assert_eq!(
        err.to_string(),
        "JUJU_RELATION_ID=`db:x` is malformed: expected `<endpoint>:<id>`"
    );
    for bad in ["db:", "db", "db:-3", "db: 3", "db:3.0"] {
        assert!(
            matches!(
                error(&relation("db", "changed", &[("JUJU_RELATION_ID", bad)])),
                EnvError::Malformed {
                    var: "JUJU_RELATION_ID",
                    ..
                }
            ),
            "for {bad:?}"
        );
    }
}

#[test]
fn missing_departing_unit() {
    let vars = relation("db", "departed", &[("JUJU_REMOTE_UNIT", "postgresql/1")]);
    assert_eq!(
        error(&vars),
        EnvError::Missing {
            var: "JUJU_DEPARTING_UNIT",
            hook: "db-relation-departed".into()
        }
    );
}

#[test]
fn unknown_hook() {
    let err = error(&base("meter-status-exploded"));
    assert_eq!(
        err,
        EnvError::UnknownHook {
            hook: "meter-status-exploded".into()
        }
    );
    assert_eq!(err.to_string(), "unknown hook `meter-status-exploded`");
}

#[test]
fn mismatched_relation_prefix() {
    let mut vars = relation("db", "changed", &[]);
    vars.insert("JUJU_HOOK_NAME".into(), "cache-relation-changed".into());
    vars.insert(
        "JUJU_DISPATCH_PATH".into(),
        "hooks/cache-relation-changed".into(),
    );
    let err = error(&vars);
    assert_eq!(
        err,
        EnvError::HookMismatch {
            var: "JUJU_RELATION",
            value: "db".into(),
            hook: "cache-relation-changed".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "JUJU_RELATION=`db` does not match hook `cache-relation-changed`: \
         expected `db-relation-<created|joined|changed|departed|broken>`"
    );
}

#[test]
fn unknown_relation_suffix() {
    let vars = relation("db", "exploded", &[]);
    assert_eq!(
        error(&vars),
        EnvError::HookMismatch {
            var: "JUJU_RELATION",
            value: "db".into(),
            hook: "db-relation-exploded".into()
        }
    );
}

#[test]
fn relation_shaped_hook_without_relation_var() {
    assert_eq!(
        error(&base("db-relation-changed")),
        EnvError::Missing {
            var: "JUJU_RELATION",
            hook: "db-relation-changed".into()
        }
    );
    assert_eq!(
        error(&base("data-storage-attached")),
        EnvError::Missing {
            var: "JUJU_STORAGE_ID",
            hook: "data-storage-attached".into()
        }
    );
    assert_eq!(
        error(&base("web-pebble-ready")),
        EnvError::Missing {
            var: "JUJU_WORKLOAD_NAME",
            hook: "web-pebble-ready".into()
        }
    );
    assert_eq!(
        error(&base("secret-rotate")),
        EnvError::Missing {
            var: "JUJU_SECRET_ID",
            hook: "secret-rotate".into()
        }
    );
}

#[test]
fn hook_name_disagrees_with_dispatch_path() {
    let vars = with(base("install"), &[("JUJU_HOOK_NAME", "start")]);
    assert_eq!(
        error(&vars),
        EnvError::HookMismatch {
            var: "JUJU_HOOK_NAME",
            value: "start".into(),
            hook: "install".into()
        }
    );
}

#[test]
fn malformed_dispatch_path() {
    for bad in ["install", "hooks/", "actions/", "bin/install", "hooks/a/b"] {
        assert_eq!(
            error(&with(base("install"), &[("JUJU_DISPATCH_PATH", bad)])),
            EnvError::Malformed {
                var: "JUJU_DISPATCH_PATH",
                value: bad.into(),
                expected: "`hooks/<hook-name>` or `actions/<action-name>`"
            },
            "for {bad:?}"
        );
    }
}

#[test]
fn env_error_is_std_error() {
    let err: Box<dyn std::error::Error> = Box::new(EnvError::UnknownHook { hook: "x".into() });
    assert_eq!(err.to_string(), "unknown hook `x`");
}

// ---- what Juju would never send (issue 11) ----------------------------------------------
// Each of these was accepted, or quoted whole, before the names were checked.

fn error_text(vars: &HashMap<String, String>) -> String {
    match parse(vars) {
        Err(err) => err.to_string(),
        other => panic!("expected an error, got {other:?}"),
    }
}

/// Issue 11: `-x/0`-style names reached hook tools' argv as flags. Names of Juju's shapes
/// only, or an error naming the variable.
#[test]
fn a_unit_name_shaped_like_a_flag_is_refused() {
    for bad in [
        "-x/0", "--all/0", "My-App/0", "app-1/0", "myapp/01", "my app/0",
    ] {
        let text = error_text(&with(base("install"), &[("JUJU_UNIT_NAME", bad)]));
        assert!(text.starts_with("JUJU_UNIT_NAME="), "{bad}: {text}");
    }
    for bad in ["-x", "Postgres", "pg-1"] {
        let vars = relation("db", "changed", &[("JUJU_REMOTE_APP", bad)]);
        assert!(error_text(&vars).starts_with("JUJU_REMOTE_APP="), "{bad}");
    }
    let vars = relation("db", "joined", &[("JUJU_REMOTE_UNIT", "-x/0")]);
    assert!(error_text(&vars).starts_with("JUJU_REMOTE_UNIT="));
    let vars = relation(
        "db",
        "departed",
        &[
            ("JUJU_REMOTE_UNIT", "postgresql/1"),
            ("JUJU_DEPARTING_UNIT", "--x/1"),
        ],
    );
    assert!(error_text(&vars).starts_with("JUJU_DEPARTING_UNIT="));
}

/// Issue 11: `JUJU_RELATION=database` with `JUJU_RELATION_ID=fastapi-peer:0` wrote to
/// `database:0`.
#[test]
fn a_relation_id_of_another_endpoint_is_refused() {
    // JUJU_RELATION=database with JUJU_RELATION_ID=fastapi-peer:0 wrote to `database:0`.
    let vars = relation(
        "database",
        "changed",
        &[("JUJU_RELATION_ID", "fastapi-peer:0")],
    );
    assert_eq!(
        error_text(&vars),
        "JUJU_RELATION_ID=`fastapi-peer:0` contradicts JUJU_RELATION: expected `database:<id>`"
    );
    let vars = relation("db", "changed", &[("JUJU_RELATION", "-db")]);
    assert!(error_text(&vars).starts_with("JUJU_RELATION=`-db` is malformed"));
}

/// Issue 11: `JUJU_ACTION_NAME` was not checked against the `actions/<name>` dispatch path.
#[test]
fn an_action_name_other_than_the_dispatch_paths_is_refused() {
    let vars = with(action("restore"), &[("JUJU_ACTION_NAME", "backup")]);
    assert_eq!(
        error_text(&vars),
        "JUJU_ACTION_NAME=`backup` contradicts JUJU_DISPATCH_PATH: expected `restore`, the action of `actions/restore`"
    );
    let vars = action("-x");
    assert!(error_text(&vars).starts_with("JUJU_DISPATCH_PATH=`actions/-x` is malformed"));
}

/// Issue 11 (the class): every other id Juju passes has Juju's shape.
#[test]
fn other_ids_have_juju_shapes() {
    let vars = with(action("backup"), &[("JUJU_ACTION_UUID", "-1")]);
    assert!(error_text(&vars).starts_with("JUJU_ACTION_UUID="));
    let vars = with(base("secret-changed"), &[("JUJU_SECRET_ID", "--peek")]);
    assert!(error_text(&vars).starts_with("JUJU_SECRET_ID="));
    let vars = with(
        base("data-storage-attached"),
        &[("JUJU_STORAGE_ID", "-x/0")],
    );
    assert!(error_text(&vars).starts_with("JUJU_STORAGE_ID="));
    let vars = with(base("install"), &[("JUJU_DISPATCH_PATH", "hooks/-x")]);
    assert!(error_text(&vars).starts_with("JUJU_DISPATCH_PATH="));
}

/// Issue 11: a 100 KB variable gave a 200 KB error line; now at most a 64-byte prefix, on
/// one line.
#[test]
fn errors_quote_a_bounded_prefix_of_a_huge_value() {
    let huge = format!("{}/0", "A".repeat(100_000));
    let text = error_text(&with(base("install"), &[("JUJU_UNIT_NAME", &huge)]));
    assert!(text.len() < 300, "{} bytes", text.len());
    assert!(text.contains("...[100002 bytes]"), "{text}");
    let huge_hook = format!("hooks/{}", "x".repeat(100_000));
    let text = error_text(&with(
        base("install"),
        &[("JUJU_DISPATCH_PATH", &huge_hook), ("JUJU_HOOK_NAME", "")],
    ));
    assert!(text.len() < 300, "{} bytes: {}", text.len(), &text[..200]);
    let multiline = relation(
        "db",
        "changed",
        &[("JUJU_RELATION_ID", "db:1\nERROR forged")],
    );
    assert!(!error_text(&multiline).contains('\n'));
}

/// Issue 11: a non-UTF-8 `JUJU_UNIT_NAME` was turned lossy and used.
#[test]
fn a_value_that_is_not_utf8_is_an_error_naming_its_variable() {
    use std::ffi::OsString;
    use std::os::unix::ffi::OsStringExt;
    let vars = base("install");
    let get = |var: &str| -> Option<OsString> {
        if var == "JUJU_UNIT_NAME" {
            Some(OsString::from_vec(b"my\xffapp/0".to_vec()))
        } else {
            vars.get(var).cloned().map(OsString::from)
        }
    };
    let err = HookEnv::from_os_vars(get).unwrap_err();
    assert_eq!(
        err,
        EnvError::NotUnicode {
            var: "JUJU_UNIT_NAME",
            bytes: 8
        }
    );
    assert_eq!(
        err.to_string(),
        "JUJU_UNIT_NAME is not valid UTF-8 (8 bytes): Juju only sends UTF-8"
    );
}
