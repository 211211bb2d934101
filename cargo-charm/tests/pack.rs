//! `cargo charm pack`: the `.charm` layout, Unix modes, determinism; and `--help`
//! everywhere.

mod common;

use common::*;

/// (name, version made by, Unix mode, data) of every entry: the first three read from the
/// central directory by hand (independently of any zip library), the data inflated by the
/// `zip` crate, which checks each entry's CRC.
fn entries(zip: &[u8]) -> Vec<(String, u16, u32, Vec<u8>)> {
    let u16_at = |i: usize| u16::from_le_bytes([zip[i], zip[i + 1]]);
    let u32_at = |i: usize| u32::from_le_bytes([zip[i], zip[i + 1], zip[i + 2], zip[i + 3]]);
    let eocd = (0..zip.len() - 21)
        .rev()
        .find(|&i| u32_at(i) == 0x0605_4b50)
        .unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut at = u32_at(eocd + 16) as usize;
    let mut out = Vec::new();
    for _ in 0..u16_at(eocd + 10) {
        assert_eq!(u32_at(at), 0x0201_4b50);
        let made_by = u16_at(at + 4);
        assert_eq!(u16_at(at + 10), 8, "deflated");
        let name_len = u16_at(at + 28) as usize;
        let mode = u32_at(at + 38) >> 16;
        let name = String::from_utf8(zip[at + 46..at + 46 + name_len].to_vec()).unwrap();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut archive.by_name(&name).unwrap(), &mut data).unwrap();
        out.push((name, made_by, mode, data));
        at += 46 + name_len + u16_at(at + 30) as usize + u16_at(at + 32) as usize;
    }
    out
}

#[test]
fn the_charm_holds_dispatch_0755_and_the_generated_files() {
    let bytes = std::fs::read(demo_charm()).unwrap();
    assert_eq!(
        demo_charm().file_name().unwrap(),
        "demo-api-charm_amd64.charm"
    );
    let e = entries(&bytes);
    let unpacked: usize = e.iter().map(|x| x.3.len()).sum();
    assert!(
        bytes.len() < unpacked * 2 / 3,
        "entries are not compressed: {} bytes for {unpacked}",
        bytes.len()
    );
    let names: Vec<&str> = e.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(
        names,
        [
            "actions.yaml",
            "config.yaml",
            "dispatch",
            "manifest.yaml",
            "metadata.yaml"
        ]
    );
    for (name, made_by, mode, data) in &e {
        assert_eq!(made_by >> 8, 3, "{name}: made by Unix");
        let want = if name == "dispatch" {
            0o100755
        } else {
            0o100644
        };
        assert_eq!(*mode, want, "{name}: mode {mode:o}");
        if name == "dispatch" {
            assert_eq!(&data[..4], b"\x7fELF");
        }
    }
    let text = |n: &str| String::from_utf8(e.iter().find(|x| x.0 == n).unwrap().3.clone()).unwrap();
    let manifest = text("manifest.yaml");
    assert!(
        manifest
            .contains("bases:\n- architectures:\n  - amd64\n  channel: '22.04'\n  name: ubuntu\n"),
        "{manifest}"
    );
    assert!(
        manifest.contains("charmcraft-started-at: '1980-01-01T00:00:00Z'"),
        "{manifest}"
    );
    let metadata = text("metadata.yaml");
    assert!(metadata.contains("name: demo-api-charm\n"), "{metadata}");
    assert!(
        metadata.contains("fastapi-peer:\n    interface: fastapi_demo_peers"),
        "{metadata}"
    );
    assert!(text("config.yaml").contains("server-port:"));
    assert!(text("actions.yaml").contains("get-db-info:"));
}

/// The shipped `dispatch` is a release build: it leaves the metadata command out (the
/// files came from a dev build) and says so outside Juju, with its own exit code.
#[test]
fn the_shipped_dispatch_leaves_the_metadata_command_out() {
    let bytes = std::fs::read(demo_charm()).unwrap();
    let dispatch = entries(&bytes)
        .into_iter()
        .find(|e| e.0 == "dispatch")
        .unwrap()
        .3;
    let dir = scratch("shipped-dispatch");
    let exe = dir.join("dispatch");
    std::fs::write(&exe, &dispatch).unwrap();
    std::fs::set_permissions(&exe, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let out = std::process::Command::new(&exe)
        .args(["metadata", "--format", "json"])
        .env_remove("JUJU_DISPATCH_PATH")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(i32::from(charm_runtime::dispatch::NO_METADATA_CLI)),
        "{out:?}"
    );
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("leaves out the `metadata` command"),
        "{stderr}"
    );
    // What it left out is the rendering: no charmcraft.yaml text in the binary.
    let text = String::from_utf8_lossy(&dispatch);
    assert!(
        !text.contains("Regenerate with"),
        "the rendering is still in the binary"
    );
}

#[test]
fn packing_twice_gives_the_same_bytes() {
    let again = scratch("pack-again");
    let out = cargo_charm(&[
        "pack",
        "-q",
        "-p",
        "demo-charm",
        "-o",
        again.to_str().unwrap(),
    ])
    .ok();
    let second = std::fs::read(out.trim()).unwrap();
    assert_eq!(std::fs::read(demo_charm()).unwrap(), second);

    // SOURCE_DATE_EPOCH sets the manifest's timestamp (and only that).
    let dated = scratch("pack-dated");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-charm"))
        .args([
            "pack",
            "-q",
            "-p",
            "demo-charm",
            "-o",
            dated.to_str().unwrap(),
        ])
        .env("SOURCE_DATE_EPOCH", "1767508186")
        .current_dir(root())
        .output()
        .unwrap();
    assert!(out.status.success());
    let bytes = std::fs::read(String::from_utf8(out.stdout).unwrap().trim()).unwrap();
    let manifest = entries(&bytes)
        .into_iter()
        .find(|e| e.0 == "manifest.yaml")
        .unwrap();
    assert!(String::from_utf8(manifest.3)
        .unwrap()
        .contains("charmcraft-started-at: '2026-01-04T06:29:46Z'"));
}

#[test]
fn pack_writes_into_the_target_directory_and_says_where() {
    // Without -o: <target-dir>/charm (CARGO_TARGET_TMPDIR is <target-dir>/tmp).
    let target = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap();
    let want = target.join("charm").join("demo-api-charm_amd64.charm");
    demo_charm();
    let demo = root().join("demo-charm");
    let r = cargo_charm_in(&demo, &["pack"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.trim(), want.to_str().unwrap());
    assert_eq!(
        std::fs::read(&want).unwrap(),
        std::fs::read(demo_charm()).unwrap()
    );
    // Progress on stderr: what is built, then where the .charm went.
    let building = r.stderr.find("Building demo-charm (release profile)");
    let packed = r.stderr.find(&format!("Packed {}", want.display()));
    assert!(
        building.is_some() && packed.is_some() && building < packed,
        "{}",
        r.stderr
    );
    // -q: nothing but the path.
    let r = cargo_charm_in(&demo, &["pack", "-q"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    assert_eq!(r.stdout.trim(), want.to_str().unwrap());
}

#[test]
fn pack_finds_the_crate_like_cargo() {
    // From a subdirectory of the crate, with --manifest-path, and with -p.
    let out = scratch("pack-find");
    let o = out.to_str().unwrap();
    cargo_charm_in(&root().join("demo-charm/src"), &["pack", "-q", "-o", o]).ok();
    let manifest = root().join("demo-charm/Cargo.toml");
    cargo_charm_in(
        &out,
        &[
            "pack",
            "-q",
            "-o",
            o,
            "--manifest-path",
            manifest.to_str().unwrap(),
        ],
    )
    .ok();
    cargo_charm(&["charm", "pack", "-q", "-o", o, "-p", "demo-charm"]).ok();
    // At the workspace root, with three charm crates: which one is for -p to say.
    let r = cargo_charm(&["pack", "-q", "-o", o]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr.trim(),
        "ERROR several charm crates in this workspace (demo-charm, webapp, fake-postgresql); choose one with -p"
    );
    // Not a charm crate; not a cargo project.
    let r = cargo_charm(&["pack", "-q", "-o", o, "-p", "charm-runtime"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr.trim(),
        "ERROR package `charm-runtime` is not a charm crate (it needs a binary target and a dependency on charm-runtime)"
    );
    let r = cargo_charm_in(std::path::Path::new("/"), &["pack", "-q"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(
        r.stderr.starts_with("ERROR cannot find a cargo project"),
        "{}",
        r.stderr
    );
}

#[test]
fn every_command_has_help() {
    let commands: &[&[&str]] = &[
        &[],
        &["pack"],
        &["sim"],
        &["sim", "deploy"],
        &["sim", "delete-pod"],
        &["sim", "config"],
        &["sim", "relate"],
        &["sim", "set-data"],
        &["sim", "unrelate"],
        &["sim", "run"],
        &["sim", "leader"],
        &["sim", "scale"],
        &["sim", "dispatch"],
        &["sim", "show-unit"],
        &["sim", "status"],
        &["sim", "debug-log"],
        &["sim", "events"],
        &["sim", "destroy"],
    ];
    for cmd in commands {
        let mut args = cmd.to_vec();
        args.push("--help");
        let out = cargo_charm(&args).ok();
        assert!(out.contains("Usage: cargo charm"), "{cmd:?}: {out}");
        assert!(out.contains("-h, --help"), "{cmd:?}: {out}");
        // As a cargo subcommand (`cargo charm ...` runs `cargo-charm charm ...`).
        let mut args = vec!["charm"];
        args.extend_from_slice(cmd);
        args.push("-h");
        assert_eq!(cargo_charm(&args).ok(), out);
    }
    let r = cargo_charm(&["unpack"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.starts_with("ERROR unknown command \"unpack\""));
}
