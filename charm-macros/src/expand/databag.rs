//! `#[derive(Databag)]`: one JSON-encoded key per field, through the runtime's
//! `read_field` / `read_optional_field` / `write_field` / `write_optional_field`.

use crate::internals::ast::DatabagDef;
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::LitStr;

/// Expands the derive.
pub fn expand(input: TokenStream) -> TokenStream {
    super::derive(input, DatabagDef::from_ast, generate, dummy)
}

/// An impl that keeps uses of the type compiling while the errors are fixed.
fn dummy(def: &DatabagDef, krate: &TokenStream) -> TokenStream {
    let ident = &def.ident;
    quote! {
        impl #krate::Databag for #ident {
            const KEYS: &'static [&'static str] = &[];
            fn from_bag(
                _: &#krate::hooktools::cmd::BagData,
            ) -> ::core::result::Result<Self, #krate::databag::FieldError> {
                ::core::unimplemented!()
            }
            fn to_bag(&self) -> ::core::result::Result<#krate::hooktools::cmd::BagData, #krate::databag::FieldError> {
                ::core::unimplemented!()
            }
        }
    }
}

fn generate(def: &DatabagDef, input: &syn::DeriveInput, krate: &TokenStream) -> TokenStream {
    let ident = &def.ident;
    let tys: Vec<&syn::Type> = match &input.data {
        syn::Data::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
        _ => Vec::new(),
    };
    let keys: Vec<LitStr> = def
        .fields
        .iter()
        .map(|f| LitStr::new(&f.key, f.key_span))
        .collect();
    let reads = def
        .fields
        .iter()
        .zip(&keys)
        .zip(&tys)
        .map(|((f, key), ty)| {
            let field = &f.ident;
            let span = Span::call_site().located_at(ty.span());
            let read = if f.optional {
                quote_spanned!(span=> #krate::__private::read_optional_field(bag, #key)?)
            } else {
                quote_spanned!(span=> #krate::__private::read_field(bag, #key)?)
            };
            quote!(#field: #read)
        });
    let writes = def.fields.iter().zip(&keys).zip(&tys).map(|((f, key), ty)| {
        let field = &f.ident;
        let span = Span::call_site().located_at(ty.span());
        if f.optional {
            quote_spanned!(span=> #krate::__private::write_optional_field(&mut bag, #key, &self.#field)?;)
        } else {
            quote_spanned!(span=> #krate::__private::write_field(&mut bag, #key, &self.#field)?;)
        }
    });
    let (bag, mut_bag) = if def.fields.is_empty() {
        (quote!(_bag), quote!(bag))
    } else {
        (quote!(bag), quote!(mut bag))
    };
    quote! {
        #[automatically_derived]
        impl #krate::Databag for #ident {
            const KEYS: &'static [&'static str] = &[#(#keys),*];

            fn from_bag(
                #bag: &#krate::hooktools::cmd::BagData,
            ) -> ::core::result::Result<Self, #krate::databag::FieldError> {
                ::core::result::Result::Ok(Self { #(#reads,)* })
            }

            fn to_bag(
                &self,
            ) -> ::core::result::Result<#krate::hooktools::cmd::BagData, #krate::databag::FieldError> {
                let #mut_bag = #krate::hooktools::cmd::BagData::new();
                #(#writes)*
                ::core::result::Result::Ok(bag)
            }
        }
    }
}
