//! The index of the tree: the stable shard each tenant falls into, and the kustomizations and
//! Flux objects through which the GitOps engines reach every tenant without one build over all.
//!
//! ```text
//! platform/flux/kustomization.yaml          the root: lists only the shard objects below
//! platform/flux/tenants-NN.yaml             Flux Kustomization applying platform/flux/NN
//! platform/flux/applications-NN.yaml        Flux Kustomization applying platform/argocd/NN
//! platform/flux/NN/kustomization.yaml       shard index: the shard's tenants' Kustomizations
//! platform/flux/NN/<name>.yaml              the tenant's Kustomization (tenant-owned)
//! platform/argocd/NN/kustomization.yaml     shard index: the shard's tenants' Applications
//! platform/argocd/NN/<name>.yaml            the tenant's Application (tenant-owned)
//! ```

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use sha2::{Digest, Sha256};

use crate::manifest::{
    RenderedFile, header, join, kustomization, object_file, platform_dir, under,
};
use crate::profile::Profile;
use crate::render::custom::{
    CustomResource, FluxDependency, FluxKustomizationSpec, FluxSourceReference,
};
use crate::yaml::EmitError;

/// How many shards each half of the index has. Fixed, so a tenant's shard depends on its name
/// alone: 32 keeps a shard near 310 objects at 10,000 tenants (`kubectl kustomize` built the
/// largest, 349, in 0.8–1.2 s; `scripts/bench-gitops`) and the root at 64 objects.
pub const SHARDS: u8 = 32;

/// The `apiVersion` of Flux's Kustomization.
const FLUX_API_VERSION: &str = "kustomize.toolkit.fluxcd.io/v1";

/// One shard of the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Shard(u8);

impl Shard {
    /// The shard of tenant `name`: the first byte of the SHA-256 of the name, modulo
    /// [`SHARDS`]. It never changes as other tenants come and go.
    pub fn of(name: &str) -> Shard {
        Shard(Sha256::digest(name.as_bytes())[0] % SHARDS)
    }

    /// Every shard, in order.
    pub fn all() -> impl Iterator<Item = Shard> {
        (0..SHARDS).map(Shard)
    }

    /// The shard's number, as its folder is named: `00` to `31`.
    pub fn label(self) -> String {
        format!("{:02}", self.0)
    }
}

/// The two halves of the index, each sharded the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Half {
    /// The tenants' Flux Kustomizations, each applying a tenant's platform folder.
    Tenants,
    /// The tenants' Argo CD Applications, each syncing a tenant's workload folder.
    Applications,
}

impl Half {
    /// Both halves, in the order the root lists them.
    pub const ALL: [Half; 2] = [Half::Tenants, Half::Applications];

    /// The word that names the half's shard objects: `tenants-NN`, `applications-NN`.
    fn word(self) -> &'static str {
        match self {
            Half::Tenants => "tenants",
            Half::Applications => "applications",
        }
    }

    /// The folder that holds the half's shard folders, under the repository root.
    fn base_folder(self) -> &'static str {
        match self {
            Half::Tenants => FLUX_FOLDER,
            Half::Applications => "platform/argocd",
        }
    }

    /// The folder of one shard of the half: `platform/flux/NN` or `platform/argocd/NN`.
    pub fn shard_dir(self, prefix: &str, shard: Shard) -> String {
        under(prefix, &[self.base_folder(), &shard.label()])
    }

    /// Where tenant `name`'s file of this half lives.
    pub fn tenant_file(self, prefix: &str, name: &str) -> String {
        format!("{}/{name}.yaml", self.shard_dir(prefix, Shard::of(name)))
    }
}

/// `platform/flux`, under the prefix: the root and its shard objects.
pub fn flux_dir(prefix: &str) -> String {
    join(prefix, FLUX_FOLDER)
}

/// The folder of the Flux root and its shard objects, under the repository root.
const FLUX_FOLDER: &str = "platform/flux";

/// The path Flux reads a folder of the repository at: from the repository's root.
fn flux_path(folder: &str) -> String {
    format!("./{folder}")
}

/// The name of tenant `name`'s Flux Kustomization.
pub fn tenant_kustomization_name(name: &str) -> String {
    format!("tenant-{name}")
}

/// The spec of a Flux Kustomization that applies `folder` under `profile`'s Flux settings.
fn flux_spec(
    profile: &Profile,
    folder: &str,
    depends_on: Vec<FluxDependency>,
) -> FluxKustomizationSpec {
    let flux = &profile.spec.gitops.flux;
    FluxKustomizationSpec {
        depends_on,
        interval: flux.interval.clone(),
        path: flux_path(folder),
        prune: true,
        source_ref: FluxSourceReference {
            kind: "GitRepository",
            name: flux.source.clone(),
        },
    }
}

/// Tenant `name`'s Flux Kustomization: applies and prunes its platform folder, after the
/// platform base when the profile names one. `metadata` carries the tenant's labels and
/// annotations; its name and namespace are set here.
pub fn tenant_kustomization(
    profile: &Profile,
    name: &str,
    mut metadata: ObjectMeta,
) -> CustomResource<FluxKustomizationSpec> {
    let flux = &profile.spec.gitops.flux;
    metadata.name = Some(tenant_kustomization_name(name));
    metadata.namespace = Some(flux.namespace.clone());
    let base = flux
        .depends_on
        .iter()
        .map(|name| FluxDependency { name: name.clone() });
    let folder = platform_dir(&profile.spec.gitops.path_prefix, name);
    CustomResource {
        api_version: FLUX_API_VERSION,
        kind: "Kustomization",
        metadata,
        spec: flux_spec(profile, &folder, base.collect()),
    }
}

/// The name of the Flux Kustomization that applies the root (`zave platform` renders it).
pub const ROOT_KUSTOMIZATION: &str = "zave";

/// The Flux Kustomization that applies the root, `platform/flux`: every shard object, and
/// through them every tenant. The platform bootstrap renders it; its metadata is its name and
/// namespace only.
pub fn root_kustomization(profile: &Profile) -> CustomResource<FluxKustomizationSpec> {
    let metadata = ObjectMeta {
        name: Some(ROOT_KUSTOMIZATION.to_owned()),
        namespace: Some(profile.spec.gitops.flux.namespace.clone()),
        ..ObjectMeta::default()
    };
    CustomResource {
        api_version: FLUX_API_VERSION,
        kind: "Kustomization",
        metadata,
        spec: flux_spec(
            profile,
            &flux_dir(&profile.spec.gitops.path_prefix),
            Vec::new(),
        ),
    }
}

/// The Flux Kustomization that applies one shard of a half.
fn shard_kustomization(
    profile: &Profile,
    half: Half,
    shard: Shard,
) -> CustomResource<FluxKustomizationSpec> {
    let prefix = &profile.spec.gitops.path_prefix;
    let name = format!("zave-{}-{}", half.word(), shard.label());
    let labels = BTreeMap::from([
        ("app.kubernetes.io/managed-by".to_owned(), "zave".to_owned()),
        ("app.kubernetes.io/name".to_owned(), name.clone()),
        ("zave.io/shard".to_owned(), shard.label()),
    ]);
    let annotations = BTreeMap::from([
        (
            "zave.io/generator-version".to_owned(),
            crate::VERSION.to_owned(),
        ),
        ("zave.io/profile".to_owned(), profile.name().to_owned()),
    ]);
    let metadata = ObjectMeta {
        name: Some(name),
        namespace: Some(profile.spec.gitops.flux.namespace.clone()),
        labels: Some(labels),
        annotations: Some(annotations),
        ..ObjectMeta::default()
    };
    CustomResource {
        api_version: FLUX_API_VERSION,
        kind: "Kustomization",
        metadata,
        spec: flux_spec(profile, &half.shard_dir(prefix, shard), Vec::new()),
    }
}

/// The tenants of a tree, grouped by shard: what the shard indexes list.
pub fn by_shard<'a>(names: impl IntoIterator<Item = &'a String>) -> BTreeMap<Shard, Vec<&'a str>> {
    let mut shards: BTreeMap<Shard, Vec<&str>> = Shard::all().map(|s| (s, Vec::new())).collect();
    for name in names {
        shards.entry(Shard::of(name)).or_default().push(name);
    }
    for names in shards.values_mut() {
        names.sort_unstable();
        names.dedup();
    }
    shards
}

/// The index of a tree holding `names` under `profile`: the root, the shard objects it lists,
/// and one index per shard of each half listing that shard's tenants. Only the shard indexes
/// depend on the tenants; everything else is fixed by the profile.
pub fn index_files<'a>(
    names: impl IntoIterator<Item = &'a String>,
    profile: &Profile,
) -> Result<Vec<RenderedFile>, EmitError> {
    let prefix = &profile.spec.gitops.path_prefix;
    let header = header(&format!("index, profile \"{}\"", profile.name()));
    let shards = by_shard(names);
    let mut root = Vec::with_capacity(Half::ALL.len() * usize::from(SHARDS));
    let mut files = Vec::with_capacity(root.capacity() * 2 + 1);
    for half in Half::ALL {
        for (&shard, tenants) in &shards {
            let file_name = format!("{}-{}.yaml", half.word(), shard.label());
            let object = shard_kustomization(profile, half, shard);
            let path = format!("{}/{file_name}", flux_dir(prefix));
            files.push(object_file(path, &header, &object)?);
            root.push(file_name);
            let listed: Vec<String> = tenants.iter().map(|name| format!("{name}.yaml")).collect();
            files.push(kustomization(
                &half.shard_dir(prefix, shard),
                &listed,
                &header,
            )?);
        }
    }
    files.push(kustomization(&flux_dir(prefix), &root, &header)?);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The index the layout before shards wrote at `platform/tenants/kustomization.yaml`, every
/// tenant folder in one build. A tree that still has it keeps it, in this form, until the
/// platform engineer deletes it (README, "Upgrading"); a new tree never gets it.
pub fn legacy_index<'a>(
    names: impl IntoIterator<Item = &'a String>,
    prefix: &str,
) -> Result<RenderedFile, EmitError> {
    let mut names: Vec<String> = names.into_iter().cloned().collect();
    names.sort_unstable();
    names.dedup();
    let header = header(&format!("index of {} tenants", names.len()));
    kustomization(&join(prefix, "platform/tenants"), &names, &header)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shard_depends_on_the_name_alone() {
        assert_eq!(Shard::of("payments-api"), Shard::of("payments-api"));
        let labels: Vec<String> = Shard::all().map(Shard::label).collect();
        assert_eq!(labels.first().map(String::as_str), Some("00"));
        assert_eq!(labels.last().map(String::as_str), Some("31"));
        let names: Vec<String> = (0..1000).map(|i| format!("tenant-{i}")).collect();
        let used = by_shard(&names).values().filter(|t| !t.is_empty()).count();
        assert_eq!(used, usize::from(SHARDS), "1,000 names leave a shard empty");
    }

    #[test]
    fn the_index_of_no_tenant_still_lists_every_shard() {
        let profile = Profile::builtin("kind").expect("built-in");
        let files = index_files(&[], profile).expect("emits");
        let per_half = usize::from(SHARDS);
        assert_eq!(files.len(), 2 * 2 * per_half + 1);
        let root = files
            .iter()
            .find(|f| f.path == "clusters/kind/platform/flux/kustomization.yaml")
            .expect("the root");
        assert_eq!(root.content.matches("\n- ").count(), 2 * per_half);
    }
}
