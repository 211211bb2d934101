//! Relation and secret bags: string keys to string values, and Juju's default unit keys.

use std::collections::BTreeMap;

/// A relation bag: string keys to string values.
pub type BagData = BTreeMap<String, String>;

/// The address Juju's default bag keys and the default network use (TEST-NET-1, as
/// `ops.testing` does).
pub const DEFAULT_ADDRESS: &str = "192.0.2.0";

/// The keys Juju puts in every unit bag, with their default test values.
pub fn default_unit_bag() -> BagData {
    ["egress-subnets", "ingress-address", "private-address"]
        .into_iter()
        .map(|k| (k.to_string(), DEFAULT_ADDRESS.to_string()))
        .collect()
}

pub(crate) fn bag<K: Into<String>, V: Into<String>>(
    data: impl IntoIterator<Item = (K, V)>,
) -> BagData {
    data.into_iter()
        .map(|(k, v)| (k.into(), v.into()))
        .collect()
}
