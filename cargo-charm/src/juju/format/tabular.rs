//! The tabular views (`juju status`, `juju models`): columns two spaces apart, padded to
//! their widest cell, the last one unpadded, some right-aligned (`Scale`, `Rev`), as Juju's
//! `output_tabular.go` writes them through its tab writer.

use super::status::Status;

/// Lays out `rows` (the first is the header); columns in `right` are right-aligned.
pub fn table(rows: &[Vec<String>], right: &[usize]) -> String {
    crate::sim::table::aligned(rows, right)
}

/// `juju status` (tabular): the model, applications and units; with `relations`, the
/// integrations.
pub fn status(s: &Status, relations: bool) -> String {
    let m = &s.model;
    let cloud = if m.region.is_empty() {
        m.cloud.clone()
    } else {
        format!("{}/{}", m.cloud, m.region)
    };
    let mut out = table(
        &[
            svec(&[
                "Model",
                "Controller",
                "Cloud/Region",
                "Version",
                "SLA",
                "Timestamp",
            ]),
            vec![
                m.name.clone(),
                m.controller.clone(),
                cloud,
                m.version.clone(),
                m.sla.clone(),
                s.controller.timestamp.clone(),
            ],
        ],
        &[],
    );
    if s.applications.is_empty() {
        return out;
    }
    out.push('\n');
    let mut apps = vec![svec(&[
        "App", "Version", "Status", "Scale", "Charm", "Channel", "Rev", "Address", "Exposed",
        "Message",
    ])];
    for (name, a) in &s.applications {
        apps.push(vec![
            name.clone(),
            a.version.clone(),
            a.application_status.current.clone(),
            a.scale.to_string(),
            a.charm_name.clone(),
            a.charm_channel.clone(),
            a.charm_rev.to_string(),
            a.address.clone(),
            if a.exposed { "yes" } else { "no" }.into(),
            a.application_status.message.clone(),
        ]);
    }
    out.push_str(&table(&apps, &[3, 6]));
    out.push('\n');
    let mut units = vec![svec(&[
        "Unit", "Workload", "Agent", "Address", "Ports", "Message",
    ])];
    for a in s.applications.values() {
        for (name, u) in &a.units {
            let marker = if u.leader { "*" } else { "" };
            units.push(vec![
                format!("{name}{marker}"),
                u.workload_status.current.clone(),
                u.juju_status.current.clone(),
                u.address.clone(),
                u.open_ports.join(","),
                u.workload_status.message.clone(),
            ]);
        }
    }
    out.push_str(&table(&units, &[]));
    if relations && !s.relations.is_empty() {
        out.push('\n');
        let mut rows = vec![svec(&[
            "Integration provider",
            "Requirer",
            "Interface",
            "Type",
            "Message",
        ])];
        for r in &s.relations {
            rows.push(vec![
                r.provider.clone(),
                r.requirer.clone(),
                r.interface.clone(),
                r.kind.clone(),
                r.message.clone(),
            ]);
        }
        out.push_str(&table(&rows, &[]));
    }
    out
}

fn svec(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn right_aligned_columns_and_unpadded_last() {
        let t = table(
            &[svec(&["App", "Scale", "Message"]), svec(&["a", "12", ""])],
            &[1],
        );
        assert_eq!(t, "App  Scale  Message\na       12\n");
    }
}
