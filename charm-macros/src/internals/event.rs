//! The events `#[on(...)]` accepts: one table of names, what each event's argument names,
//! and the grouped list shown in messages. Codegen maps each [`EventKind`] to the runtime's
//! `On` value.

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

    /// An example argument, for messages.
    pub fn example(self) -> &'static str {
        match self {
            Target::Endpoint => "database",
            Target::Storage => "data",
            Target::Container => "workload",
            Target::Action => "backup",
            Target::None => "",
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
    /// `any`: every hook (not actions).
    Any,
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
    ("any", EventKind::Any),
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
     upgrade_charm, leader_elected, leader_settings_changed, collect_status, any, \
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

#[cfg(test)]
mod tests {
    use super::{EventKind, Target, EVENTS, EVENT_LIST};

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
        assert_eq!(EventKind::names().len(), 27);
    }

    /// Expands the grouped list (`relation_{created,joined}("endpoint")`) back into names.
    fn expand_list(list: &str) -> Vec<String> {
        let mut items = vec![String::new()];
        let mut depth = 0;
        for c in list.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    items.push(String::new());
                    continue;
                }
                _ => {}
            }
            items.last_mut().unwrap().push(c);
        }
        let mut names = Vec::new();
        for item in &items {
            let item = item.trim().split('(').next().unwrap();
            match item.split_once('{') {
                Some((prefix, group)) => {
                    let group = group.trim_end_matches('}');
                    names.extend(group.split(',').map(|suffix| format!("{prefix}{suffix}")));
                }
                None => names.push(item.to_string()),
            }
        }
        names
    }

    #[test]
    fn the_message_list_is_the_table() {
        let listed = expand_list(EVENT_LIST);
        let table: Vec<String> = EVENTS.iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(listed, table);
    }
}
