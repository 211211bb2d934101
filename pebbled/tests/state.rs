//! Services, changes, checks and notices through [`Pebble`]'s methods, on a manual clock.

use std::collections::BTreeMap;
use std::sync::Arc;

use charm_runtime::pebble::types::{CheckStatus, ServiceStatus};
use pebbled::{ManualClock, NoticeFilter, Pebble, Timestamp};

const SECOND: i128 = 1_000_000_000;

fn pebble() -> (Pebble, ManualClock) {
    let clock = ManualClock::new(Timestamp::from_unix_secs(1_700_000_000));
    (Pebble::new(Arc::new(clock.clone())), clock)
}

const LAYER: &str = "
services:
  web:
    override: replace
    command: /bin/web
    startup: enabled
  db:
    override: replace
    command: /bin/db
checks:
  alive:
    override: replace
    level: alive
    threshold: 2
    exec: {command: 'true'}
";

#[test]
fn replan_starts_enabled_services_and_restarts_changed_ones() {
    let (mut p, clock) = pebble();
    p.add_layer_yaml("base", LAYER, false).unwrap();
    let infos = p.service_infos(&[]);
    assert_eq!(
        infos.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        ["db", "web"]
    );
    assert!(infos
        .iter()
        .all(|s| s.current == ServiceStatus::Inactive && s.current_since.is_none()));

    let id = p.services_action("replan", &[]).unwrap();
    let change = p.change(&id).unwrap();
    assert_eq!(
        (
            change.kind.as_str(),
            change.summary.as_str(),
            change.status.as_str()
        ),
        ("replan", "Replan service \"web\"", "Done")
    );
    assert!(change.ready && change.err.is_none());
    let web = &p.service_infos(&["web".into()])[0];
    assert_eq!(web.current, ServiceStatus::Active);
    assert_eq!(web.current_since.as_deref(), Some("2023-11-14T22:13:20Z"));

    // Unchanged config: replan starts web again (a no-op task), restarts nothing.
    clock.advance(SECOND);
    let id = p.services_action("replan", &[]).unwrap();
    let kinds: Vec<String> = p
        .change(&id)
        .unwrap()
        .tasks
        .iter()
        .map(|t| t.kind.clone())
        .collect();
    assert_eq!(kinds, ["start"]);
    assert_eq!(
        p.service_infos(&["web".into()])[0].current_since.as_deref(),
        Some("2023-11-14T22:13:20Z")
    );

    // Changed config: stop then start.
    p.add_layer_yaml(
        "more",
        "services:\n  web:\n    override: merge\n    environment: {A: b}\n",
        false,
    )
    .unwrap();
    clock.advance(SECOND);
    let id = p.services_action("replan", &[]).unwrap();
    let kinds: Vec<String> = p
        .change(&id)
        .unwrap()
        .tasks
        .iter()
        .map(|t| t.kind.clone())
        .collect();
    assert_eq!(kinds, ["stop", "start"]);
    assert_eq!(
        p.service_infos(&["web".into()])[0].current_since.as_deref(),
        Some("2023-11-14T22:13:22Z")
    );
}

#[test]
fn service_actions_follow_pebble() {
    let (mut p, _) = pebble();
    p.add_layer_yaml("base", LAYER, false).unwrap();
    let err = p.services_action("start", &["nope".into()]).unwrap_err();
    assert_eq!(
        (err.status, err.message.as_str()),
        (
            400,
            "cannot start services: service \"nope\" does not exist"
        )
    );
    assert_eq!(
        p.services_action("start", &[]).unwrap_err().message,
        "must specify services for start action"
    );
    assert_eq!(
        p.services_action("replan", &["web".into()])
            .unwrap_err()
            .message,
        "replan accepts no service names"
    );
    assert_eq!(
        p.services_action("dance", &["web".into()])
            .unwrap_err()
            .message,
        "invalid action \"dance\""
    );

    let id = p.services_action("stop", &["db".into()]).unwrap();
    let change = p.change(&id).unwrap();
    assert!(
        change.tasks[0].log[0].ends_with("INFO Service \"db\" has never been started."),
        "{:?}",
        change.tasks
    );

    p.services_action("start", &["db".into(), "web".into()])
        .unwrap();
    let id = p
        .services_action("restart", &["db".into(), "web".into()])
        .unwrap();
    let change = p.change(&id).unwrap();
    assert_eq!(change.summary, "Restart service \"db\" and 1 more");
    assert_eq!(change.tasks.len(), 4);

    p.set_start_failure("db", Some(2));
    p.services_action("stop", &["db".into()]).unwrap();
    let id = p.services_action("start", &["db".into()]).unwrap();
    let change = p.change(&id).unwrap();
    assert_eq!(change.status, "Error");
    assert_eq!(
        change.err.as_deref(),
        Some("cannot perform the following tasks:\n- Start service \"db\" (service start attempt: exited quickly with code 2, will restart)")
    );
    assert_eq!(
        p.service_infos(&["db".into()])[0].current,
        ServiceStatus::Backoff
    );

    assert_eq!(p.send_signal("SIGHUP", &["web".into()]), Ok(()));
    assert_eq!(p.last_signal("web"), Some("SIGHUP"));
    assert_eq!(
        p.send_signal("SIGHUP", &["db".into(), "nope".into()]),
        Err("cannot send signal to \"db\": service is not running; cannot send signal to \"nope\": service is not running".into())
    );
    p.set_service_status("web", ServiceStatus::Error).unwrap();
    assert_eq!(
        p.service_infos(&["web".into()])[0].current,
        ServiceStatus::Error
    );
    let id = p.services_action("stop", &["web".into()]).unwrap();
    assert!(p.change(&id).unwrap().tasks[0].log[0].ends_with("Service \"web\" had already exited."));
}

#[test]
fn checks_fail_and_recover_through_changes() {
    let (mut p, _) = pebble();
    p.add_layer_yaml("base", LAYER, false).unwrap();
    let check = &p.check_infos(None, &[])[0];
    assert_eq!(
        (check.status.clone(), check.threshold, check.successes),
        (CheckStatus::Up, 2, Some(0))
    );
    let perform = check.change_id.clone().unwrap();
    assert_eq!(
        p.change(&perform).unwrap().summary,
        "Perform exec check \"alive\""
    );

    p.check_failed("alive", "exit status 1").unwrap();
    assert_eq!(p.check_infos(None, &[])[0].status, CheckStatus::Up);
    p.check_failed("alive", "exit status 1").unwrap();
    let down = &p.check_infos(None, &[])[0];
    assert_eq!((down.status.clone(), down.failures), (CheckStatus::Down, 2));
    assert_eq!(down.prev_change_id.as_deref(), Some(perform.as_str()));
    assert_eq!(p.change(&perform).unwrap().status, "Error");
    let recover = down.change_id.clone().unwrap();
    assert_eq!(p.change(&recover).unwrap().kind, "recover-check");

    p.check_succeeded("alive").unwrap();
    let up = &p.check_infos(None, &[])[0];
    assert_eq!(
        (up.status.clone(), up.successes, up.failures),
        (CheckStatus::Up, Some(1), 0)
    );
    assert_eq!(p.change(&recover).unwrap().status, "Done");

    assert_eq!(
        p.stop_checks(&["alive".into()]),
        Ok(vec!["alive".to_string()])
    );
    let stopped = &p.check_infos(None, &[])[0];
    assert_eq!(
        (stopped.status.clone(), stopped.successes),
        (CheckStatus::Inactive, Some(1))
    );
    assert_eq!(
        p.check_failed("alive", "x"),
        Err("check \"alive\" is not running".into())
    );
    assert_eq!(
        p.start_checks(&["zz".into(), "aa".into()]),
        Err("cannot find checks in plan: aa, zz".into())
    );
}

#[test]
fn notices_count_repeat_and_filter() {
    let (mut p, clock) = pebble();
    let hour = std::time::Duration::from_secs(3600);
    let id = p
        .notify(Some(0), "example.com/a", BTreeMap::new(), Some(hour))
        .unwrap();
    clock.advance(SECOND);
    let again = p
        .notify(
            Some(0),
            "example.com/a",
            BTreeMap::from([("k".into(), "v".into())]),
            Some(hour),
        )
        .unwrap();
    assert_eq!(id, again);
    let notice = p
        .notices(&NoticeFilter::default())
        .into_iter()
        .find(|n| n.id == id)
        .unwrap();
    assert_eq!(notice.occurrences, 2);
    assert_eq!(
        notice.last_repeated, "2023-11-14T22:13:20Z",
        "inside repeat-after: not repeated"
    );
    assert_eq!(notice.last_occurred, "2023-11-14T22:13:21Z");
    assert_eq!(notice.last_data["k"], "v");
    assert_eq!(
        p.notify(Some(0), "nope", BTreeMap::new(), None),
        Err("invalid key \"nope\" (must be in \"example.com/path\" format)".into())
    );

    let other_user = p
        .notify(Some(1000), "example.com/b", BTreeMap::new(), None)
        .unwrap();
    let mine = p.notices(&NoticeFilter {
        user_id: Some(0),
        ..NoticeFilter::default()
    });
    assert!(mine.iter().all(|n| n.id != other_user));
    let after = p.notices(&NoticeFilter {
        after: Some(Timestamp::from_unix_secs(1_700_000_000)),
        ..NoticeFilter::default()
    });
    assert_eq!(
        after.iter().map(|n| n.id.clone()).collect::<Vec<_>>(),
        [other_user]
    );
    clock.advance(8 * 24 * 3600 * SECOND);
    assert!(
        p.notices(&NoticeFilter::default()).is_empty(),
        "expired after a week"
    );
}

#[test]
fn state_round_trips_through_json() {
    let (mut p, _) = pebble();
    p.add_layer_yaml("base", LAYER, false).unwrap();
    p.services_action("replan", &[]).unwrap();
    let restored = Pebble::from_json(&p.to_json()).unwrap();
    assert_eq!(restored.plan(), p.plan());
    assert_eq!(restored.to_json(), p.to_json());
    assert!(Pebble::from_json("{")
        .unwrap_err()
        .starts_with("invalid Pebble state"));
}
