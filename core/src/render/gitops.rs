//! GitOps: the tenant's Argo CD Application (its workload folder) and Flux Kustomization (its
//! platform folder).

/// The annotation that tells Argo CD which paths' commits refresh an Application.
pub const GENERATE_PATHS: &str = "argocd.argoproj.io/manifest-generate-paths";

/// The finalizer that deletes an Application's resources, in foreground, before the
/// Application itself (the qualified name; the API server warns on the bare one).
pub const RESOURCES_FINALIZER: &str = "resources-finalizer.argocd.argoproj.io/foreground";

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
    metadata.finalizers = Some(vec![RESOURCES_FINALIZER.to_owned()]);
    // `.` is the Application's own source path: a commit to another tenant's folder does not
    // refresh this Application, so one commit never regenerates every tenant.
    metadata
        .annotations
        .get_or_insert_with(Default::default)
        .insert(GENERATE_PATHS.to_owned(), ".".to_owned());
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
