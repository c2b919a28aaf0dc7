//! The platform bootstrap (`zave platform`): what every tenant tree relies on and creates for
//! none of them: the platform and Argo CD namespaces, the Argo CD project the Applications
//! name, and the Flux source and Kustomizations that apply the tree's indexes.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;

use crate::index::root_kustomization;
use crate::manifest::{RenderedFile, bootstrap_dir, header, kustomization};
use crate::profile::Profile;
use crate::render::custom::CustomResource;
use crate::render::tenancy::pod_security_restricted;
use crate::yaml::{EmitError, write_yaml};

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
    let flux = &gitops.flux;
    let source = CustomResource {
        api_version: "source.toolkit.fluxcd.io/v1",
        kind: "GitRepository",
        metadata: meta(&flux.source, Some(&flux.namespace)),
        spec: GitRepositorySpec {
            interval: "1m0s".to_owned(),
            url: gitops.repo_url.clone(),
            git_ref: GitRef {
                branch: gitops.revision.clone(),
            },
        },
    };
    let mut root = root_kustomization(profile);
    root.metadata = meta(
        root.metadata.name.as_deref().unwrap_or_default(),
        Some(&flux.namespace),
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
    add(format!("gitrepository-{}.yaml", flux.source), &|out| {
        write_yaml(&source, out)
    })?;
    let root_name = root.metadata.name.clone().unwrap_or_default();
    add(format!("flux-kustomization-{root_name}.yaml"), &|out| {
        write_yaml(&root, out)
    })?;
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
