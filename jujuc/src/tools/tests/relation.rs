//! relation-ids, relation-list, relation-get, relation-set, relation-model-get, and the
//! access rules of juju-protocol.md §3 (one test per row of the table).

use super::{bag, db_hook, err, hook, world, T};
use crate::HookContext;

fn non_leader() -> T {
    let mut w = world();
    w.leader = false;
    T::new(w, hook("start"))
}

// ----- relation-ids -----

#[test]
fn relation_ids_lists_live_relations_sorted_as_strings() {
    let mut t = T::start();
    // db:9 is dead; Go's sort.Strings puts "db:10" before "db:4".
    assert_eq!(
        t.ok(&["relation-ids", "db", "--format=json"]),
        "[\"db:10\",\"db:4\"]\n"
    );
    assert_eq!(
        t.ok(&["relation-ids", "--format=json", "peers"]),
        "[\"peers:1\"]\n"
    );
    assert_eq!(t.ok(&["relation-ids", "nope", "--format=json"]), "[]\n");
    // Smart format: one per line; nothing at all for none.
    assert_eq!(t.ok(&["relation-ids", "db"]), "db:10\ndb:4\n");
    assert_eq!(t.ok(&["relation-ids", "nope"]), "");
}

#[test]
fn relation_ids_defaults_to_the_hook_endpoint() {
    let mut t = T::new(world(), db_hook("changed"));
    assert_eq!(
        t.ok(&["relation-ids", "--format=json"]),
        "[\"db:10\",\"db:4\"]\n"
    );
    let mut t = T::start();
    assert_eq!(
        t.fail(&["relation-ids", "--format=json"]),
        err(2, "no endpoint name specified")
    );
    assert_eq!(
        t.fail(&["relation-ids", "db", "web"]),
        err(2, "unrecognized args: [\"web\"]")
    );
}

// ----- -r parsing -----

#[test]
fn relation_flag_takes_the_int_after_the_last_colon() {
    let mut t = T::start();
    for r in ["db:4", "4", "x:y:4", "anything:4"] {
        assert_eq!(
            t.ok(&["relation-list", "--format=json", "-r", r]),
            "[\"pg/0\",\"pg/1\"]\n",
            "{r}"
        );
    }
    // `--relation`, `-r=`-less attached value, and flags after positionals.
    assert_eq!(
        t.ok(&["relation-list", "--relation", "db:4", "--format", "json"]),
        "[\"pg/0\",\"pg/1\"]\n"
    );
    assert_eq!(
        t.ok(&["relation-list", "-r4", "--format=json"]),
        "[\"pg/0\",\"pg/1\"]\n"
    );
}

#[test]
fn unknown_or_bad_relation_ids_are_usage_errors() {
    let mut t = T::start();
    assert_eq!(
        t.fail(&["relation-list", "-r", "db:6"]),
        err(
            2,
            "invalid value \"db:6\" for option -r: relation not found"
        )
    );
    assert_eq!(
        t.fail(&["relation-get", "--relation", "6", "-", "pg/0"]),
        err(
            2,
            "invalid value \"6\" for option --relation: relation not found"
        )
    );
    assert_eq!(
        t.fail(&["relation-set", "-r", "db:x", "a=b"]),
        err(
            2,
            "invalid value \"db:x\" for option -r: invalid relation id"
        )
    );
    assert_eq!(
        t.fail(&["relation-list", "-r"]),
        err(2, "flag needs an argument: -r")
    );
}

#[test]
fn no_relation_outside_a_relation_hook_is_a_usage_error() {
    let mut t = T::start();
    for argv in [
        &["relation-list"][..],
        &["relation-get", "-", "pg/0"],
        &["relation-set", "a=b"],
        &["relation-model-get"],
    ] {
        assert_eq!(t.fail(argv), err(2, "no relation id specified"), "{argv:?}");
    }
}

// ----- relation-list -----

#[test]
fn relation_list_units_and_app() {
    let mut t = T::start();
    assert_eq!(
        t.ok(&["relation-list", "--format=json", "--app", "-r", "db:4"]),
        "\"pg\"\n"
    );
    assert_eq!(t.ok(&["relation-list", "--app", "-r", "db:4"]), "pg\n");
    // Peers: the other units, never this one; the "remote" app is this app.
    assert_eq!(
        t.ok(&["relation-list", "--format=json", "-r", "peers:1"]),
        "[\"app/1\"]\n"
    );
    assert_eq!(
        t.ok(&["relation-list", "--format=json", "--app", "-r", "peers:1"]),
        "\"app\"\n"
    );
    assert_eq!(
        t.ok(&["relation-list", "--format=json", "-r", "db:10"]),
        "[]\n"
    );
    assert_eq!(
        t.fail(&["relation-list", "-r", "4", "extra"]),
        err(2, "unrecognized args: [\"extra\"]")
    );
}

#[test]
fn relation_list_in_departed_and_broken_hooks() {
    let mut t = T::new(world(), db_hook("departed"));
    t.h.info.remote_unit = Some("pg/1".into());
    t.h.info.departing_unit = Some("pg/1".into());
    assert_eq!(t.ok(&["relation-list", "--format=json"]), "[\"pg/0\"]\n");
    // When this unit is the one departing, the remote unit that left is still the one
    // left out (Juju removes JUJU_REMOTE_UNIT from the members).
    t.h.info.departing_unit = Some(t.w.unit.clone());
    assert_eq!(t.ok(&["relation-list", "--format=json"]), "[\"pg/0\"]\n");
    // Another relation is unaffected.
    assert_eq!(
        t.ok(&["relation-list", "--format=json", "-r", "1"]),
        "[\"app/1\"]\n"
    );
    let mut t = T::new(world(), db_hook("broken"));
    assert_eq!(t.ok(&["relation-list", "--format=json"]), "[]\n");
}

// ----- relation-get -----

#[test]
fn relation_get_whole_bags_and_keys() {
    let mut t = T::start();
    assert_eq!(
        t.ok(&["relation-get", "--format=json", "-r", "db:4", "-", "pg/0"]),
        "{\"host\":\"10.0.0.1\"}\n"
    );
    assert_eq!(
        t.ok(&[
            "relation-get",
            "--format=json",
            "-r",
            "db:4",
            "--app",
            "-",
            "pg"
        ]),
        "{\"password\":\"p1\",\"user\":\"u1\"}\n"
    );
    // With --app a unit name stands for its application.
    assert_eq!(
        t.ok(&[
            "relation-get",
            "--format=json",
            "-r",
            "db:4",
            "--app",
            "user",
            "pg/1"
        ]),
        "\"u1\"\n"
    );
    assert_eq!(
        t.ok(&[
            "relation-get",
            "--format=json",
            "-r",
            "db:4",
            "host",
            "pg/1"
        ]),
        "\"10.0.0.2\"\n"
    );
    assert_eq!(
        t.ok(&[
            "relation-get",
            "--format=json",
            "-r",
            "db:4",
            "nope",
            "pg/1"
        ]),
        "null\n"
    );
    // Flags after positionals.
    assert_eq!(
        t.ok(&[
            "relation-get",
            "-",
            "pg/0",
            "-r",
            "db:4",
            "--format",
            "json"
        ]),
        "{\"host\":\"10.0.0.1\"}\n"
    );
}

#[test]
fn relation_get_smart_format() {
    let mut t = T::start();
    t.w.relations[1].remote_units.insert(
        "pg/2".into(),
        bag(&[("cert", "line1\nline2\n"), ("n", "12345"), ("t", "a: b")]),
    );
    // yaml.v2 quotes what YAML 1.1 would read as a non-string, keys too ("n" is a bool).
    assert_eq!(
        t.ok(&["relation-get", "-r", "4", "host", "pg/0"]),
        "10.0.0.1\n"
    );
    assert_eq!(t.ok(&["relation-get", "-r", "4", "missing", "pg/0"]), "");
    assert_eq!(
        t.ok(&["relation-get", "-r", "4", "-", "pg/2"]),
        "cert: |\n  line1\n  line2\n\"n\": \"12345\"\nt: 'a: b'\n"
    );
    assert_eq!(
        t.ok(&["relation-get", "-r", "4", "cert", "pg/2"]),
        "line1\nline2\n\n"
    );
    assert_eq!(
        t.ok(&["relation-get", "-r", "4", "--format=yaml", "-", "pg/0"]),
        "host: 10.0.0.1\n"
    );
}

#[test]
fn relation_get_defaults_from_the_hook() {
    let mut t = T::new(world(), db_hook("changed"));
    assert_eq!(
        t.ok(&["relation-get", "--format=json"]),
        "{\"host\":\"10.0.0.2\"}\n"
    );
    assert_eq!(
        t.ok(&["relation-get", "--format=json", "host"]),
        "\"10.0.0.2\"\n"
    );
    assert_eq!(
        t.ok(&["relation-get", "--format=json", "--app"]),
        "{\"password\":\"p1\",\"user\":\"u1\"}\n"
    );
    // An app-only context (e.g. relation-changed for an app bag change) implies --app.
    t.h.info.remote_unit = None;
    assert_eq!(t.ok(&["relation-get", "--format=json", "user"]), "\"u1\"\n");
    // Nothing to default to.
    let mut t = T::start();
    assert_eq!(
        t.fail(&["relation-get", "-r", "4"]),
        err(2, "no unit or application specified")
    );
    assert_eq!(
        t.fail(&["relation-get", "-r", "4", "--app"]),
        err(2, "no unit or application specified")
    );
}

#[test]
fn relation_get_argument_errors() {
    let mut t = T::start();
    assert_eq!(
        t.fail(&["relation-get", "-r", "4", "-", "pg"]),
        err(2, "expected unit name, got application name \"pg\"")
    );
    assert_eq!(
        t.fail(&["relation-get", "-r", "4", "-", "unit//0"]),
        err(2, "invalid unit name \"unit//0\"")
    );
    assert_eq!(
        t.fail(&["relation-get", "-r", "4", "-", "pg/0", "more"]),
        err(2, "unrecognized args: [\"more\"]")
    );
    assert_eq!(
        t.fail(&["relation-get", "-r", "4", "--format=xml", "-", "pg/0"]),
        err(
            2,
            "invalid value \"xml\" for option --format: unknown format \"xml\""
        )
    );
    // A unit that is not in the relation.
    assert_eq!(
        t.fail(&["relation-get", "-r", "4", "-", "pg/9"]),
        err(
            1,
            "cannot read settings for unit \"pg/9\" in relation \"db:4\": settings not found"
        )
    );
    assert_eq!(
        t.fail(&["relation-get", "-r", "4", "-", "other/0"]),
        err(1, "permission denied")
    );
    assert_eq!(
        t.fail(&["relation-get", "-r", "4", "--app", "-", "other"]),
        err(1, "permission denied")
    );
}

// ----- §3 access rules, one test per row -----

#[test]
fn row_own_unit_bag_read_and_write_by_any_unit() {
    let mut t = non_leader();
    assert_eq!(
        t.ok(&["relation-get", "--format=json", "-r", "db:4", "-", "app/0"]),
        "{\"ingress\":\"10.1.0.5\"}\n"
    );
    t.ok(&["relation-set", "-r", "db:4", "a=1"]);
    t.commit();
    assert_eq!(
        t.rel(4).local_unit_data,
        bag(&[("a", "1"), ("ingress", "10.1.0.5")])
    );
}

#[test]
fn row_other_local_units_are_readable_on_peers_only() {
    let mut t = non_leader();
    assert_eq!(
        t.ok(&[
            "relation-get",
            "--format=json",
            "-r",
            "peers:1",
            "-",
            "app/1"
        ]),
        "{\"me\":\"1\"}\n"
    );
    // There is no way to name another unit's bag in relation-set: it writes this unit's.
    t.ok(&["relation-set", "-r", "peers:1", "me=changed"]);
    t.commit();
    assert_eq!(t.rel(1).remote_units["app/1"], bag(&[("me", "1")]));
    assert_eq!(t.rel(1).local_unit_data, bag(&[("me", "changed")]));
}

#[test]
fn row_own_app_bag_non_peer_is_leader_only() {
    let mut t = T::start();
    assert_eq!(
        t.ok(&[
            "relation-get",
            "--format=json",
            "-r",
            "db:4",
            "--app",
            "-",
            "app"
        ]),
        "{\"db-name\":\"demo\"}\n"
    );
    t.ok(&["relation-set", "-r", "db:4", "--app", "k=v"]);
    let mut t = non_leader();
    assert_eq!(
        t.fail(&[
            "relation-get",
            "--format=json",
            "-r",
            "db:4",
            "--app",
            "-",
            "app"
        ]),
        err(1, "permission denied")
    );
    assert_eq!(
        t.fail(&["relation-set", "-r", "db:4", "--app", "k=v"]),
        err(1, "cannot write relation settings")
    );
    assert!(t.h.relation_writes.is_empty());
}

#[test]
fn row_own_app_bag_peer_is_readable_by_all_writable_by_leader() {
    let mut t = non_leader();
    assert_eq!(
        t.ok(&[
            "relation-get",
            "--format=json",
            "-r",
            "peers:1",
            "--app",
            "-",
            "app"
        ]),
        "{\"shared\":\"yes\"}\n"
    );
    assert_eq!(
        t.fail(&["relation-set", "-r", "peers:1", "--app", "--file", "-"]),
        err(1, "cannot write relation settings")
    );
    let mut t = T::start();
    t.run_stdin(
        &["relation-set", "-r", "peers:1", "--app", "--file", "-"],
        Some("{\"leader-says\":\"hi\"}"),
    );
    t.commit();
    let rel = t.rel(1);
    assert_eq!(
        rel.local_app_data,
        bag(&[("leader-says", "hi"), ("shared", "yes")])
    );
    assert_eq!(
        rel.remote_app_data, rel.local_app_data,
        "peer app bag is one bag"
    );
}

#[test]
fn row_remote_unit_bags_are_readable_not_writable() {
    let mut t = non_leader();
    assert_eq!(
        t.ok(&["relation-get", "--format=json", "-r", "4", "host", "pg/1"]),
        "\"10.0.0.2\"\n"
    );
    // relation-set writes only this unit's own bag, whatever the keys.
    t.ok(&["relation-set", "-r", "4", "host=hijack"]);
    t.commit();
    assert_eq!(t.rel(4).remote_units["pg/1"], bag(&[("host", "10.0.0.2")]));
}

#[test]
fn row_remote_app_bag_is_readable_by_any_unit_not_writable() {
    let mut t = non_leader();
    assert_eq!(
        t.ok(&[
            "relation-get",
            "--format=json",
            "-r",
            "4",
            "--app",
            "-",
            "pg"
        ]),
        "{\"password\":\"p1\",\"user\":\"u1\"}\n"
    );
    let mut t = T::start();
    t.ok(&["relation-set", "-r", "4", "--app", "user=hijack"]);
    t.commit();
    assert_eq!(t.rel(4).remote_app_data["user"], "u1");
    assert_eq!(t.rel(4).local_app_data["user"], "hijack");
}

// ----- staged vs committed -----

#[test]
fn writes_are_staged_and_seen_by_this_hook_only_where_juju_caches() {
    let mut t = T::start();
    t.ok(&["relation-set", "-r", "db:4", "a=1", "ingress="]);
    t.ok(&["relation-set", "-r", "db:4", "--app", "b=2"]);
    t.ok(&["relation-set", "-r", "db:4", "a=3"]);
    // The world is untouched until commit.
    assert_eq!(t.rel(4).local_unit_data, bag(&[("ingress", "10.1.0.5")]));
    // The hook's own unit bag and (leader) own app bag show the writes.
    assert_eq!(
        t.ok(&["relation-get", "--format=json", "-r", "4", "-", "app/0"]),
        "{\"a\":\"3\"}\n"
    );
    assert_eq!(
        t.ok(&[
            "relation-get",
            "--format=json",
            "-r",
            "4",
            "--app",
            "-",
            "app"
        ]),
        "{\"b\":\"2\",\"db-name\":\"demo\"}\n"
    );
    // One staged entry per (relation, bag), in first-write order; "" kept as a deletion.
    assert_eq!(t.h.relation_writes.len(), 2);
    assert_eq!(
        t.h.relation_writes[0].changes,
        bag(&[("a", "3"), ("ingress", "")])
    );
    t.commit();
    assert_eq!(t.rel(4).local_unit_data, bag(&[("a", "3")]));
    assert_eq!(
        t.rel(4).local_app_data,
        bag(&[("b", "2"), ("db-name", "demo")])
    );
}

#[test]
fn a_non_leader_reads_the_peer_app_bag_from_the_controller() {
    // Only the leader's own app bag comes from the hook context; a non-leader sees the
    // committed peer app bag (it cannot write it anyway).
    let mut t = non_leader();
    t.w.relations[0]
        .local_app_data
        .insert("x".into(), "committed".into());
    assert_eq!(
        t.ok(&[
            "relation-get",
            "--format=json",
            "-r",
            "1",
            "--app",
            "x",
            "app"
        ]),
        "\"committed\"\n"
    );
}

#[test]
fn empty_value_deletes_and_missing_keys_stay() {
    let mut t = T::start();
    t.run_stdin(
        &["relation-set", "-r", "db:4", "--file", "-"],
        Some("{\"ingress\": \"\", \"new\": \"x\"}"),
    );
    t.commit();
    assert_eq!(t.rel(4).local_unit_data, bag(&[("new", "x")]));
}

// ----- relation-set input -----

#[test]
fn relation_set_reads_yaml_or_json_and_args_override() {
    let mut t = T::start();
    let o = t.run_stdin(
        &["relation-set", "-r", "4", "--file", "-", "b=from-arg"],
        Some("# settings\na: plain\nb: 'quoted value'\nc: \"x\\ty\"\nn: 5\nlit: |\n  l1\n  l2\n"),
    );
    assert_eq!(o.code, 0, "{o:?}");
    assert_eq!(
        t.h.relation_writes[0].changes,
        bag(&[
            ("a", "plain"),
            ("b", "from-arg"),
            ("c", "x\ty"),
            ("lit", "l1\nl2\n"),
            ("n", "5")
        ])
    );
    let mut t = T::start();
    t.run_stdin(
        &["relation-set", "-r", "4", "--file", "-"],
        Some("{foo: bar, spam: 'eggs, ham'}"),
    );
    assert_eq!(
        t.h.relation_writes[0].changes,
        bag(&[("foo", "bar"), ("spam", "eggs, ham")])
    );
    // An empty document and an empty map change nothing.
    let mut t = T::start();
    t.run_stdin(&["relation-set", "-r", "4", "--file", "-"], Some(""));
    t.run_stdin(&["relation-set", "-r", "4", "--file", "-"], Some("{}"));
    assert!(t.h.relation_writes.is_empty());
}

#[test]
fn relation_set_errors() {
    let mut t = T::start();
    assert_eq!(
        t.fail(&["relation-set", "-r", "4", "haha"]),
        err(2, "expected \"key=value\", got \"haha\"")
    );
    assert_eq!(
        t.fail(&["relation-set", "-r", "4", "=haha"]),
        err(2, "expected \"key=value\", got \"=haha\"")
    );
    assert_eq!(
        t.fail(&["relation-set", "-r", "4", "a=1", "a=2"]),
        err(2, "key \"a\" specified more than once")
    );
    let o = t.run_stdin(
        &["relation-set", "-r", "4", "--file", "-"],
        Some("foo=bar ham=eggs good=bad"),
    );
    assert_eq!(o.code, 1);
    assert_eq!(
        o.stderr,
        "ERROR yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `foo=bar...` into map[string]string\n"
    );
    let o = t.run_stdin(&["relation-set", "-r", "4", "--file", "-"], Some("[haha]"));
    assert_eq!(o.code, 1, "{o:?}");
    assert!(o.stderr.contains("cannot unmarshal !!seq"), "{o:?}");
    assert_eq!(
        t.fail(&["relation-set", "-r", "4", "--file", "/nonexistent/x.yaml"]),
        err(1, "open /nonexistent/x.yaml: no such file or directory")
    );
    assert!(t.h.relation_writes.is_empty());
    // The deprecated --format is accepted with a warning.
    let o = t.run(&["relation-set", "-r", "4", "--format", "json", "k=v"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (0, "--format flag deprecated for command \"relation-set\"")
    );
}

#[test]
fn relation_set_in_a_relation_hook_defaults_to_its_relation() {
    let mut t = T::new(world(), db_hook("joined"));
    t.ok(&["relation-set", "k=v"]);
    assert_eq!(t.h.relation_writes[0].relation_id, 4);
}

// ----- relation-model-get -----

#[test]
fn relation_model_get() {
    let mut t = T::start();
    assert_eq!(
        t.ok(&["relation-model-get", "--format=json", "-r", "db:4"]),
        "{\"uuid\":\"11111111-2222-3333-4444-555555555555\"}\n"
    );
    assert_eq!(
        t.ok(&["relation-model-get", "--format=json", "-r", "web:7"]),
        "{\"uuid\":\"99999999-0000-0000-0000-000000000000\"}\n"
    );
}

#[test]
fn json_is_escaped_as_go_does() {
    let mut t = T::start();
    t.w.relations[1]
        .remote_units
        .insert("pg/3".into(), bag(&[("html", "<a href=\"x\">&</a>\n")]));
    assert_eq!(
        t.ok(&["relation-get", "--format=json", "-r", "4", "-", "pg/3"]),
        "{\"html\":\"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u003c/a\\u003e\\n\"}\n"
    );
}

#[test]
fn relation_hook_without_the_relation_in_the_world_fails_at_run_time() {
    let mut t = T::new(
        world(),
        HookContext {
            info: crate::HookInfo {
                hook: "gone-relation-changed".into(),
                relation_id: Some(99),
                remote_unit: Some("x/0".into()),
                ..Default::default()
            },
            ..Default::default()
        },
    );
    assert_eq!(t.fail(&["relation-list"]), err(1, "relation not found"));
}
