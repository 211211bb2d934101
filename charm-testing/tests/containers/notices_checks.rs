//! Notices and checks: events about them, the charm reading them from Pebble, notices the
//! charm records, check states seeded and read back.

use super::{base_layer, ctx, web};
use charm_runtime::LogLevel;
use charm_testing::{CheckInfo, CheckLevel, CheckStatus, Event, Notice, ServiceStatus, State};

#[test]
fn a_custom_notice_event_reads_the_notice_from_pebble() {
    let notice = Notice::new("example.com/backup-done")
        .occurrences(2)
        .last_data([("path", "/backups/1")]);
    let c = web().notice(notice.clone());
    let state = State::builder().container(c.clone()).build();
    let out = ctx()
        .run(Event::pebble_custom_notice(&c, &notice), &state)
        .unwrap();
    assert_eq!(
        out.logs_at(LogLevel::Info),
        [format!(
            "notice {} example.com/backup-done x2 [path=/backups/1]",
            notice.id
        )]
    );
    assert_eq!(
        out.pebble_lines()[0],
        format!("GET /v1/notices/{}", notice.id)
    );
    assert_eq!(out.container("web").unwrap().notices, [notice]);
}

#[test]
fn notices_the_charm_records_are_in_the_output() {
    let old = Notice::new("example.com/old").id("41");
    let state = State::builder()
        .container(web().notice(old.clone()))
        .build();
    let out = ctx()
        .run(
            Event::action("notify", [("key", "example.com/ping")]),
            &state,
        )
        .unwrap();
    // Pebble numbers new notices after the highest id it holds.
    assert_eq!(out.action_results["id"], "42");
    assert_eq!(out.action_results["seen"], "1");
    let notices = &out.container("web").unwrap().notices;
    assert_eq!(notices.len(), 2);
    assert_eq!(notices[0], old);
    assert_eq!(notices[1].id, "42");
    assert_eq!(notices[1].notice_type, "custom");
    assert_eq!(notices[1].key, "example.com/ping");
    assert_eq!(notices[1].occurrences, 1);
    // Recorded by the charm, so under its user id (root).
    assert_eq!(notices[1].user_id, Some(0));
    let post = out
        .pebble_calls
        .iter()
        .find(|c| c.line() == "POST /v1/notices")
        .unwrap();
    assert_eq!(post.json().unwrap()["key"], "example.com/ping");

    // Recorded again in the next run: one notice, two occurrences.
    let out = ctx()
        .run(
            Event::action("notify", [("key", "example.com/ping")]),
            &out.state,
        )
        .unwrap();
    let notices = &out.container("web").unwrap().notices;
    assert_eq!(notices.len(), 2);
    assert_eq!(notices[1].id, "42");
    assert_eq!(notices[1].occurrences, 2);
}

#[test]
fn a_failed_check_event_sees_the_check_down_and_restarts_the_service() {
    let down = CheckInfo::new("up").down(3);
    let c = web()
        .layer("web", base_layer())
        .service_status("srv", ServiceStatus::Active)
        .check_info(down.clone());
    let state = State::builder().container(c.clone()).build();
    let out = ctx()
        .run(Event::pebble_check_failed(&c, &down), &state)
        .unwrap();
    assert_eq!(
        out.logs_at(LogLevel::Info),
        ["check up is down with 3 failures of 3"]
    );
    let lines = out.pebble_lines();
    assert_eq!(lines[0], "GET /v1/checks?names=up");
    assert_eq!(lines[1], "POST /v1/services");
    assert_eq!(out.pebble_calls[1].json().unwrap()["action"], "restart");
    let c = out.container("web").unwrap();
    assert_eq!(c.check_infos, [down]);
    assert_eq!(c.service_statuses["srv"], ServiceStatus::Active);
}

#[test]
fn a_recovered_check_event_sees_the_check_up() {
    let up = CheckInfo::new("up").successes(1);
    let c = web().layer("web", base_layer()).check_info(up.clone());
    let state = State::builder().container(c.clone()).build();
    let out = ctx()
        .run(Event::pebble_check_recovered(&c, &up), &state)
        .unwrap();
    assert_eq!(
        out.logs_at(LogLevel::Info),
        ["check up is up with 0 failures of 3"]
    );
    assert_eq!(out.container("web").unwrap().check_infos, [up]);
}

#[test]
fn check_states_are_seeded_as_pebble_counts_them() {
    let layer = base_layer().check(
        "ready",
        charm_runtime::pebble::Check::tcp(8080)
            .level(CheckLevel::Ready)
            .threshold(2),
    );
    let c = web()
        .layer("web", layer)
        .check_info(CheckInfo::new("up").failures(2).successes(5))
        .check_info(
            CheckInfo::new("ready")
                .level(CheckLevel::Ready)
                .threshold(2)
                .down(4)
                .inactive(),
        );
    let state = State::builder().container(c.clone()).build();
    // Any handled event: collect-status asks for srv, the checks stay as seeded.
    let out = ctx().run(Event::action("stop-srv", ()), &state).unwrap();
    let infos = &out.container("web").unwrap().check_infos;
    assert_eq!(infos, &c.check_infos);
    assert_eq!(infos[0].status, CheckStatus::Up);
    assert_eq!(infos[1].status, CheckStatus::Inactive);
    assert_eq!(infos[1].failures, 4);
}
