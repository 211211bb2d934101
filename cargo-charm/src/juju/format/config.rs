//! `juju config APP` (Juju 3.6 `cmd/juju/application/config.go`): a Go map, keys sorted:
//! `application`, `application-config` (Juju's own per-application settings; the simulator
//! has `trust`), `charm`, `settings` (each option's `default`, `description`, `source`
//! (`default`, `user` or `unset`), `type` and `value` when it has one).

use serde_json::{Map, Value};

/// One charm option as the simulator knows it.
#[derive(Debug, Clone)]
pub struct OptionInfo {
    /// Its name.
    pub name: String,
    /// `string`, `int`, `float`, `boolean`, `secret`.
    pub kind: String,
    /// Its description.
    pub description: String,
    /// Its default, if any.
    pub default: Option<Value>,
    /// The value the user set, if any.
    pub user: Option<Value>,
}

/// The whole output.
pub fn config_value(app: &str, charm: &str, trust: bool, options: &[OptionInfo]) -> Value {
    let mut settings = Map::new();
    for o in options {
        let mut m = Map::new();
        if let Some(d) = &o.default {
            m.insert("default".into(), d.clone());
        }
        m.insert("description".into(), Value::from(o.description.as_str()));
        let (source, value) = match (&o.user, &o.default) {
            (Some(v), _) => ("user", Some(v.clone())),
            (None, Some(d)) => ("default", Some(d.clone())),
            (None, None) => ("unset", None),
        };
        m.insert("source".into(), Value::from(source));
        m.insert("type".into(), Value::from(o.kind.as_str()));
        if let Some(v) = value {
            m.insert("value".into(), v);
        }
        settings.insert(o.name.clone(), Value::Object(m));
    }
    let mut trust_m = Map::new();
    trust_m.insert("default".into(), Value::from(false));
    trust_m.insert(
        "description".into(),
        Value::from("Does this application have access to trusted credentials"),
    );
    trust_m.insert(
        "source".into(),
        Value::from(if trust { "user" } else { "default" }),
    );
    trust_m.insert("type".into(), Value::from("bool"));
    trust_m.insert("value".into(), Value::from(trust));
    let mut app_config = Map::new();
    app_config.insert("trust".into(), Value::Object(trust_m));
    let mut out = Map::new();
    out.insert("application".into(), Value::from(app));
    out.insert("application-config".into(), Value::Object(app_config));
    out.insert("charm".into(), Value::from(charm));
    out.insert("settings".into(), Value::Object(settings));
    Value::Object(out)
}

/// `juju config APP KEY`: the value alone (strings as they are, others as YAML scalars);
/// an empty line for an unset option.
pub fn single_value(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "\n".into(),
        Some(Value::String(s)) => format!("{s}\n"),
        Some(other) => format!("{other}\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_and_values() {
        let opts = vec![
            OptionInfo {
                name: "port".into(),
                kind: "int".into(),
                description: "p".into(),
                default: Some(Value::from(8000)),
                user: None,
            },
            OptionInfo {
                name: "name".into(),
                kind: "string".into(),
                description: "n".into(),
                default: None,
                user: None,
            },
        ];
        let v = config_value("a", "a", false, &opts);
        let s = super::super::json::to_string(&v);
        assert!(
            s.starts_with(r#"{"application":"a","application-config":{"trust":{"default":false,"#),
            "{s}"
        );
        assert!(s.contains(r#""port":{"default":8000,"description":"p","source":"default","type":"int","value":8000}"#), "{s}");
        assert!(
            s.contains(r#""name":{"description":"n","source":"unset","type":"string"}"#),
            "{s}"
        );
        assert_eq!(single_value(Some(&Value::from("x"))), "x\n");
        assert_eq!(single_value(Some(&Value::from(3))), "3\n");
    }
}
