//! state-get, state-set, state-delete.

use super::{bag, err, T};

fn with_state() -> T {
    let mut t = T::start();
    t.w.state = bag(&[("a", "1"), ("b", "two words")]);
    t
}

#[test]
fn state_get_all_and_keys() {
    let mut t = with_state();
    assert_eq!(
        t.ok(&["state-get", "--format=json"]),
        "{\"a\":\"1\",\"b\":\"two words\"}\n"
    );
    assert_eq!(
        t.ok(&["state-get", "--format=json", "-"]),
        "{\"a\":\"1\",\"b\":\"two words\"}\n"
    );
    assert_eq!(
        t.ok(&["state-get", "--format=json", "b"]),
        "\"two words\"\n"
    );
    // A missing key prints an empty value (not an error) unless --strict.
    assert_eq!(t.ok(&["state-get", "--format=json", "nope"]), "\"\"\n");
    assert_eq!(t.ok(&["state-get", "nope"]), "");
    assert_eq!(t.ok(&["state-get", "b"]), "two words\n");
    assert_eq!(
        t.fail(&["state-get", "--strict", "nope"]),
        err(1, "\"nope\" not found")
    );
    t.w.state.clear();
    assert_eq!(t.ok(&["state-get", "--format=json"]), "{}\n");
}

#[test]
fn state_set_and_delete_are_staged_and_visible_to_the_hook() {
    let mut t = with_state();
    let o = t.run_stdin(
        &["state-set", "--file", "-"],
        Some("{\"c\":\"3\",\"a\":\"from-file\"}"),
    );
    assert_eq!(o.code, 0, "{o:?}");
    t.ok(&["state-set", "d=4", "e="]);
    t.ok(&["state-delete", "b"]);
    t.ok(&["state-delete", "never-existed"]);
    // The hook sees its writes...
    assert_eq!(
        t.ok(&["state-get", "--format=json"]),
        "{\"a\":\"from-file\",\"c\":\"3\",\"d\":\"4\",\"e\":\"\"}\n"
    );
    // ...the world does not, until commit.
    assert_eq!(t.w.state, bag(&[("a", "1"), ("b", "two words")]));
    t.commit();
    assert_eq!(
        t.w.state,
        bag(&[("a", "from-file"), ("c", "3"), ("d", "4"), ("e", "")])
    );
}

#[test]
fn state_set_args_override_the_file() {
    let mut t = T::start();
    t.run_stdin(
        &["state-set", "--file", "-", "k=arg"],
        Some("k: file\nother: x\n"),
    );
    t.commit();
    assert_eq!(t.w.state, bag(&[("k", "arg"), ("other", "x")]));
}

#[test]
fn state_set_limits() {
    let mut t = T::start();
    let key256 = "k".repeat(256);
    let value64k = "v".repeat(64 * 1024);
    t.ok(&["state-set", &format!("{key256}={value64k}")]);
    assert_eq!(
        t.fail(&["state-set", &format!("{}=x", "k".repeat(257))]),
        err(1, "max allowed key length (256) exceeded")
    );
    let o = t.run_stdin(
        &["state-set", "--file", "-"],
        Some(&format!("{{\"big\":\"{}\"}}", "v".repeat(64 * 1024 + 1))),
    );
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, "ERROR max allowed value length (65536) exceeded\n")
    );
    assert_eq!(t.h.state_writes.len(), 1);
}

#[test]
fn state_errors() {
    let mut t = T::start();
    assert_eq!(t.fail(&["state-delete"]), err(2, "no key specified"));
    assert_eq!(
        t.fail(&["state-set", "novalue"]),
        err(2, "expected \"key=value\", got \"novalue\"")
    );
    assert_eq!(
        t.fail(&["state-get", "a", "b"]),
        err(2, "unrecognized args: [\"b\"]")
    );
}
