//! Between clap and the user: runs clap on the arguments, prints `--help` and `--version`
//! itself (to stdout, exit 0), and turns clap's multi-line errors into this tool's one-line
//! usage errors (`ERROR ...`, exit 2), keeping clap's suggestions ("did you mean").
//!
//! `-h`, `--help` and `help COMMAND` print the same help, with the command's description.

use crate::error::{Error, Result};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches};

/// Parses `args` (without the program name) into `T`. `Ok(None)` means help or the version
/// was printed and there is nothing to run.
pub fn parse<T: CommandFactory + FromArgMatches>(args: &[String]) -> Result<Option<T>> {
    let mut cmd = with_help(T::command());
    let args = help_subcommand_as_flag(&cmd, args);
    let argv = std::iter::once(cmd.get_name().to_string()).chain(args.iter().cloned());
    match cmd.try_get_matches_from_mut(argv) {
        Ok(matches) => T::from_arg_matches(&matches)
            .map(Some)
            .map_err(|e| to_error(&e, &cmd, &args)),
        Err(e) => match e.kind() {
            ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                print!("{}", e.render());
                Ok(None)
            }
            _ => Err(to_error(&e, &cmd, &args)),
        },
    }
}

/// The help layout of every command: the summary, the description (the rest of the doc
/// comment), the usage line, then the arguments and options one per line.
const TEMPLATE: &str =
    "{about-with-newline}\n{before-help}{usage-heading} {usage}\n\n{all-args}{after-help}";

/// Gives every command one help, printed alike by `-h`, `--help` and `help`: clap's `-h`
/// would print only the summary and its `--help` would spread the options over two lines
/// each. The description moves from the long about into the text shown before the usage.
fn with_help(cmd: Command) -> Command {
    let description = cmd.get_long_about().and_then(|long| {
        long.to_string()
            .split_once("\n\n")
            .map(|(_, rest)| rest.to_string())
    });
    let mut cmd = cmd
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .help("Print help")
                .action(ArgAction::HelpShort),
        )
        .help_template(TEMPLATE)
        // `--state a --state b` means b, as before (and as in cargo).
        .args_override_self(true)
        .long_about(None)
        .mut_subcommands(with_help);
    if let Some(d) = description {
        cmd = cmd.before_help(d);
    }
    cmd
}

/// `help [COMMAND...]` (at any command level) as `[COMMAND...] --help`, so that it prints
/// the same as `--help`.
fn help_subcommand_as_flag(root: &Command, args: &[String]) -> Vec<String> {
    let (path, cmd) = command_path(root, args);
    let at = path.len();
    if args.get(at).map(String::as_str) == Some("help") && cmd.has_subcommands() {
        let mut out: Vec<String> = args[..at].to_vec();
        out.extend(args[at + 1..].iter().cloned());
        out.push("--help".to_string());
        out
    } else {
        args.to_vec()
    }
}

/// The subcommand path `args` starts with (`["sim", "deploy"]`), and that command.
fn command_path<'a>(root: &'a Command, args: &[String]) -> (Vec<&'a str>, &'a Command) {
    let mut cmd = root;
    let mut path = Vec::new();
    for a in args {
        match cmd.find_subcommand(a) {
            Some(sub) => {
                path.push(sub.get_name());
                cmd = sub;
            }
            None => break,
        }
    }
    (path, cmd)
}

/// A clap error's context value of `kind` (the first, if several).
pub(crate) fn context(e: &clap::Error, kind: ContextKind) -> Option<&str> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s),
        ContextValue::Strings(v) => v.first().map(String::as_str),
        _ => None,
    }
}

/// A clap error's context values of `kind`.
pub(crate) fn strings(e: &clap::Error, kind: ContextKind) -> Vec<String> {
    match e.get(kind) {
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        _ => vec![],
    }
}

/// `--num-units <N>` → `--num-units`; a positional (`<UNIT>`, `[KEY=VALUE]...`) → `None`.
fn option_name(arg: &str) -> Option<&str> {
    arg.split_whitespace().next().filter(|a| a.starts_with('-'))
}

/// The positional arguments a command takes, as its usage shows them: `UNIT`, `[CHARM]`,
/// `ENDPOINT REMOTE_APP KEY=VALUE ...`.
fn positionals(cmd: &Command) -> String {
    let names: Vec<String> = cmd
        .get_positionals()
        .map(|a| {
            let name = a
                .get_value_names()
                .and_then(|n| n.first())
                .map(|n| n.to_string())
                .unwrap_or_else(|| a.get_id().to_string().to_uppercase());
            let many = matches!(a.get_action(), ArgAction::Append);
            let name = if many { format!("{name} ...") } else { name };
            if a.is_required_set() {
                name
            } else {
                format!("[{name}]")
            }
        })
        .collect();
    if names.is_empty() {
        "no arguments".to_string()
    } else {
        names.join(" ")
    }
}

/// An argument as clap shows it (`<UNIT>`, `<k=v>...`) as this tool's messages name it
/// (`UNIT`, `k=v`).
fn plain(arg: &str) -> String {
    arg.trim_end_matches("...")
        .trim_start_matches(['<', '['])
        .trim_end_matches(['>', ']'])
        .to_string()
}

/// `"a"`, `"a or b"`, `"a, b or c"`.
fn one_of(values: &[String]) -> String {
    match values {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// clap's own first line, without its `error: ` prefix.
fn first_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let line = text.lines().next().unwrap_or("invalid arguments");
    line.strip_prefix("error: ").unwrap_or(line).to_string()
}

/// One line for a clap error, naming the command and pointing at its `--help`.
fn to_error(e: &clap::Error, root: &Command, args: &[String]) -> Error {
    let (path, cmd) = command_path(root, args);
    let name = std::iter::once("cargo charm")
        .chain(path.iter().copied())
        .collect::<Vec<_>>()
        .join(" ");
    let help = format!("see `{name} --help`");
    let arg = context(e, ContextKind::InvalidArg).unwrap_or_default();
    let value = context(e, ContextKind::InvalidValue).unwrap_or_default();
    let did_you_mean = |kind| {
        let s = strings(e, kind);
        if s.is_empty() {
            String::new()
        } else {
            format!(
                "did you mean {}? ",
                one_of(&s.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>())
            )
        }
    };
    let takes = || {
        format!(
            "`{name}` takes {} (usage: {name} {})",
            positionals(cmd),
            usage_args(cmd)
        )
    };
    let message = match e.kind() {
        ErrorKind::InvalidSubcommand => {
            let sub = context(e, ContextKind::InvalidSubcommand).unwrap_or_default();
            let full = path.iter().copied().chain([sub]).collect::<Vec<_>>();
            format!(
                "unknown command {:?} ({}{help})",
                full.join(" "),
                did_you_mean(ContextKind::SuggestedSubcommand)
            )
        }
        ErrorKind::UnknownArgument if arg.starts_with('-') && arg != "-" => format!(
            "unknown option {arg:?} for `{name}` ({}{help})",
            did_you_mean(ContextKind::SuggestedArg)
        ),
        ErrorKind::UnknownArgument => format!("unexpected argument {arg:?}: {}", takes()),
        ErrorKind::MissingRequiredArgument => {
            let missing: Vec<String> = strings(e, ContextKind::InvalidArg)
                .iter()
                .map(|a| plain(a))
                .collect();
            let missing = missing.join(", ");
            format!("missing {missing}: {}", takes())
        }
        ErrorKind::InvalidValue if value.is_empty() => match option_name(arg) {
            Some(opt) => format!(
                "option {opt} needs a value {} ({help})",
                plain(arg.split_once(' ').map(|(_, v)| v).unwrap_or(""))
            ),
            None => format!("{} needs a value ({help})", plain(arg)),
        },
        ErrorKind::InvalidValue => {
            let valid = strings(e, ContextKind::ValidValue);
            format!(
                "{} must be {}, got {value:?}",
                option_name(arg).unwrap_or(arg),
                one_of(&valid)
            )
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e)
                .map(|s| s.to_string())
                .unwrap_or_else(|| first_line(e));
            match option_name(arg) {
                Some(opt) => format!("option {opt}: {why}"),
                None => why,
            }
        }
        // The options that take values take any number of them: a flag got `=value`.
        ErrorKind::TooManyValues => format!(
            "option {} takes no value ({help})",
            option_name(arg).unwrap_or(arg)
        ),
        _ => format!("{} ({help})", first_line(e)),
    };
    Error::usage(message)
}

/// The usage line of `cmd` after its name: `[OPTIONS] <UNIT>`.
fn usage_args(cmd: &Command) -> String {
    let usage = cmd.clone().render_usage().to_string();
    let usage = usage.trim().strip_prefix("Usage: ").unwrap_or(usage.trim());
    let name = cmd.get_bin_name().unwrap_or(cmd.get_name());
    usage.strip_prefix(name).unwrap_or(usage).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command, SimCommand};

    fn error(line: &str) -> Error {
        let args: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        parse::<Cli>(&args).expect_err(line)
    }

    #[test]
    fn clap_errors_become_one_line_usage_errors() {
        for (line, expect) in [
            ("unpack", r#"unknown command "unpack""#),
            ("sim frobnicate", r#"unknown command "sim frobnicate""#),
            ("sim destory", "did you mean `deploy` or `destroy`?"),
            (
                "sim status --colour",
                r#"unknown option "--colour" for `cargo charm sim status`"#,
            ),
            ("sim status --stroage", "did you mean `--storage`?"),
            (
                "pack --state x",
                r#"unknown option "--state" for `cargo charm pack`"#,
            ),
            ("sim deploy -n", "option --num-units needs a value N ("),
            (
                "sim deploy -n two",
                r#"option --num-units: expected a number, got "two""#,
            ),
            (
                "sim delete-pod",
                "missing UNIT: `cargo charm sim delete-pod` takes UNIT",
            ),
            ("sim delete-pod a/0 b/0", r#"unexpected argument "b/0""#),
            (
                "sim status extra",
                "`cargo charm sim status` takes no arguments",
            ),
            (
                "sim set-data db pg",
                "usage: cargo charm sim set-data [OPTIONS]",
            ),
            (
                "sim show-unit a/0 --format toml",
                r#"--format must be default, yaml or json, got "toml""#,
            ),
            ("sim events --json=1", "option --json takes no value"),
            (
                "sim status --storage=yes",
                "option --storage takes no value",
            ),
            ("sim config port", r#"expected "key=value", got "port""#),
            (
                "sim scale many",
                r#"N must be a number of units, got "many""#,
            ),
        ] {
            let e = error(line);
            assert_eq!(e.code, 2, "{line}: {}", e.message);
            assert!(!e.message.contains('\n'), "{line}: {}", e.message);
            assert!(
                e.message.contains(expect),
                "{line}: {expect:?} not in {}",
                e.message
            );
        }
    }

    #[test]
    fn help_and_version_are_not_errors() {
        for line in [
            &[][..],
            &["--help"],
            &["sim"],
            &["sim", "deploy", "-h"],
            &["-V"],
        ] {
            let args: Vec<String> = line.iter().map(|s| s.to_string()).collect();
            assert!(parse::<Cli>(&args).unwrap().is_none(), "{line:?}");
        }
    }

    #[test]
    fn the_last_of_a_repeated_option_wins() {
        let args = ["--state", "a", "--state", "b", "-q", "-q"].map(String::from);
        let mut argv = vec!["sim".to_string(), "status".to_string()];
        argv.extend(args);
        let Some(Cli {
            command: Command::Sim(SimCommand::Status(s)),
        }) = parse::<Cli>(&argv).unwrap()
        else {
            panic!("not status")
        };
        assert_eq!(s.state.state, Some(std::path::PathBuf::from("b")));
    }
}
