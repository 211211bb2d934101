//! Hand-written argument parsing: options declared per command, `--name value`,
//! `--name=value`, `-n value`, repeatable options, options that take several `k=v` values,
//! `--` to end options, and `-h`/`--help` anywhere.

use crate::error::{Error, Result};
use std::collections::BTreeMap;

/// How an option takes values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Takes {
    /// A flag: no value.
    Nothing,
    /// One value (the last occurrence wins).
    One,
    /// One value per occurrence, repeatable.
    Repeated,
    /// `k=v` values: every following argument that contains `=` and does not start with
    /// `-`, and the option may be repeated.
    Pairs,
}

/// One option a command accepts.
#[derive(Debug, Clone, Copy)]
pub struct Opt {
    /// Long name without `--`.
    pub long: &'static str,
    /// Short name without `-`.
    pub short: Option<char>,
    /// How it takes values.
    pub takes: Takes,
    /// The value's placeholder in help (`DIR`, `N`, `k=v`).
    pub value: &'static str,
    /// One-line help.
    pub help: &'static str,
}

/// A command's interface: for parsing and for `--help`.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// The command as typed after `cargo charm`, e.g. `sim deploy`.
    pub name: &'static str,
    /// Positional arguments as shown in the usage line, e.g. `[CHARM]`.
    pub args: &'static str,
    /// What it does (first line is the summary).
    pub about: &'static str,
    /// Its options.
    pub opts: &'static [Opt],
}

/// Parsed arguments.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Option values by long name (flags get one empty value per occurrence).
    pub opts: BTreeMap<&'static str, Vec<String>>,
    /// Positional arguments, in order.
    pub positional: Vec<String>,
    /// `-h` / `--help` was given.
    pub help: bool,
}

impl Parsed {
    /// Whether a flag was given.
    pub fn flag(&self, long: &str) -> bool {
        self.opts.contains_key(long)
    }

    /// The value of a single-valued option.
    pub fn one(&self, long: &str) -> Option<&str> {
        self.opts
            .get(long)
            .and_then(|v| v.last())
            .map(String::as_str)
    }

    /// All values of a repeated or `k=v` option.
    pub fn all(&self, long: &str) -> &[String] {
        self.opts.get(long).map(Vec::as_slice).unwrap_or(&[])
    }

    /// A single-valued option parsed as a number.
    pub fn number<T: std::str::FromStr>(&self, long: &str) -> Result<Option<T>> {
        match self.one(long) {
            None => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| {
                Error::usage(format!("option --{long}: expected a number, got {v:?}"))
            }),
        }
    }
}

/// Parses `args` (the arguments after the command name) against `spec`; `global` options
/// are accepted too.
pub fn parse(spec: &Spec, global: &[Opt], args: &[String]) -> Result<Parsed> {
    let mut out = Parsed::default();
    let find_long = |name: &str| {
        spec.opts
            .iter()
            .chain(global)
            .find(|o| o.long == name)
            .copied()
    };
    let find_short = |c: char| {
        spec.opts
            .iter()
            .chain(global)
            .find(|o| o.short == Some(c))
            .copied()
    };
    let mut i = 0;
    let mut only_positional = false;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if only_positional || arg == "-" || !arg.starts_with('-') {
            out.positional.push(arg.clone());
            continue;
        }
        if arg == "--" {
            only_positional = true;
            continue;
        }
        if arg == "-h" || arg == "--help" {
            out.help = true;
            continue;
        }
        let (opt, inline) = if let Some(long) = arg.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let opt = find_long(name).ok_or_else(|| unknown(spec, arg))?;
            (opt, inline)
        } else {
            let mut chars = arg[1..].chars();
            let c = chars.next().unwrap_or('-');
            let rest: String = chars.collect();
            let opt = find_short(c).ok_or_else(|| unknown(spec, arg))?;
            let rest = rest.strip_prefix('=').map(str::to_string).unwrap_or(rest);
            (opt, (!rest.is_empty()).then_some(rest))
        };
        let values = out.opts.entry(opt.long).or_default();
        match opt.takes {
            Takes::Nothing => {
                if inline.is_some() {
                    return Err(Error::usage(format!(
                        "option --{} takes no value (`cargo charm {} --help`)",
                        opt.long, spec.name
                    )));
                }
                values.push(String::new());
            }
            Takes::One | Takes::Repeated => {
                let v = match inline {
                    Some(v) => v,
                    // The next argument, unless it is itself an option (`-n --state x`).
                    None if i < args.len() && !looks_like_option(&args[i]) => {
                        i += 1;
                        args[i - 1].clone()
                    }
                    None => {
                        return Err(Error::usage(format!(
                            "option --{} needs a value {} (`cargo charm {} --help`)",
                            opt.long, opt.value, spec.name
                        )))
                    }
                };
                values.push(v);
            }
            Takes::Pairs => {
                let before = values.len();
                if let Some(v) = inline {
                    values.push(v);
                }
                while i < args.len() && !args[i].starts_with('-') && args[i].contains('=') {
                    values.push(args[i].clone());
                    i += 1;
                }
                if values.len() == before {
                    // `--config foo`: take the next argument and let the k=v check report it.
                    if i < args.len() && !args[i].starts_with('-') {
                        values.push(args[i].clone());
                        i += 1;
                    } else {
                        return Err(Error::usage(format!(
                            "option --{} needs at least one {} (`cargo charm {} --help`)",
                            opt.long, opt.value, spec.name
                        )));
                    }
                }
            }
        }
    }
    Ok(out)
}

/// `--x` or `-x`, but not `-` or a negative number.
fn looks_like_option(arg: &str) -> bool {
    arg.len() > 1 && arg.starts_with('-') && !arg[1..].starts_with(|c: char| c.is_ascii_digit())
}

fn unknown(spec: &Spec, arg: &str) -> Error {
    Error::usage(format!(
        "unknown option {arg:?} for `cargo charm {}` (see `cargo charm {} --help`)",
        spec.name, spec.name
    ))
}

/// The `--help` text of a command.
pub fn help(spec: &Spec, global: &[Opt]) -> String {
    let mut s = format!("cargo charm {}", spec.name);
    if !spec.opts.is_empty() || !global.is_empty() {
        s.push_str(" [OPTIONS]");
    }
    if !spec.args.is_empty() {
        s.push(' ');
        s.push_str(spec.args);
    }
    let mut out = format!("{}\n\nUsage: {s}\n", spec.about.trim_end());
    let rows: Vec<(String, &str)> = spec
        .opts
        .iter()
        .chain(global)
        .map(|o| {
            let mut left = match o.short {
                Some(c) => format!("-{c}, --{}", o.long),
                None => format!("    --{}", o.long),
            };
            match o.takes {
                Takes::Nothing => {}
                Takes::One | Takes::Repeated => left.push_str(&format!(" {}", o.value)),
                Takes::Pairs => left.push_str(&format!(" {} ...", o.value)),
            }
            (left, o.help)
        })
        .chain(std::iter::once((
            "-h, --help".to_string(),
            "Print this help",
        )))
        .collect();
    let width = rows.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    out.push_str("\nOptions:\n");
    for (left, help) in rows {
        out.push_str(&format!("  {left:width$}  {help}\n"));
    }
    out
}

/// Splits `k=v`. The key must be non-empty; the value may be empty.
pub fn key_value(arg: &str) -> Result<(String, String)> {
    match arg.split_once('=') {
        Some((k, v)) if !k.is_empty() && !k.contains(char::is_whitespace) => {
            Ok((k.to_string(), v.to_string()))
        }
        _ => Err(Error::usage(format!("expected \"key=value\", got {arg:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: Spec = Spec {
        name: "sim deploy",
        args: "[CHARM]",
        about: "Deploy.",
        opts: &[
            Opt {
                long: "num-units",
                short: Some('n'),
                takes: Takes::One,
                value: "N",
                help: "units",
            },
            Opt {
                long: "config",
                short: None,
                takes: Takes::Pairs,
                value: "k=v",
                help: "config",
            },
            Opt {
                long: "json",
                short: None,
                takes: Takes::Nothing,
                value: "",
                help: "json",
            },
        ],
    };

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn options_positionals_and_pairs() {
        let p = parse(
            &SPEC,
            &[],
            &args("x.charm -n 2 --config a=1 b=2 --json --config=c=3"),
        )
        .unwrap();
        assert_eq!(p.positional, ["x.charm"]);
        assert_eq!(p.one("num-units"), Some("2"));
        assert_eq!(p.all("config"), ["a=1", "b=2", "c=3"]);
        assert!(p.flag("json"));
        let p = parse(&SPEC, &[], &args("-n3 -- --odd")).unwrap();
        assert_eq!(p.one("num-units"), Some("3"));
        assert_eq!(p.positional, ["--odd"]);
    }

    #[test]
    fn errors() {
        assert!(parse(&SPEC, &[], &args("--bogus")).is_err());
        assert!(parse(&SPEC, &[], &args("-n")).is_err());
        assert!(parse(&SPEC, &[], &args("--json=1")).is_err());
        assert!(key_value("novalue").is_err());
        assert!(key_value("=v").is_err());
        assert_eq!(key_value("k=").unwrap(), ("k".into(), "".into()));
        assert_eq!(key_value("k=a=b").unwrap(), ("k".into(), "a=b".into()));
    }
}
