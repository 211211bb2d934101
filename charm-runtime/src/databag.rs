//! Typed relation databags: a struct maps to a bag, one key per field, each value
//! JSON-encoded (ops' `Relation.save`/`Relation.load` convention). A field whose type is a
//! struct holds one whole JSON object under its key, as the tutorial's `unit_stats` does.
//!
//! Derive [`Databag`] with `#[derive(Databag)]`; field attributes:
//! `#[databag(rename = "kebab-key")]`. `Option` fields may be missing; saving `None`
//! deletes the key.

use crate::hooktools::cmd::BagData;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt;

/// Keys Juju itself puts in unit bags; [`Databag`] loading ignores them.
pub const JUJU_KEYS: &[&str] = &["egress-subnets", "ingress-address", "private-address"];

/// A struct stored in a relation bag.
pub trait Databag: Sized {
    /// The keys this struct reads and writes, in declaration order.
    const KEYS: &'static [&'static str];

    /// Decodes the struct from a bag. Keys it does not declare are ignored.
    fn from_bag(bag: &BagData) -> Result<Self, FieldError>;

    /// Encodes every declared key; a `None` field becomes `""` (delete).
    fn to_bag(&self) -> Result<BagData, FieldError>;
}

/// A field that could not be decoded or encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The bag key.
    pub key: String,
    /// What was wrong.
    pub problem: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "key `{}`: {}", self.key, self.problem)
    }
}

impl std::error::Error for FieldError {}

/// Reads one required field: the key must be present and hold JSON for `T`.
pub fn read_field<T: DeserializeOwned>(bag: &BagData, key: &str) -> Result<T, FieldError> {
    match bag.get(key) {
        Some(raw) => decode(key, raw),
        None => Err(FieldError {
            key: key.into(),
            problem: "missing (the field is not an Option)".into(),
        }),
    }
}

/// Reads one optional field: a missing key (or `""`) is `None`.
pub fn read_optional_field<T: DeserializeOwned>(
    bag: &BagData,
    key: &str,
) -> Result<Option<T>, FieldError> {
    match bag.get(key) {
        Some(raw) if !raw.is_empty() => decode(key, raw).map(Some),
        _ => Ok(None),
    }
}

fn decode<T: DeserializeOwned>(key: &str, raw: &str) -> Result<T, FieldError> {
    serde_json::from_str(raw).map_err(|e| FieldError {
        key: key.into(),
        problem: format!("cannot decode {raw:?}: {e}"),
    })
}

/// Writes one field as Python-compatible JSON.
pub fn write_field<T: Serialize + ?Sized>(
    bag: &mut BagData,
    key: &str,
    value: &T,
) -> Result<(), FieldError> {
    let s = crate::json::to_string(value).map_err(|e| FieldError {
        key: key.into(),
        problem: format!("cannot encode: {e}"),
    })?;
    bag.insert(key.into(), s);
    Ok(())
}

/// Writes one optional field; `None` becomes `""`, which deletes the key.
pub fn write_optional_field<T: Serialize>(
    bag: &mut BagData,
    key: &str,
    value: &Option<T>,
) -> Result<(), FieldError> {
    match value {
        Some(v) => write_field(bag, key, v),
        None => {
            bag.insert(key.into(), String::new());
            Ok(())
        }
    }
}

/// The untyped bag itself is a databag too: every key, raw strings.
impl Databag for BagData {
    const KEYS: &'static [&'static str] = &[];

    fn from_bag(bag: &BagData) -> Result<Self, FieldError> {
        Ok(bag
            .iter()
            .filter(|(k, _)| !JUJU_KEYS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect())
    }

    fn to_bag(&self) -> Result<BagData, FieldError> {
        Ok(self.clone())
    }
}
