//! `#[derive(CharmConfig)]`: `options()` for the metadata and `from_config()` for
//! `config-get`, one typed runtime call per field.

use crate::internals::ast::{option_inner, type_name, ConfigDef, ConfigField};
use crate::internals::check::{prim, Prim};
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::{Lit, LitFloat, LitStr};

/// Expands the derive.
pub fn expand(input: TokenStream) -> TokenStream {
    super::derive(
        input,
        ConfigDef::from_ast,
        |def, _input, krate| generate(def, krate),
        dummy,
    )
}

/// An impl that keeps `config = ThisType` compiling while the errors are fixed.
fn dummy(def: &ConfigDef, krate: &TokenStream) -> TokenStream {
    let ident = &def.ident;
    quote! {
        impl #krate::CharmConfig for #ident {
            fn options() -> #krate::__private::Vec<#krate::metadata::ConfigOption> {
                #krate::__private::Vec::new()
            }
            fn from_config(
                _: &#krate::serde_json::Map<#krate::__private::String, #krate::serde_json::Value>,
            ) -> ::core::result::Result<Self, #krate::ConfigError> {
                ::core::unimplemented!()
            }
        }
    }
}

fn generate(def: &ConfigDef, krate: &TokenStream) -> TokenStream {
    let ident = &def.ident;
    let options = def.fields.iter().map(|f| {
        let ty = &f.ty;
        let name = LitStr::new(&f.name, f.name_span);
        let description = &f.description;
        let default = default_tokens(f, krate);
        quote!(#krate::__private::config_option::<#ty>(#name, #description, #default))
    });
    let reads = def.fields.iter().map(|f| {
        let (field, ty) = (&f.ident, &f.ty);
        let name = LitStr::new(&f.name, f.name_span);
        let default = default_tokens(f, krate);
        quote!(#field: #krate::__private::config_read::<#ty>(values, #name, #default)?)
    });
    let values = if def.fields.is_empty() {
        quote!(_values)
    } else {
        quote!(values)
    };
    quote! {
        #[automatically_derived]
        impl #krate::CharmConfig for #ident {
            fn options() -> #krate::__private::Vec<#krate::metadata::ConfigOption> {
                #krate::__private::Vec::from([#(#options),*])
            }
            fn from_config(
                #values: &#krate::serde_json::Map<#krate::__private::String, #krate::serde_json::Value>,
            ) -> ::core::result::Result<Self, #krate::ConfigError> {
                ::core::result::Result::Ok(Self { #(#reads,)* })
            }
        }
    }
}

/// `Some(default)` for the runtime calls, spanned at the literal so a type mismatch points
/// there. A string becomes a `String`, an integer for a float field a float literal, and a
/// default for an `Option<T>` field `Some(Some(..))`.
fn default_tokens(f: &ConfigField, krate: &TokenStream) -> TokenStream {
    let Some(d) = &f.default else {
        return quote!(::core::option::Option::None);
    };
    let span = Span::call_site().located_at(d.span());
    let inner = option_inner(&f.ty);
    let base = inner.unwrap_or(&f.ty);
    let value = match (type_name(base).as_deref().and_then(prim), &d.lit) {
        (Some(Prim::Str), Lit::Str(_)) => {
            quote_spanned!(span=> #krate::__private::String::from(#d))
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
