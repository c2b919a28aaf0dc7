//! Render inputs from CI: the image reference (checked against the profile's registries) and
//! the version label.

use crate::diagnostic::{Code, Diagnostic};
use crate::document::Path;
use crate::profile::Profile;
use crate::suggest::quote;

/// The image a workload runs: the one CI gave, or the bootstrap image (W004).
pub fn resolve_image(
    given: Option<&str>,
    profile: &Profile,
    name: &str,
) -> Result<(String, Option<Diagnostic>), Diagnostic> {
    let prefix = profile.spec.registry.prefix.trim_end_matches('/');
    let Some(image) = given else {
        let bootstrap = format!("{prefix}/{name}:bootstrap");
        let finding = Diagnostic::new(
            Code::BootstrapImage,
            &input_path(),
            None,
            format!("no image given; zave uses the bootstrap image {bootstrap}"),
        )
        .with_help("give the render the image CI built (the CLI's --image, the image option of the bindings): <registry>/<repository>@sha256:<digest>");
        return Ok((bootstrap, Some(finding)));
    };
    check_reference(image)?;
    let allowed = &profile.spec.policy.registries;
    let in_registry = allowed.iter().any(|registry| {
        image
            .strip_prefix(registry.trim_end_matches('/'))
            .is_some_and(|rest| rest.starts_with('/'))
    });
    if !in_registry {
        return Err(Diagnostic::new(
            Code::RegistryNotAllowed,
            &input_path(),
            None,
            format!(
                "image {} is not from a registry profile \"{}\" allows",
                quote(image),
                profile.name()
            ),
        )
        .with_help(format!("allowed registries: {}", allowed.join(", "))));
    }
    Ok((image.to_owned(), None))
}

fn input_path() -> Path {
    Path::root().key("image")
}

/// Checks the grammar of `registry/repository[:tag][@sha256:digest]`; `latest` is refused.
fn check_reference(image: &str) -> Result<(), Diagnostic> {
    let invalid = |reason: &str| {
        Diagnostic::new(
            Code::InvalidImage,
            &input_path(),
            None,
            format!("{} is not a valid image reference: {reason}", quote(image)),
        )
        .with_help(
            "write <registry>/<repository>@sha256:<64 hex digits> or <registry>/<repository>:<tag>",
        )
    };
    let (rest, digest) = match image.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (image, None),
    };
    if let Some(digest) = digest {
        let hex = digest
            .strip_prefix("sha256:")
            .ok_or_else(|| invalid("the digest must start with sha256:"))?;
        if hex.len() != 64
            || !hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(invalid("a sha256 digest is 64 lower-case hex digits"));
        }
    }
    let last_slash = rest
        .rfind('/')
        .ok_or_else(|| invalid("it names no registry"))?;
    let (repository, tag) = match rest[last_slash..].find(':') {
        Some(colon) => (
            &rest[..last_slash + colon],
            Some(&rest[last_slash + colon + 1..]),
        ),
        None => (rest, None),
    };
    match tag {
        Some("latest") => {
            return Err(invalid(
                "the tag \"latest\" moves; pin a digest or a version tag",
            ));
        }
        Some(tag) if !valid_tag(tag) => {
            return Err(invalid(
                "a tag is 1 to 128 letters, digits, '_', '.' or '-'",
            ));
        }
        None if digest.is_none() => return Err(invalid("it has neither a tag nor a digest")),
        _ => {}
    }
    let (registry, path) = repository
        .split_once('/')
        .ok_or_else(|| invalid("it names no registry"))?;
    let registry_ok = !registry.is_empty()
        && registry
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:".contains(&b));
    let path_ok = !path.is_empty()
        && path.split('/').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
                && part
                    .bytes()
                    .next()
                    .is_some_and(|b| b.is_ascii_alphanumeric())
        });
    if !registry_ok || !path_ok {
        return Err(invalid(
            "a repository is lower-case letters, digits, '.', '_', '-' and '/'",
        ));
    }
    Ok(())
}

fn valid_tag(tag: &str) -> bool {
    (1..=128).contains(&tag.len())
        && tag
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        && tag
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
}

/// Checks a version label: `sha-` and seven lower-case hex digits.
pub fn check_version(version: &str) -> Result<(), Diagnostic> {
    let hex = version.strip_prefix("sha-").unwrap_or_default();
    if hex.len() == 7
        && hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Ok(());
    }
    Err(Diagnostic::new(
        Code::InvalidVersion,
        &Path::root().key("version"),
        None,
        format!(
            "version {} is not sha- and seven lower-case hex digits",
            quote(version)
        ),
    )
    .with_help("pass the short commit: --version-label sha-$(git rev-parse --short=7 HEAD)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(image: &str) -> Option<&'static str> {
        let profile = Profile::builtin("kind").expect("kind profile");
        resolve_image(Some(image), profile, "web")
            .err()
            .map(|d| d.code.as_str())
    }

    #[test]
    fn accepts_digests_and_version_tags_from_allowed_registries() {
        let digest = format!("localhost:5001/web@sha256:{}", "a".repeat(64));
        assert_eq!(code(&digest), None);
        assert_eq!(code("localhost:5001/team/web:1.4.2"), None);
        assert_eq!(
            code(&format!("localhost:5001/web:1.0@sha256:{}", "0".repeat(64))),
            None
        );
    }

    #[test]
    fn refuses_latest_untagged_malformed_and_foreign_images() {
        assert_eq!(code("localhost:5001/web:latest"), Some("Z305"));
        assert_eq!(code("localhost:5001/web"), Some("Z305"));
        assert_eq!(code("web:1.0"), Some("Z305"));
        assert_eq!(code("localhost:5001/Web:1.0"), Some("Z305"));
        assert_eq!(code("localhost:5001/web@sha256:abc"), Some("Z305"));
        assert_eq!(code("docker.io/library/web:1.0"), Some("Z304"));
        assert_eq!(code("localhost:50011/web:1.0"), Some("Z304"));
    }

    #[test]
    fn bootstrap_image_is_reported() {
        let profile = Profile::builtin("kind").expect("kind profile");
        let (image, finding) = resolve_image(None, profile, "web").expect("bootstrap");
        assert_eq!(image, "localhost:5001/web:bootstrap");
        assert_eq!(finding.map(|f| f.code.as_str()), Some("W004"));
    }

    #[test]
    fn version_labels_are_short_commits() {
        assert!(check_version("sha-1a2b3c4").is_ok());
        assert!(check_version("sha-1A2B3C4").is_err());
        assert!(check_version("v1.2.3").is_err());
    }
}
