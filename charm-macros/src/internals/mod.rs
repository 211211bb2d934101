//! The macros' internals: the error accumulator, attribute parsing, the model and its checks.

pub mod ast;
pub mod attr;
pub mod check;
pub mod ctxt;
