//! Generator stages 1–2: a tenant repository's files (contract, Dockerfile, compose file,
//! README, .gitignore, CI binding) from a checked contract and the profile's CI settings, the
//! rules for rewriting them, and the conformance check of a repository against them.

mod answers;
mod compose;
mod conformance;
mod dockerfile;
mod header;
mod readme;
mod settings;
mod workflow;

pub use answers::{CONTRACT_PATH, InitAnswers, Question};
pub use conformance::{OnDisk, RepoCode, RepoFinding, check_repository};
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

/// Every file derived from a contract, in a fixed order: the Dockerfile (at the contract's
/// `dockerfilePath`), `docker-compose.yml`, `.gitignore`, `README.md` and the CI binding.
pub fn files(contract: &CheckedContract, settings: &ScaffoldSettings) -> Vec<ScaffoldFile> {
    let generated = |path: &str, content: String| ScaffoldFile {
        path: path.to_owned(),
        content,
        role: FileRole::Generated,
    };
    vec![
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
    ]
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
        Some(bytes) if force || has_header(bytes) => WriteAction::Replace,
        Some(_) => WriteAction::Keep,
    }
}
