//! `#[derive(ActionParams)]`: `params()` for the action's metadata and `from_params()` for
//! `action-get`, one typed runtime call per field (as `#[derive(CharmConfig)]` does).

use super::config::default_tokens;
use crate::internals::model::ParamsDef;
use crate::internals::{check, read};
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::LitStr;

/// Expands the derive.
pub fn expand(input: TokenStream) -> TokenStream {
    super::derive(
        input,
        |cx, input| {
            let def = read::params(cx, input);
            check::params(cx, &def);
            def
        },
        generate,
        stand_in,
    )
}

/// An impl that keeps `params = ThisType` compiling while the errors are fixed.
fn stand_in(def: &ParamsDef) -> TokenStream {
    let rt = super::private(def.krate.as_ref());
    let ident = &def.ident;
    quote! {
        impl #rt::ActionParams for #ident {
            fn params() -> #rt::Vec<#rt::ActionParam> {
                #rt::Vec::new()
            }
            fn from_params(_: &#rt::ConfigValues) -> ::core::result::Result<Self, #rt::ParamError> {
                ::core::unimplemented!()
            }
        }
    }
}

fn generate(def: &ParamsDef) -> TokenStream {
    let rt = super::private(def.krate.as_ref());
    let ident = &def.ident;
    // Each call is spanned at the field's type, so a type that is not a parameter type is
    // reported there.
    let params = def.fields.iter().map(|f| {
        let ty = &f.ty;
        let name = LitStr::new(&f.name, f.name_span);
        let description = &f.description;
        let default = default_tokens(&f.ty, f.default.as_ref(), &rt);
        let span = Span::call_site().located_at(ty.span());
        quote_spanned!(span=> #rt::action_param::<#ty>(#name, #description, #default))
    });
    let reads = def.fields.iter().map(|f| {
        let (field, ty) = (&f.ident, &f.ty);
        let name = LitStr::new(&f.name, f.name_span);
        let default = default_tokens(&f.ty, f.default.as_ref(), &rt);
        let span = Span::call_site().located_at(ty.span());
        let read = quote_spanned!(span=> #rt::action_read::<#ty>(values, #name, #default)?);
        quote!(#field: #read)
    });
    let values = if def.fields.is_empty() {
        quote!(_values)
    } else {
        quote!(values)
    };
    quote! {
        #[automatically_derived]
        impl #rt::ActionParams for #ident {
            fn params() -> #rt::Vec<#rt::ActionParam> {
                #rt::Vec::from([#(#params),*])
            }
            fn from_params(
                #values: &#rt::ConfigValues,
            ) -> ::core::result::Result<Self, #rt::ParamError> {
                ::core::result::Result::Ok(Self { #(#reads,)* })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::expand::tests::assert_paths_through_private;
    use quote::quote;

    fn squash(s: &str) -> String {
        s.split_whitespace().collect()
    }

    #[test]
    fn one_runtime_call_per_parameter() {
        let out = squash(
            &super::expand(quote! {
                struct GetDbInfo {
                    /// Show the password.
                    #[param(default = false)]
                    show_password: bool,
                    target: Option<String>,
                }
            })
            .to_string(),
        );
        for expected in [
            "impl::charm_runtime::__private::ActionParamsforGetDbInfo",
            "::charm_runtime::__private::action_param::<bool>(\"show-password\",\"Showthepassword.\",::core::option::Option::Some(false))",
            "show_password:::charm_runtime::__private::action_read::<bool>(values,\"show-password\",::core::option::Option::Some(false))?",
            "target:::charm_runtime::__private::action_read::<Option<String>>(values,\"target\",::core::option::Option::None)?",
        ] {
            assert!(out.contains(expected), "missing {expected} in {out}");
        }
        assert_paths_through_private(&out, "::charm_runtime");
    }

    #[test]
    fn errors_keep_a_stand_in() {
        let out = squash(
            &super::expand(quote! {
                #[param(crate = "my::rt")]
                struct P { #[param(default = "x")] flag: bool, Bad_Name: u32 }
            })
            .to_string(),
        );
        assert!(out.contains("compile_error!"), "{out}");
        assert!(out.contains("invalidparametername`Bad-Name`"), "{out}");
        assert!(!out.contains("charm_runtime"), "{out}");
        assert_paths_through_private(&out, "my::rt");
    }
}
