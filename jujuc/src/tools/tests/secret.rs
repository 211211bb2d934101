//! secret-add, secret-get, secret-info-get, secret-set, secret-grant, secret-revoke,
//! secret-remove, secret-ids.

use super::{bag, err, world, T};
use crate::{SecretWorld, UnitWorld};

/// Adds a secret and returns its URI.
fn add(t: &mut T, argv: &[&str]) -> String {
    let mut full = vec!["secret-add"];
    full.extend_from_slice(argv);
    let out = t.ok(&full);
    let uri = out.strip_suffix('\n').expect("newline").to_string();
    assert!(uri.starts_with("secret:"), "{uri}");
    uri
}

fn observed() -> SecretWorld {
    SecretWorld {
        id: "secret:obs0000000000000000".into(),
        owner: None,
        label: None,
        revisions: [(1, bag(&[("token", "old")])), (2, bag(&[("token", "new")]))]
            .into_iter()
            .collect(),
        tracked: 1,
        ..Default::default()
    }
}

fn non_leader_world() -> UnitWorld {
    let mut w = world();
    w.leader = false;
    w
}

#[test]
fn secret_add_prints_a_deterministic_uri_and_stages_the_secret() {
    let mut t = T::start();
    let uri = add(
        &mut t,
        &["--label", "db", "--owner", "application", "password=s3cret"],
    );
    let id = uri.strip_prefix("secret:").unwrap();
    assert_eq!(id.len(), 20);
    assert!(
        id.chars()
            .all(|c| c.is_ascii_digit() || ('a'..='v').contains(&c)),
        "{id}"
    );
    // Same world, same id.
    let mut again = T::start();
    assert_eq!(add(&mut again, &["password=x"]), uri);
    // Staged until commit, but this hook sees it.
    assert!(t.w.secrets.is_empty());
    assert_eq!(
        t.ok(&["secret-get", "--format=json", &uri]),
        "{\"password\":\"s3cret\"}\n"
    );
    t.commit();
    assert_eq!(t.w.secrets.len(), 1);
    let s = &t.w.secrets[0];
    assert_eq!(
        (s.owner.as_deref(), s.label.as_deref(), s.tracked),
        (Some("application"), Some("db"), 1)
    );
    assert_eq!(s.revisions[&1], bag(&[("password", "s3cret")]));
    // A second secret gets another id.
    let other = add(&mut t, &["password=y"]);
    assert_ne!(other, uri);
}

#[test]
fn secret_add_content_forms() {
    let mut t = T::start();
    let dir = std::env::temp_dir().join(format!("jujuc-secret-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("cert");
    std::fs::write(&file, "-----BEGIN-----\n").unwrap();
    let uri = add(
        &mut t,
        &[
            "plain=a=b",
            "encoded#base64=aGVsbG8=",
            &format!("cert#file={}", file.display()),
        ],
    );
    assert_eq!(
        t.ok(&["secret-get", &uri, "--format", "json"]),
        "{\"cert\":\"-----BEGIN-----\\n\",\"encoded\":\"hello\",\"plain\":\"a=b\"}\n"
    );
    assert_eq!(t.ok(&["secret-get", &uri, "encoded"]), "hello\n");
    assert_eq!(t.ok(&["secret-get", &uri, "encoded#base64"]), "aGVsbG8=\n");
    // Default format is YAML.
    assert_eq!(t.ok(&["secret-get", &uri, "plain"]), "a=b\n");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn secret_add_errors() {
    let mut t = T::start();
    assert_eq!(
        t.fail(&["secret-add"]),
        err(2, "missing secret value or filename")
    );
    for (key, argv) in [
        ("ab", "ab=x"),
        ("1abc", "1abc=x"),
        ("a--bc", "a--bc=x"),
        ("abc-", "abc-=x"),
        ("Abc", "Abc=x"),
    ] {
        assert_eq!(
            t.fail(&["secret-add", argv]),
            err(2, &format!("key \"{key}\" not valid")),
            "{argv}"
        );
    }
    assert_eq!(
        t.fail(&["secret-add", "=x"]),
        err(2, "key value \"=x\" not valid")
    );
    assert_eq!(
        t.fail(&["secret-add", "--owner", "model", "abc=x"]),
        err(2, "secret owner \"model\" not valid")
    );
    assert_eq!(
        t.fail(&["secret-add", "--rotate", "sometimes", "abc=x"]),
        err(2, "rotate policy \"sometimes\" not valid")
    );
    assert_eq!(
        t.fail(&["secret-add", "--expire", "soon", "abc=x"]),
        err(2, "expire time or duration \"soon\" not valid")
    );
    assert_eq!(
        t.fail(&["secret-add", "--expire", "-1h", "abc=x"]),
        err(2, "negative expire duration \"-1h\" not valid")
    );
    let mut t = T::new(non_leader_world(), super::hook("start"));
    assert_eq!(
        t.fail(&["secret-add", "--owner", "application", "abc=x"]),
        err(1, "this unit is not the leader")
    );
    assert_eq!(
        t.fail(&["secret-add", "abc=x"]),
        err(1, "this unit is not the leader")
    );
    // A unit-owned secret needs no leadership.
    add(&mut t, &["--owner", "unit", "abc=x"]);
    assert_eq!(t.w.secret_seq, 1);
}

#[test]
fn secret_add_metadata() {
    let mut t = T::start();
    let uri = add(
        &mut t,
        &[
            "--label",
            "l1",
            "--description",
            "d",
            "--rotate",
            "daily",
            "--expire",
            "2030-01-02T03:04:05",
            "abc=x",
        ],
    );
    let id = uri.strip_prefix("secret:").unwrap();
    assert_eq!(
        t.ok(&["secret-info-get", "--format=json", &uri]),
        format!(
            "{{\"{id}\":{{\"revision\":1,\"label\":\"l1\",\"owner\":\"application\",\"description\":\"d\",\"rotation\":\"daily\",\"expiry\":\"2030-01-02T03:04:05Z\"}}}}\n"
        )
    );
    let uri2 = add(&mut t, &["--expire", "2030-01-02T05:04:05+02:00", "abc=y"]);
    let s =
        t.h.secrets_after
            .as_ref()
            .unwrap()
            .iter()
            .find(|s| s.id == uri2)
            .unwrap();
    assert_eq!(s.expire.as_deref(), Some("2030-01-02T03:04:05Z"));
    let uri3 = add(&mut t, &["--expire", "24h", "abc=z"]);
    let s =
        t.h.secrets_after
            .as_ref()
            .unwrap()
            .iter()
            .find(|s| s.id == uri3)
            .unwrap();
    assert!(s.expire.as_deref().unwrap().ends_with('Z'));
    assert_eq!(
        t.fail(&["secret-add", "--label", "l1", "abc=w"]),
        err(1, "secret with label \"l1\" already exists")
    );
}

#[test]
fn secret_set_makes_a_revision_only_when_content_changes() {
    let mut t = T::start();
    let uri = add(&mut t, &["--label", "db", "password=one"]);
    t.commit();
    let mut t = T::new(t.w, super::hook("config-changed"));
    t.ok(&["secret-set", &uri, "password=one"]);
    assert_eq!(t.h.secrets_after.as_ref().unwrap()[0].revisions.len(), 1);
    t.ok(&[
        "secret-set",
        &uri,
        "password=two",
        "--description",
        "rotated",
    ]);
    let s = &t.h.secrets_after.as_ref().unwrap()[0];
    assert_eq!(s.revisions.len(), 2);
    assert_eq!(s.revisions[&2], bag(&[("password", "two")]));
    assert_eq!(s.description.as_deref(), Some("rotated"));
    // The tracked revision is still 1 until refreshed; --peek reads the latest once.
    assert_eq!(
        t.ok(&["secret-get", "--format=json", &uri]),
        "{\"password\":\"one\"}\n"
    );
    assert_eq!(
        t.ok(&["secret-get", "--format=json", &uri, "--peek"]),
        "{\"password\":\"two\"}\n"
    );
    assert_eq!(
        t.ok(&["secret-get", "--format=json", &uri]),
        "{\"password\":\"one\"}\n"
    );
    assert_eq!(
        t.ok(&["secret-get", "--format=json", &uri, "--refresh"]),
        "{\"password\":\"two\"}\n"
    );
    assert_eq!(
        t.ok(&["secret-get", "--format=json", &uri]),
        "{\"password\":\"two\"}\n"
    );
    // Metadata shows the latest revision.
    assert!(t
        .ok(&["secret-info-get", "--format=json", "--label", "db"])
        .contains("\"revision\":2"));
    // Nothing reached the world (the hook did not commit).
    assert_eq!(t.w.secrets[0].revisions.len(), 1);
}

#[test]
fn secret_get_by_label_and_labelling_as_observer() {
    let mut w = world();
    w.secrets.push(observed());
    let mut t = T::new(w, super::hook("start"));
    // No flag: the tracked revision; the id can be given in any URI form.
    assert_eq!(
        t.ok(&["secret-get", "--format=json", "secret:obs0000000000000000"]),
        "{\"token\":\"old\"}\n"
    );
    assert_eq!(
        t.ok(&["secret-get", "--format=json", "obs0000000000000000"]),
        "{\"token\":\"old\"}\n"
    );
    assert_eq!(
        t.ok(&[
            "secret-get",
            "--format=json",
            "secret://11111111-2222-3333-4444-555555555555/obs0000000000000000"
        ]),
        "{\"token\":\"old\"}\n"
    );
    // Id and label: look up by id, set the label (staged).
    t.ok(&[
        "secret-get",
        "secret:obs0000000000000000",
        "--label",
        "remote-token",
    ]);
    assert_eq!(
        t.h.secrets_after.as_ref().unwrap()[0].label.as_deref(),
        Some("remote-token")
    );
    assert_eq!(
        t.ok(&["secret-get", "--format=json", "--label", "remote-token"]),
        "{\"token\":\"old\"}\n"
    );
    assert_eq!(
        t.fail(&["secret-get", "--label", "nope"]),
        err(1, "consumer label \"nope\" not found")
    );
}

#[test]
fn secret_get_errors() {
    let mut t = T::start();
    assert_eq!(
        t.fail(&["secret-get", "--format=json"]),
        err(2, "require either a secret URI or label")
    );
    assert_eq!(
        t.fail(&["secret-get", "secret:abc", "--peek", "--refresh"]),
        err(2, "specify one of --peek or --refresh but not both")
    );
    assert_eq!(
        t.fail(&["secret-get", "secret:Not Valid"]),
        err(2, "secret URI \"secret:Not Valid\" not valid")
    );
    assert_eq!(
        t.fail(&["secret-get", "--format=json", "secret:cs8m0000000000000000"]),
        err(1, "secret \"cs8m0000000000000000\" not found")
    );
    assert_eq!(
        t.fail(&["secret-get", "--format=smart", "secret:abc"]),
        err(
            2,
            "invalid value \"smart\" for option --format: unknown format \"smart\""
        )
    );
    let uri = add(&mut t, &["abc=x"]);
    assert_eq!(
        t.fail(&["secret-get", &uri, "nope"]),
        err(1, "secret key \"nope\" not found")
    );
}

#[test]
fn secret_info_get_is_for_what_this_unit_manages() {
    let mut w = world();
    w.secrets.push(observed());
    let mut t = T::new(w, super::hook("start"));
    let app_uri = add(&mut t, &["--label", "app-secret", "abc=x"]);
    let unit_uri = add(
        &mut t,
        &["--owner", "unit", "--label", "unit-secret", "abc=y"],
    );
    t.commit();
    let app_id = app_uri.strip_prefix("secret:").unwrap().to_string();
    let unit_id = unit_uri.strip_prefix("secret:").unwrap().to_string();
    assert_eq!(
        t.ok(&["secret-info-get", "--format=json", "--label", "unit-secret"]),
        format!(
            "{{\"{unit_id}\":{{\"revision\":1,\"label\":\"unit-secret\",\"owner\":\"unit\"}}}}\n"
        )
    );
    // An observed secret has no metadata for this unit.
    assert_eq!(
        t.fail(&[
            "secret-info-get",
            "--format=json",
            "secret:obs0000000000000000"
        ]),
        err(1, "secret \"obs0000000000000000\" not found")
    );
    // The application's secrets are the leader's to see.
    t.w.leader = false;
    assert_eq!(
        t.fail(&["secret-info-get", &app_uri]),
        err(1, &format!("secret \"{app_id}\" not found"))
    );
    assert_eq!(
        t.fail(&["secret-info-get", "--label", "app-secret"]),
        err(1, "secret \"app-secret\" not found")
    );
    assert_eq!(
        t.ok(&["secret-ids", "--format=json"]),
        format!("[\"{unit_id}\"]\n")
    );
    t.w.leader = true;
    let mut ids = [app_id.clone(), unit_id.clone()];
    ids.sort();
    assert_eq!(
        t.ok(&["secret-ids", "--format=json"]),
        format!("[\"{}\",\"{}\"]\n", ids[0], ids[1])
    );
    assert_eq!(
        t.fail(&["secret-info-get", &app_uri, "--label", "x"]),
        err(2, "specify either a secret URI or label but not both")
    );
    assert_eq!(
        t.fail(&["secret-info-get"]),
        err(2, "require either a secret URI or label")
    );
    // YAML by default.
    assert_eq!(
        t.ok(&["secret-info-get", &unit_uri]),
        format!("{unit_id}:\n  revision: 1\n  label: unit-secret\n  owner: unit\n")
    );
}

#[test]
fn managing_needs_ownership_and_leadership() {
    let mut w = non_leader_world();
    w.secrets.push(observed());
    w.secrets.push(SecretWorld {
        id: "secret:app0000000000000000".into(),
        owner: Some("application".into()),
        revisions: [(1, bag(&[("abc", "x")]))].into_iter().collect(),
        tracked: 1,
        ..Default::default()
    });
    let mut t = T::new(w, super::hook("start"));
    for argv in [
        &["secret-set", "secret:app0000000000000000", "abc=y"][..],
        &["secret-remove", "secret:app0000000000000000"],
        &["secret-grant", "secret:app0000000000000000", "-r", "db:4"],
        &["secret-revoke", "secret:app0000000000000000", "--app", "pg"],
    ] {
        assert_eq!(
            t.fail(argv),
            err(1, "this unit is not the leader"),
            "{argv:?}"
        );
    }
    assert_eq!(
        t.fail(&["secret-set", "secret:obs0000000000000000", "abc=y"]),
        err(1, "permission denied")
    );
    assert_eq!(
        t.fail(&["secret-remove", "secret:zzz0000000000000000"]),
        err(1, "secret \"zzz0000000000000000\" not found")
    );
    // Any unit of the owning application reads the content.
    assert_eq!(
        t.ok(&["secret-get", "--format=json", "secret:app0000000000000000"]),
        "{\"abc\":\"x\"}\n"
    );
    assert!(t.h.secrets_after.is_none());
}

#[test]
fn grant_and_revoke() {
    let mut t = T::start();
    let uri = add(&mut t, &["abc=x"]);
    let id = uri.strip_prefix("secret:").unwrap().to_string();
    t.ok(&["secret-grant", &uri, "-r", "db:4", "--unit", "pg/1"]);
    t.ok(&["secret-grant", "--relation", "4", &uri, "--unit", "pg/0"]);
    t.ok(&["secret-grant", &uri, "-r", "web:7"]);
    assert_eq!(
        t.ok(&["secret-info-get", "--format=json", &uri]),
        format!(
            "{{\"{id}\":{{\"revision\":1,\"label\":\"\",\"owner\":\"application\",\"access\":[{},{},{}]}}}}\n",
            "{\"target\":\"unit-pg-0\",\"scope\":\"relation-db.4\",\"role\":\"view\"}",
            "{\"target\":\"unit-pg-1\",\"scope\":\"relation-db.4\",\"role\":\"view\"}",
            "{\"target\":\"application-ingress\",\"scope\":\"relation-web.7\",\"role\":\"view\"}",
        )
    );
    assert_eq!(
        t.fail(&["secret-grant", &uri, "-r", "db:4"]),
        err(
            1,
            "any unit level grants need to be revoked before granting access to the corresponding application"
        )
    );
    assert_eq!(
        t.fail(&["secret-grant", &uri, "-r", "db:4", "--unit", "other/0"]),
        err(
            2,
            "cannot specify unit \"other/0\" in relation to application \"pg\""
        )
    );
    assert_eq!(
        t.fail(&["secret-grant", &uri]),
        err(2, "no relation id specified")
    );
    assert_eq!(t.fail(&["secret-grant"]), err(2, "missing secret URI"));
    t.ok(&["secret-revoke", &uri, "--unit", "pg/0"]);
    t.ok(&["secret-revoke", &uri, "-r", "web:7"]);
    let grants = &t.h.secrets_after.as_ref().unwrap()[0].grants;
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[&4].iter().collect::<Vec<_>>(), ["pg/1"]);
    t.ok(&["secret-revoke", &uri, "--app", "pg"]);
    assert!(t.h.secrets_after.as_ref().unwrap()[0].grants.is_empty());
    assert_eq!(
        t.fail(&["secret-revoke", &uri]),
        err(2, "missing relation or application or unit")
    );
    assert_eq!(
        t.fail(&["secret-revoke", &uri, "--app", "pg", "--unit", "pg/0"]),
        err(2, "specify only one of application or unit")
    );
    assert_eq!(
        t.fail(&["secret-revoke", &uri, "-r", "4", "--app", "pg"]),
        err(2, "do not specify both relation and app")
    );
}

#[test]
fn remove_revisions_or_the_secret() {
    let mut t = T::start();
    let uri = add(&mut t, &["abc=1"]);
    t.ok(&["secret-set", &uri, "abc=2"]);
    t.ok(&["secret-remove", &uri, "--revision", "1"]);
    let s = &t.h.secrets_after.as_ref().unwrap()[0];
    assert_eq!(s.revisions.keys().collect::<Vec<_>>(), [&2]);
    assert_eq!(
        t.fail(&["secret-remove", &uri, "--revision", "x"]),
        err(
            2,
            "invalid value \"x\" for option --revision: strconv.ParseInt: parsing \"x\": invalid syntax"
        )
    );
    t.ok(&["secret-remove", &uri]);
    assert!(t.h.secrets_after.as_ref().unwrap().is_empty());
    assert_eq!(t.ok(&["secret-ids", "--format=json"]), "[]\n");
    t.commit();
    assert!(t.w.secrets.is_empty());
}

#[test]
fn a_uri_naming_another_model_does_not_resolve_to_a_local_secret() {
    // Issue 11: `secret://<other-model-uuid>/<id>` found the local secret with that id.
    let other = "secret://99999999-0000-0000-0000-000000000000/obs0000000000000000";
    let mut w = world();
    w.secrets.push(observed());
    let mut t = T::new(w, super::hook("start"));
    let missing = err(1, "secret \"obs0000000000000000\" not found");
    assert_eq!(t.fail(&["secret-get", other]), missing);
    assert_eq!(t.fail(&["secret-get", other, "--label", "x"]), missing);
    // The opaque form names a model too (Juju's ParseURI reads `secret:<uuid>/<id>`).
    assert_eq!(
        t.fail(&[
            "secret-get",
            "secret:99999999-0000-0000-0000-000000000000/obs0000000000000000"
        ]),
        missing
    );
    // This model's uuid, in either form, finds it.
    for local in [
        "secret://11111111-2222-3333-4444-555555555555/obs0000000000000000",
        "secret:11111111-2222-3333-4444-555555555555/obs0000000000000000",
    ] {
        assert_eq!(
            t.ok(&["secret-get", "--format=json", local]),
            "{\"token\":\"old\"}\n"
        );
    }
    // A secret this unit owns, named with another model's uuid: not found by any tool.
    let mut t = T::start();
    let uri = add(&mut t, &["password=one"]);
    let id = uri.strip_prefix("secret:").unwrap();
    let foreign = format!("secret://99999999-0000-0000-0000-000000000000/{id}");
    let not_found = err(1, &format!("secret \"{id}\" not found"));
    assert_eq!(t.fail(&["secret-get", &foreign]), not_found);
    assert_eq!(t.fail(&["secret-info-get", &foreign]), not_found);
    assert_eq!(t.fail(&["secret-set", &foreign, "password=two"]), not_found);
    assert_eq!(t.fail(&["secret-grant", &foreign, "-r", "4"]), not_found);
    assert_eq!(
        t.fail(&["secret-revoke", &foreign, "--app", "postgresql"]),
        not_found
    );
    assert_eq!(t.fail(&["secret-remove", &foreign]), not_found);
    assert_eq!(
        t.h.secrets_after.as_ref().unwrap().len(),
        1,
        "nothing removed"
    );
    // A malformed model part is not a URI at all.
    assert_eq!(
        t.fail(&["secret-get", &format!("secret://not-a-uuid/{id}")]),
        err(
            2,
            &format!("secret URI \"secret://not-a-uuid/{id}\" not valid")
        )
    );
}

#[test]
fn a_remote_secret_is_found_by_its_own_model_only() {
    // A secret consumed from another model carries that model's uuid in its id.
    let mut w = world();
    w.secrets.push(SecretWorld {
        id: "secret://99999999-0000-0000-0000-000000000000/rem0000000000000000".into(),
        ..observed()
    });
    let mut t = T::new(w, super::hook("start"));
    assert_eq!(
        t.ok(&[
            "secret-get",
            "--format=json",
            "secret://99999999-0000-0000-0000-000000000000/rem0000000000000000"
        ]),
        "{\"token\":\"old\"}\n"
    );
    for local in [
        "secret:rem0000000000000000",
        "secret://11111111-2222-3333-4444-555555555555/rem0000000000000000",
    ] {
        assert_eq!(
            t.fail(&["secret-get", local]),
            err(1, "secret \"rem0000000000000000\" not found"),
            "{local}"
        );
    }
}
