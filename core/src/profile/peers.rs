//! Network peers that say exactly what they open: a port or `allPorts: true` where the render
//! opens the peer's port, never a namespace and an address block at once (Z308), and a warning
//! for an address block of every address (Z309).

use super::findings::Findings;
use super::grammar::{cidr, is_everywhere};
use super::model::{Peer, Profile};
use crate::diagnostic::Code;
use crate::document::Path;

/// Every finding about the profile's peers.
pub(super) fn check(profile: &Profile, findings: &mut Findings<'_>) {
    let spec = &profile.spec;
    let root = Path::root().key("spec");
    let telemetry = root.key("telemetry");
    let databases = root.key("databases");
    let mut peers = vec![
        (root.key("dns"), &spec.dns, false),
        (root.key("ingress").key("from"), &spec.ingress.from, false),
        (
            telemetry.key("prometheus"),
            &spec.telemetry.prometheus,
            false,
        ),
        (telemetry.key("collector"), &spec.telemetry.collector, true),
    ];
    for (engine, server) in spec.databases.offered() {
        peers.push((databases.key(engine).key("network"), &server.network, true));
        // The provisioning Job's rule opens the server's own port, not the peer's.
        if let Some(itself) = &server.server_network {
            peers.push((databases.key(engine).key("serverNetwork"), itself, false));
        }
    }
    for (path, peer, egress) in peers {
        one(findings, &path, peer, egress);
    }
}

/// One peer; `egress` when the render opens the peer's own port (egress rules do; ingress
/// rules open the workload's port, and DNS always 53).
fn one(findings: &mut Findings<'_>, path: &Path, peer: &Peer, egress: bool) {
    if peer.namespace.is_some() && peer.cidr.is_some() {
        findings.at(
            Code::AmbiguousPeer,
            path,
            "a peer is a namespace or an address block, not both: a NetworkPolicy would keep only the address block".to_owned(),
        );
    }
    if egress {
        match (peer.port, peer.all_ports) {
            (None, false) => findings.at(
                Code::AmbiguousPeer,
                path,
                "a peer without a port opens every port; give its port, or say allPorts: true"
                    .to_owned(),
            ),
            (Some(port), true) => findings.at(
                Code::AmbiguousPeer,
                &path.key("allPorts"),
                format!("allPorts: true contradicts port {port}; keep one"),
            ),
            _ => {}
        }
    }
    let open = peer.cidr.as_deref().and_then(|value| cidr(value).ok());
    if let Some(block) = open.filter(is_everywhere) {
        findings.at(
            Code::OpenPeer,
            &path.key("cidr"),
            format!("the address block {block} is every address: the rule opens the tenant to the whole network"),
        );
    }
}
