//! Property tests over values a charm decodes: relation databag values into typed structs
//! (JSON and raw fields), config values, action parameters. Any value decodes or is an
//! error naming its key, option or parameter, bounded, never quoting a string value (a
//! planted secret never shows); integers are never clamped.

mod common;

use charm_runtime::hooktools::cmd::BagData;
use charm_runtime::prelude::*;
use charm_runtime::{ActionParams, CharmConfig};
use common::gen::{hostile_string, json_value, SECRET};
use proptest::prelude::*;
use serde_json::{Map, Value};

/// Cases per property (recorded in docs/guarantees.md).
const CASES: u32 = 2_000;

#[json_value]
#[derive(Debug, Clone, PartialEq, Default)]
struct Stats {
    started: u32,
    address: String,
}

/// An enum field: serde quotes an unknown variant between backquotes.
#[derive(charm_runtime::serde::Deserialize, charm_runtime::serde::Serialize, Debug, PartialEq)]
#[serde(crate = "charm_runtime::serde", rename_all = "kebab-case")]
enum Mode {
    Primary,
    Replica,
}

#[derive(Databag, Debug, PartialEq)]
struct Peer {
    // First: fields decode in order, and a required one missing would hide it.
    mode: Option<Mode>,
    stats: Stats,
    #[databag(rename = "leader-address")]
    leader_address: Option<String>,
    ready: bool,
    ports: Vec<u16>,
    #[databag(raw)]
    password: String,
    #[databag(raw)]
    port: u16,
    #[databag(raw)]
    replicas: Option<i64>,
}

#[derive(CharmConfig, Debug, PartialEq)]
struct Config {
    #[config(default = 8000)]
    server_port: u16,
    #[config(default = -5)]
    offset: i32,
    #[config(default = 0.5)]
    ratio: f64,
    #[config(default = true)]
    debug: bool,
    #[config(default = "info")]
    level: String,
    big: Option<i64>,
}

#[derive(ActionParams, Debug)]
#[allow(dead_code)]
struct Restore {
    backup_id: String,
    limit: Option<i64>,
    #[param(default = 0.5)]
    ratio: f64,
    tags: Vec<String>,
    #[param(default = 3)]
    count: u8,
}

const BAG_KEYS: &[&str] = &[
    "stats",
    "mode",
    "leader-address",
    "ready",
    "ports",
    "password",
    "port",
    "replicas",
    "egress-subnets",
];
const OPTIONS: &[&str] = &["server-port", "offset", "ratio", "debug", "level", "big"];
const PARAMS: &[&str] = &["backup-id", "limit", "ratio", "tags", "count"];

/// A value as a bag holds it: text, JSON text, or a near-valid one.
fn bag_value() -> BoxedStrategy<String> {
    prop_oneof![
        json_value().prop_map(|v| v.to_string()),
        hostile_string(),
        Just(r#"{"started": 4294967296, "address": "a"}"#.to_string()),
        Just("65536".to_string()),
        Just("[1, 70000]".to_string()),
        Just("true".to_string()),
        Just(r#""replica""#.to_string()),
    ]
    .boxed()
}

fn some_of(
    keys: &'static [&'static str],
    v: BoxedStrategy<Value>,
) -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::btree_map(prop::sample::select(keys.to_vec()), v, 0..keys.len() + 1)
        .prop_map(|m| m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

fn number_value() -> BoxedStrategy<Value> {
    prop_oneof![
        json_value(),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        Just(serde_json::from_str("99999999999999999999").unwrap()),
        Just(serde_json::from_str("8000.0").unwrap()),
        Just(Value::String(SECRET.into())),
    ]
    .boxed()
}

/// An error text is bounded, names what was wrong, and never shows the planted secret.
fn check_error(text: &str, name: &str) -> Result<(), TestCaseError> {
    prop_assert!(text.contains(name), "{text}");
    prop_assert!(text.len() <= 600, "{} bytes", text.len());
    prop_assert!(!text.contains(SECRET), "{text}");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_bag_decodes_or_names_the_key(
        bag in prop::collection::btree_map(prop::sample::select(BAG_KEYS.to_vec()), bag_value(), 0..BAG_KEYS.len() + 1)
    ) {
        let bag: BagData = bag.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        match Peer::from_bag(&bag) {
            Ok(p) => {
                // What decoded is what the bag says (no clamping, no defaulting).
                prop_assert_eq!(p.port.to_string(), bag["port"].clone());
                prop_assert_eq!(&p.password, &bag["password"]);
                let again = Peer::from_bag(&p.to_bag().unwrap()).unwrap();
                prop_assert_eq!(again, p);
            }
            Err(e) => {
                prop_assert!(BAG_KEYS.contains(&e.key.as_str()), "{e}");
                check_error(&e.to_string(), &e.key)?;
            }
        }
    }

    #[test]
    fn any_config_loads_or_names_the_option(values in some_of(OPTIONS, number_value())) {
        match Config::from_config(&values) {
            Ok(c) => {
                if let Some(v) = values.get("server-port").filter(|v| !v.is_null()) {
                    prop_assert_eq!(Some(u64::from(c.server_port)), v.as_u64());
                }
                if let Some(v) = values.get("big").filter(|v| !v.is_null()) {
                    prop_assert_eq!(c.big, v.as_i64(), "never clamped");
                }
            }
            Err(e) => {
                prop_assert!(OPTIONS.contains(&e.option.as_str()), "{e}");
                check_error(&e.to_string(), &e.option)?;
            }
        }
    }

    #[test]
    fn any_params_decode_or_name_the_parameter(values in some_of(PARAMS, number_value())) {
        match Restore::from_params(&values) {
            Ok(p) => {
                if let Some(v) = values.get("count").filter(|v| !v.is_null()) {
                    prop_assert_eq!(Some(u64::from(p.count)), v.as_u64());
                }
            }
            Err(e) => {
                prop_assert!(PARAMS.contains(&e.param.as_str()), "{e}");
                check_error(&e.to_string(), &e.param)?;
            }
        }
    }
}
