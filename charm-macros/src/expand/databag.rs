//! `#[derive(Databag)]`: one key per field, read and written through the runtime's
//! `Codec` of the field's type, JSON-encoded or raw.

use crate::internals::model::{DatabagDef, DatabagField};
use crate::internals::types::option_inner;
use crate::internals::{check, read};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::LitStr;

/// Expands the derive.
pub fn expand(input: TokenStream) -> TokenStream {
    super::derive(
        input,
        |cx, input| {
            let def = read::databag(cx, input);
            check::databag(cx, &def);
            def
        },
        generate,
        stand_in,
    )
}

/// An impl that keeps uses of the type compiling while the errors are fixed.
fn stand_in(def: &DatabagDef) -> TokenStream {
    let rt = super::private(def.krate.as_ref());
    let ident = &def.ident;
    quote! {
        impl #rt::Databag for #ident {
            const KEYS: &'static [&'static str] = &[];
            fn from_bag(_: &#rt::BagData) -> ::core::result::Result<Self, #rt::FieldError> {
                ::core::unimplemented!()
            }
            fn to_bag(&self) -> ::core::result::Result<#rt::BagData, #rt::FieldError> {
                ::core::unimplemented!()
            }
        }
    }
}

fn generate(def: &DatabagDef) -> TokenStream {
    let rt = super::private(def.krate.as_ref());
    let ident = &def.ident;
    let keys: Vec<LitStr> = def
        .fields
        .iter()
        .map(|f| LitStr::new(&f.key, f.key_span))
        .collect();
    // Each call goes through the field type's codec (JSON or raw), spanned at the type
    // (inside an `Option`, at the inner type), so a type that does not fit its encoding is
    // one error there, naming the fix.
    let codec = |f: &DatabagField| {
        let ty = option_inner(&f.ty).filter(|_| f.optional).unwrap_or(&f.ty);
        let span = Span::call_site().located_at(ty.span());
        let kind = if f.raw { quote!(Raw) } else { quote!(Json) };
        (
            span,
            quote_spanned!(span=> (&#rt::Codec::<#ty, #rt::#kind>::new())),
        )
    };
    let reads = def.fields.iter().zip(&keys).map(|(f, key)| {
        let field = &f.ident;
        let (span, codec) = codec(f);
        let read = Ident::new(if f.optional { "read_optional" } else { "read" }, span);
        let read = quote_spanned!(span=> #codec.#read(bag, #key)?);
        quote!(#field: #read)
    });
    let writes = def.fields.iter().zip(&keys).map(|(f, key)| {
        let field = &f.ident;
        let (span, codec) = codec(f);
        let write = Ident::new(
            if f.optional {
                "write_optional"
            } else {
                "write"
            },
            span,
        );
        quote_spanned!(span=> #codec.#write(&mut bag, #key, &self.#field)?;)
    });
    let required = def
        .fields
        .iter()
        .zip(&keys)
        .filter(|(f, _)| !f.optional)
        .map(|(_, key)| key);
    let codecs = (!def.fields.is_empty())
        .then(|| quote!(use #rt::{FieldCodec as _, JsonMissing as _, RawMissing as _};));
    let (bag, mut_bag) = if def.fields.is_empty() {
        (quote!(_bag), quote!(bag))
    } else {
        (quote!(bag), quote!(mut bag))
    };
    quote! {
        #[automatically_derived]
        impl #rt::Databag for #ident {
            const KEYS: &'static [&'static str] = &[#(#keys),*];
            const REQUIRED: &'static [&'static str] = &[#(#required),*];

            fn from_bag(#bag: &#rt::BagData) -> ::core::result::Result<Self, #rt::FieldError> {
                #codecs
                ::core::result::Result::Ok(Self { #(#reads,)* })
            }

            fn to_bag(&self) -> ::core::result::Result<#rt::BagData, #rt::FieldError> {
                #codecs
                let #mut_bag = #rt::BagData::new();
                #(#writes)*
                ::core::result::Result::Ok(bag)
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
    fn one_runtime_call_per_key() {
        let out = squash(
            &super::expand(quote! {
                struct Peer {
                    #[databag(rename = "leader-address")]
                    leader: Option<String>,
                    count: u32,
                    #[databag(raw)]
                    host: String,
                }
            })
            .to_string(),
        );
        for expected in [
            "constKEYS:&'static[&'staticstr]=&[\"leader-address\",\"count\",\"host\"];",
            // The fields that are not an `Option`.
            "constREQUIRED:&'static[&'staticstr]=&[\"count\",\"host\"];",
            "fnfrom_bag(bag:&::charm_runtime::__private::BagData)",
            "use::charm_runtime::__private::{FieldCodecas_,JsonMissingas_,RawMissingas_};",
            "leader:(&::charm_runtime::__private::Codec::<String,::charm_runtime::__private::Json>::new()).read_optional(bag,\"leader-address\")?",
            "count:(&::charm_runtime::__private::Codec::<u32,::charm_runtime::__private::Json>::new()).read(bag,\"count\")?",
            "(&::charm_runtime::__private::Codec::<u32,::charm_runtime::__private::Json>::new()).write(&mutbag,\"count\",&self.count)?;",
            "host:(&::charm_runtime::__private::Codec::<String,::charm_runtime::__private::Raw>::new()).read(bag,\"host\")?",
        ] {
            assert!(out.contains(expected), "missing {expected} in {out}");
        }
        assert_paths_through_private(&out, "::charm_runtime");
    }

    #[test]
    fn raw_on_the_struct_is_every_field_s_default() {
        let out = squash(
            &super::expand(quote! {
                #[databag(raw)]
                struct Db {
                    endpoints: Option<String>,
                    #[databag(json)]
                    extra: Vec<u32>,
                }
            })
            .to_string(),
        );
        assert!(
            out.contains(
                "Codec::<String,::charm_runtime::__private::Raw>::new()).read_optional(bag,\"endpoints\")"
            ),
            "{out}"
        );
        assert!(
            out.contains(
                "Codec::<Vec<u32>,::charm_runtime::__private::Json>::new()).write(&mutbag,\"extra\""
            ),
            "{out}"
        );
    }

    #[test]
    fn crate_override_reaches_impl_and_stand_in() {
        let ok = quote! {
            #[databag(crate = my::rt)]
            struct Peer { count: u32 }
        };
        let broken = quote! {
            #[databag(crate = my::rt)]
            struct Peer { a: u32, #[databag(rename = "a")] b: u32 }
        };
        for input in [ok, broken] {
            let out = squash(&super::expand(input).to_string());
            assert!(!out.contains("charm_runtime"), "{out}");
            assert_paths_through_private(&out, "my::rt");
        }
    }
}
