//! Reading items into the model: the `#[charm(...)]` impl block (its sibling attributes and
//! the methods with `#[on(...)]`) and the structs of the derives (their fields). `attr`
//! parses each attribute; this module finds them and knows the shape of the items. Nothing
//! is checked beyond that shape: `check` runs on the finished model.

use super::attr;
use super::ctxt::Ctxt;
use super::model::{
    CharmDef, ConfigDef, ConfigField, DatabagDef, DatabagField, HandlerDef, ParamField, ParamsDef,
};
use super::types::option_inner;
use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Token, Type};

/// Reads `#[charm(args)]` and the impl block, stripping from `item` what is not Rust: the
/// sibling attributes, the methods' `#[on(...)]`, and a handler's `async` (an error `check`
/// reports; rustc's own complaints about an async handler would only repeat it).
pub fn charm(cx: &Ctxt, args: TokenStream, item: &mut syn::ItemImpl) -> CharmDef {
    let args = attr::parse_charm_args(cx, args);
    let mut decls = attr::Declarations::default();
    item.attrs.retain(|a| match attr::sibling_of(a) {
        Some(kind) => {
            attr::parse_sibling(cx, kind, a, &mut decls);
            false
        }
        None => true,
    });
    if let Some((path, _)) = &item.trait_ {
        cx.error_spanned_by(
            path,
            "`#[charm(...)]` goes on an inherent impl block (`impl MyCharm { ... }`), not on a trait impl",
        );
    }
    if !item.generics.params.is_empty() {
        cx.error_spanned_by(&item.generics, "a charm type cannot be generic");
    }
    let mut handlers = Vec::new();
    for impl_item in &mut item.items {
        match impl_item {
            syn::ImplItem::Fn(f) => {
                let ons = take_on_attrs(&mut f.attrs);
                if ons.is_empty() {
                    continue;
                }
                let events = ons.iter().flat_map(|a| attr::parse_on(cx, a)).collect();
                handlers.push(handler(&f.sig, events));
                f.sig.asyncness = None;
            }
            syn::ImplItem::Const(c) => misplaced_on(cx, &mut c.attrs),
            syn::ImplItem::Type(t) => misplaced_on(cx, &mut t.attrs),
            syn::ImplItem::Macro(m) => misplaced_on(cx, &mut m.attrs),
            _ => {}
        }
    }
    CharmDef {
        self_ty: (*item.self_ty).clone(),
        args,
        endpoints: decls.endpoints,
        containers: decls.containers,
        resources: decls.resources,
        storage: decls.storage,
        actions: decls.actions,
        handlers,
    }
}

/// A method with `#[on(...)]`, with the spans type errors in its call are reported at.
fn handler(sig: &syn::Signature, events: Vec<super::model::EventSel>) -> HandlerDef {
    let model_span = match sig.inputs.iter().nth(1) {
        Some(syn::FnArg::Typed(arg)) => type_span(&arg.ty),
        _ => sig.ident.span(),
    };
    let params_span = match sig.inputs.iter().nth(2) {
        Some(syn::FnArg::Typed(arg)) => Some(type_span(&arg.ty)),
        _ => None,
    };
    let output_span = match &sig.output {
        syn::ReturnType::Type(_, ty) => type_span(ty),
        syn::ReturnType::Default => sig.ident.span(),
    };
    HandlerDef {
        ident: sig.ident.clone(),
        sig: sig.clone(),
        events,
        model_span,
        params_span,
        output_span,
    }
}

/// Where to point at a type in an error (spans cannot be joined on stable, so one token is
/// chosen): the last path segment (`Result` in `std::result::Result<(), E>`), looking
/// through references.
fn type_span(ty: &Type) -> Span {
    match ty {
        Type::Path(p) => p
            .path
            .segments
            .last()
            .map_or_else(|| ty.span(), |s| s.ident.span()),
        Type::Reference(r) => type_span(&r.elem),
        _ => ty.span(),
    }
}

/// Removes and returns the `#[on(...)]` attributes.
fn take_on_attrs(attrs: &mut Vec<syn::Attribute>) -> Vec<syn::Attribute> {
    let (ons, rest): (Vec<_>, Vec<_>) = std::mem::take(attrs).into_iter().partition(attr::is_on);
    *attrs = rest;
    ons
}

fn misplaced_on(cx: &Ctxt, attrs: &mut Vec<syn::Attribute>) {
    for a in take_on_attrs(attrs) {
        cx.error_spanned_by(&a, "`#[on(...)]` goes on methods");
    }
}

/// The named fields of a plain struct, or an error naming the derive.
fn named_fields<'a>(
    cx: &Ctxt,
    input: &'a syn::DeriveInput,
    derive: &str,
) -> Option<&'a syn::punctuated::Punctuated<syn::Field, Token![,]>> {
    if !input.generics.params.is_empty() {
        cx.error_spanned_by(
            &input.generics,
            format!("`#[derive({derive})]` does not support generic structs"),
        );
    }
    match &input.data {
        syn::Data::Struct(syn::DataStruct {
            fields: syn::Fields::Named(named),
            ..
        }) => Some(&named.named),
        _ => {
            cx.error_spanned_by(
                &input.ident,
                format!("`#[derive({derive})]` needs a struct with named fields"),
            );
            None
        }
    }
}

/// Reads a `#[derive(CharmConfig)]` struct: one option per field, named after the field
/// (`_` → `-`) unless `#[config(name = ...)]` says otherwise, described by its doc comment.
pub fn config(cx: &Ctxt, input: &syn::DeriveInput) -> ConfigDef {
    let krate = attr::parse_struct_attrs(cx, &input.attrs, "config").krate;
    let mut fields = Vec::new();
    for field in named_fields(cx, input, "CharmConfig").into_iter().flatten() {
        let ident = field.ident.clone().expect("named field");
        let attrs = attr::parse_config_field(cx, &field.attrs);
        let (name, name_span) = match &attrs.name {
            Some(lit) => (lit.value(), lit.span()),
            None => (ident.unraw().to_string().replace('_', "-"), ident.span()),
        };
        fields.push(ConfigField {
            ident,
            ty: field.ty.clone(),
            name,
            name_span,
            description: attr::doc_string(&field.attrs),
            default: attrs.default,
        });
    }
    ConfigDef {
        ident: input.ident.clone(),
        krate,
        fields,
    }
}

/// Reads a `#[derive(Databag)]` struct: one key per field, the field's name unless
/// `#[databag(rename = ...)]` says otherwise; raw or JSON as the field (or else the struct)
/// says.
pub fn databag(cx: &Ctxt, input: &syn::DeriveInput) -> DatabagDef {
    let on_struct = attr::parse_struct_attrs(cx, &input.attrs, "databag");
    let mut fields = Vec::new();
    for field in named_fields(cx, input, "Databag").into_iter().flatten() {
        let ident = field.ident.clone().expect("named field");
        let attrs = attr::parse_databag_field(cx, &field.attrs);
        let (key, key_span) = match attrs.rename {
            Some(lit) => (lit.value(), lit.span()),
            None => (ident.unraw().to_string(), ident.span()),
        };
        fields.push(DatabagField {
            ident,
            ty: field.ty.clone(),
            key,
            key_span,
            optional: option_inner(&field.ty).is_some(),
            raw: attrs.raw.unwrap_or(on_struct.raw),
        });
    }
    DatabagDef {
        ident: input.ident.clone(),
        krate: on_struct.krate,
        fields,
    }
}

/// Reads a `#[derive(ActionParams)]` struct: one parameter per field, named after the field
/// (`_` → `-`) unless `#[param(name = ...)]` says otherwise, described by its doc comment.
pub fn params(cx: &Ctxt, input: &syn::DeriveInput) -> ParamsDef {
    let krate = attr::parse_struct_attrs(cx, &input.attrs, "param").krate;
    let mut fields = Vec::new();
    for field in named_fields(cx, input, "ActionParams")
        .into_iter()
        .flatten()
    {
        let ident = field.ident.clone().expect("named field");
        let attrs = attr::parse_param_field(cx, &field.attrs);
        let (name, name_span) = match &attrs.name {
            Some(lit) => (lit.value(), lit.span()),
            None => (ident.unraw().to_string().replace('_', "-"), ident.span()),
        };
        fields.push(ParamField {
            ident,
            ty: field.ty.clone(),
            name,
            name_span,
            description: attr::doc_string(&field.attrs),
            default: attrs.default,
        });
    }
    ParamsDef {
        ident: input.ident.clone(),
        krate,
        fields,
    }
}
