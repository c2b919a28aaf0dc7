//! What a scaffold takes from the environment: the CI binding (shared workflow, pin, image
//! owner, GitOps repository) and the user id images run as.

use crate::profile::Profile;
use crate::profile::model::CiBinding;

/// The profile's settings a scaffold uses, with any pin given on the command line applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaffoldSettings {
    /// The CI binding.
    pub ci: CiBinding,
    /// The non-root user and group id images run as (the profile's `runAsUser`).
    pub run_as_user: u32,
}

/// A pin of the shared workflow given instead of the profile's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PinOverride<'a> {
    /// The commit (40 lower-case hex digits).
    pub commit: Option<&'a str>,
    /// The release that commit is (`v1.2.3`).
    pub release: Option<&'a str>,
}

/// Why the settings cannot be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    /// The profile names no CI binding.
    #[error(
        "profile \"{0}\" has no spec.ci (the shared workflow the CI binding calls); add one, as the built-in profiles have"
    )]
    NoBinding(String),
    /// The commit is not 40 lower-case hex digits.
    #[error(
        "the pin \"{0}\" is not a commit: give the 40 lower-case hex digits of one (a tag or branch can move)"
    )]
    NotACommit(String),
    /// The release is not `vMAJOR.MINOR.PATCH`.
    #[error("the release \"{0}\" is not written vMAJOR.MINOR.PATCH, such as v1.4.2")]
    NotARelease(String),
    /// A commit was given without the release it is, or the other way round.
    #[error("give the commit and its release together: the release is written beside the pin")]
    HalfAPin,
}

impl ScaffoldSettings {
    /// Reads the settings of `profile`, with `pin` in place of the profile's pin when given.
    pub fn from_profile(
        profile: &Profile,
        pin: PinOverride<'_>,
    ) -> Result<ScaffoldSettings, SettingsError> {
        let mut ci = profile
            .spec
            .ci
            .clone()
            .ok_or_else(|| SettingsError::NoBinding(profile.name().to_owned()))?;
        match (pin.commit, pin.release) {
            (None, None) => {}
            (Some(commit), Some(release)) => {
                if !is_commit(commit) {
                    return Err(SettingsError::NotACommit(commit.to_owned()));
                }
                if !is_release(release) {
                    return Err(SettingsError::NotARelease(release.to_owned()));
                }
                ci.commit = commit.to_owned();
                ci.release = release.to_owned();
            }
            _ => return Err(SettingsError::HalfAPin),
        }
        Ok(ScaffoldSettings {
            ci,
            run_as_user: profile.spec.run_as_user,
        })
    }
}

fn is_commit(text: &str) -> bool {
    text.len() == 40 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn is_release(text: &str) -> bool {
    let Some(numbers) = text.strip_prefix('v') else {
        return false;
    };
    let parts: Vec<&str> = numbers.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 9 && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind() -> &'static Profile {
        Profile::builtin("kind").expect("built-in")
    }

    #[test]
    fn the_pin_comes_from_the_profile_unless_given() {
        let settings = ScaffoldSettings::from_profile(kind(), PinOverride::default());
        assert_eq!(settings.map(|s| s.ci.release), Ok("v1.4.2".to_owned()));
        let commit = "0123456789abcdef0123456789abcdef01234567";
        let pin = PinOverride {
            commit: Some(commit),
            release: Some("v2.0.0"),
        };
        let settings = ScaffoldSettings::from_profile(kind(), pin).expect("a valid pin");
        assert_eq!(
            (settings.ci.commit.as_str(), settings.ci.release.as_str()),
            (commit, "v2.0.0")
        );
    }

    #[test]
    fn a_pin_that_can_move_or_is_half_given_is_refused() {
        let refused = |commit, release| {
            ScaffoldSettings::from_profile(kind(), PinOverride { commit, release }).err()
        };
        assert_eq!(
            refused(Some("main"), Some("v1.0.0")),
            Some(SettingsError::NotACommit("main".to_owned()))
        );
        let upper = "0123456789ABCDEF0123456789ABCDEF01234567";
        assert!(matches!(
            refused(Some(upper), Some("v1.0.0")),
            Some(SettingsError::NotACommit(_))
        ));
        let commit = Some("0123456789abcdef0123456789abcdef01234567");
        assert_eq!(
            refused(commit, Some("1.0")),
            Some(SettingsError::NotARelease("1.0".to_owned()))
        );
        assert_eq!(refused(commit, None), Some(SettingsError::HalfAPin));
    }
}
