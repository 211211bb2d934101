//! Validation that needs more than one attribute at a time: required keys, the names Juju
//! would reject, duplicates, events naming undeclared things, handler signatures, and
//! defaults of the wrong type. Every error is spanned at the offending token.

use super::ast::{option_inner, type_name, CharmDef, DefaultLit, EventSel, Role, Target};
use super::ctxt::Ctxt;
use proc_macro2::Span;
use std::collections::BTreeMap;
use syn::{Lit, LitStr, Signature};

/// The longest summary charmcraft accepts.
pub const MAX_SUMMARY: usize = 78;

/// The architectures `platforms(...)` accepts.
pub const ARCHITECTURES: &[&str] = &["amd64", "arm64", "armhf", "ppc64el", "riscv64", "s390x"];

/// Whether Juju accepts `name` as a charm, endpoint, container, storage or option name:
/// `^[a-z][a-z0-9]*(-[a-z0-9]+)*$`.
pub fn is_valid_name(name: &str) -> bool {
    let mut parts = name.split('-');
    let first = parts.next().unwrap_or_default();
    first.starts_with(|c: char| c.is_ascii_lowercase())
        && first
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && parts.all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// Whether Juju accepts `name` as an action name: `^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$`.
pub fn is_valid_action_name(name: &str) -> bool {
    let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    !name.is_empty()
        && name.starts_with(ok)
        && name.ends_with(ok)
        && name.chars().all(|c| ok(c) || c == '-')
}

/// A valid name close to an invalid one: lowercase, `_` and spaces become `-`, other
/// characters are dropped. `None` if that is not valid either.
pub fn fix_name(name: &str) -> Option<String> {
    let mut out = String::new();
    for c in name.trim().chars() {
        match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' => out.push(c.to_ascii_lowercase()),
            '-' | '_' | ' ' if !out.is_empty() && !out.ends_with('-') => out.push('-'),
            _ => {}
        }
    }
    let fixed = out.trim_end_matches('-').to_string();
    (is_valid_name(&fixed) && fixed != name).then_some(fixed)
}

/// The optimal string alignment distance (Levenshtein plus adjacent transpositions).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// The closest candidate within a third of the word's length (at least 1, at most 3
/// edits); else the first candidate the word (of 4 characters or more) starts.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).clamp(1, 3);
    let closest = candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c);
    closest.or_else(|| {
        (word.len() >= 4)
            .then(|| candidates.iter().copied().find(|c| c.starts_with(word)))
            .flatten()
    })
}

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
    let mut seen: BTreeMap<String, ()> = BTreeMap::new();
    for lit in names {
        if seen.insert(lit.value(), ()).is_some() {
            cx.error_spanned_by(lit, format!("duplicate {what} `{}`", lit.value()));
        }
    }
}

/// Every cross-attribute rule of `#[charm]`.
pub fn check_charm(cx: &Ctxt, def: &CharmDef) {
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
                let hint = match did_you_mean(&p.value(), ARCHITECTURES) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("expected one of: {}", ARCHITECTURES.join(", ")),
                };
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
        for p in &a.params {
            if !is_valid_action_name(&p.name) {
                cx.error_at(
                    p.name_span,
                    format!(
                        "invalid parameter name `{}`: use lowercase letters, digits and dashes",
                        p.name
                    ),
                );
            }
            check_param(cx, p);
        }
        let mut seen = BTreeMap::new();
        for p in &a.params {
            if seen.insert(p.name.clone(), ()).is_some() {
                cx.error_at(p.name_span, format!("duplicate parameter `{}`", p.name));
            }
        }
    }
    check_unique(cx, "action", def.actions.iter().map(|a| &a.name));

    for h in &def.handlers {
        check_events(cx, def, &h.events);
    }
}

fn check_endpoint(cx: &Ctxt, charm_name: &str, e: &super::ast::EndpointDef) {
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
        let hint = match did_you_mean(&name, &refs) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("declare it with {how} after #[charm(...)]"),
        };
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

/// Checks a handler's signature: `fn name(&self | &mut self, model: &mut Model)`, not
/// generic, async or unsafe. Returns whether it is usable.
pub fn check_signature(cx: &Ctxt, sig: &Signature) -> bool {
    let before = cx.error_count();
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
        1 => {}
        0 => cx.error_at(
            sig.paren_token.span.join(),
            format!("handler `{name}` needs the model argument: {expected}"),
        ),
        _ => cx.error_spanned_by(
            rest[1],
            format!(
                "handler `{name}` takes one argument after the receiver (the model): {expected}"
            ),
        ),
    }
    if let Some(v) = &sig.variadic {
        cx.error_spanned_by(v, "handlers cannot be variadic");
    }
    cx.error_count() == before
}

/// A Rust type with a known literal form, for checking defaults before rustc does.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Prim {
    /// An integer type with its bounds.
    Int(i128, i128),
    /// `f32`/`f64`
    Float,
    /// `bool`
    Bool,
    /// `String`/`&str`
    Str,
}

/// The literal form of a type named `name`, if it has one.
pub fn prim(name: &str) -> Option<Prim> {
    Some(match name {
        "i8" => Prim::Int(i8::MIN.into(), i8::MAX.into()),
        "i16" => Prim::Int(i16::MIN.into(), i16::MAX.into()),
        "i32" => Prim::Int(i32::MIN.into(), i32::MAX.into()),
        "i64" | "isize" => Prim::Int(i64::MIN.into(), i64::MAX.into()),
        "u8" => Prim::Int(0, u8::MAX.into()),
        "u16" => Prim::Int(0, u16::MAX.into()),
        "u32" => Prim::Int(0, u32::MAX.into()),
        "u64" | "usize" => Prim::Int(0, u64::MAX.into()),
        "f32" | "f64" => Prim::Float,
        "bool" => Prim::Bool,
        "String" | "&str" | "str" => Prim::Str,
        _ => return None,
    })
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
pub fn check_default(cx: &Ctxt, what: &str, ty: &syn::Type, default: &DefaultLit) -> bool {
    let inner = option_inner(ty).unwrap_or(ty);
    let Some(name) = type_name(inner) else {
        return true;
    };
    let Some(p) = prim(&name) else { return true };
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
                    return false;
                }
                true
            }
            Err(e) => {
                cx.syn_error(e);
                return false;
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
    ok
}

/// An action parameter's type must map to a JSON-schema type; its default must fit it.
fn check_param(cx: &Ctxt, p: &super::ast::ParamDef) {
    if param_kind(&p.ty).is_none() {
        cx.error_spanned_by(
            &p.ty,
            "unsupported parameter type: use `String`, `bool`, an integer type or `f64` \
             (optionally in an `Option`)",
        );
        return;
    }
    if let Some(d) = &p.default {
        check_default(cx, &format!("parameter `{}`", p.name), &p.ty, d);
    }
}

/// The JSON-schema type of an action parameter's Rust type (looking through `Option`).
pub fn param_kind(ty: &syn::Type) -> Option<super::ast::ParamKind> {
    use super::ast::ParamKind;
    let inner = option_inner(ty).unwrap_or(ty);
    Some(match prim(&type_name(inner)?)? {
        Prim::Int(..) => ParamKind::Integer,
        Prim::Float => ParamKind::Number,
        Prim::Bool => ParamKind::Boolean,
        Prim::Str => ParamKind::String,
    })
}

/// Used by the config derive: an option name must be a valid Juju name.
pub fn check_option_name(cx: &Ctxt, name: &str, span: Span) {
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

#[cfg(test)]
mod tests {
    use super::{did_you_mean, edit_distance, fix_name, is_valid_action_name, is_valid_name};

    #[test]
    fn names_juju_accepts() {
        for ok in ["demo", "demo-api-charm", "fastapi-peer", "db2", "a-1"] {
            assert!(is_valid_name(ok), "{ok}");
        }
        for bad in [
            "",
            "Demo",
            "demo_api",
            "-demo",
            "demo-",
            "demo--api",
            "1demo",
            "dé",
            "de mo",
        ] {
            assert!(!is_valid_name(bad), "{bad}");
        }
    }

    #[test]
    fn action_names_juju_accepts() {
        for ok in ["get-db-info", "backup", "1st", "a--b"] {
            assert!(is_valid_action_name(ok), "{ok}");
        }
        for bad in ["", "-a", "a-", "Get", "a_b"] {
            assert!(!is_valid_action_name(bad), "{bad}");
        }
    }

    #[test]
    fn fixes_names() {
        assert_eq!(fix_name("Fast_API peer").as_deref(), Some("fast-api-peer"));
        assert_eq!(fix_name("demo"), None);
        assert_eq!(fix_name("__"), None);
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("start", "start"), 0);
        assert_eq!(edit_distance("strat", "start"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn suggestions() {
        let events = ["start", "stop", "config_changed", "update_status"];
        assert_eq!(
            did_you_mean("confg_changed", &events),
            Some("config_changed")
        );
        assert_eq!(did_you_mean("strat", &events), Some("start"));
        assert_eq!(did_you_mean("instal", &["install"]), Some("install"));
        assert_eq!(did_you_mean("banana", &events), None);
        assert_eq!(did_you_mean("update", &events), Some("update_status"));
        assert_eq!(did_you_mean("sta", &events), None);
    }
}
