//! Typed charm config: `#[derive(CharmConfig)]` on a struct declares the options in
//! `charmcraft.yaml` and loads them from `config-get`.
//!
//! Field names become option names with `_` replaced by `-` (or `#[config(name = "...")]`),
//! the Rust type gives the option type (see [`ConfigType`]), the doc comment gives the
//! description and `#[config(default = ...)]` the default. A field without a default must
//! be an `Option`, because Juju does not send unset options.

use crate::metadata::{ConfigOption, ConfigValue, OptionType};
use serde_json::{Map, Value};
use std::fmt;

/// A struct of typed config options.
pub trait CharmConfig: Sized {
    /// The options, for the charm's metadata.
    fn options() -> Vec<ConfigOption>;

    /// Loads the struct from what `config-get --format=json` printed.
    fn from_config(values: &Map<String, Value>) -> Result<Self, ConfigError>;
}

/// Charms without config use `()`.
impl CharmConfig for () {
    fn options() -> Vec<ConfigOption> {
        Vec::new()
    }
    fn from_config(_: &Map<String, Value>) -> Result<Self, ConfigError> {
        Ok(())
    }
}

/// A config option whose value could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The option name.
    pub option: String,
    /// What was wrong.
    pub problem: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "config option `{}`: {}", self.option, self.problem)
    }
}

impl std::error::Error for ConfigError {}

/// A Rust type a config option can have.
pub trait ConfigType: Sized {
    /// The charmcraft option type.
    const KIND: OptionType;
    /// Converts Juju's JSON value.
    fn from_json(value: &Value) -> Result<Self, String>;
    /// Converts a default into metadata form.
    fn to_config_value(&self) -> ConfigValue;
    /// Whether the option may be absent (true for `Option<T>`).
    const OPTIONAL: bool = false;
    /// The value when the option is absent, for optional types.
    fn absent() -> Option<Self> {
        None
    }
}

macro_rules! int_config {
    ($($t:ty),*) => {$(
        impl ConfigType for $t {
            const KIND: OptionType = OptionType::Int;
            fn from_json(value: &Value) -> Result<Self, String> {
                let n = value
                    .as_i64()
                    .or_else(|| value.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
                    .ok_or_else(|| format!("expected an int, got {value}"))?;
                <$t>::try_from(n).map_err(|_| format!("{n} is out of range for {}", stringify!($t)))
            }
            fn to_config_value(&self) -> ConfigValue {
                ConfigValue::Int(*self as i64)
            }
        }
    )*};
}

int_config!(i64, i32, i16, u8, u16, u32);

impl ConfigType for f64 {
    const KIND: OptionType = OptionType::Float;
    fn from_json(value: &Value) -> Result<Self, String> {
        value
            .as_f64()
            .ok_or_else(|| format!("expected a float, got {value}"))
    }
    fn to_config_value(&self) -> ConfigValue {
        ConfigValue::Float(*self)
    }
}

impl ConfigType for bool {
    const KIND: OptionType = OptionType::Boolean;
    fn from_json(value: &Value) -> Result<Self, String> {
        value
            .as_bool()
            .ok_or_else(|| format!("expected a boolean, got {value}"))
    }
    fn to_config_value(&self) -> ConfigValue {
        ConfigValue::Boolean(*self)
    }
}

impl ConfigType for String {
    const KIND: OptionType = OptionType::String;
    fn from_json(value: &Value) -> Result<Self, String> {
        value
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| format!("expected a string, got {value}"))
    }
    fn to_config_value(&self) -> ConfigValue {
        ConfigValue::String(self.clone())
    }
}

/// A `secret`-typed option: the URI of a secret the user granted to the application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretUri(pub String);

impl ConfigType for SecretUri {
    const KIND: OptionType = OptionType::Secret;
    fn from_json(value: &Value) -> Result<Self, String> {
        match value.as_str() {
            Some(s) if s.starts_with("secret:") => Ok(SecretUri(s.to_string())),
            _ => Err(format!("expected a secret URI (`secret:...`), got {value}")),
        }
    }
    fn to_config_value(&self) -> ConfigValue {
        ConfigValue::String(self.0.clone())
    }
}

impl<T: ConfigType> ConfigType for Option<T> {
    const KIND: OptionType = T::KIND;
    const OPTIONAL: bool = true;
    fn from_json(value: &Value) -> Result<Self, String> {
        if value.is_null() {
            Ok(None)
        } else {
            T::from_json(value).map(Some)
        }
    }
    fn to_config_value(&self) -> ConfigValue {
        match self {
            Some(v) => v.to_config_value(),
            None => ConfigValue::String(String::new()),
        }
    }
    fn absent() -> Option<Self> {
        Some(None)
    }
}

/// Reads one option for the derive: present → converted; absent → the default, or `None`
/// for `Option` fields, or an error naming the option.
pub fn read_option<T: ConfigType>(
    values: &Map<String, Value>,
    name: &str,
    default: Option<T>,
) -> Result<T, ConfigError> {
    let err = |problem: String| ConfigError {
        option: name.into(),
        problem,
    };
    match values.get(name) {
        Some(v) if !v.is_null() => T::from_json(v).map_err(err),
        _ => default
            .or_else(T::absent)
            .ok_or_else(|| err("not set and has no default".into())),
    }
}

/// Builds one option's metadata for the derive.
pub fn option<T: ConfigType>(name: &str, description: &str, default: Option<T>) -> ConfigOption {
    ConfigOption {
        name: name.into(),
        kind: T::KIND,
        default: default.map(|d| d.to_config_value()),
        description: (!description.is_empty()).then(|| description.to_string()),
    }
}
