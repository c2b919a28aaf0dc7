//! Public HTTP: an Ingress for the profile's controller, or a Gateway API HTTPRoute.

use k8s_openapi::api::networking::v1::{
    HTTPIngressPath, HTTPIngressRuleValue, Ingress, IngressBackend, IngressRule,
    IngressServiceBackend, IngressSpec, IngressTLS, ServiceBackendPort,
};

use super::context::Context;
use super::custom::{BackendRef, CustomResource, HttpRouteRule, HttpRouteSpec, ParentRef};
use crate::contract::model::Exposure;
use crate::manifest::{Manifest, Object, Zone};
use crate::profile::model::{RoutingApi, TlsMode};

/// The route from outside for `public-http` workloads; nothing for the others.
pub fn render(ctx: &Context<'_>) -> Vec<Manifest> {
    if ctx.contract.exposure != Exposure::PublicHttp {
        return Vec::new();
    }
    let settings = &ctx.profile.spec.ingress;
    let host = ctx.expand(&settings.host);
    let object = match settings.api {
        RoutingApi::Ingress => Object::Ingress(ingress(ctx, host)),
        RoutingApi::Gateway => {
            let (namespace, name) = settings
                .gateway
                .as_deref()
                .and_then(|g| g.split_once('/'))
                .unwrap_or_default();
            Object::HttpRoute(CustomResource {
                api_version: "gateway.networking.k8s.io/v1",
                kind: "HTTPRoute",
                metadata: ctx.tenant_meta(ctx.name()),
                spec: HttpRouteSpec {
                    parent_refs: vec![ParentRef {
                        name: name.to_owned(),
                        namespace: namespace.to_owned(),
                    }],
                    hostnames: vec![host],
                    rules: vec![HttpRouteRule {
                        backend_refs: vec![BackendRef {
                            name: ctx.name().to_owned(),
                            port: 80,
                        }],
                    }],
                },
            })
        }
    };
    vec![Manifest::new(Zone::Workload, object)]
}

fn ingress(ctx: &Context<'_>, host: String) -> Ingress {
    let settings = &ctx.profile.spec.ingress;
    let mut metadata = ctx.tenant_meta(ctx.name());
    if let Some(annotations) = metadata.annotations.as_mut() {
        for (key, value) in &settings.annotations {
            annotations.insert(key.clone(), ctx.expand(value));
        }
        if let (TlsMode::CertManager, Some(issuer)) =
            (settings.tls.mode, &settings.tls.cluster_issuer)
        {
            annotations.insert("cert-manager.io/cluster-issuer".to_owned(), issuer.clone());
        }
    }
    let tls = (settings.tls.mode == TlsMode::CertManager).then(|| {
        vec![IngressTLS {
            hosts: Some(vec![host.clone()]),
            secret_name: Some(format!("{}-tls", ctx.name())),
        }]
    });
    Ingress {
        metadata,
        spec: Some(IngressSpec {
            ingress_class_name: settings.class_name.clone(),
            rules: Some(vec![IngressRule {
                host: Some(host),
                http: Some(HTTPIngressRuleValue {
                    paths: vec![HTTPIngressPath {
                        path: Some("/".to_owned()),
                        path_type: "Prefix".to_owned(),
                        backend: IngressBackend {
                            service: Some(IngressServiceBackend {
                                name: ctx.name().to_owned(),
                                port: Some(ServiceBackendPort {
                                    name: Some("http".to_owned()),
                                    number: None,
                                }),
                            }),
                            resource: None,
                        },
                    }],
                }),
            }]),
            tls,
            ..IngressSpec::default()
        }),
        ..Ingress::default()
    }
}
