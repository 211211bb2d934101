//! Bad input (issue §6): each case gets a one-line `ERROR ...` naming the problem, a
//! non-zero exit, and the model is left exactly as it was.

mod common;

use common::*;

/// Runs a bad command: exactly one stderr line, starting `ERROR `, containing `expect`;
/// the exit code is `code`; model.json is byte for byte unchanged.
fn refused(m: &Model, args: &[&str], code: i32, expect: &str) {
    let before = m.model_bytes();
    let r = m.sim(args);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{args:?}: not one line:\n{}", r.stderr);
    assert!(lines[0].starts_with("ERROR "), "{args:?}: {}", lines[0]);
    assert!(
        lines[0].contains(expect),
        "{args:?}: {:?} not in {}",
        expect,
        lines[0]
    );
    assert_eq!(r.code, code, "{args:?}: {}", lines[0]);
    assert!(r.stdout.is_empty(), "{args:?}: printed {}", r.stdout);
    assert_eq!(m.model_bytes(), before, "{args:?} changed the model");
}

fn deployed(name: &str) -> Model {
    let m = Model::new(name);
    m.sim(&["deploy", demo_charm().to_str().unwrap(), "-n", "2"])
        .ok();
    m
}

#[test]
fn unknown_names_are_refused() {
    let m = deployed("bad-names");
    let unit = r#"unit "demo-api-charm/7" not found (units: demo-api-charm/0, demo-api-charm/1)"#;
    refused(&m, &["delete-pod", "demo-api-charm/7"], 1, unit);
    refused(&m, &["show-unit", "demo-api-charm/7"], 1, unit);
    refused(&m, &["leader", "demo-api-charm/7"], 1, unit);
    refused(
        &m,
        &["dispatch", "nope/0", "start"],
        1,
        r#"unit "nope/0" not found"#,
    );
    refused(&m, &["run", "demo-api-charm/7", "get-db-info"], 1, unit);
    refused(
        &m,
        &["debug-log", "--unit", "x/1"],
        1,
        r#"unit "x/1" not found"#,
    );

    let endpoint = r#"application "demo-api-charm" has no endpoint "db" (endpoints: fastapi-peer, grafana-dashboard, metrics-endpoint, database, logging)"#;
    refused(&m, &["relate", "db", "postgresql"], 1, endpoint);
    refused(&m, &["unrelate", "db", "postgresql"], 1, endpoint);
    refused(&m, &["set-data", "db", "postgresql", "a=b"], 1, endpoint);
    refused(
        &m,
        &["relate", "fastapi-peer", "x"],
        1,
        "is a peer endpoint",
    );
    refused(
        &m,
        &["unrelate", "database", "postgresql"],
        1,
        r#"demo-api-charm is not related to "postgresql" on endpoint "database""#,
    );
    refused(
        &m,
        &["relate", "database", "Bad_Name"],
        1,
        r#"invalid application name "Bad_Name""#,
    );

    refused(
        &m,
        &["run", "demo-api-charm/0", "get-password"],
        1,
        r#"action "get-password" not defined for demo-api-charm (actions: get-db-info)"#,
    );
    refused(
        &m,
        &[
            "run",
            "demo-api-charm/0",
            "get-db-info",
            "show-password=maybe",
        ],
        1,
        r#"parameter "show-password" must be of type boolean, got "maybe""#,
    );
    refused(
        &m,
        &["run", "demo-api-charm/0", "get-db-info", "verbose=true"],
        1,
        r#"parameter "verbose" is not allowed"#,
    );

    refused(
        &m,
        &["config", "port=80"],
        1,
        r#"unknown option "port" (options of demo-api-charm: server-port)"#,
    );
    refused(
        &m,
        &["config", "--reset", "port"],
        1,
        r#"unknown option "port""#,
    );
    refused(
        &m,
        &["config", "server-port=eighty"],
        1,
        r#"option "server-port": expected int, got "eighty""#,
    );

    refused(
        &m,
        &["dispatch", "demo-api-charm/0", "explode"],
        1,
        r#"unknown hook "explode" for demo-api-charm"#,
    );
    refused(
        &m,
        &["dispatch", "demo-api-charm/0", "db-relation-changed"],
        1,
        r#"unknown hook "db-relation-changed""#,
    );
    refused(
        &m,
        &["dispatch", "demo-api-charm/0", "database-relation-changed"],
        1,
        r#"no relation on endpoint "database""#,
    );
    refused(
        &m,
        &["dispatch", "demo-api-charm/0", "web-pebble-ready"],
        1,
        r#"unknown hook "web-pebble-ready""#,
    );
}

#[test]
fn malformed_arguments_are_usage_errors() {
    let m = deployed("bad-args");
    let kv = r#"expected "key=value", got "server-port""#;
    refused(&m, &["config", "server-port"], 2, kv);
    refused(
        &m,
        &["config", "=8000"],
        2,
        r#"expected "key=value", got "=8000""#,
    );
    refused(
        &m,
        &["relate", "database", "pg", "--app-data", "endpoints"],
        2,
        r#"expected "key=value", got "endpoints""#,
    );
    refused(
        &m,
        &["run", "demo-api-charm/0", "get-db-info", "show-password"],
        2,
        "expected \"key=value\"",
    );
    refused(
        &m,
        &["set-data", "database", "pg"],
        2,
        "usage: cargo charm sim set-data",
    );
    refused(&m, &["delete-pod"], 2, "takes UNIT");
    refused(&m, &["delete-pod", "a/0", "b/0"], 2, "takes UNIT");
    refused(
        &m,
        &["scale", "many"],
        2,
        r#"N must be a number of units, got "many""#,
    );
    refused(
        &m,
        &["status", "--colour"],
        2,
        r#"unknown option "--colour""#,
    );
    refused(
        &m,
        &["frobnicate"],
        2,
        r#"unknown command "sim frobnicate""#,
    );
    refused(
        &m,
        &["relate", "database", "pg", "--units", "two"],
        2,
        "expected a number",
    );
    refused(
        &m,
        &["show-unit", "demo-api-charm/0", "--format", "toml"],
        2,
        "--format must be default, yaml or json",
    );
    refused(&m, &["debug-log", "--level", "LOUD"], 2, "--level must be");
    refused(&m, &["deploy", "-n"], 2, "option --num-units needs a value");
}

#[test]
fn bad_deploy_options_create_no_model() {
    for (args, code, expect) in [
        (&["--config", "port=80"][..], 1, r#"unknown option "port""#),
        (
            &["--config", "server-port=x"],
            1,
            r#"expected int, got "x""#,
        ),
        (&["--config", "server-port"], 2, r#"expected "key=value""#),
        (&["-n", "0"], 2, "--num-units must be at least 1"),
        (&["-n", "two"], 2, "expected a number"),
    ] {
        let m = Model::new("bad-deploy");
        let mut all = vec!["deploy", demo_charm().to_str().unwrap()];
        all.extend_from_slice(args);
        let r = m.sim(&all);
        assert_eq!(r.code, code, "{args:?}: {}", r.stderr);
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
        assert!(r.stderr.contains(expect), "{expect:?} not in {}", r.stderr);
        assert!(!m.state.join("model.json").exists());
        assert!(!m.state.join("units").exists());
    }
}

#[test]
fn a_model_is_not_deployed_twice() {
    let m = deployed("bad-twice");
    refused(
        &m,
        &["deploy", demo_charm().to_str().unwrap()],
        1,
        "a model already exists in",
    );
}

/// Deploying something that is not a charm creates no model.
fn not_a_charm(what: &std::path::Path, expect: &str) {
    let m = Model::new("bad-charm");
    let r = m.sim(&["deploy", what.to_str().unwrap()]);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", r.stderr);
    assert!(lines[0].starts_with("ERROR "), "{}", lines[0]);
    assert!(lines[0].contains(expect), "{expect:?} not in {}", lines[0]);
    assert_eq!(r.code, 1);
    assert!(!m.state.join("model.json").exists());
    assert!(!m.state.join("charm").exists());
    assert!(!m.state.join("charms").exists());
    assert!(!m.state.join("units").exists());
    // The state directory is usable afterwards.
    m.sim(&["deploy", demo_charm().to_str().unwrap()]).ok();
}

#[test]
fn things_that_are_not_charms_are_refused() {
    let dir = scratch("not-charms");
    let text = dir.join("notes.charm");
    std::fs::write(&text, "just text\n").unwrap();
    not_a_charm(&text, "is not a charm: not a zip archive");

    let truncated = dir.join("truncated.charm");
    let bytes = std::fs::read(demo_charm()).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    not_a_charm(&truncated, "is not a charm");

    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    not_a_charm(
        &empty,
        "is not a charm: no metadata.yaml (or charmcraft.yaml)",
    );

    let no_dispatch = dir.join("no-dispatch");
    std::fs::create_dir_all(&no_dispatch).unwrap();
    std::fs::write(
        no_dispatch.join("metadata.yaml"),
        "name: x\nsummary: s\ndescription: d\n",
    )
    .unwrap();
    not_a_charm(&no_dispatch, "is not a charm: no executable `dispatch`");

    let bad_yaml = dir.join("bad-yaml");
    std::fs::create_dir_all(&bad_yaml).unwrap();
    std::fs::write(bad_yaml.join("metadata.yaml"), "name: [unclosed\n").unwrap();
    not_a_charm(&bad_yaml, "metadata.yaml is not valid YAML");

    not_a_charm(&dir.join("missing.charm"), r#"missing.charm" not found"#);
}

#[test]
fn missing_or_corrupt_state_is_reported_and_kept() {
    // Missing.
    let m = Model::new("bad-state");
    let r = m.sim(&["status"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.starts_with("ERROR no model in "), "{}", r.stderr);
    assert!(
        !m.state.exists(),
        "status must not create the state directory"
    );

    // Corrupt: truncated JSON, wrong format, missing unit directory.
    let m = deployed("corrupt-state");
    let good = m.model_bytes();
    let path = m.state.join("model.json");
    for (bytes, expect) in [
        (
            good[..good.len() / 2].to_vec(),
            "is corrupt: model.json is not valid JSON",
        ),
        (b"{\"format\": 99}".to_vec(), "has format 99"),
        (
            b"{\"format\": 1, \"name\": 3}".to_vec(),
            "is corrupt: model.json",
        ),
    ] {
        std::fs::write(&path, &bytes).unwrap();
        for cmd in [
            &["status"][..],
            &["delete-pod", "demo-api-charm/0"],
            &["config", "server-port=1"],
        ] {
            let r = m.sim(cmd);
            assert_eq!(r.code, 1, "{cmd:?}");
            assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
            assert!(r.stderr.contains(expect), "{expect:?} not in {}", r.stderr);
            assert_eq!(
                std::fs::read(&path).unwrap(),
                bytes,
                "{cmd:?} touched model.json"
            );
        }
    }
    std::fs::write(&path, &good).unwrap();
    std::fs::rename(
        m.state.join("units/demo-api-charm-1"),
        m.state.join("units/moved"),
    )
    .unwrap();
    let r = m.sim(&["status"]);
    assert!(
        r.stderr
            .contains("the charm directory of demo-api-charm/1 is missing"),
        "{}",
        r.stderr
    );
    std::fs::rename(
        m.state.join("units/moved"),
        m.state.join("units/demo-api-charm-1"),
    )
    .unwrap();
    m.sim(&["status"]).ok();

    // A directory that is not a state directory is never deployed into or destroyed.
    let foreign = scratch("foreign");
    std::fs::write(foreign.join("precious.txt"), "keep me").unwrap();
    let state = foreign.to_str().unwrap();
    let r = cargo_charm(&[
        "sim",
        "deploy",
        demo_charm().to_str().unwrap(),
        "--state",
        state,
        "-q",
    ]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("is not a cargo-charm state directory"),
        "{}",
        r.stderr
    );
    let r = cargo_charm(&["sim", "destroy", "--state", state, "-q"]);
    assert_eq!(r.code, 1);
    assert!(foreign.join("precious.txt").exists());
}
