//! What every tool shares: unknown tools, flag parsing, restricted contexts, call
//! records, and commit (including that a failed hook, which does not commit, keeps its
//! statuses).

use super::{bag, err, hook, world, T};
use crate::CallRecord;

#[test]
fn unknown_tool() {
    let mut t = T::start();
    assert_eq!(t.fail(&["leader-set", "a=b"]), err(1, "unknown command"));
    assert_eq!(t.fail(&["rm", "-rf"]), err(1, "unknown command"));
}

#[test]
fn flag_errors_are_usage_errors() {
    let mut t = T::start();
    assert_eq!(
        t.fail(&["is-leader", "--bogus"]),
        err(2, "flag provided but not defined: --bogus")
    );
    assert_eq!(
        t.fail(&["is-leader", "-x"]),
        err(2, "flag provided but not defined: -x")
    );
    assert_eq!(
        t.fail(&["status-set", "--format=json", "active"]),
        err(2, "flag provided but not defined: --format")
    );
    assert_eq!(
        t.fail(&["config-get", "--format"]),
        err(2, "flag needs an argument: --format")
    );
    assert_eq!(
        t.fail(&["config-get", "--format=toml"]),
        err(
            2,
            "invalid value \"toml\" for option --format: unknown format \"toml\""
        )
    );
}

#[test]
fn double_dash_ends_flags_and_flags_may_follow_positionals() {
    let mut t = T::start();
    t.ok(&["juju-log", "--", "--log-level", "x"]);
    assert_eq!(
        t.h.logs[0],
        ("INFO".to_string(), "--log-level x".to_string())
    );
    assert_eq!(t.ok(&["config-get", "port", "--format", "json"]), "8080\n");
    assert_eq!(
        t.ok(&["config-get", "--format", "json", "--", "port"]),
        "8080\n"
    );
}

#[test]
fn help_prints_usage_and_succeeds() {
    let mut t = T::start();
    let out = t.run(&["relation-get", "--help"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.starts_with("Usage: relation-get"), "{out:?}");
}

#[test]
fn restricted_context_allows_only_logging_and_opened_ports() {
    let mut w = world();
    w.opened_ports.insert("80/tcp".into());
    let mut h = hook("collect-metrics");
    h.info.restricted = true;
    let mut t = T::new(w, h);
    for argv in [
        &["relation-ids", "db"][..],
        &["relation-get", "-r", "4", "-", "pg/0"],
        &["relation-set", "-r", "4", "a=b"],
        &["relation-list", "-r", "4"],
        &["config-get"],
        &["is-leader"],
        &["status-get"],
        &["status-set", "active"],
        &["state-get"],
        &["state-set", "a=b"],
        &["secret-ids"],
        &["network-get", "db"],
        &["open-port", "80"],
        &["goal-state"],
        &["application-version-set", "1"],
        &["storage-list"],
        &["action-get"],
    ] {
        assert_eq!(
            t.fail(argv),
            err(1, "not implemented for restricted context"),
            "{argv:?}"
        );
    }
    t.ok(&["juju-log", "--log-level", "INFO", "--", "metrics"]);
    assert_eq!(t.h.logs, vec![("INFO".to_string(), "metrics".to_string())]);
    assert_eq!(t.ok(&["opened-ports", "--format=json"]), "[]\n");
    assert!(t.h.relation_writes.is_empty() && t.h.state_writes.is_empty());
}

#[test]
fn every_call_is_recorded() {
    let mut t = T::start();
    t.run_stdin(
        &["relation-set", "-r", "4", "--file", "-"],
        Some("{\"a\":\"b\"}"),
    );
    t.run(&["status-set", "bogus"]);
    assert_eq!(
        t.h.calls,
        vec![
            CallRecord {
                argv: ["relation-set", "-r", "4", "--file", "-"]
                    .map(String::from)
                    .to_vec(),
                stdin: Some("{\"a\":\"b\"}".into()),
                code: 0,
                stderr: String::new(),
            },
            CallRecord {
                argv: ["status-set", "bogus"].map(String::from).to_vec(),
                stdin: None,
                code: 2,
                stderr: "ERROR invalid status \"bogus\", expected one of [maintenance blocked waiting active]\n".into(),
            },
        ]
    );
}

#[test]
fn a_failed_hook_does_not_commit_but_keeps_its_statuses() {
    let mut t = T::start();
    t.ok(&["status-set", "maintenance", "--", "working"]);
    t.ok(&["relation-set", "-r", "4", "k=v"]);
    t.ok(&["state-set", "k=v"]);
    t.ok(&["open-port", "80"]);
    t.ok(&["secret-add", "abc=x"]);
    // The hook fails: the caller does not call commit.
    let before = world();
    assert_eq!(t.w.relations, before.relations);
    assert_eq!(t.w.state, before.state);
    assert_eq!(t.w.opened_ports, before.opened_ports);
    assert_eq!(t.w.secrets, before.secrets);
    assert_eq!(t.w.unit_status.status, "maintenance");
}

#[test]
fn commit_applies_everything_staged() {
    let mut t = T::start();
    t.w.opened_ports.insert("443/tcp".into());
    t.w.state = bag(&[("gone", "1")]);
    t.ok(&["relation-set", "-r", "4", "k=v"]);
    t.ok(&["relation-set", "-r", "1", "--app", "shared="]);
    t.ok(&["state-set", "k=v"]);
    t.ok(&["state-delete", "gone"]);
    t.ok(&["open-port", "80"]);
    t.ok(&["close-port", "443"]);
    t.ok(&["open-port", "81"]);
    t.ok(&["close-port", "81"]);
    let uri = t.ok(&["secret-add", "abc=x"]);
    t.commit();
    assert_eq!(
        t.rel(4).local_unit_data,
        bag(&[("ingress", "10.1.0.5"), ("k", "v")])
    );
    assert!(t.rel(1).local_app_data.is_empty() && t.rel(1).remote_app_data.is_empty());
    assert_eq!(t.w.state, bag(&[("k", "v")]));
    assert_eq!(t.w.opened_ports.iter().collect::<Vec<_>>(), ["80/tcp"]);
    assert_eq!(t.w.secrets.len(), 1);
    assert_eq!(format!("{}\n", t.w.secrets[0].id), uri);
}

#[test]
fn world_and_hook_round_trip_through_json_and_old_files_still_load() {
    let mut t = T::start();
    t.ok(&["relation-set", "-r", "4", "k=v"]);
    t.ok(&["storage-add", "data=2"]);
    let w: crate::UnitWorld = serde_json::from_str(&serde_json::to_string(&t.w).unwrap()).unwrap();
    assert_eq!(w, t.w);
    let h: crate::HookContext =
        serde_json::from_str(&serde_json::to_string(&t.h).unwrap()).unwrap();
    assert_eq!(h, t.h);
    // Files written before the additive fields existed still load.
    let mut v = serde_json::to_value(&t.w).unwrap();
    let o = v.as_object_mut().unwrap();
    for k in [
        "other_unit_statuses",
        "unset_config_options",
        "cloud_spec",
        "secret_seq",
    ] {
        o.remove(k).unwrap();
    }
    for r in o["relations"].as_array_mut().unwrap() {
        r.as_object_mut().unwrap().remove("remote_model_uuid");
    }
    let _: crate::UnitWorld = serde_json::from_value(v).unwrap();
}

/// The one-pass application-name check against the rule as written (split at hyphens),
/// on every string of up to five characters over letters, digits, hyphens and others.
#[test]
fn application_names_by_the_rule() {
    fn by_rule(name: &str) -> bool {
        let mut segments = name.split('-');
        let first = segments.next().unwrap_or("");
        let ok_chars = |s: &str| {
            s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        };
        first.starts_with(|c: char| c.is_ascii_lowercase())
            && ok_chars(first)
            && segments
                .all(|s| !s.is_empty() && ok_chars(s) && s.chars().any(|c| c.is_ascii_lowercase()))
    }
    let alphabet = ['a', 'z', '0', '9', '-', 'A', '_', '/', 'é'];
    let mut level = vec![String::new()];
    let mut seen = 0;
    for _ in 0..=5 {
        for w in &level {
            assert_eq!(crate::tools::valid_app(w), by_rule(w), "{w:?}");
            seen += 1;
        }
        level = level
            .iter()
            .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
            .collect();
    }
    assert_eq!(seen, (0..=5).map(|n| 9_usize.pow(n)).sum::<usize>());
}
