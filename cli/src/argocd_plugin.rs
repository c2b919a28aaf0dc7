//! `zave argocd-generate`: the command Argo CD's Config Management Plugin runs in a tenant
//! repository, printing the workload the tenant's Application syncs, and nothing else.

use std::path::Path;
use std::process::ExitCode;

use clap::Args;
use zave::manifest::workload_dir;
use zave::tree::Recorded;

use crate::args::{InputArgs, ProfileArg, StrictArg};
use crate::{input, print, usage};

/// The contract, in the working directory Argo CD gives the plugin (the Application's path).
const CONTRACT: &str = "zave.yaml";

/// The plugin parameters Argo CD passes as `ARGOCD_ENV_<NAME>`: the values of `--profile`,
/// `--image`, `--version-label` and `--bundle`, in that order.
const PARAMETERS: [&str; 4] = [
    "ARGOCD_ENV_ZAVE_PROFILE",
    "ARGOCD_ENV_ZAVE_IMAGE",
    "ARGOCD_ENV_ZAVE_VERSION_LABEL",
    "ARGOCD_ENV_ZAVE_BUNDLE",
];

/// The arguments of `zave argocd-generate`; each flag not given is read from its plugin
/// parameter (`ARGOCD_ENV_ZAVE_PROFILE`, `_IMAGE`, `_VERSION_LABEL`, `_BUNDLE`).
#[derive(Debug, Args)]
pub struct ArgocdGenerateArgs {
    #[command(flatten)]
    profile: ProfileArg,
    #[command(flatten)]
    inputs: InputArgs,
    #[command(flatten)]
    strict: StrictArg,
}

impl ArgocdGenerateArgs {
    /// The flags, with every one not given taken from its plugin parameter in `env`.
    fn with_parameters(&self, env: &dyn Fn(&str) -> Option<String>) -> ArgocdGenerateArgs {
        let mut filled = ArgocdGenerateArgs {
            profile: self.profile.clone(),
            inputs: self.inputs.clone(),
            strict: self.strict,
        };
        let [profile, image, version, bundle] =
            PARAMETERS.map(|name| env(name).filter(|value| !value.is_empty()));
        if !filled.profile.given() {
            filled.profile.profile = profile;
        }
        if filled.inputs.images.is_empty() {
            filled.inputs.images.extend(image);
        }
        if filled.inputs.version_labels.is_empty() {
            filled.inputs.version_labels.extend(version);
        }
        if filled.inputs.bundle.is_none() {
            filled.inputs.bundle = bundle;
        }
        filled
    }
}

/// Renders `zave.yaml` of the working directory and prints the objects of its workload
/// folder: exit 0 printed, 1 the contract does not render (findings on standard error), 2 a
/// usage error or an Application that names another tenant or namespace.
pub fn run(args: &ArgocdGenerateArgs) -> ExitCode {
    let env = |name: &str| std::env::var(name).ok();
    let args = args.with_parameters(&env);
    let strict = args.strict.strict;
    let (profile, given) = match args.inputs.load(&args.profile, 1, strict) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let source = match input::read(Path::new(CONTRACT)) {
        Ok(source) => source,
        Err(message) => return usage(&message),
    };
    let report = |findings: &[zave::Diagnostic]| {
        source.eprint_findings(&zave::Diagnostics(findings.to_vec()));
    };
    let options = zave::ValidateOptions {
        strict,
        profile: Some(&profile),
    };
    let checked = match zave::validate(&source.bytes, options) {
        Ok(checked) => checked,
        Err(refused) => {
            report(&refused.0);
            return ExitCode::FAILURE;
        }
    };
    let name = checked.name.clone();
    let namespace = profile.spec.namespace_pattern.replace("{name}", &name);
    for (variable, expected) in [
        ("ARGOCD_APP_NAME", &name),
        ("ARGOCD_APP_NAMESPACE", &namespace),
    ] {
        if let Some(found) = env(variable).filter(|found| found != expected) {
            return usage(&format_args!(
                "{variable} is \"{found}\" but {CONTRACT} under profile \"{}\" is tenant \
                 \"{name}\" in namespace \"{namespace}\": the Application names another tenant",
                profile.name()
            ));
        }
    }
    let recorded = Recorded::default();
    let rendered = match zave::render_checked(checked, &profile, given.inputs(&name, &recorded)) {
        Ok(rendered) => rendered,
        Err(refused) => {
            report(&refused.0);
            return ExitCode::FAILURE;
        }
    };
    if !rendered.findings.is_empty() {
        report(&rendered.findings);
    }
    let folder = format!("{}/", workload_dir(&profile.spec.gitops.path_prefix, &name));
    let workload: Vec<zave::RenderedFile> = rendered
        .files
        .into_iter()
        .filter(|file| file.path.starts_with(&folder))
        .collect();
    print(&zave::to_stream(&workload))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none() -> ArgocdGenerateArgs {
        ArgocdGenerateArgs {
            profile: ProfileArg::default(),
            inputs: InputArgs::default(),
            strict: StrictArg { strict: false },
        }
    }

    #[test]
    fn parameters_fill_what_the_flags_leave_open() {
        let env = |name: &str| {
            PARAMETERS
                .iter()
                .position(|variable| *variable == name)
                .map(|index| format!("value-{index}"))
        };
        let filled = none().with_parameters(&env);
        assert_eq!(filled.profile.profile.as_deref(), Some("value-0"));
        assert_eq!(filled.inputs.images, ["value-1"]);
        assert_eq!(filled.inputs.version_labels, ["value-2"]);
        assert_eq!(filled.inputs.bundle.as_deref(), Some("value-3"));

        let mut flags = none();
        flags.profile.profile_file = Some("profile.yaml".into());
        flags.inputs.images = vec!["flag".to_owned()];
        let kept = flags.with_parameters(&env);
        assert_eq!(kept.profile.profile, None, "a profile file given wins");
        assert_eq!(kept.inputs.images, ["flag"]);
    }

    #[test]
    fn an_empty_parameter_is_no_parameter() {
        let filled = none().with_parameters(&|_| Some(String::new()));
        assert!(!filled.profile.given());
        assert!(filled.inputs.images.is_empty());
        assert_eq!(filled.inputs.bundle, None);
    }
}
