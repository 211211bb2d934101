//! `.charm` archives, with the `zip` crate: a deterministic writer for `pack` and a
//! guarded extractor for `sim deploy`.
//!
//! The writer deflates every entry at a fixed level, with a fixed timestamp (1980-01-01
//! 00:00, the DOS epoch), in the order given, "version made by" = Unix and the Unix mode in
//! the external attributes, which is what Juju's extractor reads to keep `dispatch`
//! executable. Same entries in, same bytes out (for a given `zip`/`flate2` version, which
//! `Cargo.lock` pins).
//!
//! The extractor takes only what a `.charm` holds: regular files and directories, with
//! relative names that stay inside the target directory. Everything is checked before the
//! first byte is written; the sizes actually inflated are checked again while writing, so
//! an archive lying about its sizes cannot fill the disk either.

use crate::error::{Error, Result};
use std::fs::{self, File, OpenOptions};
use std::io::{Cursor, Read, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Component, Path};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

/// The deflate level `pack` uses (zlib's scale, 9 = best). Fixed: the level is part of the
/// bytes a `.charm` is made of.
pub const LEVEL: i64 = 9;

/// The most a charm may unpack to, in bytes (all entries together).
pub const MAX_BYTES: u64 = 512 << 20;

/// The most entries (files and directories) a charm may hold.
pub const MAX_ENTRIES: usize = 20_000;

/// One file of an archive to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Path inside the archive, `/`-separated.
    pub name: String,
    /// Permission bits (e.g. `0o755`).
    pub mode: u32,
    /// The contents.
    pub data: Vec<u8>,
}

impl Entry {
    /// A regular file.
    pub fn file(name: &str, mode: u32, data: Vec<u8>) -> Entry {
        Entry {
            name: name.to_string(),
            mode,
            data,
        }
    }
}

/// Writes `entries`, in the order given, as a deflated zip archive.
pub fn write(entries: &[Entry]) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for e in entries {
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(LEVEL))
            .last_modified_time(DateTime::default())
            .system(zip::System::Unix)
            .unix_permissions(e.mode);
        zip.start_file(e.name.as_str(), options)?;
        zip.write_all(&e.data)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// How much an archive may unpack to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Total bytes of all files.
    pub max_bytes: u64,
    /// Number of entries.
    pub max_entries: usize,
    /// Size of the central directory (the list of entries), kept in memory while reading.
    pub max_directory_bytes: u64,
}

/// The limits of a `.charm`.
pub const CHARM_LIMITS: Limits = Limits {
    max_bytes: MAX_BYTES,
    max_entries: MAX_ENTRIES,
    max_directory_bytes: MAX_DIRECTORY_BYTES,
};

/// `1.2 MiB`, `812 KiB`, `530 B`.
pub fn human_size(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{:.1} MiB", n as f64 / (1u64 << 20) as f64)
    } else if n >= 1 << 10 {
        format!("{:.0} KiB", n as f64 / 1024.0)
    } else {
        format!("{n} B")
    }
}

/// A name that is safe to create under the target directory: relative, no `..`, no empty
/// or `.` components hiding tricks, no NUL.
fn check_name(name: &str) -> std::result::Result<(), &'static str> {
    if name.is_empty() {
        return Err("empty name");
    }
    if name.contains('\0') {
        return Err("NUL in name");
    }
    if name.starts_with('/') || name.starts_with('\\') {
        return Err("absolute path");
    }
    for c in Path::new(name).components() {
        match c {
            Component::Normal(_) | Component::CurDir => {}
            Component::ParentDir => return Err("`..` in path"),
            Component::RootDir | Component::Prefix(_) => return Err("absolute path"),
        }
    }
    Ok(())
}

/// An archive this much smaller than what it unpacks to (over [`RATIO_FLOOR`]) is a bomb:
/// a real charm compresses a few times (a binary about 2:1, Python sources 4:1).
pub const MAX_RATIO: u64 = 100;

/// Below this many unpacked bytes, any compression ratio is harmless.
pub const RATIO_FLOOR: u64 = 16 << 20;

/// The file-type bits of a Unix mode, and the two types a charm may hold.
const S_IFMT: u32 = 0o170_000;
const S_IFREG: u32 = 0o100_000;
const S_IFDIR: u32 = 0o040_000;

/// The most bytes a charm's central directory (the list of entries) may take: the zip
/// crate keeps all of it in memory.
pub const MAX_DIRECTORY_BYTES: u64 = 32 << 20;

/// The largest entry count and central directory size that any end record of the zip
/// archive in `file` (`len` bytes) declares: the classic one, and a zip64 one. Read before
/// the zip crate, which reserves memory for as many entries as an end record declares and
/// keeps the whole directory in memory (300,000 empty entries took 195 MB).
///
/// Every end-record signature in the last 64 KiB counts if the directory it declares
/// ends before it, so an archive cannot show this check one record and the zip crate
/// another.
fn declared_size(file: &mut File, len: u64) -> std::io::Result<(u64, u64)> {
    use std::io::{Seek, SeekFrom};
    const EOCD: usize = 22;
    const ZIP64_EOCD: usize = 56;
    let tail_len = len.min((EOCD + 0xffff + ZIP64_EOCD + 20) as u64);
    let base = len - tail_len;
    file.seek(SeekFrom::Start(base))?;
    let mut tail = vec![0; tail_len as usize];
    file.read_exact(&mut tail)?;
    let u16_at = |t: &[u8], o: usize| u64::from(u16::from_le_bytes([t[o], t[o + 1]]));
    let u32_at =
        |t: &[u8], o: usize| u64::from(u32::from_le_bytes([t[o], t[o + 1], t[o + 2], t[o + 3]]));
    let u64_at = |t: &[u8], o: usize| {
        let mut b = [0; 8];
        b.copy_from_slice(&t[o..o + 8]);
        u64::from_le_bytes(b)
    };
    let (mut entries, mut directory) = (0u64, 0u64);
    for i in 0..tail.len() {
        let at = base + i as u64;
        let rest = &tail[i..];
        if rest.starts_with(b"PK\x05\x06") && rest.len() >= EOCD {
            let (size, offset) = (u32_at(rest, 12), u32_at(rest, 16));
            if offset == 0xffff_ffff || offset.saturating_add(size) <= at {
                entries = entries.max(u16_at(rest, 8)).max(u16_at(rest, 10));
                directory = directory.max(size);
            }
        } else if rest.starts_with(b"PK\x06\x06") && rest.len() >= ZIP64_EOCD {
            let (size, offset) = (u64_at(rest, 40), u64_at(rest, 48));
            if offset.saturating_add(size) <= at {
                entries = entries.max(u64_at(rest, 24)).max(u64_at(rest, 32));
                directory = directory.max(size);
            }
        }
    }
    file.seek(SeekFrom::Start(0))?;
    Ok((entries, directory))
}

/// `a/./b/` → `a/b`: the path an entry lands on (names already checked by [`check_name`]).
fn normalized(name: &str) -> String {
    Path::new(name)
        .components()
        .filter_map(|c| match c {
            Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Unpacks the archive at `path` into `into` (created; must not hold anything the archive
/// names), keeping the files' permission bits (not set-id or sticky bits). Refuses,
/// before writing anything, an archive with symlinks or other special files, absolute or
/// `..` names, two entries for one path (or a file where another entry needs a
/// directory), entries whose data overlap, more than `limits.max_entries` entries, more
/// than `limits.max_bytes` declared, or more than [`MAX_RATIO`] times its own size
/// declared (past [`RATIO_FLOOR`]); and stops at the first entry that inflates to more
/// than it declared. Errors name the archive.
pub fn extract(path: &Path, into: &Path, limits: Limits) -> Result<()> {
    let shown = path.display();
    let not_a_charm = |why: String| Error::msg(format!("{shown} is not a charm: {why}"));
    let mut file = File::open(path).map_err(|e| Error::msg(format!("reading {shown}: {e}")))?;
    let archive_size = file
        .metadata()
        .map_err(|e| Error::msg(format!("reading {shown}: {e}")))?
        .len();
    let (entries, directory) = declared_size(&mut file, archive_size)
        .map_err(|e| Error::msg(format!("reading {shown}: {e}")))?;
    if entries > limits.max_entries as u64 {
        return Err(Error::msg(format!(
            "refusing to unpack {shown}: it has {entries} entries, over the limit of {} entries for a charm",
            limits.max_entries
        )));
    }
    if directory > limits.max_directory_bytes {
        return Err(Error::msg(format!(
            "refusing to unpack {shown}: its list of entries takes {}, over the limit of {} for a charm",
            human_size(directory),
            human_size(limits.max_directory_bytes)
        )));
    }
    let mut zip =
        ZipArchive::new(file).map_err(|e| not_a_charm(format!("not a zip archive ({})", e)))?;
    if zip.len() > limits.max_entries {
        return Err(Error::msg(format!(
            "refusing to unpack {shown}: it has {} entries, over the limit of {} entries for a charm",
            zip.len(),
            limits.max_entries
        )));
    }
    // The zip crate keeps one entry per name: a second entry of the same name is visible
    // only in the count.
    if zip.len() as u64 != entries {
        return Err(not_a_charm(format!(
            "it lists {entries} entries under {} distinct names: two entries share a name",
            zip.len()
        )));
    }
    // Every entry's name, kind and declared size, before anything is written.
    let mut total: u64 = 0;
    let mut plan = Vec::with_capacity(zip.len());
    let mut paths: std::collections::BTreeMap<String, (String, bool)> = Default::default();
    let mut extents = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| not_a_charm(e.to_string()))?;
        let name = entry.name().to_string();
        let bad = |why: &str| not_a_charm(format!("entry {name:?}: {why}"));
        check_name(&name).map_err(bad)?;
        if entry.is_symlink() {
            return Err(bad("symbolic links are not allowed in a charm"));
        }
        let kind = entry.unix_mode().unwrap_or(0) & S_IFMT;
        if ![0, S_IFREG, S_IFDIR].contains(&kind) {
            return Err(bad(
                "special files (devices, FIFOs, sockets) are not allowed in a charm",
            ));
        }
        if entry.encrypted() {
            return Err(bad("encrypted entries are not supported"));
        }
        // What the zip crate itself considers safe must agree.
        if entry.enclosed_name().is_none() {
            return Err(bad("unsafe path"));
        }
        let is_dir = entry.is_dir();
        let landing = normalized(&name);
        match paths.get(&landing) {
            // The same directory twice is harmless.
            Some((_, true)) if is_dir => {}
            Some((first, _)) => {
                return Err(bad(&format!(
                    "a second entry for the path of entry {first:?}"
                )))
            }
            None => {
                paths.insert(landing.clone(), (name.clone(), is_dir));
            }
        }
        extents.push((entry.header_start(), entry.compressed_size(), name.clone()));
        total = total.saturating_add(entry.size());
        if total > limits.max_bytes {
            return Err(Error::msg(format!(
                "refusing to unpack {shown}: it would unpack to more than {}, the size limit for a charm ({} declared up to entry {name:?})",
                human_size(limits.max_bytes),
                human_size(total)
            )));
        }
        let mode = entry.unix_mode().unwrap_or(0o644) & 0o777;
        plan.push((name, is_dir, entry.size(), mode));
    }
    // A file where another entry needs a directory (`x`, then `x/y`).
    for (landing, (name, is_dir)) in &paths {
        if *is_dir {
            continue;
        }
        let below = format!("{landing}/");
        if let Some((_, (other, _))) = paths
            .range(below.clone()..)
            .next()
            .filter(|(p, _)| p.starts_with(&below))
        {
            return Err(not_a_charm(format!(
                "entry {other:?} is under entry {name:?}, which is a file"
            )));
        }
    }
    // Entries sharing compressed data (a bomb made of overlapping entries): each entry's
    // local header (30 bytes) and data come before the next entry's header.
    extents.sort();
    for pair in extents.windows(2) {
        let ((start, size, name), (next, _, other)) = (&pair[0], &pair[1]);
        if start.saturating_add(30).saturating_add(*size) > *next {
            return Err(not_a_charm(format!(
                "entries {name:?} and {other:?} overlap (one's data holds the other)"
            )));
        }
    }
    if total > RATIO_FLOOR && total / archive_size.max(1) > MAX_RATIO {
        return Err(Error::msg(format!(
            "refusing to unpack {shown}: it would unpack to {} from {} ({}:1), more than {MAX_RATIO} times its size: a zip bomb, not a charm",
            human_size(total),
            human_size(archive_size),
            total / archive_size.max(1)
        )));
    }

    fs::create_dir_all(into)
        .map_err(|e| Error::msg(format!("creating {}: {e}", into.display())))?;
    for (i, (name, is_dir, declared, mode)) in plan.into_iter().enumerate() {
        let dest = into.join(&name);
        let failed =
            |e: std::io::Error| Error::msg(format!("unpacking {name:?} from {shown}: {e}"));
        if is_dir {
            fs::create_dir_all(&dest).map_err(failed)?;
            continue;
        }
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent).map_err(failed)?;
        }
        let mut entry = zip
            .by_index(i)
            .map_err(|e| not_a_charm(format!("entry {name:?}: {}", e)))?;
        // `create_new`: a duplicate name (or anything already there) is an error, never
        // followed or overwritten.
        let mut out = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&dest)
            .map_err(failed)?;
        // Reading to the end checks the CRC; the zip crate's reader does not stop at the
        // declared size, the `take` does (one byte past it tells the lie).
        let written = std::io::copy(&mut (&mut entry).take(declared + 1), &mut out)
            .map_err(|e| not_a_charm(format!("entry {name:?}: {e}")))?;
        if written > declared {
            return Err(Error::msg(format!(
                "refusing to unpack {shown}: entry {name:?} inflates to more than the {declared} bytes it declares"
            )));
        }
        fs::set_permissions(&dest, fs::Permissions::from_mode(mode)).map_err(failed)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_back(bytes: &[u8]) -> Vec<(String, Option<u32>, Vec<u8>)> {
        let mut zip = ZipArchive::new(Cursor::new(bytes)).unwrap();
        (0..zip.len())
            .map(|i| {
                let mut f = zip.by_index(i).unwrap();
                let mut data = Vec::new();
                f.read_to_end(&mut data).unwrap();
                (f.name().to_string(), f.unix_mode(), data)
            })
            .collect()
    }

    #[test]
    fn writes_deterministic_deflated_unix_entries() {
        let entries = vec![
            Entry::file("dispatch", 0o755, b"\x7fELF".repeat(1000)),
            Entry::file("metadata.yaml", 0o644, b"name: x\n".to_vec()),
        ];
        let a = write(&entries).unwrap();
        assert_eq!(a, write(&entries).unwrap());
        assert!(a.len() < 1000, "not compressed: {} bytes", a.len());
        let back = read_back(&a);
        assert_eq!(back[0].0, "dispatch");
        assert_eq!(back[0].1, Some(0o100755));
        assert_eq!(back[0].2, entries[0].data);
        assert_eq!(back[1].1, Some(0o100644));
        let mut zip = ZipArchive::new(Cursor::new(&a)).unwrap();
        let f = zip.by_index(0).unwrap();
        assert_eq!(f.compression(), CompressionMethod::Deflated);
        // "Version made by": Unix (3), in the first central directory header.
        let central = a.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
        assert_eq!(a[central + 5], 3);
        assert_eq!(f.last_modified(), Some(DateTime::default()));
    }

    #[test]
    fn names_must_stay_inside() {
        for ok in ["dispatch", "a/b/c.py", "./x"] {
            assert_eq!(check_name(ok), Ok(()), "{ok}");
        }
        for (bad, why) in [
            ("/etc/passwd", "absolute path"),
            ("../x", "`..` in path"),
            ("a/../../x", "`..` in path"),
            ("a/..", "`..` in path"),
            ("", "empty name"),
            ("a\0b", "NUL in name"),
        ] {
            assert_eq!(check_name(bad), Err(why), "{bad:?}");
        }
    }

    #[test]
    fn extracts_files_and_modes_and_respects_the_limits() {
        let dir = tempfile::tempdir().unwrap();
        let charm = dir.path().join("x.charm");
        let entries = vec![
            Entry::file("dispatch", 0o755, b"#!/bin/sh\n".to_vec()),
            Entry::file("src/charm.py", 0o644, b"print(1)\n".to_vec()),
        ];
        fs::write(&charm, write(&entries).unwrap()).unwrap();
        let into = dir.path().join("out");
        extract(&charm, &into, CHARM_LIMITS).unwrap();
        let mode = |p: &str| fs::metadata(into.join(p)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode("dispatch"), 0o755);
        assert_eq!(mode("src/charm.py"), 0o644);
        assert_eq!(fs::read(into.join("src/charm.py")).unwrap(), b"print(1)\n");

        let small = Limits {
            max_bytes: 15,
            ..CHARM_LIMITS
        };
        let err = extract(&charm, &dir.path().join("o2"), small).unwrap_err();
        assert!(
            err.message
                .contains("would unpack to more than 15 B, the size limit for a charm"),
            "{}",
            err.message
        );
        assert!(err.message.contains("x.charm"), "{}", err.message);
        assert!(!dir.path().join("o2").exists(), "nothing is written");
        let few = Limits {
            max_entries: 1,
            ..CHARM_LIMITS
        };
        let err = extract(&charm, &dir.path().join("o3"), few).unwrap_err();
        assert!(
            err.message
                .contains("it has 2 entries, over the limit of 1 entries for a charm"),
            "{}",
            err.message
        );
        // The list of entries (112 bytes here) is bounded too, before it is read.
        let short = Limits {
            max_directory_bytes: 50,
            ..CHARM_LIMITS
        };
        let err = extract(&charm, &dir.path().join("o4"), short).unwrap_err();
        assert!(
            err.message
                .contains("its list of entries takes 112 B, over the limit of 50 B for a charm"),
            "{}",
            err.message
        );
        assert!(!dir.path().join("o4").exists(), "nothing is written");
    }
}
