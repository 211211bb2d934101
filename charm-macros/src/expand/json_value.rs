//! `#[json_value]`: serde's derives through the runtime's re-export, so charms need no
//! serde dependency of their own.

use proc_macro2::{Span, TokenStream};
use quote::{quote, ToTokens};

/// Expands `#[json_value]` (or `#[json_value(crate = path)]`) on a struct or enum.
pub fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut krate: syn::Path = syn::parse_quote!(::charm_runtime);
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("crate") {
            let value = meta.value()?;
            krate = if value.peek(syn::LitStr) {
                value.parse::<syn::LitStr>()?.parse()?
            } else {
                value.parse()?
            };
            Ok(())
        } else {
            Err(meta.error("`#[json_value]` takes no arguments except `crate = path`"))
        }
    });
    if let Err(e) = syn::parse::Parser::parse2(parser, args) {
        let e = e.into_compile_error();
        return quote!(#e #input);
    }
    match syn::parse2::<syn::Item>(input.clone()) {
        Ok(syn::Item::Struct(_) | syn::Item::Enum(_)) => {}
        _ => {
            let e = syn::Error::new(
                Span::call_site(),
                "`#[json_value]` goes on a struct or an enum",
            )
            .into_compile_error();
            return quote!(#e #input);
        }
    }
    let serde_path = format!("{}::serde", krate.to_token_stream()).replace(' ', "");
    quote! {
        #[derive(#krate::serde::Serialize, #krate::serde::Deserialize)]
        #[serde(crate = #serde_path)]
        #input
    }
}
