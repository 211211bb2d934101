//! `secret-add`, `secret-get`, `secret-info-get`, `secret-set`, `secret-grant`,
//! `secret-revoke`, `secret-remove`, `secret-ids`.
//!
//! Every change is staged in `hook.secrets_after` (the world's secret list as it will be
//! after the hook) and applied by `commit`; reads see the staged list, except that
//! `secret-get` without `--refresh`/`--peek` returns the tracked revision, so a new
//! revision set in this hook is not seen until refreshed (as Juju's pending updates).
//!
//! Who may do what: a unit manages its unit-owned secrets, and the leader its
//! application's; a non-leader touching an application-owned secret gets `this unit is
//! not the leader` (juju-protocol.md §2.5). Metadata (`secret-info-get`, `secret-ids`) is
//! only for what this unit manages, else `secret "…" not found`. Observers read content
//! and set their own label; managing a secret they do not own fails with `permission
//! denied` at once (in Juju the controller refuses it when the hook's changes are
//! flushed; this model has no failing flush).

use super::args::{boolean, parse, value, FORMAT, RELATION};
use super::format::{
    b64_decode, b64_encode, ordered, parse_settings, q, render, render_node, Format, Node,
};
use super::relation::go_io_error;
use super::{app_of, parse_go_int, valid_app, valid_unit, Ctx, Fail, Out, ToolResult};
use crate::world::{BagData, SecretWorld};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeSet;
use std::time::{SystemTime, UNIX_EPOCH};

const ROTATE_POLICIES: &[&str] = &[
    "never",
    "hourly",
    "daily",
    "weekly",
    "monthly",
    "quarterly",
    "yearly",
];

/// The bare id of a secret URI: `secret:<id>`, `secret://<model-uuid>/<id>` and
/// `secret:<model-uuid>/<id>` all give `<id>`.
pub(crate) fn bare_id(uri: &str) -> &str {
    split_uri(uri).1
}

/// A secret URI's model UUID (if it names one) and id, as Juju's `secrets.ParseURI` reads
/// them: `secret://<uuid>/<id>` (the host), `secret:<uuid>/<id>` (the opaque part), or
/// `secret:<id>` / `<id>` (no model: this one).
fn split_uri(uri: &str) -> (Option<&str>, &str) {
    let s = uri.strip_prefix("secret:").unwrap_or(uri);
    let s = s.strip_prefix("//").unwrap_or(s);
    match s.rsplit_once('/') {
        Some((model, id)) => (Some(model.trim_matches('/')).filter(|m| !m.is_empty()), id),
        None => (None, s),
    }
}

/// A model UUID as Juju writes one: lowercase hex, 8-4-4-4-12.
fn valid_model_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| {
            g.len() == n
                && g.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
}

/// A secret named by a hook tool's argument: its id, and the model it lives in (`None`:
/// the URI names none, so this model).
#[derive(Debug, Clone, PartialEq, Eq)]
struct SecretRef {
    model: Option<String>,
    id: String,
}

impl SecretRef {
    /// Whether `s` is the secret this names: the same id in the same model. A secret's
    /// own id names its model when it comes from another one (`secret://<uuid>/<id>`);
    /// otherwise it lives in this model, `here`.
    fn names(&self, s: &SecretWorld, here: &str) -> bool {
        let (model, id) = split_uri(&s.id);
        id == self.id && self.model.as_deref().unwrap_or(here) == model.unwrap_or(here)
    }
}

/// Parses a secret URI argument (Juju's `secrets.ParseURI`): exit 2 if it is not one.
fn parse_uri(arg: &str) -> Result<SecretRef, Fail> {
    let (model, id) = split_uri(arg);
    let ok = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && model.is_none_or(valid_model_uuid);
    if ok {
        Ok(SecretRef {
            model: model.map(str::to_string),
            id: id.to_string(),
        })
    } else {
        Err(Fail::usage(format!("secret URI {} not valid", q(arg))))
    }
}

/// Juju's secret content key rule, `^([a-z](?:-?[a-z0-9]){2,})$`.
fn valid_content_key(k: &str) -> bool {
    let mut chars = k.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_lowercase()) {
        return false;
    }
    let mut groups = 0;
    let mut after_hyphen = false;
    for c in chars {
        if c == '-' {
            if after_hyphen {
                return false;
            }
            after_hyphen = true;
        } else if c.is_ascii_lowercase() || c.is_ascii_digit() {
            groups += 1;
            after_hyphen = false;
        } else {
            return false;
        }
    }
    !after_hyphen && groups >= 2
}

/// One content entry: `key#base64` values are decoded, `key#file` values name a file to
/// read; the key must then match Juju's rule.
fn content_entry(key: &str, value: &str) -> Result<(String, String), Fail> {
    let (k, v) = if let Some(k) = key.strip_suffix("#base64") {
        let bytes = b64_decode(value)
            .ok_or_else(|| Fail::usage(format!("base64 value for key {} not valid", q(k))))?;
        (k, String::from_utf8_lossy(&bytes).into_owned())
    } else if let Some(k) = key.strip_suffix("#file") {
        let text =
            std::fs::read_to_string(value).map_err(|e| Fail::usage(go_io_error(value, &e)))?;
        (k, text)
    } else {
        (key, value.to_string())
    };
    if !valid_content_key(k) {
        return Err(Fail::usage(format!("key {} not valid", q(k))));
    }
    Ok((k.to_string(), v))
}

/// Juju's `secrets.CreateSecretData`: `key=value`, `key#base64=…`, `key#file=path`. The
/// split is at the first `=` once trailing base64 padding is ignored.
fn content_args(args: &[String]) -> Result<BagData, Fail> {
    let mut out = BagData::new();
    for a in args {
        let stripped = a.trim_end_matches('=');
        let idx = stripped
            .find('=')
            .filter(|i| *i >= 1)
            .ok_or_else(|| Fail::usage(format!("key value {} not valid", q(a))))?;
        let (k, v) = content_entry(&a[..idx], &a[idx + 1..])?;
        out.insert(k, v);
    }
    Ok(out)
}

/// The options `secret-add` and `secret-set` share.
struct Upsert {
    content: BagData,
    label: Option<String>,
    description: Option<String>,
    rotate: Option<String>,
    expire: Option<String>,
    owner: String,
}

const UPSERT_FLAGS: [super::args::Flag; 6] = [
    value(&["expire"]),
    value(&["rotate"]),
    value(&["description"]),
    value(&["label"]),
    value(&["file"]),
    value(&["owner"]),
];

fn upsert(a: &super::args::Args, content_from: usize) -> Result<Upsert, Fail> {
    let expire = match a.get("expire").filter(|e| !e.is_empty()) {
        None => None,
        Some(spec) => Some(parse_expire(spec)?),
    };
    let rotate = a
        .get("rotate")
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    if let Some(r) = &rotate {
        if !ROTATE_POLICIES.contains(&r.as_str()) {
            return Err(Fail::usage(format!("rotate policy {} not valid", q(r))));
        }
    }
    let owner = a.get("owner").unwrap_or("application").to_string();
    if owner != "application" && owner != "unit" {
        return Err(Fail::usage(format!("secret owner {} not valid", q(&owner))));
    }
    let mut content = content_args(&a.pos[content_from.min(a.pos.len())..])?;
    if let Some(path) = a.get("file").filter(|f| !f.is_empty()) {
        let text = std::fs::read_to_string(path).map_err(|e| Fail::usage(go_io_error(path, &e)))?;
        for (k, v) in parse_settings(&text).map_err(Fail::usage)? {
            let (k, v) = content_entry(&k, &v)?;
            content.insert(k, v);
        }
    }
    Ok(Upsert {
        content,
        label: a.get("label").filter(|l| !l.is_empty()).map(str::to_string),
        description: a
            .get("description")
            .filter(|d| !d.is_empty())
            .map(str::to_string),
        rotate,
        expire,
        owner,
    })
}

// ----- time -----

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

// Hand-written dates (this, `parse_time`, the civil-day helpers): two RFC 3339 forms, UTC
// only; a date crate (chrono, time) would be jujuc's largest dependency for forty lines.
fn format_rfc3339(secs: i64) -> String {
    let (y, mo, d) = civil_from_days(secs.div_euclid(86400));
    let rem = secs.rem_euclid(86400);
    format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// `YYYY-MM-DDTHH:MM:SS[.frac][Z|±HH:MM]` (the zone optional, meaning UTC) → Unix seconds.
fn parse_time(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        t.chars()
            .all(|c| c.is_ascii_digit())
            .then(|| t.parse().ok())?
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.chars().take_while(char::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        rest = &frac[n..];
    }
    let offset = match rest {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (oh, om) = rest[1..].split_once(':')?;
            if oh.len() != 2 || om.len() != 2 {
                return None;
            }
            sign * (oh.parse::<i64>().ok()? * 3600 + om.parse::<i64>().ok()? * 60)
        }
    };
    Some(days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - offset)
}

/// Go's `time.ParseDuration`, in seconds.
// Hand-written: Go's grammar (`1.5h`, `2h45m`, `µs`, a sign, no spaces); humantime's differs.
fn parse_duration(s: &str) -> Option<f64> {
    let (neg, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Some(0.0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total = 0.0;
    while !rest.is_empty() {
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..n].parse().ok()?;
        rest = &rest[n..];
        let u = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..u] {
            "ns" => 1e-9,
            "us" | "µs" | "μs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        rest = &rest[u..];
        total += number * scale;
    }
    Some(if neg { -total } else { total })
}

/// `--expire`: an RFC 3339 time, `YYYY-MM-DDTHH:MM:SS`, or a Go duration from now; stored
/// as RFC 3339 UTC.
fn parse_expire(spec: &str) -> Result<String, Fail> {
    if let Some(t) = parse_time(spec) {
        return Ok(format_rfc3339(t));
    }
    let d = parse_duration(spec)
        .ok_or_else(|| Fail::usage(format!("expire time or duration {} not valid", q(spec))))?;
    if d <= 0.0 {
        return Err(Fail::usage(format!(
            "negative expire duration {} not valid",
            q(spec)
        )));
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    Ok(format_rfc3339(now + d.ceil() as i64))
}

// ----- lookup and permissions -----

/// The index of the secret `r` names.
fn find(ctx: &Ctx<'_>, r: &SecretRef) -> Option<usize> {
    let here = &ctx.world.model_uuid;
    ctx.secrets().iter().position(|s| r.names(s, here))
}

/// Fails with Juju's `secret "<id>" not found`.
fn not_found(r: &SecretRef) -> Fail {
    Fail::run(format!("secret {} not found", q(&r.id)))
}

/// Whether this unit manages the secret (and may see its metadata).
fn manages(ctx: &Ctx<'_>, s: &SecretWorld) -> bool {
    match s.owner.as_deref() {
        Some("unit") => true,
        Some(_) => ctx.world.leader,
        None => false,
    }
}

/// The secret with this id, checked for management rights.
fn managed(ctx: &Ctx<'_>, r: &SecretRef) -> Result<usize, Fail> {
    let i = find(ctx, r).ok_or_else(|| not_found(r))?;
    let s = &ctx.secrets()[i];
    match s.owner.as_deref() {
        Some("unit") => Ok(i),
        Some(_) if ctx.world.leader => Ok(i),
        Some(_) => Err(Fail::run("this unit is not the leader")),
        None => Err(Fail::run("permission denied")),
    }
}

fn latest(s: &SecretWorld) -> u64 {
    s.revisions.keys().next_back().copied().unwrap_or(0)
}

fn check_label_free(ctx: &Ctx<'_>, label: &str, except: Option<usize>) -> Result<(), Fail> {
    let taken =
        ctx.secrets().iter().enumerate().any(|(i, s)| {
            Some(i) != except && s.owner.is_some() && s.label.as_deref() == Some(label)
        });
    if taken {
        Err(Fail::run(format!(
            "secret with label {} already exists",
            q(label)
        )))
    } else {
        Ok(())
    }
}

/// A deterministic new id: 20 characters of base32hex (as Juju's xids), derived from the
/// model, the unit and `world.secret_seq`.
fn new_id(ctx: &mut Ctx<'_>) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";
    loop {
        ctx.world.secret_seq += 1;
        let seed = format!(
            "{}/{}/{}",
            ctx.world.model_uuid, ctx.world.unit, ctx.world.secret_seq
        );
        let fnv = |basis: u64| {
            seed.bytes().fold(basis, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
            })
        };
        let bits =
            (u128::from(fnv(0xcbf2_9ce4_8422_2325)) << 64) | u128::from(fnv(0x8422_2325_cbf2_9ce4));
        let id: String = (0..20)
            .map(|i| ALPHABET[((bits >> (123 - 5 * i)) & 31) as usize] as char)
            .collect();
        if !ctx.secrets().iter().any(|s| bare_id(&s.id) == id) {
            return id;
        }
    }
}

// ----- the tools -----

/// `secret-add [--owner application|unit] [--label L] [--description D] [--expire E]
/// [--rotate P] [--file F] key=value ...`: prints the new URI. An application-owned
/// secret needs the leader.
pub(crate) fn secret_add(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse("secret-add", argv, &UPSERT_FLAGS)?;
    if a.pos.is_empty() && a.get("file").is_none_or(str::is_empty) {
        return Err(Fail::usage("missing secret value or filename"));
    }
    let u = upsert(&a, 0)?;
    if u.content.is_empty() {
        return Err(Fail::run("empty secret value not valid"));
    }
    if u.owner == "application" && !ctx.world.leader {
        return Err(Fail::run("this unit is not the leader"));
    }
    if let Some(l) = &u.label {
        check_label_free(ctx, l, None)?;
    }
    let id = new_id(ctx);
    let secret = SecretWorld {
        id: format!("secret:{id}"),
        owner: Some(u.owner),
        label: u.label,
        description: u.description,
        revisions: [(1, u.content)].into_iter().collect(),
        tracked: 1,
        rotate: u.rotate,
        expire: u.expire,
        grants: Default::default(),
    };
    ctx.secrets_mut().push(secret);
    Ok(Out::print(format!("secret:{id}\n")))
}

/// `secret-get [<uri>] [<key>[#base64]] [--label L] [--refresh | --peek]`: the content of
/// the tracked revision; `--refresh` tracks the latest and returns it, `--peek` returns
/// the latest once. An id and a label together look up by id and set the label.
pub(crate) fn secret_get(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse(
        "secret-get",
        argv,
        &[
            FORMAT,
            value(&["label"]),
            boolean(&["peek"]),
            boolean(&["refresh"]),
        ],
    )?;
    let format = a.format(&[Format::Yaml, Format::Json], Format::Yaml)?;
    let id = a.pos.first().map(|u| parse_uri(u)).transpose()?;
    let label = a.get("label").filter(|l| !l.is_empty()).map(str::to_string);
    if id.is_none() && label.is_none() {
        return Err(Fail::usage("require either a secret URI or label"));
    }
    let (peek, refresh) = (a.on("peek"), a.on("refresh"));
    if peek && refresh {
        return Err(Fail::usage(
            "specify one of --peek or --refresh but not both",
        ));
    }
    let key = a.pos.get(1).cloned();
    a.no_more(2)?;

    let index = match (&id, &label) {
        (Some(r), _) => find(ctx, r).ok_or_else(|| not_found(r))?,
        (None, Some(l)) => {
            let secrets = ctx.secrets();
            secrets
                .iter()
                .position(|s| s.owner.is_some() && s.label.as_deref() == Some(l))
                .or_else(|| secrets.iter().position(|s| s.label.as_deref() == Some(l)))
                // Juju 3.6's secretsmanager facade (getSecretContent): a label that is
                // neither the owner's nor this consumer's.
                .ok_or_else(|| Fail::run(format!("consumer label {} not found", q(l))))?
        }
        (None, None) => unreachable!("checked above"),
    };
    let s = &ctx.secrets()[index];
    let newest = latest(s);
    let set_label = id.is_some() && label.is_some() && s.label != label;
    let track_latest = refresh || s.tracked == 0;
    let revision = if peek || track_latest {
        newest
    } else {
        s.tracked
    };
    let content = s.revisions.get(&revision).cloned().ok_or_else(|| {
        Fail::run(format!(
            "secret {} revision {revision} not found",
            q(bare_id(&s.id))
        ))
    })?;
    if set_label || (track_latest && !peek && s.tracked != newest) {
        let s = &mut ctx.secrets_mut()[index];
        if set_label {
            s.label = label;
        }
        if track_latest && !peek {
            s.tracked = newest;
        }
    }
    let value = match key {
        None => Value::Object(
            content
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect(),
        ),
        Some(k) => {
            let (name, encode) = match k.strip_suffix("#base64") {
                Some(n) => (n.to_string(), true),
                None => (k.clone(), false),
            };
            let v = content
                .get(&name)
                .ok_or_else(|| Fail::run(format!("secret key {} not found", q(&name))))?;
            Value::String(if encode {
                b64_encode(v.as_bytes())
            } else {
                v.clone()
            })
        }
    };
    Ok(Out::print(render(format, &value)))
}

/// `secret-info-get` output for one secret, fields in Juju's order.
#[derive(Serialize)]
struct InfoDisplay {
    revision: u64,
    label: String,
    owner: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rotation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expiry: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    access: Vec<AccessDisplay>,
}

#[derive(Serialize)]
struct AccessDisplay {
    target: String,
    scope: String,
    role: String,
}

/// The grants as Juju's access list: target and scope tags, role `view`. (The scope tag's
/// exact form, a relation key, is approximated by `relation-<endpoint>.<id>`.)
fn access(ctx: &Ctx<'_>, s: &SecretWorld) -> Vec<AccessDisplay> {
    let mut out = Vec::new();
    for (rel_id, units) in &s.grants {
        let rel = ctx.relation(*rel_id);
        let scope = rel.map_or_else(
            || format!("relation-{rel_id}"),
            |r| format!("relation-{}.{}", r.endpoint, r.id),
        );
        if units.is_empty() {
            let app = rel.map_or(String::new(), |r| r.remote_app.clone());
            out.push(AccessDisplay {
                target: format!("application-{app}"),
                scope,
                role: "view".into(),
            });
        } else {
            for u in units {
                out.push(AccessDisplay {
                    target: format!("unit-{}", u.replace('/', "-")),
                    scope: scope.clone(),
                    role: "view".into(),
                });
            }
        }
    }
    out
}

/// `secret-info-get <uri> | --label L`: metadata of a secret this unit manages, keyed by
/// the bare id; anything else is `secret "…" not found`.
pub(crate) fn secret_info_get(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse("secret-info-get", argv, &[FORMAT, value(&["label"])])?;
    let format = a.format(&[Format::Yaml, Format::Json], Format::Yaml)?;
    let id = a.pos.first().map(|u| parse_uri(u)).transpose()?;
    let label = a.get("label").filter(|l| !l.is_empty()).map(str::to_string);
    if id.is_none() && label.is_none() {
        return Err(Fail::usage("require either a secret URI or label"));
    }
    if id.is_some() && label.is_some() {
        return Err(Fail::usage(
            "specify either a secret URI or label but not both",
        ));
    }
    a.no_more(1)?;
    let want = id
        .as_ref()
        .map(|r| r.id.clone())
        .or(label.clone())
        .unwrap_or_default();
    let here = &ctx.world.model_uuid;
    let found = ctx.secrets().iter().find(|s| {
        manages(ctx, s)
            && match &id {
                Some(r) => r.names(s, here),
                None => s.label == label,
            }
    });
    let Some(s) = found else {
        return Err(Fail::run(format!("secret {} not found", q(&want))));
    };
    let info = InfoDisplay {
        revision: latest(s),
        label: s.label.clone().unwrap_or_default(),
        owner: s.owner.clone().unwrap_or_default(),
        description: s.description.clone().filter(|d| !d.is_empty()),
        rotation: s.rotate.clone().filter(|r| !r.is_empty()),
        expiry: s.expire.clone().filter(|e| !e.is_empty()),
        access: access(ctx, s),
    };
    let info = serde_json::to_value(info).expect("plain data serializes");
    // Go prints struct fields in declaration order.
    let info = ordered(
        &info,
        &[
            "revision",
            "label",
            "owner",
            "description",
            "rotation",
            "expiry",
            "rotates",
            "access",
            "target",
            "scope",
            "role",
        ],
    );
    let doc = Node::Map(vec![(bare_id(&s.id).to_string(), info)]);
    Ok(Out::print(render_node(format, &doc)))
}

/// `secret-set <uri> [key=value ...] [--label …] [--description …] [--expire …]
/// [--rotate …]`: a new revision only if the content differs from the latest; the
/// metadata given is updated.
pub(crate) fn secret_set(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse("secret-set", argv, &UPSERT_FLAGS)?;
    let Some(uri) = a.pos.first() else {
        return Err(Fail::usage("missing secret URI"));
    };
    let id = parse_uri(uri)?;
    let u = upsert(&a, 1)?;
    let index = managed(ctx, &id)?;
    if let Some(l) = &u.label {
        check_label_free(ctx, l, Some(index))?;
    }
    let s = &ctx.secrets()[index];
    let newest = latest(s);
    let new_revision = !u.content.is_empty() && s.revisions.get(&newest) != Some(&u.content);
    let s = &mut ctx.secrets_mut()[index];
    if new_revision {
        s.revisions.insert(newest + 1, u.content);
    }
    if u.label.is_some() {
        s.label = u.label;
    }
    if u.description.is_some() {
        s.description = u.description;
    }
    if u.rotate.is_some() {
        s.rotate = u.rotate;
    }
    if u.expire.is_some() {
        s.expire = u.expire;
    }
    Ok(Out::none())
}

/// `secret-grant <uri> [-r <id>] [--unit <unit>]`: lets the relation's remote application
/// (or one of its units) read the secret.
pub(crate) fn secret_grant(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse("secret-grant", argv, &[RELATION, value(&["unit"])])?;
    let Some(uri) = a.pos.first() else {
        return Err(Fail::usage("missing secret URI"));
    };
    let id = parse_uri(uri)?;
    let rel_id = ctx.relation_id(&a)?;
    let rel = ctx
        .relation_or_fail(rel_id)
        .map_err(|f| Fail::usage(f.msg))?;
    let remote_app = if rel.peer {
        ctx.app().to_string()
    } else {
        rel.remote_app.clone()
    };
    let unit = a.get("unit").filter(|u| !u.is_empty()).map(str::to_string);
    if let Some(u) = &unit {
        if !valid_unit(u) {
            return Err(Fail::usage(format!("unit {} not valid", q(u))));
        }
        if app_of(u) != remote_app {
            return Err(Fail::usage(format!(
                "cannot specify unit {} in relation to application {}",
                q(u),
                q(&remote_app)
            )));
        }
    }
    a.no_more(1)?;
    let index = managed(ctx, &id)?;
    let grants = &mut ctx.secrets_mut()[index].grants;
    let entry = grants.entry(rel_id);
    match unit {
        // An application-wide grant covers its units already.
        Some(u) => {
            let units = entry.or_insert_with(|| BTreeSet::from([u.clone()]));
            if !units.is_empty() {
                units.insert(u);
            }
        }
        None => {
            let units = entry.or_default();
            if !units.is_empty() {
                return Err(Fail::run(
                    "any unit level grants need to be revoked before granting access to the corresponding application",
                ));
            }
        }
    }
    Ok(Out::none())
}

/// `secret-revoke <uri> [-r <id>] [--app <app>] [--unit <unit>]`: removes the grants of
/// the relation's (or the named) application, or of one unit.
pub(crate) fn secret_revoke(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse(
        "secret-revoke",
        argv,
        &[RELATION, value(&["app", "application"]), value(&["unit"])],
    )?;
    let Some(uri) = a.pos.first() else {
        return Err(Fail::usage("missing secret URI"));
    };
    let id = parse_uri(uri)?;
    let mut app = a.get("app").filter(|s| !s.is_empty()).map(str::to_string);
    let unit = a.get("unit").filter(|s| !s.is_empty()).map(str::to_string);
    if let Some(x) = &app {
        if !valid_app(x) {
            return Err(Fail::usage(format!("application {} not valid", q(x))));
        }
    }
    if let Some(u) = &unit {
        if !valid_unit(u) {
            return Err(Fail::usage(format!("unit {} not valid", q(u))));
        }
    }
    if app.is_some() && unit.is_some() {
        return Err(Fail::usage("specify only one of application or unit"));
    }
    let rel_id = ctx.relation_flag(&a)?.or(ctx.hook.info.relation_id);
    if let Some(r) = rel_id {
        let rel = ctx.relation_or_fail(r).map_err(|f| Fail::usage(f.msg))?;
        if app.is_some() {
            return Err(Fail::usage("do not specify both relation and app"));
        }
        app = Some(if rel.peer {
            ctx.app().to_string()
        } else {
            rel.remote_app.clone()
        });
    }
    if app.is_none() && unit.is_none() {
        return Err(Fail::usage("missing relation or application or unit"));
    }
    a.no_more(1)?;
    let index = managed(ctx, &id)?;
    let remote_apps: Vec<(u64, String)> = ctx
        .world
        .relations
        .iter()
        .map(|r| (r.id, r.remote_app.clone()))
        .collect();
    let grants = &mut ctx.secrets_mut()[index].grants;
    if let Some(u) = unit {
        // Only unit-level grants name units; an application-wide grant stays.
        grants.retain(|_, units| {
            let unit_level = !units.is_empty();
            units.remove(&u);
            !unit_level || !units.is_empty()
        });
    } else if let Some(app) = app {
        grants.retain(|rel, _| !remote_apps.iter().any(|(id, ra)| id == rel && *ra == app));
    }
    Ok(Out::none())
}

/// `secret-remove <uri> [--revision N]`: one revision, or (without `--revision`) the whole
/// secret.
pub(crate) fn secret_remove(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse("secret-remove", argv, &[value(&["revision"])])?;
    let revision = match a.get("revision") {
        None => None,
        Some(r) => {
            let n = parse_go_int(r).ok_or_else(|| {
                super::args::invalid_value(
                    "--revision",
                    r,
                    &format!("strconv.ParseInt: parsing {}: invalid syntax", q(r)),
                )
            })?;
            u64::try_from(n).ok().filter(|n| *n > 0)
        }
    };
    let Some(uri) = a.pos.first() else {
        return Err(Fail::usage("missing secret URI"));
    };
    let id = parse_uri(uri)?;
    a.no_more(1)?;
    let index = managed(ctx, &id)?;
    let secrets = ctx.secrets_mut();
    match revision {
        Some(r) => {
            secrets[index].revisions.remove(&r);
        }
        None => {
            secrets.remove(index);
        }
    }
    Ok(Out::none())
}

/// `secret-ids`: the bare ids of the secrets this unit manages, sorted.
pub(crate) fn secret_ids(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse("secret-ids", argv, &[FORMAT])?;
    let format = a.format(&[Format::Smart, Format::Yaml, Format::Json], Format::Smart)?;
    a.no_more(0)?;
    let ids: BTreeSet<String> = ctx
        .secrets()
        .iter()
        .filter(|s| manages(ctx, s))
        .map(|s| bare_id(&s.id).to_string())
        .collect();
    Ok(Out::print(render(
        format,
        &Value::Array(ids.into_iter().map(Value::String).collect()),
    )))
}
