//! Regression tests of the network boundary, as a NetworkPolicy analyzer saw rendered
//! multi-tenant trees: a caller reaches the tenants it names, the provisioning Job is fenced
//! in, no tenant name turns a Job into a database server, and the profile's DNS port is used.

use serde_json::Value as Json;
use zave::{FileKind, Profile, RenderInputs};
use zave_conformance::PROFILES;

/// Every object a contract renders to under `profile`, read back as data.
fn objects(contract: &str, profile: &Profile) -> Vec<Json> {
    let rendered = zave::render(contract.as_bytes(), profile, RenderInputs::default())
        .unwrap_or_else(|d| panic!("{contract} renders: {d:?}"));
    rendered
        .files
        .iter()
        .filter(|f| f.kind == FileKind::Object)
        .map(|f| serde_yaml::from_str(&f.content).expect("YAML"))
        .collect()
}

fn contract(name: &str, exposure: &str, extra: &str) -> String {
    format!(
        "apiVersion: zave.io/v1\nkind: Workload\nmetadata:\n  name: {name}\nspec:\n  runtime: container\n  exposure: {exposure}\n  delivery: rolling\n  resources:\n    tier: standard\n{extra}"
    )
}

fn builtin(name: &str) -> &'static Profile {
    Profile::builtin(name).expect("built-in profile")
}

fn find<'a>(objects: &'a [Json], kind: &str, name: &str) -> &'a Json {
    objects
        .iter()
        .find(|o| o["kind"] == kind && o["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} {name}"))
}

/// Whether `selector`'s matchLabels all hold in `labels`.
fn matches(selector: &Json, labels: &Json) -> bool {
    selector["matchLabels"]
        .as_object()
        .is_some_and(|wanted| wanted.iter().all(|(key, value)| &labels[key] == value))
}

/// Issue 15, case 1: `internal-http` and `grpc` tenants are reached by the tenants that name
/// them, on the callee's named ports, in the callee's namespace.
#[test]
fn a_caller_reaches_the_tenants_it_names_on_their_named_ports() {
    for profile in PROFILES {
        let profile = builtin(profile);
        let caller = objects(
            &contract(
                "checkout",
                "public-http",
                "  dependencies:\n    - workload: ledger\n    - workload: search\n",
            ),
            profile,
        );
        let policy = find(&caller, "NetworkPolicy", "allow-to-dependencies");
        assert_eq!(policy["spec"]["policyTypes"], serde_json::json!(["Egress"]));
        let rules = policy["spec"]["egress"].as_array().expect("egress rules");
        assert_eq!(rules.len(), 2, "one rule per dependency");
        for (callee, exposure, port) in [
            ("ledger", "grpc", "grpc"),
            ("search", "internal-http", "http"),
        ] {
            let objects = objects(&contract(callee, exposure, ""), profile);
            let namespace = find(&objects, "Namespace", &format!("ns-{callee}"));
            let pod = &find(&objects, "Deployment", callee)["spec"]["template"];
            let rule = rules
                .iter()
                .find(|rule| matches(&rule["to"][0]["podSelector"], &pod["metadata"]["labels"]))
                .unwrap_or_else(|| panic!("no egress rule selects {callee}'s pods"));
            assert_eq!(
                rule["to"][0]["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"],
                namespace["metadata"]["name"]
            );
            let ports: Vec<&Json> = rule["ports"]
                .as_array()
                .expect("ports")
                .iter()
                .map(|p| &p["port"])
                .collect();
            assert_eq!(ports, [&Json::from("http"), &Json::from("grpc")]);
            let container_ports = &pod["spec"]["containers"][0]["ports"];
            assert!(
                container_ports
                    .as_array()
                    .expect("ports")
                    .iter()
                    .any(|p| p["name"] == port),
                "{callee} serves the named port {port}"
            );
            // The callee still allows every tenant namespace in.
            find(&objects, "NetworkPolicy", "allow-from-tenants");
        }
        let deployment = find(&caller, "Deployment", "checkout");
        let env = &deployment["spec"]["template"]["spec"]["containers"][0]["env"];
        let value = |name: &str| {
            env.as_array()
                .expect("env")
                .iter()
                .find(|e| e["name"] == name)
                .map(|e| e["value"].clone())
        };
        assert_eq!(
            value("LEDGER_HOST"),
            Some(Json::from("ledger.ns-ledger.svc"))
        );
        assert_eq!(
            value("SEARCH_HOST"),
            Some(Json::from("search.ns-search.svc"))
        );
    }
}

/// The Job's pods, its policy, and every other policy of the render.
fn job_and_policies(objects: &[Json]) -> (Json, &Json, Vec<&Json>) {
    let job = objects
        .iter()
        .find(|o| o["kind"] == "Job")
        .expect("a provisioning Job");
    let labels = job["spec"]["template"]["metadata"]["labels"].clone();
    let policies: Vec<&Json> = objects
        .iter()
        .filter(|o| o["kind"] == "NetworkPolicy")
        .collect();
    let own = policies
        .iter()
        .copied()
        .find(|p| {
            p["metadata"]["name"]
                .as_str()
                .is_some_and(|n| n.ends_with("-db-provision"))
        })
        .expect("the Job's NetworkPolicy");
    (labels, own, policies)
}

/// Issue 15, case 2: the provisioning Job has a NetworkPolicy of its own: no ingress, egress to
/// DNS and its database server only.
#[test]
fn the_provisioning_job_reaches_dns_and_its_server_only() {
    for profile_name in PROFILES {
        let profile = builtin(profile_name);
        for engine in ["postgres", "mysql", "redis"] {
            let objects = objects(
                &contract(
                    "payments",
                    "internal-http",
                    &format!("  persistence:\n    engine: {engine}\n"),
                ),
                profile,
            );
            let (labels, policy, _) = job_and_policies(&objects);
            let spec = &policy["spec"];
            assert_eq!(
                policy["metadata"]["namespace"],
                profile.spec.gitops.platform_namespace.as_str()
            );
            assert!(
                matches(&spec["podSelector"], &labels),
                "it selects the Job's pods"
            );
            assert_eq!(
                spec["policyTypes"],
                serde_json::json!(["Ingress", "Egress"])
            );
            assert!(
                spec.get("ingress").is_none(),
                "no ingress rule: all ingress denied"
            );
            let egress = spec["egress"].as_array().expect("egress");
            assert_eq!(
                egress.len(),
                2,
                "{profile_name}/{engine}: DNS and the server"
            );
            let dns = &profile.spec.dns;
            let dns_port = i64::from(dns.port.unwrap_or(53));
            assert_eq!(egress[0]["ports"][0]["port"], dns_port);
            assert_eq!(
                egress[0]["to"][0]["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"],
                dns.namespace.as_deref().unwrap_or_default()
            );
            let databases = &profile.spec.databases;
            let server = match engine {
                "postgres" => databases.postgres.as_ref(),
                "mysql" => databases.mysql.as_ref(),
                _ => databases.redis.as_ref(),
            }
            .expect("the profile offers the engine");
            let peer = server.server_network.as_ref().unwrap_or(&server.network);
            assert_eq!(
                egress[1]["ports"][0]["port"],
                i64::from(server.port),
                "the server's own port, not the pooler's"
            );
            match &peer.cidr {
                Some(cidr) => assert_eq!(egress[1]["to"][0]["ipBlock"]["cidr"], cidr.as_str()),
                None => assert_eq!(
                    egress[1]["to"][0]["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"],
                    peer.namespace.as_deref().unwrap_or_default()
                ),
            }
            assert!(
                server.pooler.is_none() || peer.cidr.is_some(),
                "{profile_name}: the Job bypasses the pooler"
            );
        }
    }
}

/// Every pod selector of a database server in every profile we ship or test with.
fn database_selectors() -> Vec<Json> {
    let mut profiles: Vec<Profile> = PROFILES.iter().map(|p| builtin(p).clone()).collect();
    for file in ["gateway", "restricted"] {
        let path = zave_conformance::fixture(&format!("profiles/valid/{file}.yaml"));
        let text = std::fs::read(path).expect("profile fixture");
        profiles.push(Profile::from_yaml(&text).expect("valid profile"));
    }
    let mut selectors = Vec::new();
    for profile in &profiles {
        let databases = &profile.spec.databases;
        for server in [&databases.postgres, &databases.mysql, &databases.redis]
            .into_iter()
            .flatten()
        {
            for peer in [Some(&server.network), server.server_network.as_ref()]
                .into_iter()
                .flatten()
            {
                if !peer.pod_labels.is_empty() {
                    selectors.push(serde_json::json!({ "matchLabels": peer.pod_labels }));
                }
            }
        }
    }
    assert!(!selectors.is_empty());
    selectors
}

/// Issue 15, case 3: a tenant named like a database server does not give its Job's pods the
/// labels the database selectors match, nor labels a tenant's selector matches.
#[test]
fn a_tenant_named_like_a_database_server_does_not_make_its_job_one() {
    let selectors = database_selectors();
    for name in ["pgbouncer", "redis", "mariadb"] {
        for engine in ["postgres", "mysql", "redis"] {
            let mut rendered = 0;
            for profile in PROFILES {
                let source = contract(
                    name,
                    "internal-http",
                    &format!("  persistence:\n    engine: {engine}\n"),
                );
                // A profile may refuse the name itself (a reserved selector value).
                let Ok(render) =
                    zave::render(source.as_bytes(), builtin(profile), RenderInputs::default())
                else {
                    continue;
                };
                rendered += 1;
                let objects: Vec<Json> = render
                    .files
                    .iter()
                    .filter(|f| f.kind == FileKind::Object)
                    .map(|f| serde_yaml::from_str(&f.content).expect("YAML"))
                    .collect();
                let (labels, _, policies) = job_and_policies(&objects);
                assert_eq!(labels["app.kubernetes.io/name"], "zave-db-provisioner");
                for selector in &selectors {
                    assert!(
                        !matches(selector, &labels),
                        "{name}/{engine}: {selector} matches {labels}"
                    );
                }
                // Only the Job's own policy selects on the tenant's name.
                for (key, value) in labels.as_object().expect("labels") {
                    assert!(
                        value != name || key == "zave.io/provisions",
                        "{name}: label {key} carries the tenant's name"
                    );
                }
                assert!(
                    labels.get("zave.io/workload").is_none(),
                    "no tenant selector matches"
                );
                assert!(policies.iter().all(|p| {
                    p["metadata"]["namespace"] != "zave-platform"
                        || p["metadata"]["name"]
                            .as_str()
                            .is_some_and(|n| n.ends_with("-db-provision"))
                }));
            }
            assert!(
                rendered > 0,
                "{name}/{engine} renders under some built-in profile"
            );
        }
    }
}

/// Issue 15, case 4: the profile's `dns.port` is the port of every DNS rule.
#[test]
fn the_profiles_dns_port_is_used() {
    let source = Profile::builtin_source("kind").expect("kind");
    let custom = source.replacen(
        "    k8s-app: kube-dns\n    port: 53\n",
        "    k8s-app: kube-dns\n    port: 5353\n",
        1,
    );
    assert_ne!(custom, source, "the DNS port is in kind's profile");
    let profile = Profile::from_yaml(custom.as_bytes()).expect("valid profile");
    let objects = objects(
        &contract(
            "payments",
            "internal-http",
            "  persistence:\n    engine: postgres\n",
        ),
        &profile,
    );
    let allow_dns = find(&objects, "NetworkPolicy", "allow-dns");
    let (_, job_policy, _) = job_and_policies(&objects);
    for rule in [
        &allow_dns["spec"]["egress"][0],
        &job_policy["spec"]["egress"][0],
    ] {
        let ports: Vec<(i64, &str)> = rule["ports"]
            .as_array()
            .expect("ports")
            .iter()
            .map(|p| {
                (
                    p["port"].as_i64().unwrap_or(0),
                    p["protocol"].as_str().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(ports, [(5353, "UDP"), (5353, "TCP")]);
    }
}
