//! The GitOps tree as data: where a tenant lives, what the tree records of CI's inputs, which
//! tenants the index lists (and the pooler's set-level files gather), and the one rule and
//! report of how a tree on disk differs.

use std::collections::BTreeSet;

use crate::document::{self, Path, Value};
use crate::flags::FlagSet;
use crate::index::{Half, index_files};
use crate::manifest::{RenderedFile, platform_dir, workload_dir};
use crate::profile::Profile;
use crate::render::Rendered;
use crate::render::persistence::pooler;
use crate::yaml::EmitError;

/// The four places of one tenant in the tree: two folders and, in its shard's folders, the
/// Application and the Flux Kustomization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantPlaces {
    /// `platform/tenants/<name>`: the tenant boundary (Flux).
    pub platform: String,
    /// `tenants/<name>`: the workload (Argo CD).
    pub workload: String,
    /// `platform/argocd/<shard>/<name>.yaml`.
    pub application: String,
    /// `platform/flux/<shard>/<name>.yaml`.
    pub flux: String,
}

impl TenantPlaces {
    /// Where tenant `name` lives under the profile's path `prefix`.
    pub fn of(prefix: &str, name: &str) -> TenantPlaces {
        TenantPlaces {
            platform: platform_dir(prefix, name),
            workload: workload_dir(prefix, name),
            application: Half::Applications.tenant_file(prefix, name),
            flux: Half::Tenants.tenant_file(prefix, name),
        }
    }
}

/// The inputs CI gave a tenant's last render, as its generated Deployment records them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recorded {
    /// The image the workload runs; never the bootstrap image, which is no input.
    pub image: Option<String>,
    /// The version label.
    pub version: Option<String>,
    /// The file of the tenant's flag set ConfigMap (`feature-flags`), beside the Deployment;
    /// read with [`recorded_flags`].
    pub flags_file: Option<String>,
    /// The flag set that file holds, once read.
    pub flags: Option<FlagSet>,
}

/// Reads what tenant `name`'s generated Deployment (`deployment`, the file's bytes) records:
/// the application container's image and the pod's `app.kubernetes.io/version` label. A
/// render without `--image` or `--version` for the tenant uses these, so re-rendering never
/// rolls an image back to bootstrap. Anything unreadable records nothing.
pub fn recorded_inputs(name: &str, deployment: &[u8]) -> Recorded {
    let (image, version) = match std::str::from_utf8(deployment).ok().and_then(scan_emitted) {
        Some(found) => found,
        None => parse_recorded(deployment),
    };
    let bootstrap = format!("/{name}:bootstrap");
    Recorded {
        image: image.filter(|image| !image.ends_with(&bootstrap)),
        version,
        flags_file: flags_config_map(name, deployment).map(|map| format!("configmap-{map}.yaml")),
        flags: None,
    }
}

/// The flag set ConfigMap the Deployment's pod mounts, `<name>-flags-<hash>`: only parsed
/// when the text names one.
fn flags_config_map(name: &str, deployment: &[u8]) -> Option<String> {
    let prefix = format!("{name}-flags-");
    let text = std::str::from_utf8(deployment).ok()?;
    if !text.contains(&prefix) {
        return None;
    }
    let document = document::load(deployment).ok()?;
    let volumes = Path::root()
        .key("spec")
        .key("template")
        .key("spec")
        .key("volumes");
    let Value::Seq(volumes) = &document.at(&volumes)?.value else {
        return None;
    };
    volumes.iter().find_map(|volume| {
        let map = volume.at(&Path::root().key("configMap").key("name"))?;
        match &map.value {
            Value::String(map) if map.starts_with(&prefix) => Some(map.clone()),
            _ => None,
        }
    })
}

/// The flag set a generated flags ConfigMap (`config_map`, the file's bytes) holds, checked
/// again as any flags file. `None` when it is unreadable, and for the empty set, which is what
/// a render without a set serves (W005) and so no input: the next render says W005 again.
pub fn recorded_flags(config_map: &[u8]) -> Option<FlagSet> {
    let document = document::load(config_map).ok()?;
    let key = Path::root()
        .key("data")
        .key(crate::render::flags::FLAGS_KEY);
    match &document.at(&key)?.value {
        Value::String(text) => crate::flags::parse(text.as_bytes())
            .ok()
            .filter(|set| *set != FlagSet::empty()),
        _ => None,
    }
}

/// Image and version by parsing the whole document: for a file not in the emitter's shape.
fn parse_recorded(deployment: &[u8]) -> (Option<String>, Option<String>) {
    let Ok(document) = document::load(deployment) else {
        return (None, None);
    };
    let pod = Path::root().key("spec").key("template");
    let text = |path: &Path| match document.at(path).map(|node| &node.value) {
        Some(Value::String(text)) => Some(text.clone()),
        _ => None,
    };
    let image = text(&pod.key("spec").key("containers").index(0).key("image"));
    let version = text(
        &pod.key("metadata")
            .key("labels")
            .key("app.kubernetes.io/version"),
    );
    (image, version)
}

/// Image and version read straight off the lines zave's emitter writes for a Deployment (the
/// pod template's labels at 8 spaces, the first container's keys at 8): parsing the whole
/// file costs as much as the render. `None` when the text is not in that shape (a quoted
/// value, an edit that moved a line), and the caller parses it instead.
fn scan_emitted(text: &str) -> Option<(Option<String>, Option<String>)> {
    let value = |line: &str, key: &str| -> Option<Option<String>> {
        let rest = line.strip_prefix(key)?.strip_prefix(": ")?;
        let plain = !rest.is_empty() && !rest.starts_with(['"', '\'', '&', '*', '!', '|', '>']);
        Some(plain.then(|| rest.to_owned()))
    };
    let mut lines = text
        .lines()
        .skip_while(|line| *line != "  template:")
        .skip(1);
    if lines.next()? != "    metadata:" {
        return None;
    }
    let mut version = None;
    let mut line = lines.next()?;
    while line.starts_with("      ") && line != "      labels:" {
        line = lines.next()?;
    }
    if line == "      labels:" {
        line = lines.next()?;
        while let Some(label) = line.strip_prefix("        ") {
            if let Some(found) = value(label, "app.kubernetes.io/version") {
                version = Some(found?);
            }
            line = lines.next()?;
        }
    }
    while line != "      containers:" {
        line = lines.next()?;
    }
    let first = lines.next()?.strip_prefix("      - ")?;
    let mut keys = std::iter::once(first).chain(
        lines
            .take_while(|line| line.starts_with("        "))
            .filter_map(|line| line.strip_prefix("        ")),
    );
    let image = keys.find_map(|key| value(key, "image"))?;
    Some((Some(image?), version))
}

/// The zave tenants a tree holds after a run: those already there and those rendered, less
/// (with `prune`) every one the run did not render.
pub fn tenants_after(
    on_disk: &BTreeSet<String>,
    rendered: &BTreeSet<String>,
    prune: bool,
) -> BTreeSet<String> {
    if prune {
        rendered.clone()
    } else {
        on_disk.union(rendered).cloned().collect()
    }
}

/// The whole tree that rendering `tenants` under `profile` writes into an empty folder: each
/// tenant's files, the index, then the pooler's set-level files when a tenant is on a pooler.
/// What the CLI, Python and the previewer's download write.
pub fn fresh_tree(tenants: &[Rendered], profile: &Profile) -> Result<Vec<RenderedFile>, EmitError> {
    let names: BTreeSet<String> = tenants.iter().map(|t| t.name.clone()).collect();
    let mut files: Vec<RenderedFile> = tenants.iter().flat_map(|t| t.files.clone()).collect();
    files.extend(index_files(&names, profile)?);
    let pooler = pooler::gather(
        files
            .iter()
            .map(|file| (file.path.as_str(), file.content.as_bytes())),
        profile,
    )?;
    files.extend(pooler);
    Ok(files)
}

/// How one path of the tree on disk differs from what the contracts produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    /// The file is produced and missing on disk.
    Added,
    /// The file on disk has other bytes.
    Changed,
    /// A file zave generated that is no longer produced (a tenant pruned).
    Removed,
    /// What an interrupted run left behind: a staging folder, a temporary file, a journal.
    Leftover,
}

impl Change {
    /// The word the reports use.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Changed => "changed",
            Change::Removed => "removed",
            Change::Leftover => "leftover",
        }
    }
}

/// One difference between the tree on disk and the tree the contracts produce.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Difference {
    /// The tree path.
    pub path: String,
    /// How it differs.
    pub change: Change,
}

impl Difference {
    /// The line a writing run reports for the path: what it did (a leftover was cleared).
    pub fn done(&self) -> String {
        let word = match self.change {
            Change::Leftover => "cleared",
            other => other.as_str(),
        };
        labelled(word, &self.path)
    }
}

/// `word:` padded to one column, then the path.
fn labelled(word: &str, path: &str) -> String {
    format!("{:<10}{path}", format!("{word}:"))
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&labelled(self.change.as_str(), &self.path))
    }
}

/// The one rule for "differs": a file differs when it is missing or its bytes are not
/// exactly the rendered ones.
pub fn compare(desired: &str, on_disk: Option<&[u8]>) -> Option<Change> {
    match on_disk {
        None => Some(Change::Added),
        Some(bytes) if bytes == desired.as_bytes() => None,
        Some(_) => Some(Change::Changed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deployment(image: &str, version: Option<&str>) -> String {
        let label = version
            .map(|v| format!("        app.kubernetes.io/version: {v}\n"))
            .unwrap_or_default();
        format!(
            "# Generated by zave 0.1.0 (x). Do not edit: change the contract and render again.\n\
             apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    metadata:\n      labels:\n\
             {label}        zave.io/workload: web\n    spec:\n      containers:\n      - image: {image}\n        name: app\n"
        )
    }

    #[test]
    fn the_deployment_records_the_image_and_version_ci_gave() {
        let text = deployment("ghcr.io/acme/web@sha256:abc", Some("sha-1234567"));
        assert_eq!(
            recorded_inputs("web", text.as_bytes()),
            Recorded {
                image: Some("ghcr.io/acme/web@sha256:abc".to_owned()),
                version: Some("sha-1234567".to_owned()),
                ..Recorded::default()
            }
        );
    }

    #[test]
    fn a_rendered_flag_set_is_read_back_from_the_configmap_its_deployment_mounts() {
        let contract = "apiVersion: zave.io/v1\nkind: Workload\nmetadata: {name: web}\nspec: {runtime: container, exposure: public-http, delivery: rolling, capabilities: [{name: feature-flags}]}\n";
        let flags = crate::flags::parse(
            br#"{"flags": {"a": {"state": "ENABLED", "variants": {"on": true}, "defaultVariant": "on"}}}"#,
        )
        .expect("valid flags");
        let profile = crate::Profile::builtin("kind").expect("kind");
        let inputs = crate::RenderInputs {
            flags: Some(&flags),
            ..Default::default()
        };
        let rendered = crate::render(contract.as_bytes(), profile, inputs).expect("renders");
        let file = |suffix: &str| {
            rendered
                .files
                .iter()
                .find(|f| f.path.ends_with(suffix))
                .map(|f| f.content.clone())
                .unwrap_or_default()
        };
        let recorded = recorded_inputs("web", file("deployment-web.yaml").as_bytes());
        let config_map = recorded
            .flags_file
            .expect("the Deployment mounts a flag set");
        assert!(
            config_map.starts_with("configmap-web-flags-"),
            "{config_map}"
        );
        assert_eq!(
            recorded_flags(file(&config_map).as_bytes()),
            Some(flags.clone())
        );
        assert_eq!(recorded_flags(b"data: {flags.json: 1}"), None);
        let empty = format!("data:\n  flags.json: {:?}\n", FlagSet::empty().text());
        assert_eq!(
            recorded_flags(empty.as_bytes()),
            None,
            "the empty set is no input"
        );
        let one = format!("data:\n  flags.json: {:?}\n", flags.text());
        assert_eq!(
            recorded_flags(one.as_bytes()),
            Some(flags),
            "the same form, read"
        );
    }

    #[test]
    fn the_bootstrap_image_and_unreadable_files_record_nothing() {
        let bootstrap = deployment("localhost:5001/web:bootstrap", None);
        assert_eq!(
            recorded_inputs("web", bootstrap.as_bytes()),
            Recorded::default()
        );
        assert_eq!(recorded_inputs("web", b"{ not: [yaml"), Recorded::default());
        assert_eq!(recorded_inputs("web", &[0xff, 0xfe]), Recorded::default());
    }

    #[test]
    fn reading_the_emitted_lines_finds_what_parsing_the_document_finds() {
        let contracts = [
            "{name: web}\nspec: {runtime: container, exposure: public-http, delivery: rolling}",
            "{name: site}\nspec: {runtime: static, exposure: public-http, delivery: rolling}",
            "{name: flags}\nspec: {runtime: container, exposure: grpc, delivery: rolling, \
             capabilities: [{name: metrics}, {name: tracing}], persistence: {engine: postgres}}",
        ];
        let digest = format!("@sha256:{}", "4f".repeat(32));
        let mut compared = 0;
        for profile in crate::profile::builtin_names().filter_map(crate::Profile::builtin) {
            let registry = profile
                .spec
                .registry
                .prefix
                .trim_end_matches('/')
                .to_owned();
            for contract in contracts {
                let source =
                    format!("apiVersion: zave.io/v1\nkind: Workload\nmetadata: {contract}\n");
                let name = contract[7..]
                    .split('}')
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                let image = format!("{registry}/{name}{digest}");
                for (image, version) in [
                    (None, None),
                    (Some(image.as_str()), None),
                    (Some(image.as_str()), Some("sha-1234567")),
                ] {
                    let inputs = crate::RenderInputs {
                        image,
                        version,
                        ..Default::default()
                    };
                    let Ok(rendered) = crate::render(source.as_bytes(), profile, inputs) else {
                        continue;
                    };
                    let deployment = rendered
                        .files
                        .iter()
                        .find(|file| file.path.ends_with(&format!("/deployment-{name}.yaml")))
                        .map(|file| file.content.as_str())
                        .unwrap_or_default();
                    let scanned = scan_emitted(deployment);
                    assert_eq!(
                        scanned,
                        Some(parse_recorded(deployment.as_bytes())),
                        "{deployment}"
                    );
                    compared += 1;
                }
            }
        }
        assert!(compared >= 18, "only {compared} renders compared");
    }

    #[test]
    fn a_file_not_in_the_emitted_shape_is_parsed_instead() {
        let moved = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      \
                     containers: [{name: app, image: \"ghcr.io/acme/web:1.2\"}]\n";
        assert_eq!(scan_emitted(moved), None);
        assert_eq!(
            recorded_inputs("web", moved.as_bytes()).image.as_deref(),
            Some("ghcr.io/acme/web:1.2")
        );
    }

    #[test]
    fn pruning_keeps_only_the_rendered_tenants() {
        let disk = BTreeSet::from(["a".to_owned(), "b".to_owned()]);
        let run = BTreeSet::from(["b".to_owned(), "c".to_owned()]);
        let all: Vec<_> = tenants_after(&disk, &run, false).into_iter().collect();
        assert_eq!(all, ["a", "b", "c"]);
        let pruned: Vec<_> = tenants_after(&disk, &run, true).into_iter().collect();
        assert_eq!(pruned, ["b", "c"]);
    }

    #[test]
    fn one_rule_decides_what_differs() {
        assert_eq!(compare("x\n", None), Some(Change::Added));
        assert_eq!(compare("x\n", Some(b"x\n")), None);
        assert_eq!(compare("x\n", Some(b"x")), Some(Change::Changed));
        let line = Difference {
            path: "a/b.yaml".to_owned(),
            change: Change::Leftover,
        };
        assert_eq!(line.to_string(), "leftover: a/b.yaml");
        assert_eq!(line.done(), "cleared:  a/b.yaml");
    }
}
