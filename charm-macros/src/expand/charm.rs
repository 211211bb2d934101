//! `#[charm(...)]`: the impl block as written (helper attributes stripped), one associated
//! const per endpoint and per container, and `impl Charm` (endpoints, handlers, metadata). Also the standalone
//! sibling attributes, which only say where they belong.

use crate::internals::attr::attr_name;
use crate::internals::ctxt::Ctxt;
use crate::internals::event::EventKind;
use crate::internals::model::{CharmDef, EventSel, HandlerDef, Role};
use crate::internals::names::is_valid_name;
use crate::internals::{check, read};
use proc_macro2::{Group, Ident, Span, TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned};
use syn::{LitInt, LitStr};

/// Expands `#[charm(args)] impl Type { ... }`.
pub fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut item: syn::ItemImpl = match syn::parse2(input.clone()) {
        Ok(item) => item,
        Err(_) => {
            let err = syn::Error::new(
                Span::call_site(),
                "`#[charm(...)]` goes on the charm type's impl block: `impl MyCharm { ... }`",
            )
            .into_compile_error();
            return quote!(#err #input);
        }
    };
    let cx = Ctxt::new();
    let def = read::charm(&cx, args, &mut item);
    check::charm(&cx, &def);
    match cx.check() {
        Ok(()) => generate(&def, &item),
        Err(errors) => {
            // The item (attributes stripped) and stand-ins keep the rest of the crate
            // compiling, so only the errors above are reported.
            let errors = errors.into_compile_error();
            let stand_in = stand_in(&def, &item);
            quote!(#item #stand_in #errors)
        }
    }
}

/// Expands a sibling attribute (`#[peer]`, ...) or `#[on]` found on its own: it was placed
/// where `#[charm]` cannot see it. A sibling placed before `#[charm(...)]` is moved after it,
/// so the charm still compiles as intended and only this error is reported.
pub fn misplaced(name: &str, args: TokenStream, input: TokenStream) -> TokenStream {
    let msg = if name == "on" {
        "`#[on(...)]` only works on methods of an impl block annotated with `#[charm(...)]`"
            .to_string()
    } else {
        format!("`#[{name}]` must come after `#[charm(...)]` on the same impl block")
    };
    let err = syn::Error::new(Span::call_site(), msg).into_compile_error();
    if name != "on" {
        if let Ok(mut item) = syn::parse2::<syn::ItemImpl>(input.clone()) {
            if let Some(i) = item
                .attrs
                .iter()
                .position(|a| attr_name(a).as_deref() == Some("charm"))
            {
                let ident = Ident::new(name, Span::call_site());
                item.attrs
                    .insert(i + 1, syn::parse_quote!(#[#ident(#args)]));
                return quote!(#err #item);
            }
        }
    }
    quote!(#err #input)
}

/// `fastapi-peer` → `FASTAPI_PEER`, spanned at the endpoint's name.
fn const_ident(name: &LitStr) -> Ident {
    Ident::new(&name.value().to_uppercase().replace('-', "_"), name.span())
}

/// One const per endpoint (a name that is invalid or repeated, in the error path, has none).
fn endpoint_consts(def: &CharmDef, rt: &TokenStream) -> Vec<TokenStream> {
    let mut seen = std::collections::BTreeSet::new();
    def.endpoints
        .iter()
        .filter(|e| is_valid_name(&e.name.value()) && seen.insert(e.name.value()))
        .map(|e| {
            let ident = const_ident(&e.name);
            let name = &e.name;
            // `Endpoint::peer`, `Endpoint::requires`, `Endpoint::provides`.
            let ctor = format_ident!("{}", e.role.attr());
            let role_ty = format_ident!("{}", e.role.type_name());
            let role = e.role.attr();
            let interface = e
                .interface
                .as_ref()
                .map(|i| format!(" (interface `{}`)", i.value()))
                .unwrap_or_default();
            let doc = format!("The `{}` {role} endpoint{interface}.", name.value());
            quote! {
                #[doc = #doc]
                pub const #ident: #rt::Endpoint<#rt::#role_ty> = #rt::Endpoint::#ctor(#name);
            }
        })
        .collect()
}

/// One const per container, `pub const DEMO_SERVER: ContainerName`, for
/// `model.container(Self::DEMO_SERVER)` (a name that is invalid or repeated, or that an
/// endpoint already made into the same const, in the error path, has none).
fn container_consts(def: &CharmDef, rt: &TokenStream) -> Vec<TokenStream> {
    let konst = |name: &LitStr| name.value().to_uppercase().replace('-', "_");
    let mut seen: std::collections::BTreeSet<String> =
        def.endpoints.iter().map(|e| konst(&e.name)).collect();
    def.containers
        .iter()
        .filter(|c| is_valid_name(&c.name.value()) && seen.insert(konst(&c.name)))
        .map(|c| {
            let ident = const_ident(&c.name);
            let name = &c.name;
            let doc = format!("The `{}` workload container.", name.value());
            quote! {
                #[doc = #doc]
                pub const #ident: #rt::ContainerName = #rt::ContainerName::new(#name);
            }
        })
        .collect()
}

/// `type Config`: the `config = ...` type, or `NoConfig`.
fn config_type(def: &CharmDef, rt: &TokenStream) -> TokenStream {
    match &def.args.config {
        Some(ty) => quote!(#ty),
        None => quote!(#rt::NoConfig),
    }
}

/// `model.config()` for this charm: the one `ModelConfig` impl of the crate, which is how
/// a call with no annotation knows the charm's config type.
fn model_config(def: &CharmDef, rt: &TokenStream) -> TokenStream {
    let ty = &def.self_ty;
    quote! {
        impl #rt::ModelConfig<#ty> for #rt::Model<'_> {}
    }
}

/// Stand-ins emitted next to the errors: the endpoint and container consts, an empty
/// `impl Charm` with the declared config, and `model.config()`.
fn stand_in(def: &CharmDef, item: &syn::ItemImpl) -> TokenStream {
    if item.trait_.is_some() || !item.generics.params.is_empty() {
        return TokenStream::new();
    }
    let rt = super::private(def.args.krate.as_ref());
    let ty = &def.self_ty;
    let mut consts = endpoint_consts(def, &rt);
    consts.extend(container_consts(def, &rt));
    let config = config_type(def, &rt);
    let model_config = model_config(def, &rt);
    quote! {
        impl #ty { #(#consts)* }
        impl #rt::Charm for #ty {
            type Config = #config;
            const ENDPOINTS: &'static [#rt::DeclaredEndpoint] = &[];
            const HANDLERS: &'static [#rt::Handler<Self>] = &[];
            fn metadata() -> #rt::CharmMetadata {
                ::core::default::Default::default()
            }
        }
        #model_config
    }
}

fn generate(def: &CharmDef, item: &syn::ItemImpl) -> TokenStream {
    let rt = super::private(def.args.krate.as_ref());
    let ty = &def.self_ty;
    let mut consts = endpoint_consts(def, &rt);
    consts.extend(container_consts(def, &rt));
    let consts = (!consts.is_empty()).then(|| quote!(impl #ty { #(#consts)* }));
    let endpoints = def.endpoints.iter().map(|e| const_ident(&e.name));
    let handlers = def.handlers.iter().map(|h| handler(def, h, &rt));
    let metadata = metadata(def, &rt);
    let config = config_type(def, &rt);
    let model_config = model_config(def, &rt);
    quote! {
        #item
        #consts
        #[automatically_derived]
        impl #rt::Charm for #ty {
            type Config = #config;
            const ENDPOINTS: &'static [#rt::DeclaredEndpoint] = &[#(Self::#endpoints.declared()),*];
            const HANDLERS: &'static [#rt::Handler<Self>] = &[#(#handlers),*];
            fn metadata() -> #rt::CharmMetadata {
                #metadata
            }
        }
        #[automatically_derived]
        #model_config
    }
}

/// One `Handler`. The method call is spanned at the method's name, its model argument at
/// the model parameter's type, its action parameters at theirs and the return conversion at
/// the return type, so a type error points at the user's code rather than at `#[charm]`.
fn handler(def: &CharmDef, h: &HandlerDef, rt: &TokenStream) -> TokenStream {
    let method = &h.ident;
    let at = |span: Span| Span::call_site().located_at(span);
    let charm = Ident::new("charm", at(method.span()));
    let model = Ident::new("model", at(h.model_span));
    let returned = Ident::new("returned", at(h.output_span));
    let (load_params, args) = match (h.params_span, params_type(def, h)) {
        (Some(span), Some(ty)) => {
            let params = Ident::new("params", at(span));
            (
                Some(quote!(let #params = #rt::action_params::<#ty>(model)?;)),
                quote!(#charm, #model, #params),
            )
        }
        _ => (None, quote!(#charm, #model)),
    };
    let call = quote_spanned!(at(method.span())=> Self::#method(#args));
    let convert = respan(quote!(#rt::handler_result), at(h.output_span));
    let name = method.to_string();
    let on = h.events.iter().map(|e| on_variant(e, rt));
    quote! {
        #rt::Handler {
            name: #name,
            on: &[#(#on),*],
            call: |charm, model| {
                #load_params
                let #returned = #call;
                #convert(#returned)
            },
        }
    }
}

/// The declared parameters type of the actions a handler handles (`check` made sure there is
/// one).
fn params_type<'a>(def: &'a CharmDef, h: &HandlerDef) -> Option<&'a syn::Type> {
    h.events.iter().find_map(|ev| {
        let name = ev.arg.as_ref()?.value();
        def.actions
            .iter()
            .find(|a| a.name.value() == name)?
            .params
            .as_ref()
    })
}

/// The same tokens, all spanned at `span`.
fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tt| {
            if let TokenTree::Group(g) = &tt {
                let mut group = Group::new(g.delimiter(), respan(g.stream(), span));
                group.set_span(span);
                tt = TokenTree::Group(group);
            } else {
                tt.set_span(span);
            }
            tt
        })
        .collect()
}

/// The `On` value of one event selector.
fn on_variant(ev: &EventSel, rt: &TokenStream) -> TokenStream {
    let arg = &ev.arg;
    let simple = |v: &str| {
        let v = Ident::new(v, Span::call_site());
        quote!(#rt::On::#v)
    };
    match ev.kind {
        EventKind::Install => simple("Install"),
        EventKind::Start => simple("Start"),
        EventKind::Stop => simple("Stop"),
        EventKind::Remove => simple("Remove"),
        EventKind::ConfigChanged => simple("ConfigChanged"),
        EventKind::UpdateStatus => simple("UpdateStatus"),
        EventKind::UpgradeCharm => simple("UpgradeCharm"),
        EventKind::LeaderElected => simple("LeaderElected"),
        EventKind::LeaderSettingsChanged => simple("LeaderSettingsChanged"),
        EventKind::CollectStatus => simple("CollectStatus"),
        EventKind::Any => simple("Any"),
        EventKind::Relation(v) => {
            let v = Ident::new(v, Span::call_site());
            quote!(#rt::On::Relation(#rt::RelationEventKind::#v, #arg))
        }
        EventKind::Storage(v) => {
            let v = Ident::new(v, Span::call_site());
            quote!(#rt::On::Storage(#rt::StorageEventKind::#v, #arg))
        }
        EventKind::Workload(v) => {
            let v = Ident::new(v, Span::call_site());
            quote!(#rt::On::Workload(#rt::WorkloadHook::#v, #arg))
        }
        EventKind::Secret(v) => {
            let v = Ident::new(v, Span::call_site());
            quote!(#rt::On::Secret(#rt::SecretEventKind::#v))
        }
        EventKind::Action => quote!(#rt::On::Action(#arg)),
    }
}

fn opt_str(v: &Option<LitStr>) -> TokenStream {
    match v {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}

fn opt_string(v: &Option<LitStr>) -> TokenStream {
    match v {
        Some(s) => quote!(Some(s(#s))),
        None => quote!(None),
    }
}

/// The body of `metadata()`: a `CharmMetadata` literal built with the short constructors of
/// `__private::meta`, imported in an inner block where no user token appears.
fn metadata(def: &CharmDef, rt: &TokenStream) -> TokenStream {
    let a = &def.args;
    let mut fields: Vec<TokenStream> = Vec::new();
    let name = &a.name;
    let summary = &a.summary;
    let description = &a.description;
    fields.push(quote!(name: s(#name)));
    if a.title.is_some() {
        let title = opt_string(&a.title);
        fields.push(quote!(title: #title));
    }
    fields.push(quote!(summary: s(#summary)));
    fields.push(quote!(description: s(#description)));
    if !a.links.is_empty() {
        let links = a
            .links
            .entries()
            .into_iter()
            .filter(|(_, v)| v.is_some())
            .map(|(k, v)| {
                let k = Ident::new(k, Span::call_site());
                let v = opt_string(v);
                quote!(#k: #v)
            });
        fields.push(quote!(links: Links { #(#links,)* ..Links::default() }));
    }
    if let Some(assumes) = a.assumes.as_ref().filter(|v| !v.is_empty()) {
        fields.push(quote!(assumes: strings(&[#(#assumes),*])));
    }
    let base = a
        .base
        .clone()
        .unwrap_or_else(|| LitStr::new("ubuntu@22.04", Span::call_site()));
    fields.push(quote!(base: s(#base)));
    let platforms = a
        .platforms
        .clone()
        .unwrap_or_else(|| vec![LitStr::new("amd64", Span::call_site())]);
    fields.push(quote!(platforms: strings(&[#(#platforms),*])));
    // craft-parts' rust plugin builds `rust-path`, `.` by default: the charm crate is the
    // charmcraft project. The binary is the package's own unless it says otherwise.
    let crate_dir = a
        .crate_dir
        .clone()
        .unwrap_or_else(|| LitStr::new(".", Span::call_site()));
    let binary = a
        .binary
        .as_ref()
        .map_or(quote!(::core::env!("CARGO_PKG_NAME")), |l| quote!(#l));
    fields.push(quote!(build: Build { crate_dir: s(#crate_dir), binary: s(#binary) }));

    if !def.containers.is_empty() {
        let containers = def.containers.iter().map(|c| {
            let name = &c.name;
            let resource = c.resource_name();
            let mounts = c.mounts.iter().map(|m| {
                let storage = &m.storage;
                let location = opt_str(&m.location);
                quote!(mount(#storage, #location))
            });
            quote!(container(#name, #resource, list([#(#mounts),*])))
        });
        fields.push(quote!(containers: list([#(#containers),*])));
    }
    let images = def.containers.iter().map(|c| {
        let name = c.resource_name();
        let description = opt_str(&c.description);
        let upstream = opt_str(&c.upstream_source);
        quote!(resource(#name, ResourceKind::OciImage, #description, #upstream, None))
    });
    let others = def.resources.iter().map(|r| {
        let name = &r.name;
        let kind = if r.oci_image {
            quote!(OciImage)
        } else {
            quote!(File)
        };
        let description = opt_str(&r.description);
        let upstream = opt_str(&r.upstream_source);
        let filename = opt_str(&r.filename);
        quote!(resource(#name, ResourceKind::#kind, #description, #upstream, #filename))
    });
    let resources: Vec<TokenStream> = images.chain(others).collect();
    if !resources.is_empty() {
        fields.push(quote!(resources: list([#(#resources),*])));
    }
    for (role, field) in [
        (Role::Peer, "peers"),
        (Role::Provides, "provides"),
        (Role::Requires, "requires"),
    ] {
        let list: Vec<TokenStream> = def
            .endpoints
            .iter()
            .filter(|e| e.role == role)
            .map(|e| {
                let name = &e.name;
                let interface = &e.interface;
                let limit = match &e.limit {
                    Some(l) => {
                        let v = LitInt::new(l.base10_digits(), l.span());
                        quote!(Some(#v))
                    }
                    None => quote!(None),
                };
                let optional = match &e.optional {
                    Some(b) => quote!(Some(#b)),
                    None => quote!(None),
                };
                let scope = match &e.scope {
                    Some((true, _)) => quote!(Some(Scope::Container)),
                    Some((false, _)) => quote!(Some(Scope::Global)),
                    None => quote!(None),
                };
                quote!(endpoint(#name, #interface, #limit, #optional, #scope))
            })
            .collect();
        if !list.is_empty() {
            let field = Ident::new(field, Span::call_site());
            fields.push(quote!(#field: list([#(#list),*])));
        }
    }
    if !def.storage.is_empty() {
        let storage = def.storage.iter().map(|st| {
            let name = &st.name;
            let kind = if st.block {
                quote!(Block)
            } else {
                quote!(Filesystem)
            };
            let description = opt_str(&st.description);
            let location = opt_str(&st.location);
            quote!(storage(#name, StorageKind::#kind, #description, #location))
        });
        fields.push(quote!(storage: list([#(#storage),*])));
    }
    let config = a.config.as_ref().map(|ty| {
        fields.push(quote!(config));
        quote!(let config = <#ty as #rt::CharmConfig>::options();)
    });
    if !def.actions.is_empty() {
        let actions = def.actions.iter().map(|act| {
            let name = &act.name;
            let description = opt_str(&act.description);
            let extra = act
                .additional_properties
                .as_ref()
                .map_or(quote!(false), |b| quote!(#b));
            let params = match &act.params {
                Some(ty) => quote!(<#ty as #rt::ActionParams>::params()),
                None => quote!(list([])),
            };
            quote!(action(#name, #description, #extra, #params))
        });
        fields.push(quote!(actions: list([#(#actions),*])));
    }
    const ALL_FIELDS: usize = 17;
    let rest = (fields.len() < ALL_FIELDS).then(|| quote!(..CharmMetadata::default()));
    quote! {
        #config
        {
            use #rt::meta::*;
            CharmMetadata {
                #(#fields,)*
                #rest
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    fn squash(s: &str) -> String {
        s.split_whitespace().collect()
    }

    #[test]
    fn expansion_has_consts_handlers_and_metadata() {
        let out = super::expand(
            quote!(
                name = "demo",
                summary = "s",
                description = "d",
                config = DemoConfig
            ),
            quote! {
                #[peer("fastapi-peer", interface = "fastapi_demo_peers")]
                #[requires("database", interface = "postgresql_client", limit = 1)]
                impl Demo {
                    #[on(start, relation_changed("database"))]
                    fn count_start(&mut self, model: &mut Model) -> Result<()> { Ok(()) }
                    fn helper(&self) {}
                }
            },
        )
        .to_string();
        let out = squash(&out);
        for expected in [
            "pubconstFASTAPI_PEER:::charm_runtime::__private::Endpoint<::charm_runtime::__private::Peer>=::charm_runtime::__private::Endpoint::peer(\"fastapi-peer\");",
            "pubconstDATABASE:::charm_runtime::__private::Endpoint<::charm_runtime::__private::Requires>=",
            "impl::charm_runtime::__private::CharmforDemo{typeConfig=DemoConfig;",
            "constENDPOINTS:&'static[::charm_runtime::__private::DeclaredEndpoint]=&[Self::FASTAPI_PEER.declared(),Self::DATABASE.declared()];",
            "impl::charm_runtime::__private::ModelConfig<Demo>for::charm_runtime::__private::Model<'_>{}",
            "name:\"count_start\",on:&[::charm_runtime::__private::On::Start,::charm_runtime::__private::On::Relation(::charm_runtime::__private::RelationEventKind::Changed,\"database\")]",
            "letreturned=Self::count_start(charm,model);::charm_runtime::__private::handler_result(returned)",
            "fnmetadata()->::charm_runtime::__private::CharmMetadata",
            "letconfig=<DemoConfigas::charm_runtime::__private::CharmConfig>::options();",
            "use::charm_runtime::__private::meta::*;",
            "build:Build{crate_dir:s(\".\"),binary:s(::core::env!(\"CARGO_PKG_NAME\"))}",
            "requires:list([endpoint(\"database\",\"postgresql_client\",Some(1),None,None)])",
            "fnhelper(&self){}",
        ] {
            assert!(out.contains(&squash(expected)), "missing {expected} in {out}");
        }
        assert!(!out.contains("#[on"), "{out}");
        assert!(!out.contains("#[peer"), "{out}");
        crate::expand::tests::assert_paths_through_private(&out, "::charm_runtime");
    }

    #[test]
    fn without_config_the_charm_has_no_config() {
        let out = squash(
            &super::expand(
                quote!(name = "demo", summary = "s", description = "d"),
                quote!(impl Demo {}),
            )
            .to_string(),
        );
        assert!(
            out.contains("typeConfig=::charm_runtime::__private::NoConfig;"),
            "{out}"
        );
        assert!(!out.contains("letconfig"), "{out}");
    }

    #[test]
    fn action_handlers_get_their_parameters() {
        let out = squash(
            &super::expand(
                quote!(name = "demo", summary = "s", description = "d"),
                quote! {
                    #[storage("data")]
                    #[container("web", mounts(storage = "data", location = "/var/lib/app"))]
                    #[action("get-db-info", description = "Info", params = GetDbInfo)]
                    impl Demo {
                        #[on(action("get-db-info"))]
                        fn info(&self, model: &mut Model, params: GetDbInfo) {}
                    }
                },
            )
            .to_string(),
        );
        for expected in [
            "letparams=::charm_runtime::__private::action_params::<GetDbInfo>(model)?;\
             letreturned=Self::info(charm,model,params);",
            "action(\"get-db-info\",Some(\"Info\"),false,<GetDbInfoas::charm_runtime::__private::ActionParams>::params())",
            "container(\"web\",\"web-image\",list([mount(\"data\",Some(\"/var/lib/app\"))]))",
        ] {
            assert!(out.contains(&squash(expected)), "missing {expected} in {out}");
        }
    }

    #[test]
    fn containers_get_name_consts() {
        let out = super::expand(
            quote!(name = "demo", summary = "s", description = "d"),
            quote! {
                #[container("demo-server")]
                #[container("sidecar", resource = "img")]
                impl Demo {}
            },
        )
        .to_string();
        let out = squash(&out);
        assert!(
            out.contains(
                "pubconstDEMO_SERVER:::charm_runtime::__private::ContainerName=\
                 ::charm_runtime::__private::ContainerName::new(\"demo-server\");"
            ),
            "{out}"
        );
        assert!(out.contains("pubconstSIDECAR:"), "{out}");
        assert!(!out.contains("compile_error!"), "{out}");
    }

    #[test]
    fn a_container_named_like_an_endpoint_is_an_error() {
        let out = super::expand(
            quote!(name = "demo", summary = "s", description = "d"),
            quote! {
                #[requires("db", interface = "pg")]
                #[container("db")]
                impl Demo {}
            },
        )
        .to_string();
        assert!(
            out.contains("container `db` and endpoint `db` would both be the const `Self::DB`"),
            "{out}"
        );
        // The endpoint keeps its const; no second `DB`.
        assert_eq!(squash(&out).matches("pubconstDB:").count(), 1, "{out}");
    }

    #[test]
    fn crate_override_names_every_path_through_it() {
        for krate in [quote!(crate = "my::rt"), quote!(crate = my::rt)] {
            let out = super::expand(
                quote!(name = "demo", summary = "s", description = "d", config = C, #krate),
                quote! {
                    #[peer("replicas", interface = "p")]
                    #[container("web")]
                    #[action("go", params = Go)]
                    impl Demo {
                        #[on(start, pebble_ready("web"), secret_changed, action("go"))]
                        fn go(&self, model: &mut Model) {}
                    }
                },
            )
            .to_string();
            let out = squash(&out);
            assert!(!out.contains("compile_error"), "{out}");
            assert!(!out.contains("charm_runtime"), "{out}");
            crate::expand::tests::assert_paths_through_private(&out, "my::rt");
        }
    }

    #[test]
    fn stand_ins_follow_the_crate_override() {
        let out = super::expand(
            quote!(
                name = "Demo",
                summary = "s",
                description = "d",
                crate = "my::rt"
            ),
            quote!(impl Demo {}),
        )
        .to_string();
        let out = squash(&out);
        assert!(out.contains("compile_error!"), "{out}");
        assert!(!out.contains("charm_runtime"), "{out}");
        crate::expand::tests::assert_paths_through_private(&out, "my::rt");
    }

    #[test]
    fn errors_keep_the_stripped_item_and_stand_ins() {
        let out = super::expand(
            quote!(name = "demo", summary = "s", description = "d"),
            quote! {
                #[requires("db", interface = "x")]
                impl Demo {
                    #[on(strat)]
                    fn start(&self, model: &mut Model) {}
                }
            },
        )
        .to_string();
        let out = squash(&out);
        assert!(out.contains("compile_error!"), "{out}");
        assert!(out.contains("didyoumean`start`"), "{out}");
        assert!(out.contains("fnstart(&self,model:&mutModel){}"), "{out}");
        assert!(out.contains("pubconstDB:"), "{out}");
        assert!(
            out.contains("constHANDLERS:&'static[::charm_runtime::__private::Handler<Self>]=&[];"),
            "{out}"
        );
        assert!(!out.contains("#[on"), "{out}");
    }
}
