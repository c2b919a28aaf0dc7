//! Loading the environment a command was given: a built-in profile by name, or a profile file.

use zave::Profile;

use crate::args::ProfileArg;
use crate::input;

/// Why a profile could not be had: a usage error, or an invalid profile (with its findings).
pub enum ProfileError {
    /// Unknown name, unreadable file.
    Usage(String),
    /// The profile file is not a valid profile; its findings as text.
    Invalid(String),
}

impl ProfileArg {
    /// Whether a profile was named at all (`validate` skips the environment stage without).
    pub fn given(&self) -> bool {
        self.profile.is_some() || self.profile_file.is_some()
    }

    /// Loads the chosen profile, or reports why it cannot be had and gives the exit status:
    /// 2 for a usage error, 1 for an invalid profile file. `strict` refuses a profile file's
    /// warnings (such as Z309) as `--strict` refuses a contract's.
    pub fn load_or_report(&self, strict: bool) -> Result<Profile, std::process::ExitCode> {
        self.load(strict).map_err(|error| match error {
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

    /// Loads the chosen profile; a profile file's warnings go to standard error, or refuse it
    /// when `strict`.
    pub fn load(&self, strict: bool) -> Result<Profile, ProfileError> {
        if let Some(path) = &self.profile_file {
            let input = input::read(path).map_err(ProfileError::Usage)?;
            let source = String::from_utf8_lossy(&input.bytes);
            let text = |findings: &[zave::Diagnostic]| {
                zave::Diagnostics(findings.to_vec()).to_text(
                    &input.name,
                    Some(&source),
                    zave::TextStyle::Plain,
                )
            };
            return match Profile::load(&input.bytes, strict) {
                Ok(loaded) => {
                    if !loaded.findings.is_empty() {
                        eprint!("{}", text(&loaded.findings));
                    }
                    Ok(loaded.profile)
                }
                Err(diagnostics) => Err(ProfileError::Invalid(text(&diagnostics.0))),
            };
        }
        Profile::named(
            self.profile
                .as_deref()
                .unwrap_or(zave::profile::DEFAULT_PROFILE),
        )
        .cloned()
        .map_err(|unknown| ProfileError::Usage(unknown.to_string()))
    }
}
