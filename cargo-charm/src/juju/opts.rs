//! Options several commands share.

use clap::Args;

/// `-m`/`--model` and `-B`.
#[derive(Debug, Clone, Args)]
pub struct ModelOpt {
    /// Model to operate in: MODEL or CONTROLLER:MODEL
    #[arg(short = 'm', long = "model", value_name = "MODEL")]
    pub model: Option<String>,
    /// Do not use web browser for authentication
    #[arg(short = 'B', long = "no-browser-login")]
    pub no_browser_login: bool,
}
