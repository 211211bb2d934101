//! `#[derive(Databag)]`: keys, renames, optional fields, JSON values and the round trip.

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

    assert!(Nothing::KEYS.is_empty());
    assert_eq!(Nothing::from_bag(&BagData::new()).unwrap(), Nothing {});
    assert!(Nothing {}.to_bag().unwrap().is_empty());
}
