//! `sim deploy` of a hostile `.charm`: names that escape the charm directory, symlinks,
//! zip bombs and archives with too many entries are refused with a one-line error naming
//! the archive (and the limit), nothing is written outside the state directory, and no
//! model is created.

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

/// A one-entry zip archive whose entry `name` holds raw deflate `data` and declares
/// `declared` bytes uncompressed (CRC 0: the limits must strike before any CRC check).
/// Written by hand because a zip library writes sizes truthfully.
fn raw_zip(name: &str, data: &[u8], declared: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let header = |out: &mut Vec<u8>, central: bool| {
        out.extend_from_slice(if central {
            &[0x50, 0x4b, 0x01, 0x02]
        } else {
            &[0x50, 0x4b, 0x03, 0x04]
        });
        if central {
            out.extend_from_slice(&((3u16 << 8) | 20).to_le_bytes()); // made by Unix
        }
        out.extend_from_slice(&20u16.to_le_bytes()); // needed
        out.extend_from_slice(&0u16.to_le_bytes()); // flags
        out.extend_from_slice(&8u16.to_le_bytes()); // deflate
        out.extend_from_slice(&0u16.to_le_bytes()); // time
        out.extend_from_slice(&0x21u16.to_le_bytes()); // date 1980-01-01
        out.extend_from_slice(&0u32.to_le_bytes()); // crc
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(&declared.to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // extra
        if central {
            out.extend_from_slice(&0u16.to_le_bytes()); // comment
            out.extend_from_slice(&0u16.to_le_bytes()); // disk
            out.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
            out.extend_from_slice(&(0o100644u32 << 16).to_le_bytes());
            out.extend_from_slice(&0u32.to_le_bytes()); // local header offset
        }
        out.extend_from_slice(name.as_bytes());
    };
    header(&mut out, false);
    out.extend_from_slice(data);
    let cd_offset = out.len() as u32;
    header(&mut out, true);
    let cd_size = out.len() as u32 - cd_offset;
    out.extend_from_slice(&[0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0]);
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&cd_size.to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
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
