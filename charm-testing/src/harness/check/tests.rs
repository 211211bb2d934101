//! Juju's application-name rule, as the checker applies it.

use super::is_valid_app_name;

#[test]
fn application_names_follow_jujus_rule() {
    for name in ["demo", "demo-api-charm", "a1", "app-2x", "a-b-c", "x-1a-b2"] {
        assert!(
            is_valid_app_name(name),
            "{name:?} is a valid application name"
        );
    }
    for name in [
        "", "1app", "Demo", "-app", "app-", "app--x", "app-2", "a-b-12", "ap_p", "app.x", "é",
        "app-é",
    ] {
        assert!(
            !is_valid_app_name(name),
            "{name:?} is not a valid application name"
        );
    }
}
