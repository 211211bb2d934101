//! Command-line parsing as Juju's tools do it (juju/gnuflag with interspersed flags):
//! `--name value`, `--name=value`, `-x value`, `-xvalue`, bool flags with optional
//! `=true|false`, `--` ends the flags, and the exact usage messages (exit 2).
//! Hand-written, not clap: Juju's gnuflag semantics and its exact error texts are the
//! contract a charm sees, and clap's differ.

use super::format::{q, q_list, Format};
use super::Fail;
use std::collections::BTreeMap;

/// Whether a flag takes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `--flag` (optionally `--flag=false`).
    Bool,
    /// `--flag value`.
    Value,
}

/// A flag a tool accepts: its names (the first is the key [`Args`] files it under).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Flag {
    pub names: &'static [&'static str],
    pub kind: Kind,
}

/// `--format` (juju/cmd `Output.AddFlags`).
pub(crate) const FORMAT: Flag = Flag {
    names: &["format"],
    kind: Kind::Value,
};

/// `-r` / `--relation`.
pub(crate) const RELATION: Flag = Flag {
    names: &["r", "relation"],
    kind: Kind::Value,
};

/// A bool flag.
pub(crate) const fn boolean(names: &'static [&'static str]) -> Flag {
    Flag {
        names,
        kind: Kind::Bool,
    }
}

/// A flag with a value.
pub(crate) const fn value(names: &'static [&'static str]) -> Flag {
    Flag {
        names,
        kind: Kind::Value,
    }
}

/// Parsed arguments.
#[derive(Debug, Default)]
pub(crate) struct Args {
    /// Flag key → (the spelling used, e.g. `-r` or `--relation`; the value). Bool flags
    /// hold `"true"` or `"false"`. The last occurrence wins.
    flags: BTreeMap<&'static str, (String, String)>,
    /// Positional arguments, in order.
    pub pos: Vec<String>,
}

impl Args {
    /// A value flag's value.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.flags.get(key).map(|(_, v)| v.as_str())
    }

    /// How a flag was spelled on the command line (`-r`, `--relation`).
    pub fn spelling(&self, key: &str) -> String {
        self.flags
            .get(key)
            .map(|(s, _)| s.clone())
            .unwrap_or_else(|| with_minus(key))
    }

    /// A bool flag.
    pub fn on(&self, key: &str) -> bool {
        self.get(key) == Some("true")
    }

    /// Fails unless the positional arguments from `from` on are absent
    /// (juju/cmd `CheckEmpty`: `unrecognized args: ["x"]`).
    pub fn no_more(&self, from: usize) -> Result<(), Fail> {
        if self.pos.len() > from {
            Err(Fail::usage(format!(
                "unrecognized args: {}",
                q_list(&self.pos[from..])
            )))
        } else {
            Ok(())
        }
    }

    /// The output format: `--format` if given (one of `allowed`), else `default`.
    pub fn format(&self, allowed: &[Format], default: Format) -> Result<Format, Fail> {
        let Some(v) = self.get("format") else {
            return Ok(default);
        };
        let f = match v {
            "smart" => Format::Smart,
            "yaml" => Format::Yaml,
            "json" => Format::Json,
            _ => return Err(invalid_format(v)),
        };
        if allowed.contains(&f) {
            Ok(f)
        } else {
            Err(invalid_format(v))
        }
    }
}

fn invalid_format(v: &str) -> Fail {
    Fail::usage(format!(
        "invalid value {} for option --format: unknown format {}",
        q(v),
        q(v)
    ))
}

/// gnuflag's `flagWithMinus`: `-x` for one-letter names, `--name` otherwise.
pub(crate) fn with_minus(name: &str) -> String {
    if name.chars().count() > 1 {
        format!("--{name}")
    } else {
        format!("-{name}")
    }
}

/// The error gnuflag reports when a flag's value is rejected.
pub(crate) fn invalid_value(spelling: &str, value: &str, why: &str) -> Fail {
    Fail::usage(format!(
        "invalid value {} for option {spelling}: {why}",
        q(value)
    ))
}

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Parses `args` against `flags`. `--help`/`-h` (when not a defined flag) asks for help.
pub(crate) fn parse(tool: &str, args: &[String], flags: &[Flag]) -> Result<Args, Fail> {
    let mut out = Args::default();
    let find = |name: &str| flags.iter().find(|f| f.names.contains(&name)).copied();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            out.pos.extend(args[i..].iter().cloned());
            break;
        }
        if a == "-" || a.is_empty() || !a.starts_with('-') {
            out.pos.push(a.clone());
            continue;
        }
        // (name, inline value, spelling); single-dash groups may hold several bool flags.
        let mut pending: Vec<(String, Option<String>)> = Vec::new();
        if let Some(body) = a.strip_prefix("--") {
            match body.split_once('=') {
                Some((n, v)) => pending.push((n.to_string(), Some(v.to_string()))),
                None => pending.push((body.to_string(), None)),
            }
        } else {
            let mut rest = &a[1..];
            while let Some(c) = rest.chars().next() {
                let name = c.to_string();
                rest = &rest[c.len_utf8()..];
                match find(&name) {
                    Some(Flag {
                        kind: Kind::Value, ..
                    }) => {
                        let v = (!rest.is_empty()).then(|| rest.to_string());
                        pending.push((name, v));
                        rest = "";
                    }
                    _ => pending.push((name, None)),
                }
            }
        }
        for (name, inline) in pending {
            let spelling = with_minus(&name);
            let Some(flag) = find(&name) else {
                if name == "help" || name == "h" {
                    return Err(Fail::help(format!(
                        "Usage: {tool} [options] [args...]\n(in-memory Juju hook tool; see juju-protocol.md §2)\n"
                    )));
                }
                return Err(Fail::usage(format!(
                    "flag provided but not defined: {spelling}"
                )));
            };
            let value = match flag.kind {
                Kind::Bool => match inline {
                    None => "true".to_string(),
                    Some(v) => match parse_bool(&v) {
                        Some(b) => b.to_string(),
                        None => {
                            return Err(invalid_value(
                                &spelling,
                                &v,
                                &format!("strconv.ParseBool: parsing {}: invalid syntax", q(&v)),
                            ))
                        }
                    },
                },
                Kind::Value => match inline {
                    Some(v) => v,
                    None if i < args.len() => {
                        i += 1;
                        args[i - 1].clone()
                    }
                    None => return Err(Fail::usage(format!("flag needs an argument: {spelling}"))),
                },
            };
            out.flags.insert(flag.names[0], (spelling, value));
        }
    }
    Ok(out)
}

/// juju/utils `keyvalues.Parse(args, allowEmptyValues=true)`: `key=value` pairs.
pub(crate) fn key_values(args: &[String]) -> Result<BTreeMap<String, String>, Fail> {
    let mut out = BTreeMap::new();
    for a in args {
        match a.split_once('=') {
            Some((k, v)) if !k.is_empty() => {
                if out.insert(k.to_string(), v.to_string()).is_some() {
                    return Err(Fail::usage(format!(
                        "key {} specified more than once",
                        q(k)
                    )));
                }
            }
            _ => return Err(Fail::usage(format!("expected \"key=value\", got {}", q(a)))),
        }
    }
    Ok(out)
}
