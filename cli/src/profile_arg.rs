//! Choosing the environment: a built-in profile by name, or a profile file.

use std::path::PathBuf;

use clap::Args;
use zave::Profile;

use crate::input;

/// `--profile NAME | --profile-file FILE`.
#[derive(Debug, Clone, Args)]
pub struct ProfileArg {
    /// A built-in profile: kind, linode or aws.
    #[arg(
        long,
        value_name = "NAME",
        default_value = zave::profile::DEFAULT_PROFILE,
        conflicts_with = "profile_file"
    )]
    pub profile: String,
    /// A profile file (`kind: Profile`) instead of a built-in.
    #[arg(long, value_name = "FILE")]
    pub profile_file: Option<PathBuf>,
}

/// Why a profile could not be had: a usage error, or an invalid profile (with its findings).
pub enum ProfileError {
    /// Unknown name, unreadable file.
    Usage(String),
    /// The profile file is not a valid profile; its findings as text.
    Invalid(String),
}

impl ProfileArg {
    /// Loads the chosen profile, or reports why it cannot be had and gives the exit status:
    /// 2 for a usage error, 1 for an invalid profile file.
    pub fn load_or_report(&self) -> Result<Profile, std::process::ExitCode> {
        self.load().map_err(|error| match error {
            ProfileError::Usage(message) => {
                eprintln!("zave: {message}");
                std::process::ExitCode::from(crate::EXIT_USAGE)
            }
            ProfileError::Invalid(text) => {
                eprint!("{text}");
                std::process::ExitCode::FAILURE
            }
        })
    }

    /// Loads the chosen profile.
    pub fn load(&self) -> Result<Profile, ProfileError> {
        if let Some(path) = &self.profile_file {
            let input = input::read(path).map_err(ProfileError::Usage)?;
            return Profile::from_yaml(&input.bytes).map_err(|diagnostics| {
                let source = String::from_utf8_lossy(&input.bytes);
                ProfileError::Invalid(diagnostics.to_text(
                    &input.name,
                    Some(&source),
                    zave::TextStyle::Plain,
                ))
            });
        }
        Profile::named(&self.profile)
            .cloned()
            .map_err(|unknown| ProfileError::Usage(unknown.to_string()))
    }
}
