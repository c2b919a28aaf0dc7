//! Properties of every render: deterministic bytes, portable environments, the labels and
//! annotations of the specification, restricted pods, no secret data, valid names, and YAML
//! that reads back as the objects it was written from.

use std::collections::BTreeSet;

use proptest::prelude::*;
use serde_json::Value as Json;
use zave::{FileKind, Profile, RenderInputs, Rendered};
use zave_conformance::{PROFILES, valid_contract};

fn render(contract: &Json, profile: &str) -> Option<Rendered> {
    let text = serde_json::to_string(contract).expect("contract as JSON");
    let profile = Profile::builtin(profile).expect("built-in profile");
    zave::render(text.as_bytes(), profile, RenderInputs::default()).ok()
}

/// Every object file of a render, read back as data.
fn objects(rendered: &Rendered) -> Vec<Json> {
    rendered
        .files
        .iter()
        .filter(|f| f.kind == FileKind::Object)
        .map(|f| {
            serde_yaml::from_str(&f.content)
                .unwrap_or_else(|e| panic!("{}: {e}\n{}", f.path, f.content))
        })
        .collect()
}

fn deployment(rendered: &Rendered) -> Json {
    objects(rendered)
        .into_iter()
        .find(|o| o["kind"] == "Deployment")
        .expect("every workload has a Deployment")
}

/// What the portability invariant keeps equal: environment names, secret names, ports.
fn surface(rendered: &Rendered) -> (Vec<String>, BTreeSet<String>, Vec<(String, i64)>) {
    let pod = &deployment(rendered)["spec"]["template"]["spec"];
    let container = &pod["containers"][0];
    let env: Vec<String> = container["env"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["name"].as_str().map(str::to_owned))
        .collect();
    let mut secrets = BTreeSet::new();
    for e in container["env"].as_array().into_iter().flatten() {
        if let Some(name) = e["valueFrom"]["secretKeyRef"]["name"].as_str() {
            secrets.insert(name.to_owned());
        }
    }
    for e in container["envFrom"].as_array().into_iter().flatten() {
        if let Some(name) = e["secretRef"]["name"].as_str() {
            secrets.insert(name.to_owned());
        }
    }
    let ports = container["ports"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                p["name"].as_str().unwrap_or_default().to_owned(),
                p["containerPort"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    (env, secrets, ports)
}

fn is_dns_label(name: &str) -> bool {
    (1..=63).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

/// Whether a line of a provisioning script that sets a password takes it from a variable:
/// psql's `:'app_password'`, MySQL's `QUOTE(@app_password)`, Redis's `#$hash` of it (a Redis
/// password rule is a word starting with `>` or `#`).
fn passwords_come_from_the_environment(line: &str) -> bool {
    if line.contains(" PASSWORD ") {
        return line.contains("PASSWORD :'");
    }
    if line.contains("IDENTIFIED BY") {
        return line.contains("QUOTE(@app_password)");
    }
    let trimmed = line.trim_start();
    if trimmed.starts_with('#') {
        return true; // a shell comment
    }
    !line
        .split_whitespace()
        .map(|word| word.trim_matches(|c| c == '\'' || c == '"'))
        .any(|word| {
            (word.starts_with('>') && !word.starts_with(">&"))
                || (word.starts_with('#') && word != "#$hash")
        })
}

#[test]
fn a_written_password_is_caught() {
    for line in [
        "ALTER ROLE \"a_app\" WITH LOGIN PASSWORD 'hunter2hunter2'",
        "CREATE USER 'a_app'@'%' IDENTIFIED BY 'hunter2'",
        "  ACL SETUSER 'a' reset on '>hunter2' '~a:*'",
        "  ACL SETUSER 'a' reset on #2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b",
    ] {
        assert!(!passwords_come_from_the_environment(line), "{line}");
    }
    assert!(passwords_come_from_the_environment("  echo \"failed\" >&2"));
}

/// The dependencies' `_HOST` variables of a render's container (the database's `DB_HOST` and
/// flagd's `FLAGD_HOST` aside), in order.
fn host_variables(rendered: &Rendered) -> Vec<String> {
    surface(rendered)
        .0
        .into_iter()
        .filter(|name| name.ends_with("_HOST") && name != "DB_HOST" && name != "FLAGD_HOST")
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_dependency_is_one_egress_rule_and_one_host_variable(contract in valid_contract()) {
        let called: Vec<String> = contract["spec"]["dependencies"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|d| d["workload"].as_str().map(str::to_owned))
            .collect();
        let mut hosts = Vec::new();
        for profile in PROFILES {
            let Some(rendered) = render(&contract, profile) else { continue };
            let objects = objects(&rendered);
            let rules: Vec<&Json> = objects
                .iter()
                .filter(|o| o["kind"] == "NetworkPolicy")
                .flat_map(|o| o["spec"]["egress"].as_array().into_iter().flatten())
                .filter(|rule| rule["to"][0]["podSelector"]["matchLabels"]["zave.io/workload"].is_string())
                .collect();
            prop_assert_eq!(rules.len(), called.len());
            for (rule, workload) in rules.iter().zip(&called) {
                prop_assert_eq!(&rule["to"][0]["podSelector"]["matchLabels"]["app.kubernetes.io/name"], workload.as_str());
                prop_assert_eq!(&rule["ports"][0]["port"], "http");
                prop_assert_eq!(&rule["ports"][1]["port"], "grpc");
            }
            let variables = host_variables(&rendered);
            let expected: Vec<String> = called
                .iter()
                .map(|w| format!("{}_HOST", w.to_uppercase().replace('-', "_")))
                .collect();
            prop_assert_eq!(&variables, &expected);
            hosts.push(variables);
        }
        // The names are the same under every profile.
        prop_assert!(hosts.windows(2).all(|pair| pair[0] == pair[1]));
    }

    #[test]
    fn rendering_twice_gives_identical_bytes(contract in valid_contract()) {
        for profile in PROFILES {
            let first = render(&contract, profile);
            let second = render(&contract, profile);
            prop_assert_eq!(first.map(|r| r.files), second.map(|r| r.files));
        }
    }

    #[test]
    fn data_without_positions_renders_the_bytes_its_text_does(contract in valid_contract()) {
        let document = zave::document::from_json(&contract).expect("a generated contract is shallow");
        for profile in PROFILES {
            let from_text = render(&contract, profile).map(|r| r.files);
            let builtin = Profile::builtin(profile).expect("built-in profile");
            let from_data = zave::render_document(&document, builtin, RenderInputs::default())
                .ok()
                .map(|r| r.files);
            prop_assert_eq!(from_text, from_data);
        }
    }

    #[test]
    fn environment_secrets_and_ports_are_portable(contract in valid_contract()) {
        let renders: Vec<(&str, Rendered)> = PROFILES
            .iter()
            .filter_map(|profile| Some((*profile, render(&contract, profile)?)))
            .collect();
        prop_assert!(renders.iter().any(|(profile, _)| *profile == "kind"), "kind allows every valid contract");
        let (_, reference) = &renders[0];
        let injected = |r: &Rendered| r.findings.iter().any(|f| f.code.as_str() == "W003");
        for (profile, rendered) in &renders[1..] {
            let (mut env, secrets, mut ports) = surface(rendered);
            if injected(rendered) {
                // The profile's one declared difference: it injects `metrics` (W003).
                prop_assert!(env.contains(&"METRICS_PORT".to_owned()), "{profile}");
                env.retain(|name| name != "METRICS_PORT");
                ports.retain(|(name, _)| name != "metrics");
            }
            let (reference_env, reference_secrets, reference_ports) = surface(reference);
            prop_assert_eq!(&env, &reference_env, "environment names under {}", profile);
            prop_assert_eq!(&secrets, &reference_secrets, "secret names under {}", profile);
            prop_assert_eq!(&ports, &reference_ports, "ports under {}", profile);
        }
    }

    #[test]
    fn every_object_carries_the_labels_and_annotations(contract in valid_contract()) {
        let name = contract["metadata"]["name"].as_str().unwrap_or_default().to_owned();
        for profile in PROFILES {
            let Some(rendered) = render(&contract, profile) else { continue };
            for object in objects(&rendered) {
                let labels = &object["metadata"]["labels"];
                prop_assert_eq!(&labels["app.kubernetes.io/name"], &Json::from(name.clone()));
                prop_assert_eq!(&labels["app.kubernetes.io/part-of"], &Json::from(name.clone()));
                prop_assert_eq!(&labels["app.kubernetes.io/managed-by"], &Json::from("zave"));
                prop_assert_eq!(&labels["zave.io/workload"], &Json::from(name.clone()));
                prop_assert_eq!(&labels["zave.io/tenant"], &Json::from("true"));
                let annotations = &object["metadata"]["annotations"];
                prop_assert_eq!(&annotations["zave.io/contract-hash"], &Json::from(rendered.hash.to_string()));
                prop_assert_eq!(&annotations["zave.io/generator-version"], &Json::from(zave::VERSION));
                prop_assert_eq!(&annotations["zave.io/profile"], &Json::from(*profile));
                prop_assert!(annotations["zave.io/platform-bundle"].is_string());
            }
        }
    }

    #[test]
    fn every_pod_meets_the_restricted_standard(contract in valid_contract()) {
        for profile in PROFILES {
            let Some(rendered) = render(&contract, profile) else { continue };
            let pod = deployment(&rendered)["spec"]["template"]["spec"].clone();
            prop_assert_eq!(&pod["securityContext"]["runAsNonRoot"], &Json::Bool(true));
            prop_assert_eq!(&pod["securityContext"]["seccompProfile"]["type"], &Json::from("RuntimeDefault"));
            prop_assert_eq!(&pod["automountServiceAccountToken"], &Json::Bool(false));
            for forbidden in ["hostNetwork", "hostPID", "hostIPC"] {
                prop_assert!(pod[forbidden].is_null() || pod[forbidden] == Json::Bool(false));
            }
            for volume in pod["volumes"].as_array().into_iter().flatten() {
                prop_assert!(volume["hostPath"].is_null(), "no hostPath volumes");
            }
            let init_containers = pod["initContainers"].as_array().into_iter().flatten();
            for container in pod["containers"].as_array().into_iter().flatten().chain(init_containers) {
                let security = &container["securityContext"];
                prop_assert_eq!(&security["allowPrivilegeEscalation"], &Json::Bool(false));
                prop_assert_eq!(&security["capabilities"]["drop"], &serde_json::json!(["ALL"]));
                prop_assert!(security["capabilities"]["add"].is_null());
                prop_assert_eq!(&security["runAsNonRoot"], &Json::Bool(true));
                prop_assert_eq!(&security["readOnlyRootFilesystem"], &Json::Bool(true));
                prop_assert!(security["privileged"].is_null() || security["privileged"] == Json::Bool(false));
                prop_assert!(container["resources"]["limits"]["memory"].is_string());
            }
            // A native sidecar (flagd) is an init container that keeps running: it must say
            // when it is ready, and it is the only kind of init container a workload gets.
            for sidecar in pod["initContainers"].as_array().into_iter().flatten() {
                prop_assert_eq!(&sidecar["restartPolicy"], &Json::from("Always"));
                prop_assert!(sidecar["readinessProbe"].is_object());
            }
        }
    }

    #[test]
    fn no_secret_values_and_only_valid_names(contract in valid_contract()) {
        for profile in PROFILES {
            let Some(rendered) = render(&contract, profile) else { continue };
            for object in objects(&rendered) {
                prop_assert_ne!(&object["kind"], &Json::from("Secret"), "zave renders references, never Secrets");
                prop_assert!(object["stringData"].is_null());
                let data = object["data"].as_object();
                if object["kind"] == "ConfigMap" && data.is_some_and(|d| d.contains_key("databases.ini")) {
                    // The pooler entry: a connection line without credentials, a login name
                    // and the store key (never the value) of its password.
                    let keys: Vec<&str> = data.into_iter().flatten().map(|(k, _)| k.as_str()).collect();
                    prop_assert_eq!(keys, ["databases.ini", "passwordKey", "user"]);
                    let line = object["data"]["databases.ini"].as_str().unwrap_or_default();
                    prop_assert!(!line.contains("password") && !line.contains("user="), "{}", line);
                    let key = object["data"]["passwordKey"].as_str().unwrap_or_default();
                    prop_assert!(key.starts_with("tenants/") && key.ends_with("/db"), "{}", key);
                } else if object["kind"] == "ConfigMap" && data.is_some_and(|d| d.contains_key("flags.json")) {
                    // The flag set: flagd's JSON and nothing else.
                    let keys: Vec<&str> = data.into_iter().flatten().map(|(k, _)| k.as_str()).collect();
                    prop_assert_eq!(keys, ["flags.json"]);
                    let set: Json = serde_json::from_str(object["data"]["flags.json"].as_str().unwrap_or_default())
                        .map_err(|e| TestCaseError::fail(e.to_string()))?;
                    prop_assert!(set["flags"].is_object());
                } else if object["kind"] == "ConfigMap" {
                    // The provisioning script: passwords only as variables read at run time.
                    for (file, text) in object["data"].as_object().into_iter().flatten() {
                        let text = text.as_str().unwrap_or_default();
                        prop_assert!(["run.sh", "provision.sql"].contains(&file.as_str()));
                        for line in text.lines().filter(|l| !l.trim_start().starts_with("--")) {
                            prop_assert!(passwords_come_from_the_environment(line), "{}: {}", file, line);
                        }
                    }
                } else {
                    prop_assert!(object["data"].is_null());
                }
                let name = object["metadata"]["name"].as_str().unwrap_or_default();
                prop_assert!(is_dns_label(name), "{} is not a valid name", name);
                if let Some(namespace) = object["metadata"]["namespace"].as_str() {
                    prop_assert!(is_dns_label(namespace), "{} is not a valid namespace", namespace);
                }
                for (key, value) in object["metadata"]["labels"].as_object().into_iter().flatten() {
                    let value = value.as_str().unwrap_or_default();
                    prop_assert!(value.len() <= 63, "label {}={} is too long", key, value);
                }
            }
        }
    }

    #[test]
    fn files_read_back_as_the_objects_they_were_written_from(contract in valid_contract()) {
        for profile in PROFILES {
            let Some(rendered) = render(&contract, profile) else { continue };
            let written: Vec<Json> = objects(&rendered);
            let typed: Vec<Json> = rendered
                .manifests()
                .iter()
                .map(|m| serde_json::to_value(&m.object).expect("object as JSON"))
                .collect();
            prop_assert_eq!(written, typed);
        }
    }
}

/// Reads a file's YAML (after zave's header line) into the k8s-openapi type of its kind and
/// writes that object again with zave's emitter: the typed objects are the reference for
/// whatever path wrote the bytes. Custom resources have no k8s-openapi type; they go through
/// untyped data, which still proves the document is exactly what its YAML says.
fn through_the_typed_object(kind: &str, yaml: &str) -> Result<String, String> {
    use k8s_openapi::api::apps::v1::Deployment;
    use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
    use k8s_openapi::api::batch::v1::Job;
    use k8s_openapi::api::core::v1::{
        ConfigMap, LimitRange, Namespace, ResourceQuota, Service, ServiceAccount,
    };
    use k8s_openapi::api::networking::v1::{Ingress, NetworkPolicy};
    use k8s_openapi::api::policy::v1::PodDisruptionBudget;

    fn again<T: serde::de::DeserializeOwned + serde::Serialize>(
        yaml: &str,
    ) -> Result<String, String> {
        let object: T = serde_yaml::from_str(yaml).map_err(|e| e.to_string())?;
        zave::yaml::to_yaml(&object).map_err(|e| e.to_string())
    }
    match kind {
        "Namespace" => again::<Namespace>(yaml),
        "ResourceQuota" => again::<ResourceQuota>(yaml),
        "LimitRange" => again::<LimitRange>(yaml),
        "NetworkPolicy" => again::<NetworkPolicy>(yaml),
        "ServiceAccount" => again::<ServiceAccount>(yaml),
        "ConfigMap" => again::<ConfigMap>(yaml),
        "Job" => again::<Job>(yaml),
        "Deployment" => again::<Deployment>(yaml),
        "Service" => again::<Service>(yaml),
        "Ingress" => again::<Ingress>(yaml),
        "HorizontalPodAutoscaler" => again::<HorizontalPodAutoscaler>(yaml),
        "PodDisruptionBudget" => again::<PodDisruptionBudget>(yaml),
        _ => Err(format!("no k8s-openapi type for {kind}")),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_built_in_kind_reads_into_its_k8s_openapi_type_and_writes_back_the_same(
        contract in valid_contract()
    ) {
        for profile in PROFILES {
            let Some(rendered) = render(&contract, profile) else { continue };
            let mut typed = 0;
            for file in rendered.files.iter().filter(|f| f.kind == FileKind::Object) {
                let Some((_, body)) = file.content.split_once('\n') else {
                    panic!("{}: no header line", file.path)
                };
                let Some(kind) = body.lines().find_map(|line| line.strip_prefix("kind: ")) else {
                    panic!("{}: no kind\n{body}", file.path)
                };
                match through_the_typed_object(kind, body) {
                    Ok(again) => {
                        typed += 1;
                        prop_assert_eq!(&again, body, "{} under {}", file.path, profile);
                    }
                    Err(reason) if reason.starts_with("no k8s-openapi type") => {}
                    Err(reason) => panic!("{}: {reason}\n{}", file.path, body),
                }
            }
            prop_assert!(typed >= 8, "only {typed} objects under {profile} had a k8s-openapi type");
        }
    }
}
