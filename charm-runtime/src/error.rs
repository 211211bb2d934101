//! The error type handlers return: any error converts into it with `?`, anyhow's included.

use std::error::Error as StdError;
use std::fmt;

/// The result type of handlers and of most runtime calls.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error from a handler or from the runtime, with optional context lines.
///
/// Every error type converts into it with `?`: any `std::error::Error + Send + Sync`,
/// `String`, `&str`, and `anyhow::Error` (a handler may return `anyhow::Result<()>`; the
/// runtime does not depend on anyhow). [`Error::msg`] makes one from text. The message
/// shows the context lines, then the error, then its `source()` chain, joined by `: `.
/// Tests can get a std error back with [`Error::downcast_ref`].
///
/// ```
/// use charm_runtime::{Error, RelationError};
/// let err = Error::msg("no database yet").context("while rendering the layer");
/// assert_eq!(err.to_string(), "while rendering the layer: no database yet");
/// assert!(err.downcast_ref::<RelationError>().is_none());
/// ```
pub struct Error {
    inner: Box<dyn StdError + Send + Sync + 'static>,
    context: Vec<String>,
}

#[derive(Debug)]
struct Message(String);

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl StdError for Message {}

impl Error {
    /// An error carrying only a message.
    pub fn msg(message: impl fmt::Display) -> Self {
        Error {
            inner: Box::new(Message(message.to_string())),
            context: Vec::new(),
        }
    }

    /// Adds a line of context, shown before the error: `context: error`.
    pub fn context(mut self, context: impl fmt::Display) -> Self {
        self.context.push(context.to_string());
        self
    }

    /// The typed error inside, if it is a `T`.
    pub fn downcast_ref<T: StdError + 'static>(&self) -> Option<&T> {
        self.inner.downcast_ref::<T>()
    }

    /// The error inside.
    pub fn inner(&self) -> &(dyn StdError + Send + Sync + 'static) {
        &*self.inner
    }
}

/// Everything that converts into a boxed error converts into [`Error`]: every
/// `std::error::Error + Send + Sync`, `String` and `&str`, and error types of other error
/// libraries that box themselves, such as `anyhow::Error` (whose context chain becomes the
/// `source()` chain, so the message keeps it). No feature flag: the runtime names no such
/// library.
impl<E: Into<Box<dyn StdError + Send + Sync + 'static>>> From<E> for Error {
    fn from(err: E) -> Self {
        Error {
            inner: err.into(),
            context: Vec::new(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.context.iter().rev() {
            write!(f, "{c}: ")?;
        }
        write!(f, "{}", self.inner)?;
        let mut source = self.inner.source();
        while let Some(s) = source {
            write!(f, ": {s}")?;
            source = s.source();
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// What [`Model::reboot_now`](crate::Model::reboot_now) returns: the dispatch stops there, applies nothing it
/// staged, and exits 0 (Juju kills the process anyway and runs the hook again after the
/// reboot). The runtime recognises it; a handler just passes it on with `?`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RebootNow;

impl fmt::Display for RebootNow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the machine reboots now (juju-reboot --now); the hook runs again after it")
    }
}

impl std::error::Error for RebootNow {}

/// Adds context to any `Result` whose error converts into [`Error`].
///
/// Not in the prelude: import it (`use charm_runtime::Context;`) where wanted. A charm that
/// uses anyhow imports `anyhow::Context` instead; with both traits in scope `.context(...)`
/// is ambiguous.
pub trait Context<T> {
    /// Wraps the error with a line of context.
    fn context(self, context: impl fmt::Display) -> Result<T>;
}

impl<T, E: Into<Error>> Context<T> for std::result::Result<T, E> {
    fn context(self, context: impl fmt::Display) -> Result<T> {
        self.map_err(|e| e.into().context(context))
    }
}

#[cfg(test)]
mod tests {
    use super::{Context, Error};
    use std::error::Error as StdError;
    use std::fmt;

    /// An error with a cause, shaped like the boxed errors of error libraries (anyhow's
    /// context errors): its own text, and the rest of the chain in `source()`.
    #[derive(Debug)]
    struct Layer(&'static str, Option<Box<Layer>>);

    impl fmt::Display for Layer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }
    }

    impl StdError for Layer {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            self.1.as_deref().map(|l| l as &(dyn StdError + 'static))
        }
    }

    #[test]
    fn std_errors_convert_and_downcast() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let err = Error::from(io).context("reading the layer");
        assert_eq!(err.to_string(), "reading the layer: no such file");
        let back = err.downcast_ref::<std::io::Error>().expect("an io::Error");
        assert_eq!(back.kind(), std::io::ErrorKind::NotFound);
    }

    #[test]
    fn source_chains_print_in_order() {
        let chained = Layer("connecting", Some(Box::new(Layer("refused", None))));
        let err: Error = chained.into();
        assert_eq!(err.to_string(), "connecting: refused");
        assert_eq!(format!("{err:?}"), "connecting: refused");
        assert!(err.downcast_ref::<Layer>().is_some());
    }

    #[test]
    fn text_and_boxed_errors_convert() {
        assert_eq!(Error::from("plain text").to_string(), "plain text");
        assert_eq!(Error::from(String::from("owned")).to_string(), "owned");
        let boxed: Box<dyn StdError + Send + Sync> = Box::new(Layer("boxed", None));
        let err = Error::from(boxed);
        assert_eq!(err.to_string(), "boxed");
        assert!(err.downcast_ref::<Layer>().is_some());
    }

    #[test]
    fn context_wraps_any_convertible_error() {
        let r: Result<(), &str> = Err("inner");
        let err = r
            .context("middle")
            .map_err(|e| e.context("outer"))
            .unwrap_err();
        assert_eq!(err.to_string(), "outer: middle: inner");
    }
}
