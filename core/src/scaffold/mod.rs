//! Generator stages 1–2: a tenant repository's files (contract, Dockerfile, compose file,
//! README, .gitignore, CI binding) from a checked contract and the profile's CI settings, the
//! rules for rewriting them, and the conformance check of a repository against them.

mod answers;
mod compose;
mod conformance;
mod dockerfile;
mod flags;
mod header;
mod readme;
mod settings;
mod workflow;

pub use answers::{CONTRACT_PATH, InitAnswers, Question};
pub use conformance::{OnDisk, RepoCode, RepoFinding, check_present, check_repository};
pub use header::has_header;
pub use settings::{PinOverride, ScaffoldSettings, SettingsError};
pub use workflow::{BINDING_PATH, WORKFLOWS_DIR};

use crate::contract::CheckedContract;

/// Who a scaffolded file belongs to, which decides how zave rewrites and checks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRole {
    /// Derived from the contract and kept by zave while it carries zave's header; deleting the
    /// header line hands the file to the tenant.
    Generated,
    /// The CI binding: always zave's, whatever its header says (tenant repositories run no CI
    /// logic of their own).
    Binding,
    /// A starting point the tenant owns from the first write (`flags.json`, which as JSON has
    /// no room for a header): written when missing, never replaced, not even with `--force`.
    Starter,
}

/// One file of a tenant repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaffoldFile {
    /// The path, relative to the repository root.
    pub path: String,
    /// The file's text.
    pub content: String,
    /// Who the file belongs to.
    pub role: FileRole,
}

/// Why a valid contract cannot be scaffolded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScaffoldError {
    /// The Dockerfile would land on another file of the repository, or among the workflows.
    #[error(
        "spec.build.dockerfilePath \"{0}\" is where the repository keeps another file; choose another path for the Dockerfile"
    )]
    DockerfileCollides(String),
}

/// The paths the Dockerfile may not take, nor be in or above (compared without case, for
/// case-insensitive file systems), besides `.github/workflows/`.
fn reserved_paths() -> [&'static str; 5] {
    [
        CONTRACT_PATH,
        flags::FLAGS_PATH,
        compose::COMPOSE_PATH,
        readme::GITIGNORE_PATH,
        readme::README_PATH,
    ]
}

/// Every file derived from a contract, in a fixed order: the Dockerfile (at the contract's
/// `dockerfilePath`), `docker-compose.yml`, `.gitignore`, `README.md` and the CI binding.
/// Refuses a contract whose Dockerfile would take the place of another file.
pub fn files(
    contract: &CheckedContract,
    settings: &ScaffoldSettings,
) -> Result<Vec<ScaffoldFile>, ScaffoldError> {
    let dockerfile = contract.dockerfile_path.to_ascii_lowercase();
    let taken = |path: &str| {
        let path = path.to_ascii_lowercase();
        dockerfile == path
            || dockerfile.starts_with(&format!("{path}/"))
            || path.starts_with(&format!("{dockerfile}/"))
    };
    if reserved_paths().into_iter().any(taken) || taken(WORKFLOWS_DIR) {
        return Err(ScaffoldError::DockerfileCollides(
            contract.dockerfile_path.clone(),
        ));
    }
    let generated = |path: &str, content: String| ScaffoldFile {
        path: path.to_owned(),
        content,
        role: FileRole::Generated,
    };
    let mut files = vec![
        generated(
            &contract.dockerfile_path,
            dockerfile::dockerfile(contract, settings),
        ),
        generated(compose::COMPOSE_PATH, compose::compose(contract, settings)),
        generated(readme::GITIGNORE_PATH, readme::gitignore(contract)),
        generated(readme::README_PATH, readme::readme(contract, settings)),
        ScaffoldFile {
            path: BINDING_PATH.to_owned(),
            content: workflow::binding(contract, settings),
            role: FileRole::Binding,
        },
    ];
    files.extend(flags::starter(contract));
    Ok(files)
}

/// What writing a scaffolded file does to the file on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteAction {
    /// No file there: write it.
    Create,
    /// zave's own file, out of date: replace it.
    Replace,
    /// Already exactly this: leave it.
    Unchanged,
    /// A file zave did not generate (no zave header): leave it, unless forced.
    Keep,
}

/// Decides what to do with `file` given what is on disk: zave replaces only its own files
/// (with its header), unless `force`.
pub fn decide(file: &ScaffoldFile, existing: Option<&[u8]>, force: bool) -> WriteAction {
    match existing {
        None => WriteAction::Create,
        Some(bytes) if bytes == file.content.as_bytes() => WriteAction::Unchanged,
        Some(_) if file.role == FileRole::Starter => WriteAction::Keep,
        Some(bytes) if force || has_header(bytes) => WriteAction::Replace,
        Some(_) => WriteAction::Keep,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generated(content: &str) -> ScaffoldFile {
        ScaffoldFile {
            path: "Dockerfile".to_owned(),
            content: content.to_owned(),
            role: FileRole::Generated,
        }
    }

    #[test]
    fn zave_replaces_only_its_own_files_unless_forced() {
        let file = generated("# Generated by zave 0.1.0 (x). new\n");
        let ours = b"# Generated by zave 0.0.9 (x). old\n".as_slice();
        let markdown = b"<!-- Generated by zave 0.0.9 (x). old -->\n".as_slice();
        let theirs = b"FROM scratch\n".as_slice();
        assert_eq!(decide(&file, None, false), WriteAction::Create);
        assert_eq!(
            decide(&file, Some(file.content.as_bytes()), true),
            WriteAction::Unchanged
        );
        assert_eq!(decide(&file, Some(ours), false), WriteAction::Replace);
        assert_eq!(decide(&file, Some(markdown), false), WriteAction::Replace);
        assert_eq!(decide(&file, Some(theirs), false), WriteAction::Keep);
        assert_eq!(decide(&file, Some(theirs), true), WriteAction::Replace);
    }

    #[test]
    fn a_starter_is_written_once_and_never_replaced_not_even_forced() {
        let starter = ScaffoldFile {
            role: FileRole::Starter,
            ..generated("{\"flags\": {}}\n")
        };
        let edited = b"{\"flags\": {\"mine\": {}}}\n".as_slice();
        assert_eq!(decide(&starter, None, true), WriteAction::Create);
        assert_eq!(decide(&starter, Some(edited), false), WriteAction::Keep);
        assert_eq!(decide(&starter, Some(edited), true), WriteAction::Keep);
    }

    #[test]
    fn a_dockerfile_may_not_take_another_files_place() {
        let settings = ScaffoldSettings::from_profile(
            crate::Profile::builtin("kind").expect("built-in"),
            PinOverride::default(),
        )
        .expect("settings");
        let scaffold = |path: &str| {
            let source = format!(
                "apiVersion: zave.io/v1\nkind: Workload\nmetadata: {{name: web}}\nspec: {{runtime: container, exposure: public-http, build: {{dockerfilePath: \"{path}\"}}}}\n"
            );
            let checked = crate::validate(source.as_bytes(), Default::default()).expect("valid");
            files(&checked, &settings).map(|files| files.len())
        };
        for path in [
            "zave.yaml",
            "readme.md",
            ".github/workflows/build.yaml",
            ".github/workflows",
            "docker-compose.yml/Dockerfile",
            ".github",
        ] {
            assert_eq!(
                scaffold(path),
                Err(ScaffoldError::DockerfileCollides(path.to_owned())),
                "{path}"
            );
        }
        assert_eq!(scaffold("docker/Dockerfile"), Ok(5));
        assert_eq!(scaffold(".github/Dockerfile"), Ok(5));
    }

    #[test]
    fn a_header_further_down_is_not_zaves() {
        assert!(!has_header(b"FROM scratch\n# Generated by zave 0.1.0\n"));
        assert!(!has_header(b" # Generated by zave 0.1.0\n"));
    }

    #[test]
    fn a_file_the_tenant_took_over_conforms_but_a_taken_binding_does_not() {
        let binding = ScaffoldFile {
            path: BINDING_PATH.to_owned(),
            content:
                "# Generated by zave 0.1.0 (b). x\nuses: a/b/.github/workflows/c.yml@1 # v1.0.0\n"
                    .to_owned(),
            role: FileRole::Binding,
        };
        let expected = vec![generated("# Generated by zave 0.1.0 (x). y\n"), binding];
        let read = |path: &str| {
            OnDisk::File(if path == "Dockerfile" {
                b"FROM scratch\n".to_vec()
            } else {
                b"uses: a/b/.github/workflows/c.yml@1 # v1.0.0\n".to_vec()
            })
        };
        let findings = check_repository(&expected, &read, &["build.yaml".to_owned()]);
        let codes: Vec<(&str, RepoCode)> =
            findings.iter().map(|f| (f.path.as_str(), f.code)).collect();
        assert_eq!(codes, [(BINDING_PATH, RepoCode::BindingNotGenerated)]);
    }

    #[test]
    fn every_workflow_but_the_binding_is_a_finding() {
        let read = |_: &str| OnDisk::Missing;
        let workflows = ["build.yaml", "build.yml", "release.yaml"].map(str::to_owned);
        let findings = check_repository(&[], &read, &workflows);
        let paths: Vec<&str> = findings.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                ".github/workflows/build.yml",
                ".github/workflows/release.yaml"
            ]
        );
        assert!(findings.iter().all(|f| f.code == RepoCode::ExtraWorkflow));
    }
}
