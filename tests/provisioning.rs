//! The provisioning script each engine gets under each built-in profile, reviewed as text, and
//! the provisioning objects' invariants: platform namespace only, no secret value, a Job name
//! that follows the script.

use zave::{Profile, RenderInputs};
use zave_conformance::{PROFILES, fixture};

/// One fixture per engine: PostgreSQL, MySQL, Redis.
const CONTRACTS: &[&str] = &[
    "contracts/platform/payments-api.yaml",
    "contracts/valid/async-mysql-large.yaml",
    "contracts/valid/grpc-redis.yaml",
];

fn plan_text(contract: &str, profile: &Profile) -> String {
    let bytes = std::fs::read(fixture(contract)).expect("fixture");
    match zave::plan(&bytes, profile, RenderInputs::default()) {
        Ok(plan) => plan
            .provision_script()
            .expect("the contract has a database")
            .to_text(),
        Err(diagnostics) => format!(
            "refused\n\n{}",
            diagnostics.to_text(contract, None, zave::TextStyle::Plain)
        ),
    }
}

fn plan_engine(contract: &str) -> zave::contract::model::Engine {
    use zave::contract::model::Engine;
    match contract {
        c if c.contains("mysql") => Engine::Mysql,
        c if c.contains("redis") => Engine::Redis,
        _ => Engine::Postgres,
    }
}

#[test]
fn provisioning_scripts_under_every_profile() {
    for profile_name in PROFILES {
        let profile = Profile::builtin(profile_name).expect("built-in profile");
        for contract in CONTRACTS {
            let stem = contract.rsplit('/').next().unwrap_or_default();
            insta::assert_snapshot!(
                format!("{profile_name}@{stem}"),
                plan_text(contract, profile)
            );
        }
    }
}

#[test]
fn provisioning_objects_stay_in_the_platform_namespace_and_name_the_script() {
    for profile_name in PROFILES {
        let profile = Profile::builtin(profile_name).expect("built-in profile");
        let platform = &profile.spec.gitops.platform_namespace;
        for contract in CONTRACTS {
            let bytes = std::fs::read(fixture(contract)).expect("fixture");
            let Ok(plan) = zave::plan(&bytes, profile, RenderInputs::default()) else {
                continue;
            };
            let script = plan.provision_script().expect("a database");
            let rendered = plan.render().expect("renders");
            let manifests = rendered.manifests();
            let provisioning: Vec<_> = manifests
                .iter()
                .filter(|m| {
                    matches!(
                        m.object.kind(),
                        "Password" | "PushSecret" | "ConfigMap" | "Job"
                    ) || m.object.name().ends_with("-db-provision")
                })
                .collect();
            assert!(provisioning.len() >= 5, "{contract} under {profile_name}");
            for manifest in &provisioning {
                assert_eq!(manifest.zone, zave::manifest::Zone::Platform);
                assert_eq!(
                    manifest.object.metadata().namespace.as_deref(),
                    Some(platform.as_str()),
                    "{} must run in the platform namespace",
                    manifest.object.name()
                );
            }
            // The admin credentials are read only in the platform namespace.
            let engine = plan_engine(contract);
            let admin_key = &zave::profile::server(profile, engine)
                .expect("offered")
                .admin_secret_key;
            let readers: Vec<_> = rendered
                .files
                .iter()
                .filter(|f| f.content.contains(admin_key.as_str()))
                .map(|f| f.path.as_str())
                .collect();
            assert_eq!(readers.len(), 1, "{readers:?}");
            assert!(readers[0].ends_with("-db-provision.yaml"), "{readers:?}");
            assert!(readers[0].contains("/platform/tenants/"), "{readers:?}");
            // Each script file is a literal block, so a changed script is a line diff in review.
            let config_map = rendered
                .files
                .iter()
                .find(|f| f.path.contains("/configmap-"))
                .expect("a ConfigMap file");
            for (file, _) in &script.files {
                assert!(
                    config_map.content.contains(&format!("  {file}: |\n")),
                    "{file} is not a literal block in {}",
                    config_map.path
                );
            }
            let job = provisioning
                .iter()
                .find(|m| m.object.kind() == "Job")
                .expect("a Job");
            let name = job.object.name();
            assert!(name.len() <= 63, "{name}");
            assert!(
                name.starts_with(&format!("{}-db-init-", rendered.name)),
                "{name}"
            );
            assert_ne!(
                name,
                format!("{}-db-init-{}", rendered.name, script.short_hash()),
                "the Job's hash covers the image as well as the script"
            );
        }
    }
}

#[test]
fn a_changed_script_is_a_new_job_and_the_same_script_the_same_job() {
    let job_name = |limit: u32| {
        let mut profile = Profile::builtin("aws").expect("aws").clone();
        profile.spec.tiers.standard.db_connection_limit = limit;
        let bytes = std::fs::read(fixture(CONTRACTS[0])).expect("fixture");
        let rendered = zave::render(&bytes, &profile, RenderInputs::default()).expect("renders");
        rendered
            .manifests()
            .iter()
            .find(|m| m.object.kind() == "Job")
            .map(|m| m.object.name().to_owned())
            .expect("a Job")
    };
    assert_eq!(job_name(25), job_name(25));
    assert_ne!(job_name(25), job_name(40));
}
