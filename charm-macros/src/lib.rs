//! Procedural macros for `charm-runtime` (stubs; being written).
use proc_macro::TokenStream;

/// stub
#[proc_macro_attribute]
pub fn charm(_a: TokenStream, i: TokenStream) -> TokenStream { i }
/// stub
#[proc_macro_attribute]
pub fn json_value(_a: TokenStream, i: TokenStream) -> TokenStream { i }
/// stub
#[proc_macro_derive(CharmConfig, attributes(config))]
pub fn charm_config(_i: TokenStream) -> TokenStream { TokenStream::new() }
/// stub
#[proc_macro_derive(Databag, attributes(databag))]
pub fn databag(_i: TokenStream) -> TokenStream { TokenStream::new() }
