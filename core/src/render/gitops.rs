//! GitOps: the tenant's Argo CD Application (its workload folder) and Flux Kustomization (its
//! platform folder).

use super::context::Context;
use super::custom::{
    ApplicationDestination, ApplicationSource, ApplicationSpec, AutomatedSync, CustomResource,
    SyncPolicy,
};
use crate::manifest::{Manifest, Object, Zone, workload_dir};

/// The tenant's Argo CD Application, in the platform's canonical shape, and the Flux
/// Kustomization that applies its platform folder.
pub fn render(ctx: &Context<'_>) -> Vec<Manifest> {
    let gitops = &ctx.profile.spec.gitops;
    let mut metadata = ctx.meta(ctx.name(), Some(&gitops.argocd_namespace));
    metadata.finalizers = Some(vec!["resources-finalizer.argocd.argoproj.io".to_owned()]);
    let application = CustomResource {
        api_version: "argoproj.io/v1alpha1",
        kind: "Application",
        metadata,
        spec: ApplicationSpec {
            project: gitops.argocd_project.clone(),
            source: ApplicationSource {
                repo_url: gitops.repo_url.clone(),
                target_revision: gitops.revision.clone(),
                path: workload_dir(&gitops.path_prefix, ctx.name()),
            },
            destination: ApplicationDestination {
                server: "https://kubernetes.default.svc".to_owned(),
                namespace: ctx.namespace.clone(),
            },
            sync_policy: SyncPolicy {
                automated: AutomatedSync {
                    prune: true,
                    self_heal: true,
                },
                sync_options: vec![
                    "CreateNamespace=false".to_owned(),
                    "ServerSideApply=true".to_owned(),
                ],
            },
        },
    };
    let flux =
        crate::index::tenant_kustomization(ctx.profile, ctx.name(), ctx.meta(ctx.name(), None));
    vec![
        Manifest::new(Zone::Applications, Object::Application(application)),
        Manifest::new(Zone::Flux, Object::FluxKustomization(flux)),
    ]
}
