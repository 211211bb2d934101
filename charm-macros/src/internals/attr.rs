//! Attribute parsing into the model, by hand with `parse_nested_meta` (serde_derive
//! style). Every parser reports into the [`Ctxt`] and carries on where it can, so one
//! compile shows every mistake: a duplicate key is recorded and parsing continues; an
//! unknown key stops that attribute (its value's syntax is unknown), with a "did you mean"
//! when a known key is close. Only syntax is checked here; the rules that need the whole
//! item are `check`'s.

use super::ctxt::Ctxt;
use super::event::{EventKind, Target, EVENT_LIST};
use super::model::{
    ActionDef, CharmArgs, ContainerDef, DefaultLit, EndpointDef, EventSel, JsonValueArgs, MountDef,
    ResourceDef, Role, StorageDef,
};
use super::names::{hint, ops_event_hint};
use proc_macro2::TokenStream;
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Attribute, Ident, LitBool, LitInt, LitStr, Path, Token, Type};

/// The keys of `#[charm(...)]`.
pub const CHARM_KEYS: &[&str] = &[
    "name",
    "title",
    "summary",
    "description",
    "assumes",
    "base",
    "platforms",
    "links",
    "config",
    "crate_dir",
    "binary",
    "crate",
];
const LINK_KEYS: &[&str] = &["contact", "documentation", "issues", "source", "website"];
const PEER_KEYS: &[&str] = &["interface", "optional", "scope"];
const ENDPOINT_KEYS: &[&str] = &["interface", "limit", "optional", "scope"];
const CONTAINER_KEYS: &[&str] = &["resource", "upstream_source", "description", "mounts"];
const MOUNT_KEYS: &[&str] = &["storage", "location"];
const RESOURCE_KEYS: &[&str] = &["kind", "filename", "description", "upstream_source"];
const STORAGE_KEYS: &[&str] = &["kind", "location", "description"];
const ACTION_KEYS: &[&str] = &["description", "params", "additional_properties"];
const CONFIG_KEYS: &[&str] = &["name", "default"];
const PARAM_KEYS: &[&str] = &["name", "default"];
const DATABAG_KEYS: &[&str] = &["rename", "raw", "json"];

/// The attributes that declare metadata next to `#[charm(...)]` on the impl block.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Sibling {
    /// `#[peer]`, `#[requires]`, `#[provides]`
    Endpoint(Role),
    /// `#[container]`
    Container,
    /// `#[resource]`
    Resource,
    /// `#[storage]`
    Storage,
    /// `#[action]`
    Action,
}

/// Every sibling attribute, by name.
pub const SIBLINGS: &[(&str, Sibling)] = &[
    ("peer", Sibling::Endpoint(Role::Peer)),
    ("requires", Sibling::Endpoint(Role::Requires)),
    ("provides", Sibling::Endpoint(Role::Provides)),
    ("container", Sibling::Container),
    ("resource", Sibling::Resource),
    ("storage", Sibling::Storage),
    ("action", Sibling::Action),
];

/// The last segment of an attribute's path (`charm_runtime::peer` → `peer`).
pub fn attr_name(attr: &Attribute) -> Option<String> {
    attr.path().segments.last().map(|s| s.ident.to_string())
}

/// Which sibling attribute this is, if any.
pub fn sibling_of(attr: &Attribute) -> Option<Sibling> {
    let name = attr_name(attr)?;
    SIBLINGS.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// Whether this is an `#[on(...)]` attribute.
pub fn is_on(attr: &Attribute) -> bool {
    attr_name(attr).as_deref() == Some("on")
}

fn key_of(meta: &ParseNestedMeta) -> String {
    meta.path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}

/// Records an unknown key (with a suggestion) and skips its value, so parsing goes on with
/// the next key. `place` is where it was written, e.g. `` `#[charm(...)]` ``.
fn unknown_key(cx: &Ctxt, meta: &ParseNestedMeta, place: &str, known: &[&str]) -> syn::Result<()> {
    let key = key_of(meta);
    let hint = hint(&key, known, || {
        format!("expected one of: {}", known.join(", "))
    });
    cx.syn_error(meta.error(format!("unknown key `{key}` in {place}; {hint}")));
    if meta.input.peek(Token![=]) {
        meta.input.parse::<Token![=]>()?;
        while !meta.input.is_empty() && !meta.input.peek(Token![,]) {
            meta.input.parse::<proc_macro2::TokenTree>()?;
        }
    } else if meta.input.peek(syn::token::Paren) {
        meta.input.parse::<proc_macro2::Group>()?;
    }
    Ok(())
}

/// Stores a key's value, or records a duplicate (and keeps the first).
fn set<T>(cx: &Ctxt, meta: &ParseNestedMeta, slot: &mut Option<T>, value: T) {
    if slot.is_some() {
        cx.syn_error(meta.error(format!("duplicate key `{}`", key_of(meta))));
    } else {
        *slot = Some(value);
    }
}

/// The stream after `key =`, with a message showing the expected form when `=` is missing.
fn value<'a>(meta: &ParseNestedMeta<'a>, example: &str) -> syn::Result<ParseStream<'a>> {
    if meta.input.peek(Token![=]) {
        meta.value()
    } else {
        Err(meta.error(format!("expected `{} = {example}`", key_of(meta))))
    }
}

fn str_value(meta: &ParseNestedMeta) -> syn::Result<LitStr> {
    let input = value(meta, "\"...\"")?;
    input.parse::<LitStr>().map_err(|e| {
        syn::Error::new(
            e.span(),
            format!("`{}` takes a string literal", key_of(meta)),
        )
    })
}

fn bool_value(meta: &ParseNestedMeta) -> syn::Result<LitBool> {
    let input = value(meta, "true")?;
    input.parse::<LitBool>().map_err(|e| {
        syn::Error::new(
            e.span(),
            format!("`{}` takes `true` or `false`", key_of(meta)),
        )
    })
}

fn int_value(meta: &ParseNestedMeta) -> syn::Result<LitInt> {
    let input = value(meta, "1")?;
    let lit = input.parse::<LitInt>().map_err(|e| {
        syn::Error::new(
            e.span(),
            format!("`{}` takes an integer literal", key_of(meta)),
        )
    })?;
    lit.base10_parse::<u32>().map_err(|_| {
        syn::Error::new(lit.span(), format!("`{}` must fit in a u32", key_of(meta)))
    })?;
    Ok(lit)
}

/// `key("a", "b", ...)`.
fn str_list(meta: &ParseNestedMeta) -> syn::Result<Vec<LitStr>> {
    if !meta.input.peek(syn::token::Paren) {
        let key = key_of(meta);
        return Err(meta.error(format!("expected a list: `{key}(\"...\", ...)`")));
    }
    let content;
    syn::parenthesized!(content in meta.input);
    let list = Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?;
    Ok(list.into_iter().collect())
}

/// `crate = "path"` (serde's form) or `crate = path`: where the runtime is. A value that is
/// not a module path is an error at the value.
fn crate_value(meta: &ParseNestedMeta) -> syn::Result<Path> {
    let input = value(meta, "\"my_crate::charm_runtime\"")?;
    let expected = "`crate` takes the module path the runtime is reached by, e.g. \
                    `crate = \"my_crate::charm_runtime\"`";
    if input.peek(LitStr) {
        let lit: LitStr = input.parse()?;
        return lit.parse_with(Path::parse_mod_style).map_err(|_| {
            let found = match lit.value() {
                v if v.trim().is_empty() => "not an empty string".to_string(),
                v => format!("`{v}` is not a module path"),
            };
            syn::Error::new(lit.span(), format!("{expected}; {found}"))
        });
    }
    input
        .call(Path::parse_mod_style)
        .map_err(|e| syn::Error::new(e.span(), expected))
}

/// A literal default, optionally negated.
pub fn parse_default(input: ParseStream) -> syn::Result<DefaultLit> {
    let neg: Option<Token![-]> = input.parse()?;
    let lit = input.parse().map_err(|e| {
        syn::Error::new(
            e.span(),
            "expected a literal default: a string, integer, float or `true`/`false`",
        )
    })?;
    Ok(DefaultLit { neg, lit })
}

/// Parses the arguments of `#[charm(...)]`.
pub fn parse_charm_args(cx: &Ctxt, args: TokenStream) -> CharmArgs {
    let mut a = CharmArgs::default();
    let parser = syn::meta::parser(|meta| {
        match key_of(&meta).as_str() {
            "name" => set(cx, &meta, &mut a.name, str_value(&meta)?),
            "title" => set(cx, &meta, &mut a.title, str_value(&meta)?),
            "summary" => set(cx, &meta, &mut a.summary, str_value(&meta)?),
            "description" => set(cx, &meta, &mut a.description, str_value(&meta)?),
            "assumes" => set(cx, &meta, &mut a.assumes, str_list(&meta)?),
            "base" => set(cx, &meta, &mut a.base, str_value(&meta)?),
            "platforms" => set(cx, &meta, &mut a.platforms, str_list(&meta)?),
            "crate_dir" => set(cx, &meta, &mut a.crate_dir, str_value(&meta)?),
            "binary" => set(cx, &meta, &mut a.binary, str_value(&meta)?),
            "config" => {
                let ty: Type = value(&meta, "MyConfig")?.parse()?;
                set(cx, &meta, &mut a.config, ty)
            }
            "crate" => set(cx, &meta, &mut a.krate, crate_value(&meta)?),
            "links" => {
                if !meta.input.peek(syn::token::Paren) {
                    return Err(meta.error("expected `links(documentation = \"...\", ...)`"));
                }
                meta.parse_nested_meta(|link| {
                    let links = &mut a.links;
                    let slot = match key_of(&link).as_str() {
                        "contact" => &mut links.contact,
                        "documentation" => &mut links.documentation,
                        "issues" => &mut links.issues,
                        "source" => &mut links.source,
                        "website" => &mut links.website,
                        _ => return unknown_key(cx, &link, "`links(...)`", LINK_KEYS),
                    };
                    let v = str_value(&link)?;
                    set(cx, &link, slot, v);
                    Ok(())
                })?;
            }
            _ => {
                a.unknown_keys = true;
                unknown_key(cx, &meta, "`#[charm(...)]`", CHARM_KEYS)?;
            }
        }
        Ok(())
    });
    if let Err(e) = parser.parse2(args) {
        cx.syn_error(e);
    }
    a
}

/// Splits `#[attr("name", rest...)]` into the name and the rest.
fn name_and_rest(
    attr: &Attribute,
    what: &str,
    example: &str,
) -> syn::Result<(LitStr, TokenStream)> {
    let syn::Meta::List(list) = &attr.meta else {
        return Err(syn::Error::new_spanned(
            attr,
            format!("expected the {what} name first: `{example}`"),
        ));
    };
    let parse = |input: ParseStream| {
        let name: LitStr = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                format!("expected the {what} name as a string literal first: `{example}`"),
            )
        })?;
        if !input.is_empty() {
            input.parse::<Token![,]>()?;
        }
        let rest: TokenStream = input.parse()?;
        Ok((name, rest))
    };
    if list.tokens.is_empty() {
        return Err(syn::Error::new_spanned(
            attr,
            format!("expected the {what} name first: `{example}`"),
        ));
    }
    parse.parse2(list.tokens.clone())
}

/// Declarations collected from the sibling attributes.
#[derive(Default)]
pub struct Declarations {
    /// Endpoints, in order.
    pub endpoints: Vec<EndpointDef>,
    /// Containers.
    pub containers: Vec<ContainerDef>,
    /// Resources.
    pub resources: Vec<ResourceDef>,
    /// Storage.
    pub storage: Vec<StorageDef>,
    /// Actions.
    pub actions: Vec<ActionDef>,
}

/// Parses one sibling attribute into `decls`.
pub fn parse_sibling(cx: &Ctxt, kind: Sibling, attr: &Attribute, decls: &mut Declarations) {
    let result = match kind {
        Sibling::Endpoint(role) => parse_endpoint(cx, role, attr).map(|e| decls.endpoints.push(e)),
        Sibling::Container => parse_container(cx, attr).map(|c| decls.containers.push(c)),
        Sibling::Resource => parse_resource(cx, attr).map(|r| decls.resources.push(r)),
        Sibling::Storage => parse_storage(cx, attr).map(|s| decls.storage.push(s)),
        Sibling::Action => parse_action(cx, attr).map(|a| decls.actions.push(a)),
    };
    if let Err(e) = result {
        cx.syn_error(e);
    }
}

fn parse_endpoint(cx: &Ctxt, role: Role, attr: &Attribute) -> syn::Result<EndpointDef> {
    let which = role.attr();
    let example = format!("#[{which}(\"name\", interface = \"...\")]");
    let (name, rest) = name_and_rest(attr, "endpoint", &example)?;
    let mut e = EndpointDef {
        role,
        name,
        interface: None,
        limit: None,
        optional: None,
        scope: None,
    };
    let parser = syn::meta::parser(|meta| {
        match key_of(&meta).as_str() {
            "interface" => set(cx, &meta, &mut e.interface, str_value(&meta)?),
            "limit" => {
                let limit = int_value(&meta)?;
                if role == Role::Peer {
                    cx.syn_error(meta.error(
                        "`limit` is not allowed on a peer endpoint: every unit of the \
                         application is in the one peer relation",
                    ));
                } else {
                    set(cx, &meta, &mut e.limit, limit);
                }
            }
            "optional" => set(cx, &meta, &mut e.optional, bool_value(&meta)?),
            "scope" => {
                let lit = str_value(&meta)?;
                let container = match lit.value().as_str() {
                    "global" => false,
                    "container" => true,
                    _ => {
                        return Err(syn::Error::new(
                            lit.span(),
                            "`scope` is `\"global\"` or `\"container\"`",
                        ))
                    }
                };
                set(cx, &meta, &mut e.scope, (container, lit));
            }
            _ => {
                let keys = if role == Role::Peer {
                    PEER_KEYS
                } else {
                    ENDPOINT_KEYS
                };
                unknown_key(cx, &meta, &format!("`#[{which}(...)]`"), keys)?;
            }
        }
        Ok(())
    });
    parser.parse2(rest)?;
    Ok(e)
}

fn parse_container(cx: &Ctxt, attr: &Attribute) -> syn::Result<ContainerDef> {
    let example = "#[container(\"name\", upstream_source = \"image:tag\")]";
    let (name, rest) = name_and_rest(attr, "container", example)?;
    let mut c = ContainerDef {
        name,
        resource: None,
        upstream_source: None,
        description: None,
        mounts: Vec::new(),
    };
    let parser = syn::meta::parser(|meta| {
        match key_of(&meta).as_str() {
            "resource" => set(cx, &meta, &mut c.resource, str_value(&meta)?),
            "upstream_source" => set(cx, &meta, &mut c.upstream_source, str_value(&meta)?),
            "description" => set(cx, &meta, &mut c.description, str_value(&meta)?),
            "mounts" => c.mounts.push(parse_mount(cx, &meta)?),
            _ => unknown_key(cx, &meta, "`#[container(...)]`", CONTAINER_KEYS)?,
        }
        Ok(())
    });
    parser.parse2(rest)?;
    Ok(c)
}

/// `mounts(storage = "data", location = "/var/lib/app")`: one mount per `mounts(...)`.
fn parse_mount(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<MountDef> {
    let example = "`mounts(storage = \"data\", location = \"/var/lib/app\")`";
    if !meta.input.peek(syn::token::Paren) {
        return Err(meta.error(format!("expected {example}")));
    }
    let mut m = MountDef {
        span: meta
            .path
            .get_ident()
            .map_or_else(proc_macro2::Span::call_site, Ident::span),
        storage: None,
        location: None,
    };
    meta.parse_nested_meta(|inner| {
        match key_of(&inner).as_str() {
            "storage" => set(cx, &inner, &mut m.storage, str_value(&inner)?),
            "location" => set(cx, &inner, &mut m.location, str_value(&inner)?),
            _ => unknown_key(cx, &inner, "`mounts(...)`", MOUNT_KEYS)?,
        }
        Ok(())
    })?;
    Ok(m)
}

fn parse_resource(cx: &Ctxt, attr: &Attribute) -> syn::Result<ResourceDef> {
    let example = "#[resource(\"name\", kind = \"file\", filename = \"...\")]";
    let (name, rest) = name_and_rest(attr, "resource", example)?;
    let mut r = ResourceDef {
        name,
        oci_image: false,
        filename: None,
        description: None,
        upstream_source: None,
    };
    let mut kind: Option<LitStr> = None;
    let parser = syn::meta::parser(|meta| {
        match key_of(&meta).as_str() {
            "kind" => set(cx, &meta, &mut kind, str_value(&meta)?),
            "filename" => set(cx, &meta, &mut r.filename, str_value(&meta)?),
            "description" => set(cx, &meta, &mut r.description, str_value(&meta)?),
            "upstream_source" => set(cx, &meta, &mut r.upstream_source, str_value(&meta)?),
            _ => unknown_key(cx, &meta, "`#[resource(...)]`", RESOURCE_KEYS)?,
        }
        Ok(())
    });
    parser.parse2(rest)?;
    if let Some(kind) = kind {
        match kind.value().as_str() {
            "file" => {}
            "oci-image" => r.oci_image = true,
            _ => cx.error_spanned_by(&kind, "`kind` is `\"file\"` or `\"oci-image\"`"),
        }
    }
    if r.oci_image {
        if let Some(f) = &r.filename {
            cx.error_spanned_by(f, "`filename` is only for `kind = \"file\"` resources");
        }
    } else if let Some(u) = &r.upstream_source {
        cx.error_spanned_by(
            u,
            "`upstream_source` is only for `kind = \"oci-image\"` resources",
        );
    }
    Ok(r)
}

fn parse_storage(cx: &Ctxt, attr: &Attribute) -> syn::Result<StorageDef> {
    let example = "#[storage(\"name\", kind = \"filesystem\", location = \"/path\")]";
    let (name, rest) = name_and_rest(attr, "storage", example)?;
    let mut s = StorageDef {
        name,
        block: false,
        location: None,
        description: None,
    };
    let mut kind: Option<LitStr> = None;
    let parser = syn::meta::parser(|meta| {
        match key_of(&meta).as_str() {
            "kind" => set(cx, &meta, &mut kind, str_value(&meta)?),
            "location" => set(cx, &meta, &mut s.location, str_value(&meta)?),
            "description" => set(cx, &meta, &mut s.description, str_value(&meta)?),
            _ => unknown_key(cx, &meta, "`#[storage(...)]`", STORAGE_KEYS)?,
        }
        Ok(())
    });
    parser.parse2(rest)?;
    if let Some(kind) = kind {
        match kind.value().as_str() {
            "filesystem" => {}
            "block" => s.block = true,
            _ => cx.error_spanned_by(&kind, "`kind` is `\"filesystem\"` or `\"block\"`"),
        }
    }
    Ok(s)
}

fn parse_action(cx: &Ctxt, attr: &Attribute) -> syn::Result<ActionDef> {
    let example = "#[action(\"name\", description = \"...\", params = MyParams)]";
    let (name, rest) = name_and_rest(attr, "action", example)?;
    let mut a = ActionDef {
        name,
        description: None,
        params: None,
        additional_properties: None,
    };
    let parser = syn::meta::parser(|meta| {
        match key_of(&meta).as_str() {
            "description" => set(cx, &meta, &mut a.description, str_value(&meta)?),
            "additional_properties" => {
                set(cx, &meta, &mut a.additional_properties, bool_value(&meta)?)
            }
            "params" => {
                let ty: Type = value(&meta, "MyParams")?.parse()?;
                set(cx, &meta, &mut a.params, ty)
            }
            "param" => {
                cx.syn_error(meta.error(
                    "parameters are declared once, in a struct: `#[derive(ActionParams)] struct \
                     MyParams { ... }` and `params = MyParams` here",
                ));
                if meta.input.peek(syn::token::Paren) {
                    meta.input.parse::<proc_macro2::Group>()?;
                }
            }
            _ => unknown_key(cx, &meta, "`#[action(...)]`", ACTION_KEYS)?,
        }
        Ok(())
    });
    parser.parse2(rest)?;
    Ok(a)
}

/// Parses `#[on(event, event("arg"), ...)]`. Unknown events are recorded and skipped.
pub fn parse_on(cx: &Ctxt, attr: &Attribute) -> Vec<EventSel> {
    let mut events = Vec::new();
    let syn::Meta::List(list) = &attr.meta else {
        cx.error_spanned_by(attr, "expected the events: `#[on(start, config_changed)]`");
        return events;
    };
    if list.tokens.is_empty() {
        cx.error_spanned_by(
            attr,
            "list at least one event: `#[on(start, config_changed)]`",
        );
        return events;
    }
    let parser = syn::meta::parser(|meta| {
        let Some(ident) = meta.path.get_ident().cloned() else {
            return Err(
                meta.error("expected an event name, e.g. `start` or `relation_changed(\"db\")`")
            );
        };
        let name = ident.to_string();
        if meta.input.peek(Token![-]) {
            return Err(dashed_event(&meta, &ident));
        }
        let Some(kind) = EventKind::from_name(&name) else {
            let hint = match ops_event_hint(&name) {
                Some(written) => format!("write `{written}`"),
                None => hint(&name, &EventKind::names(), || {
                    format!("expected one of: {EVENT_LIST}")
                }),
            };
            cx.error_at(ident.span(), format!("unknown event `{name}`; {hint}"));
            if meta.input.peek(syn::token::Paren) {
                let _skipped: proc_macro2::Group = meta.input.parse()?;
            }
            return Ok(());
        };
        let target = kind.target();
        let has_args = meta.input.peek(syn::token::Paren);
        let arg = if target == Target::None {
            if has_args || meta.input.peek(Token![=]) {
                return Err(meta.error(format!("`{name}` takes no argument")));
            }
            None
        } else {
            let noun = target.noun();
            let example = format!("`{name}(\"{}\")`", target.example());
            if !has_args {
                return Err(meta.error(format!("`{name}` needs the {noun} name: {example}")));
            }
            let content;
            syn::parenthesized!(content in meta.input);
            let lit: LitStr = content.parse().map_err(|e| {
                syn::Error::new(
                    e.span(),
                    format!("expected the {noun} name as a string: {example}"),
                )
            })?;
            if !content.is_empty() {
                return Err(content.error(format!("`{name}` takes one {noun} name: {example}")));
            }
            Some(lit)
        };
        events.push(EventSel { kind, ident, arg });
        Ok(())
    });
    if let Err(e) = parser.parse2(list.tokens.clone()) {
        cx.syn_error(e);
    }
    events
}

/// `config-changed` parses as `config - changed`: read the rest of the dashed name and say
/// how to write it.
fn dashed_event(meta: &ParseNestedMeta, first: &Ident) -> syn::Error {
    let mut name = first.to_string();
    let mut end = first.span();
    while meta.input.peek(Token![-]) {
        let _ = meta.input.parse::<Token![-]>();
        match meta.input.call(Ident::parse_any) {
            Ok(part) => {
                name.push('_');
                name.push_str(&part.to_string());
                end = part.span();
            }
            Err(_) => break,
        }
    }
    let last = Ident::new("x", end);
    let dashed = name.replace('_', "-");
    let msg = if EventKind::from_name(&name).is_some() {
        format!("event names are written with underscores: `{name}`, not `{dashed}`")
    } else {
        format!("unknown event `{dashed}`; event names are written with underscores")
    };
    syn::Error::new_spanned(quote::quote!(#first #last), msg)
}

/// `#[config(name = "...", default = ...)]` on a config field.
#[derive(Default)]
pub struct ConfigFieldAttrs {
    /// `name = "..."`.
    pub name: Option<LitStr>,
    /// `default = literal`.
    pub default: Option<DefaultLit>,
}

/// Parses every `#[config(...)]` on a field.
pub fn parse_config_field(cx: &Ctxt, attrs: &[Attribute]) -> ConfigFieldAttrs {
    let mut out = ConfigFieldAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("config")) {
        let r = attr.parse_nested_meta(|meta| {
            match key_of(&meta).as_str() {
                "name" => set(cx, &meta, &mut out.name, str_value(&meta)?),
                "default" => {
                    let lit = parse_default(value(&meta, "...")?)?;
                    set(cx, &meta, &mut out.default, lit)
                }
                "crate" => return Err(crate_on_field(&meta, "config")),
                _ => unknown_key(cx, &meta, "`#[config(...)]`", CONFIG_KEYS)?,
            }
            Ok(())
        });
        if let Err(e) = r {
            cx.syn_error(e);
        }
    }
    out
}

/// `#[databag(...)]` on a field.
#[derive(Default)]
pub struct DatabagFieldAttrs {
    /// `rename = "..."`.
    pub rename: Option<LitStr>,
    /// `raw` (`Some(true)`) or `json` (`Some(false)`); `None` follows the struct.
    pub raw: Option<bool>,
}

/// Parses every `#[databag(...)]` on a field.
pub fn parse_databag_field(cx: &Ctxt, attrs: &[Attribute]) -> DatabagFieldAttrs {
    let mut out = DatabagFieldAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("databag")) {
        let r = attr.parse_nested_meta(|meta| {
            match key_of(&meta).as_str() {
                "rename" => set(cx, &meta, &mut out.rename, str_value(&meta)?),
                "raw" => set(cx, &meta, &mut out.raw, true),
                "json" => set(cx, &meta, &mut out.raw, false),
                "crate" => return Err(crate_on_field(&meta, "databag")),
                _ => unknown_key(cx, &meta, "`#[databag(...)]`", DATABAG_KEYS)?,
            }
            Ok(())
        });
        if let Err(e) = r {
            cx.syn_error(e);
        }
    }
    out
}

/// Parses every `#[param(...)]` on an action-parameters field: `name` and `default`.
pub fn parse_param_field(cx: &Ctxt, attrs: &[Attribute]) -> ConfigFieldAttrs {
    let mut out = ConfigFieldAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("param")) {
        let r = attr.parse_nested_meta(|meta| {
            match key_of(&meta).as_str() {
                "name" => set(cx, &meta, &mut out.name, str_value(&meta)?),
                "default" => {
                    let lit = parse_default(value(&meta, "...")?)?;
                    set(cx, &meta, &mut out.default, lit)
                }
                "crate" => return Err(crate_on_field(&meta, "param")),
                _ => unknown_key(cx, &meta, "`#[param(...)]`", PARAM_KEYS)?,
            }
            Ok(())
        });
        if let Err(e) = r {
            cx.syn_error(e);
        }
    }
    out
}

fn crate_on_field(meta: &ParseNestedMeta, name: &str) -> syn::Error {
    meta.error(format!(
        "`crate` goes on the struct, not on a field: `#[{name}(crate = \"...\")]`"
    ))
}

/// What `#[config(...)]`, `#[databag(...)]` or `#[param(...)]` says on the struct.
#[derive(Default)]
pub struct StructAttrs {
    /// `crate = "path"`.
    pub krate: Option<Path>,
    /// `raw` (databags only).
    pub raw: bool,
}

/// Parses `#[config(...)]` / `#[databag(...)]` / `#[param(...)]` on the struct (`name`
/// says which): `crate = "path"`, and for databags `raw`. A field key written there is an
/// error saying where it goes.
pub fn parse_struct_attrs(cx: &Ctxt, attrs: &[Attribute], name: &str) -> StructAttrs {
    let mut out = StructAttrs::default();
    let (field_keys, struct_keys): (&[&str], &[&str]) = match name {
        "config" => (CONFIG_KEYS, &["crate"]),
        "param" => (PARAM_KEYS, &["crate"]),
        _ => (&["rename", "json"], &["crate", "raw"]),
    };
    for attr in attrs.iter().filter(|a| a.path().is_ident(name)) {
        let r = attr.parse_nested_meta(|meta| {
            let key = key_of(&meta);
            if key == "crate" {
                set(cx, &meta, &mut out.krate, crate_value(&meta)?);
                Ok(())
            } else if key == "raw" && struct_keys.contains(&"raw") {
                out.raw = true;
                Ok(())
            } else if field_keys.contains(&key.as_str()) {
                let allowed = struct_keys
                    .iter()
                    .map(|k| {
                        if *k == "crate" {
                            "`crate = \"...\"`".to_string()
                        } else {
                            format!("`{k}`")
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" and ");
                Err(meta.error(format!(
                    "`{key}` goes on a field; on the struct, `#[{name}(...)]` takes only {allowed}"
                )))
            } else {
                let place = format!("`#[{name}(...)]` on the struct");
                unknown_key(cx, &meta, &place, struct_keys)
            }
        });
        if let Err(e) = r {
            cx.syn_error(e);
        }
    }
    out
}

/// Parses the arguments of `#[json_value(...)]`: only `crate = "path"`.
pub fn parse_json_value_args(cx: &Ctxt, args: TokenStream) -> JsonValueArgs {
    let mut out = JsonValueArgs::default();
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("crate") {
            set(cx, &meta, &mut out.krate, crate_value(&meta)?);
            Ok(())
        } else {
            Err(meta.error("`#[json_value]` takes no arguments except `crate = \"path\"`"))
        }
    });
    if let Err(e) = parser.parse2(args) {
        cx.syn_error(e);
    }
    out
}

/// The doc comment: lines of a paragraph joined with spaces, paragraphs with a blank line
/// (clap's rule), trimmed.
pub fn doc_string(attrs: &[Attribute]) -> String {
    let mut paragraphs: Vec<String> = vec![String::new()];
    for attr in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        let syn::Meta::NameValue(nv) = &attr.meta else {
            continue;
        };
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) = &nv.value
        else {
            continue;
        };
        for line in s.value().split('\n') {
            let line = line.trim();
            let current = paragraphs.last_mut().expect("never empty");
            if line.is_empty() {
                if !current.is_empty() {
                    paragraphs.push(String::new());
                }
            } else {
                if !current.is_empty() {
                    current.push(' ');
                }
                current.push_str(line);
            }
        }
    }
    paragraphs.retain(|p| !p.is_empty());
    paragraphs.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::{
        doc_string, parse_charm_args, parse_json_value_args, parse_on, parse_struct_attrs,
    };
    use crate::internals::ctxt::Ctxt;
    use crate::internals::event::EventKind;
    use quote::quote;
    use syn::Attribute;

    fn messages(cx: Ctxt) -> Vec<String> {
        match cx.check() {
            Ok(()) => Vec::new(),
            Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn charm_args_parse_every_key() {
        let cx = Ctxt::new();
        let args = parse_charm_args(
            &cx,
            quote!(
                name = "demo",
                summary = "s",
                description = "d",
                assumes("juju >= 3.1", "k8s-api"),
                platforms("amd64", "arm64"),
                links(source = "https://x"),
                config = DemoConfig,
                crate = ::charm_runtime
            ),
        );
        assert!(messages(cx).is_empty());
        assert_eq!(args.name.unwrap().value(), "demo");
        assert_eq!(args.assumes.unwrap().len(), 2);
        assert_eq!(args.platforms.unwrap().len(), 2);
        assert_eq!(args.links.source.unwrap().value(), "https://x");
        assert!(args.config.is_some() && args.krate.is_some());
    }

    #[test]
    fn charm_args_report_duplicates_and_unknown_keys() {
        let cx = Ctxt::new();
        parse_charm_args(&cx, quote!(name = "a", name = "b", summmary = "s"));
        assert_eq!(
            messages(cx),
            [
                "duplicate key `name`",
                "unknown key `summmary` in `#[charm(...)]`; did you mean `summary`?"
            ]
        );
    }

    #[test]
    fn on_parses_events_and_suggests() {
        let cx = Ctxt::new();
        let attr: Attribute =
            syn::parse_quote!(#[on(start, relation_changed("db"), confg_changed)]);
        let events = parse_on(&cx, &attr);
        assert_eq!(events.len(), 2);
        assert_eq!(events[1].kind, EventKind::Relation("Changed"));
        assert_eq!(events[1].arg.as_ref().unwrap().value(), "db");
        assert_eq!(
            messages(cx),
            ["unknown event `confg_changed`; did you mean `config_changed`?"]
        );
    }

    #[test]
    fn on_explains_dashed_names() {
        let cx = Ctxt::new();
        let attr: Attribute = syn::parse_quote!(#[on(config-changed)]);
        parse_on(&cx, &attr);
        assert_eq!(
            messages(cx),
            ["event names are written with underscores: `config_changed`, not `config-changed`"]
        );
    }

    #[test]
    fn crate_takes_a_string_or_a_path() {
        for args in [quote!(crate = "my::rt"), quote!(crate = my::rt)] {
            let cx = Ctxt::new();
            let parsed = parse_json_value_args(&cx, args);
            assert!(messages(cx).is_empty());
            let path = parsed.krate.unwrap();
            assert_eq!(quote!(#path).to_string(), "my :: rt");
        }
    }

    #[test]
    fn malformed_crate_values_are_errors() {
        let cx = Ctxt::new();
        parse_charm_args(&cx, quote!(crate = "a b"));
        parse_charm_args(&cx, quote!(crate = ""));
        parse_charm_args(&cx, quote!(crate = 1));
        parse_json_value_args(&cx, quote!(serde = "x"));
        let expected = "`crate` takes the module path the runtime is reached by, e.g. \
                        `crate = \"my_crate::charm_runtime\"`";
        assert_eq!(
            messages(cx),
            [
                format!("{expected}; `a b` is not a module path"),
                format!("{expected}; not an empty string"),
                expected.to_string(),
                "`#[json_value]` takes no arguments except `crate = \"path\"`".to_string(),
            ]
        );
    }

    #[test]
    fn struct_attrs_take_only_crate_and_raw() {
        let attrs: Vec<Attribute> = vec![
            syn::parse_quote!(#[databag(crate = "rt")]),
            syn::parse_quote!(#[databag(rename = "x")]),
            syn::parse_quote!(#[databag(crat = "rt")]),
            syn::parse_quote!(#[doc = "not ours"]),
        ];
        let cx = Ctxt::new();
        let on_struct = parse_struct_attrs(&cx, &attrs, "databag");
        assert!(on_struct.krate.is_some() && !on_struct.raw);
        assert_eq!(
            messages(cx),
            [
                "`rename` goes on a field; on the struct, `#[databag(...)]` takes only `crate = \"...\"` and `raw`",
                "unknown key `crat` in `#[databag(...)]` on the struct; did you mean `crate`?",
            ]
        );
    }

    #[test]
    fn doc_comments_join_like_clap() {
        let attrs: Vec<Attribute> = vec![
            syn::parse_quote!(#[doc = " Port the server"]),
            syn::parse_quote!(#[doc = " listens on."]),
            syn::parse_quote!(#[doc = ""]),
            syn::parse_quote!(#[doc = " Restart needed."]),
        ];
        assert_eq!(
            doc_string(&attrs),
            "Port the server listens on.\n\nRestart needed."
        );
    }
}
