//! What every part of a render shares: the checked contract, the profile, derived names, and
//! the labels and annotations every object carries.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};

use crate::contract::CheckedContract;
use crate::contract::model::{Exposure, Runtime};
use crate::flags::FlagSet;
use crate::manifest::SharedMetadata;
use crate::profile::Profile;
use crate::profile::model::TierSettings;

/// Port HTTP workloads listen on (`PORT`), named `http`.
pub const HTTP_PORT: u16 = 8080;
/// Port gRPC workloads listen on (`GRPC_PORT`), named `grpc`.
pub const GRPC_PORT: u16 = 50051;
/// Port metrics are served on (`METRICS_PORT`), named `metrics`.
pub const METRICS_PORT: u16 = 9090;
/// Port the flagd sidecar evaluates flags on (`FLAGD_PORT`), over loopback.
pub const FLAGD_PORT: u16 = 8013;
/// Port of flagd's health and metrics endpoints, for its readiness probe.
pub const FLAGD_MANAGEMENT_PORT: u16 = 8014;

/// The inputs of one render, resolved and checked, with the labels and annotations every object
/// carries computed once and shared.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    /// The contract, with profile defaults and injections applied.
    pub contract: &'a CheckedContract,
    /// The environment.
    pub profile: &'a Profile,
    /// The tier's settings in this profile.
    pub tier: &'a TierSettings,
    /// The tenant namespace.
    pub namespace: String,
    /// The image reference the workload runs.
    pub image: String,
    /// The version label, when given.
    pub version: Option<String>,
    /// The flag set CI gave (`feature-flags`), when it gave one.
    pub flags: Option<&'a FlagSet>,
    shared: SharedMetadata,
}

impl<'a> Context<'a> {
    /// Resolves what every object shares. `mutations` are recorded on every object, such as
    /// `W002:spec.resources.tier`.
    pub fn new(
        contract: &'a CheckedContract,
        profile: &'a Profile,
        tier: &'a TierSettings,
        image: String,
        version: Option<String>,
        bundle: String,
        mutations: String,
    ) -> Context<'a> {
        let name = contract.name.as_str();
        let mut labels = selector_labels(name);
        labels.insert("app.kubernetes.io/part-of".to_owned(), name.to_owned());
        labels.insert("app.kubernetes.io/managed-by".to_owned(), "zave".to_owned());
        labels.insert("zave.io/tenant".to_owned(), "true".to_owned());
        let mut annotations = BTreeMap::from([
            (
                "zave.io/contract-hash".to_owned(),
                contract.hash.to_string(),
            ),
            (
                "zave.io/generator-version".to_owned(),
                crate::VERSION.to_owned(),
            ),
            ("zave.io/platform-bundle".to_owned(), bundle),
            ("zave.io/profile".to_owned(), profile.name().to_owned()),
        ]);
        if !mutations.is_empty() {
            annotations.insert("zave.io/mutations".to_owned(), mutations);
        }
        Context {
            contract,
            profile,
            tier,
            namespace: profile.spec.namespace_pattern.replace("{name}", name),
            image,
            version,
            flags: None,
            shared: SharedMetadata {
                labels,
                annotations,
            },
        }
    }

    /// The same context, serving `flags` to a workload with `feature-flags`.
    pub fn with_flags(self, flags: Option<&'a FlagSet>) -> Context<'a> {
        Context { flags, ..self }
    }

    /// The contract's name.
    pub fn name(&self) -> &str {
        &self.contract.name
    }

    /// A profile pattern with `{name}` replaced by the contract's name.
    pub fn expand(&self, pattern: &str) -> String {
        pattern.replace("{name}", self.name())
    }

    /// The labels a selector uses: only ones no GitOps tool rewrites.
    pub fn selector_labels(&self) -> BTreeMap<String, String> {
        selector_labels(self.name())
    }

    /// The selector of the workload's pods.
    pub fn selector(&self) -> LabelSelector {
        LabelSelector {
            match_labels: Some(self.selector_labels()),
            ..LabelSelector::default()
        }
    }

    /// The labels every object carries.
    pub fn labels(&self) -> BTreeMap<String, String> {
        self.shared.labels.clone()
    }

    /// The labels and annotations every object carries, held once for the whole render.
    pub(crate) fn shared_metadata(&self) -> &SharedMetadata {
        &self.shared
    }

    /// The shared labels and annotations, for the finished render to keep.
    pub(crate) fn into_shared_metadata(self) -> SharedMetadata {
        self.shared
    }

    /// Metadata of an object named `name` in `namespace`. Its labels and annotations start
    /// empty: they are the object's own, added to the shared ones ([`SharedMetadata`]) when
    /// the object is written or handed out.
    pub fn meta(&self, name: impl Into<String>, namespace: Option<&str>) -> ObjectMeta {
        ObjectMeta {
            name: Some(name.into()),
            namespace: namespace.map(str::to_owned),
            labels: Some(BTreeMap::new()),
            annotations: Some(BTreeMap::new()),
            ..ObjectMeta::default()
        }
    }

    /// Metadata of an object in the tenant namespace.
    pub fn tenant_meta(&self, name: impl Into<String>) -> ObjectMeta {
        self.meta(name, Some(&self.namespace))
    }

    /// Whether the workload serves HTTP (on port `http`).
    pub fn serves_http(&self) -> bool {
        matches!(
            self.contract.exposure,
            Exposure::PublicHttp | Exposure::InternalHttp
        )
    }

    /// Whether the workload serves gRPC (on port `grpc`).
    pub fn serves_grpc(&self) -> bool {
        self.contract.exposure == Exposure::Grpc
    }

    /// Whether the workload gets a Service.
    pub fn has_service(&self) -> bool {
        self.serves_http() || self.serves_grpc()
    }

    /// Whether the workload is a static site.
    pub fn is_static(&self) -> bool {
        self.contract.runtime == Runtime::Static
    }

    /// The store key under which a tenant secret lives: `<keyPattern>/<leaf>`.
    pub fn secret_key(&self, leaf: &str) -> String {
        format!(
            "{}/{leaf}",
            self.expand(&self.profile.spec.secrets.key_pattern)
        )
    }
}

/// The labels a selector of workload `name` uses.
fn selector_labels(name: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("app.kubernetes.io/name".to_owned(), name.to_owned()),
        ("zave.io/workload".to_owned(), name.to_owned()),
    ])
}
