//! The error type handlers return: any error converts into it with `?`.

use std::error::Error as StdError;
use std::fmt;

/// The result type of handlers and of most runtime calls.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error from a handler or from the runtime, with optional context lines.
///
/// Every error type converts into it with `?`; [`Error::msg`] makes one from text.
/// Tests can get the typed error back with [`Error::downcast_ref`].
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

impl<E: StdError + Send + Sync + 'static> From<E> for Error {
    fn from(err: E) -> Self {
        Error {
            inner: Box::new(err),
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

/// Adds context to any `Result` whose error converts into [`Error`].
pub trait Context<T> {
    /// Wraps the error with a line of context.
    fn context(self, context: impl fmt::Display) -> Result<T>;
}

impl<T, E: Into<Error>> Context<T> for std::result::Result<T, E> {
    fn context(self, context: impl fmt::Display) -> Result<T> {
        self.map_err(|e| e.into().context(context))
    }
}
