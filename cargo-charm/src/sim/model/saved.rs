//! Models saved in an earlier layout, brought to the current one ([`super::FORMAT`]) as
//! they load.

use serde_json::{json, Value};

/// Brings a saved `model.json` to the current layout. Format 1 (one application: `app`,
/// with `units` and `next.unit` beside it, its charm in `<state>/charm`) becomes format 2
/// (`apps`, each with its units, unit counter and charm directory; relations name their
/// first application). Anything else is returned as it is, for the format check to judge.
pub fn upgrade(mut saved: Value) -> Value {
    if saved.get("format").and_then(Value::as_u64) != Some(1) {
        return saved;
    }
    let Some(obj) = saved.as_object_mut() else {
        return saved;
    };
    // Format 2 from here on: what does not fit is reported as a corrupt model.
    obj.insert("format".into(), json!(2));
    let (Some(Value::Object(mut app)), units) = (obj.remove("app"), obj.remove("units")) else {
        return saved;
    };
    let name = app.get("name").cloned().unwrap_or(Value::Null);
    let next_unit = obj
        .get_mut("next")
        .and_then(Value::as_object_mut)
        .and_then(|n| n.remove("unit"))
        .unwrap_or(json!(0));
    app.insert("charm_dir".into(), json!("charm"));
    app.insert("units".into(), units.unwrap_or(json!({})));
    app.insert("next_unit".into(), next_unit);
    if let Some(rels) = obj.get_mut("relations").and_then(Value::as_object_mut) {
        for rel in rels.values_mut().filter_map(Value::as_object_mut) {
            rel.insert("app".into(), name.clone());
        }
    }
    let key = name.as_str().unwrap_or_default().to_string();
    obj.insert("apps".into(), json!({ key: Value::Object(app) }));
    obj.insert("format".into(), json!(2));
    saved
}

/// Brings a format 2 `model.json` (its history inside it) to format 3: returns its
/// `events`, `logs` and `tasks` (as an object holding those present), which the store
/// appends to the history files at the next save. `None` for any other format.
pub fn take_history(saved: &mut Value) -> Option<Value> {
    if saved.get("format").and_then(Value::as_u64) != Some(2) {
        return None;
    }
    let obj = saved.as_object_mut()?;
    let mut history = serde_json::Map::new();
    for key in ["events", "logs", "tasks"] {
        if let Some(v) = obj.remove(key) {
            history.insert(key.into(), v);
        }
    }
    obj.insert("format".into(), json!(3));
    Some(Value::Object(history))
}

/// Brings a format 3 `model.json` to format 4: nothing moves (its queue is all in
/// `model.json`, which format 4 allows), only the number changes.
pub fn inline_queue(saved: &mut Value) {
    if saved.get("format").and_then(Value::as_u64) != Some(3) {
        return;
    }
    if let Some(obj) = saved.as_object_mut() {
        obj.insert("format".into(), json!(4));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_1_becomes_format_2() {
        let v1 = json!({
            "format": 1, "name": "sim", "uuid": "u",
            "app": {"name": "demo", "leader": "demo/0"},
            "units": {"0": {"name": "demo/0"}},
            "relations": {"0": {"endpoint": "peers"}},
            "next": {"unit": 3, "relation": 1}
        });
        let v2 = upgrade(v1);
        assert_eq!(v2["format"], 2);
        assert!(v2.get("app").is_none() && v2.get("units").is_none());
        let app = &v2["apps"]["demo"];
        assert_eq!(app["charm_dir"], "charm");
        assert_eq!(app["units"]["0"]["name"], "demo/0");
        assert_eq!(app["next_unit"], 3);
        assert_eq!(v2["relations"]["0"]["app"], "demo");
        assert_eq!(v2["next"], json!({"relation": 1}));
        // Other formats are left for the format check; a format 1 without its application
        // is format 2 without applications (a corrupt model).
        assert_eq!(upgrade(json!({"format": 99})), json!({"format": 99}));
        assert_eq!(
            upgrade(json!({"format": 1, "name": 3})),
            json!({"format": 2, "name": 3})
        );
    }

    #[test]
    fn format_2_gives_up_its_history() {
        let mut v2 = json!({"format": 2, "name": "sim", "events": [{"seq": 0}], "logs": []});
        let history = take_history(&mut v2).unwrap();
        assert_eq!(v2, json!({"format": 3, "name": "sim"}));
        assert_eq!(history, json!({"events": [{"seq": 0}], "logs": []}));
        assert!(take_history(&mut json!({"format": 3})).is_none());
    }

    #[test]
    fn format_3_is_format_4_with_its_queue_inline() {
        let mut v3 = json!({"format": 3, "queue": [{"step": "fresh-pod", "unit": "a/0"}]});
        inline_queue(&mut v3);
        assert_eq!(
            v3,
            json!({"format": 4, "queue": [{"step": "fresh-pod", "unit": "a/0"}]})
        );
        let mut v2 = json!({"format": 2});
        inline_queue(&mut v2);
        assert_eq!(v2, json!({"format": 2}));
    }
}
