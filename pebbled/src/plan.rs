//! Pebble's layers and plan (`internals/plan/plan.go`, `internals/overlord/planstate/
//! manager.go`): parsing a layer's YAML with Pebble's errors, validating it, combining
//! layers by their `override` rules, validating the combined plan, and the start/stop
//! order of services (`before`/`after`/`requires`, lanes).
//!
//! The data is `charm_runtime::pebble::layer`'s, so the charm's client and this server
//! read and write the same types. Where Go iterates a map (and so reports one of several
//! errors at random), this iterates names in sorted order.

use std::collections::{BTreeMap, BTreeSet};

use charm_runtime::pebble::layer::{
    Check, CheckLevel, ExecCheck, HttpCheck, Layer, LogTarget, LogTargetType, Override, Plan,
    Service, ServiceAction, Startup, TcpCheck,
};
use serde::{Deserialize, Serialize};
use serde_yaml::Value;

use crate::duration::go_quote;

/// A layer Pebble holds: its label, its order and its content.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerRecord {
    /// Where it sits (1000, 2000, ...; layers appended by the API step by 1000).
    pub order: u32,
    /// Its label, unique among layers.
    pub label: String,
    /// Its content.
    pub layer: Layer,
}

/// Why adding a layer failed, with the HTTP status Pebble answers (`v1PostLayers`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LayerError {
    /// `plan.FormatError`: bad YAML, a missing `override`, an invalid plan (400).
    Format(String),
    /// `planstate.LabelExists`: `layer "x" already exists` (400).
    LabelExists(String),
}

impl LayerError {
    /// The message Pebble returns.
    pub fn message(&self) -> String {
        match self {
            LayerError::Format(message) => message.clone(),
            LayerError::LabelExists(label) => format!("layer {} already exists", go_quote(label)),
        }
    }
}

const DEFAULT_CHECK_THRESHOLD: u32 = 3;

/// The Go type each section's entries decode into, for "field x not found in type ..."
fn section_type(section: &str) -> &'static str {
    match section {
        "services" => "plan.Service",
        "checks" => "plan.Check",
        _ => "plan.LogTarget",
    }
}

/// Pebble's `OptionalDuration.UnmarshalYAML` and `OptionalFloat.UnmarshalYAML` errors,
/// checked on the raw YAML before typed decoding (which cannot word them as Pebble does).
fn check_scalars(section: &str, entries: &serde_yaml::Mapping) -> Result<(), String> {
    let (durations, floats): (&[&str], &[&str]) = match section {
        "services" => (
            &["backoff-delay", "backoff-limit", "kill-delay"],
            &["backoff-factor"],
        ),
        "checks" => (&["period", "timeout"], &[]),
        _ => (&[], &[]),
    };
    let scalar_text = |value: &Value| -> Option<String> {
        match value {
            Value::String(text) => Some(text.clone()),
            Value::Number(number) => Some(number.to_string()),
            Value::Bool(flag) => Some(flag.to_string()),
            Value::Null => Some(String::new()),
            _ => None,
        }
    };
    for entry in entries.values() {
        let Value::Mapping(fields) = entry else {
            continue;
        };
        for (key, value) in fields {
            let Some(key) = key.as_str() else { continue };
            if durations.contains(&key) {
                let text = scalar_text(value).ok_or("duration must be a YAML string")?;
                match crate::duration::parse(&text) {
                    Ok(nanos) if nanos >= 0 => {}
                    _ => return Err(format!("invalid duration {}", go_quote(&text))),
                }
            }
            if floats.contains(&key) {
                let text = scalar_text(value).ok_or("value must be a YAML number")?;
                if text.trim().parse::<f64>().is_err() {
                    return Err(format!("invalid floating-point number {}", go_quote(&text)));
                }
            }
        }
    }
    Ok(())
}

/// Decodes one section's entries; `null` entries are kept by name for validation (Go
/// decodes them as nil pointers, which `Layer.Validate` rejects).
fn decode_section<T: for<'de> Deserialize<'de>>(
    label: &str,
    section: &str,
    value: Value,
    nulls: &mut BTreeSet<(String, String)>,
) -> Result<BTreeMap<String, T>, String> {
    let fail = |message: String| {
        format!(
            "cannot parse layer {} section {}: {message}",
            go_quote(label),
            go_quote(section)
        )
    };
    let mut entries = match value {
        Value::Null => return Ok(BTreeMap::new()),
        Value::Mapping(entries) => entries,
        other => {
            return Err(fail(format!(
                "yaml: unmarshal errors:\n  cannot unmarshal {} into map[string]*{}",
                yaml_kind(&other),
                section_type(section)
            )))
        }
    };
    check_scalars(section, &entries).map_err(fail)?;
    let null_keys: Vec<Value> = entries
        .iter()
        .filter(|(_, v)| v.is_null())
        .map(|(k, _)| k.clone())
        .collect();
    for key in null_keys {
        entries.remove(&key);
        nulls.insert((
            section.to_string(),
            key.as_str().unwrap_or_default().to_string(),
        ));
    }
    serde_yaml::from_value(Value::Mapping(entries))
        .map_err(|err| fail(format!("yaml: unmarshal errors:\n  {err}")))
}

fn yaml_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "!!null",
        Value::Bool(_) => "!!bool",
        Value::Number(_) => "!!int",
        Value::String(_) => "!!str",
        Value::Sequence(_) => "!!seq",
        Value::Mapping(_) => "!!map",
        Value::Tagged(_) => "!!tag",
    }
}

/// Parses and validates one layer as `plan.ParseLayer` does.
pub fn parse_layer(label: &str, text: &str) -> Result<Layer, LayerError> {
    let format = LayerError::Format;
    let document: Value = serde_yaml::from_str(text).map_err(|err| {
        format(format!(
            "cannot parse layer {}: yaml: {err}",
            go_quote(label)
        ))
    })?;
    let sections = match document {
        Value::Null => serde_yaml::Mapping::new(),
        Value::Mapping(sections) => sections,
        other => {
            return Err(format(format!(
                "cannot parse layer {}: yaml: unmarshal errors:\n  cannot unmarshal {} into map[string]yaml.Node",
                go_quote(label),
                yaml_kind(&other)
            )))
        }
    };
    let mut layer = Layer::default();
    let mut nulls = BTreeSet::new();
    for (key, value) in sections {
        let name = match &key {
            Value::String(name) => name.clone(),
            other => serde_yaml::to_string(other)
                .unwrap_or_default()
                .trim()
                .to_string(),
        };
        let text_field = |value: Value| -> Result<String, LayerError> {
            match value {
                Value::Null => Ok(String::new()),
                Value::String(text) => Ok(text),
                Value::Number(number) => Ok(number.to_string()),
                Value::Bool(flag) => Ok(flag.to_string()),
                other => Err(format(format!(
                    "cannot parse layer {} section {}: yaml: unmarshal errors:\n  cannot unmarshal {} into string",
                    go_quote(label),
                    go_quote(&name),
                    yaml_kind(&other)
                ))),
            }
        };
        match name.as_str() {
            "summary" => layer.summary = text_field(value)?,
            "description" => layer.description = text_field(value)?,
            "services" => {
                layer.services =
                    decode_section(label, "services", value, &mut nulls).map_err(format)?
            }
            "checks" => {
                layer.checks = decode_section(label, "checks", value, &mut nulls).map_err(format)?
            }
            "log-targets" => {
                layer.log_targets =
                    decode_section(label, "log-targets", value, &mut nulls).map_err(format)?
            }
            _ => {
                return Err(format(format!(
                    "cannot parse layer {}: unknown section {}",
                    go_quote(label),
                    go_quote(&name)
                )))
            }
        }
    }
    if let Some(unknown) = layer.unknown_fields().into_iter().next() {
        let section = unknown
            .path
            .split('.')
            .next()
            .unwrap_or_default()
            .to_string();
        return Err(format(format!(
            "cannot parse layer {} section {}: yaml: unmarshal errors:\n  field {} not found in type {}",
            go_quote(label),
            go_quote(&section),
            unknown.field,
            unknown.pebble_type.unwrap_or("plan.Layer")
        )));
    }
    validate_layer(label, &layer, &nulls).map_err(format)?;
    Ok(layer)
}

/// `layer.Validate()`.
fn validate_layer(
    label: &str,
    layer: &Layer,
    nulls: &BTreeSet<(String, String)>,
) -> Result<(), String> {
    if label.starts_with("pebble-") {
        return Err("cannot use reserved label prefix \"pebble-\"".to_string());
    }
    let is_null =
        |section: &str, name: &str| nulls.contains(&(section.to_string(), name.to_string()));
    let mut service_names: BTreeSet<&String> = layer.services.keys().collect();
    let null_services: Vec<&String> = nulls
        .iter()
        .filter(|(s, _)| s == "services")
        .map(|(_, n)| n)
        .collect();
    service_names.extend(null_services);
    for name in service_names {
        if name.is_empty() {
            return Err("cannot use empty string as service name".to_string());
        }
        if name == "pebble" {
            return Err(format!(
                "cannot use reserved service name {}",
                go_quote(name)
            ));
        }
        if name.starts_with('-') {
            return Err(format!(
                "cannot use service name {}: starting with \"-\" not allowed",
                go_quote(name)
            ));
        }
        if is_null("services", name) {
            return Err(format!(
                "service object cannot be null for service {}",
                go_quote(name)
            ));
        }
        let service = &layer.services[name];
        parse_command(name, &service.command)
            .map_err(|err| format!("plan service {} command invalid: {err}", go_quote(name)))?;
        let valid_action = |action: &Option<ServiceAction>, extra: ServiceAction| match action {
            None
            | Some(ServiceAction::Restart | ServiceAction::Shutdown | ServiceAction::Ignore) => {
                true
            }
            Some(other) => *other == extra,
        };
        if !valid_action(&service.on_success, ServiceAction::FailureShutdown) {
            let action = service
                .on_success
                .as_ref()
                .map(|a| a.as_str())
                .unwrap_or_default();
            return Err(format!(
                "plan service {} on-success action {} invalid",
                go_quote(name),
                go_quote(action)
            ));
        }
        if !valid_action(&service.on_failure, ServiceAction::SuccessShutdown) {
            let action = service
                .on_failure
                .as_ref()
                .map(|a| a.as_str())
                .unwrap_or_default();
            return Err(format!(
                "plan service {} on-failure action {} invalid",
                go_quote(name),
                go_quote(action)
            ));
        }
        for action in service.on_check_failure.values() {
            if !valid_action(&Some(action.clone()), ServiceAction::SuccessShutdown) {
                return Err(format!(
                    "plan service {} on-check-failure action {} invalid",
                    go_quote(name),
                    go_quote(action.as_str())
                ));
            }
        }
        if let Some(factor) = service.backoff_factor.filter(|factor| *factor < 1.0) {
            return Err(format!(
                "plan service {} backoff-factor must be 1.0 or greater, not {factor}",
                go_quote(name)
            ));
        }
    }
    let mut check_names: BTreeSet<&String> = layer.checks.keys().collect();
    check_names.extend(nulls.iter().filter(|(s, _)| s == "checks").map(|(_, n)| n));
    for name in check_names {
        if name.is_empty() {
            return Err("cannot use empty string as check name".to_string());
        }
        if is_null("checks", name) {
            return Err(format!(
                "check object cannot be null for check {}",
                go_quote(name)
            ));
        }
        let check = &layer.checks[name];
        if matches!(check.level, Some(CheckLevel::Other(_))) {
            return Err(format!(
                "plan check {} level must be \"alive\" or \"ready\"",
                go_quote(name)
            ));
        }
        if matches!(check.startup, Some(Startup::Other(_))) {
            return Err(format!(
                "plan check {} startup must be \"enabled\" or \"disabled\"",
                go_quote(name)
            ));
        }
        if check.period.is_some_and(|period| period.is_zero()) {
            return Err(format!(
                "plan check {} period must not be zero",
                go_quote(name)
            ));
        }
        if check.timeout.is_some_and(|timeout| timeout.is_zero()) {
            return Err(format!(
                "plan check {} timeout must not be zero",
                go_quote(name)
            ));
        }
        if let Some(exec) = &check.exec {
            split_words(&exec.command)
                .map_err(|err| format!("plan check {} command invalid: {err}", go_quote(name)))?;
            let no_user = exec.user_id.is_none() && exec.user.is_empty();
            if no_user && (exec.group_id.is_some() || !exec.group.is_empty()) {
                return Err(format!(
                    "plan check {} has invalid user/group: must specify user, not just group",
                    go_quote(name)
                ));
            }
        }
    }
    let mut target_names: BTreeSet<&String> = layer.log_targets.keys().collect();
    target_names.extend(
        nulls
            .iter()
            .filter(|(s, _)| s == "log-targets")
            .map(|(_, n)| n),
    );
    for name in target_names {
        if is_null("log-targets", name) {
            return Err(format!(
                "log target object cannot be null for log target {}",
                go_quote(name)
            ));
        }
        let target = &layer.log_targets[name];
        if let Some(label) = target
            .labels
            .keys()
            .find(|label| label.starts_with("pebble_"))
        {
            return Err(format!(
                "log target {}: label {} uses reserved prefix \"pebble_\"",
                go_quote(name),
                go_quote(label)
            ));
        }
        if let Some(LogTargetType::Other(kind)) = &target.type_ {
            return Err(format!(
                "log target {} has unsupported type {}, must be \"loki\", \"opentelemetry\" or \"syslog\"",
                go_quote(name),
                go_quote(kind)
            ));
        }
    }
    Ok(())
}

/// Splits a command line into words as Pebble's `shlex.Split` (x-go/strutil/shlex) does:
/// blanks separate words, single quotes are literal, double quotes allow `\` escapes,
/// `#` at a word's start begins a comment.
pub fn split_words(text: &str) -> Result<Vec<String>, String> {
    #[derive(PartialEq)]
    enum State {
        Start,
        Word,
        Escape,
        Single,
        Double,
        DoubleEscape,
        Comment,
    }
    let mut words = Vec::new();
    let mut word = String::new();
    let mut state = State::Start;
    for c in text.chars() {
        let blank = matches!(c, ' ' | '\t' | '\r' | '\n');
        state = match state {
            State::Start | State::Word if blank => {
                if state == State::Word {
                    words.push(std::mem::take(&mut word));
                }
                State::Start
            }
            State::Start if c == '#' => State::Comment,
            State::Start | State::Word => match c {
                '\\' => State::Escape,
                '\'' => State::Single,
                '"' => State::Double,
                c => {
                    word.push(c);
                    State::Word
                }
            },
            State::Escape => {
                word.push(c);
                State::Word
            }
            State::Single if c == '\'' => State::Word,
            State::Single => {
                word.push(c);
                State::Single
            }
            State::Double => match c {
                '"' => State::Word,
                '\\' => State::DoubleEscape,
                c => {
                    word.push(c);
                    State::Double
                }
            },
            State::DoubleEscape => {
                if !matches!(c, '"' | '\\' | '$' | '`' | '\n') {
                    word.push('\\');
                }
                if c != '\n' {
                    word.push(c);
                }
                State::Double
            }
            State::Comment if c == '\n' => State::Start,
            State::Comment => State::Comment,
        };
    }
    match state {
        State::Start | State::Comment => Ok(words),
        State::Word => {
            words.push(word);
            Ok(words)
        }
        State::Escape | State::DoubleEscape => Err("EOF found after escape character".to_string()),
        State::Single | State::Double => Err("EOF found when expecting closing quote".to_string()),
    }
}

/// `Service.ParseCommand`: the base words and the default arguments in `[ ... ]`.
pub fn parse_command(name: &str, command: &str) -> Result<(Vec<String>, Vec<String>), String> {
    let wrap = |err: &str| format!("cannot parse service {} command: {err}", go_quote(name));
    let words = split_words(command).map_err(|err| wrap(&err))?;
    let (mut base, mut extra) = (Vec::new(), Vec::new());
    let (mut in_brackets, mut got_brackets) = (false, false);
    for (index, word) in words.into_iter().enumerate() {
        if in_brackets {
            if word == "[" {
                return Err(wrap("cannot nest [ ... ] groups"));
            }
            if word == "]" {
                in_brackets = false;
                continue;
            }
            extra.push(word);
            continue;
        }
        if got_brackets {
            return Err(wrap("cannot have any arguments after [ ... ] group"));
        }
        if word == "[" {
            if index == 0 {
                return Err(wrap("cannot start command with [ ... ] group"));
            }
            in_brackets = true;
            got_brackets = true;
            continue;
        }
        if word == "]" {
            return Err(wrap("cannot have ] outside of [ ... ] group"));
        }
        base.push(word);
    }
    Ok((base, extra))
}

fn merge_text(into: &mut String, from: &str) {
    if !from.is_empty() {
        *into = from.to_string();
    }
}

fn merge_option<T: Clone>(into: &mut Option<T>, from: &Option<T>) {
    if from.is_some() {
        into.clone_from(from);
    }
}

/// `Service.Merge`: set fields win, lists append, maps merge; `override` is kept.
fn merge_service(into: &mut Service, from: &Service) {
    merge_text(&mut into.summary, &from.summary);
    merge_text(&mut into.description, &from.description);
    merge_option(&mut into.startup, &from.startup);
    merge_text(&mut into.command, &from.command);
    merge_option(&mut into.kill_delay, &from.kill_delay);
    merge_option(&mut into.user_id, &from.user_id);
    merge_text(&mut into.user, &from.user);
    merge_option(&mut into.group_id, &from.group_id);
    merge_text(&mut into.group, &from.group);
    merge_text(&mut into.working_dir, &from.working_dir);
    into.after.extend(from.after.iter().cloned());
    into.before.extend(from.before.iter().cloned());
    into.requires.extend(from.requires.iter().cloned());
    merge_text(&mut into.workload, &from.workload);
    into.environment.extend(from.environment.clone());
    merge_option(&mut into.on_success, &from.on_success);
    merge_option(&mut into.on_failure, &from.on_failure);
    into.on_check_failure.extend(from.on_check_failure.clone());
    merge_option(&mut into.backoff_delay, &from.backoff_delay);
    merge_option(&mut into.backoff_factor, &from.backoff_factor);
    merge_option(&mut into.backoff_limit, &from.backoff_limit);
}

/// `Check.Merge` (with `HTTPCheck`, `TCPCheck`, `ExecCheck` merges).
fn merge_check(into: &mut Check, from: &Check) {
    merge_option(&mut into.level, &from.level);
    merge_option(&mut into.startup, &from.startup);
    merge_option(&mut into.period, &from.period);
    merge_option(&mut into.timeout, &from.timeout);
    if from.threshold.is_some_and(|threshold| threshold != 0) {
        into.threshold = from.threshold;
    }
    if let Some(http) = &from.http {
        let into_http = into.http.get_or_insert_with(HttpCheck::default);
        merge_text(&mut into_http.url, &http.url);
        into_http.headers.extend(http.headers.clone());
    }
    if let Some(tcp) = &from.tcp {
        let into_tcp = into.tcp.get_or_insert_with(TcpCheck::default);
        if tcp.port.is_some_and(|port| port != 0) {
            into_tcp.port = tcp.port;
        }
        merge_text(&mut into_tcp.host, &tcp.host);
    }
    if let Some(exec) = &from.exec {
        let into_exec = into.exec.get_or_insert_with(ExecCheck::default);
        merge_text(&mut into_exec.command, &exec.command);
        merge_text(&mut into_exec.service_context, &exec.service_context);
        into_exec.environment.extend(exec.environment.clone());
        merge_option(&mut into_exec.user_id, &exec.user_id);
        merge_text(&mut into_exec.user, &exec.user);
        merge_option(&mut into_exec.group_id, &exec.group_id);
        merge_text(&mut into_exec.group, &exec.group);
        merge_text(&mut into_exec.working_dir, &exec.working_dir);
    }
}

/// `LogTarget.Merge`.
fn merge_log_target(into: &mut LogTarget, from: &LogTarget) {
    merge_option(&mut into.type_, &from.type_);
    merge_text(&mut into.location, &from.location);
    into.services.extend(from.services.iter().cloned());
    into.labels.extend(from.labels.clone());
}

/// Combines one section's entries by their `override` (`merge` or `replace`).
fn combine_entries<T: Clone>(
    combined: &mut BTreeMap<String, T>,
    entries: &BTreeMap<String, T>,
    label: &str,
    what: &str,
    override_of: impl Fn(&T) -> &Option<Override>,
    merge: impl Fn(&mut T, &T),
) -> Result<(), LayerError> {
    for (name, entry) in entries {
        match override_of(entry) {
            Some(Override::Merge) => match combined.get_mut(name) {
                Some(existing) => merge(existing, entry),
                None => {
                    combined.insert(name.clone(), entry.clone());
                }
            },
            Some(Override::Replace) => {
                combined.insert(name.clone(), entry.clone());
            }
            None => {
                return Err(LayerError::Format(format!(
                    "layer {} must define \"override\" for {what} {}",
                    go_quote(label),
                    go_quote(name)
                )))
            }
            Some(Override::Other(_)) => {
                return Err(LayerError::Format(format!(
                    "layer {} has invalid \"override\" value for {what} {}",
                    go_quote(label),
                    go_quote(name)
                )))
            }
        }
    }
    Ok(())
}

/// `plan.CombineLayers`: later layers override earlier ones. Defaults that Pebble writes
/// into the plan (a check's `threshold: 3`) are set by [`combine_plan`], not here.
pub fn combine_layers(layers: &[(&str, &Layer)]) -> Result<Layer, LayerError> {
    let mut combined = Layer::default();
    if let Some((_, last)) = layers.last() {
        combined.summary = last.summary.clone();
        combined.description = last.description.clone();
    }
    for (label, layer) in layers {
        combine_entries(
            &mut combined.services,
            &layer.services,
            label,
            "service",
            |s| &s.override_,
            merge_service,
        )?;
        combine_entries(
            &mut combined.checks,
            &layer.checks,
            label,
            "check",
            |c| &c.override_,
            merge_check,
        )?;
        combine_entries(
            &mut combined.log_targets,
            &layer.log_targets,
            label,
            "log target",
            |t| &t.override_,
            merge_log_target,
        )?;
    }
    Ok(combined)
}

/// Combines the layers into the plan Pebble serves, with its visible defaults, and
/// validates it (`PlanManager.updatePlanLayers`).
pub fn combine_plan(layers: &[LayerRecord]) -> Result<Plan, LayerError> {
    let refs: Vec<(&str, &Layer)> = layers
        .iter()
        .map(|record| (record.label.as_str(), &record.layer))
        .collect();
    let combined = combine_layers(&refs)?;
    let mut plan = Plan {
        services: combined.services,
        checks: combined.checks,
        log_targets: combined.log_targets,
        ..Plan::default()
    };
    for check in plan.checks.values_mut() {
        if check.threshold.is_none_or(|threshold| threshold == 0) {
            check.threshold = Some(DEFAULT_CHECK_THRESHOLD);
        }
    }
    validate_plan(&plan).map_err(LayerError::Format)?;
    Ok(plan)
}

/// `Plan.Validate`.
pub fn validate_plan(plan: &Plan) -> Result<(), String> {
    for (name, service) in &plan.services {
        if service.command.is_empty() {
            return Err(format!(
                "plan must define \"command\" for service {}",
                go_quote(name)
            ));
        }
    }
    for (name, check) in &plan.checks {
        let mut kinds = 0;
        if let Some(http) = &check.http {
            if http.url.is_empty() {
                return Err(format!(
                    "plan must set \"url\" for http check {}",
                    go_quote(name)
                ));
            }
            kinds += 1;
        }
        if let Some(tcp) = &check.tcp {
            if tcp.port.is_none_or(|port| port == 0) {
                return Err(format!(
                    "plan must set \"port\" for tcp check {}",
                    go_quote(name)
                ));
            }
            kinds += 1;
        }
        if let Some(exec) = &check.exec {
            if exec.command.is_empty() {
                return Err(format!(
                    "plan must set \"command\" for exec check {}",
                    go_quote(name)
                ));
            }
            if !exec.service_context.is_empty()
                && !plan.services.contains_key(&exec.service_context)
            {
                return Err(format!(
                    "plan check {} service context specifies non-existent service {}",
                    go_quote(name),
                    go_quote(&exec.service_context)
                ));
            }
            kinds += 1;
        }
        if kinds != 1 {
            return Err(format!(
                "plan must specify one of \"http\", \"tcp\", or \"exec\" for check {}",
                go_quote(name)
            ));
        }
    }
    for (name, target) in &plan.log_targets {
        if target.type_.is_none() {
            return Err(format!(
                "plan must define \"type\" (\"loki\", \"opentelemetry\" or \"syslog\") for log target {}",
                go_quote(name)
            ));
        }
        for service in &target.services {
            let service = service.strip_prefix('-').unwrap_or(service);
            if service != "all" && !plan.services.contains_key(service) {
                return Err(format!(
                    "log target {} specifies unknown service {}",
                    go_quote(name),
                    go_quote(service)
                ));
            }
        }
        if target.location.is_empty() {
            return Err(format!(
                "plan must define \"location\" for log target {}",
                go_quote(name)
            ));
        }
    }
    let all: Vec<String> = plan.services.keys().cloned().collect();
    order(&plan.services, &all, false)?;
    Ok(())
}

fn missing(name: &str) -> String {
    format!("service {} does not exist", go_quote(name))
}

/// Tarjan's strongly connected components, roots visited in sorted order and successors
/// in list order, as Pebble's `tarjanSort`; components come out dependencies first.
fn tarjan(successors: &BTreeMap<String, Vec<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        successors: &'a BTreeMap<String, Vec<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        output: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn connect(&mut self, node: &'a str) {
            let at = self.index.len();
            self.index.insert(node, at);
            self.low.insert(node, at);
            self.stack.push(node);
            self.on_stack.insert(node);
            let next: &'a [String] = self.successors.get(node).map_or(&[], Vec::as_slice);
            for succ in next {
                let succ = succ.as_str();
                if !self.index.contains_key(succ) {
                    self.connect(succ);
                    let low = self.low[node].min(self.low[succ]);
                    self.low.insert(node, low);
                } else if self.on_stack.contains(succ) {
                    let low = self.low[node].min(self.index[succ]);
                    self.low.insert(node, low);
                }
            }
            if self.low[node] == self.index[node] {
                let mut component = Vec::new();
                while let Some(top) = self.stack.pop() {
                    self.on_stack.remove(top);
                    component.push(top.to_string());
                    if top == node {
                        break;
                    }
                }
                component.sort();
                self.output.push(component);
            }
        }
    }
    let mut walk = Walk {
        successors,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        output: Vec::new(),
    };
    for node in successors.keys() {
        if !walk.index.contains_key(node.as_str()) {
            walk.connect(node);
        }
    }
    walk.output
}

/// `plan.order`: the services to start (or stop) for `names`, with what they require (or
/// what requires them), ordered by `after`/`before`.
fn order(
    services: &BTreeMap<String, Service>,
    names: &[String],
    stop: bool,
) -> Result<Vec<String>, String> {
    let mut predecessors: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    if stop {
        for (name, service) in services {
            for required in &service.requires {
                predecessors
                    .entry(required.as_str())
                    .or_default()
                    .push(name.clone());
            }
        }
    }
    let mut successors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut pending: Vec<String> = names.to_vec();
    let mut at = 0;
    while at < pending.len() {
        let name = pending[at].clone();
        at += 1;
        if successors.contains_key(&name) {
            continue;
        }
        successors.insert(name.clone(), Vec::new());
        if stop {
            pending.extend(predecessors.get(name.as_str()).cloned().unwrap_or_default());
        } else {
            let service = services.get(&name).ok_or_else(|| missing(&name))?;
            pending.extend(service.requires.iter().cloned());
        }
    }
    let names_in: Vec<String> = successors.keys().cloned().collect();
    for name in &names_in {
        let service = services.get(name).ok_or_else(|| missing(name))?;
        let (after, before) = if stop {
            (&service.before, &service.after)
        } else {
            (&service.after, &service.before)
        };
        let mut own: Vec<String> = successors[name].clone();
        own.extend(
            after
                .iter()
                .filter(|a| successors.contains_key(*a))
                .cloned(),
        );
        successors.insert(name.clone(), own);
        for other in before {
            if let Some(list) = successors.get_mut(other) {
                list.push(name.clone());
            }
        }
    }
    let mut ordered = Vec::new();
    for component in tarjan(&successors) {
        if component.len() > 1 {
            return Err(format!(
                "services in before/after loop: {}",
                component.join(", ")
            ));
        }
        ordered.extend(component);
    }
    Ok(ordered)
}

/// `createLanes`: services that require each other share a lane.
fn lanes(
    names: Vec<String>,
    services: &BTreeMap<String, Service>,
) -> Result<Vec<Vec<String>>, String> {
    let mut lane_of: BTreeMap<String, usize> = BTreeMap::new();
    let mut current: isize = -1;
    let mut max_lane = 0;
    for name in &names {
        let service = services.get(name).ok_or_else(|| missing(name))?;
        let lane = if let Some(lane) = lane_of.get(name).copied() {
            lane
        } else if let Some(lane) = service
            .requires
            .iter()
            .find_map(|dep| lane_of.get(dep).copied())
        {
            lane
        } else {
            current += 1;
            current as usize
        };
        lane_of.insert(name.clone(), lane);
        for dep in &service.requires {
            lane_of.insert(dep.clone(), lane);
        }
        // Go continues from the lane just used, even an earlier one.
        current = lane as isize;
        max_lane = max_lane.max(lane);
    }
    let mut out = vec![Vec::new(); if names.is_empty() { 0 } else { max_lane + 1 }];
    for name in names {
        let lane = lane_of[&name];
        out[lane].push(name);
    }
    out.retain(|lane: &Vec<String>| !lane.is_empty());
    Ok(out)
}

/// `Plan.StartOrder`: lanes of services to start, dependencies first.
pub fn start_order(plan: &Plan, names: &[String]) -> Result<Vec<Vec<String>>, String> {
    lanes(order(&plan.services, names, false)?, &plan.services)
}

/// `Plan.StopOrder`: lanes of services to stop, dependants first.
pub fn stop_order(plan: &Plan, names: &[String]) -> Result<Vec<Vec<String>>, String> {
    lanes(order(&plan.services, names, true)?, &plan.services)
}
