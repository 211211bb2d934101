//! Whether a charm's `dispatch` binary runs where the charm says it runs (issue 11 §3).
//!
//! Juju runs a charm in the base its `manifest.yaml` declares (`bases`: an OS, a channel
//! and the architectures), not on the machine that packed it. A binary linked on a newer
//! system than that base fails at exec there (`version 'GLIBC_2.36' not found`), long
//! after packing; one built for another architecture does not start at all. So `pack`
//! (before it writes the `.charm`) and `sim deploy` (before it creates the model) read the
//! binary's ELF header and its version needs (the `SHT_GNU_VERNEED` section, with the
//! `object` crate) and refuse it when
//!
//! - its machine is not the architecture of every declared base, or
//! - the highest `GLIBC_x.y` it needs is newer than the glibc of a declared base
//!   ([`glibc_of`]: `ubuntu@20.04` has 2.31, `ubuntu@22.04` 2.35, `ubuntu@24.04` 2.39).
//!
//! A `dispatch` that is not ELF (a script) is not checked; a static binary needs no glibc.

use crate::error::{Error, Result};
use object::elf;
use object::elf::{FileHeader32, FileHeader64};
use object::read::elf::FileHeader;
use object::{Endianness, FileKind};

/// A glibc version, `(2, 35)` (a third part, as in `GLIBC_2.2.5`, is kept).
pub type Version = Vec<u32>;

/// What an ELF binary needs from the system that runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Needs {
    /// Its architecture, as Juju names it (`amd64`), or `ELF machine N`.
    pub arch: String,
    /// The highest glibc version it needs and the version tag that says so
    /// (`GLIBC_2.34`); `None` for a binary that needs no glibc (static, or musl).
    pub glibc: Option<(Version, String)>,
}

/// A base the charm declares it runs on (one `bases` entry of `manifest.yaml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base {
    /// `ubuntu`.
    pub name: String,
    /// `22.04`.
    pub channel: String,
    /// `[amd64]`.
    pub architectures: Vec<String>,
}

impl Base {
    /// `ubuntu@22.04`.
    pub fn label(&self) -> String {
        format!("{}@{}", self.name, self.channel)
    }
}

/// The glibc of each base Juju runs charms on, as its release ships it.
const GLIBC: &[(&str, &str, [u32; 2])] = &[
    ("centos", "7", [2, 17]),
    ("almalinux", "8", [2, 28]),
    ("almalinux", "9", [2, 34]),
    ("ubuntu", "18.04", [2, 27]),
    ("ubuntu", "20.04", [2, 31]),
    ("ubuntu", "22.04", [2, 35]),
    ("ubuntu", "24.04", [2, 39]),
    ("ubuntu", "24.10", [2, 40]),
    ("ubuntu", "25.04", [2, 41]),
    ("ubuntu", "25.10", [2, 42]),
];

/// The glibc version of `base`; an Ubuntu release newer than the last one known has at
/// least that one's (glibc only grows). `None` for a base this table cannot place.
pub fn glibc_of(base: &Base) -> Option<Version> {
    if let Some((_, _, v)) = GLIBC
        .iter()
        .find(|(n, c, _)| *n == base.name && *c == base.channel)
    {
        return Some(v.to_vec());
    }
    let newest = GLIBC.iter().rfind(|(n, _, _)| *n == "ubuntu")?;
    (base.name == "ubuntu" && parse_version(&base.channel)? > parse_version(newest.1)?)
        .then(|| newest.2.to_vec())
}

/// `2.35` → `[2, 35]`.
fn parse_version(text: &str) -> Option<Version> {
    text.split('.').map(|p| p.parse().ok()).collect()
}

/// `[2, 35]` → `2.35`.
pub fn show_version(v: &[u32]) -> String {
    v.iter().map(u32::to_string).collect::<Vec<_>>().join(".")
}

/// The minimum glibc each `GLIBC_ABI_*` marker needs (markers name ABI features, not
/// symbol sets: `GLIBC_ABI_DT_RELR` came with 2.36).
const ABI_MARKERS: &[(&str, [u32; 2])] = &[("GLIBC_ABI_DT_RELR", [2, 36])];

/// The glibc version a version-needed tag asks for: `GLIBC_2.34` → 2.34; `None` for a tag
/// that is not glibc's (`GCC_3.0`) or names no version (`GLIBC_PRIVATE`).
fn glibc_tag(tag: &str) -> Result<Option<Version>, String> {
    if let Some((_, v)) = ABI_MARKERS.iter().find(|(m, _)| *m == tag) {
        return Ok(Some(v.to_vec()));
    }
    if tag.starts_with("GLIBC_ABI_") {
        return Err(format!(
            "it needs {tag}, a glibc feature cargo-charm cannot place on a glibc version"
        ));
    }
    Ok(tag.strip_prefix("GLIBC_").and_then(parse_version))
}

/// The Juju name of an ELF machine.
fn arch_name(machine: elf::Machine, is_64: bool, little: bool) -> String {
    match (machine, is_64, little) {
        (elf::EM_X86_64, true, true) => "amd64".into(),
        (elf::EM_AARCH64, true, true) => "arm64".into(),
        (elf::EM_PPC64, true, true) => "ppc64el".into(),
        (elf::EM_S390, true, false) => "s390x".into(),
        (elf::EM_RISCV, true, true) => "riscv64".into(),
        (elf::EM_ARM, false, true) => "armhf".into(),
        (elf::EM_386, false, true) => "i386".into(),
        (m, is_64, little) => format!(
            "ELF machine {} ({}-bit, {}-endian)",
            m.0,
            if is_64 { 64 } else { 32 },
            if little { "little" } else { "big" }
        ),
    }
}

/// Reads what `bytes` needs; `Ok(None)` if it is not an ELF file at all (a script).
pub fn read(bytes: &[u8]) -> Result<Option<Needs>, String> {
    match FileKind::parse(bytes) {
        Ok(FileKind::Elf64) => needs::<FileHeader64<Endianness>>(bytes).map(Some),
        Ok(FileKind::Elf32) => needs::<FileHeader32<Endianness>>(bytes).map(Some),
        _ if bytes.starts_with(b"\x7fELF") => Err("an ELF file cargo-charm cannot read".into()),
        _ => Ok(None),
    }
}

fn needs<H: FileHeader<Endian = Endianness>>(bytes: &[u8]) -> Result<Needs, String> {
    let bad = |e: object::Error| format!("a malformed ELF file ({e})");
    let header = H::parse(bytes).map_err(bad)?;
    let endian = header.endian().map_err(bad)?;
    let arch = arch_name(
        header.e_machine(endian),
        header.is_type_64(),
        header.is_little_endian(),
    );
    let sections = header.sections(endian, bytes).map_err(bad)?;
    let dynamic = header
        .program_headers(endian, bytes)
        .map_err(bad)?
        .iter()
        .any(|p| {
            use object::read::elf::ProgramHeader;
            p.p_type(endian) == elf::PT_DYNAMIC
        });
    if dynamic && sections.is_empty() {
        return Err(
            "a dynamically linked ELF file without section headers: which glibc it needs cannot be read"
                .into(),
        );
    }
    let mut glibc: Option<(Version, String)> = None;
    if let Some((mut needed, link)) = sections.gnu_verneed(endian, bytes).map_err(bad)? {
        let strings = sections.strings(endian, bytes, link).map_err(bad)?;
        while let Some((_file, mut aux)) = needed.next().map_err(bad)? {
            while let Some(a) = aux.next().map_err(bad)? {
                let tag = String::from_utf8_lossy(a.name(endian, strings).map_err(bad)?);
                if let Some(v) = glibc_tag(&tag)? {
                    if glibc.as_ref().is_none_or(|(max, _)| v > *max) {
                        glibc = Some((v, tag.into_owned()));
                    }
                }
            }
        }
    }
    Ok(Needs { arch, glibc })
}

/// The `bases` of a `manifest.yaml` (channel without its risk: `22.04/stable` → `22.04`).
pub fn declared_bases(manifest_yaml: &str) -> Result<Vec<Base>, String> {
    let doc: serde_yaml::Value =
        serde_yaml::from_str(manifest_yaml).map_err(|e| format!("not YAML ({e})"))?;
    let Some(bases) = doc.get("bases").and_then(|b| b.as_sequence()) else {
        return Err("it has no `bases` list".into());
    };
    let text = |b: &serde_yaml::Value, key: &str| -> Result<String, String> {
        match b.get(key) {
            Some(serde_yaml::Value::String(s)) => Ok(s.clone()),
            Some(serde_yaml::Value::Number(n)) => Ok(n.to_string()),
            _ => Err(format!("a base without a `{key}`")),
        }
    };
    bases
        .iter()
        .map(|b| {
            let channel = text(b, "channel")?;
            Ok(Base {
                name: text(b, "name")?,
                channel: channel.split('/').next().unwrap_or_default().to_string(),
                architectures: b
                    .get("architectures")
                    .and_then(|a| a.as_sequence())
                    .ok_or_else(|| "a base without `architectures`".to_string())?
                    .iter()
                    .map(|a| a.as_str().unwrap_or_default().to_string())
                    .collect(),
            })
        })
        .collect()
}

/// What [`check`] found, for a progress line: `amd64, needs glibc 2.34 (ubuntu@22.04 has
/// 2.35)`.
pub fn describe(needs: &Needs, bases: &[Base]) -> String {
    let glibc = match &needs.glibc {
        None => "needs no glibc".to_string(),
        Some((v, _)) => format!("needs glibc {}", show_version(v)),
    };
    let has: Vec<String> = bases
        .iter()
        .filter_map(|b| Some(format!("{} has {}", b.label(), show_version(&glibc_of(b)?))))
        .collect();
    format!("{}, {glibc} ({})", needs.arch, has.join(", "))
}

/// Checks the binary `dispatch` (shown as `shown`) against the bases of the charm's
/// `manifest.yaml`. Returns what it found (`None` for a `dispatch` that is not ELF) or an
/// error that says what is wrong and what to do.
pub fn check(shown: &str, dispatch: &[u8], manifest_yaml: &str) -> Result<Option<Needs>> {
    let Some(needs) = read(dispatch).map_err(|e| Error::msg(format!("{shown} is {e}")))? else {
        return Ok(None);
    };
    let bases = declared_bases(manifest_yaml)
        .map_err(|e| Error::msg(format!("the charm's manifest.yaml: {e}")))?;
    check_against(shown, &needs, &bases)?;
    Ok(Some(needs))
}

/// [`check`] on what was read.
pub fn check_against(shown: &str, needs: &Needs, bases: &[Base]) -> Result<()> {
    for base in bases {
        if let Some(other) = base.architectures.iter().find(|a| **a != needs.arch) {
            return Err(Error::msg(format!(
                "{shown} is built for {}, but the charm declares it runs on {other} ({} {}): Juju would not be able to start it; build it on (or for) {other}, or declare the platform {}",
                needs.arch,
                base.label(),
                base.architectures.join(", "),
                needs.arch
            )));
        }
        let Some((need, tag)) = &needs.glibc else {
            continue;
        };
        let Some(has) = glibc_of(base) else {
            return Err(Error::msg(format!(
                "{shown} needs glibc {} ({tag}), and cargo-charm does not know the glibc of the charm's base {}: declare an Ubuntu base, or build for a static target (e.g. x86_64-unknown-linux-musl), which needs no glibc",
                show_version(need),
                base.label()
            )));
        };
        if *need > has {
            return Err(Error::msg(format!(
                "{shown} needs glibc {} ({tag}), but the charm's base {} has glibc {}: it would fail to start there (`version '{tag}' not found`). build it where that glibc is (in a {}:{} container or on such a machine), or for a static target (e.g. `CARGO_BUILD_TARGET={}-unknown-linux-musl`), or declare a newer base",
                show_version(need),
                base.label(),
                show_version(&has),
                base.name,
                base.channel,
                musl_arch(&needs.arch)
            )));
        }
    }
    Ok(())
}

/// The Rust target architecture of a Juju architecture, for the musl target suggested.
fn musl_arch(arch: &str) -> &str {
    match arch {
        "amd64" => "x86_64",
        "arm64" => "aarch64",
        "ppc64el" => "powerpc64le",
        "s390x" => "s390x",
        "riscv64" => "riscv64gc",
        _ => "<arch>",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(name: &str, channel: &str) -> Base {
        Base {
            name: name.into(),
            channel: channel.into(),
            architectures: vec!["amd64".into()],
        }
    }

    #[test]
    fn bases_have_their_glibc() {
        assert_eq!(glibc_of(&base("ubuntu", "20.04")), Some(vec![2, 31]));
        assert_eq!(glibc_of(&base("ubuntu", "22.04")), Some(vec![2, 35]));
        assert_eq!(glibc_of(&base("ubuntu", "24.04")), Some(vec![2, 39]));
        // A newer Ubuntu has at least the newest known glibc; an older unknown one, or
        // another OS, cannot be placed.
        assert_eq!(glibc_of(&base("ubuntu", "26.04")), Some(vec![2, 42]));
        assert_eq!(glibc_of(&base("ubuntu", "16.04")), None);
        assert_eq!(glibc_of(&base("debian", "12")), None);
    }

    #[test]
    fn version_tags() {
        assert_eq!(glibc_tag("GLIBC_2.34"), Ok(Some(vec![2, 34])));
        assert_eq!(glibc_tag("GLIBC_2.2.5"), Ok(Some(vec![2, 2, 5])));
        assert_eq!(glibc_tag("GLIBC_PRIVATE"), Ok(None));
        assert_eq!(glibc_tag("GCC_3.0"), Ok(None));
        assert_eq!(glibc_tag("GLIBC_ABI_DT_RELR"), Ok(Some(vec![2, 36])));
        assert!(glibc_tag("GLIBC_ABI_NEW_THING")
            .unwrap_err()
            .contains("GLIBC_ABI_NEW_THING"));
        assert!(vec![2, 2, 5] < vec![2, 34]);
        assert!(vec![2, 36] > vec![2, 35]);
    }

    #[test]
    fn manifest_bases() {
        let m = "bases:\n- architectures:\n  - amd64\n  channel: '22.04'\n  name: ubuntu\n- {name: ubuntu, channel: 24.04/stable, architectures: [arm64]}\n";
        let b = declared_bases(m).unwrap();
        assert_eq!(b[0], base("ubuntu", "22.04"));
        assert_eq!(b[1].channel, "24.04");
        assert_eq!(b[1].architectures, ["arm64"]);
        assert!(declared_bases("name: x\n").unwrap_err().contains("bases"));
        assert!(declared_bases("bases: [{name: ubuntu}]")
            .unwrap_err()
            .contains("channel"));
        assert!(declared_bases("{").unwrap_err().starts_with("not YAML"));
    }

    #[test]
    fn scripts_are_not_checked_and_broken_elf_is_an_error() {
        assert_eq!(read(b"#!/bin/sh\nexit 0\n"), Ok(None));
        assert_eq!(read(b""), Ok(None));
        let err = read(b"\x7fELF\x02\x01\x01garbage").unwrap_err();
        assert!(err.contains("ELF"), "{err}");
    }

    #[test]
    fn what_is_refused_and_what_it_says() {
        let needs = Needs {
            arch: "amd64".into(),
            glibc: Some((vec![2, 36], "GLIBC_2.36".into())),
        };
        let err = check_against("dispatch", &needs, &[base("ubuntu", "22.04")]).unwrap_err();
        for part in [
            "dispatch needs glibc 2.36 (GLIBC_2.36)",
            "base ubuntu@22.04 has glibc 2.35",
            "ubuntu:22.04",
            "x86_64-unknown-linux-musl",
        ] {
            assert!(
                err.message.contains(part),
                "{part:?} not in {}",
                err.message
            );
        }
        check_against("dispatch", &needs, &[base("ubuntu", "24.04")]).unwrap();
        let mut arm = base("ubuntu", "24.04");
        arm.architectures = vec!["arm64".into()];
        let err = check_against("dispatch", &needs, &[arm]).unwrap_err();
        assert!(
            err.message
                .contains("is built for amd64, but the charm declares it runs on arm64"),
            "{}",
            err.message
        );
        let err = check_against("dispatch", &needs, &[base("debian", "12")]).unwrap_err();
        assert!(
            err.message.contains("does not know the glibc"),
            "{}",
            err.message
        );
        let static_binary = Needs {
            arch: "amd64".into(),
            glibc: None,
        };
        check_against("dispatch", &static_binary, &[base("ubuntu", "20.04")]).unwrap();
        assert_eq!(
            describe(&needs, &[base("ubuntu", "24.04")]),
            "amd64, needs glibc 2.36 (ubuntu@24.04 has 2.39)"
        );
    }
}
