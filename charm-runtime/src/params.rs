//! Typed action parameters: `#[derive(ActionParams)]` on a struct declares an action's
//! parameters (their JSON schema in `charmcraft.yaml`) and decodes what `action-get`
//! printed, so `#[action("name", params = MyParams)]` declares them once.
//!
//! Field names become parameter names with `_` replaced by `-` (or `#[param(name = "...")]`);
//! the Rust type gives the JSON-schema type (see [`ParamValue`]), the doc comment the
//! description and `#[param(default = ...)]` the default. A field that is neither an
//! `Option` nor defaulted is `required`. Juju checks the parameters against that schema
//! (unknown ones are refused unless the action says `additional_properties = true`) and
//! fills in the defaults before the charm runs.

use crate::metadata::{ActionParam, ParamType};
use serde_json::{Map, Value};
use std::fmt;

/// A struct of typed action parameters.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an action's parameters struct",
    label = "`params = ...` names a `#[derive(ActionParams)]` struct",
    note = "declare the parameters once, as the fields of a `#[derive(ActionParams)]` struct: doc comments describe them, `#[param(default = ...)]` sets defaults"
)]
pub trait ActionParams: Sized {
    /// The parameters, for the action's metadata.
    fn params() -> Vec<ActionParam>;

    /// Decodes the struct from what `action-get --format=json` printed.
    fn from_params(values: &Map<String, Value>) -> Result<Self, ParamError>;
}

/// An action parameter whose value could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    /// The parameter name.
    pub param: String,
    /// What was wrong.
    pub problem: String,
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "parameter `{}`: {}", self.param, self.problem)
    }
}

impl std::error::Error for ParamError {}

/// A Rust type an action parameter can have, with its JSON schema.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an action parameter type",
    label = "no JSON-schema type for this field",
    note = "parameters are `String`, `bool`, integers, `f64`, `Vec<T>` of those, or an `Option` of any of them"
)]
pub trait ParamValue: Sized {
    /// The JSON-schema type, or for schemas `type` alone cannot say, the nearest one.
    const KIND: ParamType;

    /// The whole schema when `type` alone does not say it (arrays: their `items`).
    fn schema() -> Option<Map<String, Value>> {
        None
    }

    /// Converts Juju's JSON value.
    fn from_json(value: &Value) -> Result<Self, String>;

    /// The value as JSON, for a default in the schema.
    fn to_json(&self) -> Value;

    /// The value when the parameter is absent, for optional types.
    fn absent() -> Option<Self> {
        None
    }
}

macro_rules! int_param {
    ($($t:ty),*) => {$(
        impl ParamValue for $t {
            const KIND: ParamType = ParamType::Integer;
            fn from_json(value: &Value) -> Result<Self, String> {
                let n = value
                    .as_i64()
                    .map(i128::from)
                    .or_else(|| value.as_u64().map(i128::from))
                    .ok_or_else(|| format!("expected an integer, got {}", crate::redact::describe(value)))?;
                <$t>::try_from(n)
                    .map_err(|_| format!("{n} is out of range for `{}`", stringify!($t)))
            }
            fn to_json(&self) -> Value {
                Value::from(*self)
            }
        }
    )*};
}

int_param!(i8, i16, i32, i64, u8, u16, u32, u64);

impl ParamValue for f64 {
    const KIND: ParamType = ParamType::Number;
    fn from_json(value: &Value) -> Result<Self, String> {
        value
            .as_f64()
            .ok_or_else(|| format!("expected a number, got {}", crate::redact::describe(value)))
    }
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

impl ParamValue for bool {
    const KIND: ParamType = ParamType::Boolean;
    fn from_json(value: &Value) -> Result<Self, String> {
        value
            .as_bool()
            .ok_or_else(|| format!("expected a boolean, got {}", crate::redact::describe(value)))
    }
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

impl ParamValue for String {
    const KIND: ParamType = ParamType::String;
    fn from_json(value: &Value) -> Result<Self, String> {
        value
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| format!("expected a string, got {}", crate::redact::describe(value)))
    }
    fn to_json(&self) -> Value {
        Value::from(self.as_str())
    }
}

impl<T: ParamValue> ParamValue for Option<T> {
    const KIND: ParamType = T::KIND;
    fn schema() -> Option<Map<String, Value>> {
        T::schema()
    }
    fn from_json(value: &Value) -> Result<Self, String> {
        if value.is_null() {
            Ok(None)
        } else {
            T::from_json(value).map(Some)
        }
    }
    fn to_json(&self) -> Value {
        self.as_ref().map_or(Value::Null, T::to_json)
    }
    fn absent() -> Option<Self> {
        Some(None)
    }
}

/// An `array` parameter, its `items` typed by `T`.
impl<T: ParamValue> ParamValue for Vec<T> {
    const KIND: ParamType = ParamType::String;
    fn schema() -> Option<Map<String, Value>> {
        let items = T::schema().unwrap_or_else(|| type_only(T::KIND));
        let mut schema = type_only_named("array");
        schema.insert("items".into(), Value::Object(items));
        Some(schema)
    }
    fn from_json(value: &Value) -> Result<Self, String> {
        let items = value
            .as_array()
            .ok_or_else(|| format!("expected an array, got {}", crate::redact::describe(value)))?;
        items
            .iter()
            .enumerate()
            .map(|(i, v)| T::from_json(v).map_err(|e| format!("item {i}: {e}")))
            .collect()
    }
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(T::to_json).collect())
    }
}

fn type_only(kind: ParamType) -> Map<String, Value> {
    type_only_named(kind.as_str())
}

fn type_only_named(name: &str) -> Map<String, Value> {
    let mut schema = Map::new();
    schema.insert("type".into(), name.into());
    schema
}

/// Builds one parameter's metadata for the derive. A parameter is required when it has
/// no default and its type is not an `Option`.
pub fn param<T: ParamValue>(name: &str, description: &str, default: Option<T>) -> ActionParam {
    let description = (!description.is_empty()).then(|| description.to_string());
    let default = default.map(|d| d.to_json());
    let required = default.is_none() && T::absent().is_none();
    let schema = T::schema().map(|mut schema| {
        if let Some(d) = &description {
            schema.insert("description".into(), d.as_str().into());
        }
        if let Some(d) = &default {
            schema.insert("default".into(), d.clone());
        }
        schema
    });
    ActionParam {
        name: name.into(),
        kind: T::KIND,
        description,
        default,
        required,
        schema,
    }
}

/// Reads one parameter for the derive: present → converted; absent → the default (Juju
/// fills it in, this covers a charm run by hand), or `None` for `Option` fields, or an
/// error naming the parameter.
pub fn read_param<T: ParamValue>(
    values: &Map<String, Value>,
    name: &str,
    default: Option<T>,
) -> Result<T, ParamError> {
    let err = |problem: String| ParamError {
        param: name.into(),
        problem,
    };
    match values.get(name) {
        Some(v) if !v.is_null() => T::from_json(v).map_err(err),
        _ => default
            .or_else(T::absent)
            .ok_or_else(|| err("missing, and it has no default".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::{param, read_param, ParamValue};
    use crate::metadata::ParamType;
    use serde_json::json;

    #[test]
    fn schemas_follow_the_types() {
        let p = param::<bool>("show-password", "Show it", Some(false));
        assert_eq!(
            (p.kind, p.default, p.required, p.schema),
            (ParamType::Boolean, Some(json!(false)), false, None)
        );
        assert!(param::<String>("target", "", None).required);
        assert!(!param::<Option<u32>>("limit", "", None).required);
        let list = param::<Vec<String>>("hosts", "Hosts", None);
        assert_eq!(
            serde_json::Value::Object(list.json_schema()),
            json!({"type": "array", "items": {"type": "string"}, "description": "Hosts"})
        );
    }

    #[test]
    fn values_are_read_exactly() {
        let values =
            json!({"retries": 300, "big": 99999999999999999999u128 as f64, "ids": [1, "x"]});
        let values = values.as_object().unwrap();
        assert_eq!(
            read_param::<u8>(values, "retries", None)
                .unwrap_err()
                .to_string(),
            "parameter `retries`: 300 is out of range for `u8`"
        );
        assert!(read_param::<i64>(values, "big", None).is_err());
        assert_eq!(
            read_param::<Vec<u32>>(values, "ids", None)
                .unwrap_err()
                .problem,
            "item 1: expected an integer, got a string (1 byte)"
        );
        assert_eq!(read_param::<u32>(values, "missing", Some(3)).unwrap(), 3);
        assert_eq!(
            read_param::<Option<u32>>(values, "missing", None).unwrap(),
            None
        );
        assert_eq!(
            read_param::<u32>(values, "missing", None)
                .unwrap_err()
                .problem,
            "missing, and it has no default"
        );
        assert_eq!(<Vec<bool>>::from_json(&json!([true])).unwrap(), [true]);
    }
}
