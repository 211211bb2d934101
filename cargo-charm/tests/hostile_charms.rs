//! `sim deploy` of a hostile `.charm` (the one command that reads a `.charm`; `deploy` of a
//! crate unpacks what `pack` wrote through the same reader): names that escape the charm
//! directory, symlinks (alone, or with a file "under" them), two entries for one path,
//! special files, zip bombs (by declared size, by a lying size, by ratio, by overlapping
//! entries) and archives with too many entries are refused with a one-line error naming
//! the archive (and the limit), before anything is written: nothing outside the state
//! directory, no model. Set-id and sticky bits are dropped. 26 attacks in all (10 name and
//! symlink, 5 duplicate, 4 special files and 1 set-id, 4 size bombs, 2 entry-count bombs:
//! plus the unit tests of `archive.rs`).

mod common;

use common::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;

/// Deploys `charm` into a fresh model: must fail with exit 1, one `ERROR` line holding
/// `expect` and the archive's path, and leave no model, charm or units behind.
fn refused(name: &str, charm: &Path, expect: &str) {
    let m = Model::new(name);
    let r = m.sim(&["deploy", charm.to_str().unwrap()]);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", r.stderr);
    assert!(lines[0].starts_with("ERROR "), "{}", lines[0]);
    assert!(lines[0].contains(expect), "{expect:?} not in {}", lines[0]);
    assert!(
        lines[0].contains(charm.to_str().unwrap()),
        "the archive is not named: {}",
        lines[0]
    );
    assert_eq!(r.code, 1);
    for left in ["model.json", "charm", "charm.new", "charms", "units"] {
        assert!(!m.state.join(left).exists(), "{left} left behind");
    }
}

/// An archive written with the `zip` crate.
fn with_zip(path: &Path, build: impl FnOnce(&mut zip::ZipWriter<std::fs::File>)) -> PathBuf {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    build(&mut zip);
    zip.finish().unwrap();
    path.to_path_buf()
}

fn file(zip: &mut zip::ZipWriter<std::fs::File>, name: &str, data: &[u8]) {
    let options = SimpleFileOptions::default().unix_permissions(0o755);
    zip.start_file(name, options).unwrap();
    zip.write_all(data).unwrap();
}

#[test]
fn names_outside_the_charm_directory_are_refused() {
    let dir = scratch("hostile-names");
    let outside = dir.join("outside");
    std::fs::create_dir_all(&outside).unwrap();

    // A symlink to a directory outside, then a file "under" it.
    let charm = with_zip(&dir.join("symlink.charm"), |z| {
        file(z, "dispatch", b"#!/bin/sh\n");
        z.add_symlink(
            "escape",
            outside.to_str().unwrap(),
            SimpleFileOptions::default(),
        )
        .unwrap();
        file(z, "escape/pwned", b"gotcha");
    });
    refused(
        "hostile-symlink",
        &charm,
        r#"is not a charm: entry "escape": symbolic links are not allowed in a charm"#,
    );
    assert!(!outside.join("pwned").exists());

    let charm = with_zip(&dir.join("dotdot.charm"), |z| {
        file(z, "dispatch", b"#!/bin/sh\n");
        file(z, "../../../../outside/pwned", b"gotcha");
    });
    refused(
        "hostile-dotdot",
        &charm,
        r#"is not a charm: entry "../../../../outside/pwned": `..` in path"#,
    );
    assert!(!outside.join("pwned").exists());

    let absolute = outside.join("abs");
    let charm = with_zip(&dir.join("absolute.charm"), |z| {
        file(z, "dispatch", b"#!/bin/sh\n");
        file(z, absolute.to_str().unwrap(), b"gotcha");
    });
    refused("hostile-abs", &charm, "absolute path");
    assert!(!absolute.exists());

    // More of the same, written by hand (a zip library refuses some of these names).
    let link_up = Raw::stored("up", b"../../../..", 0o120777);
    let link_abs = Raw::stored("dispatch", b"/etc/passwd", 0o120777);
    let under = Raw::stored("up/outside/pwned", b"gotcha", 0o100644);
    let script = Raw::stored("dispatch", b"#!/bin/sh\n", 0o100755);
    let cases: Vec<(&str, Vec<Raw>, &str)> = vec![
        (
            "a symlink alone",
            vec![link_abs],
            r#"entry "dispatch": symbolic links are not allowed in a charm"#,
        ),
        (
            "a relative symlink up, then a file under it",
            vec![link_up, under],
            r#"entry "up": symbolic links are not allowed in a charm"#,
        ),
        (
            "`..` inside the name",
            vec![Raw::stored("src/../../outside/pwned", b"x", 0o100644)],
            r#"entry "src/../../outside/pwned": `..` in path"#,
        ),
        (
            "`./..`",
            vec![Raw::stored("./../outside/pwned", b"x", 0o100644)],
            r#"entry "./../outside/pwned": `..` in path"#,
        ),
        (
            "a directory entry `..`",
            vec![Raw::stored("../outside/", b"", 0o040755)],
            r#"entry "../outside/": `..` in path"#,
        ),
        (
            "a doubled slash at the start",
            vec![Raw::stored("//tmp/pwned", b"x", 0o100644)],
            r#"entry "//tmp/pwned": absolute path"#,
        ),
        (
            "a NUL in the name",
            vec![script, Raw::stored("ok\0/../../pwned", b"x", 0o100644)],
            "NUL in name",
        ),
    ];
    let n = cases.len();
    for (i, (what, entries, expect)) in cases.into_iter().enumerate() {
        let charm = dir.join(format!("names-{i}.charm"));
        std::fs::write(&charm, raw_archive(&entries, false)).unwrap();
        eprintln!("name attack: {what}");
        refused(&format!("hostile-name-{i}"), &charm, expect);
        assert!(!outside.join("pwned").exists(), "{what}");
        assert!(!Path::new("/tmp/pwned").exists(), "{what}");
    }
    eprintln!("{} name and symlink attacks refused", 3 + n);
}

#[test]
fn two_entries_for_one_path_are_refused() {
    let dir = scratch("hostile-duplicates");
    let file = |name| Raw::stored(name, b"#!/bin/sh\n", 0o100755);
    let dir_entry = |name| Raw::stored(name, b"", 0o040755);
    let cases: Vec<(Vec<Raw>, &str)> = vec![
        (
            vec![file("dispatch"), file("dispatch")],
            "it lists 2 entries under 1 distinct names: two entries share a name",
        ),
        (
            vec![file("dispatch"), file("./dispatch")],
            r#"entry "./dispatch": a second entry for the path of entry "dispatch""#,
        ),
        (
            vec![file("src/a.py"), file("src//a.py")],
            r#"entry "src//a.py": a second entry for the path of entry "src/a.py""#,
        ),
        (
            vec![file("hooks"), dir_entry("hooks/")],
            r#"entry "hooks/": a second entry for the path of entry "hooks""#,
        ),
        (
            vec![file("lib"), file("lib/x.py")],
            r#"entry "lib/x.py" is under entry "lib", which is a file"#,
        ),
    ];
    let n = cases.len();
    for (i, (entries, expect)) in cases.into_iter().enumerate() {
        let charm = dir.join(format!("dup-{i}.charm"));
        std::fs::write(&charm, raw_archive(&entries, false)).unwrap();
        refused(&format!("hostile-dup-{i}"), &charm, expect);
    }
    eprintln!("{n} duplicate-path attacks refused");
}

#[test]
fn special_files_are_refused_and_set_id_bits_dropped() {
    let dir = scratch("hostile-special");
    let script = || Raw::stored("dispatch", b"#!/bin/sh\nexit 0\n", 0o100755);
    for (i, (what, mode)) in [
        ("a FIFO", 0o010644),
        ("a character device", 0o020644),
        ("a block device", 0o060644),
        ("a socket", 0o140644),
    ]
    .into_iter()
    .enumerate()
    {
        let charm = dir.join(format!("special-{i}.charm"));
        let entries = [script(), Raw::stored("dev", b"", mode)];
        std::fs::write(&charm, raw_archive(&entries, false)).unwrap();
        eprintln!("special file: {what}");
        refused(
            &format!("hostile-special-{i}"),
            &charm,
            r#"entry "dev": special files (devices, FIFOs, sockets) are not allowed in a charm"#,
        );
    }
    // Set-user-id, set-group-id and sticky bits are dropped; the rest of the mode stays.
    let charm = dir.join("setid.charm");
    let entries = [
        Raw::stored(
            "metadata.yaml",
            b"name: setid\nsummary: s\ndescription: d\n",
            0o100644,
        ),
        Raw::stored("dispatch", b"#!/bin/sh\nexit 0\n", 0o104755),
        Raw::stored("tool", b"x", 0o102750),
        Raw::stored("shared/", b"", 0o041777),
    ];
    std::fs::write(&charm, raw_archive(&entries, false)).unwrap();
    let m = Model::new("hostile-setid");
    m.sim(&["deploy", charm.to_str().unwrap()]).ok();
    let mode = |p: &str| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(m.state.join("units/setid-0/charm").join(p))
            .unwrap()
            .permissions()
            .mode()
            & 0o7777
    };
    assert_eq!(mode("dispatch"), 0o755);
    assert_eq!(mode("tool"), 0o750);
    assert_eq!(mode("shared") & 0o7000, 0);
}

/// Raw deflate data for `len` zero bytes (a multiple of 1 MiB), from one compressed MiB
/// repeated: each copy ends with a full flush (byte-aligned, no back-references across),
/// then an empty final block. About 1 KiB per MiB.
fn deflated_zeros(len: u64) -> Vec<u8> {
    let mib = vec![0u8; 1 << 20];
    let mut c = flate2::Compress::new(flate2::Compression::best(), false);
    let mut segment = Vec::with_capacity(1 << 16);
    c.compress_vec(&mib, &mut segment, flate2::FlushCompress::Full)
        .unwrap();
    assert_eq!(c.total_in(), 1 << 20, "one MiB in one call");
    let mut out = Vec::new();
    for _ in 0..len >> 20 {
        out.extend_from_slice(&segment);
    }
    out.extend_from_slice(&[0x03, 0x00]);
    out
}

/// One entry of a hand-written archive.
struct Raw<'a> {
    name: &'a str,
    /// Deflate data, or the stored bytes with `method` 0.
    data: &'a [u8],
    method: u16,
    /// The uncompressed size it declares.
    declared: u32,
    /// Unix mode (type and permission bits).
    mode: u32,
}

impl<'a> Raw<'a> {
    fn deflated(name: &'a str, data: &'a [u8], declared: u32) -> Raw<'a> {
        Raw {
            name,
            data,
            method: 8,
            declared,
            mode: 0o100644,
        }
    }

    fn stored(name: &'a str, data: &'a [u8], mode: u32) -> Raw<'a> {
        Raw {
            name,
            data,
            method: 0,
            declared: data.len() as u32,
            mode,
        }
    }
}

/// A zip archive written by hand (a zip library writes sizes truthfully and refuses odd
/// names): each entry's local header and data, then the central directory. With
/// `shared_data`, every central entry points at the first entry's local header (entries
/// overlapping one piece of data). More than 65,535 entries get zip64 end records. Stored
/// entries have their CRC; deflated ones 0 (the checks must strike before any CRC is).
fn raw_archive(entries: &[Raw], shared_data: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let header = |out: &mut Vec<u8>, e: &Raw, central: Option<u32>| {
        out.extend_from_slice(if central.is_some() {
            b"PK\x01\x02"
        } else {
            b"PK\x03\x04"
        });
        if central.is_some() {
            out.extend_from_slice(&((3u16 << 8) | 20).to_le_bytes()); // made by Unix
        }
        out.extend_from_slice(&20u16.to_le_bytes()); // needed
        out.extend_from_slice(&0u16.to_le_bytes()); // flags
        out.extend_from_slice(&e.method.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // time
        out.extend_from_slice(&0x21u16.to_le_bytes()); // date 1980-01-01
        let mut crc = flate2::Crc::new();
        if e.method == 0 {
            crc.update(e.data);
        }
        out.extend_from_slice(&crc.sum().to_le_bytes());
        out.extend_from_slice(&(e.data.len() as u32).to_le_bytes());
        out.extend_from_slice(&e.declared.to_le_bytes());
        out.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // extra
        if let Some(offset) = central {
            out.extend_from_slice(&0u16.to_le_bytes()); // comment
            out.extend_from_slice(&0u16.to_le_bytes()); // disk
            out.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
            out.extend_from_slice(&(e.mode << 16).to_le_bytes());
            out.extend_from_slice(&offset.to_le_bytes());
        }
        out.extend_from_slice(e.name.as_bytes());
    };
    let mut offsets = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        if shared_data && i > 0 {
            offsets.push(0);
            continue;
        }
        offsets.push(out.len() as u32);
        header(&mut out, e, None);
        out.extend_from_slice(e.data);
    }
    let cd_offset = out.len() as u64;
    for (e, offset) in entries.iter().zip(&offsets) {
        header(&mut out, e, Some(*offset));
    }
    let cd_size = out.len() as u64 - cd_offset;
    let count = entries.len() as u64;
    if count > 0xffff {
        let zip64_at = out.len() as u64;
        out.extend_from_slice(b"PK\x06\x06");
        out.extend_from_slice(&44u64.to_le_bytes()); // size of the rest
        out.extend_from_slice(&((3u16 << 8) | 45).to_le_bytes());
        out.extend_from_slice(&45u16.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes()); // disk
        out.extend_from_slice(&0u32.to_le_bytes()); // disk with the directory
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&cd_size.to_le_bytes());
        out.extend_from_slice(&cd_offset.to_le_bytes());
        out.extend_from_slice(b"PK\x06\x07");
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&zip64_at.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
    }
    let short = count.min(0xffff) as u16;
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0, 0, 0, 0]);
    out.extend_from_slice(&short.to_le_bytes());
    out.extend_from_slice(&short.to_le_bytes());
    out.extend_from_slice(&(cd_size.min(0xffff_ffff) as u32).to_le_bytes());
    out.extend_from_slice(&(cd_offset.min(0xffff_ffff) as u32).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A one-entry archive: `name` holds raw deflate `data` and declares `declared` bytes.
fn raw_zip(name: &str, data: &[u8], declared: u32) -> Vec<u8> {
    raw_archive(&[Raw::deflated(name, data, declared)], false)
}

#[test]
fn zip_bombs_are_refused_before_they_fill_the_disk() {
    let dir = scratch("hostile-bomb");
    let gib = 1u64 << 30;
    let zeros = deflated_zeros(gib);
    assert!(zeros.len() < 4 << 20, "{} bytes", zeros.len());

    // Declares its 1 GiB: refused before anything is written.
    let honest = dir.join("bomb.charm");
    std::fs::write(&honest, raw_zip("dispatch", &zeros, gib as u32)).unwrap();
    refused(
        "bomb-declared",
        &honest,
        "would unpack to more than 512.0 MiB, the size limit for a charm",
    );

    // Declares 1000 bytes and inflates to 1 GiB: stopped one byte past what it declared.
    let liar = dir.join("liar.charm");
    std::fs::write(&liar, raw_zip("dispatch", &zeros, 1000)).unwrap();
    refused(
        "bomb-lying",
        &liar,
        r#"entry "dispatch" inflates to more than the 1000 bytes it declares"#,
    );

    // Within the size limit, by its ratio: 256 MiB from 256 KiB, declared honestly.
    let quarter = deflated_zeros(256 << 20);
    let ratio = dir.join("ratio.charm");
    std::fs::write(&ratio, raw_zip("dispatch", &quarter, 256 << 20)).unwrap();
    refused("bomb-ratio", &ratio, "it would unpack to 256.0 MiB from ");
    refused(
        "bomb-ratio",
        &ratio,
        "more than 100 times its size: a zip bomb, not a charm",
    );

    // Thirty entries sharing one 16 MiB piece of data (480 MiB, under the size limit).
    let sixteen = deflated_zeros(16 << 20);
    let names: Vec<String> = (0..30).map(|i| format!("f{i}")).collect();
    let entries: Vec<Raw> = names
        .iter()
        .map(|n| Raw::deflated(n, &sixteen, 16 << 20))
        .collect();
    let overlap = dir.join("overlap.charm");
    std::fs::write(&overlap, raw_archive(&entries, true)).unwrap();
    refused(
        "bomb-overlap",
        &overlap,
        r#"entries "f0" and "f1" overlap (one's data holds the other)"#,
    );
    eprintln!("4 size bombs refused (declared, lying, by ratio, overlapping)");
}

#[test]
fn too_many_entries_are_refused() {
    let dir = scratch("hostile-entries");
    let charm = with_zip(&dir.join("many.charm"), |z| {
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .unix_permissions(0o644);
        for i in 0..20_001 {
            z.start_file(format!("f{i}"), options).unwrap();
        }
    });
    refused(
        "many-entries",
        &charm,
        "it has 20001 entries, over the limit of 20000 entries for a charm",
    );
}

/// 300,000 empty entries (a 27 MB archive): the zip crate alone took 195 MB to read its
/// list of entries. Refused from the end record's count, within 64 MB of data (the
/// command aborted for lack of memory before the fix).
#[test]
fn an_archive_of_many_entries_is_refused_before_it_is_read() {
    let dir = scratch("hostile-count");
    let names: Vec<String> = (0..300_000).map(|i| format!("f{i}")).collect();
    let entries: Vec<Raw> = names
        .iter()
        .map(|n| Raw::stored(n, b"", 0o100644))
        .collect();
    let charm = dir.join("count.charm");
    std::fs::write(&charm, raw_archive(&entries, false)).unwrap();
    let m = Model::new("hostile-count-model");
    let out = std::process::Command::new("prlimit")
        .arg(format!("--data={}", 64 << 20))
        .arg(env!("CARGO_BIN_EXE_cargo-charm"))
        .args(["sim", "deploy", charm.to_str().unwrap(), "-q", "--state"])
        .arg(&m.state)
        .output()
        .expect("prlimit (util-linux) runs the command with a memory limit");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("it has 300000 entries, over the limit of 20000 entries for a charm"),
        "{stderr}"
    );
}

#[test]
fn a_charm_written_by_the_zip_crate_deploys() {
    // The same reader accepts an ordinary archive (deflated, with a directory entry).
    let dir = scratch("zip-crate-charm");
    let charm = with_zip(&dir.join("ok.charm"), |z| {
        file(
            z,
            "metadata.yaml",
            b"name: zipped\nsummary: s\ndescription: d\n",
        );
        z.add_directory("src", SimpleFileOptions::default())
            .unwrap();
        file(z, "src/note.txt", b"hello\n");
        file(z, "dispatch", b"#!/bin/sh\nexit 0\n");
    });
    let m = Model::new("zip-crate-model");
    m.sim(&["deploy", charm.to_str().unwrap()]).ok();
    let unit_dir = m.state.join("units/zipped-0/charm");
    assert_eq!(
        std::fs::read_to_string(unit_dir.join("src/note.txt")).unwrap(),
        "hello\n"
    );
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(unit_dir.join("dispatch"))
            .unwrap()
            .permissions(),
    );
    assert_eq!(mode & 0o777, 0o755);
}
