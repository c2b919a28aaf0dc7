//! Unified diffs between two renders: what changes when a contract moves between environments.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;
use similar::TextDiff;

use crate::manifest::RenderedFile;
use crate::profile::Profile;

/// How one file differs between two renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// Only the second render has the file.
    Added,
    /// Only the first render has the file.
    Removed,
    /// Both have it, with different text.
    Modified,
}

/// One file that differs between two renders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileDiff {
    /// The file's path below the profiles' path prefix, so both sides line up.
    pub path: String,
    /// Added, removed or modified.
    pub change: Change,
    /// The unified diff (three lines of context), with `<profile>/<path>` as the labels.
    pub unified: String,
}

/// The unified diff from `old` to `new` with three lines of context; empty when they are equal.
/// Lines end at `\n` only, as patch readers count them (similar's own splitting also ends one
/// at a lone `\r`, and its hunk counts would then disagree with the text).
pub fn unified(old: &str, new: &str, old_label: &str, new_label: &str) -> String {
    if old == new {
        return String::new();
    }
    let (old_lines, new_lines) = (lines(old), lines(new));
    let diff = TextDiff::from_slices(&old_lines, &new_lines);
    let mut out = format!("--- {old_label}\n+++ {new_label}\n");
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        let _ = writeln!(out, "{}", hunk.header());
        for change in hunk.iter_changes() {
            let _ = write!(out, "{}{}", change.tag(), change.value());
            if !change.value().ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
    }
    out
}

/// The lines of `text`, each with its `\n` (the last one may have none).
fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// The files of one contract rendered under two profiles, compared path by path below each
/// profile's prefix, in path order. Only the files that differ are listed.
pub fn between_profiles(
    from: &[RenderedFile],
    from_profile: &Profile,
    to: &[RenderedFile],
    to_profile: &Profile,
) -> Vec<FileDiff> {
    let (before, after) = (
        by_relative_path(from, from_profile),
        by_relative_path(to, to_profile),
    );
    let paths: BTreeSet<&str> = before.keys().chain(after.keys()).copied().collect();
    paths
        .into_iter()
        .filter_map(|path| {
            let (old, new) = (before.get(path), after.get(path));
            let change = match (old, new) {
                (None, _) => Change::Added,
                (_, None) => Change::Removed,
                (Some(old), Some(new)) if old == new => return None,
                _ => Change::Modified,
            };
            Some(FileDiff {
                path: path.to_owned(),
                change,
                unified: unified(
                    old.map_or("", |s| s.as_str()),
                    new.map_or("", |s| s.as_str()),
                    &format!("{}/{path}", from_profile.name()),
                    &format!("{}/{path}", to_profile.name()),
                ),
            })
        })
        .collect()
}

/// Files keyed by their path below the profile's prefix, so two profiles line up.
fn by_relative_path<'a>(
    files: &'a [RenderedFile],
    profile: &Profile,
) -> BTreeMap<&'a str, &'a String> {
    let prefix = profile.spec.gitops.path_prefix.as_str();
    files
        .iter()
        .map(|file| {
            let relative = file
                .path
                .strip_prefix(prefix)
                .map_or(file.path.as_str(), |rest| rest.trim_start_matches('/'));
            (relative, &file.content)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONTRACT: &[u8] = b"apiVersion: zave.io/v1\nkind: Workload\nmetadata: {name: web}\nspec: {runtime: container, exposure: public-http, delivery: rolling, resources: {tier: small}}\n";

    fn files(profile: &str) -> (Vec<RenderedFile>, &'static Profile) {
        let profile = Profile::builtin(profile).expect("built-in");
        let rendered =
            crate::render(CONTRACT, profile, crate::RenderInputs::default()).expect("renders");
        (rendered.files, profile)
    }

    #[test]
    fn unified_is_empty_for_equal_text_and_marks_changed_lines() {
        assert_eq!(unified("a\n", "a\n", "x", "y"), "");
        let text = unified("a\nb\n", "a\nc\n", "x", "y");
        assert!(text.starts_with("--- x\n+++ y\n"), "{text}");
        assert!(text.contains("\n-b\n+c\n"), "{text}");
    }

    #[test]
    fn a_render_against_itself_has_no_differences() {
        let (kind, profile) = files("kind");
        assert!(between_profiles(&kind, profile, &kind, profile).is_empty());
    }

    #[test]
    fn two_profiles_line_up_by_relative_path_and_label_each_side() {
        let (kind, kind_profile) = files("kind");
        let (aws, aws_profile) = files("aws");
        let diffs = between_profiles(&kind, kind_profile, &aws, aws_profile);
        let ingress = diffs
            .iter()
            .find(|d| d.path == "tenants/web/ingress-web.yaml")
            .expect("the ingress differs");
        assert_eq!(ingress.change, Change::Modified);
        assert!(
            ingress
                .unified
                .contains("--- kind/tenants/web/ingress-web.yaml\n")
        );
        assert!(ingress.unified.contains("+  ingressClassName: alb\n"));
        // aws adds an HPA the kind profile does not have.
        assert!(
            diffs
                .iter()
                .any(|d| d.change == Change::Added && d.path.contains("horizontalpodautoscaler"))
        );
        let paths: Vec<&str> = diffs.iter().map(|d| d.path.as_str()).collect();
        let mut sorted = paths.clone();
        sorted.sort_unstable();
        assert_eq!(paths, sorted, "path order");
    }
}
