//! Reading layers and plans from a JSON value (what the YAML parses into), field by field.
//!
//! The `Deserialize` impls of the layer types go through here instead of serde's derive:
//! the derive would be instantiated for every deserializer and, for the `extra` maps, for
//! serde's buffering too, which made a charm that reads its plan several hundred KiB larger.
//! Reading by hand also gives errors with the field's path (`services.web.user-id: ...`).
//!
//! Rules, as Go's YAML decoder applies them to Pebble's types: a null is "not set"; scalars
//! (numbers, booleans) are accepted as text for string fields; integers must be whole and in
//! range; durations use Go's syntax; unknown keys are kept in `extra`.

use super::duration::parse_go;
use super::layer::{
    Check, ExecCheck, Extra, HttpCheck, Layer, LayerError, LogTarget, Plan, Service, TcpCheck,
};
use serde::de::{Deserialize, Deserializer, Error as _};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::time::Duration;

type R<T> = Result<T, String>;

fn from_yaml<T>(
    what: &'static str,
    text: &str,
    read: fn(Value, &str) -> R<T>,
) -> Result<T, LayerError> {
    let err = |message: String| LayerError { what, message };
    // An empty document (or `null`) is an empty layer, as in ops and Pebble.
    let value: Value = serde_yaml::from_str(text).map_err(|e| err(e.to_string()))?;
    read(value, "").map_err(err)
}

impl Layer {
    /// Parses a layer's YAML (an empty document is an empty layer).
    pub fn from_yaml(text: &str) -> Result<Self, LayerError> {
        from_yaml("layer", text, layer)
    }
}

impl Plan {
    /// Parses a plan's YAML (what `GET /v1/plan?format=yaml` returns as its result).
    pub fn from_yaml(text: &str) -> Result<Self, LayerError> {
        from_yaml("plan", text, plan)
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// The keys of one mapping, taken one by one; what is left is `extra`.
struct Fields {
    map: Map<String, Value>,
    at: String,
}

impl Fields {
    fn new(v: Value, at: &str) -> R<Self> {
        match v {
            Value::Null => Ok(Fields {
                map: Map::new(),
                at: at.into(),
            }),
            Value::Object(map) => Ok(Fields { map, at: at.into() }),
            other => Err(format!(
                "{}: expected a mapping, got {}",
                at_or(at),
                kind(&other)
            )),
        }
    }

    fn path(&self, key: &str) -> String {
        if self.at.is_empty() {
            key.into()
        } else {
            format!("{}.{key}", self.at)
        }
    }

    /// The value of `key`, `None` when absent or null.
    fn take(&mut self, key: &str) -> Option<Value> {
        self.map.remove(key).filter(|v| !v.is_null())
    }

    fn string(&mut self, key: &str) -> R<String> {
        match self.take(key) {
            None => Ok(String::new()),
            Some(v) => scalar_text(v)
                .map_err(|k| format!("{}: expected a string, got {k}", self.path(key))),
        }
    }

    fn strings(&mut self, key: &str) -> R<Vec<String>> {
        match self.take(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, v) in items.into_iter().enumerate() {
                    out.push(scalar_text(v).map_err(|k| {
                        format!("{}[{i}]: expected a string, got {k}", self.path(key))
                    })?);
                }
                Ok(out)
            }
            Some(other) => Err(format!(
                "{}: expected a list of strings, got {}",
                self.path(key),
                kind(&other)
            )),
        }
    }

    fn map_of<T>(
        &mut self,
        key: &str,
        read: impl Fn(Value, &str) -> R<T>,
    ) -> R<BTreeMap<String, T>> {
        let path = self.path(key);
        match self.take(key) {
            None => Ok(BTreeMap::new()),
            Some(Value::Object(map)) => {
                // Inserted one by one: `collect` into a map would pull in a sort.
                let mut out = BTreeMap::new();
                for (k, v) in map {
                    let t = read(v, &format!("{path}.{k}"))?;
                    out.insert(k, t);
                }
                Ok(out)
            }
            Some(other) => Err(format!("{path}: expected a mapping, got {}", kind(&other))),
        }
    }

    fn string_map(&mut self, key: &str) -> R<BTreeMap<String, String>> {
        self.map_of(key, |v, at| {
            scalar_text(v).map_err(|k| format!("{at}: expected a string, got {k}"))
        })
    }

    fn text<E: for<'a> From<&'a str>>(&mut self, key: &str) -> R<Option<E>> {
        match self.take(key) {
            None => Ok(None),
            Some(v) => scalar_text(v)
                .map(|s| Some(E::from(s.as_str())))
                .map_err(|k| format!("{}: expected a string, got {k}", self.path(key))),
        }
    }

    fn duration(&mut self, key: &str) -> R<Option<Duration>> {
        match self.take(key) {
            None => Ok(None),
            Some(v) => {
                let text = scalar_text(v).map_err(|k| {
                    format!(
                        "{}: duration must be a YAML string, got {k}",
                        self.path(key)
                    )
                })?;
                parse_go(&text)
                    .map(Some)
                    .map_err(|e| format!("{}: {e}", self.path(key)))
            }
        }
    }

    fn uint(&mut self, key: &str, max: u64) -> R<Option<u64>> {
        match self.take(key) {
            None => Ok(None),
            Some(v) => match v.as_u64() {
                Some(n) if n <= max => Ok(Some(n)),
                _ => Err(format!(
                    "{}: expected an integer from 0 to {max}, got {v}",
                    self.path(key)
                )),
            },
        }
    }

    fn u32(&mut self, key: &str) -> R<Option<u32>> {
        Ok(self.uint(key, u32::MAX as u64)?.map(|n| n as u32))
    }

    fn u16(&mut self, key: &str) -> R<Option<u16>> {
        Ok(self.uint(key, u16::MAX as u64)?.map(|n| n as u16))
    }

    fn f64(&mut self, key: &str) -> R<Option<f64>> {
        match self.take(key) {
            None => Ok(None),
            Some(v) => match v.as_f64() {
                Some(f) => Ok(Some(f)),
                None => Err(format!(
                    "{}: expected a number, got {}",
                    self.path(key),
                    kind(&v)
                )),
            },
        }
    }

    fn sub<T>(&mut self, key: &str, read: impl Fn(Value, &str) -> R<T>) -> R<Option<T>> {
        let path = self.path(key);
        self.take(key).map(|v| read(v, &path)).transpose()
    }

    /// What no field took.
    fn extra(self) -> Extra {
        self.map
    }
}

fn at_or(at: &str) -> &str {
    if at.is_empty() {
        "the document"
    } else {
        at
    }
}

/// A scalar's text (strings as they are, numbers and booleans as written); the value's kind
/// otherwise.
fn scalar_text(v: Value) -> Result<String, &'static str> {
    match v {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(kind(&other)),
    }
}

fn layer(v: Value, at: &str) -> R<Layer> {
    let mut f = Fields::new(v, at)?;
    Ok(Layer {
        summary: f.string("summary")?,
        description: f.string("description")?,
        services: f.map_of("services", service)?,
        checks: f.map_of("checks", check)?,
        log_targets: f.map_of("log-targets", log_target)?,
        extra: f.extra(),
    })
}

fn plan(v: Value, at: &str) -> R<Plan> {
    let mut f = Fields::new(v, at)?;
    Ok(Plan {
        services: f.map_of("services", service)?,
        checks: f.map_of("checks", check)?,
        log_targets: f.map_of("log-targets", log_target)?,
        extra: f.extra(),
    })
}

fn service(v: Value, at: &str) -> R<Service> {
    let mut f = Fields::new(v, at)?;
    Ok(Service {
        summary: f.string("summary")?,
        description: f.string("description")?,
        startup: f.text("startup")?,
        override_: f.text("override")?,
        command: f.string("command")?,
        after: f.strings("after")?,
        before: f.strings("before")?,
        requires: f.strings("requires")?,
        workload: f.string("workload")?,
        environment: f.string_map("environment")?,
        user_id: f.u32("user-id")?,
        user: f.string("user")?,
        group_id: f.u32("group-id")?,
        group: f.string("group")?,
        working_dir: f.string("working-dir")?,
        on_success: f.text("on-success")?,
        on_failure: f.text("on-failure")?,
        on_check_failure: f.map_of("on-check-failure", |v, at| {
            scalar_text(v)
                .map(|s| s.as_str().into())
                .map_err(|k| format!("{at}: expected a string, got {k}"))
        })?,
        backoff_delay: f.duration("backoff-delay")?,
        backoff_factor: f.f64("backoff-factor")?,
        backoff_limit: f.duration("backoff-limit")?,
        kill_delay: f.duration("kill-delay")?,
        extra: f.extra(),
    })
}

fn check(v: Value, at: &str) -> R<Check> {
    let mut f = Fields::new(v, at)?;
    Ok(Check {
        override_: f.text("override")?,
        level: f.text("level")?,
        startup: f.text("startup")?,
        period: f.duration("period")?,
        timeout: f.duration("timeout")?,
        threshold: f.u32("threshold")?,
        http: f.sub("http", http_check)?,
        tcp: f.sub("tcp", tcp_check)?,
        exec: f.sub("exec", exec_check)?,
        extra: f.extra(),
    })
}

fn http_check(v: Value, at: &str) -> R<HttpCheck> {
    let mut f = Fields::new(v, at)?;
    Ok(HttpCheck {
        url: f.string("url")?,
        headers: f.string_map("headers")?,
        extra: f.extra(),
    })
}

fn tcp_check(v: Value, at: &str) -> R<TcpCheck> {
    let mut f = Fields::new(v, at)?;
    Ok(TcpCheck {
        port: f.u16("port")?,
        host: f.string("host")?,
        extra: f.extra(),
    })
}

fn exec_check(v: Value, at: &str) -> R<ExecCheck> {
    let mut f = Fields::new(v, at)?;
    Ok(ExecCheck {
        command: f.string("command")?,
        service_context: f.string("service-context")?,
        environment: f.string_map("environment")?,
        user_id: f.u32("user-id")?,
        user: f.string("user")?,
        group_id: f.u32("group-id")?,
        group: f.string("group")?,
        working_dir: f.string("working-dir")?,
        extra: f.extra(),
    })
}

fn log_target(v: Value, at: &str) -> R<LogTarget> {
    let mut f = Fields::new(v, at)?;
    Ok(LogTarget {
        type_: f.text("type")?,
        location: f.string("location")?,
        services: f.strings("services")?,
        override_: f.text("override")?,
        labels: f.string_map("labels")?,
        extra: f.extra(),
    })
}

/// `Deserialize` for each layer type through [`Value`] and its reader.
macro_rules! deserialize_via_value {
    ($($ty:ident => $read:ident,)*) => {$(
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = Value::deserialize(d)?;
                $read(v, "").map_err(D::Error::custom)
            }
        }
    )*};
}

deserialize_via_value! {
    Layer => layer,
    Plan => plan,
    Service => service,
    Check => check,
    HttpCheck => http_check,
    TcpCheck => tcp_check,
    ExecCheck => exec_check,
    LogTarget => log_target,
}
