//! The shapes Juju gives the names and ids it passes in the `JUJU_*` environment, so a
//! value Juju would never send is refused before it reaches a hook tool's argv. The rules
//! are Juju's own regular expressions, written as plain functions:
//!
//! - application: `names` (v5/v6) `ApplicationSnippet`,
//!   `[a-z][a-z0-9]*(?:-[a-z0-9]*[a-z][a-z0-9]*)*` (every `-`-separated part after the
//!   first holds a letter); storage names (`StorageNameSnippet`) have the same shape;
//! - unit: `names` `UnitSnippet`, `<application>/<NumberSnippet>`, where `NumberSnippet`
//!   is `0|[1-9][0-9]*`;
//! - endpoint (relation name): `names` `RelationSnippet`, `[a-z][a-z0-9]*(?:[_-][a-z0-9]+)*`;
//!   `JUJU_RELATION_ID` is `<endpoint>:<id>` (the uniter's `FakeId`, `%s:%d`);
//! - action: charm `actionNameRule`, `^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$`;
//! - model: `names` `validModelName`, `^[a-z0-9]+[a-z0-9-]*$`.

/// How many bytes of a bad value an error quotes.
pub const SHOWN_VALUE_BYTES: usize = 64;

/// A bad value as errors quote it: at most [`SHOWN_VALUE_BYTES`] (at a character
/// boundary) with its full length after, control characters escaped, so a huge or
/// multi-line value gives one short line.
pub fn shown(value: &str) -> String {
    let mut cut = value.len().min(SHOWN_VALUE_BYTES);
    while !value.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut out = String::with_capacity(cut + 24);
    for c in value[..cut].chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    if cut < value.len() {
        out.push_str(&format!("...[{} bytes]", value.len()));
    }
    out
}

fn lower_alnum(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// `NumberSnippet`: `0` or digits without a leading zero, and it fits `u64`.
pub fn number(s: &str) -> Option<u64> {
    let digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits || (s.len() > 1 && s.starts_with('0')) {
        return None;
    }
    s.parse().ok()
}

/// `ApplicationSnippet` (and `StorageNameSnippet`): dash-separated parts of lowercase
/// letters and digits, the first starting with a letter, every other one holding one.
pub fn is_application(s: &str) -> bool {
    if !s.starts_with(|c: char| c.is_ascii_lowercase()) {
        return false;
    }
    // One pass over the bytes: a part ends at a dash or at the end, and must have a letter.
    let mut part_has_letter = true;
    for b in s.bytes() {
        match b {
            b'-' if !part_has_letter => return false,
            b'-' => part_has_letter = false,
            b'a'..=b'z' => part_has_letter = true,
            b'0'..=b'9' => {}
            _ => return false,
        }
    }
    part_has_letter
}

/// `UnitSnippet`: `<application>/<number>`, split.
pub fn unit(s: &str) -> Option<(&str, u32)> {
    let (app, n) = s.split_once('/')?;
    if !is_application(app) {
        return None;
    }
    let n = u32::try_from(number(n)?).ok()?;
    Some((app, n))
}

/// `RelationSnippet`: an endpoint name (also used for container names).
pub fn is_endpoint(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if !first.is_ascii_lowercase() {
        return false;
    }
    let mut after_separator = false;
    for c in s.chars() {
        match c {
            '-' | '_' if after_separator => return false,
            '-' | '_' => after_separator = true,
            c if lower_alnum(c) => after_separator = false,
            _ => return false,
        }
    }
    !after_separator
}

/// Juju's action-name rule.
pub fn is_action(s: &str) -> bool {
    s.starts_with(lower_alnum)
        && s.ends_with(lower_alnum)
        && s.chars().all(|c| lower_alnum(c) || c == '-')
}

/// Juju's model-name rule.
pub fn is_model(s: &str) -> bool {
    s.starts_with(lower_alnum) && s.chars().all(|c| lower_alnum(c) || c == '-')
}

/// A hook name as the last part of `JUJU_DISPATCH_PATH`: lowercase letters, digits, `-`
/// and `_` (endpoint names may hold `_`), starting with a letter or digit.
pub fn is_hook(s: &str) -> bool {
    s.starts_with(lower_alnum) && s.chars().all(|c| lower_alnum(c) || c == '-' || c == '_')
}

/// An action id: a number (Juju ≥ 2.8) or a UUID (older).
pub fn is_action_id(s: &str) -> bool {
    let uuid = s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        });
    uuid || number(s).is_some()
}

/// A secret URI: `secret:<id>` or `secret://<model-uuid>/<id>`, ids of lowercase letters
/// and digits (Juju's xid form, base32 `0-9a-v`).
pub fn is_secret_uri(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("secret:") else {
        return false;
    };
    let id = match rest.strip_prefix("//") {
        Some(path) => match path.split_once('/') {
            Some((model, id))
                if !model.is_empty()
                    && model.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') =>
            {
                id
            }
            _ => return false,
        },
        None => rest,
    };
    !id.is_empty() && id.chars().all(lower_alnum)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn juju_name_rules() {
        for ok in [
            "a",
            "myapp",
            "my-app",
            "app2",
            "a-b2",
            "postgresql-k8s",
            "a-1b",
        ] {
            assert!(is_application(ok), "{ok}");
        }
        for bad in [
            "", "-x", "My", "app-", "app-1", "a--b", "1app", "a_b", "app/0", "é",
        ] {
            assert!(!is_application(bad), "{bad}");
        }
        assert_eq!(unit("myapp/0"), Some(("myapp", 0)));
        assert_eq!(unit("postgresql-k8s/12"), Some(("postgresql-k8s", 12)));
        for bad in [
            "-x/0",
            "myapp/01",
            "myapp/",
            "myapp/4294967296",
            "a/b/0",
            "myapp",
        ] {
            assert_eq!(unit(bad), None, "{bad}");
        }
        for ok in ["db", "fastapi-peer", "db_admin", "a1-b2_c3"] {
            assert!(is_endpoint(ok), "{ok}");
        }
        for bad in ["", "-db", "db-", "d--b", "Db", "1db", "db:0", "d b"] {
            assert!(!is_endpoint(bad), "{bad}");
        }
        for ok in ["backup", "get-db-info", "2fa", "a"] {
            assert!(is_action(ok), "{ok}");
        }
        for bad in ["", "-x", "x-", "Backup", "a_b"] {
            assert!(!is_action(bad), "{bad}");
        }
        assert!(is_action_id("42") && is_action_id("0b1c2d3e-0000-4000-8000-000000000000"));
        assert!(!is_action_id("-1") && !is_action_id("042") && !is_action_id("x"));
        assert!(is_secret_uri("secret:d1b2k8hnm2h3bq5rpmn0"));
        assert!(is_secret_uri(
            "secret://0b1c2d3e-0000-4000-8000-000000000000/d1b2k8hnm2h3bq5rpmn0"
        ));
        assert!(!is_secret_uri("secret:") && !is_secret_uri("-x") && !is_secret_uri("secret:a b"));
        assert_eq!(number("0"), Some(0));
        assert_eq!(number("007"), None);
    }

    /// The one-pass check against the rule as written (split at dashes), on every string of
    /// up to five characters over letters, digits, dashes and other characters.
    #[test]
    fn application_names_by_the_rule() {
        fn by_rule(s: &str) -> bool {
            let mut parts = s.split('-');
            let first = parts.next().unwrap_or_default();
            first.starts_with(|c: char| c.is_ascii_lowercase())
                && first.chars().all(lower_alnum)
                && parts.all(|p| {
                    p.chars().all(lower_alnum) && p.chars().any(|c| c.is_ascii_lowercase())
                })
        }
        let alphabet = ['a', 'z', '0', '9', '-', 'A', '_', '/', 'é'];
        let mut level = vec![String::new()];
        let mut seen = 0;
        for _ in 0..=5 {
            for w in &level {
                assert_eq!(is_application(w), by_rule(w), "{w:?}");
                seen += 1;
            }
            level = level
                .iter()
                .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
                .collect();
        }
        assert_eq!(seen, (0..=5).map(|n| 9_usize.pow(n)).sum::<usize>());
    }

    #[test]
    fn shown_values_are_short_and_one_line() {
        assert_eq!(shown("db:x"), "db:x");
        assert_eq!(shown("a\nb"), "a\\nb");
        let long = "x".repeat(100_000);
        assert_eq!(shown(&long), format!("{}...[100000 bytes]", "x".repeat(64)));
        let wide = "é".repeat(40);
        assert!(shown(&wide).starts_with(&"é".repeat(32)));
    }
}
