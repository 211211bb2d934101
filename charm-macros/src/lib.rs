//! Procedural macros for `charm-runtime`; use them through its re-exports
//! (`use charm_runtime::prelude::*;`).
//!
//! Layout (serde_derive style), imports flowing one way: this file only converts token
//! streams; `expand` drives each macro and generates code from the model; `internals`
//! builds and validates that model: `read` walks an item and `attr` parses its attributes
//! into `model`, then `check` validates the whole model; `ctxt` (the error accumulator),
//! `event` (the event table), `names` (Juju's name rules, suggestions) and `types` are
//! leaves. On errors the item is still emitted (helper attributes stripped) with stand-in
//! impls, so only the real mistakes are reported.
//!
//! Generated code names the runtime only through `::charm_runtime::__private` (or
//! `<path>::__private` with `crate = "<path>"`, for crates that reach the runtime through a
//! re-export of their own).

mod expand;
mod internals;

use proc_macro::TokenStream;

/// Declares a charm on the inherent `impl` block of its type (PyO3 `#[pymethods]` style).
///
/// ```text
/// #[charm(
///     name = "demo-api-charm",                 // required; lowercase words joined by `-`
///     title = "Demo API",
///     summary = "One line, at most 78 chars",  // required
///     description = "Longer text.",            // required
///     assumes("juju >= 3.1", "k8s-api"),
///     base = "ubuntu@22.04",                   // the default
///     platforms("amd64", "arm64"),             // default: amd64
///     links(contact = "...", documentation = "...", issues = "...", source = "...", website = "..."),
///     config = DemoConfig,                     // a #[derive(CharmConfig)] type; default none
///     crate_dir = "charms/demo",               // default: "."
///     binary = "demo-charm",                   // default: the package name
///     crate = "my_framework::charm_runtime",   // default: ::charm_runtime
/// )]
/// #[peer("fastapi-peer", interface = "fastapi_demo_peers", optional = false, scope = "global")]
/// #[requires("database", interface = "postgresql_client", limit = 1, optional = false)]
/// #[provides("metrics", interface = "prometheus_scrape", scope = "container")]
/// #[container("demo-server", resource = "demo-server-image", upstream_source = "ghcr.io/x:1", description = "...",
///             mounts(storage = "data", location = "/var/lib/app"))]
/// #[resource("blob", kind = "file", filename = "blob.tar", description = "...")]
/// #[storage("data", kind = "filesystem", location = "/data", description = "...")]
/// #[action("get-db-info", description = "...", additional_properties = false, params = GetDbInfo)]
/// impl DemoCharm {
///     #[on(install, config_changed, relation_changed("database"), pebble_ready("demo-server"))]
///     fn reconcile(&mut self, model: &mut Model) -> Result<()> { Ok(()) }
///
///     #[on(action("get-db-info"))]
///     fn get_db_info(&self, model: &mut Model, params: GetDbInfo) -> Result<()> { Ok(()) }
/// }
/// ```
///
/// `crate_dir` is the charm crate's directory relative to `charmcraft.yaml` (charmcraft's
/// `rust-path`, which craft-parts' `rust` plugin builds with `cargo install --path`). Its
/// default, `.`, is also the plugin's: the crate is the charmcraft project, its
/// `charmcraft.yaml` next to its `Cargo.toml`. A crate inside a larger project, such as a
/// workspace member, names its directory. `binary` is the executable that becomes
/// `dispatch`. `crate` is the path the runtime is reached by (a path or a string, as in
/// serde's `#[serde(crate = "...")]`), for a crate that depends on it through a re-export.
///
/// The sibling attributes go after `#[charm(...)]`. A container declares an `oci-image`
/// resource (`<container>-image` unless `resource` says otherwise); each `mounts(...)` mounts
/// a declared storage into it (charmcraft's `containers.<name>.mounts`). An action's
/// parameters are the fields of the `#[derive(ActionParams)]` struct named by `params`.
///
/// Events: `install`, `start`, `stop`, `remove`, `config_changed`, `update_status`,
/// `upgrade_charm`, `leader_elected`, `leader_settings_changed`,
/// `relation_{created,joined,changed,departed,broken}("endpoint")`,
/// `storage_{attached,detaching}("storage")`,
/// `pebble_{ready,custom_notice,check_failed,check_recovered}("container")`,
/// `secret_{changed,rotate,remove,expired}` and `action("name")`, plus two that are not one
/// Juju event: `collect_status` runs at the end of every dispatch (actions included) to add
/// statuses, and `any` runs for every hook but actions (a reconciler; `model.event()` says
/// which). A handler runs at most once per dispatch (one that is also `collect_status` runs
/// at the end, with the collectors). An ops-style name (`database_relation_changed`) is an
/// error that says how to write it. A handler takes `&self` or `&mut self` and the
/// `&mut Model` (an action's handler also takes the action's parameters, typed by its
/// `params`), and returns `()` or `Result<(), E>`.
///
/// A handler's error type is anything that converts into `charm_runtime::Error`: every
/// `std::error::Error + Send + Sync`, `String`, `&str` and `anyhow::Error` (so a handler may
/// return `anyhow::Result<()>`).
///
/// Generated: one `pub const` `charm_runtime::Endpoint<Role>` per endpoint, named in upper
/// snake case (`DemoCharm::FASTAPI_PEER: Endpoint<Peer>`), one `ContainerName` const per
/// container, `impl Charm` with `type Config` (the `config` type, or `NoConfig`),
/// `ENDPOINTS`, `HANDLERS` and `metadata()`, and the crate's one `ModelConfig` impl, through
/// which `model.config()` returns the charm's config with no annotation.
#[proc_macro_attribute]
pub fn charm(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::charm::expand(args.into(), input.into()).into()
}

/// Declares a peer endpoint; goes after `#[charm(...)]` (see [`macro@charm`]).
#[proc_macro_attribute]
pub fn peer(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::charm::misplaced("peer", args.into(), input.into()).into()
}

/// Declares a requires endpoint; goes after `#[charm(...)]` (see [`macro@charm`]).
#[proc_macro_attribute]
pub fn requires(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::charm::misplaced("requires", args.into(), input.into()).into()
}

/// Declares a provides endpoint; goes after `#[charm(...)]` (see [`macro@charm`]).
#[proc_macro_attribute]
pub fn provides(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::charm::misplaced("provides", args.into(), input.into()).into()
}

/// Declares a workload container and its image; goes after `#[charm(...)]`.
#[proc_macro_attribute]
pub fn container(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::charm::misplaced("container", args.into(), input.into()).into()
}

/// Declares a resource; goes after `#[charm(...)]`.
#[proc_macro_attribute]
pub fn resource(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::charm::misplaced("resource", args.into(), input.into()).into()
}

/// Declares a storage; goes after `#[charm(...)]`.
#[proc_macro_attribute]
pub fn storage(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::charm::misplaced("storage", args.into(), input.into()).into()
}

/// Declares an action; goes after `#[charm(...)]`.
#[proc_macro_attribute]
pub fn action(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::charm::misplaced("action", args.into(), input.into()).into()
}

/// Routes events to a method of a `#[charm(...)]` impl block, which reads and strips it.
/// Found anywhere else, it is an error.
#[proc_macro_attribute]
pub fn on(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::charm::misplaced("on", args.into(), input.into()).into()
}

/// Derives serde's `Serialize` and `Deserialize` through the runtime's re-export of serde,
/// with `#[serde(crate = "...")]` pointing there too, so a type stored as JSON (in a databag
/// field, say) needs no serde dependency. Put it before other derives and `#[serde(...)]`
/// attributes. `#[json_value(crate = "path")]` names where the runtime is.
#[proc_macro_attribute]
pub fn json_value(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::json_value::expand(args.into(), input.into()).into()
}

/// Derives `CharmConfig` for a struct with named fields: one option per field.
///
/// The option name is the field name with `_` replaced by `-`, or `#[config(name = "...")]`;
/// the description is the doc comment; `#[config(default = literal)]` sets the default. A
/// field without a default must be an `Option`, since Juju does not send unset options.
/// `#[config(crate = "path")]` on the struct names where the runtime is.
#[proc_macro_derive(CharmConfig, attributes(config))]
pub fn charm_config(input: TokenStream) -> TokenStream {
    expand::config::expand(input.into()).into()
}

/// Derives `Databag` for a struct with named fields: one key per field, named after it or
/// `#[databag(rename = "key")]`, JSON-encoded (ops' convention) or, with `#[databag(raw)]`,
/// the raw string (on the struct: every field's default, which `#[databag(json)]` overrides).
/// `Option` fields may be missing; saving `None` deletes the key.
/// `#[databag(crate = "path")]` on the struct names where the runtime is.
#[proc_macro_derive(Databag, attributes(databag))]
pub fn databag(input: TokenStream) -> TokenStream {
    expand::databag::expand(input.into()).into()
}

/// Derives `ActionParams` for a struct with named fields: one action parameter per field,
/// named after it with `_` replaced by `-` (or `#[param(name = "...")]`), typed by the
/// field's type (JSON schema), described by its doc comment, defaulted by
/// `#[param(default = literal)]`, `required` when it is neither defaulted nor an `Option`.
/// `#[param(crate = "path")]` on the struct names where the runtime is.
#[proc_macro_derive(ActionParams, attributes(param))]
pub fn action_params(input: TokenStream) -> TokenStream {
    expand::params::expand(input.into()).into()
}
