//! The `dispatch` binary runs where the charm says it runs (issue 11 §3): `pack` and
//! `sim deploy` read its ELF machine and the glibc versions it needs and refuse it, with an
//! error that says what to do, when a declared base could not run it. With real binaries:
//! the demo's `dispatch` as built here, the same bytes under a `manifest.yaml` that
//! declares an older base or another architecture, and copies patched to need a newer
//! glibc or to be built for another machine. (`pack` refusing an old base end to end is in
//! `outside_crate.rs`: it needs a crate of its own.)

mod common;

use common::{cargo_charm, scratch, Model};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The demo packed once for this file, not quiet: `(the .charm, what pack printed)`.
fn packed() -> &'static (PathBuf, String) {
    static PACKED: std::sync::OnceLock<(PathBuf, String)> = std::sync::OnceLock::new();
    PACKED.get_or_init(|| {
        let out = scratch("runs-on-pack");
        let r = cargo_charm(&["pack", "-p", "demo-charm", "-o", out.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        (PathBuf::from(r.stdout.trim()), r.stderr)
    })
}

/// The demo's `.charm`.
fn demo_charm() -> &'static Path {
    &packed().0
}

/// `(name, data)` of every entry of a `.charm`.
fn entries(charm: &Path) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(charm).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().to_string(), data)
        })
        .collect()
}

/// The demo's entries with `dispatch` and `manifest.yaml` changed by `edit`, as a new
/// `.charm` at `path`.
fn demo_with(path: &Path, edit: impl Fn(&str, &mut Vec<u8>)) -> PathBuf {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, mut data) in entries(demo_charm()) {
        edit(&name, &mut data);
        let mode = if name == "dispatch" { 0o755 } else { 0o644 };
        let options = zip::write::SimpleFileOptions::default().unix_permissions(mode);
        zip.start_file(name, options).unwrap();
        zip.write_all(&data).unwrap();
    }
    zip.finish().unwrap();
    path.to_path_buf()
}

/// The demo's `dispatch`.
fn demo_dispatch() -> Vec<u8> {
    entries(demo_charm())
        .into_iter()
        .find(|(n, _)| n == "dispatch")
        .unwrap()
        .1
}

/// The highest `GLIBC_x.y` that `readelf -V` (binutils, independent of the `object` crate
/// cargo-charm uses) lists among the needed versions of `binary`.
fn readelf_max_glibc(binary: &Path) -> (Vec<u32>, String) {
    let out = Command::new("readelf")
        .args(["-V", "--wide"])
        .arg(binary)
        .output()
        .expect("readelf (binutils, which links Rust binaries) is installed");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .filter_map(|w| {
            let v: Option<Vec<u32>> = w
                .strip_prefix("GLIBC_")?
                .split('.')
                .map(|p| p.parse().ok())
                .collect();
            Some((v?, w.to_string()))
        })
        .max()
        .expect("the demo needs some glibc")
}

/// `sim deploy` of `charm` into a fresh model: refused with exit 1 and one `ERROR` line
/// holding each of `expect`, no model created.
fn refused(name: &str, charm: &Path, expect: &[&str]) {
    let m = Model::new(&format!("model-{name}"));
    let r = m.sim(&["deploy", charm.to_str().unwrap()]);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", r.stderr);
    assert!(lines[0].starts_with("ERROR "), "{}", lines[0]);
    for e in expect {
        assert!(lines[0].contains(e), "{e:?} not in {}", lines[0]);
    }
    assert_eq!(r.code, 1);
    for left in ["model.json", "charm", "charm.new", "units"] {
        assert!(!m.state.join(left).exists(), "{left} left behind");
    }
}

/// The classic ELF symbol hash (`vna_hash` of a version-needed entry).
fn elf_hash(name: &[u8]) -> u32 {
    let mut h: u32 = 0;
    for &c in name {
        h = (h << 4).wrapping_add(u32::from(c));
        let g = h & 0xf000_0000;
        if g != 0 {
            h ^= g >> 24;
        }
        h &= !g;
    }
    h
}

/// Replaces the only occurrence of `from` in `data[range]` by `to` (same length).
fn patch_once(data: &mut [u8], range: std::ops::Range<usize>, from: &[u8], to: &[u8]) {
    let region = &data[range.clone()];
    let hits: Vec<usize> = region
        .windows(from.len())
        .enumerate()
        .filter(|(_, w)| *w == from)
        .map(|(i, _)| i)
        .collect();
    assert_eq!(hits.len(), 1, "{:?} found {} times", from, hits.len());
    let at = range.start + hits[0];
    data[at..at + to.len()].copy_from_slice(to);
}

/// The file range of the ELF64 section `name` (little-endian, as on amd64).
fn section(data: &[u8], name: &[u8]) -> std::ops::Range<usize> {
    use object::read::elf::{FileHeader, SectionHeader};
    let header = object::elf::FileHeader64::<object::Endianness>::parse(data).unwrap();
    let endian = header.endian().unwrap();
    let sections = header.sections(endian, data).unwrap();
    let (_, s) = sections.section_by_name(endian, name).unwrap();
    let start = s.sh_offset(endian) as usize;
    start..start + s.sh_size(endian) as usize
}

#[test]
fn the_demo_binary_built_here_passes_and_says_what_it_needs() {
    let dispatch = scratch("runs-on-demo").join("dispatch");
    std::fs::write(&dispatch, demo_dispatch()).unwrap();
    let (need, tag) = readelf_max_glibc(&dispatch);
    assert!(
        need <= vec![2, 35],
        "the demo built on this machine needs {tag}, newer than its base ubuntu@22.04 (2.35): build settings must keep it packable"
    );
    let shown = need
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(".");
    // Not quiet, pack says what it checked.
    let stderr = &packed().1;
    let line = format!("Checked dispatch: amd64, needs glibc {shown} (ubuntu@22.04 has 2.35)");
    assert!(stderr.contains(&line), "{line:?} not in {stderr}");
}

#[test]
fn the_real_binary_under_an_older_base_is_refused() {
    let dir = scratch("runs-on-old-base");
    let (need, tag) = {
        let d = dir.join("dispatch");
        std::fs::write(&d, demo_dispatch()).unwrap();
        readelf_max_glibc(&d)
    };
    assert!(
        need > vec![2, 31],
        "this test needs a machine whose glibc gives Rust binaries a GLIBC_2.32+ need (it has {tag})"
    );
    let charm = demo_with(&dir.join("focal.charm"), |name, data| {
        if name == "manifest.yaml" {
            let text = String::from_utf8(data.clone()).unwrap();
            assert!(text.contains("channel: '22.04'"), "{text}");
            *data = text.replace("channel: '22.04'", "channel: '20.04'").into();
        }
    });
    let shown = tag.trim_start_matches("GLIBC_");
    refused(
        "runs-on-old-base",
        &charm,
        &[
            &format!("focal.charm/dispatch needs glibc {shown} ({tag}), but the charm's base ubuntu@20.04 has glibc 2.31"),
            "build it where that glibc is (in a ubuntu:20.04 container or on such a machine), or for a static target (e.g. `CARGO_BUILD_TARGET=x86_64-unknown-linux-musl`)",
        ],
    );
}

#[test]
fn a_binary_needing_a_newer_glibc_is_refused() {
    // The demo's binary with its highest version-needed entry (name and hash) moved up to
    // the glibc after 22.04's and after 24.04's: what linking on a newer system gives.
    let dir = scratch("runs-on-new-glibc");
    let original = demo_dispatch();
    let d = dir.join("dispatch");
    std::fs::write(&d, &original).unwrap();
    let (_, tag) = readelf_max_glibc(&d);
    for (newer, base, has) in [
        ("GLIBC_2.36", "22.04", "2.35"),
        ("GLIBC_2.40", "24.04", "2.39"),
    ] {
        assert_eq!(newer.len(), tag.len());
        let mut patched = original.clone();
        let dynstr = section(&original, b".dynstr");
        let mut from = tag.as_bytes().to_vec();
        from.push(0);
        let mut to = newer.as_bytes().to_vec();
        to.push(0);
        patch_once(&mut patched, dynstr, &from, &to);
        let verneed = section(&original, b".gnu.version_r");
        patch_once(
            &mut patched,
            verneed,
            &elf_hash(tag.as_bytes()).to_le_bytes(),
            &elf_hash(newer.as_bytes()).to_le_bytes(),
        );
        std::fs::write(&d, &patched).unwrap();
        assert_eq!(readelf_max_glibc(&d).1, newer, "readelf sees the patch");
        let charm = demo_with(&dir.join(format!("new-{base}.charm")), |name, data| {
            if name == "dispatch" {
                *data = patched.clone();
            } else if name == "manifest.yaml" {
                let text = String::from_utf8(data.clone()).unwrap();
                *data = text.replace("'22.04'", &format!("'{base}'")).into();
            }
        });
        refused(
            &format!("runs-on-new-glibc-{base}"),
            &charm,
            &[&format!(
                "dispatch needs glibc {} ({newer}), but the charm's base ubuntu@{base} has glibc {has}: it would fail to start there (`version '{newer}' not found`)",
                newer.trim_start_matches("GLIBC_")
            )],
        );
    }
}

#[test]
fn a_binary_for_another_architecture_is_refused() {
    let dir = scratch("runs-on-arch");
    // The real amd64 binary, in a charm that declares arm64.
    let charm = demo_with(&dir.join("arm-manifest.charm"), |name, data| {
        if name == "manifest.yaml" {
            let text = String::from_utf8(data.clone()).unwrap();
            assert!(text.contains("  - amd64\n"), "{text}");
            *data = text.replace("  - amd64\n", "  - arm64\n").into();
        }
    });
    refused(
        "runs-on-arm-manifest",
        &charm,
        &["dispatch is built for amd64, but the charm declares it runs on arm64 (ubuntu@22.04 arm64)"],
    );
    // The same binary with its ELF machine set to AArch64 (183), in the amd64 charm.
    let charm = demo_with(&dir.join("arm-binary.charm"), |name, data| {
        if name == "dispatch" {
            assert_eq!(&data[18..20], &62u16.to_le_bytes(), "EM_X86_64");
            data[18..20].copy_from_slice(&183u16.to_le_bytes());
        }
    });
    refused(
        "runs-on-arm-binary",
        &charm,
        &["dispatch is built for arm64, but the charm declares it runs on amd64"],
    );
    // With no manifest.yaml (a charm directory), the simulator still runs it here.
    let charm_dir = dir.join("arm-dir");
    std::fs::create_dir_all(&charm_dir).unwrap();
    for (name, mut data) in entries(&charm) {
        if name == "manifest.yaml" {
            continue;
        }
        if name == "dispatch" {
            data[18..20].copy_from_slice(&183u16.to_le_bytes());
        }
        std::fs::write(charm_dir.join(&name), data).unwrap();
    }
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        charm_dir.join("dispatch"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    refused(
        "runs-on-arm-dir",
        &charm_dir,
        &["dispatch is built for arm64, but the simulator runs hooks on this machine (amd64)"],
    );
}
