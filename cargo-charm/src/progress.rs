//! A long step on stderr, cargo-style: a start line (`    Building demo-charm`) before the
//! work and an end line with the time it took; nothing with `--quiet`.

use std::time::Instant;

/// One long step.
pub struct Progress {
    start: Instant,
    quiet: bool,
}

impl Progress {
    /// Starts a step: prints `verb` (cargo-style: `Building`, `Packing`, right-aligned) and
    /// `what`.
    pub fn start(verb: &str, what: &str, quiet: bool) -> Progress {
        if !quiet {
            eprintln!("{verb:>12} {what}");
        }
        Progress {
            start: Instant::now(),
            quiet,
        }
    }

    /// Ends the step with a `Finished`-like line and the time it took.
    pub fn finish(self, verb: &str, what: &str) {
        if !self.quiet {
            eprintln!(
                "{verb:>12} {what} in {:.1}s",
                self.start.elapsed().as_secs_f64()
            );
        }
    }
}
