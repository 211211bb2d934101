//! Procedural macros for `charm-runtime`.
