//! clap's errors as Juju's CLI words them (Juju's `cmd` package with gnuflag, flags known
//! as "options"): all usage errors exit 2.
//!
//! - an unknown command: `juju: "foo" is not a juju command. See "juju --help".` (with
//!   "Did you mean:" and the nearest command when there is one);
//! - an unknown flag: `option provided but not defined: --foo`;
//! - a flag without its value: `option needs an argument: --format`;
//! - a bad flag value: `invalid value "x" for option --num-units: ...`;
//! - extra arguments: `unrecognized args: ["a" "b"]`;
//! - a missing argument: `missing argument(s): <unit name>`.

use crate::error::Error;
use crate::usage::{context, strings};
use clap::error::{ContextKind, ErrorKind};

/// `--num-units <N>` → `--num-units`.
fn option_name(arg: &str) -> String {
    let first = arg.split_whitespace().next().unwrap_or(arg);
    first.split('=').next().unwrap_or(first).to_string()
}

/// The Juju error for a clap error; `None` for help, which is printed as it is.
pub fn from_clap(e: &clap::Error, args: &[String]) -> Option<Error> {
    let msg = match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return None,
        ErrorKind::InvalidSubcommand => {
            let name = context(e, ContextKind::InvalidSubcommand).unwrap_or_default();
            let suggested = strings(e, ContextKind::SuggestedSubcommand);
            let mut m = format!("juju: {name:?} is not a juju command. See \"juju --help\".");
            if let Some(s) = suggested.first() {
                m.push_str(&format!("\n\nDid you mean:\n\t{s}"));
            }
            m
        }
        ErrorKind::UnknownArgument => {
            let arg = context(e, ContextKind::InvalidArg).unwrap_or_default();
            if arg.starts_with('-') {
                format!("option provided but not defined: {}", option_name(arg))
            } else {
                let extra: Vec<&String> = args
                    .iter()
                    .skip_while(|a| **a != arg)
                    .filter(|a| !a.starts_with('-'))
                    .collect();
                let quoted: Vec<String> = extra.iter().map(|a| format!("{a:?}")).collect();
                format!("unrecognized args: [{}]", quoted.join(" "))
            }
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let arg = context(e, ContextKind::InvalidArg).unwrap_or_default();
            let value = context(e, ContextKind::InvalidValue).unwrap_or_default();
            if value.is_empty() && arg.starts_with('-') {
                format!("option needs an argument: {}", option_name(arg))
            } else {
                let why = e
                    .source()
                    .map(|s| s.to_string())
                    .or_else(|| {
                        let valid = strings(e, ContextKind::ValidValue);
                        (!valid.is_empty()).then(|| format!("expected one of {}", valid.join(", ")))
                    })
                    .unwrap_or_else(|| "invalid value".into());
                format!(
                    "invalid value {value:?} for option {}: {why}",
                    option_name(arg)
                )
            }
        }
        ErrorKind::MissingRequiredArgument => {
            let missing: Vec<String> = strings(e, ContextKind::InvalidArg)
                .iter()
                .map(|a| a.to_lowercase().replace('_', " "))
                .collect();
            format!("missing argument(s): {}", missing.join(", "))
        }
        ErrorKind::MissingSubcommand => "no command specified".to_string(),
        ErrorKind::ArgumentConflict => {
            let arg = context(e, ContextKind::InvalidArg).unwrap_or_default();
            let other = context(e, ContextKind::PriorArg).unwrap_or_default();
            format!(
                "{} and {} cannot be used together",
                option_name(arg),
                option_name(other)
            )
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            let arg = context(e, ContextKind::InvalidArg).unwrap_or_default();
            format!("wrong number of values for {}", option_name(arg))
        }
        _ => e
            .to_string()
            .lines()
            .next()
            .unwrap_or("invalid arguments")
            .trim_start_matches("error: ")
            .to_string(),
    };
    // Kept on several lines where Juju prints several ("Did you mean:").
    Some(Error {
        message: msg,
        code: 2,
    })
}

use std::error::Error as _;

#[cfg(test)]
mod tests {
    use super::super::cli::Cli;
    use super::*;
    use clap::Parser;

    fn err(args: &[&str]) -> String {
        let argv = std::iter::once("juju").chain(args.iter().copied());
        let e = Cli::try_parse_from(argv).unwrap_err();
        let owned: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let out = from_clap(&e, &owned).unwrap();
        assert_eq!(out.code, 2);
        out.message
    }

    #[test]
    fn juju_words() {
        assert_eq!(
            err(&["bogus"]),
            "juju: \"bogus\" is not a juju command. See \"juju --help\"."
        );
        assert!(err(&["statuss"]).contains("Did you mean:\n\tstatus"));
        assert_eq!(
            err(&["status", "--bogus"]),
            "option provided but not defined: --bogus"
        );
        assert_eq!(
            err(&["status", "--format"]),
            "option needs an argument: --format"
        );
        assert!(
            err(&["deploy", "./x", "-n", "two"])
                .starts_with("invalid value \"two\" for option --num-units"),
            "{}",
            err(&["deploy", "./x", "-n", "two"])
        );
        assert_eq!(err(&["show-model", "a", "b"]), "unrecognized args: [\"b\"]");
        assert!(err(&["run"]).starts_with("missing argument(s)"));
    }
}
