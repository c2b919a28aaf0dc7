//! The render summary (what a contract gets under a profile): its text per built-in profile,
//! and that every line points at a file of the render holding the object it names.

use std::fmt::Write as _;

use zave::render::summary::SummaryLine;
use zave::{Profile, RenderInputs};

fn example() -> Vec<u8> {
    std::fs::read(zave_conformance::repo_root().join("examples/zave.yaml"))
        .expect("examples/zave.yaml")
}

fn summary(source: &[u8], profile: &Profile) -> Vec<SummaryLine> {
    zave::plan(source, profile, RenderInputs::default())
        .expect("the contract renders")
        .summary()
}

fn as_text(lines: &[SummaryLine]) -> String {
    let mut out = String::new();
    for line in lines {
        let _ = writeln!(
            out,
            "{:<18} {}\n{:<18} {} in {}",
            line.topic, line.text, "", line.object, line.path
        );
        for origin in &line.origins {
            let _ = writeln!(
                out,
                "{:<18} <- {}",
                "",
                serde_json::to_string(origin).expect("json")
            );
        }
    }
    out
}

#[test]
fn the_example_summary_under_each_built_in_profile() {
    for name in zave::profile::builtin_names() {
        let profile = Profile::named(name).expect("built-in");
        insta::assert_snapshot!(
            format!("example@{name}"),
            as_text(&summary(&example(), profile))
        );
    }
}

#[test]
fn other_shapes_of_contract_under_linode() {
    let linode = Profile::named("linode").expect("built-in");
    for fixture in ["grpc-redis", "async-mysql-large", "static-internal"] {
        let source = std::fs::read(zave_conformance::fixture(&format!(
            "contracts/valid/{fixture}.yaml"
        )))
        .expect("fixture");
        let Ok(plan) = zave::plan(&source, linode, RenderInputs::default()) else {
            // async-mysql-large asks for a tier linode refuses: the summary is under kind then.
            let kind = Profile::named("kind").expect("built-in");
            insta::assert_snapshot!(fixture, as_text(&summary(&source, kind)));
            continue;
        };
        insta::assert_snapshot!(fixture, as_text(&plan.summary()));
    }
}

#[test]
fn every_line_points_at_the_file_holding_its_object() {
    let contracts = zave_conformance::fixtures_in("contracts/valid");
    assert!(!contracts.is_empty());
    for path in contracts {
        let source = std::fs::read(&path).expect("fixture");
        for name in zave::profile::builtin_names() {
            let profile = Profile::named(name).expect("built-in");
            let Ok(plan) = zave::plan(&source, profile, RenderInputs::default()) else {
                continue;
            };
            let lines = plan.summary();
            let rendered = plan.render().expect("a plan renders");
            assert!(
                lines.iter().any(|l| l.topic == "namespace"),
                "{}",
                path.display()
            );
            for line in &lines {
                let file = rendered
                    .files
                    .iter()
                    .find(|f| f.path == line.path)
                    .unwrap_or_else(|| {
                        panic!("{}: {} is not a rendered file", path.display(), line.path)
                    });
                let (kind, object) = line.object.split_once('/').expect("Kind/name");
                assert!(
                    file.content.contains(&format!("\nkind: {kind}\n")),
                    "{} in {}",
                    kind,
                    line.path
                );
                assert!(
                    file.content.contains(&format!("  name: {object}\n")),
                    "{} in {}",
                    object,
                    line.path
                );
            }
        }
    }
}

#[test]
fn injected_capabilities_say_so_and_asked_ones_do_not() {
    let aws = Profile::named("aws").expect("built-in");
    let source = b"apiVersion: zave.io/v1\nkind: Workload\nmetadata: {name: web}\n\
        spec: {runtime: container, exposure: public-http, delivery: rolling, \
        capabilities: [{name: tracing}], resources: {tier: small}}\n";
    let lines = summary(source, aws);
    let capabilities: Vec<&str> = lines
        .iter()
        .filter(|l| l.topic == "capability")
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(capabilities.len(), 2, "{capabilities:?}");
    assert!(
        capabilities
            .iter()
            .any(|t| t.starts_with("metrics:") && t.contains("injected by profile aws"))
    );
    assert!(
        capabilities
            .iter()
            .any(|t| t.starts_with("tracing:") && t.contains("asked for by the contract"))
    );
    assert!(!lines.iter().any(|l| l.topic == "database"));
}
