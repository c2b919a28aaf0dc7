//! The platform bootstrap (`zave platform`): what every tenant tree relies on and creates for
//! none of them: the platform and Argo CD namespaces, the Argo CD project the Applications
//! name, and the Flux source and Kustomizations that apply the tree's indexes.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;

use crate::manifest::{
    RenderedFile, applications_dir, bootstrap_dir, flux_index_dir, header, kustomization,
};
use crate::profile::Profile;
use crate::render::custom::CustomResource;
use crate::render::tenancy::pod_security_restricted;
use crate::yaml::{EmitError, write_yaml};

/// The namespace Flux runs in (where `flux install` puts it).
pub const FLUX_NAMESPACE: &str = "flux-system";

/// The Flux `GitRepository` every zave Kustomization reads.
pub const SOURCE_NAME: &str = "zave-gitops";

/// The Flux Kustomization applying every tenant's boundary.
pub const TENANTS_KUSTOMIZATION: &str = "zave-tenants";

/// The Flux Kustomization applying every tenant's Application, after their boundaries.
pub const APPLICATIONS_KUSTOMIZATION: &str = "zave-applications";

/// The in-cluster API server, the one destination of tenant Applications.
pub const IN_CLUSTER: &str = "https://kubernetes.default.svc";

/// The kinds a tenant's Application may not manage: the tenant boundary, which Flux owns.
const PLATFORM_OWNED: &[(&str, &str)] = &[
    ("", "LimitRange"),
    ("", "ResourceQuota"),
    ("networking.k8s.io", "NetworkPolicy"),
];

/// The bootstrap tree of `profile`: one file per object under `platform/bootstrap/` and its
/// `kustomization.yaml`, for one `kubectl apply -k` on a new cluster.
pub fn platform_files(profile: &Profile) -> Result<Vec<RenderedFile>, EmitError> {
    let gitops = &profile.spec.gitops;
    let prefix = &gitops.path_prefix;
    let meta = |name: &str, namespace: Option<&str>| ObjectMeta {
        name: Some(name.to_owned()),
        namespace: namespace.map(str::to_owned),
        labels: Some(BTreeMap::from([
            ("app.kubernetes.io/managed-by".to_owned(), "zave".to_owned()),
            (
                "app.kubernetes.io/part-of".to_owned(),
                "zave-platform".to_owned(),
            ),
        ])),
        annotations: Some(BTreeMap::from([
            (
                "zave.io/generator-version".to_owned(),
                crate::VERSION.to_owned(),
            ),
            ("zave.io/profile".to_owned(), profile.name().to_owned()),
        ])),
        ..ObjectMeta::default()
    };
    let namespace = |name: &str| {
        let mut metadata = meta(name, None);
        if let Some(labels) = metadata.labels.as_mut() {
            labels.extend(pod_security_restricted(&profile.spec.kubernetes_version));
        }
        Namespace {
            metadata,
            ..Namespace::default()
        }
    };
    let mut namespaces = vec![&gitops.argocd_namespace, &gitops.platform_namespace];
    namespaces.sort();
    namespaces.dedup();

    let project = CustomResource {
        api_version: "argoproj.io/v1alpha1",
        kind: "AppProject",
        metadata: meta(&gitops.argocd_project, Some(&gitops.argocd_namespace)),
        spec: AppProjectSpec {
            description: "zave tenants: each Application syncs one tenants/<name> folder"
                .to_owned(),
            source_repos: vec![gitops.repo_url.clone()],
            destinations: vec![ProjectDestination {
                server: IN_CLUSTER.to_owned(),
                namespace: profile.spec.namespace_pattern.replace("{name}", "*"),
            }],
            namespace_resource_blacklist: PLATFORM_OWNED
                .iter()
                .map(|&(group, kind)| GroupKind { group, kind })
                .collect(),
        },
    };
    let source = CustomResource {
        api_version: "source.toolkit.fluxcd.io/v1",
        kind: "GitRepository",
        metadata: meta(SOURCE_NAME, Some(FLUX_NAMESPACE)),
        spec: GitRepositorySpec {
            interval: "1m0s".to_owned(),
            url: gitops.repo_url.clone(),
            git_ref: GitRef {
                branch: gitops.revision.clone(),
            },
        },
    };
    let flux_kustomization = |name: &str, path: String, depends_on: Option<&str>| CustomResource {
        api_version: "kustomize.toolkit.fluxcd.io/v1",
        kind: "Kustomization",
        metadata: meta(name, Some(FLUX_NAMESPACE)),
        spec: FluxKustomizationSpec {
            depends_on: depends_on
                .map(|name| {
                    vec![DependsOn {
                        name: name.to_owned(),
                    }]
                })
                .unwrap_or_default(),
            interval: "10m0s".to_owned(),
            path: format!("./{path}"),
            prune: true,
            source_ref: SourceRef {
                kind: "GitRepository",
                name: SOURCE_NAME.to_owned(),
            },
        },
    };
    let tenants = flux_kustomization(TENANTS_KUSTOMIZATION, flux_index_dir(prefix), None);
    let applications = flux_kustomization(
        APPLICATIONS_KUSTOMIZATION,
        applications_dir(prefix),
        Some(TENANTS_KUSTOMIZATION),
    );

    let header = header(&format!(
        "platform bootstrap, profile \"{}\"",
        profile.name()
    ));
    let dir = bootstrap_dir(prefix);
    let mut files = Vec::new();
    let mut names = Vec::new();
    let mut add = |file_name: String, write: &dyn Fn(&mut String) -> Result<(), EmitError>| {
        let mut content = header.clone();
        write(&mut content)?;
        files.push(RenderedFile {
            path: format!("{dir}/{file_name}"),
            kind: crate::FileKind::Object,
            content,
        });
        names.push(file_name);
        Ok::<(), EmitError>(())
    };
    for name in namespaces {
        let object = namespace(name);
        add(format!("namespace-{name}.yaml"), &|out| {
            write_yaml(&object, out)
        })?;
    }
    add(
        format!("appproject-{}.yaml", gitops.argocd_project),
        &|out| write_yaml(&project, out),
    )?;
    add(format!("gitrepository-{SOURCE_NAME}.yaml"), &|out| {
        write_yaml(&source, out)
    })?;
    for object in [&tenants, &applications] {
        let name = object.metadata.name.as_deref().unwrap_or_default();
        add(format!("flux-kustomization-{name}.yaml"), &|out| {
            write_yaml(object, out)
        })?;
    }
    files.push(kustomization(&dir, &names, &header)?);
    Ok(files)
}

/// `argoproj.io/v1alpha1` AppProject spec: the bounds of every tenant Application.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppProjectSpec {
    /// What the project is for.
    pub description: String,
    /// The repositories Applications may sync from.
    pub source_repos: Vec<String>,
    /// Where Applications may deploy: tenant namespaces only.
    pub destinations: Vec<ProjectDestination>,
    /// Namespaced kinds Applications may not manage.
    pub namespace_resource_blacklist: Vec<GroupKind>,
}

/// A destination an AppProject allows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectDestination {
    /// The API server.
    pub server: String,
    /// A namespace glob.
    pub namespace: String,
}

/// An API group and kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupKind {
    /// The API group (`""` for the core group).
    pub group: &'static str,
    /// The kind.
    pub kind: &'static str,
}

/// `source.toolkit.fluxcd.io/v1` GitRepository spec.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GitRepositorySpec {
    /// How often Flux fetches.
    pub interval: String,
    /// The repository.
    pub url: String,
    /// What Flux checks out.
    #[serde(rename = "ref")]
    pub git_ref: GitRef,
}

/// The branch a GitRepository follows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GitRef {
    /// The branch (the profile's `gitops.revision`).
    pub branch: String,
}

/// `kustomize.toolkit.fluxcd.io/v1` Kustomization spec.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FluxKustomizationSpec {
    /// Kustomizations that must be ready first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<DependsOn>,
    /// How often Flux reconciles.
    pub interval: String,
    /// The folder inside the source.
    pub path: String,
    /// Delete what is no longer in Git.
    pub prune: bool,
    /// The source to read.
    pub source_ref: SourceRef,
}

/// A Kustomization another depends on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DependsOn {
    /// Its name (same namespace).
    pub name: String,
}

/// A reference to a Flux source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceRef {
    /// The source kind.
    pub kind: &'static str,
    /// The source name.
    pub name: String,
}
