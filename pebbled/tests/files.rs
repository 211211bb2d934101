//! The container filesystem: Pebble's behaviour and error texts, and the jail (no path,
//! `..` or symlink reaches outside the root).

use std::os::unix::fs::{symlink, PermissionsExt};

use pebbled::files::{ContainerFs, FileErrorKind, MakeDirItem, Mounts, Owners, WriteItem};

fn write_item(path: &str) -> WriteItem {
    WriteItem {
        path: path.into(),
        ..WriteItem::default()
    }
}

#[test]
fn write_read_list_remove() {
    let root = tempfile::tempdir().unwrap();
    let fs = ContainerFs::new(root.path());
    let mut owners = Owners::new();
    let item = WriteItem {
        make_dirs: true,
        permissions: "600".into(),
        ..write_item("/a/b/c.txt")
    };
    fs.write(&item, b"hello", &mut owners).unwrap();
    assert_eq!(fs.read("/a/b/c.txt").unwrap(), b"hello");
    let mode = std::fs::metadata(root.path().join("a/b/c.txt"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    assert_eq!(
        std::fs::metadata(root.path().join("a/b"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o755
    );
    let listed = fs.list("/a/b", "", false, &owners).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (
            listed[0].path.as_str(),
            listed[0].permissions.as_str(),
            listed[0].size
        ),
        ("/a/b/c.txt", "600", Some(5))
    );
    // Go's path.Dir quirk: itself on "/a/b/" reports "/a/b/b".
    assert_eq!(
        fs.list("/a/b/", "", true, &owners).unwrap()[0].path,
        "/a/b/b"
    );
    let err = fs.list("/a", "[", false, &owners).unwrap_err();
    assert_eq!(
        (err.kind, err.message.as_str()),
        (FileErrorKind::Generic, "syntax error in pattern")
    );

    let err = fs.remove("/a", false, &mut owners).unwrap_err();
    assert_eq!(err.message, "remove /a: directory not empty");
    fs.remove("/a", true, &mut owners).unwrap();
    assert!(!root.path().join("a").exists());
    assert_eq!(
        fs.remove("/", true, &mut owners).unwrap_err().message,
        "unlinkat /: device or resource busy"
    );
    assert!(root.path().exists());
}

#[test]
fn errors_are_worded_as_go_and_classified_as_pebble() {
    let root = tempfile::tempdir().unwrap();
    let fs = ContainerFs::new(root.path());
    let mut owners = Owners::new();
    let err = fs.read("/missing").unwrap_err();
    assert_eq!(
        (err.kind, err.message.as_str()),
        (
            FileErrorKind::NotFound,
            "stat /missing: no such file or directory"
        )
    );
    assert_eq!(
        fs.read("rel").unwrap_err().message,
        "paths must be absolute, got \"rel\""
    );
    let err = fs
        .write(
            &WriteItem {
                permissions: "8".into(),
                ..write_item("/x")
            },
            b"",
            &mut owners,
        )
        .unwrap_err();
    assert_eq!(
        err.message,
        "permissions must be a 3-digit octal string, got \"8\""
    );
    let err = fs.write(&write_item("/d/x"), b"", &mut owners).unwrap_err();
    assert_eq!(err.kind, FileErrorKind::NotFound);
    assert!(
        err.message.starts_with("open /d/x.")
            && err.message.ends_with("~: no such file or directory"),
        "{}",
        err.message
    );
    fs.write(&write_item("/file"), b"", &mut owners).unwrap();
    let err = fs
        .make_dir(
            &MakeDirItem {
                path: "/file".into(),
                ..MakeDirItem::default()
            },
            &mut owners,
        )
        .unwrap_err();
    assert_eq!(err.message, "mkdir /file: not a directory");
    let err = fs
        .write(
            &WriteItem {
                make_dirs: true,
                ..write_item("/file/x")
            },
            b"",
            &mut owners,
        )
        .unwrap_err();
    assert_eq!(
        err.message,
        "cannot create directory: mkdir /file: not a directory"
    );
    let err = fs
        .write(
            &WriteItem {
                group: "g".into(),
                ..write_item("/y")
            },
            b"",
            &mut owners,
        )
        .unwrap_err();
    assert_eq!(
        err.message,
        "cannot look up user and group: must specify user, not just group"
    );
}

#[test]
fn ownership_follows_the_containers_user_database() {
    let root = tempfile::tempdir().unwrap();
    let fs = ContainerFs::new(root.path());
    let mut owners = Owners::new();
    // Without /etc/passwd in the container: names are recorded as given.
    fs.write(
        &WriteItem {
            user: "app".into(),
            ..write_item("/f")
        },
        b"",
        &mut owners,
    )
    .unwrap();
    let info = &fs.list("/f", "", false, &owners).unwrap()[0];
    assert_eq!((info.user.as_str(), info.user_id), ("app", None));
    // With one: looked up, and unknown names are Pebble's errors.
    std::fs::create_dir(root.path().join("etc")).unwrap();
    std::fs::write(
        root.path().join("etc/passwd"),
        "root:x:0:0::/root:/bin/sh\napp:x:1001:1002::/srv:/bin/sh\n",
    )
    .unwrap();
    std::fs::write(root.path().join("etc/group"), "root:x:0:\napp:x:1002:\n").unwrap();
    fs.write(
        &WriteItem {
            user: "app".into(),
            ..write_item("/g")
        },
        b"",
        &mut owners,
    )
    .unwrap();
    let info = &fs.list("/g", "", false, &owners).unwrap()[0];
    assert_eq!(
        (info.user_id, info.group_id, info.group.as_str()),
        (Some(1001), Some(1002), "app")
    );
    let err = fs
        .write(
            &WriteItem {
                user: "nobody".into(),
                ..write_item("/h")
            },
            b"",
            &mut owners,
        )
        .unwrap_err();
    assert_eq!(
        err.message,
        "cannot look up user and group: user: unknown user nobody"
    );
    let err = fs
        .write(
            &WriteItem {
                user: "app".into(),
                user_id: Some(5),
                ..write_item("/h")
            },
            b"",
            &mut owners,
        )
        .unwrap_err();
    assert_eq!(
        err.message,
        "cannot look up user and group: user \"app\" UID (1001) does not match user-id (5)"
    );
    // A plain write afterwards is root's again; remove forgets the record.
    fs.write(&write_item("/g"), b"", &mut owners).unwrap();
    assert_eq!(fs.list("/g", "", false, &owners).unwrap()[0].user, "root");
    fs.remove("/f", false, &mut owners).unwrap();
    assert!(!owners.contains_key("/f"));
}

#[test]
fn nothing_escapes_the_root() {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("root");
    std::fs::create_dir(&root).unwrap();
    std::fs::write(outer.path().join("secret"), "host secret").unwrap();
    let fs = ContainerFs::new(&root);
    let mut owners = Owners::new();

    // `..` stops at the container's /.
    assert_eq!(
        fs.read("/../secret").unwrap_err().kind,
        FileErrorKind::NotFound
    );
    fs.write(&write_item("/../../planted"), b"x", &mut owners)
        .unwrap();
    assert!(root.join("planted").exists() && !outer.path().join("planted").exists());

    // Symlinks resolve inside the root, absolute or relative, in any component.
    symlink(outer.path().join("secret"), root.join("abs")).unwrap();
    symlink("../secret", root.join("rel")).unwrap();
    symlink(outer.path(), root.join("dir")).unwrap();
    for path in ["/abs", "/rel", "/dir/secret"] {
        let err = fs.read(path).unwrap_err();
        assert_eq!(err.kind, FileErrorKind::NotFound, "{path}: {}", err.message);
    }
    // Writing through a directory symlink lands inside the root.
    std::fs::create_dir_all(root.join(outer.path().strip_prefix("/").unwrap())).unwrap();
    fs.write(&write_item("/dir/through"), b"x", &mut owners)
        .unwrap();
    assert!(!outer.path().join("through").exists());
    // Writing over a symlink replaces the link, never its target.
    fs.write(&write_item("/abs"), b"new", &mut owners).unwrap();
    assert_eq!(
        std::fs::read_to_string(outer.path().join("secret")).unwrap(),
        "host secret"
    );
    // Removing follows nothing either.
    symlink(outer.path(), root.join("out")).unwrap();
    fs.remove("/out", true, &mut owners).unwrap();
    assert!(outer.path().join("secret").exists());
    // A symlink loop is ELOOP, not a hang.
    symlink("/loop", root.join("loop")).unwrap();
    assert_eq!(
        fs.read("/loop").unwrap_err().message,
        "stat /loop: too many levels of symbolic links"
    );
    // Listing shows symlinks as symlinks.
    let listed = fs.list("/", "l*", false, &owners).unwrap();
    assert_eq!(
        listed[0].type_,
        charm_runtime::pebble::types::FileType::Symlink
    );
}

#[test]
fn mounted_host_directories_hold_the_files_below_their_mount_points() {
    let root = tempfile::tempdir().unwrap();
    let storage = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("var/lib/data")).unwrap();
    let mounts = Mounts::from([("/var/lib/data".to_string(), storage.path().to_path_buf())]);
    let fs = ContainerFs::new(root.path()).with_mounts(&mounts);
    let mut owners = Owners::new();
    let item = WriteItem {
        make_dirs: true,
        ..write_item("/var/lib/data/sub/db.txt")
    };
    fs.write(&item, b"kept", &mut owners).unwrap();
    // The file is in the mounted directory, not under the root.
    assert_eq!(
        std::fs::read(storage.path().join("sub/db.txt")).unwrap(),
        b"kept"
    );
    assert!(!root.path().join("var/lib/data/sub").exists());
    assert_eq!(fs.read("/var/lib/data/sub/db.txt").unwrap(), b"kept");
    // Reached through `..` and through a symlink inside the container as well.
    assert_eq!(fs.read("/var/lib/x/../data/sub/db.txt").unwrap(), b"kept");
    symlink("/var/lib/data", root.path().join("data")).unwrap();
    assert_eq!(fs.read("/data/sub/db.txt").unwrap(), b"kept");
    let listed = fs.list("/var/lib/data", "", false, &owners).unwrap();
    assert_eq!(listed[0].path, "/var/lib/data/sub");
    // The mount point itself cannot be removed; what is below it can.
    let err = fs.remove("/var/lib/data", true, &mut owners).unwrap_err();
    assert_eq!(
        err.message,
        "unlinkat /var/lib/data: device or resource busy"
    );
    fs.remove("/var/lib/data/sub", true, &mut owners).unwrap();
    assert!(!storage.path().join("sub").exists());
    // Paths outside the mount point stay under the root.
    fs.write(&write_item("/var/lib/other"), b"root", &mut owners)
        .unwrap();
    assert!(root.path().join("var/lib/other").exists());
}
