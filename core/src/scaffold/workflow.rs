//! The CI binding `.github/workflows/build.yaml`: the tenant repository's only workflow, a thin
//! call of the platform's shared build workflow pinned to a commit, with nothing else.

use super::ScaffoldSettings;
use super::header::{CommentSyntax, header};
use crate::contract::CheckedContract;

/// Where a repository's GitHub workflows live.
pub const WORKFLOWS_DIR: &str = ".github/workflows";
/// The binding's path.
pub const BINDING_PATH: &str = ".github/workflows/build.yaml";

/// The binding of a contract: build `<owner>/<name>` from its Dockerfile, and on `main` tell
/// the GitOps repository with `<name>-image-published`.
pub(crate) fn binding(contract: &CheckedContract, settings: &ScaffoldSettings) -> String {
    let ci = &settings.ci;
    let name = &contract.name;
    let mut text = header(
        CommentSyntax::Hash,
        &format!("CI binding of \"{name}\""),
        "Do not edit: tenant repositories run no CI logic of their own; zave init updates this file",
    );
    text.push_str(&format!(
        "name: build
on:
  push:
    branches: [main]
  pull_request:
jobs:
  build:
    permissions:
      contents: read
      packages: write
      id-token: write
    uses: {workflow}@{commit} # {release}
    with:
      image_name: {owner}/{name}
      dockerfile: {dockerfile}
      push: ${{{{ github.event_name == 'push' }}}}
      dispatch_repository: {dispatch}
      dispatch_event_type: {name}-image-published
    secrets:
      GH_TOKEN: ${{{{ secrets.GITHUB_TOKEN }}}}
      GITOPS_REPO_DISPATCH_TOKEN: ${{{{ secrets.GITOPS_REPO_DISPATCH_TOKEN }}}}
",
        workflow = ci.shared_workflow,
        commit = ci.commit,
        release = ci.release,
        owner = ci.image_owner,
        // Quoted: a path such as `1.0` or `true` must stay a string.
        dockerfile = serde_json::to_string(&contract.dockerfile_path).unwrap_or_default(),
        dispatch = ci.dispatch_repository,
    ));
    text
}

/// The `uses:` reference of a binding's text (`owner/repo/path@commit # release`), to say
/// what a stale binding is pinned to.
pub(crate) fn pinned_reference(text: &str) -> Option<&str> {
    text.lines()
        .find_map(|line| line.trim_start().strip_prefix("uses: "))
        .map(str::trim)
}
