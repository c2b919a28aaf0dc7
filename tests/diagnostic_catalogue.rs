//! `docs/diagnostics.md` lists every code, and each example is what zave prints today.

use zave::{Code, Diagnostics, TextStyle, ValidateOptions};
use zave_conformance::repo_root;

/// One `## CODE` section of the catalogue: its example fixture and its text block.
struct Section {
    code: String,
    fixture: String,
    example: String,
}

fn sections(catalogue: &str) -> Vec<Section> {
    catalogue
        .split("\n## ")
        .skip(1)
        .map(|section| {
            let code = section.lines().next().unwrap_or_default().trim().to_owned();
            let fixture = section
                .split("Example: `")
                .nth(1)
                .and_then(|rest| rest.split('`').next())
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
                fixture,
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
        let bytes =
            std::fs::read(repo_root().join(&section.fixture)).expect("example fixture exists");
        let findings = match zave::validate(&bytes, ValidateOptions::default()) {
            Ok(checked) => checked.findings,
            Err(Diagnostics(findings)) => findings,
        };
        let source = String::from_utf8_lossy(&bytes);
        let printed: Vec<String> = findings
            .iter()
            .filter(|d| d.code.as_str() == section.code)
            .map(|d| d.to_text("zave.yaml", Some(&source), TextStyle::Plain))
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
