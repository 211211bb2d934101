//! `#[json_value]`: serde's derives through the runtime's re-export, with serde's own
//! `#[serde(crate = "...")]` pointing at the same re-export, so a charm needs no serde
//! dependency (and a crate that reaches the runtime only through a re-export of its own,
//! with `crate = "..."`, needs neither).

use crate::internals::attr;
use crate::internals::ctxt::Ctxt;
use proc_macro2::{Span, TokenStream};
use quote::quote;

/// Expands `#[json_value]` (or `#[json_value(crate = "path")]`) on a struct or enum.
pub fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let cx = Ctxt::new();
    let args = attr::parse_json_value_args(&cx, args);
    if let Err(e) = cx.check() {
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
    let private = super::private(args.krate.as_ref());
    let serde = quote!(#private::serde);
    // A module path's tokens are identifiers and `::`, so dropping the spaces of their text
    // gives the path as written.
    let serde_path = serde.to_string().replace(' ', "");
    quote! {
        #[derive(#serde::Serialize, #serde::Deserialize)]
        #[serde(crate = #serde_path)]
        #input
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    fn squash(s: &str) -> String {
        s.split_whitespace().collect()
    }

    #[test]
    fn serde_follows_the_runtime() {
        let out = squash(
            &super::expand(
                quote!(),
                quote!(
                    struct S {
                        a: u32,
                    }
                ),
            )
            .to_string(),
        );
        assert!(
            out.starts_with(
                "#[derive(::charm_runtime::__private::serde::Serialize,::charm_runtime::__private::serde::Deserialize)]\
                 #[serde(crate=\"::charm_runtime::__private::serde\")]structS"
            ),
            "{out}"
        );
    }

    #[test]
    fn crate_override_moves_serde_too() {
        let out = squash(
            &super::expand(
                quote!(crate = "my::rt"),
                quote!(
                    enum E {
                        A,
                    }
                ),
            )
            .to_string(),
        );
        assert!(!out.contains("charm_runtime"), "{out}");
        assert!(
            out.contains("#[serde(crate=\"my::rt::__private::serde\")]"),
            "{out}"
        );
        crate::expand::tests::assert_paths_through_private(&out, "my::rt");
    }
}
