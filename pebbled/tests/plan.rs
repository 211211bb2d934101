//! Layer parsing, combining and plan validation, as behaviour: the interesting cases of
//! Pebble's `internals/plan/plan_test.go` and `planstate/manager_test.go`.

use std::sync::Arc;

use charm_runtime::pebble::layer::{Override, Startup};
use pebbled::plan::{parse_layer, start_order, stop_order, LayerError};
use pebbled::{ManualClock, Pebble, Timestamp};

fn pebble() -> Pebble {
    Pebble::new(Arc::new(ManualClock::new(Timestamp::from_unix_secs(
        1_700_000_000,
    ))))
}

fn format_error(result: Result<(), LayerError>) -> String {
    match result {
        Err(LayerError::Format(message)) => message,
        other => panic!("expected a format error, got {other:?}"),
    }
}

const BASE: &str = r#"
summary: Simple layer
description: A simple layer.
services:
  srv1:
    override: replace
    summary: Service summary
    command: cmd arg1 "arg2 arg3"
    kill-delay: 10s
    startup: enabled
    after: [srv2]
    before: [srv3]
    requires: [srv2, srv3]
    environment: {var1: val1, var0: val0, var2: val2}
    backoff-delay: 1s
    backoff-factor: 1.5
    backoff-limit: 10s
    working-dir: /workdir/srv1
  srv2:
    override: replace
    startup: enabled
    command: cmd
    before: [srv3]
    working-dir: /workdir/srv2
  srv3:
    override: replace
    command: cmd
  srv6:
    override: replace
    command: cmd6a
"#;

const OVERRIDE: &str = r#"
summary: Simple override layer.
services:
  srv1:
    override: merge
    environment: {var3: val3}
    after: [srv4]
    before: [srv5]
    working-dir: /workdir/srv1/override
  srv2:
    override: replace
    startup: disabled
    command: cmd
    summary: Replaced service
  srv4:
    override: replace
    command: cmd
    startup: enabled
  srv5:
    override: replace
    command: cmd
  srv6:
    override: merge
    command: cmd6b
    environment: {foo: bar}
    on-check-failure: {chk1: restart}
"#;

#[test]
fn merge_keeps_set_fields_appends_lists_and_replace_starts_over() {
    let mut p = pebble();
    p.add_layer_yaml("layer-0", BASE, false).unwrap();
    p.add_layer_yaml("layer-1", OVERRIDE, false).unwrap();
    let plan = p.plan();
    let srv1 = &plan.services["srv1"];
    assert_eq!(srv1.command, r#"cmd arg1 "arg2 arg3""#);
    assert_eq!(
        srv1.override_,
        Some(Override::Replace),
        "merge keeps the first override"
    );
    assert_eq!(srv1.after, ["srv2", "srv4"]);
    assert_eq!(srv1.before, ["srv3", "srv5"]);
    assert_eq!(srv1.requires, ["srv2", "srv3"]);
    assert_eq!(srv1.environment.len(), 4);
    assert_eq!(srv1.working_dir, "/workdir/srv1/override");
    assert_eq!(srv1.kill_delay, Some(std::time::Duration::from_secs(10)));
    assert_eq!(srv1.backoff_factor, Some(1.5));
    let srv2 = &plan.services["srv2"];
    assert_eq!(srv2.summary, "Replaced service");
    assert_eq!(srv2.startup, Some(Startup::Disabled));
    assert!(
        srv2.before.is_empty() && srv2.working_dir.is_empty(),
        "replace drops the old entry"
    );
    let srv6 = &plan.services["srv6"];
    assert_eq!(srv6.command, "cmd6b");
    assert_eq!(srv6.on_check_failure.len(), 1);
    assert_eq!(
        p.layers()
            .iter()
            .map(|l| (l.order, l.label.as_str()))
            .collect::<Vec<_>>(),
        [(1000, "layer-0"), (2000, "layer-1")]
    );

    // Start and stop orders (plan_test.go's expectations for this plan).
    let names = |v: Vec<Vec<String>>| v.into_iter().flatten().collect::<Vec<_>>();
    assert_eq!(
        names(start_order(plan, &["srv1".into()]).unwrap()),
        ["srv2", "srv1", "srv3"]
    );
    assert_eq!(names(stop_order(plan, &["srv1".into()]).unwrap()), ["srv1"]);
    assert_eq!(
        names(stop_order(plan, &["srv2".into()]).unwrap()),
        ["srv1", "srv2"]
    );
    assert_eq!(
        start_order(plan, &["nope".into()]).unwrap_err(),
        "service \"nope\" does not exist"
    );
}

#[test]
fn combine_merges_into_the_label_and_appends_when_missing() {
    let mut p = pebble();
    p.add_layer_yaml(
        "base",
        "services:\n  a:\n    override: replace\n    command: a\n",
        false,
    )
    .unwrap();
    p.add_layer_yaml(
        "top",
        "services:\n  b:\n    override: replace\n    command: b\n",
        false,
    )
    .unwrap();
    p.add_layer_yaml(
        "base",
        "services:\n  a:\n    override: merge\n    environment: {X: '1'}\n",
        true,
    )
    .unwrap();
    assert_eq!(p.layers().len(), 2, "combined into the existing layer");
    assert_eq!(p.layers()[0].layer.services["a"].environment["X"], "1");
    assert_eq!(p.layers()[0].layer.services["a"].command, "a");
    p.add_layer_yaml("new", "summary: x\n", true).unwrap();
    assert_eq!(
        p.layers().last().unwrap().order,
        3000,
        "combine without the label appends"
    );
    let err = p
        .add_layer_yaml("top", "summary: again\n", false)
        .unwrap_err();
    assert_eq!(err, LayerError::LabelExists("top".into()));
    assert_eq!(err.message(), "layer \"top\" already exists");
}

#[test]
fn layer_errors_are_pebbles() {
    let cases: [(&str, &str); 17] = [
        ("services:\n  svc:\n    command: x\n", r#"layer "l" must define "override" for service "svc""#),
        ("services:\n  svc:\n    override: sideways\n    command: x\n", r#"layer "l" has invalid "override" value for service "svc""#),
        ("checks:\n  c:\n    http: {url: x}\n", r#"layer "l" must define "override" for check "c""#),
        ("services:\n  svc:\n    override: replace\n", r#"plan must define "command" for service "svc""#),
        ("services:\n  pebble:\n    override: replace\n    command: x\n", r#"cannot use reserved service name "pebble""#),
        ("services:\n  -svc:\n    override: replace\n    command: x\n", r#"cannot use service name "-svc": starting with "-" not allowed"#),
        ("services:\n  svc:\n", r#"service object cannot be null for service "svc""#),
        ("services:\n  svc:\n    override: replace\n    command: x\n    on-success: foo\n", r#"plan service "svc" on-success action "foo" invalid"#),
        ("services:\n  svc:\n    override: replace\n    command: x\n    on-failure: failure-shutdown\n", r#"plan service "svc" on-failure action "failure-shutdown" invalid"#),
        ("services:\n  svc:\n    override: replace\n    command: x\n    backoff-delay: foo\n", r#"cannot parse layer "l" section "services": invalid duration "foo""#),
        ("services:\n  svc:\n    override: replace\n    command: x\n    backoff-factor: 0.5\n", r#"plan service "svc" backoff-factor must be 1.0 or greater, not 0.5"#),
        ("services:\n  svc:\n    override: replace\n    command: x\n    backoff-factor: foo\n", r#"cannot parse layer "l" section "services": invalid floating-point number "foo""#),
        ("services:\n  svc:\n    override: replace\n    command: cmd [ a ] b\n", r#"plan service "svc" command invalid: cannot parse service "svc" command: cannot have any arguments after [ ... ] group"#),
        ("services:\n  a:\n    override: replace\n    command: x\n    after: [b]\n  b:\n    override: replace\n    command: x\n    after: [a]\n", "services in before/after loop: a, b"),
        ("checks:\n  c:\n    override: replace\n    level: sideways\n    http: {url: x}\n", r#"plan check "c" level must be "alive" or "ready""#),
        ("checks:\n  c:\n    override: replace\n", r#"plan must specify one of "http", "tcp", or "exec" for check "c""#),
        ("workloads: {}\n", r#"cannot parse layer "l": unknown section "workloads""#),
    ];
    for (yaml, message) in cases {
        let mut p = pebble();
        assert_eq!(
            format_error(p.add_layer_yaml("l", yaml, false)),
            message,
            "{yaml}"
        );
        assert!(p.layers().is_empty(), "a failed add changes nothing");
    }
    let unknown = format_error(
        parse_layer(
            "l",
            "services:\n  s:\n    override: replace\n    comand: x\n",
        )
        .map(|_| ()),
    );
    assert!(
        unknown.contains("field comand not found in type plan.Service"),
        "{unknown}"
    );
    assert_eq!(
        format_error(parse_layer("pebble-x", "{}").map(|_| ())),
        r#"cannot use reserved label prefix "pebble-""#
    );
    assert!(format_error(parse_layer("l", "services: [").map(|_| ()))
        .starts_with("cannot parse layer \"l\": yaml:"));
}

#[test]
fn the_plan_yaml_has_pebbles_defaults() {
    let mut p = pebble();
    p.add_layer_yaml(
        "l",
        "checks:\n  up:\n    override: replace\n    tcp: {port: 80}\n",
        false,
    )
    .unwrap();
    let yaml = p.plan_yaml();
    assert!(yaml.contains("threshold: 3"), "{yaml}");
    assert!(
        !yaml.contains("period"),
        "unset durations stay unset: {yaml}"
    );
    assert_eq!(pebble().plan_yaml(), "{}\n");
}
