//! Secrets: the exact argv of every `secret-*` call, the content files, the per-dispatch
//! cache, the error mapping, and that no content value ever shows in argv, stdin, a
//! message, `Debug` or `Display`, on success or on any failure path.

use super::{env, Fake};
use crate::event::{Event, SecretEvent, SecretEventKind};
use crate::hooktools::cmd::{self, SecretRead};
use crate::hooktools::{ToolCall, ToolError};
use crate::model::Model;
use crate::relation::{Endpoint, Provides, Relation};
use crate::secret::{Expire, Rotate, Secret, SecretContent, SecretError, SecretMeta, SecretOwner};
use std::cell::RefCell;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A value that must never show anywhere but in the content files.
const VALUE: &str = "hunter2-SECRET-VALUE";

fn content() -> SecretContent {
    SecretContent::from([("password", VALUE), ("username", "admin-user-VALUE")])
}

/// What a fake tool saw of one `key#file=<path>` argument while it ran.
#[derive(Debug)]
struct SeenFile {
    key: String,
    path: PathBuf,
    text: String,
    file_mode: u32,
    dir_mode: u32,
}

/// Reads the content files of a call, as Juju's tool would while it runs.
fn read_files(call: &ToolCall) -> Vec<SeenFile> {
    call.args
        .iter()
        .filter_map(|a| a.split_once("#file="))
        .map(|(k, p)| {
            let path = PathBuf::from(p);
            let meta = std::fs::metadata(&path).expect("the content file exists during the call");
            let dir = std::fs::metadata(path.parent().unwrap()).unwrap();
            SeenFile {
                key: k.to_string(),
                text: std::fs::read_to_string(&path).unwrap(),
                path,
                file_mode: meta.permissions().mode() & 0o777,
                dir_mode: dir.permissions().mode() & 0o777,
            }
        })
        .collect()
}

/// Every text a failure or a call could show.
fn shown(call: &ToolCall) -> Vec<String> {
    vec![
        call.to_string(),
        format!("{call:?}"),
        call.args.join(" "),
        call.stdin.clone().unwrap_or_default(),
    ]
}

fn assert_no_value(texts: &[String]) {
    for t in texts {
        assert!(
            !t.contains(VALUE) && !t.contains("admin-user-VALUE"),
            "a content value leaked: {t}"
        );
    }
}

#[test]
fn secret_add_passes_content_in_private_files_removed_after() {
    let seen = RefCell::new(Vec::new());
    let mut t = Fake::new(|c: &ToolCall| {
        seen.borrow_mut().extend(read_files(c));
        Ok("secret:cs8m2q1gk5aoe7c2bqf0\n".to_string())
    });
    let meta = SecretMeta {
        label: Some("admin".into()),
        description: Some("the admin login".into()),
        expire: Some(Expire::After(Duration::from_secs(3600))),
        rotate: Some(Rotate::Daily),
    };
    let uri = cmd::secret_add(&mut t, &content(), SecretOwner::Unit, &meta).unwrap();
    assert_eq!(uri, "secret:cs8m2q1gk5aoe7c2bqf0");
    let seen = seen.take();
    assert_eq!(seen.len(), 2);
    let dir = seen[0].path.parent().unwrap().to_path_buf();
    let argv = &t.argv()[0];
    assert_eq!(
        argv[..11],
        [
            "secret-add",
            "--label",
            "admin",
            "--description",
            "the admin login",
            "--expire",
            "3600s",
            "--rotate",
            "daily",
            "--owner",
            "unit"
        ]
    );
    assert_eq!(
        argv[11..],
        [
            format!("password#file={}", dir.join("password").display()),
            format!("username#file={}", dir.join("username").display()),
        ]
    );
    for f in &seen {
        assert_eq!(f.file_mode, 0o600, "{f:?}");
        assert_eq!(f.dir_mode, 0o700, "{f:?}");
        assert_eq!(f.text, content().get(&f.key).unwrap(), "values as they are");
        assert!(
            !f.path.exists(),
            "{} is removed after the call",
            f.path.display()
        );
    }
    assert!(!dir.exists(), "the directory is removed too");
    assert!(dir.starts_with(std::env::temp_dir()));
    assert_no_value(&shown(&t.calls[0]));
}

#[test]
fn failed_secret_add_and_set_remove_their_files_and_show_no_value() {
    let paths = RefCell::new(Vec::new());
    let mut t = Fake::new(|c: &ToolCall| {
        paths
            .borrow_mut()
            .extend(read_files(c).into_iter().map(|f| f.path));
        match c.tool {
            "secret-add" => Err((1, "ERROR this unit is not the leader\n".into())),
            _ => Err((1, "ERROR secret \"cs8m\" not found\n".into())),
        }
    });
    let e = env("app/1", Event::Start);
    let mut m = Model::new(&e, &mut t, &[]);
    let add = m.add_secret(content()).label("admin").add().unwrap_err();
    assert!(
        matches!(&add, SecretError::PermissionDenied { secret, .. } if secret.contains("admin")),
        "{add:?}"
    );
    let set = m
        .set_secret_content(Secret::from_id("secret:cs8m"), content())
        .unwrap_err();
    assert_eq!(
        set,
        SecretError::NotFound {
            secret: "secret:cs8m".into()
        }
    );
    drop(m);
    let mut texts = vec![
        add.to_string(),
        format!("{add:?}"),
        set.to_string(),
        format!("{set:?}"),
        crate::Error::from(add.clone()).to_string(),
    ];
    for c in &t.calls {
        texts.extend(shown(c));
    }
    assert_no_value(&texts);
    let paths = paths.take();
    assert_eq!(paths.len(), 4, "both calls got both files");
    for p in paths {
        assert!(
            !p.exists(),
            "{} is removed after a failed call",
            p.display()
        );
        assert!(!p.parent().unwrap().exists());
    }
}

#[test]
fn content_is_checked_before_any_call() {
    let mut t = Fake::new(|_: &ToolCall| Ok(String::new()));
    let e = env("app/0", Event::Start);
    let mut m = Model::new(&e, &mut t, &[]);
    let bad = SecretContent::from([("../escape", VALUE)]);
    let err = m.add_secret(bad.clone()).add().unwrap_err();
    assert_eq!(
        err,
        SecretError::InvalidKey {
            key: "../escape".into()
        }
    );
    assert!(err.to_string().contains("\"../escape\""), "{err}");
    assert_eq!(
        m.add_secret(SecretContent::new()).add().unwrap_err(),
        SecretError::EmptyContent
    );
    assert_eq!(
        m.set_secret_content(Secret::from_id("secret:x"), bad),
        Err(SecretError::InvalidKey {
            key: "../escape".into()
        })
    );
    // The cmd layer refuses too, without writing a file named after a bad key.
    let err = cmd::secret_add(
        &mut t,
        &SecretContent::from([("../escape", VALUE)]),
        SecretOwner::App,
        &SecretMeta::default(),
    )
    .unwrap_err();
    assert!(matches!(err, ToolError::ContentFile { .. }), "{err:?}");
    assert_no_value(&[err.to_string()]);
    assert!(t.calls.is_empty(), "{:?}", t.calls);
}

#[test]
fn secret_get_argv_and_output_never_quoted() {
    let mut t = Fake::new(|c: &ToolCall| {
        Ok(match c.args.last().map(String::as_str) {
            // Not a map of strings: the value is in the output, and must not be in the error.
            Some("--peek") => format!(r#"{{"password": ["{VALUE}"]}}"#),
            _ => format!(r#"{{"password": "{VALUE}"}}"#),
        })
    });
    let by_id = Secret::from_id("secret:abc");
    let by_label = Secret::from_label("db");
    let both = Secret::from_id("secret:abc").with_label("db");
    assert_eq!(
        cmd::secret_get(&mut t, &by_id, SecretRead::Tracked)
            .unwrap()
            .get("password"),
        Some(VALUE)
    );
    cmd::secret_get(&mut t, &by_label, SecretRead::Refresh).unwrap();
    cmd::secret_get(&mut t, &both, SecretRead::Tracked).unwrap();
    let err = cmd::secret_get(&mut t, &by_id, SecretRead::Peek).unwrap_err();
    assert!(matches!(err, ToolError::BadOutput { .. }), "{err:?}");
    assert_no_value(&[err.to_string(), format!("{err:?}")]);
    assert!(err.to_string().contains("bytes, not shown"), "{err}");
    assert_eq!(
        t.argv(),
        [
            vec!["secret-get", "--format=json", "secret:abc"],
            vec!["secret-get", "--format=json", "--label", "db", "--refresh"],
            vec!["secret-get", "--format=json", "secret:abc", "--label", "db"],
            vec!["secret-get", "--format=json", "secret:abc", "--peek"],
        ]
    );
}

#[test]
fn management_calls_have_ops_argv() {
    let mut t = Fake::new(|c: &ToolCall| {
        Ok(match c.tool {
            "secret-info-get" => r#"{"cs8m": {"revision": 3, "label": "admin", "owner": "application", "description": "d", "rotation": "weekly", "expiry": "2026-01-04T06:29:46Z", "rotates": "2026-01-11T06:29:46Z"}}"#.into(),
            "secret-ids" => r#"["cs8m", "cs9x"]"#.into(),
            _ => String::new(),
        })
    });
    let info = cmd::secret_info_get(&mut t, &Secret::from_id("secret:cs8m")).unwrap();
    assert_eq!(info.id, "cs8m");
    assert_eq!(info.revision, 3);
    assert_eq!(info.label.as_deref(), Some("admin"));
    assert_eq!(info.owner, Some(SecretOwner::App));
    assert_eq!(info.rotation, Some(Rotate::Weekly));
    assert_eq!(info.expires.as_deref(), Some("2026-01-04T06:29:46Z"));
    cmd::secret_info_get(&mut t, &Secret::from_label("admin")).unwrap();
    // With both, Juju takes one: the id.
    cmd::secret_info_get(&mut t, &Secret::from_id("secret:cs8m").with_label("x")).unwrap();
    let meta = SecretMeta {
        description: Some("new".into()),
        ..SecretMeta::default()
    };
    cmd::secret_set(&mut t, "secret:cs8m", None, &meta).unwrap();
    cmd::secret_grant(&mut t, "secret:cs8m", 7, None).unwrap();
    cmd::secret_grant(&mut t, "secret:cs8m", 7, Some("pg/1")).unwrap();
    cmd::secret_revoke(&mut t, "secret:cs8m", 7, None).unwrap();
    cmd::secret_revoke(&mut t, "secret:cs8m", 7, Some("pg/1")).unwrap();
    cmd::secret_remove(&mut t, "secret:cs8m", None).unwrap();
    cmd::secret_remove(&mut t, "secret:cs8m", Some(2)).unwrap();
    assert_eq!(cmd::secret_ids(&mut t).unwrap(), ["cs8m", "cs9x"]);
    assert_eq!(
        t.argv(),
        [
            vec!["secret-info-get", "--format=json", "secret:cs8m"],
            vec!["secret-info-get", "--format=json", "--label", "admin"],
            vec!["secret-info-get", "--format=json", "secret:cs8m"],
            vec![
                "secret-set",
                "--description",
                "new",
                "--owner",
                "application",
                "secret:cs8m"
            ],
            vec!["secret-grant", "--relation", "7", "secret:cs8m"],
            vec![
                "secret-grant",
                "--relation",
                "7",
                "--unit",
                "pg/1",
                "secret:cs8m"
            ],
            vec!["secret-revoke", "--relation", "7", "secret:cs8m"],
            vec![
                "secret-revoke",
                "--relation",
                "7",
                "--unit",
                "pg/1",
                "secret:cs8m"
            ],
            vec!["secret-remove", "secret:cs8m"],
            vec!["secret-remove", "secret:cs8m", "--revision", "2"],
            vec!["secret-ids", "--format=json"],
        ]
    );
}

#[test]
fn secret_set_with_content_sends_files_after_the_id() {
    let seen = RefCell::new(Vec::new());
    let mut t = Fake::new(|c: &ToolCall| {
        seen.borrow_mut().extend(read_files(c));
        Ok(String::new())
    });
    let meta = SecretMeta {
        label: Some("l".into()),
        expire: Some(Expire::At(
            std::time::UNIX_EPOCH + Duration::from_secs(86_400),
        )),
        ..SecretMeta::default()
    };
    cmd::secret_set(&mut t, "secret:cs8m", Some(&content()), &meta).unwrap();
    let argv = &t.argv()[0];
    assert_eq!(
        argv[..8],
        [
            "secret-set",
            "--label",
            "l",
            "--expire",
            "1970-01-02T00:00:00Z",
            "--owner",
            "application",
            "secret:cs8m"
        ]
    );
    assert!(argv[8].starts_with("password#file=") && argv[9].starts_with("username#file="));
    let seen = seen.take();
    assert_eq!(seen[0].text, VALUE);
    assert!(seen.iter().all(|f| !f.path.exists()));
    assert_no_value(&shown(&t.calls[0]));
}

fn counting_model_tools() -> Fake<impl FnMut(&ToolCall) -> Result<String, (i32, String)>> {
    let mut revision = 1;
    Fake::new(move |c: &ToolCall| match c.tool {
        "secret-get" => {
            if c.args.iter().any(|a| a == "--refresh") {
                revision = 2;
            }
            let rev = if c.args.iter().any(|a| a == "--peek") {
                2
            } else {
                revision
            };
            if c.args.iter().any(|a| a == "secret:gone") {
                return Err((1, "ERROR secret \"gone\" not found\n".into()));
            }
            Ok(format!(r#"{{"token": "rev{rev}"}}"#))
        }
        "secret-add" => Ok("secret:new1\n".into()),
        "secret-info-get" => Ok(r#"{"cs8m": {"revision": 2, "label": "admin"}}"#.into()),
        "secret-set" | "secret-grant" | "secret-revoke" | "secret-remove" => Ok(String::new()),
        _ => Err((1, format!("ERROR unexpected {c}"))),
    })
}

#[test]
fn content_is_read_once_per_handle_until_refreshed_or_changed() {
    let mut t = counting_model_tools();
    let e = env("app/0", Event::Start);
    let mut m = Model::new(&e, &mut t, &[]);
    let s = Secret::from_id("secret:cs8m");
    assert_eq!(m.secret_content(&s).unwrap().get("token"), Some("rev1"));
    assert_eq!(m.secret_content(&s).unwrap().get("token"), Some("rev1"));
    // Peeking reads the latest every time, and leaves the cached tracked content alone.
    assert_eq!(m.peek_secret(&s).unwrap().get("token"), Some("rev2"));
    assert_eq!(m.secret_content(&s).unwrap().get("token"), Some("rev1"));
    assert_eq!(m.refresh_secret(&s).unwrap().get("token"), Some("rev2"));
    assert_eq!(m.secret_content(&s).unwrap().get("token"), Some("rev2"));
    // An update leaves the tracked content as it is (ops does not refetch either).
    m.update_secret(&s).rotate(Rotate::Hourly).set().unwrap();
    assert_eq!(m.secret_content(&s).unwrap().get("token"), Some("rev2"));
    assert_eq!(
        m.update_secret(&s).set(),
        Err(SecretError::NothingToSet {
            secret: "secret:cs8m".into()
        })
    );
    // A new secret's content is known: reading it back costs nothing.
    let added = m
        .add_secret([("token", "mine")])
        .label("own")
        .add()
        .unwrap();
    assert_eq!(added.id.as_deref(), Some("secret:new1"));
    assert_eq!(m.secret_content(&added).unwrap().get("token"), Some("mine"));
    assert_eq!(
        m.secret_content(Secret::from_id("secret:gone")),
        Err(SecretError::NotFound {
            secret: "secret:gone".into()
        })
    );
    drop(m);
    let tools: Vec<String> = t.calls.iter().map(|c| c.to_string()).collect();
    assert_eq!(
        tools.iter().filter(|c| c.starts_with("secret-get")).count(),
        4,
        "{tools:#?}"
    );
    assert_eq!(
        tools.iter().filter(|c| c.contains("secret:cs8m")).count(),
        4,
        "{tools:#?}"
    );
}

#[test]
fn managing_by_label_looks_the_id_up_once() {
    let mut t = counting_model_tools();
    let e = env("app/0", Event::Start);
    let mut m = Model::new(&e, &mut t, &[]);
    let rel = Relation::new(Endpoint::<Provides>::provides("db"), 4);
    let by_label = Secret::from_label("admin");
    m.grant_secret(&by_label, &rel).unwrap();
    m.revoke_secret_from_unit(&by_label, &rel, "pg/1").unwrap();
    m.grant_secret_to_unit(Secret::from_id("cs9x"), &rel, "pg/0")
        .unwrap();
    m.remove_secret_revision(Secret::from_id("secret:cs8m"), 1)
        .unwrap();
    let unnamed = Secret {
        id: None,
        label: None,
    };
    assert!(matches!(
        m.remove_secret(&unnamed),
        Err(SecretError::NoId { .. })
    ));
    let info = m.secret_info(&by_label).unwrap();
    assert_eq!(info.id, "secret://uuid/cs8m", "canonical, as ops gives it");
    drop(m);
    assert_eq!(
        t.argv(),
        [
            vec!["secret-info-get", "--format=json", "--label", "admin"],
            vec!["secret-grant", "--relation", "4", "secret://uuid/cs8m"],
            vec![
                "secret-revoke",
                "--relation",
                "4",
                "--unit",
                "pg/1",
                "secret://uuid/cs8m"
            ],
            vec![
                "secret-grant",
                "--relation",
                "4",
                "--unit",
                "pg/0",
                "secret://uuid/cs9x"
            ],
            vec!["secret-remove", "secret:cs8m", "--revision", "1"],
            vec!["secret-info-get", "--format=json", "--label", "admin"],
        ]
    );
}

#[test]
fn the_event_names_its_secret() {
    let e = env(
        "app/0",
        Event::Secret(SecretEvent {
            kind: SecretEventKind::Remove,
            id: "secret:cs8m".into(),
            label: Some("admin".into()),
            revision: Some(2),
        }),
    );
    let mut t = Fake::new(|_: &ToolCall| Ok(String::new()));
    let m = Model::new(&e, &mut t, &[]);
    assert_eq!(
        m.event_secret(),
        Some(Secret::from_id("secret:cs8m").with_label("admin"))
    );
    assert_eq!(m.event().secret().and_then(|s| s.revision), Some(2));
}

#[test]
fn a_config_secret_resolves_to_the_secret() {
    let uri = crate::config::SecretUri("secret:cs8m".into());
    assert_eq!(Secret::from(&uri), Secret::from_id("secret:cs8m"));
    let mut t = counting_model_tools();
    let e = env("app/0", Event::ConfigChanged);
    let mut m = Model::new(&e, &mut t, &[]);
    assert_eq!(m.secret_content(&uri).unwrap().get("token"), Some("rev1"));
}

#[test]
fn content_files_fail_clearly_without_showing_values() {
    let err = cmd::secret::tests_support::write_in(
        Path::new("/nonexistent-dir-for-charm-tests"),
        &content(),
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("secret-add` was not run"), "{text}");
    assert!(text.contains("/nonexistent-dir-for-charm-tests"), "{text}");
    assert_no_value(&[text, format!("{err:?}")]);
}
