//! Juju's limits, checked before Juju is called, and data at the edges behaving as Juju
//! would: relation bags of a few MiB, unicode keys and values (the stdin of `relation-set`
//! and `state-set` read back unchanged by a YAML parser of libyaml's lineage, as Juju's
//! go-yaml is), an empty bag, the keys Juju sets itself.
//!
//! Juju's limits (read in Juju's source): `core/quota/fixed_limits.go`
//! `MaxRelationSettingsSize = 16 MiB` (keys plus values, `CheckRelationSettingsSize` in
//! `core/quota/kv.go`), `MaxCharmStateKeySize = 256`, `MaxCharmStateValueSize = 64 KiB`;
//! Linux's `MAX_ARG_STRLEN` (128 KiB with the NUL) for one argument.

use super::{env, Fake};
use crate::event::Event;
use crate::hooktools::cmd::{self, BagData};
use crate::hooktools::ToolError;
use crate::model::Model;
use crate::relation::{Bag, DeclaredEndpoint, Endpoint, Own, Peer, Relation};
use std::collections::BTreeMap;

const PEER: Endpoint<Peer> = Endpoint::peer("replicas");
const ENDPOINTS: &[DeclaredEndpoint] = &[PEER.declared()];

/// A backend with one peer relation whose unit bag is `unit_bag` (JSON), recording calls.
fn backend(
    unit_bag: String,
) -> Fake<impl FnMut(&crate::hooktools::ToolCall) -> Result<String, (i32, String)>> {
    Fake::new(move |call| match call.tool {
        "is-leader" => Ok("true".into()),
        "relation-ids" => Ok(r#"["replicas:0"]"#.into()),
        "relation-get" => Ok(unit_bag.clone()),
        "relation-set" | "status-set" | "juju-log" | "state-set" => Ok(String::new()),
        _ => Err((1, format!("ERROR unexpected {call}"))),
    })
}

/// Unicode at every edge go-yaml treats specially: DEL and C1 controls (refused raw), NEL
/// (folded to a space raw), BOM and U+FFFE/U+FFFF, surrogate-pair territory (emoji:
/// refused as a `\u` pair), CJK, right-to-left, combining marks, a NUL and newlines.
fn unicode_bag() -> BagData {
    [
        ("ключ", "значение"),
        ("emoji-😀", "a😀b𝟙c"),
        (
            "controls",
            "del\u{7f} c1\u{80}\u{9f} nel\u{85} bom\u{feff} nonchar\u{fffe}\u{ffff}",
        ),
        ("mixed", "日本語 עברית e\u{301} nul\0 lines\n\r\t end"),
        ("ingress-address", "10.0.0.2"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// What Juju's `relation-set --file -` would read from `stdin`: libyaml's lineage, as a
/// map of strings.
fn juju_reads(stdin: &str) -> BTreeMap<String, String> {
    serde_yaml::from_str(stdin).unwrap_or_else(|e| panic!("Juju's YAML reader refuses it: {e}"))
}

#[test]
fn unicode_keys_and_values_reach_juju_unchanged() {
    // Before: raw UTF-8 on stdin, which go-yaml refuses (DEL, C1) or changes (NEL).
    let bag = unicode_bag();
    let mut t = backend("{}".into());
    cmd::relation_set(&mut t, "replicas", 0, false, &bag).unwrap();
    cmd::state_set(&mut t, &bag).unwrap();
    for call in &t.calls {
        let stdin = call.stdin.as_deref().unwrap();
        assert_eq!(juju_reads(stdin), bag, "{}", call.tool);
        assert_eq!(
            serde_json::from_str::<BagData>(stdin).unwrap(),
            bag,
            "valid JSON too"
        );
    }
}

#[test]
fn a_bag_of_a_few_mib_is_written_in_one_call() {
    let big: BagData = (0..3)
        .map(|i| (format!("chunk-{i}"), "é😀x".repeat(150_000)))
        .collect();
    let e = env("demo/0", Event::Start);
    let mut t = backend("{}".into());
    {
        let mut m = Model::new(&e, &mut t, ENDPOINTS);
        let r = Relation::new(PEER, 0);
        for (k, v) in &big {
            m.set(&r, Own::Unit, k, v).unwrap();
        }
        m.commit().unwrap();
    }
    let sets: Vec<_> = t
        .calls
        .iter()
        .filter(|c| c.tool == "relation-set")
        .collect();
    assert_eq!(sets.len(), 1);
    assert!(
        sets[0].argv().iter().all(|a| a.len() < 100),
        "data goes on stdin, never argv"
    );
    assert_eq!(juju_reads(sets[0].stdin.as_deref().unwrap()), big);
}

#[test]
fn a_bag_over_jujus_limit_is_refused_before_any_call() {
    // 10 MiB already in the bag, 7 MiB more staged: 17 MiB in all, over Juju's 16 MiB.
    let existing = serde_json::to_string(&BTreeMap::from([("old", "o".repeat(10 << 20))])).unwrap();
    let e = env("demo/0", Event::Start);
    let mut t = backend(existing);
    let err = {
        let mut m = Model::new(&e, &mut t, ENDPOINTS);
        let r = Relation::new(PEER, 0);
        assert_eq!(m.bag(&r, Bag::Unit).unwrap().len(), 1);
        m.set(&r, Own::Unit, "new", "s3cret".repeat((7 << 20) / 6))
            .unwrap();
        m.commit().unwrap_err()
    };
    let text = err.to_string();
    assert!(
        text.contains("`relation-set -r replicas:0 --file -`: the bag would hold 17825794 bytes")
            && text.contains("Juju stores at most 16777216 in one relation bag"),
        "{text}"
    );
    assert!(!text.contains("s3cret"), "no value in the error");
    assert!(
        t.calls.iter().all(|c| c.tool != "relation-set"),
        "nothing was written"
    );
    // Exactly at the limit is fine.
    let at_limit = BagData::from([(
        "k".to_string(),
        "v".repeat(cmd::MAX_RELATION_SETTINGS_BYTES - 1),
    )]);
    assert!(cmd::check_relation_settings("replicas", 0, false, &at_limit).is_ok());
    let over = BagData::from([(
        "k".to_string(),
        "v".repeat(cmd::MAX_RELATION_SETTINGS_BYTES),
    )]);
    assert!(matches!(
        cmd::check_relation_settings("replicas", 0, false, &over),
        Err(ToolError::TooLarge { .. })
    ));
}

#[test]
fn an_empty_bag_reads_empty_and_writes_nothing() {
    for reply in ["{}", "null", "  {}\n"] {
        let e = env("demo/0", Event::Start);
        let mut t = backend(reply.into());
        {
            let mut m = Model::new(&e, &mut t, ENDPOINTS);
            let r = Relation::new(PEER, 0);
            assert!(m.bag(&r, Bag::Unit).unwrap().is_empty(), "{reply}");
            assert_eq!(m.get(&r, Bag::Unit, "anything").unwrap(), None);
            m.set(&r, Own::Unit, "never-set", "").unwrap(); // deleting a missing key
            m.commit().unwrap();
        }
        assert!(t.calls.iter().all(|c| c.tool != "relation-set"), "{reply}");
    }
}

#[test]
fn keys_juju_sets_itself_read_and_write_as_in_juju() {
    let juju_bag = r#"{"egress-subnets":"10.0.0.2/32","ingress-address":"10.0.0.2","private-address":"10.0.0.2"}"#;
    let e = env("demo/0", Event::Start);
    let mut t = backend(juju_bag.into());
    {
        let mut m = Model::new(&e, &mut t, ENDPOINTS);
        let r = Relation::new(PEER, 0);
        assert_eq!(
            m.get(&r, Bag::Unit, "ingress-address").unwrap().as_deref(),
            Some("10.0.0.2")
        );
        // Juju lets a unit overwrite them (some charms publish another address).
        m.set(&r, Own::Unit, "ingress-address", "192.0.2.7")
            .unwrap();
        m.commit().unwrap();
    }
    let set = t.calls.iter().find(|c| c.tool == "relation-set").unwrap();
    assert_eq!(
        set.stdin.as_deref(),
        Some(r#"{"ingress-address": "192.0.2.7"}"#)
    );
    // A typed bag ignores them.
    assert_eq!(
        crate::databag::JUJU_KEYS,
        ["egress-subnets", "ingress-address", "private-address"]
    );
}

#[test]
fn charm_state_limits_are_checked_before_state_set() {
    let e = env("demo/0", Event::Start);
    let mut t = Fake::new(|call| match call.tool {
        "state-get" => Ok("{}".into()),
        _ => Ok(String::new()),
    });
    {
        let mut m = Model::new(&e, &mut t, ENDPOINTS);
        let long_key = "k".repeat(crate::state::MAX_KEY_BYTES + 1);
        assert!(m.save_state(&long_key, &1).is_err());
        let big = "v".repeat(crate::state::MAX_VALUE_BYTES);
        let err = m.save_state("big", &big).unwrap_err().to_string();
        assert!(err.contains("65538 bytes of JSON"), "{err}");
        assert!(!err.contains("vvvv"), "{err}");
        m.save_state("ünïcode-😀", &"ok\u{7f}").unwrap();
        m.commit().unwrap();
    }
    let set = t.calls.iter().find(|c| c.tool == "state-set").unwrap();
    let read = juju_reads(set.stdin.as_deref().unwrap());
    assert_eq!(read["ünïcode-😀"], "\"ok\u{7f}\"");
}
