//! Code generation, one module per macro. Generated code names the runtime by absolute
//! paths (`::charm_runtime::...`) and calls small generic helpers in its `__private` module.

pub mod charm;
pub mod config;
pub mod databag;
pub mod json_value;

use crate::internals::ctxt::Ctxt;
use proc_macro2::TokenStream;
use quote::quote;

/// The shared driver of the derives: parse the input, build the model (collecting errors),
/// then emit either the generated impl, or the errors plus a stand-in impl (for non-generic
/// types) so that uses of the type do not cascade into more errors.
pub fn derive<D>(
    input: TokenStream,
    model: impl FnOnce(&Ctxt, &syn::DeriveInput) -> D,
    generate: impl FnOnce(&D, &syn::DeriveInput, &TokenStream) -> TokenStream,
    stand_in: impl FnOnce(&D, &TokenStream) -> TokenStream,
) -> TokenStream {
    let input: syn::DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.into_compile_error(),
    };
    let cx = Ctxt::new();
    let def = model(&cx, &input);
    let krate = quote!(::charm_runtime);
    match cx.check() {
        Ok(()) => generate(&def, &input, &krate),
        Err(errors) => {
            let errors = errors.into_compile_error();
            let stand_in = input
                .generics
                .params
                .is_empty()
                .then(|| stand_in(&def, &krate));
            quote!(#errors #stand_in)
        }
    }
}
