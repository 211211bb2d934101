//! Validation of the model after reading: required keys, the names Juju would reject,
//! duplicates, events naming undeclared things, handler signatures, and defaults of the
//! wrong type. Every error is spanned at the offending token.

use super::ctxt::Ctxt;
use super::event::{EventKind, Target};
use super::model::{
    CharmDef, ConfigDef, DatabagDef, DefaultLit, EndpointDef, EventSel, HandlerDef, ParamsDef, Role,
};
use super::names::{fix_name, hint, is_valid_action_name, is_valid_name};
use super::types::{option_inner, prim, type_name, Prim};
use proc_macro2::Span;
use quote::quote;
use std::collections::BTreeSet;
use syn::{Lit, LitStr, Signature};

/// The longest summary charmcraft accepts.
pub const MAX_SUMMARY: usize = 78;

/// The architectures `platforms(...)` accepts.
pub const ARCHITECTURES: &[&str] = &["amd64", "arm64", "armhf", "ppc64el", "riscv64", "s390x"];

const NAME_RULE: &str = "Juju names are lowercase letters and digits in words joined by \
     single dashes, starting with a letter";
const ACTION_RULE: &str = "action names are lowercase letters, digits and dashes, starting \
     and ending with a letter or digit";

/// Checks one name and records an error naming what it is.
fn check_name(cx: &Ctxt, what: &str, lit: &LitStr, valid: fn(&str) -> bool) -> bool {
    let rule = if what == "action" {
        ACTION_RULE
    } else {
        NAME_RULE
    };
    let name = lit.value();
    if valid(&name) {
        return true;
    }
    let hint = match fix_name(&name).filter(|f| valid(f)) {
        Some(fixed) => format!(" (try `{fixed}`)"),
        None => String::new(),
    };
    cx.error_spanned_by(lit, format!("invalid {what} name `{name}`: {rule}{hint}"));
    false
}

/// Records an error for every repeated name (at the repeat).
fn check_unique<'a>(cx: &Ctxt, what: &str, names: impl IntoIterator<Item = &'a LitStr>) {
    let mut seen = BTreeSet::new();
    for lit in names {
        if !seen.insert(lit.value()) {
            cx.error_spanned_by(lit, format!("duplicate {what} `{}`", lit.value()));
        }
    }
}

/// Every rule of `#[charm]`: the handlers' signatures, then the declarations.
pub fn charm(cx: &Ctxt, def: &CharmDef) {
    for h in &def.handlers {
        check_signature(cx, &h.sig);
        check_params_arg(cx, def, h);
    }
    let args = &def.args;
    let missing = |key: &str, example: &str| {
        if args.unknown_keys {
            return; // the unknown key is reported, and is probably this one misspelled
        }
        cx.error_at(
            Span::call_site(),
            format!("`#[charm(...)]` needs `{key}`: {example}"),
        );
    };
    match &args.name {
        Some(name) => {
            check_name(cx, "charm", name, is_valid_name);
        }
        None => missing("name", "the Charmhub name, e.g. `name = \"my-charm\"`"),
    }
    match &args.summary {
        Some(summary) => {
            let text = summary.value();
            let len = text.chars().count();
            if text.contains('\n') {
                cx.error_spanned_by(
                    summary,
                    "the summary is one line; put the rest in `description`",
                );
            } else if len > MAX_SUMMARY {
                cx.error_spanned_by(
                    summary,
                    format!(
                        "the summary is {len} characters long; charmcraft allows at most \
                         {MAX_SUMMARY} (put the rest in `description`)"
                    ),
                );
            } else if text.trim().is_empty() {
                cx.error_spanned_by(summary, "the summary is empty");
            }
        }
        None => missing(
            "summary",
            "one line of at most 78 characters, e.g. `summary = \"...\"`",
        ),
    }
    match &args.description {
        Some(d) if d.value().trim().is_empty() => {
            cx.error_spanned_by(d, "the description is empty")
        }
        Some(_) => {}
        None => missing(
            "description",
            "a paragraph or more, e.g. `description = \"...\"`",
        ),
    }
    if let Some(base) = &args.base {
        let value = base.value();
        let ok = value
            .split_once('@')
            .is_some_and(|(os, v)| !os.is_empty() && !v.is_empty() && !v.contains('@'));
        if !ok {
            cx.error_spanned_by(base, "a base is `<os>@<version>`, e.g. `ubuntu@22.04`");
        }
    }
    if let Some(platforms) = &args.platforms {
        if platforms.is_empty() {
            cx.error_at(
                Span::call_site(),
                "`platforms(...)` lists at least one architecture",
            );
        }
        for p in platforms {
            if !ARCHITECTURES.contains(&p.value().as_str()) {
                let hint = hint(&p.value(), ARCHITECTURES, || {
                    format!("expected one of: {}", ARCHITECTURES.join(", "))
                });
                cx.error_spanned_by(p, format!("unknown architecture `{}`; {hint}", p.value()));
            }
        }
        check_unique(cx, "platform", platforms);
    }
    for a in args.assumes.iter().flatten() {
        if a.value().trim().is_empty() {
            cx.error_spanned_by(a, "empty `assumes` entry");
        }
    }

    let charm_name = args.name.as_ref().map(LitStr::value).unwrap_or_default();
    for e in &def.endpoints {
        check_endpoint(cx, &charm_name, e);
    }
    check_unique(cx, "endpoint", def.endpoints.iter().map(|e| &e.name));

    for c in &def.containers {
        check_name(cx, "container", &c.name, is_valid_name);
        if let Some(r) = &c.resource {
            check_name(cx, "resource", r, is_valid_name);
        }
    }
    check_unique(cx, "container", def.containers.iter().map(|c| &c.name));
    check_mounts(cx, def);
    // Endpoints and containers both become `Self::<NAME>` consts.
    for c in &def.containers {
        let konst = c.name.value().to_uppercase().replace('-', "_");
        if let Some(e) = def
            .endpoints
            .iter()
            .find(|e| e.name.value().to_uppercase().replace('-', "_") == konst)
        {
            cx.error_spanned_by(
                &c.name,
                format!(
                    "container `{}` and endpoint `{}` would both be the const `Self::{konst}`; \
                     rename one of them",
                    c.name.value(),
                    e.name.value()
                ),
            );
        }
    }
    for r in &def.resources {
        check_name(cx, "resource", &r.name, is_valid_name);
    }
    let resource_names: Vec<LitStr> = def
        .containers
        .iter()
        .map(|c| c.resource_name())
        .chain(def.resources.iter().map(|r| r.name.clone()))
        .collect();
    check_unique(cx, "resource", &resource_names);

    for s in &def.storage {
        check_name(cx, "storage", &s.name, is_valid_name);
    }
    check_unique(cx, "storage", def.storage.iter().map(|s| &s.name));

    for a in &def.actions {
        check_name(cx, "action", &a.name, is_valid_action_name);
    }
    check_unique(cx, "action", def.actions.iter().map(|a| &a.name));

    for h in &def.handlers {
        check_events(cx, def, &h.events);
    }
}

fn check_endpoint(cx: &Ctxt, charm_name: &str, e: &EndpointDef) {
    let name = e.name.value();
    if check_name(cx, "endpoint", &e.name, is_valid_name) {
        // Juju reserves `juju` and `juju-*` (except for charms named `juju-*`, and for
        // container-scoped requires endpoints, which subordinates use for `juju-info`).
        let reserved =
            (name == "juju" || name.starts_with("juju-")) && !charm_name.starts_with("juju-");
        let container_requires =
            e.role == Role::Requires && e.scope.as_ref().is_some_and(|(container, _)| *container);
        if reserved && !container_requires {
            cx.error_spanned_by(
                &e.name,
                format!("endpoint name `{name}` is reserved: Juju uses `juju` and `juju-*` for its own endpoints"),
            );
        }
    }
    match &e.interface {
        None => cx.error_spanned_by(
            &e.name,
            format!(
                "endpoint `{name}` needs an interface: `#[{}(\"{name}\", interface = \"...\")]`",
                e.role.attr()
            ),
        ),
        Some(i) => {
            let v = i.value();
            let ok = v.starts_with(|c: char| c.is_ascii_lowercase())
                && v.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
            if !ok {
                cx.error_spanned_by(
                    i,
                    format!(
                        "invalid interface name `{v}`: use lowercase letters, digits, `_` and `-`"
                    ),
                );
            } else if e.role != Role::Requires && (v == "juju" || v.starts_with("juju-")) {
                cx.error_spanned_by(
                    i,
                    format!("interface `{v}` is reserved: only a requires endpoint may use `juju-*` interfaces"),
                );
            }
        }
    }
}

/// Events must name declared endpoints, containers, storage and actions; no event twice.
fn check_events(cx: &Ctxt, def: &CharmDef, events: &[EventSel]) {
    for (i, ev) in events.iter().enumerate() {
        let dup = events[..i].iter().any(|e| {
            e.kind == ev.kind
                && e.arg.as_ref().map(LitStr::value) == ev.arg.as_ref().map(LitStr::value)
        });
        if dup {
            cx.error_at(ev.ident.span(), format!("`{}` is listed twice", ev.ident));
        }
        let Some(arg) = &ev.arg else { continue };
        let target = ev.kind.target();
        let (declared, how): (Vec<String>, &str) = match target {
            Target::Endpoint => (
                def.endpoints.iter().map(|e| e.name.value()).collect(),
                "#[peer(...)], #[requires(...)] or #[provides(...)]",
            ),
            Target::Container => (
                def.containers.iter().map(|c| c.name.value()).collect(),
                "#[container(...)]",
            ),
            Target::Storage => (
                def.storage.iter().map(|s| s.name.value()).collect(),
                "#[storage(...)]",
            ),
            Target::Action => (
                def.actions.iter().map(|a| a.name.value()).collect(),
                "#[action(...)]",
            ),
            Target::None => continue,
        };
        let name = arg.value();
        if declared.contains(&name) {
            continue;
        }
        let refs: Vec<&str> = declared.iter().map(String::as_str).collect();
        let hint = hint(&name, &refs, || {
            format!("declare it with {how} after #[charm(...)]")
        });
        cx.error_spanned_by(
            arg,
            format!(
                "`{}`: no {} `{name}` is declared on this charm; {hint}",
                ev.ident,
                target.noun()
            ),
        );
    }
}

/// Checks a handler's signature: `fn name(&self | &mut self, model: &mut Model)` (and an
/// action's parameters, checked by [`check_params_arg`]), not generic, async or unsafe.
fn check_signature(cx: &Ctxt, sig: &Signature) {
    let name = &sig.ident;
    if let Some(a) = &sig.asyncness {
        cx.error_spanned_by(
            a,
            format!("handler `{name}` cannot be async: a dispatch runs its handlers synchronously"),
        );
    }
    if let syn::Safety::Unsafe(u) = &sig.safety {
        cx.error_spanned_by(u, format!("handler `{name}` cannot be unsafe"));
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        cx.error_spanned_by(&sig.generics, format!("handler `{name}` cannot be generic"));
    }
    let expected = "handlers are written `fn name(&self, model: &mut Model)` (or `&mut self`)";
    let mut inputs = sig.inputs.iter().peekable();
    match inputs.peek() {
        Some(syn::FnArg::Receiver(r)) => {
            if !matches!(r.kind, syn::ReceiverKind::Reference(..)) {
                cx.error_spanned_by(
                    r,
                    format!("handler `{name}` must borrow the charm: take `&self` or `&mut self`"),
                );
            }
            inputs.next();
        }
        _ => cx.error_spanned_by(
            name,
            format!("handler `{name}` has no receiver: {expected}"),
        ),
    }
    let rest: Vec<_> = inputs.collect();
    match rest.len() {
        1 | 2 => {}
        0 => cx.error_at(
            sig.paren_token.span.join(),
            format!("handler `{name}` needs the model argument: {expected}"),
        ),
        _ => cx.error_spanned_by(
            rest[2],
            format!(
                "handler `{name}` takes the model, and for an action its parameters: {expected}"
            ),
        ),
    }
    if let Some(v) = &sig.variadic {
        cx.error_spanned_by(v, "handlers cannot be variadic");
    }
}

/// A handler's third argument is the parameters of the actions it handles: every event is
/// an action, each declared with `params = T`, the same `T` for all.
fn check_params_arg(cx: &Ctxt, def: &CharmDef, h: &HandlerDef) {
    let Some(syn::FnArg::Typed(arg)) = h.sig.inputs.iter().nth(2) else {
        return;
    };
    let name = &h.ident;
    let mut types: Vec<String> = Vec::new();
    for ev in &h.events {
        if ev.kind != EventKind::Action {
            cx.error_spanned_by(
                arg,
                format!(
                    "handler `{name}` takes a third argument, which only action handlers take \
                     (the action's parameters), but it handles `{}`: handlers are written \
                     `fn name(&self, model: &mut Model)` (or `&mut self`)",
                    ev.ident
                ),
            );
            return;
        }
        let Some(action) = ev
            .arg
            .as_ref()
            .and_then(|a| def.actions.iter().find(|d| d.name.value() == a.value()))
        else {
            continue; // an undeclared action is reported by `check_events`
        };
        match &action.params {
            Some(ty) => types.push(quote!(#ty).to_string()),
            None => cx.error_spanned_by(
                &arg.ty,
                format!(
                    "action `{}` declares no parameters for `{name}` to take: add \
                     `params = {}` to its `#[action(...)]`, or drop this argument",
                    action.name.value(),
                    {
                        let ty = &arg.ty;
                        quote!(#ty).to_string().replace(' ', "")
                    }
                ),
            ),
        }
    }
    types.sort();
    types.dedup();
    if types.len() > 1 {
        cx.error_spanned_by(
            &arg.ty,
            format!(
                "handler `{name}` handles actions with different parameter types ({}); \
                 give each its own handler",
                types
                    .iter()
                    .map(|t| format!("`{}`", t.replace(' ', "")))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
}

/// A container mounts declared storage, each once, at an absolute path.
fn check_mounts(cx: &Ctxt, def: &CharmDef) {
    for c in &def.containers {
        let mut seen = BTreeSet::new();
        for m in &c.mounts {
            let Some(storage) = &m.storage else {
                cx.error_at(
                    m.span,
                    "a mount names its storage: `mounts(storage = \"data\", location = \"/var/lib/app\")`",
                );
                continue;
            };
            let name = storage.value();
            if !def.storage.iter().any(|s| s.name.value() == name) {
                let declared: Vec<String> = def.storage.iter().map(|s| s.name.value()).collect();
                let refs: Vec<&str> = declared.iter().map(String::as_str).collect();
                let hint = hint(&name, &refs, || {
                    format!("declare it with #[storage(\"{name}\", ...)] after #[charm(...)]")
                });
                cx.error_spanned_by(
                    storage,
                    format!(
                        "container `{}` mounts storage `{name}`, which is not declared; {hint}",
                        c.name.value()
                    ),
                );
            }
            if !seen.insert(name.clone()) {
                cx.error_spanned_by(
                    storage,
                    format!(
                        "container `{}` mounts storage `{name}` twice",
                        c.name.value()
                    ),
                );
            }
            if let Some(location) = &m.location {
                if !location.value().starts_with('/') {
                    cx.error_spanned_by(
                        location,
                        "a mount location is an absolute path in the container, e.g. `/var/lib/app`",
                    );
                }
            }
        }
    }
}

fn lit_kind(lit: &Lit) -> &'static str {
    match lit {
        Lit::Str(_) => "a string literal",
        Lit::Int(_) => "an integer literal",
        Lit::Float(_) => "a float literal",
        Lit::Bool(_) => "a boolean literal",
        Lit::Char(_) => "a char literal",
        _ => "a byte literal",
    }
}

/// Checks a default against a type with a known literal form (`Option<T>` checks against
/// `T`). Other types are left to rustc: the default is passed typed, spanned at the literal.
/// `what` names the option or parameter in the message.
fn check_default(cx: &Ctxt, what: &str, ty: &syn::Type, default: &DefaultLit) {
    let inner = option_inner(ty).unwrap_or(ty);
    let Some(name) = type_name(inner) else {
        return;
    };
    let Some(p) = prim(&name) else { return };
    let expected = match p {
        Prim::Int(..) => "an integer",
        Prim::Float => "a number",
        Prim::Bool => "`true` or `false`",
        Prim::Str => "a string",
    };
    let found = lit_kind(&default.lit);
    let ok = match (p, &default.lit) {
        (Prim::Int(min, max), Lit::Int(i)) => match i.base10_parse::<i128>() {
            Ok(v) => {
                let v = if default.neg.is_some() { -v } else { v };
                if v < min || v > max {
                    cx.error_spanned_by(
                        default,
                        format!("the default of {what}, {v}, is out of range for `{name}` ({min}..={max})"),
                    );
                    return;
                }
                true
            }
            Err(e) => {
                cx.syn_error(e);
                return;
            }
        },
        (Prim::Float, Lit::Float(_) | Lit::Int(_)) => true,
        (Prim::Bool, Lit::Bool(_)) | (Prim::Str, Lit::Str(_)) => default.neg.is_none(),
        _ => false,
    };
    if !ok {
        let found = if default.neg.is_some() && matches!(p, Prim::Bool | Prim::Str) {
            "a negated literal"
        } else {
            found
        };
        cx.error_spanned_by(
            default,
            format!(
                "the default of {what} must be {expected} (the type is `{name}`), found {found}"
            ),
        );
    }
}

/// Every rule of `#[derive(CharmConfig)]`, field by field: a valid option name, a default
/// that fits the type (or an `Option` type, as Juju may not send the option), no repeat.
pub fn config(cx: &Ctxt, def: &ConfigDef) {
    let mut seen = BTreeSet::new();
    for f in &def.fields {
        let name = &f.name;
        check_option_name(cx, name, f.name_span);
        match &f.default {
            Some(d) => {
                check_default(cx, &format!("option `{name}`"), &f.ty, d);
            }
            None if option_inner(&f.ty).is_none() => {
                let (ident, ty) = (&f.ident, &f.ty);
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
        if !seen.insert(name) {
            cx.error_at(f.name_span, format!("duplicate option `{name}`"));
        }
    }
}

/// An option name must be a valid Juju name.
fn check_option_name(cx: &Ctxt, name: &str, span: Span) {
    if !is_valid_name(name) {
        let hint = fix_name(name)
            .map(|f| format!(" (try `{f}`)"))
            .unwrap_or_default();
        cx.error_at(
            span,
            format!(
                "invalid option name `{name}`: Juju names are lowercase letters and digits in \
                 words joined by single dashes, starting with a letter{hint}"
            ),
        );
    }
}

/// Every rule of `#[derive(ActionParams)]`, field by field: a name Juju accepts, a default
/// that fits the type, no repeat.
pub fn params(cx: &Ctxt, def: &ParamsDef) {
    let mut seen = BTreeSet::new();
    for f in &def.fields {
        let name = &f.name;
        if !is_valid_action_name(name) {
            let hint = fix_name(name)
                .filter(|f| is_valid_action_name(f))
                .map(|f| format!(" (try `{f}`)"))
                .unwrap_or_default();
            cx.error_at(
                f.name_span,
                format!(
                    "invalid parameter name `{name}`: use lowercase letters, digits and dashes{hint}"
                ),
            );
        }
        if let Some(d) = &f.default {
            check_default(cx, &format!("parameter `{name}`"), &f.ty, d);
        }
        if !seen.insert(name) {
            cx.error_at(f.name_span, format!("duplicate parameter `{name}`"));
        }
    }
}

/// Every rule of `#[derive(Databag)]`: keys are not empty and not repeated.
pub fn databag(cx: &Ctxt, def: &DatabagDef) {
    let mut seen = BTreeSet::new();
    for f in &def.fields {
        let key = &f.key;
        if key.is_empty() {
            cx.error_at(f.key_span, "a databag key cannot be empty");
        }
        if !seen.insert(key) {
            cx.error_at(f.key_span, format!("duplicate databag key `{key}`"));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::internals::ctxt::Ctxt;
    use crate::internals::read;
    use quote::quote;

    /// The messages that reading and checking a derive input report, in order.
    fn derive_messages<D>(
        input: proc_macro2::TokenStream,
        read: fn(&Ctxt, &syn::DeriveInput) -> D,
        check: fn(&Ctxt, &D),
    ) -> Vec<String> {
        let input: syn::DeriveInput = syn::parse2(input).unwrap();
        let cx = Ctxt::new();
        let def = read(&cx, &input);
        check(&cx, &def);
        match cx.check() {
            Ok(()) => Vec::new(),
            Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn config_rules() {
        let messages = derive_messages(
            quote! {
                struct C {
                    #[config(default = 300)]
                    small: u8,
                    #[config(name = "small")]
                    other: Option<bool>,
                    #[config(default = "x")]
                    flag: bool,
                    required: String,
                    #[config(name = "Bad_Name", default = -1)]
                    fine: i8,
                }
            },
            read::config,
            super::config,
        );
        assert_eq!(
            messages,
            [
                "the default of option `small`, 300, is out of range for `u8` (0..=255)",
                "duplicate option `small`",
                "the default of option `flag` must be `true` or `false` (the type is `bool`), \
                 found a string literal",
                "option `required` has no default, so Juju may not send it: add \
                 #[config(default = ...)] or make it an Option",
                "invalid option name `Bad_Name`: Juju names are lowercase letters and digits in \
                 words joined by single dashes, starting with a letter (try `bad-name`)",
            ]
        );
    }

    #[test]
    fn databag_rules() {
        let messages = derive_messages(
            quote! {
                struct B {
                    a: u32,
                    #[databag(rename = "a")]
                    b: u32,
                    #[databag(rename = "")]
                    c: u32,
                }
            },
            read::databag,
            super::databag,
        );
        assert_eq!(
            messages,
            ["duplicate databag key `a`", "a databag key cannot be empty"]
        );
    }

    #[test]
    fn handler_signatures_and_events() {
        let mut item: syn::ItemImpl = syn::parse2(quote! {
            #[requires("db", interface = "pgsql")]
            impl Demo {
                #[on(start, start)]
                async fn a(&self, model: &mut Model) {}
                #[on(relation_changed("dv"))]
                fn b(self, model: &mut Model) {}
                #[on(stop)]
                fn c(&self) {}
            }
        })
        .unwrap();
        let cx = Ctxt::new();
        let def = read::charm(
            &cx,
            quote!(name = "demo", summary = "s", description = "d"),
            &mut item,
        );
        super::charm(&cx, &def);
        let messages: Vec<String> = cx
            .check()
            .unwrap_err()
            .into_iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            messages,
            [
                "handler `a` cannot be async: a dispatch runs its handlers synchronously",
                "handler `b` must borrow the charm: take `&self` or `&mut self`",
                "handler `c` needs the model argument: handlers are written \
                 `fn name(&self, model: &mut Model)` (or `&mut self`)",
                "`start` is listed twice",
                "`relation_changed`: no endpoint `dv` is declared on this charm; did you mean `db`?",
            ]
        );
        // The item keeps its methods, without `async` (reported above) and `#[on]`.
        let text = quote!(#item).to_string();
        assert!(!text.contains("async") && !text.contains("on ("), "{text}");
    }
}
