//! The model the macros work on: plain data read once from the syntax tree (by `read` and
//! `attr`), validated by `check` and turned into code by `expand`. Codegen never re-parses.
//! Only small accessors live here; no parsing, no checking, no code generation.

use super::event::EventKind;
use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::{Ident, Lit, LitBool, LitInt, LitStr, Path, Signature, Token, Type};

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
    /// `crate_dir = "..."`: the crate directory relative to `charmcraft.yaml`; default `.`.
    pub crate_dir: Option<LitStr>,
    /// `binary = "..."`.
    pub binary: Option<LitStr>,
    /// `crate = path`: where the runtime is, when not at `::charm_runtime`.
    pub krate: Option<Path>,
    /// Whether an unknown key was written (then missing keys are not reported: the unknown
    /// one is probably a misspelling of one of them).
    pub unknown_keys: bool,
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

    /// The runtime's role type: `Peer`, `Requires` or `Provides`.
    pub fn type_name(self) -> &'static str {
        match self {
            Role::Peer => "Peer",
            Role::Requires => "Requires",
            Role::Provides => "Provides",
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
    /// `mounts(storage = "...", location = "...")`, in order.
    pub mounts: Vec<MountDef>,
}

/// `mounts(storage = "data", location = "/var/lib/app")` in `#[container]`.
pub struct MountDef {
    /// Where `mounts` was written (for errors about the whole mount).
    pub span: Span,
    /// `storage = "..."`: a declared storage (required; checked by `check`).
    pub storage: Option<LitStr>,
    /// `location = "..."`: where it is mounted in the container.
    pub location: Option<LitStr>,
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
    /// `params = Type`: a `#[derive(ActionParams)]` struct.
    pub params: Option<Type>,
    /// `additional_properties = bool` (default false).
    pub additional_properties: Option<LitBool>,
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
    /// The signature as written (checked by `check`).
    pub sig: Signature,
    /// The events it is routed.
    pub events: Vec<EventSel>,
    /// The span of the `model` parameter's type (for type errors on the argument).
    pub model_span: Span,
    /// The span of the action-parameters argument's type, when the handler takes one.
    pub params_span: Option<Span>,
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

/// A `#[derive(CharmConfig)]` struct.
pub struct ConfigDef {
    /// The struct name.
    pub ident: Ident,
    /// `#[config(crate = "path")]`: where the runtime is, when not at `::charm_runtime`.
    pub krate: Option<Path>,
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
    /// `#[databag(crate = "path")]`: where the runtime is, when not at `::charm_runtime`.
    pub krate: Option<Path>,
    /// Its keys, in field order.
    pub fields: Vec<DatabagField>,
}

/// One field of a databag struct.
pub struct DatabagField {
    /// The field name.
    pub ident: Ident,
    /// The field type.
    pub ty: Type,
    /// The bag key: `#[databag(rename = ...)]` or the field name.
    pub key: String,
    /// Where the key comes from.
    pub key_span: Span,
    /// Whether the type is `Option<_>` (the key may be missing).
    pub optional: bool,
    /// Whether the value is the raw string (`#[databag(raw)]`) rather than JSON.
    pub raw: bool,
}

/// A `#[derive(ActionParams)]` struct.
pub struct ParamsDef {
    /// The struct name.
    pub ident: Ident,
    /// `#[param(crate = "path")]`: where the runtime is, when not at `::charm_runtime`.
    pub krate: Option<Path>,
    /// Its parameters, in field order.
    pub fields: Vec<ParamField>,
}

/// One field of an action-parameters struct.
pub struct ParamField {
    /// The field name.
    pub ident: Ident,
    /// The field type.
    pub ty: Type,
    /// The parameter name (`#[param(name = ...)]` or the field name, kebab case).
    pub name: String,
    /// Where the name comes from.
    pub name_span: Span,
    /// The description: the doc comment.
    pub description: String,
    /// `#[param(default = ...)]`.
    pub default: Option<DefaultLit>,
}

/// `#[json_value(crate = "path")]`.
#[derive(Default)]
pub struct JsonValueArgs {
    /// Where the runtime is, when not at `::charm_runtime`.
    pub krate: Option<Path>,
}
