use crate::pebble::*;
use std::time::Duration;

const FULL: &str = r#"
summary: full layer
description: every field
services:
  srv:
    summary: a service
    description: long
    startup: enabled
    override: replace
    command: /bin/srv --flag [ --default ]
    after: [a]
    before: [b]
    requires: [c]
    environment:
      K: V
    user-id: 1000
    user: alice
    group-id: 1001
    group: staff
    working-dir: /srv
    on-success: ignore
    on-failure: restart
    on-check-failure:
      up: shutdown
    backoff-delay: 1s
    backoff-factor: 1.5
    backoff-limit: 1m0s
    kill-delay: 10s
checks:
  up:
    override: merge
    level: alive
    startup: disabled
    period: 5s
    timeout: 500ms
    threshold: 4
    http:
      url: http://localhost:8080/
      headers:
        X-A: b
  port:
    override: replace
    tcp:
      port: 8080
      host: 127.0.0.1
  run:
    override: replace
    level: ready
    exec:
      command: /bin/true
      service-context: srv
      environment:
        A: B
      user-id: 1
      user: u
      group-id: 2
      group: g
      working-dir: /tmp
log-targets:
  loki:
    override: replace
    type: loki
    location: http://loki:3100/loki/api/v1/push
    services: [all, -srv]
    labels:
      env: prod
"#;

#[test]
fn every_field_reads_and_round_trips() {
    let layer = Layer::from_yaml(FULL).unwrap();
    let srv = &layer.services["srv"];
    assert_eq!(srv.startup, Some(Startup::Enabled));
    assert_eq!(srv.override_, Some(Override::Replace));
    assert_eq!(srv.command, "/bin/srv --flag [ --default ]");
    assert_eq!(
        (&srv.after, &srv.before, &srv.requires),
        (
            &vec!["a".to_string()],
            &vec!["b".to_string()],
            &vec!["c".to_string()]
        )
    );
    assert_eq!(srv.environment["K"], "V");
    assert_eq!((srv.user_id, srv.group_id), (Some(1000), Some(1001)));
    assert_eq!((srv.user.as_str(), srv.group.as_str()), ("alice", "staff"));
    assert_eq!(srv.working_dir, "/srv");
    assert_eq!(srv.on_success, Some(ServiceAction::Ignore));
    assert_eq!(srv.on_failure, Some(ServiceAction::Restart));
    assert_eq!(srv.on_check_failure["up"], ServiceAction::Shutdown);
    assert_eq!(srv.backoff_delay, Some(Duration::from_secs(1)));
    assert_eq!(srv.backoff_factor, Some(1.5));
    assert_eq!(srv.backoff_limit, Some(Duration::from_secs(60)));
    assert_eq!(srv.kill_delay, Some(Duration::from_secs(10)));
    let up = &layer.checks["up"];
    assert_eq!(up.level, Some(CheckLevel::Alive));
    assert_eq!(up.startup, Some(Startup::Disabled));
    assert_eq!(up.period, Some(Duration::from_secs(5)));
    assert_eq!(up.timeout, Some(Duration::from_millis(500)));
    assert_eq!(up.threshold, Some(4));
    assert_eq!(up.http.as_ref().unwrap().headers["X-A"], "b");
    let tcp = layer.checks["port"].tcp.as_ref().unwrap();
    assert_eq!((tcp.port, tcp.host.as_str()), (Some(8080), "127.0.0.1"));
    let exec = layer.checks["run"].exec.as_ref().unwrap();
    assert_eq!(exec.service_context, "srv");
    assert_eq!((exec.user_id, exec.group_id), (Some(1), Some(2)));
    let loki = &layer.log_targets["loki"];
    assert_eq!(loki.type_, Some(LogTargetType::Loki));
    assert_eq!(loki.services, ["all", "-srv"]);
    assert!(layer.unknown_fields().is_empty());

    let again = Layer::from_yaml(&layer.to_yaml().unwrap()).unwrap();
    assert_eq!(again, layer);
    // The YAML is what Pebble reads: compare as generic values with the input.
    let a: serde_yaml::Value = serde_yaml::from_str(FULL).unwrap();
    let b: serde_yaml::Value = serde_yaml::from_str(&layer.to_yaml().unwrap()).unwrap();
    assert_eq!(a, b);
}

#[test]
fn builders_write_the_yaml_ops_writes() {
    let layer = Layer::new()
        .summary("demo")
        .service(
            "web",
            Service::new("/bin/web")
                .enabled()
                .env("PORT", "8080")
                .after("db")
                .on_check_failure("up", ServiceAction::Restart)
                .kill_delay(Duration::from_millis(1500)),
        )
        .check(
            "up",
            Check::http("http://localhost:8080/")
                .level(CheckLevel::Ready)
                .header("Host", "x")
                .period(Duration::from_secs(90)),
        )
        .check("tcp", Check::tcp(22).host("db"))
        .log_target(
            "l",
            LogTarget::new(LogTargetType::Syslog, "udp://x:514")
                .service("all")
                .label("a", "b"),
        );
    let expected = "\
summary: demo
services:
  web:
    startup: enabled
    override: replace
    command: /bin/web
    after:
    - db
    environment:
      PORT: '8080'
    on-check-failure:
      up: restart
    kill-delay: 1.5s
checks:
  tcp:
    override: replace
    tcp:
      port: 22
      host: db
  up:
    override: replace
    level: ready
    period: 1m30s
    http:
      url: http://localhost:8080/
      headers:
        Host: x
log-targets:
  l:
    type: syslog
    location: udp://x:514
    services:
    - all
    override: replace
    labels:
      a: b
";
    assert_eq!(layer.to_yaml().unwrap(), expected);
}

#[test]
fn empty_and_null_documents_are_empty() {
    for text in ["", "\n", "~", "null", "{}", "services:\nchecks: ~\n"] {
        assert_eq!(
            Layer::from_yaml(text).unwrap(),
            Layer::default(),
            "{text:?}"
        );
        assert_eq!(Plan::from_yaml(text).unwrap(), Plan::default(), "{text:?}");
    }
    assert_eq!(Layer::default().to_yaml().unwrap(), "{}\n");
}

#[test]
fn unknown_fields_and_values_are_kept() {
    let text = "\
workloads:
  w: {user: x}
services:
  s:
    override: merge
    comand: oops
    startup: sometimes
checks:
  c:
    override: replace
    http: {url: 'http://x/', uri: y}
log-targets:
  t: {override: replace, type: fluentd, foo: 1}
";
    let layer = Layer::from_yaml(text).unwrap();
    assert_eq!(
        layer.services["s"].startup,
        Some(Startup::Other("sometimes".into()))
    );
    assert_eq!(
        layer.log_targets["t"].type_,
        Some(LogTargetType::Other("fluentd".into()))
    );
    let unknown: Vec<(String, Option<&str>)> = layer
        .unknown_fields()
        .into_iter()
        .map(|u| (u.path, u.pebble_type))
        .collect();
    assert_eq!(
        unknown,
        [
            ("workloads".to_string(), None),
            ("services.s.comand".to_string(), Some("plan.Service")),
            ("checks.c.http.uri".to_string(), Some("plan.HTTPCheck")),
            ("log-targets.t.foo".to_string(), Some("plan.LogTarget")),
        ]
    );
    // Written back unchanged.
    let again = Layer::from_yaml(&layer.to_yaml().unwrap()).unwrap();
    assert_eq!(again, layer);
}

#[test]
fn bad_layers_are_errors_naming_the_field() {
    let cases = [
        (
            "services:\n  s:\n    backoff-delay: 10\n",
            "services.s.backoff-delay: invalid duration \"10\"",
        ),
        (
            "services:\n  s:\n    kill-delay: [1]\n",
            "services.s.kill-delay: duration must be a YAML string, got a list",
        ),
        (
            "services: [a, b]",
            "services: expected a mapping, got a list",
        ),
        (
            "services:\n  s:\n    user-id: -1\n",
            "services.s.user-id: expected an integer from 0 to 4294967295, got -1",
        ),
        (
            "services:\n  s:\n    after: a\n",
            "services.s.after: expected a list of strings, got a string",
        ),
        (
            "services:\n  s:\n    after: [{x: 1}]\n",
            "services.s.after[0]: expected a string, got a mapping",
        ),
        (
            "services:\n  s:\n    environment: {A: [1]}\n",
            "services.s.environment.A: expected a string, got a list",
        ),
        (
            "services:\n  s:\n    backoff-factor: fast\n",
            "services.s.backoff-factor: expected a number, got a string",
        ),
        (
            "checks:\n  c:\n    tcp: {port: 70000}\n",
            "checks.c.tcp.port: expected an integer from 0 to 65535, got 70000",
        ),
        (
            "checks:\n  c: 3\n",
            "checks.c: expected a mapping, got a number",
        ),
        ("- a\n- b\n", "the document: expected a mapping, got a list"),
    ];
    for (text, expected) in cases {
        let e = Layer::from_yaml(text).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("invalid Pebble layer YAML: {expected}"),
            "{text}"
        );
    }
    let e = Plan::from_yaml("checks:\n  c:\n    threshold: many\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid Pebble plan YAML: checks.c.threshold: expected an integer from 0 to 4294967295, got \"many\""
    );
    let e = Layer::from_yaml(": : :").unwrap_err();
    assert!(
        e.to_string().starts_with("invalid Pebble layer YAML: "),
        "{e}"
    );
}

#[test]
fn scalars_read_as_text_as_go_reads_them() {
    let layer = Layer::from_yaml(
        "summary: 123\nservices:\n  s:\n    command: true\n    environment: {PORT: 8080, ON: yes}\n",
    )
    .unwrap();
    assert_eq!(layer.summary, "123");
    assert_eq!(layer.services["s"].command, "true");
    assert_eq!(layer.services["s"].environment["PORT"], "8080");
}

#[test]
fn layers_deserialize_from_any_serde_format() {
    // The server reads request bodies and stored plans with serde.
    let json = serde_json::json!({"services": {"s": {"override": "merge", "kill-delay": "2s"}},
                                  "checks": {"c": {"override": "replace", "tcp": {"port": 80}}}});
    let layer: Layer = serde_json::from_value(json).unwrap();
    assert_eq!(layer.services["s"].kill_delay, Some(Duration::from_secs(2)));
    assert_eq!(layer.checks["c"].tcp.as_ref().unwrap().port, Some(80));
    let service: Service = serde_yaml::from_str("command: x\nfoo: 1\n").unwrap();
    assert_eq!(service.extra["foo"], 1);
    let err = serde_json::from_value::<Check>(serde_json::json!({"threshold": -2})).unwrap_err();
    assert_eq!(
        err.to_string(),
        "threshold: expected an integer from 0 to 4294967295, got -2"
    );
}

#[test]
fn a_plan_as_pebble_writes_it_reads() {
    // Go's yaml.v3 indents by four and quotes nothing it need not.
    let text = "\
services:
    srv:
        summary: s
        startup: enabled
        override: replace
        command: sleep 1000
        backoff-delay: 500ms
        backoff-factor: 2
checks:
    chk:
        override: replace
        level: alive
        period: 10s
        timeout: 3s
        threshold: 3
        exec:
            command: /bin/true
";
    let plan = Plan::from_yaml(text).unwrap();
    assert_eq!(plan.services["srv"].backoff_factor, Some(2.0));
    assert_eq!(
        plan.services["srv"].backoff_delay,
        Some(Duration::from_millis(500))
    );
    assert_eq!(plan.checks["chk"].threshold, Some(3));
    assert!(plan.extra.is_empty());
}
