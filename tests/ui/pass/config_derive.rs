//! `#[derive(CharmConfig)]`: names, descriptions, defaults and loading.

use charm_runtime::config::SecretUri;
use charm_runtime::metadata::{ConfigValue, OptionType};
use charm_runtime::CharmConfig;
use serde_json::json;

#[derive(CharmConfig, Debug, PartialEq)]
struct Config {
    /// Default port on which FastAPI is available.
    #[config(default = 8000)]
    server_port: u16,
    /// Offset applied to
    /// every reading.
    ///
    /// Negative values are fine.
    #[config(default = -5)]
    offset: i32,
    #[config(default = 2)]
    ratio: f64,
    #[config(default = 0.25)]
    jitter: f64,
    #[config(default = true)]
    debug: bool,
    #[config(name = "log-level", default = "info")]
    level: String,
    /// Set only when the user sets it.
    greeting: Option<String>,
    #[config(default = 3)]
    retries: Option<i64>,
    api_key: Option<SecretUri>,
}

#[derive(CharmConfig)]
struct Empty {}

fn main() {
    let options = Config::options();
    let names: Vec<&str> = options.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "server-port",
            "offset",
            "ratio",
            "jitter",
            "debug",
            "log-level",
            "greeting",
            "retries",
            "api-key"
        ]
    );
    let kinds: Vec<OptionType> = options.iter().map(|o| o.kind).collect();
    assert_eq!(
        kinds,
        [
            OptionType::Int,
            OptionType::Int,
            OptionType::Float,
            OptionType::Float,
            OptionType::Boolean,
            OptionType::String,
            OptionType::String,
            OptionType::Int,
            OptionType::Secret
        ]
    );
    assert_eq!(options[0].default, Some(ConfigValue::Int(8000)));
    assert_eq!(
        options[0].description.as_deref(),
        Some("Default port on which FastAPI is available.")
    );
    assert_eq!(options[1].default, Some(ConfigValue::Int(-5)));
    assert_eq!(
        options[1].description.as_deref(),
        Some("Offset applied to every reading.\n\nNegative values are fine.")
    );
    assert_eq!(options[2].default, Some(ConfigValue::Float(2.0)));
    assert_eq!(options[3].default, Some(ConfigValue::Float(0.25)));
    assert_eq!(options[4].default, Some(ConfigValue::Boolean(true)));
    assert_eq!(options[5].default, Some(ConfigValue::String("info".into())));
    assert_eq!(options[6].default, None);
    assert_eq!(
        options[6].description.as_deref(),
        Some("Set only when the user sets it.")
    );
    assert_eq!(options[7].default, Some(ConfigValue::Int(3)));
    assert_eq!(options[2].description, None);

    // Juju sends every option that has a default; unset ones are missing.
    let values = json!({
        "server-port": 9000,
        "offset": -5,
        "ratio": 2.0,
        "jitter": 0.25,
        "debug": false,
        "log-level": "info",
        "retries": 3,
        "api-key": "secret:abc"
    });
    let config = Config::from_config(values.as_object().unwrap()).unwrap();
    assert_eq!(
        config,
        Config {
            server_port: 9000,
            offset: -5,
            ratio: 2.0,
            jitter: 0.25,
            debug: false,
            level: "info".into(),
            greeting: None,
            retries: Some(3),
            api_key: Some(SecretUri("secret:abc".into())),
        }
    );

    // Missing options fall back to their defaults.
    let config = Config::from_config(json!({}).as_object().unwrap()).unwrap();
    assert_eq!(
        (config.server_port, config.retries, config.api_key),
        (8000, Some(3), None)
    );

    // A value of the wrong type names the option.
    let err = Config::from_config(json!({"server-port": "x"}).as_object().unwrap()).unwrap_err();
    assert_eq!(err.option, "server-port");
    let err = Config::from_config(json!({"server-port": 70000}).as_object().unwrap()).unwrap_err();
    assert_eq!(err.option, "server-port");

    assert!(Empty::options().is_empty());
    assert!(Empty::from_config(&Default::default()).is_ok());
}
