//! The model the macros work on: plain structs read once from the syntax tree (by `attr`),
//! validated by `check` and turned into code by `expand`. Codegen never re-parses.

use super::ctxt::Ctxt;
use super::{attr, check};
use proc_macro2::{Span, TokenStream};
use quote::{quote, ToTokens};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Ident, Lit, LitBool, LitInt, LitStr, Token, Type};

/// Everything `#[charm(...)]` and its sibling attributes declare, plus the handlers.
pub struct CharmDef {
    /// The type the impl block is for.
    pub self_ty: Type,
    /// The keys of `#[charm(...)]`.
    pub args: CharmArgs,
    /// `#[peer]`, `#[requires]` and `#[provides]`, in declaration order.
    pub endpoints: Vec<EndpointDef>,
    /// `#[container]`s.
    pub containers: Vec<ContainerDef>,
    /// `#[resource]`s (the containers' images are added by `expand`).
    pub resources: Vec<ResourceDef>,
    /// `#[storage]`s.
    pub storage: Vec<StorageDef>,
    /// `#[action]`s.
    pub actions: Vec<ActionDef>,
    /// The methods with `#[on(...)]`, in declaration order.
    pub handlers: Vec<HandlerDef>,
}

/// The keys of `#[charm(...)]`; required ones are checked by `check`.
#[derive(Default)]
pub struct CharmArgs {
    /// `name = "..."` (required).
    pub name: Option<LitStr>,
    /// `title = "..."`.
    pub title: Option<LitStr>,
    /// `summary = "..."` (required).
    pub summary: Option<LitStr>,
    /// `description = "..."` (required).
    pub description: Option<LitStr>,
    /// `assumes("juju >= 3.1", "k8s-api")`.
    pub assumes: Option<Vec<LitStr>>,
    /// `base = "ubuntu@22.04"`.
    pub base: Option<LitStr>,
    /// `platforms("amd64", "arm64")`.
    pub platforms: Option<Vec<LitStr>>,
    /// `links(contact = "...", ...)`.
    pub links: LinksDef,
    /// `config = Type`.
    pub config: Option<Type>,
    /// `crate_dir = "..."`.
    pub crate_dir: Option<LitStr>,
    /// `binary = "..."`.
    pub binary: Option<LitStr>,
    /// `crate = path`: where `charm_runtime` is.
    pub krate: Option<syn::Path>,
    /// Whether an unknown key was written (then missing keys are not reported: the unknown
    /// one is probably a misspelling of one of them).
    pub unknown_keys: bool,
}

impl CharmArgs {
    /// The runtime crate's path: `::charm_runtime` unless `crate = ...` says otherwise.
    pub fn krate(&self) -> TokenStream {
        match &self.krate {
            Some(path) => path.to_token_stream(),
            None => quote!(::charm_runtime),
        }
    }
}

/// `links(...)`.
#[derive(Default)]
pub struct LinksDef {
    /// `contact`
    pub contact: Option<LitStr>,
    /// `documentation`
    pub documentation: Option<LitStr>,
    /// `issues`
    pub issues: Option<LitStr>,
    /// `source`
    pub source: Option<LitStr>,
    /// `website`
    pub website: Option<LitStr>,
}

impl LinksDef {
    /// Whether no link is set.
    pub fn is_empty(&self) -> bool {
        self.entries().iter().all(|(_, v)| v.is_none())
    }

    /// Every key with its value, in `Links` field order.
    pub fn entries(&self) -> [(&'static str, &Option<LitStr>); 5] {
        [
            ("contact", &self.contact),
            ("documentation", &self.documentation),
            ("issues", &self.issues),
            ("source", &self.source),
            ("website", &self.website),
        ]
    }
}

/// Which section an endpoint goes in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Role {
    /// `#[peer]`
    Peer,
    /// `#[requires]`
    Requires,
    /// `#[provides]`
    Provides,
}

impl Role {
    /// The attribute name.
    pub fn attr(self) -> &'static str {
        match self {
            Role::Peer => "peer",
            Role::Requires => "requires",
            Role::Provides => "provides",
        }
    }
}

/// `#[peer("name", ...)]`, `#[requires(...)]` or `#[provides(...)]`.
pub struct EndpointDef {
    /// The section.
    pub role: Role,
    /// The endpoint name.
    pub name: LitStr,
    /// `interface = "..."` (required; checked by `check`).
    pub interface: Option<LitStr>,
    /// `limit = N`.
    pub limit: Option<LitInt>,
    /// `optional = bool`.
    pub optional: Option<LitBool>,
    /// `scope = "global" | "container"`; `true` for container.
    pub scope: Option<(bool, LitStr)>,
}

/// `#[container("name", ...)]`.
pub struct ContainerDef {
    /// The container name.
    pub name: LitStr,
    /// `resource = "..."`: the `oci-image` resource; default `<name>-image`.
    pub resource: Option<LitStr>,
    /// `upstream_source = "..."`: the image reference.
    pub upstream_source: Option<LitStr>,
    /// `description = "..."`: the resource's description.
    pub description: Option<LitStr>,
}

impl ContainerDef {
    /// The name of the container's `oci-image` resource.
    pub fn resource_name(&self) -> LitStr {
        match &self.resource {
            Some(r) => r.clone(),
            None => LitStr::new(&format!("{}-image", self.name.value()), self.name.span()),
        }
    }
}

/// `#[resource("name", ...)]`.
pub struct ResourceDef {
    /// The resource name.
    pub name: LitStr,
    /// `kind = "file" | "oci-image"` (default `file`); `true` for `oci-image`.
    pub oci_image: bool,
    /// `filename = "..."` (files only).
    pub filename: Option<LitStr>,
    /// `description = "..."`.
    pub description: Option<LitStr>,
    /// `upstream_source = "..."` (images only).
    pub upstream_source: Option<LitStr>,
}

/// `#[storage("name", ...)]`.
pub struct StorageDef {
    /// The storage name.
    pub name: LitStr,
    /// `kind = "filesystem" | "block"` (default `filesystem`); `true` for block.
    pub block: bool,
    /// `location = "..."`.
    pub location: Option<LitStr>,
    /// `description = "..."`.
    pub description: Option<LitStr>,
}

/// `#[action("name", ...)]`.
pub struct ActionDef {
    /// The action name.
    pub name: LitStr,
    /// `description = "..."`.
    pub description: Option<LitStr>,
    /// `param(...)`s, in order.
    pub params: Vec<ParamDef>,
    /// `additional_properties = bool` (default false).
    pub additional_properties: Option<LitBool>,
}

/// The JSON-schema type of an action parameter.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ParamKind {
    /// `string`
    String,
    /// `integer`
    Integer,
    /// `number`
    Number,
    /// `boolean`
    Boolean,
}

/// `param(name: Type = default, description = "...")` inside `#[action]`.
pub struct ParamDef {
    /// The parameter name as declared in the metadata (kebab case).
    pub name: String,
    /// Where the name was written.
    pub name_span: Span,
    /// The Rust type as written.
    pub ty: Type,
    /// `= literal`.
    pub default: Option<DefaultLit>,
    /// `description = "..."`.
    pub description: Option<LitStr>,
}

/// A literal default value, possibly negated: `8000`, `-1`, `"x"`, `true`, `0.5`.
#[derive(Clone)]
pub struct DefaultLit {
    /// The minus sign, if any.
    pub neg: Option<Token![-]>,
    /// The literal.
    pub lit: Lit,
}

impl DefaultLit {
    /// The span of the whole literal (with its sign).
    pub fn span(&self) -> Span {
        match &self.neg {
            Some(minus) => minus
                .span
                .join(self.lit.span())
                .unwrap_or_else(|| self.lit.span()),
            None => self.lit.span(),
        }
    }
}

impl ToTokens for DefaultLit {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.neg.to_tokens(tokens);
        self.lit.to_tokens(tokens);
    }
}

/// A method with `#[on(...)]`.
pub struct HandlerDef {
    /// The method name.
    pub ident: Ident,
    /// The events it is routed.
    pub events: Vec<EventSel>,
    /// The span of the `model` parameter's type (for type errors on the argument).
    pub model_span: Span,
    /// The span of the return type (for `HandlerReturn` errors); the name if there is none.
    pub output_span: Span,
}

/// One event in `#[on(...)]`.
pub struct EventSel {
    /// Which event.
    pub kind: EventKind,
    /// The event name as written.
    pub ident: Ident,
    /// The endpoint, container, storage or action it names.
    pub arg: Option<LitStr>,
}

/// What the argument of an event names.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Target {
    /// No argument.
    None,
    /// A relation endpoint.
    Endpoint,
    /// A storage.
    Storage,
    /// A workload container.
    Container,
    /// An action.
    Action,
}

impl Target {
    /// What the argument is called in messages.
    pub fn noun(self) -> &'static str {
        match self {
            Target::None => "",
            Target::Endpoint => "endpoint",
            Target::Storage => "storage",
            Target::Container => "container",
            Target::Action => "action",
        }
    }
}

/// Every event `#[on(...)]` accepts, by name.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum EventKind {
    /// `install`
    Install,
    /// `start`
    Start,
    /// `stop`
    Stop,
    /// `remove`
    Remove,
    /// `config_changed`
    ConfigChanged,
    /// `update_status`
    UpdateStatus,
    /// `upgrade_charm`
    UpgradeCharm,
    /// `leader_elected`
    LeaderElected,
    /// `leader_settings_changed`
    LeaderSettingsChanged,
    /// `collect_status`
    CollectStatus,
    /// `relation_*("endpoint")`: the `RelationEventKind` variant.
    Relation(&'static str),
    /// `storage_*("name")`: the `StorageEventKind` variant.
    Storage(&'static str),
    /// `pebble_*("container")`: the `WorkloadHook` variant.
    Workload(&'static str),
    /// `secret_*`: the `SecretEventKind` variant.
    Secret(&'static str),
    /// `action("name")`
    Action,
}

/// The event names, in the order they are listed in messages.
pub const EVENTS: &[(&str, EventKind)] = &[
    ("install", EventKind::Install),
    ("start", EventKind::Start),
    ("stop", EventKind::Stop),
    ("remove", EventKind::Remove),
    ("config_changed", EventKind::ConfigChanged),
    ("update_status", EventKind::UpdateStatus),
    ("upgrade_charm", EventKind::UpgradeCharm),
    ("leader_elected", EventKind::LeaderElected),
    ("leader_settings_changed", EventKind::LeaderSettingsChanged),
    ("collect_status", EventKind::CollectStatus),
    ("relation_created", EventKind::Relation("Created")),
    ("relation_joined", EventKind::Relation("Joined")),
    ("relation_changed", EventKind::Relation("Changed")),
    ("relation_departed", EventKind::Relation("Departed")),
    ("relation_broken", EventKind::Relation("Broken")),
    ("storage_attached", EventKind::Storage("Attached")),
    ("storage_detaching", EventKind::Storage("Detaching")),
    ("pebble_ready", EventKind::Workload("PebbleReady")),
    ("pebble_custom_notice", EventKind::Workload("CustomNotice")),
    ("pebble_check_failed", EventKind::Workload("CheckFailed")),
    (
        "pebble_check_recovered",
        EventKind::Workload("CheckRecovered"),
    ),
    ("secret_changed", EventKind::Secret("Changed")),
    ("secret_rotate", EventKind::Secret("Rotate")),
    ("secret_remove", EventKind::Secret("Remove")),
    ("secret_expired", EventKind::Secret("Expired")),
    ("action", EventKind::Action),
];

/// The events, grouped, for messages.
pub const EVENT_LIST: &str = "install, start, stop, remove, config_changed, update_status, \
     upgrade_charm, leader_elected, leader_settings_changed, collect_status, \
     relation_{created,joined,changed,departed,broken}(\"endpoint\"), \
     storage_{attached,detaching}(\"storage\"), \
     pebble_{ready,custom_notice,check_failed,check_recovered}(\"container\"), \
     secret_{changed,rotate,remove,expired}, action(\"name\")";

impl EventKind {
    /// The event with this name.
    pub fn from_name(name: &str) -> Option<EventKind> {
        EVENTS.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
    }

    /// Every event name.
    pub fn names() -> Vec<&'static str> {
        EVENTS.iter().map(|(n, _)| *n).collect()
    }

    /// What the event's argument names.
    pub fn target(self) -> Target {
        match self {
            EventKind::Relation(_) => Target::Endpoint,
            EventKind::Storage(_) => Target::Storage,
            EventKind::Workload(_) => Target::Container,
            EventKind::Action => Target::Action,
            _ => Target::None,
        }
    }
}

/// A `#[derive(CharmConfig)]` struct.
pub struct ConfigDef {
    /// The struct name.
    pub ident: Ident,
    /// Its options, in field order.
    pub fields: Vec<ConfigField>,
}

/// One field of a config struct.
pub struct ConfigField {
    /// The field name.
    pub ident: Ident,
    /// The field type.
    pub ty: Type,
    /// The option name (`#[config(name = ...)]` or the field name, kebab case).
    pub name: String,
    /// Where the name comes from (the `name` literal or the field name).
    pub name_span: Span,
    /// The description: the doc comment.
    pub description: String,
    /// `#[config(default = ...)]`.
    pub default: Option<DefaultLit>,
}

/// A `#[derive(Databag)]` struct.
pub struct DatabagDef {
    /// The struct name.
    pub ident: Ident,
    /// Its keys, in field order.
    pub fields: Vec<DatabagField>,
}

/// One field of a databag struct.
pub struct DatabagField {
    /// The field name.
    pub ident: Ident,
    /// The bag key: `#[databag(rename = ...)]` or the field name.
    pub key: String,
    /// Where the key comes from.
    pub key_span: Span,
    /// Whether the type is `Option<_>` (the key may be missing).
    pub optional: bool,
}

/// The type inside `Option<T>`, if `ty` is written as an `Option`.
pub fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() {
        return None;
    }
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first() {
        Some(syn::GenericArgument::Type(inner)) if args.args.len() == 1 => Some(inner),
        _ => None,
    }
}

/// The last path segment's name of a plain type path (`String`, `std::string::String` →
/// `String`), if the type is one.
pub fn type_name(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(path) if path.qself.is_none() => {
            let last = path.path.segments.last()?;
            matches!(last.arguments, syn::PathArguments::None).then(|| last.ident.to_string())
        }
        Type::Reference(r) => type_name(&r.elem).map(|n| format!("&{n}")),
        Type::Group(g) => type_name(&g.elem),
        Type::Paren(p) => type_name(&p.elem),
        _ => None,
    }
}

// ---- Reading the model from the syntax tree ----

impl CharmDef {
    /// Reads `#[charm(args)]` and the impl block, stripping the sibling attributes and the
    /// methods' `#[on(...)]` from `item` (they are not real attributes).
    pub fn from_ast(cx: &Ctxt, args: TokenStream, item: &mut syn::ItemImpl) -> CharmDef {
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
                    if !check::check_signature(cx, &f.sig) {
                        // Emitted as written but not async: rustc's own complaints about an
                        // async handler would only repeat the error above.
                        f.sig.asyncness = None;
                    }
                    let model_span = match f.sig.inputs.iter().nth(1) {
                        Some(syn::FnArg::Typed(arg)) => type_span(&arg.ty),
                        _ => f.sig.ident.span(),
                    };
                    let output_span = match &f.sig.output {
                        syn::ReturnType::Type(_, ty) => type_span(ty),
                        syn::ReturnType::Default => f.sig.ident.span(),
                    };
                    handlers.push(HandlerDef {
                        ident: f.sig.ident.clone(),
                        events,
                        model_span,
                        output_span,
                    });
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

impl ConfigDef {
    /// Reads a `#[derive(CharmConfig)]` struct.
    pub fn from_ast(cx: &Ctxt, input: &syn::DeriveInput) -> ConfigDef {
        attr::reject_container_attrs(cx, &input.attrs, "config");
        let mut fields = Vec::new();
        for field in named_fields(cx, input, "CharmConfig").into_iter().flatten() {
            let ident = field.ident.clone().expect("named field");
            let attrs = attr::parse_config_field(cx, &field.attrs);
            let (name, name_span) = match &attrs.name {
                Some(lit) => (lit.value(), lit.span()),
                None => (ident.unraw().to_string().replace('_', "-"), ident.span()),
            };
            check::check_option_name(cx, &name, name_span);
            match &attrs.default {
                Some(d) => {
                    check::check_default(cx, &format!("option `{name}`"), &field.ty, d);
                }
                None if option_inner(&field.ty).is_none() => {
                    let ty = &field.ty;
                    cx.error_spanned_by(
                        quote!(#ident: #ty),
                        format!(
                            "option `{name}` has no default, so Juju may not send it: add \
                             #[config(default = ...)] or make it an Option"
                        ),
                    );
                }
                None => {}
            }
            if fields.iter().any(|f: &ConfigField| f.name == name) {
                cx.error_at(name_span, format!("duplicate option `{name}`"));
            }
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
            fields,
        }
    }
}

impl DatabagDef {
    /// Reads a `#[derive(Databag)]` struct.
    pub fn from_ast(cx: &Ctxt, input: &syn::DeriveInput) -> DatabagDef {
        attr::reject_container_attrs(cx, &input.attrs, "databag");
        let mut fields = Vec::new();
        for field in named_fields(cx, input, "Databag").into_iter().flatten() {
            let ident = field.ident.clone().expect("named field");
            let (key, key_span) = match attr::parse_databag_field(cx, &field.attrs) {
                Some(lit) => (lit.value(), lit.span()),
                None => (ident.unraw().to_string(), ident.span()),
            };
            if key.is_empty() {
                cx.error_at(key_span, "a databag key cannot be empty");
            }
            if fields.iter().any(|f: &DatabagField| f.key == key) {
                cx.error_at(key_span, format!("duplicate databag key `{key}`"));
            }
            fields.push(DatabagField {
                ident,
                key,
                key_span,
                optional: option_inner(&field.ty).is_some(),
            });
        }
        DatabagDef {
            ident: input.ident.clone(),
            fields,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{option_inner, type_name, EventKind, Target};
    use syn::Type;

    #[test]
    fn option_inner_finds_the_wrapped_type() {
        let ty: Type = syn::parse_quote!(Option<String>);
        assert_eq!(
            type_name(option_inner(&ty).unwrap()).as_deref(),
            Some("String")
        );
        let ty: Type = syn::parse_quote!(std::option::Option<u16>);
        assert!(option_inner(&ty).is_some());
        let ty: Type = syn::parse_quote!(Vec<String>);
        assert!(option_inner(&ty).is_none());
    }

    #[test]
    fn type_names() {
        let ty: Type = syn::parse_quote!(std::string::String);
        assert_eq!(type_name(&ty).as_deref(), Some("String"));
        let ty: Type = syn::parse_quote!(&str);
        assert_eq!(type_name(&ty).as_deref(), Some("&str"));
        let ty: Type = syn::parse_quote!(Vec<u8>);
        assert_eq!(type_name(&ty), None);
    }

    #[test]
    fn events_by_name() {
        assert_eq!(EventKind::from_name("start"), Some(EventKind::Start));
        assert_eq!(
            EventKind::from_name("relation_broken").map(EventKind::target),
            Some(Target::Endpoint)
        );
        assert_eq!(
            EventKind::from_name("pebble_check_failed").map(EventKind::target),
            Some(Target::Container)
        );
        assert_eq!(EventKind::from_name("config-changed"), None);
        assert_eq!(EventKind::names().len(), 26);
    }
}
