//! A progress line on stderr for long steps: redrawn in place on a terminal, a start line
//! and an end line otherwise (CI logs), nothing with `--quiet`.

use std::io::{IsTerminal, Write};
use std::time::Instant;

/// One long step.
pub struct Progress {
    what: String,
    start: Instant,
    tty: bool,
    quiet: bool,
    drawn: bool,
}

impl Progress {
    /// Starts a step: `verb` is cargo-style (`Building`, `Packing`), right-aligned.
    pub fn start(verb: &str, what: &str, quiet: bool) -> Progress {
        let tty = std::io::stderr().is_terminal();
        let p = Progress {
            what: format!("{verb:>12} {what}"),
            start: Instant::now(),
            tty,
            quiet,
            drawn: false,
        };
        if !quiet {
            eprintln!("{}", p.what);
        }
        p
    }

    /// Redraws the line with a detail (terminals only).
    pub fn update(&mut self, detail: &str) {
        if self.quiet || !self.tty {
            return;
        }
        let mut line = format!("{:>12} {detail}", "");
        line.truncate(100);
        eprint!("\r\x1b[K{line}");
        let _ = std::io::stderr().flush();
        self.drawn = true;
    }

    /// Ends the step with a cargo-style `Finished`-like line.
    pub fn finish(self, verb: &str, what: &str) {
        if self.quiet {
            return;
        }
        if self.drawn {
            eprint!("\r\x1b[K");
        }
        eprintln!(
            "{verb:>12} {what} in {:.1}s",
            self.start.elapsed().as_secs_f64()
        );
    }

    /// Clears the line after a failure.
    pub fn abandon(self) {
        if self.drawn {
            eprint!("\r\x1b[K");
        }
    }
}
