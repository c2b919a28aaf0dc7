//! `docs/diagnostics.md` lists every code, and each example is what zave prints today.

use zave::{Code, Diagnostics, TextStyle, ValidateOptions};
use zave_conformance::repo_root;

/// One `## CODE` section of the catalogue: its example and its text block.
struct Section {
    code: String,
    example_line: String,
    example: String,
}

/// What an example runs: a contract validated alone, a contract rendered under a profile
/// (with CI's inputs), a contract validated last in a set after others, or a profile file
/// checked on its own.
struct Example {
    fixture: String,
    after: Vec<String>,
    profile: Option<String>,
    image: Option<String>,
    version: Option<String>,
}

impl Example {
    /// The file name the catalogue shows in the example's snippet.
    fn shown_name(&self) -> &'static str {
        if self.is_flags_file() {
            "flags.json"
        } else {
            "zave.yaml"
        }
    }

    /// Whether the example is a flags file (``Example: flags `file` ``), shown as `flags.json`.
    fn is_flags_file(&self) -> bool {
        self.fixture.ends_with(".json")
    }

    /// Reads ``Example: `contract` under profile `p` with image `i` with version `v` ``,
    /// ``Example: `contract` after `other` after `another` `` or ``Example: profile `file` ``.
    fn parse(line: &str) -> Example {
        let quoted: Vec<&str> = line.split('`').collect();
        let mut example = Example {
            fixture: quoted.get(1).copied().unwrap_or_default().to_owned(),
            after: Vec::new(),
            profile: None,
            image: None,
            version: None,
        };
        for pair in quoted[2..].chunks(2) {
            let (keyword, value) = (pair[0].trim(), pair.get(1).map(|v| (*v).to_owned()));
            match keyword {
                "under profile" => example.profile = value,
                "with image" => example.image = value,
                "with version" => example.version = value,
                "after" => example.after.extend(value),
                _ => {}
            }
        }
        example
    }

    /// The findings the example produces.
    fn findings(&self) -> (Vec<zave::Diagnostic>, Vec<u8>) {
        let bytes = std::fs::read(repo_root().join(&self.fixture)).expect("example fixture exists");
        if self.is_flags_file() {
            let findings = zave::flags::parse(&bytes)
                .err()
                .map(|d| d.0)
                .unwrap_or_default();
            return (findings, bytes);
        }
        if self.fixture.starts_with("fixtures/profiles/") {
            let findings = match zave::Profile::load(&bytes, false) {
                Ok(loaded) => loaded.findings,
                Err(Diagnostics(findings)) => findings,
            };
            return (findings, bytes);
        }
        if !self.after.is_empty() {
            return (self.set_findings(), bytes);
        }
        let Some(profile) = &self.profile else {
            let findings = match zave::validate(&bytes, ValidateOptions::default()) {
                Ok(checked) => checked.findings,
                Err(Diagnostics(findings)) => findings,
            };
            return (findings, bytes);
        };
        let profile = if profile.contains('/') {
            let text = std::fs::read(repo_root().join(profile)).expect("profile fixture exists");
            zave::Profile::from_yaml(&text).expect("example profile is valid")
        } else {
            zave::Profile::builtin(profile)
                .expect("built-in profile")
                .clone()
        };
        let inputs = zave::RenderInputs {
            image: self.image.as_deref(),
            version: self.version.as_deref(),
            ..zave::RenderInputs::default()
        };
        let findings = match zave::render(&bytes, &profile, inputs) {
            Ok(rendered) => rendered.findings,
            Err(Diagnostics(findings)) => findings,
        };
        (findings, bytes)
    }
}

impl Example {
    /// The findings of the example's contract, validated last in a set after the others.
    fn set_findings(&self) -> Vec<zave::Diagnostic> {
        let mut members = Vec::new();
        let mut own = Vec::new();
        for file in self.after.iter().chain([&self.fixture]) {
            let bytes = std::fs::read(repo_root().join(file)).expect("set fixture exists");
            let checked =
                zave::validate(&bytes, ValidateOptions::default()).expect("set member is valid");
            members.push(zave::SetMember::of(&checked));
            own = checked.findings;
        }
        let last = members.len() - 1;
        own.extend(
            zave::check_set(&members, false)
                .into_iter()
                .filter(|(index, _)| *index == last)
                .map(|(_, finding)| finding),
        );
        own
    }
}

/// The catalogue's opening example: one contract with a mistake per stage, every finding of
/// its one run printed, in order.
#[test]
fn one_run_shows_every_stage() {
    let catalogue =
        std::fs::read_to_string(repo_root().join("docs/diagnostics.md")).expect("catalogue exists");
    let intro = catalogue.split("\n## ").next().unwrap_or_default();
    let section = intro
        .split("### Every stage in one run")
        .nth(1)
        .expect("the catalogue shows every stage in one run");
    let example_line = section
        .lines()
        .find(|line| line.contains("Example: "))
        .map(|line| &line[line.find("Example: ").unwrap_or_default()..])
        .unwrap_or_default();
    let example = section
        .split("```text\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .unwrap_or_default();
    let (findings, bytes) = Example::parse(example_line).findings();
    let stages: Vec<&str> = findings.iter().map(|d| d.code.stage()).collect();
    assert_eq!(stages, ["schema", "compatibility", "policy"]);
    let source = String::from_utf8_lossy(&bytes);
    let printed = Diagnostics(findings).to_text("zave.yaml", Some(&source), TextStyle::Plain);
    assert_eq!(printed.trim_end(), example, "the example is stale");
}

fn sections(catalogue: &str) -> Vec<Section> {
    catalogue
        .split("\n## ")
        .skip(1)
        .map(|section| {
            let code = section.lines().next().unwrap_or_default().trim().to_owned();
            let example_line = section
                .lines()
                .find(|line| line.starts_with("Example: "))
                .unwrap_or_default()
                .to_owned();
            let example = section
                .split("```text\n")
                .nth(1)
                .and_then(|rest| rest.split("\n```").next())
                .unwrap_or_default()
                .to_owned();
            Section {
                code,
                example_line,
                example,
            }
        })
        .collect()
}

#[test]
fn every_code_is_documented_with_a_current_example() {
    let catalogue =
        std::fs::read_to_string(repo_root().join("docs/diagnostics.md")).expect("catalogue exists");
    let sections = sections(&catalogue);
    let documented: Vec<&str> = sections.iter().map(|s| s.code.as_str()).collect();
    let all: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(
        documented, all,
        "docs/diagnostics.md must list every code, in catalogue order"
    );
    for section in &sections {
        let example = Example::parse(&section.example_line);
        let (findings, bytes) = example.findings();
        let source = String::from_utf8_lossy(&bytes);
        let printed: Vec<String> = findings
            .iter()
            .filter(|d| d.code.as_str() == section.code)
            .map(|d| d.to_text(example.shown_name(), Some(&source), TextStyle::Plain))
            .collect();
        assert!(
            printed
                .iter()
                .any(|text| text.trim_end() == section.example),
            "the {} example in docs/diagnostics.md is stale; zave prints:\n{}",
            section.code,
            printed.join("\n")
        );
    }
}
