//! Secrets: created by the leader, shared through the peer relation, granted and revoked
//! on a relation, rotated, pruned, followed, resolved from config; and their content
//! never in a command line, stdin, log line or error.

use super::{ctx, peers, LABEL, PASSWORD, ROTATED};
use charm_runtime::{active, blocked, LogLevel};
use charm_testing::harness::default_unit_bag;
use charm_testing::{
    Event, Output, Relation, RunError, Secret, SecretOwner, State, WorkloadStatus,
};

/// Every text the run shows: command lines, stdin, stderr, log lines, statuses.
fn shown(out: &Output) -> Vec<String> {
    let mut texts: Vec<String> = out
        .tool_calls
        .iter()
        .flat_map(|c| {
            [
                c.argv.join(" "),
                c.stdin.clone().unwrap_or_default(),
                c.stderr.clone(),
            ]
        })
        .collect();
    texts.extend(out.juju_log.iter().map(|l| l.message.clone()));
    texts.extend(out.unit_status_history.iter().map(|s| format!("{s:?}")));
    texts
}

fn assert_never_shown(out: &Output, value: &str) {
    for t in shown(out) {
        assert!(!t.contains(value), "`{value}` leaked: {t}");
    }
}

fn admin_secret() -> Secret {
    Secret::new([("password", PASSWORD)])
        .owner(SecretOwner::App)
        .label(LABEL)
}

#[test]
fn the_leader_creates_the_password_and_shares_its_id() {
    let state = State::builder().leader(true).relation(peers()).build();
    let out = ctx().run(Event::leader_elected(), &state).unwrap();
    let secret = out.state.secret_by_label(LABEL).expect("a new secret");
    assert_eq!(secret.owner, Some(SecretOwner::App));
    assert_eq!(secret.description.as_deref(), Some("the admin login"));
    assert_eq!(secret.rotate.as_deref(), Some("monthly"));
    assert_eq!(secret.latest_content_of().unwrap()["password"], PASSWORD);
    let bag = &out.state.relations()[0].local_app_data;
    assert_eq!(bag["admin-secret"], secret.id);
    // The label lookup failed (not found), then the content went through a file.
    let lines = out.command_lines();
    assert_eq!(lines[0], "secret-get --format=json --label admin-password");
    let add = lines.iter().find(|l| l.starts_with("secret-add")).unwrap();
    assert!(
        add.starts_with("secret-add --label admin-password --description the admin login --rotate monthly --owner application password#file=/"),
        "{add}"
    );
    assert_never_shown(&out, PASSWORD);
    assert_eq!(
        out.logs_at(LogLevel::Info),
        [format!(
            "admin password created: {} (label \"{LABEL}\")",
            secret.id
        )]
    );

    // The next election finds it: no second secret.
    let again = ctx().run(Event::leader_elected(), &out.state).unwrap();
    assert_eq!(again.state.secrets().len(), 1);
    assert_eq!(again.calls_to("secret-add"), 0);
}

#[test]
fn a_non_leader_cannot_create_an_app_secret_and_the_error_names_it() {
    let state = State::builder().leader(false).relation(peers()).build();
    let err = ctx().run(Event::leader_elected(), &state).unwrap_err();
    let RunError::Failed(f) = &err else {
        panic!("{err}")
    };
    let msg = f.error.to_string();
    assert!(
        msg.contains("may not manage secret with label \"admin-password\""),
        "{msg}"
    );
    assert!(msg.contains("this unit is not the leader"), "{msg}");
    assert!(f.output.state.secrets().is_empty(), "nothing created");
    assert_never_shown(&f.output, PASSWORD);
    assert!(!format!("{err:?}").contains(PASSWORD));
    let last = f.output.juju_log.last().unwrap();
    assert_eq!(last.level, LogLevel::Error);
    assert!(
        last.message.starts_with("hook `leader-elected` failed"),
        "{last:?}"
    );
}

#[test]
fn any_unit_reads_the_password_through_the_peer_bag() {
    let secret = admin_secret();
    let state = State::builder()
        .leader(false)
        .relation(peers().local_app_data([("admin-secret", secret.id.as_str())]))
        .secret(secret)
        .build();
    let out = ctx()
        .run(Event::action("get-password", ()), &state)
        .unwrap();
    assert_eq!(out.action_results["admin.password"], PASSWORD);
    // An action's results are its output; the command line is what Juju takes, and the
    // harness records it. Only juju-log and errors must not carry it.
    assert!(out.juju_log.iter().all(|l| !l.message.contains(PASSWORD)));
}

#[test]
fn granted_on_join_and_revoked_from_a_departing_unit() {
    let db = Relation::new("db")
        .remote_app_name("pg")
        .remote_unit(1, default_unit_bag());
    let state = State::builder()
        .leader(true)
        .relation(peers())
        .relation(db.clone())
        .secret(admin_secret())
        .build();
    let out = ctx().run(Event::relation_joined(&db, 1), &state).unwrap();
    let secret = out.state.secret_by_label(LABEL).unwrap();
    assert!(secret.grants[&db.id].is_empty(), "the whole application");
    assert_eq!(out.calls_to("secret-info-get"), 1, "the id, from the label");
    // Found by label: the id secret-info-get gives, canonical as ops makes it.
    let bare = secret.id.strip_prefix("secret:").unwrap();
    assert_eq!(
        out.command_lines()[1],
        format!(
            "secret-grant --relation {} secret://{}/{bare}",
            db.id,
            state.model_uuid()
        )
    );

    // Unit-level grants are taken back one unit at a time.
    let granted = admin_secret().grant(db.id, ["pg/0", "pg/1"]);
    let state = State::builder()
        .leader(true)
        .relation(peers())
        .relation(db.clone())
        .secret(granted.clone())
        .build();
    let out = ctx().run(Event::relation_departed(&db, 1), &state).unwrap();
    let grants = &out.state.secret(&granted.id).unwrap().grants[&db.id];
    assert_eq!(grants.iter().collect::<Vec<_>>(), ["pg/0"]);
    let bare = granted.id.strip_prefix("secret:").unwrap();
    assert!(out.command_lines().contains(&format!(
        "secret-revoke --relation {} --unit pg/1 secret://{}/{bare}",
        db.id,
        state.model_uuid()
    )));
}

#[test]
fn rotation_makes_a_new_revision_and_removal_prunes_an_old_one() {
    let secret = admin_secret();
    let state = State::builder()
        .leader(true)
        .relation(peers())
        .secret(secret.clone())
        .build();
    let out = ctx().run(Event::secret_rotate(&secret), &state).unwrap();
    let after = out.state.secret(&secret.id).unwrap();
    assert_eq!(after.latest_revision(), 2);
    assert_eq!(after.latest_content_of().unwrap()["password"], ROTATED);
    assert_never_shown(&out, ROTATED);

    let out = ctx()
        .run(Event::secret_remove(after, 1), &out.state)
        .unwrap();
    let after = out.state.secret(&secret.id).unwrap();
    assert_eq!(after.revisions.keys().collect::<Vec<_>>(), [&2]);
    assert_eq!(
        out.command_lines(),
        [format!("secret-remove {} --revision 1", secret.id)]
    );
}

#[test]
fn an_observer_follows_a_new_revision() {
    let observed = Secret::new([("token", "old-TOKEN")]).latest_content([("token", "new-TOKEN")]);
    let state = State::builder()
        .relation(peers())
        .secret(observed.clone())
        .build();
    let out = ctx().run(Event::secret_changed(&observed), &state).unwrap();
    assert_eq!(out.state.secret(&observed.id).unwrap().tracked, 2);
    assert_eq!(
        out.logs_at(LogLevel::Debug),
        [format!(
            "secret {} now has secret content with keys token",
            observed.id
        )]
    );
    assert_never_shown(&out, "new-TOKEN");
}

#[test]
fn a_secret_config_option_resolves_to_its_secret() {
    let token = Secret::new([("token", "api-TOKEN")]);
    let state = State::builder()
        .relation(peers())
        .config("api-token", token.id.as_str())
        .secret(token.clone())
        .build();
    let out = ctx().run(Event::config_changed(), &state).unwrap();
    assert_eq!(out.state.unit_status(), &WorkloadStatus::from(active("")));
    assert_eq!(out.calls_to("secret-get"), 1);
    assert_never_shown(&out, "api-TOKEN");

    // Granted to someone else, or never: a status saying so, not an error.
    let missing = state
        .to_builder()
        .config("api-token", "secret:cs000000000000000099")
        .build();
    let out = ctx().run(Event::config_changed(), &missing).unwrap();
    assert_eq!(
        out.state.unit_status(),
        &WorkloadStatus::from(blocked("api-token secret is not granted to keeper"))
    );
}
