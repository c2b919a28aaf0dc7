//! The argument vocabulary every command shares: one spelling, one meaning and one help line
//! per idea, flattened into each command that takes it.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

/// How findings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text: each finding with its source line and a caret under the offending node, where it
    /// has a place in a file.
    Human,
    /// One JSON document (snake_case keys, as `schemas/report.schema.json` describes).
    Json,
    /// GitHub Actions workflow commands, one annotation per finding.
    Github,
}

/// `--profile NAME | --profile-file FILE`: the environment.
#[derive(Debug, Clone, Default, Args)]
pub struct ProfileArg {
    /// A built-in profile: kind, linode or aws (kind when neither this nor --profile-file is
    /// given, except for `validate`, which then skips the environment stage).
    #[arg(long, value_name = "NAME", conflicts_with = "profile_file")]
    pub profile: Option<String>,
    /// A profile file (`kind: Profile`) instead of a built-in profile.
    #[arg(long, value_name = "FILE")]
    pub profile_file: Option<PathBuf>,
}

/// `--to-profile NAME | --to-profile-file FILE`: the other side of a comparison.
#[derive(Debug, Clone, Default, Args)]
pub struct ToProfileArg {
    /// Compare with the render under this built-in profile: kind, linode or aws.
    #[arg(long, value_name = "NAME", conflicts_with = "to_profile_file")]
    pub to_profile: Option<String>,
    /// Compare with the render under this profile file (`kind: Profile`).
    #[arg(long, value_name = "FILE")]
    pub to_profile_file: Option<PathBuf>,
}

impl ToProfileArg {
    /// The other side as a profile choice, when one was given.
    pub fn choice(&self) -> Option<ProfileArg> {
        (self.to_profile.is_some() || self.to_profile_file.is_some()).then(|| ProfileArg {
            profile: self.to_profile.clone(),
            profile_file: self.to_profile_file.clone(),
        })
    }
}

/// `--format human|json|github`.
#[derive(Debug, Clone, Copy, Args)]
pub struct FormatArg {
    /// How findings are printed: text with carets, one JSON document, or GitHub annotations.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// `--strict`.
#[derive(Debug, Clone, Copy, Args)]
pub struct StrictArg {
    /// Treat warnings (defaults zave applied, a profile file's warnings) as errors.
    #[arg(long)]
    pub strict: bool,
}

/// CI's inputs to a render: `--image`, `--version-label` (for one contract, or per tenant as
/// `NAME=VALUE`) and `--bundle`.
#[derive(Debug, Clone, Default, Args)]
pub struct InputArgs {
    /// The image CI built: `REF` with one contract, or `NAME=REF` per tenant (repeatable).
    /// A tenant without one keeps the image its tree records, else the bootstrap image (W004).
    #[arg(long = "image", value_name = "[NAME=]REF")]
    pub images: Vec<String>,
    /// The version label, `sha-` and seven hex digits: `VALUE`, or `NAME=VALUE` per tenant
    /// (repeatable). `--version` is zave's own version.
    #[arg(long = "version-label", value_name = "[NAME=]sha-xxxxxxx")]
    pub version_labels: Vec<String>,
    /// The platform bundle recorded on every object.
    #[arg(long, value_name = "NAME")]
    pub bundle: Option<String>,
}
