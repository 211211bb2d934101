//! `#[derive(Databag)]`: keys, renames, optional fields, JSON values, raw strings (per
//! struct and per field) and the round trip.

use charm_runtime::hooktools::cmd::BagData;
use charm_runtime::prelude::*;

#[json_value]
#[derive(Debug, Clone, PartialEq, Default)]
struct UnitStats {
    started: u32,
    address: String,
}

#[derive(Databag, Debug, PartialEq)]
struct PeerData {
    unit_stats: UnitStats,
    #[databag(rename = "leader-address")]
    leader_address: Option<String>,
    ready: bool,
    ports: Vec<u16>,
}

#[derive(Databag, Debug, PartialEq)]
struct Nothing {}

/// What an `http` provider sends: plain strings (`hostname`, `port`), one JSON value.
#[derive(Databag, Debug, PartialEq)]
#[databag(raw)]
struct Website {
    hostname: String,
    port: u16,
    path: Option<String>,
    #[databag(json)]
    extra: Vec<u16>,
}

/// Raw per field, JSON otherwise.
#[derive(Databag, Debug, PartialEq)]
struct Mixed {
    #[databag(raw, rename = "database")]
    name: String,
    count: u32,
}

fn main() {
    assert_eq!(
        PeerData::KEYS,
        ["unit_stats", "leader-address", "ready", "ports"]
    );

    let data = PeerData {
        unit_stats: UnitStats {
            started: 2,
            address: "10.0.0.1".into(),
        },
        leader_address: Some("10.0.0.9".into()),
        ready: true,
        ports: vec![80, 443],
    };
    let bag = data.to_bag().unwrap();
    assert_eq!(
        bag["unit_stats"],
        r#"{"started": 2, "address": "10.0.0.1"}"#
    );
    assert_eq!(bag["leader-address"], r#""10.0.0.9""#);
    assert_eq!(bag["ready"], "true");
    assert_eq!(bag["ports"], "[80, 443]");
    assert_eq!(PeerData::from_bag(&bag).unwrap(), data);

    // None is saved as "" (delete the key); a missing or empty key loads as None.
    let cleared = PeerData {
        leader_address: None,
        ..data
    };
    let mut bag = cleared.to_bag().unwrap();
    assert_eq!(bag["leader-address"], "");
    assert_eq!(PeerData::from_bag(&bag).unwrap(), cleared);
    bag.remove("leader-address");
    bag.insert("ingress-address".into(), "10.1.1.1".into());
    assert_eq!(PeerData::from_bag(&bag).unwrap(), cleared);

    // A required key that is missing, or a value that does not decode, names the key.
    bag.remove("ready");
    assert_eq!(PeerData::from_bag(&bag).unwrap_err().key, "ready");
    bag.insert("ready".into(), "maybe".into());
    assert_eq!(PeerData::from_bag(&bag).unwrap_err().key, "ready");

    // Raw fields are the string itself: no quotes, numbers parsed from their text.
    let site = Website {
        hostname: "web.example".into(),
        port: 8080,
        path: None,
        extra: vec![1],
    };
    let bag = site.to_bag().unwrap();
    assert_eq!(bag["hostname"], "web.example");
    assert_eq!(bag["port"], "8080");
    assert_eq!(bag["path"], "");
    assert_eq!(bag["extra"], "[1]");
    assert_eq!(Website::from_bag(&bag).unwrap(), site);
    let mut bad = bag.clone();
    bad.insert("port".into(), "eighty".into());
    let err = Website::from_bag(&bad).unwrap_err();
    assert_eq!(
        (err.key.as_str(), err.problem.as_str()),
        ("port", "the value (6 bytes) is not a valid `u16`")
    );
    let mixed = Mixed {
        name: "names_db".into(),
        count: 2,
    };
    let bag = mixed.to_bag().unwrap();
    assert_eq!((bag["database"].as_str(), bag["count"].as_str()), ("names_db", "2"));
    assert_eq!(Mixed::from_bag(&bag).unwrap(), mixed);

    assert!(Nothing::KEYS.is_empty());
    assert_eq!(Nothing::from_bag(&BagData::new()).unwrap(), Nothing {});
    assert!(Nothing {}.to_bag().unwrap().is_empty());
}
