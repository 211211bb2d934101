//! `metrics-endpoint` (provides `prometheus_scrape`), on the wire as the prometheus_scrape
//! library's `MetricsEndpointProvider` (`charms.prometheus_k8s.v0.prometheus_scrape`) with
//! the tutorial's job, `jobs=[{"static_configs": [{"targets": ["*:<server-port>"]}]}]`:
//!
//! - the leader, in its application bag: `scrape_metadata`, the Juju topology
//!   (`{"model": ..., "model_uuid": ..., "application": ..., "unit": ..., "charm_name":
//!   ...}`), and `scrape_jobs`, the job list after the library's sanitising
//!   (`[{"metrics_path": "/metrics", "static_configs": [{"targets": ["*:8000"]}]}]`), both
//!   as `json.dumps` writes them;
//! - every unit, in its unit bag: `prometheus_scrape_unit_address` (its bind address on
//!   the relation) and `prometheus_scrape_unit_name`, which Prometheus substitutes for the
//!   `*` of the targets.
//!
//! Not sent: `alert_rules` (the charm has no rule files) and the unit's FQDN and path,
//! which the library leaves empty too when there is no external URL (an empty value is no
//! key in Juju).

use charm_runtime::prelude::*;
use charm_runtime::relation::Provides;
use charm_runtime::Endpoint;

/// The Juju topology, in the library's key order (`JujuTopology.as_dict()`).
#[json_value]
#[derive(Debug, Clone, PartialEq)]
pub struct Topology {
    /// Model name.
    pub model: String,
    /// Model UUID.
    pub model_uuid: String,
    /// Application name.
    pub application: String,
    /// The unit that wrote it.
    pub unit: String,
    /// The charm's name.
    pub charm_name: String,
}

/// One Prometheus scrape job (the subset the library allows).
#[json_value]
#[derive(Debug, Clone, PartialEq)]
pub struct ScrapeJob {
    /// The HTTP path of the metrics.
    pub metrics_path: String,
    /// The targets; `*` stands for every unit's address.
    pub static_configs: Vec<StaticConfig>,
}

/// A `static_configs` entry.
#[json_value]
#[derive(Debug, Clone, PartialEq)]
pub struct StaticConfig {
    /// `host:port` targets.
    pub targets: Vec<String>,
}

/// The leader's part: what to scrape, and whose it is.
#[derive(Databag, Debug, Default, PartialEq)]
pub struct ScrapeSpec {
    /// JSON of [`Topology`].
    pub scrape_metadata: Option<Topology>,
    /// JSON list of [`ScrapeJob`].
    pub scrape_jobs: Option<Vec<ScrapeJob>>,
}

/// Each unit's part: where it is.
#[derive(Databag, Debug, Default, PartialEq)]
#[databag(raw)]
pub struct ScrapeTarget {
    /// The unit's address on the relation.
    pub prometheus_scrape_unit_address: Option<String>,
    /// The unit's name.
    pub prometheus_scrape_unit_name: Option<String>,
}

/// The tutorial's job: `/metrics` of every unit on `port`.
pub fn scrape_jobs(port: u16) -> Vec<ScrapeJob> {
    vec![ScrapeJob {
        metrics_path: "/metrics".into(),
        static_configs: vec![StaticConfig {
            targets: vec![format!("*:{port}")],
        }],
    }]
}

/// Publishes this unit's address on every relation of `endpoint` and, on the leader with
/// a usable port, the scrape job (`None`: the job already published stays). `charm_name`
/// goes into the topology.
pub fn publish(
    model: &mut Model,
    endpoint: Endpoint<Provides>,
    charm_name: &str,
    port: Option<u16>,
) -> Result<()> {
    let relations = model.relations(endpoint)?;
    if relations.is_empty() {
        return Ok(());
    }
    let leader = model.leader()?;
    let env = model.env();
    let topology = Topology {
        model: env.model_name.clone(),
        model_uuid: env.model_uuid.clone(),
        application: env.app_name.clone(),
        unit: env.unit_name.clone(),
        charm_name: charm_name.to_string(),
    };
    for rel in relations {
        let address = model
            .relation_binding(&rel)?
            .bind_address()
            .map(|a| a.to_string());
        let target = ScrapeTarget {
            prometheus_scrape_unit_address: address,
            prometheus_scrape_unit_name: Some(model.unit_name().to_string()),
        };
        model.save(&rel, Own::Unit, &target)?;
        if let (Some(leader), Some(port)) = (leader, port) {
            let spec = ScrapeSpec {
                scrape_metadata: Some(topology.clone()),
                scrape_jobs: Some(scrape_jobs(port)),
            };
            model.save(&rel, Own::App(leader), &spec)?;
        }
    }
    Ok(())
}
