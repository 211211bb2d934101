//! `juju`: the Juju CLI over the simulator, so that integration tests written with
//! jubilant / pytest-jubilant (or any script driving `juju`) run against local simulated
//! models in seconds.
//!
//! The binary becomes `juju` when started under that name (`cargo charm juju-shim DIR`
//! puts a `juju` symlink to it in DIR; put DIR first on `PATH`), or as `cargo charm juju
//! ...`. Each model is a simulator state directory under the juju home ([`home`]).
//! Commands parse as Juju 3.6's ([`cli`]), print Juju 3.6's output shapes ([`format`](mod@format)),
//! and fail as Juju does: `ERROR <message>` on stderr and a non-zero exit (2 for usage
//! errors).

pub mod cli;
pub mod format;
pub mod home;
pub mod shim;

mod action;
mod application;
mod errors;
mod logs;
mod models;
mod opts;
mod outcome;
mod secrets;
mod sim_access;
pub mod snapshot;
mod status;

use clap::{CommandFactory, FromArgMatches};
use cli::{Cli, Command};
use home::Home;
use outcome::{Failed, Outcome};
use std::process::ExitCode;

/// Runs `juju ARGS` (without the program name).
pub fn main(args: Vec<String>) -> ExitCode {
    ExitCode::from(run_args(args))
}

/// Runs `juju ARGS` (without the program name) and returns the exit code.
pub fn run_args(args: Vec<String>) -> u8 {
    let mut cmd = Cli::command();
    let argv = std::iter::once("juju".to_string()).chain(args.iter().cloned());
    let parsed = cmd
        .try_get_matches_from_mut(argv)
        .and_then(|m| Cli::from_arg_matches(&m));
    let outcome = match parsed {
        Ok(cli) => run(cli),
        Err(e) => match errors::from_clap(&e, &args) {
            None => {
                print!("{}", e.render());
                Ok(())
            }
            Some(err) => Err(err.into()),
        },
    };
    match outcome {
        Ok(()) => 0,
        Err(f) => {
            eprintln!("ERROR {}", f.message.trim_end());
            f.code
        }
    }
}

fn run(cli: Cli) -> Outcome {
    if let Command::Version(v) = &cli.command {
        return models::version(v).map_err(Failed::from);
    }
    let home = Home::locate()?;
    match cli.command {
        Command::AddModel(a) => models::add_model(&home, a)?,
        Command::Models(a) => models::models(&home, a)?,
        Command::DestroyModel(a) => models::destroy_model(&home, a)?,
        Command::Switch(a) => models::switch(&home, a)?,
        Command::ShowModel(a) => models::show_model(&home, a)?,
        Command::SetModelConstraints(a) => models::set_constraints(&home, a)?,
        Command::ModelConstraints(a) => models::get_constraints(&home, a)?,
        Command::Deploy(a) => application::deploy(&home, a)?,
        Command::AddUnit(a) => application::add_unit(&home, a)?,
        Command::RemoveUnit(a) => application::remove_unit(&home, a)?,
        Command::Config(a) => application::config(&home, a)?,
        Command::Refresh(a) => application::refresh(&home, a)?,
        Command::Integrate(a) => application::integrate(&home, a)?,
        Command::RemoveRelation(a) => application::remove_relation(&home, a)?,
        Command::RemoveApplication(a) => application::remove_application(&home, a)?,
        Command::Resolve(a) => application::resolve(&home, a)?,
        Command::Status(a) => status::status(&home, a)?,
        Command::ShowUnit(a) => status::show_unit(&home, a)?,
        Command::Run(a) => return action::run(&home, a),
        Command::Exec(a) => return action::exec(&home, a),
        Command::ShowSecret(a) => secrets::show_secret(&home, a)?,
        Command::Secrets(a) => secrets::secrets(&home, a)?,
        Command::DebugLog(a) => logs::debug_log(&home, a)?,
        Command::Version(_) => unreachable!("handled above"),
    }
    Ok(())
}
