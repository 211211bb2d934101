//! Typed relation databags: a struct maps to a bag, one key per field, each value either
//! JSON-encoded (ops' `Relation.save`/`Relation.load` convention, the default) or the raw
//! string itself (`#[databag(raw)]`, what cross-charm interfaces such as
//! `postgresql_client` and `http` carry). A JSON field whose type is a struct holds one
//! whole JSON object under its key, as the tutorial's `unit_stats` does.
//!
//! Derive [`Databag`] with `#[derive(Databag)]`; field attributes:
//! `#[databag(rename = "kebab-key")]`, `#[databag(raw)]` and `#[databag(json)]`; on the
//! struct, `#[databag(raw)]` makes raw the default for every field. `Option` fields may
//! be missing; saving `None` deletes the key. Loading an `Option<D>` gives `None` while a
//! key `D` requires is missing, as before the remote application has sent everything.

use crate::hooktools::cmd::BagData;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

/// Keys Juju itself puts in unit bags; [`Databag`] loading ignores them.
pub const JUJU_KEYS: &[&str] = &["egress-subnets", "ingress-address", "private-address"];

/// A struct stored in a relation bag.
pub trait Databag: Sized {
    /// The keys this struct reads and writes, in declaration order.
    const KEYS: &'static [&'static str];

    /// The keys it cannot do without (its fields that are not an `Option`); the derive
    /// lists them. Loading an `Option<Self>` is `None` while one of them is missing.
    const REQUIRED: &'static [&'static str] = &[];

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

/// A type a JSON-encoded field can have: anything serde reads and writes.
pub trait JsonField: Serialize + DeserializeOwned {}

impl<T: Serialize + DeserializeOwned> JsonField for T {}

/// A type a raw field can have: the bag's string is its text (`String`, numbers, `bool`,
/// anything with `FromStr` and `Display`).
pub trait RawField: FromStr + fmt::Display {}

impl<T: FromStr + fmt::Display> RawField for T {}

fn missing(key: &str) -> FieldError {
    FieldError {
        key: key.into(),
        problem: "missing (the field is not an Option)".into(),
    }
}

/// Reads one required JSON field: the key must be present and hold JSON for `T`.
pub fn read_field<T: JsonField>(bag: &BagData, key: &str) -> Result<T, FieldError> {
    match bag.get(key) {
        Some(raw) => decode(key, raw),
        None => Err(missing(key)),
    }
}

/// Reads one optional JSON field: a missing key (or `""`) is `None`.
pub fn read_optional_field<T: JsonField>(
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
        // The value may be confidential (a password in a database relation): its size and
        // what was wrong with it, never its text.
        problem: format!(
            "cannot decode the value ({}): {}",
            crate::redact::bytes(raw.len()),
            crate::redact::serde_problem(&e)
        ),
    })
}

/// Writes one JSON field as Python-compatible JSON.
pub fn write_field<T: JsonField>(
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

/// Writes one optional JSON field; `None` becomes `""`, which deletes the key.
pub fn write_optional_field<T: JsonField>(
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

fn parse_raw<T: RawField>(key: &str, raw: &str) -> Result<T, FieldError> {
    raw.parse().map_err(|_| FieldError {
        key: key.into(),
        problem: format!(
            "the value ({}) is not a valid `{}`",
            crate::redact::bytes(raw.len()),
            std::any::type_name::<T>()
                .rsplit("::")
                .next()
                .unwrap_or("value")
        ),
    })
}

/// Reads one required raw field: the key must be present and its text parse as `T`.
pub fn read_raw_field<T: RawField>(bag: &BagData, key: &str) -> Result<T, FieldError> {
    match bag.get(key) {
        Some(raw) => parse_raw(key, raw),
        None => Err(missing(key)),
    }
}

/// Reads one optional raw field: a missing key (or `""`) is `None`.
pub fn read_optional_raw_field<T: RawField>(
    bag: &BagData,
    key: &str,
) -> Result<Option<T>, FieldError> {
    match bag.get(key) {
        Some(raw) if !raw.is_empty() => parse_raw(key, raw).map(Some),
        _ => Ok(None),
    }
}

/// Writes one raw field: its text. An empty text deletes the key, as in Juju.
pub fn write_raw_field<T: RawField>(
    bag: &mut BagData,
    key: &str,
    value: &T,
) -> Result<(), FieldError> {
    bag.insert(key.into(), value.to_string());
    Ok(())
}

/// Writes one optional raw field; `None` becomes `""`, which deletes the key.
pub fn write_optional_raw_field<T: RawField>(
    bag: &mut BagData,
    key: &str,
    value: &Option<T>,
) -> Result<(), FieldError> {
    bag.insert(
        key.into(),
        value.as_ref().map(T::to_string).unwrap_or_default(),
    );
    Ok(())
}

/// How `#[derive(Databag)]` reads and writes a field, chosen by its type (autoref
/// specialisation): [`FieldCodec`] for a type that fits (serde's traits for JSON, `FromStr`
/// and `Display` for raw), else [`JsonMissing`] / [`RawMissing`], whose read does not
/// compile and names the fix, once per field, at the field's type.
pub struct Codec<T, K>(PhantomData<fn() -> (T, K)>);

/// JSON-encoded values.
pub enum Json {}

/// Raw strings.
pub enum Raw {}

impl<T, K> Codec<T, K> {
    /// The codec of `T`.
    pub const fn new() -> Self {
        Codec(PhantomData)
    }
}

impl<T, K> Default for Codec<T, K> {
    fn default() -> Self {
        Self::new()
    }
}

/// A field type that fits its encoding.
pub trait FieldCodec<T> {
    /// Reads a required field.
    fn read(&self, bag: &BagData, key: &str) -> Result<T, FieldError>;
    /// Reads an optional field.
    fn read_optional(&self, bag: &BagData, key: &str) -> Result<Option<T>, FieldError>;
    /// Writes a required field.
    fn write(&self, bag: &mut BagData, key: &str, value: &T) -> Result<(), FieldError>;
    /// Writes an optional field.
    fn write_optional(
        &self,
        bag: &mut BagData,
        key: &str,
        value: &Option<T>,
    ) -> Result<(), FieldError>;
}

impl<T: JsonField> FieldCodec<T> for Codec<T, Json> {
    fn read(&self, bag: &BagData, key: &str) -> Result<T, FieldError> {
        read_field(bag, key)
    }
    fn read_optional(&self, bag: &BagData, key: &str) -> Result<Option<T>, FieldError> {
        read_optional_field(bag, key)
    }
    fn write(&self, bag: &mut BagData, key: &str, value: &T) -> Result<(), FieldError> {
        write_field(bag, key, value)
    }
    fn write_optional(
        &self,
        bag: &mut BagData,
        key: &str,
        value: &Option<T>,
    ) -> Result<(), FieldError> {
        write_optional_field(bag, key, value)
    }
}

impl<T: RawField> FieldCodec<T> for Codec<T, Raw> {
    fn read(&self, bag: &BagData, key: &str) -> Result<T, FieldError> {
        read_raw_field(bag, key)
    }
    fn read_optional(&self, bag: &BagData, key: &str) -> Result<Option<T>, FieldError> {
        read_optional_raw_field(bag, key)
    }
    fn write(&self, bag: &mut BagData, key: &str, value: &T) -> Result<(), FieldError> {
        write_raw_field(bag, key, value)
    }
    fn write_optional(
        &self,
        bag: &mut BagData,
        key: &str,
        value: &Option<T>,
    ) -> Result<(), FieldError> {
        write_optional_raw_field(bag, key, value)
    }
}

/// Never implemented: the one error a JSON field of an unfit type gets.
#[diagnostic::on_unimplemented(
    message = "databag field type `{Self}` is not JSON-ready",
    label = "`{Self}` is not (de)serializable",
    note = "put `#[json_value]` on `{Self}` (serde's derives through the runtime), or store the field as a plain string with `#[databag(raw)]`"
)]
pub trait JsonReady {}

/// Never implemented: the one error a raw field of an unfit type gets.
#[diagnostic::on_unimplemented(
    message = "databag field type `{Self}` cannot be a raw string",
    label = "raw fields need `FromStr` and `Display`",
    note = "raw fields are `String`, numbers, `bool` or another type with `FromStr` and `Display`; without `raw` the field is JSON, which takes any serde type (`#[json_value]` makes one)"
)]
pub trait RawReady {}

/// The fallback codec of a JSON field whose type does not fit: reading it does not
/// compile ([`JsonReady`] has no impls), the writes never run.
pub trait JsonMissing<T> {
    /// Does not compile: names the fix.
    fn read(&self, bag: &BagData, key: &str) -> Result<T, FieldError>
    where
        T: JsonReady,
    {
        Err(unfit(bag, key))
    }
    /// Does not compile: names the fix.
    fn read_optional(&self, bag: &BagData, key: &str) -> Result<Option<T>, FieldError>
    where
        T: JsonReady,
    {
        Err(unfit(bag, key))
    }
    /// Never runs (the read does not compile).
    fn write(&self, bag: &mut BagData, key: &str, _: &T) -> Result<(), FieldError> {
        Err(unfit(bag, key))
    }
    /// Never runs (the read does not compile).
    fn write_optional(
        &self,
        bag: &mut BagData,
        key: &str,
        _: &Option<T>,
    ) -> Result<(), FieldError> {
        Err(unfit(bag, key))
    }
}

impl<T> JsonMissing<T> for &Codec<T, Json> {}

/// The fallback codec of a raw field whose type does not fit: reading it does not
/// compile ([`RawReady`] has no impls), the writes never run.
pub trait RawMissing<T> {
    /// Does not compile: names the fix.
    fn read(&self, bag: &BagData, key: &str) -> Result<T, FieldError>
    where
        T: RawReady,
    {
        Err(unfit(bag, key))
    }
    /// Does not compile: names the fix.
    fn read_optional(&self, bag: &BagData, key: &str) -> Result<Option<T>, FieldError>
    where
        T: RawReady,
    {
        Err(unfit(bag, key))
    }
    /// Never runs (the read does not compile).
    fn write(&self, bag: &mut BagData, key: &str, _: &T) -> Result<(), FieldError> {
        Err(unfit(bag, key))
    }
    /// Never runs (the read does not compile).
    fn write_optional(
        &self,
        bag: &mut BagData,
        key: &str,
        _: &Option<T>,
    ) -> Result<(), FieldError> {
        Err(unfit(bag, key))
    }
}

impl<T> RawMissing<T> for &Codec<T, Raw> {}

fn unfit(_: &BagData, key: &str) -> FieldError {
    FieldError {
        key: key.into(),
        problem: "the field's type does not fit its encoding".into(),
    }
}

/// A bag that may not be complete yet: `None` while one of `D`'s required keys is missing
/// (the remote application has not sent everything yet), else `D`, whose values must
/// decode (a value that is there but wrong is an error, naming its key, not `None`).
/// Saving `None` deletes every key `D` declares.
///
/// ```
/// use charm_runtime::prelude::*;
/// use charm_runtime::hooktools::cmd::BagData;
/// use charm_runtime::databag::Databag;
///
/// #[derive(Databag, Debug, PartialEq)]
/// #[databag(raw)]
/// struct Credentials {
///     username: String,
///     password: String,
/// }
///
/// let mut bag = BagData::from([("username".to_string(), "admin".to_string())]);
/// assert_eq!(Option::<Credentials>::from_bag(&bag).unwrap(), None);
/// bag.insert("password".into(), "hunter2".into());
/// let creds = Option::<Credentials>::from_bag(&bag).unwrap().unwrap();
/// assert_eq!(creds.password, "hunter2");
/// ```
impl<D: Databag> Databag for Option<D> {
    const KEYS: &'static [&'static str] = D::KEYS;

    fn from_bag(bag: &BagData) -> Result<Self, FieldError> {
        if D::REQUIRED.iter().any(|k| !bag.contains_key(*k)) {
            return Ok(None);
        }
        D::from_bag(bag).map(Some)
    }

    fn to_bag(&self) -> Result<BagData, FieldError> {
        match self {
            Some(d) => d.to_bag(),
            None => Ok(D::KEYS
                .iter()
                .map(|k| (k.to_string(), String::new()))
                .collect()),
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
