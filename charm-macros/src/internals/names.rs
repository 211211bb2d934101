//! Names: the rules Juju applies to charm, endpoint, container, storage, option and action
//! names, a close valid name for an invalid one, and "did you mean" suggestions for
//! misspelled keys and events. Plain string functions, used by `attr` and `check`.

/// Whether Juju accepts `name` as a charm, endpoint, container, storage or option name:
/// `^[a-z][a-z0-9]*(-[a-z0-9]+)*$`.
pub fn is_valid_name(name: &str) -> bool {
    let mut parts = name.split('-');
    let first = parts.next().unwrap_or_default();
    first.starts_with(|c: char| c.is_ascii_lowercase())
        && first
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && parts.all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// Whether Juju accepts `name` as an action name: `^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$`.
pub fn is_valid_action_name(name: &str) -> bool {
    let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    !name.is_empty()
        && name.starts_with(ok)
        && name.ends_with(ok)
        && name.chars().all(|c| ok(c) || c == '-')
}

/// A valid name close to an invalid one: lowercase, `_` and spaces become `-`, other
/// characters are dropped. `None` if that is not valid either.
pub fn fix_name(name: &str) -> Option<String> {
    let mut out = String::new();
    for c in name.trim().chars() {
        match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' => out.push(c.to_ascii_lowercase()),
            '-' | '_' | ' ' if !out.is_empty() && !out.ends_with('-') => out.push('-'),
            _ => {}
        }
    }
    let fixed = out.trim_end_matches('-').to_string();
    (is_valid_name(&fixed) && fixed != name).then_some(fixed)
}

/// The optimal string alignment distance (Levenshtein plus adjacent transpositions).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// The closest candidate within a third of the word's length (at least 1, at most 3
/// edits); else the first candidate the word (of 4 characters or more) starts.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).clamp(1, 3);
    let closest = candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c);
    closest.or_else(|| {
        (word.len() >= 4)
            .then(|| candidates.iter().copied().find(|c| c.starts_with(word)))
            .flatten()
    })
}

/// "did you mean `x`?" when a candidate is close to `word`, else `otherwise()` (usually
/// the list of what is accepted).
pub fn hint(word: &str, candidates: &[&str], otherwise: impl FnOnce() -> String) -> String {
    match did_you_mean(word, candidates) {
        Some(s) => format!("did you mean `{s}`?"),
        None => otherwise(),
    }
}

/// How to write an ops-style event name (`database_relation_changed`,
/// `demo_server_pebble_ready`, `get_db_info_action`): the event with the endpoint,
/// container, storage or action as its argument, dashed (`relation_changed("database")`).
pub fn ops_event_hint(name: &str) -> Option<String> {
    const SUFFIXES: &[(&str, &str)] = &[
        ("_relation_created", "relation_created"),
        ("_relation_joined", "relation_joined"),
        ("_relation_changed", "relation_changed"),
        ("_relation_departed", "relation_departed"),
        ("_relation_broken", "relation_broken"),
        ("_storage_attached", "storage_attached"),
        ("_storage_detaching", "storage_detaching"),
        ("_pebble_ready", "pebble_ready"),
        ("_pebble_custom_notice", "pebble_custom_notice"),
        ("_pebble_check_failed", "pebble_check_failed"),
        ("_pebble_check_recovered", "pebble_check_recovered"),
        ("_action", "action"),
    ];
    SUFFIXES.iter().find_map(|(suffix, event)| {
        let target = name.strip_suffix(suffix).filter(|t| !t.is_empty())?;
        Some(format!("{event}(\"{}\")", target.replace('_', "-")))
    })
}

#[cfg(test)]
mod tests {
    use super::{
        did_you_mean, edit_distance, fix_name, hint, is_valid_action_name, is_valid_name,
        ops_event_hint,
    };

    #[test]
    fn names_juju_accepts() {
        for ok in ["demo", "demo-api-charm", "fastapi-peer", "db2", "a-1"] {
            assert!(is_valid_name(ok), "{ok}");
        }
        for bad in [
            "",
            "Demo",
            "demo_api",
            "-demo",
            "demo-",
            "demo--api",
            "1demo",
            "dé",
            "de mo",
        ] {
            assert!(!is_valid_name(bad), "{bad}");
        }
    }

    #[test]
    fn action_names_juju_accepts() {
        for ok in ["get-db-info", "backup", "1st", "a--b"] {
            assert!(is_valid_action_name(ok), "{ok}");
        }
        for bad in ["", "-a", "a-", "Get", "a_b"] {
            assert!(!is_valid_action_name(bad), "{bad}");
        }
    }

    #[test]
    fn fixes_names() {
        assert_eq!(fix_name("Fast_API peer").as_deref(), Some("fast-api-peer"));
        assert_eq!(fix_name("demo"), None);
        assert_eq!(fix_name("__"), None);
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("start", "start"), 0);
        assert_eq!(edit_distance("strat", "start"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn suggestions() {
        let events = ["start", "stop", "config_changed", "update_status"];
        assert_eq!(
            did_you_mean("confg_changed", &events),
            Some("config_changed")
        );
        assert_eq!(did_you_mean("strat", &events), Some("start"));
        assert_eq!(did_you_mean("instal", &["install"]), Some("install"));
        assert_eq!(did_you_mean("banana", &events), None);
        assert_eq!(did_you_mean("update", &events), Some("update_status"));
        assert_eq!(did_you_mean("sta", &events), None);
    }

    #[test]
    fn ops_style_event_names() {
        assert_eq!(
            ops_event_hint("database_relation_changed").as_deref(),
            Some("relation_changed(\"database\")")
        );
        assert_eq!(
            ops_event_hint("demo_server_pebble_ready").as_deref(),
            Some("pebble_ready(\"demo-server\")")
        );
        assert_eq!(
            ops_event_hint("get_db_info_action").as_deref(),
            Some("action(\"get-db-info\")")
        );
        assert_eq!(
            ops_event_hint("data_storage_attached").as_deref(),
            Some("storage_attached(\"data\")")
        );
        assert_eq!(ops_event_hint("relation_changed"), None);
        assert_eq!(ops_event_hint("banana"), None);
    }

    #[test]
    fn hints() {
        let keys = ["name", "summary"];
        assert_eq!(
            hint("summmary", &keys, || "no".into()),
            "did you mean `summary`?"
        );
        assert_eq!(
            hint("banana", &keys, || "expected name".into()),
            "expected name"
        );
    }
}
