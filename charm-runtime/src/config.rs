//! Typed charm config: `#[derive(CharmConfig)]` on a struct declares the options in
//! `charmcraft.yaml` and loads them from `config-get`; `#[charm(config = MyConfig)]` makes
//! it the charm's [`Charm::Config`](crate::Charm::Config), which `model.config()` returns ([`ModelConfig`](crate::ModelConfig)).
//!
//! Field names become option names with `_` replaced by `-` (or `#[config(name = "...")]`),
//! the Rust type gives the option type (see [`ConfigType`]), the doc comment gives the
//! description and `#[config(default = ...)]` the default. A field without a default must
//! be an `Option`, because Juju does not send unset options.

use crate::error::Result;
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

/// The [`Charm::Config`](crate::Charm::Config) of a charm whose `#[charm(...)]` has no `config = ...`: it declares
/// no options, is never a value, and `model.config()` does not compile for it.
#[derive(Debug)]
pub enum NoConfig {}

/// A config type `model.config()` can return: every [`CharmConfig`], never [`NoConfig`].
#[diagnostic::on_unimplemented(
    message = "this charm declares no config, so `model.config()` has nothing to read",
    label = "the charm's `Config` is `{Self}`",
    note = "name the config struct in the charm's attribute: `#[charm(..., config = MyConfig)]`, \
            with `#[derive(CharmConfig)] struct MyConfig {{ ... }}`"
)]
pub trait DeclaredConfig: CharmConfig {}

impl<T: CharmConfig> DeclaredConfig for T {}

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
                int_from_json(value, stringify!($t), <$t>::MIN.into(), <$t>::MAX.into())
                    .map(|n| n as $t)
            }
            fn to_config_value(&self) -> ConfigValue {
                ConfigValue::Int((*self).into())
            }
        }
    )*};
}

/// An integer option's value, exactly: a JSON integer within `min..=max` (Juju sends int
/// options as JSON integers). Anything else, including an integer too large for 64 bits
/// (which JSON parsing can only hold as a float), is an error; nothing is rounded or
/// clamped.
fn int_from_json(value: &Value, ty: &str, min: i128, max: i128) -> Result<i128, String> {
    let n: i128 = if let Some(n) = value.as_i64() {
        n.into()
    } else if let Some(n) = value.as_u64() {
        n.into()
    } else if let Some(f) = value.as_f64() {
        return Err(if f.fract() == 0.0 {
            format!("{value} is out of range for `{ty}` ({min}..={max})")
        } else {
            format!("{value} is not an integer")
        });
    } else {
        return Err(format!(
            "expected an int, got {}",
            crate::redact::describe(value)
        ));
    };
    if n < min || n > max {
        return Err(format!("{n} is out of range for `{ty}` ({min}..={max})"));
    }
    Ok(n)
}

int_config!(i64, i32, i16, i8, u8, u16, u32);

impl ConfigType for f64 {
    const KIND: OptionType = OptionType::Float;
    fn from_json(value: &Value) -> Result<Self, String> {
        value
            .as_f64()
            .ok_or_else(|| format!("expected a float, got {}", crate::redact::describe(value)))
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
            .ok_or_else(|| format!("expected a boolean, got {}", crate::redact::describe(value)))
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
            .ok_or_else(|| format!("expected a string, got {}", crate::redact::describe(value)))
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
            _ => Err(format!(
                "expected a secret URI (`secret:...`), got {}",
                crate::redact::describe(value)
            )),
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

#[cfg(test)]
mod tests {
    use super::read_option;
    use serde_json::{Map, Value};

    fn values(text: &str) -> Map<String, Value> {
        serde_json::from_str(text).unwrap()
    }

    /// Integers are read exactly: a value beyond 64 bits (which JSON parsing holds as a
    /// float) is an error naming the option, never `i64::MAX`; ranges are the field's.
    /// (Issue 11: integer config was clamped through `f64 as i64`; fixed in c311847.)
    #[test]
    fn integers_are_never_clamped() {
        let v = values(r#"{"port": 99999999999999999999, "small": 300, "neg": -1, "f": 8000.5}"#);
        let err = read_option::<i64>(&v, "port", None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "config option `port`: 1e+20 is out of range for `i64` \
             (-9223372036854775808..=9223372036854775807)"
        );
        assert_eq!(
            read_option::<u8>(&v, "small", None)
                .unwrap_err()
                .to_string(),
            "config option `small`: 300 is out of range for `u8` (0..=255)"
        );
        assert!(read_option::<u32>(&v, "neg", None).is_err());
        assert_eq!(read_option::<i8>(&v, "neg", None).unwrap(), -1);
        assert_eq!(
            read_option::<i64>(&v, "f", None).unwrap_err().problem,
            "8000.5 is not an integer"
        );
        let max = values(&format!(r#"{{"max": {}}}"#, i64::MAX));
        assert_eq!(read_option::<i64>(&max, "max", None).unwrap(), i64::MAX);
        assert_eq!(
            read_option::<i64>(&values("{}"), "unset", Some(8000)).unwrap(),
            8000
        );
        assert_eq!(
            read_option::<i64>(&values(r#"{"s": "8000"}"#), "s", None)
                .unwrap_err()
                .problem,
            "expected an int, got a string (4 bytes)"
        );
    }
}
