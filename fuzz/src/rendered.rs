//! What every render must be, whatever its input: the same bytes twice, files at clean
//! relative paths, and YAML that reads back as exactly the objects it was written from, so no
//! input can smuggle structure (a line break, an indicator, a comment) into the tree.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml::Value;
use zave::manifest::is_generated;
use zave::diagnostic::{Code, Diagnostic};
use zave::{FileKind, Profile, RenderInputs, Rendered, RenderedFile};

use crate::positions;

/// Renders `source` under `profile` twice and checks the outcome: a sound tree, or a refusal
/// whose positioned findings point inside the source.
pub fn assert_render(source: &[u8], profile: &Profile, inputs: RenderInputs<'_>) {
    let first = zave::render(source, profile, inputs);
    let second = zave::render(source, profile, inputs);
    match (&first, &second) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.files, b.files, "two renders differ");
            assert_eq!(a.findings, b.findings, "two renders report differently");
            assert_sound(a);
            positions::assert_accepted(source, &about_the_source(&a.findings));
        }
        (Err(a), Err(b)) => {
            assert_eq!(a, b, "two refusals differ");
            positions::assert_findings_inside(source, &about_the_source(&a.0));
            assert!(a.0.iter().any(|f| f.is_error()), "refused without an error");
        }
        _ => panic!("one render succeeded and the other did not"),
    }
}

/// The findings about the contract text: CI's inputs (the image, the version, the bundle, the
/// flags file) have no place in it, so a finding about one of them has no position (W004 when
/// no image is given); every other finding must point inside the source.
fn about_the_source(findings: &[Diagnostic]) -> Vec<Diagnostic> {
    const CI_INPUTS: [&str; 4] = ["image", "version", "bundle", "flags"];
    findings
        .iter()
        .filter(|finding| {
            let about_an_input = CI_INPUTS.contains(&finding.path.as_str());
            assert!(
                about_an_input || finding.line.is_some() || finding.code == Code::TooLarge,
                "{} has no position in text input: {finding:?}",
                finding.code.as_str()
            );
            !about_an_input || finding.line.is_some()
        })
        .cloned()
        .collect()
}

/// A finished render's tree holds together: see the module documentation.
pub fn assert_sound(rendered: &Rendered) {
    let mut paths = BTreeSet::new();
    for file in &rendered.files {
        assert_clean_path(&file.path);
        assert!(paths.insert(&file.path), "{} is written twice", file.path);
        assert_plain_text(&file.path, &file.content);
        assert!(
            is_generated(file.content.as_bytes()),
            "{} does not start with zave's one-line header:\n{}",
            file.path,
            file.content
        );
    }
    let objects: Vec<&RenderedFile> = rendered
        .files
        .iter()
        .filter(|file| file.kind == FileKind::Object)
        .collect();
    let manifests = rendered.manifests();
    assert_eq!(objects.len(), manifests.len(), "not one file per object");
    for (file, manifest) in objects.iter().zip(&manifests) {
        let expected = match serde_yaml::to_value(&manifest.object) {
            Ok(value) => value,
            Err(error) => panic!("{} cannot be represented as YAML data: {error}", file.path),
        };
        assert_eq!(
            read(file),
            expected,
            "{} does not read back as its object",
            file.path
        );
    }
    assert_kustomizations_list_their_folders(&rendered.files);
    let stream = zave::to_stream(&rendered.files);
    let documents = serde_yaml::Deserializer::from_str(&stream)
        .map(serde::Deserialize::deserialize)
        .collect::<Result<Vec<Value>, _>>();
    match documents {
        Ok(documents) => assert_eq!(documents.len(), objects.len(), "the stream splits wrongly"),
        Err(error) => panic!("the stream is not YAML: {error}\n{stream}"),
    }
}

/// A file's content as YAML data.
pub fn read(file: &RenderedFile) -> Value {
    match serde_yaml::from_str(&file.content) {
        Ok(value) => value,
        Err(error) => panic!("{} is not YAML: {error}\n{}", file.path, file.content),
    }
}

/// Each `kustomization.yaml` lists exactly the object files of its folder.
fn assert_kustomizations_list_their_folders(files: &[RenderedFile]) {
    let mut folders: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for file in files.iter().filter(|file| file.kind == FileKind::Object) {
        if let Some((folder, name)) = file.path.rsplit_once('/') {
            folders.entry(folder).or_default().insert(name);
        }
    }
    for file in files.iter().filter(|f| f.kind == FileKind::Kustomization) {
        let folder = file.path.rsplit_once('/').map_or("", |(folder, _)| folder);
        let listed: BTreeSet<String> = match read(file).get("resources") {
            Some(Value::Sequence(items)) => items
                .iter()
                .map(|item| item.as_str().unwrap_or_default().to_owned())
                .collect(),
            other => panic!("{} lists no resources: {other:?}", file.path),
        };
        let present: BTreeSet<String> = folders
            .get(folder)
            .into_iter()
            .flatten()
            .map(|name| (*name).to_owned())
            .collect();
        assert_eq!(listed, present, "{} lists other files", file.path);
    }
}

/// A path the tree writer can take as it is: relative, `/`-separated, no empty, `.` or `..`
/// component, nothing a shell or a file system treats specially.
pub fn assert_clean_path(path: &str) {
    assert!(
        !path.is_empty() && !path.starts_with('/'),
        "not a relative path: {path:?}"
    );
    for component in path.split('/') {
        assert!(
            !matches!(component, "" | "." | ".."),
            "{path:?} has the component {component:?}"
        );
    }
    assert!(
        !path.chars().any(|c| c.is_control() || c == '\\'),
        "{path:?} holds a control character or a backslash"
    );
}

/// Text a YAML reader and a terminal both take as it is: `\n` line endings, no control
/// character but the tab, no character some reader takes for a line break or a byte order
/// mark, and exactly one final line break.
pub fn assert_plain_text(path: &str, content: &str) {
    let odd = content.chars().find(|&c| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
    });
    assert!(
        odd.is_none(),
        "{path} holds the raw character {odd:?}:\n{content}"
    );
    assert!(
        content.ends_with('\n') && !content.ends_with("\n\n"),
        "{path} does not end with exactly one line break"
    );
}
