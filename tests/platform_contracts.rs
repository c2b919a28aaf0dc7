//! The platform's real contracts validate (or fail) exactly as `fixtures/contracts/platform/README.md` says.

use zave::ValidateOptions;
use zave_conformance::{codes, fixture, fixtures_in};

/// Each real contract, whether it is valid, and the codes of its findings.
const EXPECTED: &[(&str, bool, &[&str])] = &[
    ("example-tenant.yaml", true, &["W001", "W002"]),
    ("mia.yaml", true, &[]),
    ("ml-model-training.yaml", true, &[]),
    ("oracle-reserved-runtime.yaml", false, &["Z201"]),
    ("oracle.yaml", true, &["W002"]),
    ("panchito.yaml", true, &["W002"]),
    ("payments-api-minimal.yaml", true, &["W002"]),
    ("payments-api.yaml", true, &[]),
    ("thehouseguy.yaml", true, &["W002"]),
    ("xavierlopez-me.yaml", true, &["W002"]),
];

#[test]
fn every_platform_contract_has_its_expected_outcome() {
    let files = fixtures_in("contracts/platform");
    assert_eq!(
        files.len(),
        EXPECTED.len(),
        "every platform contract is listed here"
    );
    for (name, valid, expected_codes) in EXPECTED {
        let bytes =
            std::fs::read(fixture(&format!("contracts/platform/{name}"))).expect("readable");
        let outcome = zave::validate(&bytes, ValidateOptions::default());
        assert_eq!(outcome.is_ok(), *valid, "{name}: {outcome:#?}");
        assert_eq!(codes(&outcome), *expected_codes, "{name}");
    }
}

#[test]
fn mia_declares_postgres_metrics_and_tracing() {
    let bytes = std::fs::read(fixture("contracts/platform/mia.yaml")).expect("readable");
    let checked = zave::validate(&bytes, ValidateOptions::default()).expect("valid");
    assert_eq!(
        checked.engine,
        Some(zave::contract::model::Engine::Postgres)
    );
    let names: Vec<&str> = checked.capabilities.iter().map(|c| c.as_str()).collect();
    assert_eq!(names, ["metrics", "tracing"]);
}

#[test]
fn oracle_is_a_worker_and_the_portfolio_is_static() {
    let read = |name: &str| {
        let bytes =
            std::fs::read(fixture(&format!("contracts/platform/{name}"))).expect("readable");
        zave::validate(&bytes, ValidateOptions::default()).expect("valid")
    };
    assert_eq!(
        read("oracle.yaml").exposure,
        zave::contract::model::Exposure::None
    );
    assert_eq!(
        read("xavierlopez-me.yaml").runtime,
        zave::contract::model::Runtime::Static
    );
}

#[test]
fn the_real_contracts_are_the_shared_ones_unchanged() {
    let shared = zave_conformance::repo_root().join("../shared/contracts");
    if !shared.is_dir() {
        // The shared folder sits beside a checkout (and CI's clone); elsewhere only the copies
        // exist, and this comparison cannot run.
        eprintln!("note: ../shared/contracts is not beside this checkout; copies not compared");
        return;
    }
    for path in fixtures_in("contracts/platform") {
        let name = path.file_name().expect("file name");
        let original = std::fs::read(shared.join(name)).expect("shared copy exists");
        assert_eq!(
            std::fs::read(&path).expect("readable"),
            original,
            "{name:?} drifted from shared/"
        );
    }
}
