//! The render: a checked contract, a profile and CI's inputs become typed objects, one module
//! per concern, then the ordered file tree.

mod capabilities;
pub(crate) mod context;
pub mod custom;
pub mod environment;
pub mod explain;
pub mod flags;
mod gitops;
mod image;
mod network;
pub mod persistence;
mod routing;
pub(crate) mod secrets;
pub mod summary;
pub(crate) mod tenancy;
mod workload;

use crate::contract::model::CapabilityName;
use crate::contract::{
    CheckedContract, ContractHash, ValidateOptions, validate, validate_document,
};
use crate::diagnostic::{self, Code, Diagnostic, Diagnostics, Severity};
use crate::document::{Node, Path};
use crate::flags::FlagSet;
use crate::manifest::{Manifest, RenderedFile, SharedMetadata, tenant_files};
use crate::profile::Profile;
use context::Context;

/// What CI gives a render besides the contract and profile.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderInputs<'a> {
    /// The image reference CI built (`registry/repository@sha256:…` or `:tag`, never `latest`);
    /// without it the bootstrap image is used (W004).
    pub image: Option<&'a str>,
    /// The version label, `sha-` and seven hex digits.
    pub version: Option<&'a str>,
    /// The platform bundle recorded on every object; `unpinned` when not given.
    pub bundle: Option<&'a str>,
    /// The flag set a workload with `feature-flags` serves (read with [`crate::flags::parse`]);
    /// without it the set is empty (W005). Ignored without the capability.
    pub flags: Option<&'a FlagSet>,
    /// Turn warnings into errors.
    pub strict: bool,
}

/// A finished render: the tenant's files and the report of what zave decided.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// The contract's name.
    pub name: String,
    /// The contract's hash.
    pub hash: ContractHash,
    /// The typed objects in the one order, each with only its own labels and annotations.
    objects: Vec<Manifest>,
    /// The labels and annotations every object carries.
    shared: SharedMetadata,
    /// The files of the tenant's part of the tree, in the one order.
    pub files: Vec<RenderedFile>,
    /// The report: mutations (defaults, injections, bootstrap image) and warnings.
    pub findings: Vec<Diagnostic>,
}

impl Rendered {
    /// The typed objects, in the one order, whole (built on each call: a render holds the
    /// labels and annotations every object shares once).
    pub fn manifests(&self) -> Vec<Manifest> {
        self.objects
            .iter()
            .map(|manifest| manifest.with_shared(&self.shared))
            .collect()
    }
}

/// Renders contract source text under `profile`.
pub fn render(
    source: &[u8],
    profile: &Profile,
    inputs: RenderInputs<'_>,
) -> Result<Rendered, Diagnostics> {
    plan(source, profile, inputs)?.render()
}

/// Renders an already loaded contract document (data without positions, from a binding).
pub fn render_document(
    document: &Node,
    profile: &Profile,
    inputs: RenderInputs<'_>,
) -> Result<Rendered, Diagnostics> {
    let checked = validate_document(document, options(profile, inputs))?;
    plan_checked(checked, profile, inputs)?.render()
}

/// Renders a contract that was validated against this same `profile`.
pub fn render_checked(
    checked: CheckedContract,
    profile: &Profile,
    inputs: RenderInputs<'_>,
) -> Result<Rendered, Diagnostics> {
    plan_checked(checked, profile, inputs)?.render()
}

/// Checks contract source text under `profile` with CI's inputs, deciding everything a render
/// decides without building an object: the cheap first pass of a batch.
pub fn plan<'p>(
    source: &[u8],
    profile: &'p Profile,
    inputs: RenderInputs<'_>,
) -> Result<Plan<'p>, Diagnostics> {
    let checked = validate(source, options(profile, inputs))?;
    plan_checked(checked, profile, inputs)
}

fn options<'p>(profile: &'p Profile, inputs: RenderInputs<'_>) -> ValidateOptions<'p> {
    ValidateOptions {
        strict: inputs.strict,
        profile: Some(profile),
    }
}

/// A contract checked against a profile and CI's inputs, ready to render.
#[derive(Debug, Clone)]
pub struct Plan<'p> {
    checked: CheckedContract,
    profile: &'p Profile,
    image: String,
    version: Option<String>,
    bundle: String,
    flags: Option<FlagSet>,
    findings: Vec<Diagnostic>,
}

impl Plan<'_> {
    /// The contract's name.
    pub fn name(&self) -> &str {
        &self.checked.name
    }

    /// The contract's hash.
    pub fn hash(&self) -> &ContractHash {
        &self.checked.hash
    }

    /// The report: mutations and warnings, sorted.
    pub fn findings(&self) -> &[Diagnostic] {
        &self.findings
    }

    /// For each object the render would build, where each part comes from.
    pub fn explain(&self) -> Vec<explain::Explanation> {
        let ctx = self.context();
        explain::explain(&ctx, &manifests(&ctx), &self.findings)
    }

    /// What the contract gets under the profile, in the platform's words, each line pointing
    /// at the file and object that carries it.
    pub fn summary(&self) -> Vec<summary::SummaryLine> {
        let ctx = self.context();
        let manifests = manifests(&ctx);
        let explanations = explain::explain(&ctx, &manifests, &self.findings);
        summary::summarize(&ctx, &manifests, &self.findings, &explanations)
    }

    /// The database provisioning script of the tenant, when the contract has a database.
    pub fn provision_script(&self) -> Option<persistence::ProvisionScript> {
        let ctx = self.context();
        persistence::Tenant::of(&ctx).map(|tenant| tenant.script())
    }

    fn context(&self) -> Context<'_> {
        let tier = self.profile.spec.tiers.settings(self.checked.tier);
        Context::new(
            &self.checked,
            self.profile,
            tier,
            self.image.clone(),
            self.version.clone(),
            self.bundle.clone(),
            mutations(&self.findings),
        )
        .with_flags(self.flags.as_ref())
    }

    /// Builds the objects and writes the tenant's files.
    pub fn render(self) -> Result<Rendered, Diagnostics> {
        let ctx = self.context();
        let manifests = manifests(&ctx);
        let about = format!(
            "contract \"{}\", profile \"{}\"",
            self.checked.name,
            self.profile.name()
        );
        let prefix = &self.profile.spec.gitops.path_prefix;
        let shared = ctx.shared_metadata();
        let files = tenant_files(&manifests, shared, &self.checked.name, prefix, &about)
            .map_err(|error| Diagnostics(vec![emit_failure(&error)]))?;
        let shared = ctx.into_shared_metadata();
        Ok(Rendered {
            name: self.checked.name,
            hash: self.checked.hash,
            objects: manifests,
            shared,
            files,
            findings: self.findings,
        })
    }
}

/// Checks CI's inputs for a contract validated against this same `profile`.
pub fn plan_checked<'p>(
    mut checked: CheckedContract,
    profile: &'p Profile,
    inputs: RenderInputs<'_>,
) -> Result<Plan<'p>, Diagnostics> {
    let mut findings = std::mem::take(&mut checked.findings);
    let mut errors = Vec::new();
    let image = match image::resolve_image(inputs.image, profile, &checked.name) {
        Ok((image, finding)) => {
            findings.extend(finding);
            image
        }
        Err(error) => {
            errors.push(error);
            String::new()
        }
    };
    if let Some(version) = inputs.version {
        errors.extend(image::check_version(version).err());
    }
    let serves_flags = checked.capabilities.contains(&CapabilityName::FeatureFlags);
    if serves_flags && inputs.flags.is_none() {
        findings.push(no_flags_finding());
    }
    if inputs.strict {
        for finding in &mut findings {
            finding.severity = Severity::Error;
        }
    }
    findings.extend(errors);
    diagnostic::sort(&mut findings);
    if findings.iter().any(Diagnostic::is_error) {
        return Err(Diagnostics(findings));
    }
    Ok(Plan {
        checked,
        profile,
        image,
        version: inputs.version.map(str::to_owned),
        bundle: inputs.bundle.unwrap_or("unpinned").to_owned(),
        flags: inputs.flags.filter(|_| serves_flags).cloned(),
        findings,
    })
}

/// Every object of the render, one module per concern.
fn manifests(ctx: &Context<'_>) -> Vec<Manifest> {
    // Room for the largest tenant, so no manifest (a few kilobytes each) is moved to grow.
    let mut manifests = Vec::with_capacity(40);
    manifests.extend(tenancy::render(ctx));
    manifests.extend(network::render(ctx));
    manifests.extend(workload::render(ctx));
    manifests.extend(routing::render(ctx));
    manifests.extend(secrets::render(ctx));
    manifests.extend(persistence::render(ctx));
    manifests.extend(capabilities::render(ctx));
    manifests.extend(flags::render(ctx));
    manifests.extend(gitops::render(ctx));
    crate::manifest::sort(&mut manifests);
    manifests
}

/// The mutations recorded on every object, by code then path, so the annotation does not
/// depend on where (or whether) the source had positions: `W002:spec.resources.tier,W004:image`.
fn mutations(findings: &[Diagnostic]) -> String {
    let mut mutations: Vec<(Code, &str)> = findings
        .iter()
        .filter(|f| f.code.stage() == "mutation")
        .map(|f| (f.code, f.path.as_str()))
        .collect();
    mutations.sort_unstable();
    mutations
        .iter()
        .map(|(code, path)| format!("{code}:{path}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// W005: `feature-flags` without a flags file serves no flag (every evaluation falls back to
/// the code's default).
fn no_flags_finding() -> Diagnostic {
    Diagnostic::new(
        Code::EmptyFlagSet,
        &Path::root().key("flags"),
        None,
        "no flags file given; the flagd sidecar serves an empty flag set",
    )
    .with_help("give the render the tenant's flags.json (the CLI's --flags-file, the flags option of the bindings)")
}

fn emit_failure(error: &crate::yaml::EmitError) -> Diagnostic {
    Diagnostic::new(
        Code::WrongType,
        &crate::document::Path::root(),
        None,
        format!("internal error: {error}"),
    )
}
