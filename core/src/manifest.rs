//! The ordered object set and the file tree: one ordering rule (zone, kind, name), one YAML
//! emitter, a `kustomization.yaml` per folder, and zave's header on every file.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{
    ConfigMap, LimitRange, Namespace, ResourceQuota, Service, ServiceAccount,
};
use k8s_openapi::api::networking::v1::{Ingress, NetworkPolicy};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;

use crate::index::{Half, Shard};
use crate::object_yaml::ObjectWriter;
use crate::render::custom::{
    ApplicationSpec, CustomResource, ExternalSecretSpec, FluxKustomizationSpec, HttpRouteSpec,
    PasswordSpec, PodMonitorSpec, PushSecretSpec, ServiceMonitorSpec,
};
use crate::yaml::{EmitError, write_yaml};

/// Which part of the GitOps tree an object belongs to (the platform's authority split).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Zone {
    /// `platform/tenants/<name>/`: the tenant boundary, owned by Flux.
    Platform,
    /// `tenants/<name>/`: the workload, owned by Argo CD.
    Workload,
    /// `platform/argocd/<shard>/`: the tenant's Argo CD Application.
    Applications,
    /// `platform/flux/<shard>/`: the Flux Kustomization that applies the platform folder.
    Flux,
}

macro_rules! objects {
    ($($(#[doc = $doc:literal])* $variant:ident($type:ty) = $kind:literal,)*) => {
        /// A rendered object. Variants are declared in apply order, which is the kind order
        /// of every output.
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant, reason = "a render holds about twenty objects, built once; the two with a pod template are boxed, so moving them while sorting stays cheap")]
        pub enum Object {
            $($(#[doc = $doc])* $variant($type),)*
        }

        impl Object {
            /// The object's `kind`.
            pub fn kind(&self) -> &'static str {
                match self { $(Object::$variant(_) => $kind,)* }
            }

            /// The object's metadata.
            pub fn metadata(&self) -> &ObjectMeta {
                match self { $(Object::$variant(object) => &object.metadata,)* }
            }

            fn metadata_mut(&mut self) -> &mut ObjectMeta {
                match self { $(Object::$variant(object) => &mut object.metadata,)* }
            }

            /// The position of the object's kind in apply order.
            fn kind_order(&self) -> usize {
                let mut position = 0;
                $(
                    if let Object::$variant(_) = self { return position; }
                    position += 1;
                )*
                position
            }
        }

        impl Serialize for Object {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self { $(Object::$variant(object) => object.serialize(serializer),)* }
            }
        }
    };
}

objects! {
    /// The tenant namespace.
    Namespace(Namespace) = "Namespace",
    /// The namespace quota.
    ResourceQuota(ResourceQuota) = "ResourceQuota",
    /// Container defaults and bounds.
    LimitRange(LimitRange) = "LimitRange",
    /// A network guard rail.
    NetworkPolicy(NetworkPolicy) = "NetworkPolicy",
    /// The workload's identity.
    ServiceAccount(ServiceAccount) = "ServiceAccount",
    /// A password generator (database provisioning).
    Password(CustomResource<PasswordSpec>) = "Password",
    /// A generated secret written to the store (database provisioning).
    PushSecret(CustomResource<PushSecretSpec>) = "PushSecret",
    /// A secret reference.
    ExternalSecret(CustomResource<ExternalSecretSpec>) = "ExternalSecret",
    /// Configuration files (the database provisioning script).
    ConfigMap(ConfigMap) = "ConfigMap",
    /// A run-to-completion task (database provisioning).
    Job(Box<Job>) = "Job",
    /// The workload.
    Deployment(Box<Deployment>) = "Deployment",
    /// The in-cluster endpoint.
    Service(Service) = "Service",
    /// The public route (Ingress API).
    Ingress(Ingress) = "Ingress",
    /// The public route (Gateway API).
    HttpRoute(CustomResource<HttpRouteSpec>) = "HTTPRoute",
    /// The autoscaler.
    HorizontalPodAutoscaler(HorizontalPodAutoscaler) = "HorizontalPodAutoscaler",
    /// The disruption budget.
    PodDisruptionBudget(PodDisruptionBudget) = "PodDisruptionBudget",
    /// The metrics scrape target of a workload with a Service.
    ServiceMonitor(CustomResource<ServiceMonitorSpec>) = "ServiceMonitor",
    /// The metrics scrape target of a workload without a Service.
    PodMonitor(CustomResource<PodMonitorSpec>) = "PodMonitor",
    /// The Argo CD Application.
    Application(CustomResource<ApplicationSpec>) = "Application",
    /// The Flux Kustomization of a tenant's platform folder.
    FluxKustomization(CustomResource<FluxKustomizationSpec>) = "Kustomization",
}

impl Object {
    /// The object's name.
    pub fn name(&self) -> &str {
        self.metadata().name.as_deref().unwrap_or_default()
    }
}

/// An object and the part of the tree it goes to.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    /// Where the object's file goes.
    pub zone: Zone,
    /// The object.
    pub object: Object,
}

impl Manifest {
    /// Places `object` in `zone`.
    pub fn new(zone: Zone, object: Object) -> Manifest {
        Manifest { zone, object }
    }
}

/// The labels and annotations every object of a render carries, held once: a render's objects
/// keep only their own in their metadata, and get these added when they are written
/// ([`tenant_files`]) or handed out ([`Manifest::with_shared`]), the object's own winning on
/// the same key.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SharedMetadata {
    /// The labels every object carries.
    pub labels: BTreeMap<String, String>,
    /// The annotations every object carries.
    pub annotations: BTreeMap<String, String>,
}

impl SharedMetadata {
    /// Makes an object's `metadata` whole: its own labels and annotations with these added.
    pub(crate) fn add_to(&self, metadata: &mut ObjectMeta) {
        metadata.labels = Some(whole_map(&self.labels, metadata.labels.as_ref()));
        metadata.annotations = Some(whole_map(&self.annotations, metadata.annotations.as_ref()));
    }
}

/// The entries of `shared` and `own` in key order, `own`'s value where both have a key: the
/// one rule for what an object's labels (or annotations) are.
pub(crate) fn merged<'m>(
    shared: &'m BTreeMap<String, String>,
    own: &'m BTreeMap<String, String>,
) -> impl Iterator<Item = (&'m String, &'m String)> {
    let mut shared = shared.iter().peekable();
    let mut own = own.iter().peekable();
    std::iter::from_fn(move || match (shared.peek(), own.peek()) {
        (Some((a, _)), Some((b, _))) => match a.cmp(b) {
            Ordering::Less => shared.next(),
            Ordering::Greater => own.next(),
            Ordering::Equal => {
                shared.next();
                own.next()
            }
        },
        (Some(_), None) => shared.next(),
        (None, _) => own.next(),
    })
}

impl Manifest {
    /// The whole object: its own labels and annotations with `shared`'s added.
    pub(crate) fn with_shared(&self, shared: &SharedMetadata) -> Manifest {
        let mut whole = self.clone();
        shared.add_to(whole.object.metadata_mut());
        whole
    }
}

/// A shared map with an object's own entries added ([`merged`]), as a new map.
fn whole_map(
    shared: &BTreeMap<String, String>,
    own: Option<&BTreeMap<String, String>>,
) -> BTreeMap<String, String> {
    let none = BTreeMap::new();
    merged(shared, own.unwrap_or(&none))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect()
}

/// Sorts objects by the one ordering rule: zone, then kind in apply order, then name.
pub fn sort(manifests: &mut [Manifest]) {
    // A manifest is most of a kilobyte (the typed objects are held inline, but for the two
    // boxed ones): sort their keys, then move each object at most once per cycle.
    let mut target = vec![0; manifests.len()];
    {
        let mut order: Vec<(usize, (Zone, usize, &str))> = manifests
            .iter()
            .map(|m| (m.zone, m.object.kind_order(), m.object.name()))
            .enumerate()
            .collect();
        order.sort_by(|a, b| a.1.cmp(&b.1));
        for (position, (index, _)) in order.iter().enumerate() {
            target[*index] = position;
        }
    }
    for start in 0..target.len() {
        while target[start] != start {
            let to = target[start];
            manifests.swap(start, to);
            target.swap(start, to);
        }
    }
}

/// What a file of the tree holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    /// One Kubernetes object.
    Object,
    /// A Kustomize configuration listing the folder's objects.
    Kustomization,
}

/// One file of the rendered tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RenderedFile {
    /// The path, relative to the GitOps repository root (with the profile's prefix).
    pub path: String,
    /// What the file holds.
    pub kind: FileKind,
    /// The file's text: zave's header line, then YAML.
    pub content: String,
}

/// The first line of every file zave writes; a file is zave's to replace or prune only when
/// it starts with this.
pub const HEADER_PREFIX: &str = "# Generated by zave";

/// The end of zave's header line, after what the file is about.
const HEADER_ADVICE: &str = "). Do not edit: change the contract and render again.";

/// zave's header line for a file about `about`.
pub(crate) fn header(about: &str) -> String {
    format!(
        "{HEADER_PREFIX} {} ({about}{HEADER_ADVICE}\n",
        crate::VERSION
    )
}

/// Whether `content` starts with the exact header zave writes on a file of the tree: the
/// prefix, a version, what the file is about in parentheses, and the advice, on a line of its
/// own. Only such a file is zave's to replace or prune; `# Generated by zavefoo` is not.
pub fn is_generated(content: &[u8]) -> bool {
    let Some(line) = content
        .iter()
        .position(|&byte| byte == b'\n')
        .and_then(|end| std::str::from_utf8(&content[..end]).ok())
    else {
        return false;
    };
    let Some(rest) = line
        .strip_prefix(HEADER_PREFIX)
        .and_then(|rest| rest.strip_prefix(' '))
    else {
        return false;
    };
    let Some((version, about)) = rest.split_once(" (") else {
        return false;
    };
    let version_ok = !version.is_empty()
        && version
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-'));
    version_ok
        && about
            .strip_suffix(HEADER_ADVICE)
            .is_some_and(|about| !about.is_empty())
}

/// `rest` under the path `prefix` (none when empty).
pub(crate) fn join(prefix: &str, rest: &str) -> String {
    under(prefix, &[rest])
}

/// `parts` joined by `/`, under the path `prefix` (none when empty), in one allocation.
pub(crate) fn under(prefix: &str, parts: &[&str]) -> String {
    let size = prefix.len() + parts.iter().map(|part| part.len() + 1).sum::<usize>();
    let mut path = String::with_capacity(size);
    path.push_str(prefix);
    for (index, part) in parts.iter().enumerate() {
        if index > 0 || !prefix.is_empty() {
            path.push('/');
        }
        path.push_str(part);
    }
    path
}

/// `platform/tenants/<name>`, under the prefix.
pub fn platform_dir(prefix: &str, name: &str) -> String {
    under(prefix, &["platform/tenants", name])
}

/// `tenants/<name>`, under the prefix: the folder the tenant's Application syncs.
pub fn workload_dir(prefix: &str, name: &str) -> String {
    under(prefix, &["tenants", name])
}

/// The two folders holding one sub-folder per tenant: `platform/tenants` and `tenants`.
pub fn tenant_folders(prefix: &str) -> [String; 2] {
    [join(prefix, "platform/tenants"), join(prefix, "tenants")]
}

/// `platform/bootstrap`, under the prefix: what `zave platform` renders.
pub fn bootstrap_dir(prefix: &str) -> String {
    join(prefix, "platform/bootstrap")
}

/// The tree of one tenant: every object in its file (with the `shared` labels and annotations),
/// in the one order, and a kustomization per folder it owns. `about` names the contract and
/// profile in each file's header. `manifests` must be in the one order ([`sort`]).
pub(crate) fn tenant_files(
    manifests: &[Manifest],
    shared: &SharedMetadata,
    name: &str,
    prefix: &str,
    about: &str,
) -> Result<Vec<RenderedFile>, EmitError> {
    let header = header(about);
    let mut files = Vec::with_capacity(manifests.len() + 2);
    // Each object is written here first, then copied into a string of exactly its size: one
    // growing buffer per render instead of a generous allocation per file.
    let mut scratch = String::with_capacity(8192);
    let mut writer = ObjectWriter::new(shared);
    let shard = Shard::of(name);
    let mut start = 0;
    while let Some(first) = manifests.get(start) {
        let zone = first.zone;
        let count = manifests[start..]
            .iter()
            .take_while(|manifest| manifest.zone == zone)
            .count();
        let folder = &manifests[start..start + count];
        start += count;
        let dir = zone_dir(zone, prefix, name, shard);
        let first_file = files.len();
        for manifest in folder {
            scratch.clear();
            scratch.push_str(&header);
            writer.write(&manifest.object, &mut scratch)?;
            files.push(RenderedFile {
                path: object_path_in(&dir, manifest, name),
                kind: FileKind::Object,
                content: scratch.as_str().to_owned(),
            });
        }
        if matches!(zone, Zone::Platform | Zone::Workload) {
            let file_names: Vec<&str> = files[first_file..]
                .iter()
                .map(|file| file.path.get(dir.len() + 1..).unwrap_or_default())
                .collect();
            let listing = kustomization(&dir, &file_names, &header)?;
            files.push(listing);
        }
    }
    Ok(files)
}

/// The file an object of tenant `name` is written to, as in [`tenant_files`].
pub fn object_path(manifest: &Manifest, name: &str, prefix: &str) -> String {
    let dir = zone_dir(manifest.zone, prefix, name, Shard::of(name));
    object_path_in(&dir, manifest, name)
}

/// The file of `manifest` in its zone's folder `dir`: `<name>.yaml` in the shard folders,
/// `<kind>-<object name>.yaml` in the tenant's own.
fn object_path_in(dir: &str, manifest: &Manifest, name: &str) -> String {
    let object = &manifest.object;
    let stem = match manifest.zone {
        Zone::Applications | Zone::Flux => name,
        Zone::Platform | Zone::Workload => object.name(),
    };
    let mut path = String::with_capacity(dir.len() + object.kind().len() + stem.len() + 8);
    path.push_str(dir);
    path.push('/');
    if matches!(manifest.zone, Zone::Platform | Zone::Workload) {
        let kind = path.len();
        path.push_str(object.kind());
        path[kind..].make_ascii_lowercase();
        path.push('-');
    }
    path.push_str(stem);
    path.push_str(".yaml");
    path
}

/// The folder of `zone` for tenant `name`, whose shard is `shard` ([`Shard::of`] the name).
fn zone_dir(zone: Zone, prefix: &str, name: &str, shard: Shard) -> String {
    match zone {
        Zone::Platform => platform_dir(prefix, name),
        Zone::Workload => workload_dir(prefix, name),
        Zone::Applications => Half::Applications.shard_dir(prefix, shard),
        Zone::Flux => Half::Tenants.shard_dir(prefix, shard),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Kustomization<'a, R> {
    api_version: &'static str,
    kind: &'static str,
    resources: &'a [R],
}

/// The `kustomization.yaml` of folder `dir`, listing `resources`.
pub(crate) fn kustomization<R: Serialize>(
    dir: &str,
    resources: &[R],
    header: &str,
) -> Result<RenderedFile, EmitError> {
    let mut content = header.to_owned();
    write_yaml(
        &Kustomization {
            api_version: "kustomize.config.k8s.io/v1beta1",
            kind: "Kustomization",
            resources,
        },
        &mut content,
    )?;
    Ok(RenderedFile {
        path: under(dir, &["kustomization.yaml"]),
        kind: FileKind::Kustomization,
        content,
    })
}

/// The file at `path` holding one object, after `header`.
pub(crate) fn object_file(
    path: String,
    header: &str,
    object: &impl Serialize,
) -> Result<RenderedFile, EmitError> {
    let mut content = header.to_owned();
    write_yaml(object, &mut content)?;
    Ok(RenderedFile {
        path,
        kind: FileKind::Object,
        content,
    })
}

/// The objects of a tree as one multi-document YAML stream, each after a `# Source:` line.
pub fn to_stream(files: &[RenderedFile]) -> String {
    const SEPARATOR: usize = "---\n# Source: \n".len();
    let objects = || files.iter().filter(|f| f.kind == FileKind::Object);
    let size = objects()
        .map(|file| SEPARATOR + file.path.len() + file.content.len())
        .sum();
    let mut stream = String::with_capacity(size);
    for file in objects() {
        stream.push_str("---\n# Source: ");
        stream.push_str(&file.path);
        stream.push('\n');
        stream.push_str(&file.content);
    }
    stream
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
        entries
            .iter()
            .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
            .collect()
    }

    #[test]
    fn an_objects_own_entries_join_the_shared_ones_in_key_order_and_win_on_the_same_key() {
        let shared = map(&[("b", "shared"), ("d", "shared"), ("f", "shared")]);
        let own = map(&[("a", "own"), ("d", "own"), ("g", "own")]);
        let entries: Vec<(&str, &str)> = merged(&shared, &own)
            .map(|(key, value)| (key.as_str(), value.as_str()))
            .collect();
        assert_eq!(
            entries,
            [
                ("a", "own"),
                ("b", "shared"),
                ("d", "own"),
                ("f", "shared"),
                ("g", "own")
            ]
        );
        let mut expected = shared.clone();
        expected.extend(own.clone());
        assert_eq!(whole_map(&shared, Some(&own)), expected);
        assert_eq!(whole_map(&shared, None), shared);
    }

    #[test]
    fn only_the_exact_header_makes_a_file_zaves() {
        assert!(is_generated(
            header("contract \"web\", profile \"kind\"").as_bytes()
        ));
        assert!(is_generated(header("index, profile \"kind\"").as_bytes()));
        for foreign in [
            "# Generated by zavesomething-else\n",
            "# Generated by zave\n",
            "# Generated by zave 0.1.0 (x). Do not edit: change the contract and render again.",
            "# Generated by zave 0.1.0 (). Do not edit: change the contract and render again.\n",
            "# Generated by zave 0 1 (x). Do not edit: change the contract and render again.\n",
            "# Generated by zave 0.1.0 (x). Edited by hand.\n",
            " # Generated by zave 0.1.0 (x). Do not edit: change the contract and render again.\n",
            "",
        ] {
            assert!(!is_generated(foreign.as_bytes()), "{foreign:?}");
        }
    }
}
