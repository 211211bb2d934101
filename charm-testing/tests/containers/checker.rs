//! The consistency checker's container rules: what it rejects, in its words.

use super::{base_layer, ctx, web};
use charm_runtime::pebble::{Layer, Service};
use charm_testing::{CheckInfo, Container, Event, Notice, ServiceStatus, State};

fn problems(event: &Event, state: &State) -> Vec<String> {
    match ctx().check(event, state) {
        Err(i) => i.problems,
        Ok(()) => panic!("expected an inconsistency, the input passed"),
    }
}

fn one_problem(event: &Event, state: &State) -> String {
    let p = problems(event, state);
    assert_eq!(p.len(), 1, "expected one problem, got {p:#?}");
    p.into_iter().next().unwrap()
}

fn with(c: Container) -> State {
    State::builder().container(c).build()
}

#[test]
fn a_consistent_container_passes() {
    let host = tempfile::tempdir().unwrap();
    let notice = Notice::new("example.com/done");
    let c = web()
        .layer("web", base_layer())
        .service_status("srv", ServiceStatus::Backoff)
        .check_info(CheckInfo::new("up").down(3))
        .notice(notice.clone())
        .notice(Notice::new("1").notice_type("change-update"))
        .mount("/data", host.path())
        .mount("/data2", host.path())
        .file("/etc/x", "x");
    let state = with(c.clone());
    for event in [
        Event::pebble_ready(&c),
        Event::pebble_custom_notice(&c, &notice),
        Event::pebble_check_failed(&c, &CheckInfo::new("up")),
    ] {
        ctx().check(&event, &state).unwrap();
    }
}

#[test]
fn containers_must_be_declared() {
    let m = one_problem(&Event::install(), &with(Container::new("db")));
    assert_eq!(
        m,
        "container `db` is not declared by the charm (declared: `web`, `sidecar`)"
    );
}

#[test]
fn workload_events_need_a_container_that_can_connect() {
    let notice = Notice::new("example.com/done");
    let c = Container::new("web")
        .layer("web", base_layer())
        .notice(notice.clone())
        .check_info(CheckInfo::new("up"));
    let state = with(c.clone());
    for (event, hook) in [
        (Event::pebble_ready(&c), "web-pebble-ready"),
        (
            Event::pebble_custom_notice(&c, &notice),
            "web-pebble-custom-notice",
        ),
        (
            Event::pebble_check_failed(&c, &CheckInfo::new("up")),
            "web-pebble-check-failed",
        ),
        (
            Event::pebble_check_recovered(&c, &CheckInfo::new("up")),
            "web-pebble-check-recovered",
        ),
    ] {
        let m = one_problem(&event, &state);
        assert_eq!(
            m,
            format!("event `{hook}` is about container `web`, which cannot connect: Juju sends it only when the container's Pebble is up (set `Container::can_connect(true)`)")
        );
    }
    // Other events are fine: the charm finds out itself.
    ctx().check(&Event::config_changed(), &state).unwrap();
}

#[test]
fn notice_and_check_events_name_existing_ones() {
    let c = web().layer("web", base_layer());
    let stray = Notice::new("example.com/stray");
    let m = one_problem(&Event::pebble_custom_notice(&c, &stray), &with(c.clone()));
    assert!(
        m.contains(&format!("is about notice `{}` (key `example.com/stray`), which is not among the notices of container `web`", stray.id)),
        "{m}"
    );
    let m = one_problem(
        &Event::pebble_check_failed(&c, &CheckInfo::new("up")),
        &with(c.clone()),
    );
    assert!(
        m.contains("is about check `up`, which is not among the check infos of container `web`"),
        "{m}"
    );
    let warning = Notice::new("disk full").notice_type("warning");
    let c = c.notice(warning.clone());
    let m = one_problem(&Event::pebble_custom_notice(&c, &warning), &with(c.clone()));
    assert!(
        m.contains("of type `warning`; Juju sends it only for custom notices"),
        "{m}"
    );
}

#[test]
fn layers_are_checked_by_pebble() {
    let no_override = Layer::new().service(
        "srv",
        Service {
            command: "/bin/srv".into(),
            ..Service::default()
        },
    );
    let m = one_problem(&Event::install(), &with(web().layer("web", no_override)));
    assert_eq!(
        m,
        "container `web`: Pebble refuses layer `web`: layer \"web\" must define \"override\" for service \"srv\""
    );

    let m = one_problem(
        &Event::install(),
        &with(web().layer_yaml("web", "services: [unclosed")),
    );
    assert!(
        m.starts_with(
            "container `web`: layer `web` is not a Pebble layer: invalid Pebble layer YAML"
        ),
        "{m}"
    );
    let m = one_problem(
        &Event::install(),
        &with(web().layer_json("web", serde_json::json!({"services": 3}))),
    );
    assert!(
        m.starts_with("container `web`: layer `web` is not a Pebble layer: "),
        "{m}"
    );

    let mut twice = web().layer("web", base_layer());
    twice.layers.push(("web".into(), base_layer()));
    let m = one_problem(&Event::install(), &with(twice));
    assert!(
        m.starts_with("container `web` has two layers labelled `web`"),
        "{m}"
    );
}

#[test]
fn service_and_check_states_must_fit_the_plan() {
    let c = web()
        .layer("web", base_layer())
        .service_status("ghost", ServiceStatus::Active)
        .service_status("srv", ServiceStatus::Other("zombie".into()))
        .check_info(CheckInfo::new("up").failures(3))
        .check_info(CheckInfo::new("missing"));
    let p = problems(&Event::install(), &with(c));
    assert_eq!(p.len(), 4, "{p:#?}");
    assert!(p[0].contains(
        "status for service `ghost`, which is not in its plan (services in the plan: `srv`)"
    ));
    assert!(p[1].contains("service `srv` has status `zombie`, which Pebble never reports"));
    assert!(p[2].contains(
        "check `up` is up with 3 failures, but Pebble takes a check down at its threshold (3)"
    ));
    assert!(p[3].contains("has check info `missing`, but its plan has only the checks `up`"));

    let c = web()
        .layer("web", base_layer())
        .check_info(CheckInfo::new("up").down(1).level("alive").threshold(5));
    let p = problems(&Event::install(), &with(c));
    assert_eq!(p.len(), 3, "{p:#?}");
    assert!(p[0].contains("check `up` has level Some(\"alive\"), but the plan says None"));
    assert!(p[1].contains("check `up` has threshold 5, but the plan says 3"));
    assert!(p[2].contains(
        "check `up` is down with 1 failure, but Pebble takes a check down only at its threshold (3)"
    ));
}

#[test]
fn notices_must_be_notices_pebble_could_hold() {
    let c = web()
        .notice(Notice::new("example.com/a").id("7"))
        .notice(Notice::new("example.com/a").id("8"))
        .notice(Notice::new("Not A Key").id("9"))
        .notice(Notice::new("x").notice_type("alarm").id("10"))
        .notice(Notice::new("example.com/b").occurrences(0).id("11"));
    let other = Container::new("sidecar").notice(Notice::new("example.com/c").id("7"));
    let state = State::builder().container(c).container(other).build();
    let p = problems(&Event::install(), &state);
    assert_eq!(p.len(), 5, "{p:#?}");
    assert!(p[0].contains("container `web` has two `custom` notices with key `example.com/a`"));
    assert!(
        p[1].contains("notice `9` has key `Not A Key`, which Pebble refuses for a custom notice")
    );
    assert!(p[2].contains("notice `10` has type `alarm`; Pebble's notice types are"));
    assert!(p[3].contains("notice `11` has 0 occurrences"));
    assert_eq!(
        p[4],
        "notice id `7` is used twice; Pebble notice ids are unique"
    );
}

#[test]
fn mounts_and_files_are_checked() {
    let host = tempfile::tempdir().unwrap();
    let c = web()
        .mount("relative", host.path())
        .mount("/srv", host.path().join("missing"))
        .mount("/srv/inner", host.path())
        .file("/srv/inner/x", "x")
        .file("/etc/", "x")
        .file("etc/y", "y");
    let p = problems(&Event::install(), &with(c));
    assert_eq!(p.len(), 6, "{p:#?}");
    assert!(p[0].contains("mount `/srv` has host path"), "{p:#?}");
    assert!(p[0].contains("which does not exist"));
    assert!(p[1].contains("mount location `relative` is not absolute"));
    assert!(p[2].contains("mounts `/srv` and `/srv/inner` overlap"));
    assert!(p[3].contains("file path `/etc/` names a directory, not a file"));
    assert!(p[4].contains("file `/srv/inner/x` is inside mount `/srv`"));
    assert!(p[5].contains("file path `etc/y` is not absolute"));
}
