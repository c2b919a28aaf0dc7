//! `feature-flags`: the tenant's flag set as a ConfigMap named by its content, and the flagd
//! native sidecar that serves it to the app's OpenFeature SDK over loopback.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    ConfigMap, ConfigMapVolumeSource, Container, ContainerPort, HTTPGetAction, Probe, Volume,
    VolumeMount,
};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::context::{Context, FLAGD_MANAGEMENT_PORT, FLAGD_PORT};
use super::tenancy::resources;
use super::workload::restricted_container;
use crate::contract::model::CapabilityName;
use crate::flags::FlagSet;
use crate::manifest::{Manifest, Object, Zone};

/// The key of the flag set in its ConfigMap, and the file flagd reads.
pub const FLAGS_KEY: &str = "flags.json";
/// Where the flag set is mounted in the sidecar.
const MOUNT_PATH: &str = "/etc/flagd";
/// The volume holding the flag set.
const VOLUME: &str = "flags";

/// Whether the workload gets the flagd sidecar.
pub fn enabled(ctx: &Context<'_>) -> bool {
    ctx.contract
        .capabilities
        .contains(&CapabilityName::FeatureFlags)
}

/// The flag set the sidecar serves: CI's, or the empty set (W005).
fn flag_set<'c>(ctx: &'c Context<'_>) -> std::borrow::Cow<'c, FlagSet> {
    match ctx.flags {
        Some(flags) => std::borrow::Cow::Borrowed(flags),
        None => std::borrow::Cow::Owned(FlagSet::empty()),
    }
}

/// `<name>-flags-<hash of the flag set>`: a changed set is a new ConfigMap, so the pods roll.
pub fn config_map_name(ctx: &Context<'_>) -> String {
    let hash = super::persistence::short_hash([(FLAGS_KEY, flag_set(ctx).text())].into_iter());
    format!("{}-flags-{hash}", ctx.name())
}

/// The ConfigMap holding the flag set, in the tenant namespace.
pub fn render(ctx: &Context<'_>) -> Vec<Manifest> {
    if !enabled(ctx) {
        return Vec::new();
    }
    let data = BTreeMap::from([(FLAGS_KEY.to_owned(), flag_set(ctx).text().to_owned())]);
    vec![Manifest::new(
        Zone::Workload,
        Object::ConfigMap(ConfigMap {
            metadata: ctx.tenant_meta(config_map_name(ctx)),
            data: Some(data),
            ..ConfigMap::default()
        }),
    )]
}

/// The volume of the flag set, read-only.
pub fn volume(ctx: &Context<'_>) -> Option<Volume> {
    enabled(ctx).then(|| Volume {
        name: VOLUME.to_owned(),
        config_map: Some(ConfigMapVolumeSource {
            name: config_map_name(ctx),
            default_mode: Some(0o444),
            ..ConfigMapVolumeSource::default()
        }),
        ..Volume::default()
    })
}

/// flagd as a native sidecar (an init container that keeps running): it syncs the mounted
/// file, so an edit of the ConfigMap in place would reach it too, and is ready once it has
/// loaded the set. `id` is the pod's user.
pub fn sidecar(ctx: &Context<'_>, id: i64) -> Option<Container> {
    let settings = ctx.profile.spec.feature_flags.as_ref()?;
    if !enabled(ctx) {
        return None;
    }
    let args = [
        "start",
        "--uri",
        &format!("file:{MOUNT_PATH}/{FLAGS_KEY}"),
        "--port",
        &FLAGD_PORT.to_string(),
        "--management-port",
        &FLAGD_MANAGEMENT_PORT.to_string(),
    ];
    Some(Container {
        name: "flagd".to_owned(),
        image: Some(settings.image.clone()),
        image_pull_policy: Some("IfNotPresent".to_owned()),
        args: Some(args.iter().map(|arg| (*arg).to_owned()).collect()),
        ports: Some(vec![
            port("flags", FLAGD_PORT),
            port("flags-health", FLAGD_MANAGEMENT_PORT),
        ]),
        readiness_probe: Some(Probe {
            http_get: Some(HTTPGetAction {
                path: Some("/readyz".to_owned()),
                port: IntOrString::String("flags-health".to_owned()),
                ..HTTPGetAction::default()
            }),
            period_seconds: Some(5),
            timeout_seconds: Some(2),
            failure_threshold: Some(3),
            ..Probe::default()
        }),
        resources: Some(resources(&settings.requests, &settings.limits)),
        restart_policy: Some("Always".to_owned()),
        security_context: Some(restricted_container(id)),
        volume_mounts: Some(vec![VolumeMount {
            mount_path: MOUNT_PATH.to_owned(),
            name: VOLUME.to_owned(),
            read_only: Some(true),
            ..VolumeMount::default()
        }]),
        ..Container::default()
    })
}

fn port(name: &str, port: u16) -> ContainerPort {
    ContainerPort {
        container_port: i32::from(port),
        name: Some(name.to_owned()),
        protocol: Some("TCP".to_owned()),
        ..ContainerPort::default()
    }
}
