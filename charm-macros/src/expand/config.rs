//! `#[derive(CharmConfig)]`: `options()` for the metadata and `from_config()` for
//! `config-get`, one typed runtime call per field.

use crate::internals::model::{ConfigDef, DefaultLit};
use crate::internals::types::{option_inner, prim, type_name, Prim};
use crate::internals::{check, read};
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::{Lit, LitFloat, LitStr, Type};

/// Expands the derive.
pub fn expand(input: TokenStream) -> TokenStream {
    super::derive(
        input,
        |cx, input| {
            let def = read::config(cx, input);
            check::config(cx, &def);
            def
        },
        generate,
        stand_in,
    )
}

/// An impl that keeps `config = ThisType` compiling while the errors are fixed.
fn stand_in(def: &ConfigDef) -> TokenStream {
    let rt = super::private(def.krate.as_ref());
    let ident = &def.ident;
    quote! {
        impl #rt::CharmConfig for #ident {
            fn options() -> #rt::Vec<#rt::ConfigOption> {
                #rt::Vec::new()
            }
            fn from_config(_: &#rt::ConfigValues) -> ::core::result::Result<Self, #rt::ConfigError> {
                ::core::unimplemented!()
            }
        }
    }
}

fn generate(def: &ConfigDef) -> TokenStream {
    let rt = super::private(def.krate.as_ref());
    let ident = &def.ident;
    let options = def.fields.iter().map(|f| {
        let ty = &f.ty;
        let name = LitStr::new(&f.name, f.name_span);
        let description = &f.description;
        let default = default_tokens(&f.ty, f.default.as_ref(), &rt);
        quote!(#rt::config_option::<#ty>(#name, #description, #default))
    });
    let reads = def.fields.iter().map(|f| {
        let (field, ty) = (&f.ident, &f.ty);
        let name = LitStr::new(&f.name, f.name_span);
        let default = default_tokens(&f.ty, f.default.as_ref(), &rt);
        quote!(#field: #rt::config_read::<#ty>(values, #name, #default)?)
    });
    let values = if def.fields.is_empty() {
        quote!(_values)
    } else {
        quote!(values)
    };
    quote! {
        #[automatically_derived]
        impl #rt::CharmConfig for #ident {
            fn options() -> #rt::Vec<#rt::ConfigOption> {
                #rt::Vec::from([#(#options),*])
            }
            fn from_config(
                #values: &#rt::ConfigValues,
            ) -> ::core::result::Result<Self, #rt::ConfigError> {
                ::core::result::Result::Ok(Self { #(#reads,)* })
            }
        }
    }
}

/// `Some(default)` for the runtime calls (of config options and action parameters), spanned
/// at the literal so a type mismatch points there. A string becomes a `String`, an integer
/// for a float field a float literal, and a default for an `Option<T>` field `Some(Some(..))`.
pub fn default_tokens(ty: &Type, default: Option<&DefaultLit>, rt: &TokenStream) -> TokenStream {
    let Some(d) = default else {
        return quote!(::core::option::Option::None);
    };
    let span = Span::call_site().located_at(d.span());
    let inner = option_inner(ty);
    let base = inner.unwrap_or(ty);
    let value = match (type_name(base).as_deref().and_then(prim), &d.lit) {
        (Some(Prim::Str), Lit::Str(_)) => {
            quote_spanned!(span=> #rt::String::from(#d))
        }
        (Some(Prim::Float), Lit::Int(i)) => {
            let neg = &d.neg;
            let lit = LitFloat::new(&format!("{}.0", i.base10_digits()), i.span());
            quote!(#neg #lit)
        }
        _ => quote!(#d),
    };
    let value = match inner {
        Some(_) => quote_spanned!(span=> ::core::option::Option::Some(#value)),
        None => value,
    };
    quote_spanned!(span=> ::core::option::Option::Some(#value))
}

#[cfg(test)]
mod tests {
    use crate::expand::tests::assert_paths_through_private;
    use quote::quote;

    fn squash(s: &str) -> String {
        s.split_whitespace().collect()
    }

    #[test]
    fn one_runtime_call_per_option() {
        let out = squash(
            &super::expand(quote! {
                struct Config {
                    /// The port.
                    #[config(default = 8000)]
                    server_port: i64,
                    name: Option<String>,
                }
            })
            .to_string(),
        );
        for expected in [
            "impl::charm_runtime::__private::CharmConfigforConfig",
            "::charm_runtime::__private::config_option::<i64>(\"server-port\",\"Theport.\",::core::option::Option::Some(8000))",
            "server_port:::charm_runtime::__private::config_read::<i64>(values,\"server-port\",::core::option::Option::Some(8000))?",
            "values:&::charm_runtime::__private::ConfigValues",
        ] {
            assert!(out.contains(expected), "missing {expected} in {out}");
        }
        assert_paths_through_private(&out, "::charm_runtime");
    }

    #[test]
    fn crate_override_reaches_impl_and_stand_in() {
        let ok = quote! {
            #[config(crate = "my::rt")]
            struct Config { #[config(default = true)] debug: bool }
        };
        let broken = quote! {
            #[config(crate = "my::rt")]
            struct Config { debug: bool }
        };
        for input in [ok, broken] {
            let out = squash(&super::expand(input).to_string());
            assert!(!out.contains("charm_runtime"), "{out}");
            assert_paths_through_private(&out, "my::rt");
        }
    }
}
