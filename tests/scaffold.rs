//! Snapshots of the scaffold: every runtime with every persistence engine it may have, and
//! workloads with capabilities and other exposures. Each snapshot is the whole repository.

use zave::scaffold::{self, InitAnswers, PinOverride, Question, ScaffoldSettings};
use zave::{Profile, ValidateOptions};

/// The repository of `answers` (given as flag values) under the kind profile: every file, in
/// order, after a `--- path` line.
fn repository(name: &str, flags: &[(Question, &str)]) -> String {
    let mut answers = InitAnswers::new(name);
    for (question, value) in flags {
        answers.answer(*question, value).expect("an offered value");
    }
    repository_of(&answers.contract_source())
}

/// The repository of a contract's source under the kind profile.
fn repository_of(source: &str) -> String {
    let checked =
        zave::validate(source.as_bytes(), ValidateOptions::default()).unwrap_or_else(|d| {
            panic!(
                "{}",
                d.to_text("zave.yaml", Some(source), zave::TextStyle::Plain)
            )
        });
    let profile = Profile::builtin("kind").expect("built-in");
    let settings =
        ScaffoldSettings::from_profile(profile, PinOverride::default()).expect("settings");
    let mut text = format!("--- zave.yaml\n{source}");
    for file in scaffold::files(&checked, &settings).expect("no collision") {
        text.push_str(&format!("--- {}\n{}", file.path, file.content));
    }
    text
}

#[test]
fn every_runtime_with_every_engine() {
    for engine in ["none", "postgres", "mysql", "redis"] {
        let flags = [
            (Question::Runtime, "container"),
            (Question::Persistence, engine),
        ];
        insta::assert_snapshot!(
            format!("container-{engine}"),
            repository("payments-api", &flags)
        );
    }
    // A static site takes no persistence (Z203): its only combination is without an engine.
    let flags = [
        (Question::Runtime, "static"),
        (Question::Persistence, "none"),
    ];
    insta::assert_snapshot!("static-none", repository("docs-site", &flags));
}

#[test]
fn capabilities_and_other_exposures() {
    let traced = [
        (Question::Persistence, "postgres"),
        (Question::Capability, "metrics"),
        (Question::Capability, "tracing"),
        (Question::Tier, "large"),
    ];
    insta::assert_snapshot!(
        "container-postgres-metrics-tracing",
        repository("orders", &traced)
    );
    let grpc = [
        (Question::Exposure, "grpc"),
        (Question::Persistence, "redis"),
    ];
    insta::assert_snapshot!("grpc-redis", repository("ledger", &grpc));
    let worker = [
        (Question::Exposure, "async"),
        (Question::Persistence, "mysql"),
    ];
    insta::assert_snapshot!("async-mysql", repository("listings-ingest", &worker));
}

#[test]
fn migrations_run_before_the_app_in_compose() {
    let path =
        zave_conformance::repo_root().join("fixtures/contracts/valid/postgres-migrations.yaml");
    let source = std::fs::read_to_string(path).expect("the fixture");
    let repository = repository_of(&source);
    let compose = repository
        .split("--- docker-compose.yml\n")
        .nth(1)
        .expect("a compose file");
    assert!(compose.find("  migrate:") < compose.find("  app:"));
    insta::assert_snapshot!("container-postgres-migrations", repository);
}

/// `zave init --force` writes the contract anew from what it read and the flags: the
/// migration command stays, and goes with the database when a flag removes it.
#[test]
fn a_contract_written_anew_keeps_its_migrations_while_it_has_a_database() {
    let path =
        zave_conformance::repo_root().join("fixtures/contracts/valid/postgres-migrations.yaml");
    let source = std::fs::read_to_string(path).expect("the fixture");
    let read = zave::validate(source.as_bytes(), ValidateOptions::default()).expect("valid");
    let mut answers = InitAnswers::from_contract(&read);
    let again = answers.contract_source();
    let rewritten = zave::validate(again.as_bytes(), ValidateOptions::default()).expect("valid");
    assert_eq!(rewritten.migrations, read.migrations, "{again}");
    assert!(read.migrations.is_some());

    answers
        .answer(Question::Persistence, "none")
        .expect("an offered value");
    let without = answers.contract_source();
    let rewritten = zave::validate(without.as_bytes(), ValidateOptions::default()).expect("valid");
    assert_eq!(rewritten.migrations, None, "{without}");
}

#[test]
fn the_scaffold_is_the_same_every_time() {
    let flags = [
        (Question::Persistence, "postgres"),
        (Question::Capability, "tracing"),
    ];
    assert_eq!(repository("a", &flags), repository("a", &flags));
}
