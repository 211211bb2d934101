//! Rendering [`CharmMetadata`] to `charmcraft.yaml` and to the files charmcraft writes into
//! a `.charm` (`metadata.yaml`, `config.yaml`, `actions.yaml`, `manifest.yaml`).
//!
//! `charmcraft.yaml` keeps a fixed, readable key order. The `.charm` files are written with
//! every mapping's keys sorted, as charmcraft does (`yaml.safe_dump(..., sort_keys=True)`),
//! so they compare equal to what `charmcraft pack` would have produced.

use serde_yaml::{Mapping, Value};

use super::{
    Action, ActionParam, CharmMetadata, ConfigOption, ConfigValue, Endpoint, OptionType, ParamType,
    Resource, ResourceKind, Scope, Storage, StorageKind,
};

/// The comment block at the top of a generated `charmcraft.yaml`.
pub const GENERATED_HEADER: &str = "\
# Generated from the charm's Rust code by charm-runtime. Do not edit.
# Regenerate with: UPDATE_CHARMCRAFT=1 cargo test -p demo-charm
";

/// A [`Mapping`] builder that keeps insertion order and drops absent or empty values.
#[derive(Default)]
struct Map(Mapping);

impl Map {
    fn new() -> Self {
        Self::default()
    }

    /// Always inserts.
    fn put(&mut self, key: &str, value: impl Into<Value>) -> &mut Self {
        self.0.insert(Value::from(key), value.into());
        self
    }

    /// Inserts when `value` is `Some`.
    fn opt<V: Into<Value>>(&mut self, key: &str, value: Option<V>) -> &mut Self {
        if let Some(value) = value {
            self.put(key, value);
        }
        self
    }

    /// Inserts when `value` is not an empty mapping or sequence.
    fn non_empty(&mut self, key: &str, value: Value) -> &mut Self {
        let empty = match &value {
            Value::Mapping(m) => m.is_empty(),
            Value::Sequence(s) => s.is_empty(),
            _ => false,
        };
        if !empty {
            self.put(key, value);
        }
        self
    }

    fn into_value(self) -> Value {
        Value::Mapping(self.0)
    }
}

fn strings(items: &[String]) -> Value {
    Value::Sequence(items.iter().map(|s| Value::from(s.as_str())).collect())
}

/// A mapping `name: render(item)` over `items`, in their declared order.
fn named<T>(items: &[T], name: impl Fn(&T) -> &str, render: impl Fn(&T) -> Value) -> Value {
    let mut map = Mapping::new();
    for item in items {
        map.insert(Value::from(name(item)), render(item));
    }
    Value::Mapping(map)
}

/// Recursively sorts every mapping's keys, as Python's `yaml.safe_dump(sort_keys=True)`.
fn sorted(value: Value) -> Value {
    match value {
        Value::Mapping(map) => {
            let mut entries: Vec<(Value, Value)> = map.into_iter().collect();
            entries.sort_by_key(|(k, _)| key_order(k));
            Value::Mapping(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Sequence(items) => Value::Sequence(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

fn key_order(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        other => emit::scalar(other),
    }
}

fn to_yaml(value: &Value) -> String {
    emit::document(value)
}

/// A `serde_json::Value` (an action parameter default) as YAML.
fn json_to_yaml(value: &serde_json::Value) -> Value {
    match value {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                Value::from(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        serde_json::Value::String(s) => Value::from(s.as_str()),
        serde_json::Value::Array(items) => {
            Value::Sequence(items.iter().map(json_to_yaml).collect())
        }
        serde_json::Value::Object(map) => Value::Mapping(
            map.iter()
                .map(|(k, v)| (Value::from(k.as_str()), json_to_yaml(v)))
                .collect(),
        ),
    }
}

fn endpoint(e: &Endpoint) -> Value {
    let mut m = Map::new();
    m.put("interface", e.interface.as_str())
        .opt("limit", e.limit.map(u64::from))
        .opt("optional", e.optional)
        .opt(
            "scope",
            e.scope.map(|s| match s {
                Scope::Global => "global",
                Scope::Container => "container",
            }),
        );
    m.into_value()
}

fn resource(r: &Resource) -> Value {
    let kind = match r.kind {
        ResourceKind::OciImage => "oci-image",
        ResourceKind::File => "file",
    };
    let mut m = Map::new();
    m.put("type", kind)
        .opt("description", r.description.as_deref())
        .opt("filename", r.filename.as_deref())
        .opt("upstream-source", r.upstream_source.as_deref());
    m.into_value()
}

fn storage(s: &Storage) -> Value {
    let kind = match s.kind {
        StorageKind::Filesystem => "filesystem",
        StorageKind::Block => "block",
    };
    let mut m = Map::new();
    m.put("type", kind)
        .opt("description", s.description.as_deref())
        .opt("location", s.location.as_deref());
    m.into_value()
}

fn config_value(v: &ConfigValue) -> Value {
    match v {
        ConfigValue::String(s) => Value::from(s.as_str()),
        ConfigValue::Int(i) => Value::from(*i),
        ConfigValue::Float(f) => Value::from(*f),
        ConfigValue::Boolean(b) => Value::Bool(*b),
    }
}

fn config_option(o: &ConfigOption) -> Value {
    let kind = match o.kind {
        OptionType::String => "string",
        OptionType::Int => "int",
        OptionType::Float => "float",
        OptionType::Boolean => "boolean",
        OptionType::Secret => "secret",
    };
    let mut m = Map::new();
    m.put("type", kind)
        .opt("default", o.default.as_ref().map(config_value))
        .opt("description", o.description.as_deref());
    m.into_value()
}

fn action_param(p: &ActionParam) -> Value {
    let kind = match p.kind {
        ParamType::String => "string",
        ParamType::Integer => "integer",
        ParamType::Number => "number",
        ParamType::Boolean => "boolean",
    };
    let mut m = Map::new();
    m.put("type", kind)
        .opt("description", p.description.as_deref())
        .opt("default", p.default.as_ref().map(json_to_yaml));
    m.into_value()
}

fn action(a: &Action) -> Value {
    let required: Vec<String> = a
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| p.name.clone())
        .collect();
    let mut m = Map::new();
    m.opt("description", a.description.as_deref())
        .non_empty("params", named(&a.params, |p| &p.name, action_param))
        .non_empty("required", strings(&required))
        .put("additionalProperties", a.additional_properties);
    m.into_value()
}

/// Splits `ubuntu@22.04` into `("ubuntu", "22.04")`.
fn split_base(base: &str) -> (&str, &str) {
    base.split_once('@').unwrap_or((base, ""))
}

impl CharmMetadata {
    /// The `containers`, `resources`, `peers`, `provides`, `requires` and `storage`
    /// sections, each left out when empty. Shared by `charmcraft.yaml` and `metadata.yaml`.
    fn put_relations_and_workloads(&self, m: &mut Map) {
        m.non_empty(
            "containers",
            named(
                &self.containers,
                |c| &c.name,
                |c| {
                    let mut m = Map::new();
                    m.put("resource", c.resource.as_str());
                    m.into_value()
                },
            ),
        )
        .non_empty("resources", named(&self.resources, |r| &r.name, resource))
        .non_empty("peers", named(&self.peers, |e| &e.name, endpoint))
        .non_empty("provides", named(&self.provides, |e| &e.name, endpoint))
        .non_empty("requires", named(&self.requires, |e| &e.name, endpoint))
        .non_empty("storage", named(&self.storage, |s| &s.name, storage));
    }

    /// The `config` section's value (`{options: {...}}`), or `None` without options.
    fn config_value(&self) -> Option<Value> {
        if self.config.is_empty() {
            return None;
        }
        let mut m = Map::new();
        m.put("options", named(&self.config, |o| &o.name, config_option));
        Some(m.into_value())
    }

    /// The `actions` section's value, or `None` without actions.
    fn actions_value(&self) -> Option<Value> {
        if self.actions.is_empty() {
            return None;
        }
        Some(named(&self.actions, |a| &a.name, action))
    }

    /// The `parts` section: one `charm` part built by craft-parts' `rust` plugin, which
    /// runs `cargo install --locked --path <crate_dir>` into the part's `bin/`; the binary
    /// is then moved to the charm root as `dispatch`. `None` when the build is not set.
    fn parts_value(&self) -> Option<Value> {
        let build = &self.build;
        if build.crate_dir.is_empty() || build.binary.is_empty() {
            return None;
        }
        let mut organize = Map::new();
        organize.put(&format!("bin/{}", build.binary), "dispatch");
        let mut part = Map::new();
        part.put("plugin", "rust")
            .put("source", ".")
            .put("rust-path", strings(std::slice::from_ref(&build.crate_dir)))
            .put("organize", organize.into_value())
            .put("prime", strings(&["dispatch".to_string()]));
        let mut parts = Map::new();
        parts.put("charm", part.into_value());
        Some(parts.into_value())
    }

    /// The links section of `charmcraft.yaml`.
    fn links_value(&self) -> Value {
        let l = &self.links;
        let mut m = Map::new();
        m.opt("contact", l.contact.as_deref())
            .opt("documentation", l.documentation.as_deref())
            .opt("issues", l.issues.as_deref())
            .opt("source", l.source.as_deref())
            .opt("website", l.website.as_deref());
        m.into_value()
    }

    /// The whole `charmcraft.yaml` as a YAML value, keys in a fixed, readable order:
    /// `type`, `name`, `title`, `summary`, `description`, `links`, `assumes`, `base`,
    /// `platforms`, `parts`, `containers`, `resources`, `peers`, `provides`, `requires`,
    /// `storage`, `config`, `actions`. Empty sections and unset fields are left out.
    pub fn to_charmcraft_value(&self) -> Value {
        let mut m = Map::new();
        m.put("type", "charm")
            .put("name", self.name.as_str())
            .opt("title", self.title.as_deref())
            .put("summary", self.summary.as_str())
            .put("description", self.description.as_str())
            .non_empty("links", self.links_value())
            .non_empty("assumes", strings(&self.assumes));
        if !self.base.is_empty() {
            m.put("base", self.base.as_str());
        }
        // charmcraft's shorthand `platforms: {amd64: }`: the value is null and charmcraft
        // expands it to `{build-on: [amd64], build-for: [amd64]}`.
        m.non_empty(
            "platforms",
            Value::Mapping(
                self.platforms
                    .iter()
                    .map(|p| (Value::from(p.as_str()), Value::Null))
                    .collect(),
            ),
        )
        .opt("parts", self.parts_value());
        self.put_relations_and_workloads(&mut m);
        m.opt("config", self.config_value())
            .opt("actions", self.actions_value());
        m.into_value()
    }

    /// `charmcraft.yaml`: [`GENERATED_HEADER`] followed by [`Self::to_charmcraft_value`].
    pub fn to_charmcraft_yaml(&self) -> String {
        let mut out = String::from(GENERATED_HEADER);
        out.push_str(&to_yaml(&self.to_charmcraft_value()));
        out
    }

    /// The `metadata.yaml` charmcraft writes into the `.charm`: `name`, `display-name`
    /// (from `title`), `summary`, `description`, `maintainers` (from `links.contact`),
    /// `docs` (from `links.documentation`), `issues`, `source`, `website`, `assumes`,
    /// `containers`, `resources`, `peers`, `provides`, `requires`, `storage`. Keys are
    /// sorted, as charmcraft writes them.
    pub fn to_metadata_yaml(&self) -> String {
        let l = &self.links;
        let mut m = Map::new();
        m.put("name", self.name.as_str())
            .opt("display-name", self.title.as_deref())
            .put("summary", self.summary.as_str())
            .put("description", self.description.as_str())
            .opt(
                "maintainers",
                l.contact.as_ref().map(|c| strings(std::slice::from_ref(c))),
            )
            .opt("docs", l.documentation.as_deref())
            .opt("issues", l.issues.as_deref())
            .opt("source", l.source.as_deref())
            .opt("website", l.website.as_deref())
            .non_empty("assumes", strings(&self.assumes));
        self.put_relations_and_workloads(&mut m);
        to_yaml(&sorted(m.into_value()))
    }

    /// The `config.yaml` charmcraft writes into the `.charm` (an `options:` map, keys
    /// sorted), or `None` when the charm has no config options.
    pub fn to_config_yaml(&self) -> Option<String> {
        self.config_value().map(|v| to_yaml(&sorted(v)))
    }

    /// The `actions.yaml` charmcraft writes into the `.charm` (keys sorted), or `None`
    /// when the charm has no actions.
    pub fn to_actions_yaml(&self) -> Option<String> {
        self.actions_value().map(|v| to_yaml(&sorted(v)))
    }

    /// The `manifest.yaml` charmcraft writes into the `.charm`. `bases` comes from `base`
    /// (`ubuntu@22.04` gives `{name: ubuntu, channel: "22.04"}`) with every platform as an
    /// architecture; a multi-base platform name `ubuntu@24.04:amd64` gives its own base.
    /// `analysis` reports `language: rust` and `framework: charm-runtime`.
    pub fn to_manifest_yaml(&self, charmcraft_version: &str, started_at: &str) -> String {
        // (name, channel) -> architectures, in first-seen order.
        let mut bases: Vec<((String, String), Vec<String>)> = Vec::new();
        let mut add = |base: &str, arch: &str| {
            let (name, channel) = split_base(base);
            let key = (name.to_string(), channel.to_string());
            match bases.iter_mut().find(|(k, _)| *k == key) {
                Some((_, archs)) => {
                    if !archs.iter().any(|a| a == arch) {
                        archs.push(arch.to_string());
                    }
                }
                None => bases.push((key, vec![arch.to_string()])),
            }
        };
        for platform in &self.platforms {
            match platform.split_once(':') {
                Some((base, arch)) => add(base, arch),
                None => add(&self.base, platform),
            }
        }
        let bases = Value::Sequence(
            bases
                .into_iter()
                .map(|((name, channel), archs)| {
                    let mut b = Map::new();
                    b.put("architectures", strings(&archs))
                        .put("channel", channel)
                        .put("name", name);
                    b.into_value()
                })
                .collect(),
        );
        let attribute = |name: &str, result: &str| {
            let mut a = Map::new();
            a.put("name", name).put("result", result);
            a.into_value()
        };
        let mut analysis = Map::new();
        analysis.put(
            "attributes",
            Value::Sequence(vec![
                attribute("language", "rust"),
                attribute("framework", "charm-runtime"),
            ]),
        );
        let mut m = Map::new();
        m.put("analysis", analysis.into_value())
            .put("bases", bases)
            .put("charmcraft-started-at", started_at)
            .put("charmcraft-version", charmcraft_version);
        to_yaml(&m.into_value())
    }
}

impl CharmMetadata {
    /// The generated files charmcraft puts in a `.charm`, in the order a packer writes them:
    /// `metadata.yaml`, then `config.yaml` and `actions.yaml` when the charm has config
    /// options or actions, then `manifest.yaml` (see [`Self::to_manifest_yaml`] for the two
    /// arguments). Used by `cargo charm pack` through the binary's `metadata --format json`.
    pub fn to_charm_files(
        &self,
        charmcraft_version: &str,
        started_at: &str,
    ) -> Vec<(&'static str, String)> {
        let mut files = vec![("metadata.yaml", self.to_metadata_yaml())];
        if let Some(config) = self.to_config_yaml() {
            files.push(("config.yaml", config));
        }
        if let Some(actions) = self.to_actions_yaml() {
            files.push(("actions.yaml", actions));
        }
        files.push((
            "manifest.yaml",
            self.to_manifest_yaml(charmcraft_version, started_at),
        ));
        files
    }
}

/// A small block-style YAML emitter.
///
/// yaml_serde quotes strings by YAML 1.2 rules, so it writes `on`, `yes`, `2024-01-01`,
/// `1:20` or `1_000` plain; the readers of these files (PyYAML in charmcraft and ops, and
/// Go's yaml.v2 in Juju) use YAML 1.1 rules and would read those as booleans, dates or
/// numbers. This emitter writes a string plain only when every common resolver reads it
/// back as the same string; otherwise it quotes it. Multi-line strings become literal
/// blocks. Mapping entries whose value is null are written as `key:` (charmcraft's
/// `platforms: {amd64: }` shorthand).
mod emit {
    use serde_yaml::Value;

    /// The whole document, ending with a newline.
    pub(super) fn document(value: &Value) -> String {
        let mut lines = Vec::new();
        match value {
            Value::Mapping(m) if !m.is_empty() => mapping(&mut lines, m, 0),
            Value::Sequence(s) if !s.is_empty() => sequence(&mut lines, s, 0),
            other => lines.push(scalar(other)),
        }
        let mut out = lines.join("\n");
        out.push('\n');
        out
    }

    fn pad(indent: usize) -> String {
        " ".repeat(indent)
    }

    fn is_block(value: &Value) -> bool {
        match value {
            Value::Mapping(m) => !m.is_empty(),
            Value::Sequence(s) => !s.is_empty(),
            Value::Tagged(t) => is_block(&t.value),
            _ => false,
        }
    }

    fn mapping(lines: &mut Vec<String>, map: &serde_yaml::Mapping, indent: usize) {
        for (key, value) in map {
            let key = format!("{}{}:", pad(indent), scalar(key));
            match value {
                Value::Mapping(m) if !m.is_empty() => {
                    lines.push(key);
                    mapping(lines, m, indent + 2);
                }
                // Block sequences sit at their key's indentation, as PyYAML writes them.
                Value::Sequence(s) if !s.is_empty() => {
                    lines.push(key);
                    sequence(lines, s, indent);
                }
                Value::Null => lines.push(key),
                Value::String(s) if literal_ok(s) => {
                    lines.push(format!("{key} {}", literal_header(s)));
                    literal_body(lines, s, indent + 2);
                }
                other => lines.push(format!("{key} {}", scalar(other))),
            }
        }
    }

    fn sequence(lines: &mut Vec<String>, items: &[Value], indent: usize) {
        for item in items {
            match item {
                v if is_block(v) => {
                    // Render the collection one level deeper, then put the dash on its
                    // first line: `- key: value` / `  other: value`.
                    let mut sub = Vec::new();
                    match v {
                        Value::Mapping(m) => mapping(&mut sub, m, indent + 2),
                        Value::Sequence(s) => sequence(&mut sub, s, indent + 2),
                        _ => unreachable!("is_block"),
                    }
                    if let Some(first) = sub.first_mut() {
                        first.replace_range(indent..indent + 2, "- ");
                    }
                    lines.extend(sub);
                }
                Value::String(s) if literal_ok(s) => {
                    lines.push(format!("{}- {}", pad(indent), literal_header(s)));
                    literal_body(lines, s, indent + 2);
                }
                other => lines.push(format!("{}- {}", pad(indent), scalar(other))),
            }
        }
    }

    /// Whether `s` can be written as a literal block scalar that reads back unchanged.
    fn literal_ok(s: &str) -> bool {
        s.contains('\n')
            && s.chars().all(|c| c == '\n' || c == '\t' || printable(c))
            // A line of only blanks can be taken for indentation or an empty line.
            && s.split('\n').all(|l| l.is_empty() || !l.trim().is_empty())
            // Trailing blank lines need `|+` and are easy to get subtly wrong: quote those.
            && !s.ends_with("\n\n")
    }

    fn literal_header(s: &str) -> String {
        // An explicit indentation indicator when the first line starts with a blank (or
        // is empty) so the parser does not guess the indentation from it.
        let indicator = if s.starts_with([' ', '\t', '\n']) {
            "2"
        } else {
            ""
        };
        let chomp = if s.ends_with('\n') { "" } else { "-" };
        format!("|{indicator}{chomp}")
    }

    fn literal_body(lines: &mut Vec<String>, s: &str, indent: usize) {
        let body = s.strip_suffix('\n').unwrap_or(s);
        for line in body.split('\n') {
            if line.is_empty() {
                lines.push(String::new());
            } else {
                lines.push(format!("{}{line}", pad(indent)));
            }
        }
    }

    fn printable(c: char) -> bool {
        !c.is_control() && c != '\u{feff}' && c != '\u{2028}' && c != '\u{2029}'
    }

    /// A scalar (or an empty collection) on one line.
    pub(super) fn scalar(value: &Value) -> String {
        match value {
            Value::Null => "null".to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => number(n),
            Value::String(s) => string(s),
            Value::Sequence(s) if s.is_empty() => "[]".to_string(),
            Value::Mapping(m) if m.is_empty() => "{}".to_string(),
            // Only scalars and empty collections reach here from the callers above;
            // fall back to a flow rendering for anything else.
            Value::Sequence(s) => {
                let items: Vec<String> = s.iter().map(scalar).collect();
                format!("[{}]", items.join(", "))
            }
            Value::Mapping(m) => {
                let items: Vec<String> = m
                    .iter()
                    .map(|(k, v)| format!("{}: {}", scalar(k), scalar(v)))
                    .collect();
                format!("{{{}}}", items.join(", "))
            }
            Value::Tagged(t) => scalar(&t.value),
        }
    }

    fn number(n: &serde_yaml::Number) -> String {
        if let Some(i) = n.as_i64() {
            return i.to_string();
        }
        if let Some(u) = n.as_u64() {
            return u.to_string();
        }
        let f = n.as_f64().unwrap_or(f64::NAN);
        if f.is_nan() {
            ".nan".to_string()
        } else if f.is_infinite() {
            if f > 0.0 { ".inf" } else { "-.inf" }.to_string()
        } else {
            // Rust's `Display` for f64 never uses an exponent; YAML 1.1 needs a `.` in a
            // float, so `3` becomes `3.0`.
            let s = f.to_string();
            if s.contains('.') {
                s
            } else {
                format!("{s}.0")
            }
        }
    }

    /// A string: plain when safe, else single-quoted, else double-quoted with escapes.
    fn string(s: &str) -> String {
        if plain_ok(s) {
            s.to_string()
        } else if s.chars().all(printable) {
            format!("'{}'", s.replace('\'', "''"))
        } else {
            double_quoted(s)
        }
    }

    /// Words that YAML 1.1 or 1.2 resolves to booleans, nulls or special floats.
    const RESERVED: &[&str] = &[
        "y", "n", "yes", "no", "true", "false", "on", "off", "null", "~", "=", "<<",
    ];

    fn plain_ok(s: &str) -> bool {
        let Some(first) = s.chars().next() else {
            return false;
        };
        let last = s.chars().next_back().unwrap_or(first);
        // Indicators that cannot start a plain scalar, and `-`, `+` and digits, which may
        // start a number, a date or `-.inf`: quote those too, to be safe.
        if "-?:,[]{}#&*!|>'\"%@`+ \t".contains(first) || first.is_ascii_digit() {
            return false;
        }
        // `.5`, `.inf`, `.NaN` are floats; `.` or `./src` are strings.
        if first == '.' && s[1..].starts_with(|c: char| c.is_ascii_digit() || "iInN".contains(c)) {
            return false;
        }
        if last == ' ' || last == '\t' || last == ':' {
            return false;
        }
        if RESERVED.contains(&s.to_ascii_lowercase().as_str()) {
            return false;
        }
        if s.contains(": ") || s.contains(" #") || s.contains(":\t") || s.contains('\t') {
            return false;
        }
        s.chars().all(printable)
    }

    fn double_quoted(s: &str) -> String {
        let mut out = String::with_capacity(s.len() + 2);
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                c if printable(c) => out.push(c),
                c if (c as u32) <= 0xffff => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push_str(&format!("\\U{:08x}", c as u32)),
            }
        }
        out.push('"');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::{
        Action, ActionParam, Build, CharmMetadata, ConfigOption, ConfigValue, Container, Endpoint,
        Links, OptionType, ParamType, Resource, ResourceKind,
    };
    use super::GENERATED_HEADER;
    use serde_yaml::Value;

    /// The SDK tutorial's `demo-api-charm`.
    fn demo() -> CharmMetadata {
        CharmMetadata {
            name: "demo-api-charm".into(),
            title: Some("demo-fastapi-k8s".into()),
            summary: "FastAPI Demo charm for Kubernetes".into(),
            description: "This is a demo charm built on top of a small Python FastAPI server.\n\
                          It serves as a demo for the Juju SDK tutorial.\n"
                .into(),
            links: Links {
                documentation: Some("https://example.com/docs".into()),
                contact: Some("Demo Team <demo@example.com>".into()),
                ..Links::default()
            },
            assumes: vec!["juju >= 3.1".into(), "k8s-api".into()],
            base: "ubuntu@22.04".into(),
            platforms: vec!["amd64".into()],
            build: Build {
                crate_dir: "demo-charm".into(),
                binary: "demo-charm".into(),
            },
            containers: vec![Container {
                name: "demo-server".into(),
                resource: "demo-server-image".into(),
            }],
            resources: vec![Resource {
                name: "demo-server-image".into(),
                kind: ResourceKind::OciImage,
                description: Some("OCI image from GitHub Container Repository".into()),
                upstream_source: Some("ghcr.io/canonical/api_demo_server:1.0.1".into()),
                filename: None,
            }],
            peers: vec![Endpoint {
                name: "fastapi-peer".into(),
                interface: "fastapi_demo_peers".into(),
                limit: None,
                optional: None,
                scope: None,
            }],
            provides: vec![],
            requires: vec![Endpoint {
                name: "database".into(),
                interface: "postgresql_client".into(),
                limit: Some(1),
                optional: None,
                scope: None,
            }],
            storage: vec![],
            config: vec![ConfigOption {
                name: "server-port".into(),
                kind: OptionType::Int,
                default: Some(ConfigValue::Int(8000)),
                description: Some("Default port on which FastAPI is available".into()),
            }],
            actions: vec![Action {
                name: "get-db-info".into(),
                description: Some("Fetches database authentication information".into()),
                params: vec![ActionParam {
                    name: "show-password".into(),
                    kind: ParamType::Boolean,
                    description: Some("Show username and password in output information".into()),
                    default: Some(serde_json::Value::Bool(false)),
                    required: false,
                }],
                additional_properties: false,
            }],
        }
    }

    fn minimal() -> CharmMetadata {
        CharmMetadata {
            name: "tiny".into(),
            summary: "A tiny charm".into(),
            description: "Tiny.".into(),
            base: "ubuntu@24.04".into(),
            platforms: vec!["amd64".into()],
            ..CharmMetadata::default()
        }
    }

    fn parse(yaml: &str) -> Value {
        serde_yaml::from_str(yaml).expect("rendered YAML parses")
    }

    fn keys(v: &Value) -> Vec<&str> {
        v.as_mapping()
            .expect("a mapping")
            .keys()
            .map(|k| k.as_str().expect("string key"))
            .collect()
    }

    /// The tricky-string charm used by `render_tricky_strings_round_trip`.
    fn tricky() -> CharmMetadata {
        let mut meta = minimal();
        meta.description = "Para one.\n\n  Indented code.\nLast line".into();
        meta.config = TRICKY
            .iter()
            .enumerate()
            .map(|(i, s)| ConfigOption {
                name: format!("o{i}"),
                kind: OptionType::String,
                default: Some(ConfigValue::String(s.to_string())),
                description: Some(s.to_string()),
            })
            .collect();
        meta.assumes = TRICKY.iter().map(|s| s.to_string()).collect();
        meta.build = Build {
            crate_dir: "tiny".into(),
            binary: "tiny".into(),
        };
        meta
    }

    /// Prints the demo's files. With `RENDER_OUT_DIR=<dir>` it also writes
    /// `<dir>/charmcraft.yaml`, `<dir>/tricky/charmcraft.yaml` and the `.charm` files in
    /// `<dir>/charm/` (apart: charmcraft refuses a `config.yaml` next to a
    /// `charmcraft.yaml` with `config:`), for checking with the real tools:
    /// `RENDER_OUT_DIR=/tmp/r cargo test -p charm-runtime render_print -- --nocapture`, then
    /// `.venv/bin/python tools/validate_charmcraft.py /tmp/r/charmcraft.yaml
    /// --compare-charm-dir /tmp/r/charm`.
    #[test]
    fn render_print_demo_files() {
        let meta = demo();
        let files = [
            ("charmcraft.yaml", meta.to_charmcraft_yaml()),
            ("charm/metadata.yaml", meta.to_metadata_yaml()),
            ("charm/config.yaml", meta.to_config_yaml().unwrap()),
            ("charm/actions.yaml", meta.to_actions_yaml().unwrap()),
            (
                "charm/manifest.yaml",
                meta.to_manifest_yaml("4.5.0", "2025-01-01T00:00:00+00:00"),
            ),
            ("tricky/charmcraft.yaml", tricky().to_charmcraft_yaml()),
        ];
        for (name, text) in &files[..5] {
            println!("--- {name}\n{text}");
        }
        if let Some(dir) = std::env::var_os("RENDER_OUT_DIR") {
            let dir = std::path::PathBuf::from(dir);
            for (name, text) in &files {
                let path = dir.join(name);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            }
        }
    }

    #[test]
    fn render_charmcraft_yaml_structure() {
        let text = demo().to_charmcraft_yaml();
        assert!(text.starts_with(GENERATED_HEADER));
        assert!(GENERATED_HEADER.lines().all(|l| l.starts_with("# ")));
        let v = parse(&text);
        assert_eq!(
            keys(&v),
            [
                "type",
                "name",
                "title",
                "summary",
                "description",
                "links",
                "assumes",
                "base",
                "platforms",
                "parts",
                "containers",
                "resources",
                "peers",
                "requires",
                "config",
                "actions",
            ]
        );
        assert_eq!(v["type"], "charm");
        assert_eq!(v["name"], "demo-api-charm");
        assert_eq!(v["title"], "demo-fastapi-k8s");
        assert_eq!(v["summary"], "FastAPI Demo charm for Kubernetes");
        assert!(v["description"].as_str().unwrap().contains("\n"));
        assert_eq!(v["links"]["documentation"], "https://example.com/docs");
        assert_eq!(v["links"]["contact"], "Demo Team <demo@example.com>");
        assert_eq!(keys(&v["links"]), ["contact", "documentation"]);
        assert_eq!(v["assumes"][0], "juju >= 3.1");
        assert_eq!(v["assumes"][1], "k8s-api");
        assert_eq!(v["base"], "ubuntu@22.04");
        assert_eq!(keys(&v["platforms"]), ["amd64"]);
        assert_eq!(v["platforms"]["amd64"], Value::Null);
        assert!(text.contains("\nplatforms:\n  amd64:\n"));

        let part = &v["parts"]["charm"];
        assert_eq!(part["plugin"], "rust");
        assert_eq!(part["source"], ".");
        assert_eq!(part["rust-path"][0], "demo-charm");
        assert_eq!(part["organize"]["bin/demo-charm"], "dispatch");
        assert_eq!(part["prime"][0], "dispatch");

        assert_eq!(
            v["containers"]["demo-server"]["resource"],
            "demo-server-image"
        );
        let image = &v["resources"]["demo-server-image"];
        assert_eq!(image["type"], "oci-image");
        assert_eq!(
            image["upstream-source"],
            "ghcr.io/canonical/api_demo_server:1.0.1"
        );
        assert!(image.get("filename").is_none());
        assert_eq!(
            v["peers"]["fastapi-peer"]["interface"],
            "fastapi_demo_peers"
        );
        assert_eq!(keys(&v["peers"]["fastapi-peer"]), ["interface"]);
        assert_eq!(v["requires"]["database"]["interface"], "postgresql_client");
        assert_eq!(v["requires"]["database"]["limit"], 1);

        let port = &v["config"]["options"]["server-port"];
        assert_eq!(keys(port), ["type", "default", "description"]);
        assert_eq!(port["type"], "int");
        assert_eq!(port["default"], 8000);

        let action = &v["actions"]["get-db-info"];
        assert_eq!(
            action["description"],
            "Fetches database authentication information"
        );
        let param = &action["params"]["show-password"];
        assert_eq!(param["type"], "boolean");
        assert_eq!(param["default"], false);
        assert!(action.get("required").is_none());
        assert_eq!(action["additionalProperties"], false);
    }

    #[test]
    fn render_required_params_and_endpoint_options() {
        let mut meta = demo();
        meta.actions[0].params.push(ActionParam {
            name: "user".into(),
            kind: ParamType::String,
            description: None,
            default: None,
            required: true,
        });
        meta.provides.push(Endpoint {
            name: "logging".into(),
            interface: "loki_push_api".into(),
            limit: None,
            optional: Some(true),
            scope: Some(super::super::Scope::Container),
        });
        let v = meta.to_charmcraft_value();
        let action = &v["actions"]["get-db-info"];
        assert_eq!(action["required"], parse("[user]"));
        assert_eq!(keys(&action["params"]["user"]), ["type"]);
        assert_eq!(v["provides"]["logging"]["optional"], true);
        assert_eq!(v["provides"]["logging"]["scope"], "container");
    }

    #[test]
    fn render_omits_empty_sections() {
        let meta = minimal();
        let v = parse(&meta.to_charmcraft_yaml());
        assert_eq!(
            keys(&v),
            [
                "type",
                "name",
                "summary",
                "description",
                "base",
                "platforms"
            ]
        );
        assert_eq!(meta.to_config_yaml(), None);
        assert_eq!(meta.to_actions_yaml(), None);
        let md = parse(&meta.to_metadata_yaml());
        assert_eq!(keys(&md), ["description", "name", "summary"]);
    }

    #[test]
    fn render_metadata_yaml() {
        let v = parse(&demo().to_metadata_yaml());
        assert_eq!(
            keys(&v),
            [
                "assumes",
                "containers",
                "description",
                "display-name",
                "docs",
                "maintainers",
                "name",
                "peers",
                "requires",
                "resources",
                "summary",
            ]
        );
        assert_eq!(v["display-name"], "demo-fastapi-k8s");
        assert_eq!(v["docs"], "https://example.com/docs");
        assert_eq!(v["maintainers"][0], "Demo Team <demo@example.com>");
        assert_eq!(
            v["containers"]["demo-server"]["resource"],
            "demo-server-image"
        );
        assert_eq!(v["resources"]["demo-server-image"]["type"], "oci-image");
        assert_eq!(
            keys(&v["resources"]["demo-server-image"]),
            ["description", "type", "upstream-source"]
        );
        assert_eq!(v["requires"]["database"]["limit"], 1);
        assert!(v.get("config").is_none() && v.get("actions").is_none());
    }

    #[test]
    fn render_config_and_actions_yaml() {
        let meta = demo();
        let config = parse(&meta.to_config_yaml().unwrap());
        assert_eq!(keys(&config), ["options"]);
        let port = &config["options"]["server-port"];
        assert_eq!(keys(port), ["default", "description", "type"]);
        assert_eq!(port["default"], 8000);

        let actions = parse(&meta.to_actions_yaml().unwrap());
        let action = &actions["get-db-info"];
        assert_eq!(
            keys(action),
            ["additionalProperties", "description", "params"]
        );
        assert_eq!(action["params"]["show-password"]["default"], false);
    }

    #[test]
    fn render_manifest_yaml() {
        let text = demo().to_manifest_yaml("4.5.0", "2025-01-01T00:00:00+00:00");
        let v = parse(&text);
        assert_eq!(
            keys(&v),
            [
                "analysis",
                "bases",
                "charmcraft-started-at",
                "charmcraft-version"
            ]
        );
        assert_eq!(
            v["bases"],
            parse("[{name: ubuntu, channel: '22.04', architectures: [amd64]}]")
        );
        assert_eq!(v["bases"][0]["channel"], "22.04");
        assert_eq!(
            v["analysis"]["attributes"],
            parse("[{name: language, result: rust}, {name: framework, result: charm-runtime}]")
        );
        assert_eq!(v["charmcraft-version"], "4.5.0");
        assert_eq!(v["charmcraft-started-at"], "2025-01-01T00:00:00+00:00");

        let mut multi = minimal();
        multi.platforms = vec!["amd64".into(), "arm64".into(), "ubuntu@22.04:amd64".into()];
        let v = parse(&multi.to_manifest_yaml("4.5.0", "t"));
        assert_eq!(
            v["bases"],
            parse(
                "[{name: ubuntu, channel: '24.04', architectures: [amd64, arm64]}, \
                 {name: ubuntu, channel: '22.04', architectures: [amd64]}]"
            )
        );
    }

    #[test]
    fn render_float_string_and_numeric_looking_values() {
        let mut meta = minimal();
        meta.config = vec![
            ConfigOption {
                name: "ratio".into(),
                kind: OptionType::Float,
                default: Some(ConfigValue::Float(0.5)),
                description: None,
            },
            ConfigOption {
                name: "version".into(),
                kind: OptionType::String,
                default: Some(ConfigValue::String("1.10".into())),
                description: None,
            },
            ConfigOption {
                name: "flag".into(),
                kind: OptionType::String,
                default: Some(ConfigValue::String("true".into())),
                description: None,
            },
        ];
        let v = parse(&meta.to_charmcraft_yaml());
        let options = &v["config"]["options"];
        assert_eq!(options["ratio"]["default"], 0.5);
        // Strings that look like other scalars stay strings.
        assert_eq!(options["version"]["default"], "1.10");
        assert_eq!(options["flag"]["default"], "true");
        assert_eq!(keys(&options["ratio"]), ["type", "default"]);
    }

    /// Strings that YAML 1.1 readers (PyYAML, Go yaml.v2) would take for something else,
    /// and multi-line shapes; each must read back as the same string.
    const TRICKY: &[&str] = &[
        "yes",
        "No",
        "on",
        "OFF",
        "y",
        "n",
        "true",
        "False",
        "null",
        "~",
        "=",
        "<<",
        "",
        "2025-01-01",
        "2025-01-01T00:00:00Z",
        "1:20",
        "0o17",
        "0x1f",
        "1_000",
        "1e3",
        "010",
        "4.5.0",
        ".inf",
        ".5",
        "-.nan",
        "+1",
        "-x",
        "- x",
        " lead",
        "trail ",
        "a: b",
        "a #b",
        "#c",
        "@x",
        "it's",
        "say \"hi\"",
        "back\\slash",
        "tab\there",
        "cr\rlf",
        "bell\u{7}",
        "emoji \u{1f600}",
        "key:",
        "?q",
        "[x]",
        "{x}",
        "*a",
        "&a",
        "!t",
        "|p",
        ">f",
        "%d",
        "`b",
        ",c",
        ".",
        "./src",
        "a\nb",
        "a\nb\n",
        "\nlead",
        " indented\nsecond\n",
        "tail\n\n",
        "blank\n\nline\n",
        "ws\n   \nline",
        "x\r\ny",
    ];

    #[test]
    fn render_tricky_strings_round_trip() {
        let meta = tricky();
        for text in [
            meta.to_charmcraft_yaml(),
            meta.to_metadata_yaml(),
            meta.to_config_yaml().unwrap(),
        ] {
            let v = parse(&text);
            if let Some(assumes) = v.get("assumes") {
                let got: Vec<&str> = assumes
                    .as_sequence()
                    .unwrap()
                    .iter()
                    .map(|s| s.as_str().unwrap())
                    .collect();
                assert_eq!(got, TRICKY, "{text}");
            }
            if let Some(d) = v.get("description") {
                assert_eq!(d.as_str(), Some(meta.description.as_str()), "{text}");
            }
            let options = v
                .get("options")
                .or_else(|| v.get("config").map(|c| &c["options"]));
            if let Some(options) = options {
                for (i, s) in TRICKY.iter().enumerate() {
                    let o = &options[format!("o{i}").as_str()];
                    assert_eq!(o["default"].as_str(), Some(*s), "{i}: {s:?}\n{text}");
                    assert_eq!(o["description"].as_str(), Some(*s), "{i}: {s:?}");
                }
            }
        }
    }

    #[test]
    fn render_numbers() {
        let mut meta = minimal();
        meta.config = [3.0, 0.25, -1.5, 1e20, 1e-7]
            .iter()
            .enumerate()
            .map(|(i, f)| ConfigOption {
                name: format!("f{i}"),
                kind: OptionType::Float,
                default: Some(ConfigValue::Float(*f)),
                description: None,
            })
            .collect();
        let text = meta.to_config_yaml().unwrap();
        assert!(text.contains("default: 3.0\n"), "{text}");
        let v = parse(&text);
        for (i, f) in [3.0, 0.25, -1.5, 1e20, 1e-7].iter().enumerate() {
            assert_eq!(
                v["options"][format!("f{i}").as_str()]["default"].as_f64(),
                Some(*f)
            );
        }
    }

    #[test]
    fn render_is_deterministic() {
        let a = demo();
        let b = demo();
        assert_eq!(a.to_charmcraft_yaml(), b.to_charmcraft_yaml());
        assert_eq!(a.to_charmcraft_yaml(), a.to_charmcraft_yaml());
        assert_eq!(a.to_metadata_yaml(), b.to_metadata_yaml());
        assert_eq!(a.to_config_yaml(), b.to_config_yaml());
        assert_eq!(a.to_actions_yaml(), b.to_actions_yaml());
        assert_eq!(
            a.to_manifest_yaml("4.5.0", "t"),
            b.to_manifest_yaml("4.5.0", "t")
        );
    }

    #[test]
    fn render_without_build_has_no_parts() {
        let mut meta = demo();
        meta.build.binary.clear();
        assert!(meta.to_charmcraft_value().get("parts").is_none());
    }
}
