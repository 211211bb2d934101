//! Code generation from the model, one module per macro. Generated code names every
//! runtime item through the runtime's `__private` module ([`private`]) and calls small
//! functions there, so it reads well under `cargo expand` and survives reorganisations of
//! the runtime's public modules.

pub mod charm;
pub mod config;
pub mod databag;
pub mod json_value;
pub mod params;

use crate::internals::ctxt::Ctxt;
use proc_macro2::TokenStream;
use quote::quote;

/// The path of the runtime's support module: `::charm_runtime::__private`, or
/// `<path>::__private` when `crate = "<path>"` says where the runtime is.
pub fn private(krate: Option<&syn::Path>) -> TokenStream {
    match krate {
        Some(path) => quote!(#path::__private),
        None => quote!(::charm_runtime::__private),
    }
}

/// The shared driver of the derives: parse the input, build and check the model
/// (collecting errors), then emit either the generated impl, or the errors plus a stand-in
/// impl (for non-generic types) so that uses of the type do not cascade into more errors.
pub fn derive<D>(
    input: TokenStream,
    model: impl FnOnce(&Ctxt, &syn::DeriveInput) -> D,
    generate: impl FnOnce(&D) -> TokenStream,
    stand_in: impl FnOnce(&D) -> TokenStream,
) -> TokenStream {
    let input: syn::DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.into_compile_error(),
    };
    let cx = Ctxt::new();
    let def = model(&cx, &input);
    match cx.check() {
        Ok(()) => generate(&def),
        Err(errors) => {
            let errors = errors.into_compile_error();
            let stand_in = input.generics.params.is_empty().then(|| stand_in(&def));
            quote!(#errors #stand_in)
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    /// Asserts that `out` (an expansion without whitespace) names the runtime at `krate`
    /// somewhere, and only ever as `<krate>::__private::...`.
    pub fn assert_paths_through_private(out: &str, krate: &str) {
        let needle = format!("{krate}::");
        let uses: Vec<&str> = out.match_indices(&needle).map(|(i, _)| &out[i..]).collect();
        assert!(!uses.is_empty(), "no path starts with {krate} in {out}");
        for rest in uses {
            let after = &rest[needle.len()..];
            assert!(
                after.starts_with("__private::"),
                "a path skips __private: {}",
                &rest[..rest.len().min(80)]
            );
        }
    }
}
