//! The profile values of issue 15 items 5 and 6, each refused or accepted as the issue says,
//! with its code and the position of the value in the profile source.

use zave::{Code, Profile, RenderInputs, Severity};

/// The kind profile with `from` replaced by `to` (once; `from` must occur).
fn kind_with(from: &str, to: &str) -> String {
    let source = Profile::builtin_source("kind").expect("built-in kind");
    assert!(source.contains(from), "kind.yaml holds {from:?}");
    source.replacen(from, to, 1)
}

/// The 1-based line of the first line of `source` holding `needle`.
fn line_of(source: &str, needle: &str) -> u32 {
    let index = source.find(needle).expect("needle in source");
    u32::try_from(source[..index].matches('\n').count() + 1).expect("small")
}

/// Asserts the edited profile is refused with `code` at `path`, on the line holding `marker`.
fn refused(from: &str, to: &str, code: Code, path: &str, marker: &str) {
    let source = kind_with(from, to);
    let diagnostics = Profile::load(source.as_bytes(), true).expect_err("refused");
    let line = line_of(&source, marker);
    assert!(
        diagnostics.0.iter().any(|d| d.code == code
            && d.path == path
            && d.line == Some(line)
            && d.column.is_some()),
        "{to:?}: expected {code} at {path} line {line}, got {:#?}",
        diagnostics.0
    );
}

fn accepted(from: &str, to: &str) -> Profile {
    let source = kind_with(from, to);
    Profile::load(source.as_bytes(), true)
        .unwrap_or_else(|d| panic!("{to:?} must be accepted: {:#?}", d.0))
        .profile
}

const Z307: Code = Code::InvalidProfileValue;

#[test]
fn namespaces_with_spaces_empty_or_too_long_are_refused() {
    let platform = "platformNamespace: zave-platform";
    let path = "spec.gitops.platformNamespace";
    refused(
        platform,
        "platformNamespace: zave platform",
        Z307,
        path,
        "platformNamespace",
    );
    refused(
        platform,
        "platformNamespace: \"\"",
        Z307,
        path,
        "platformNamespace",
    );
    let long = format!("platformNamespace: {}", "a".repeat(64));
    refused(platform, &long, Z307, path, "platformNamespace");
    let pattern = "namespacePattern: ns-{name}";
    let spaced = "namespacePattern: \"my ns-{name}\"";
    refused(
        pattern,
        spaced,
        Z307,
        "spec.namespacePattern",
        "namespacePattern",
    );
    let too_long = format!("namespacePattern: {}-{{name}}", "a".repeat(23));
    refused(
        pattern,
        &too_long,
        Z307,
        "spec.namespacePattern",
        "namespacePattern",
    );
}

#[test]
fn label_and_annotation_keys_and_values_follow_kubernetes() {
    let release = "      release: kube-prometheus-stack";
    let labels = "spec.telemetry.serviceMonitorLabels";
    refused(
        release,
        "      has space: x",
        Z307,
        &format!("{labels}.has space"),
        "has space",
    );
    refused(
        release,
        "      release: two words",
        Z307,
        &format!("{labels}.release"),
        "two words",
    );
    let class = "    className: nginx\n";
    let annotated = "    className: nginx\n    annotations:\n      \"bad key!\": value\n";
    let path = "spec.ingress.annotations.bad key!";
    refused(class, annotated, Z307, path, "bad key!");
    let any_value = "    className: nginx\n    annotations:\n      example.com/note: \"any {text}\\n at all\"\n";
    accepted(class, any_value);
}

#[test]
fn quantities_follow_kubernetes_grammar() {
    let memory = "quota: {cpu: \"1\", memory: 512Mi, pods: 10}";
    let lots = "quota: {cpu: \"1\", memory: lots, pods: 10}";
    refused(
        memory,
        lots,
        Z307,
        "spec.tiers.small.quota.memory",
        "memory: lots",
    );
    accepted(memory, "quota: {cpu: \"1\", memory: 1.5Gi, pods: 10}");
    accepted(memory, "quota: {cpu: \"1\", memory: 1Pi, pods: 10}");
    accepted(
        memory,
        "quota: {cpu: \"1e3\", memory: \"128974848\", pods: 10}",
    );
}

#[test]
fn durations_follow_go() {
    let interval = "refreshInterval: 1h";
    accepted(interval, "refreshInterval: 1h30m");
    accepted(interval, "refreshInterval: 1.5h");
    let path = "spec.secrets.refreshInterval";
    refused(
        interval,
        "refreshInterval: 1 day",
        Z307,
        path,
        "refreshInterval",
    );
}

#[test]
fn address_blocks_are_parsed_and_everywhere_is_a_warning() {
    let block = "        cidr: 172.17.0.0/16\n        port: 5432";
    let path = "spec.databases.postgres.network.cidr";
    let broken = "        cidr: not-a-cidr\n        port: 5432";
    refused(block, broken, Z307, path, "not-a-cidr");
    let open = "        cidr: 0.0.0.0/0\n        port: 5432";
    refused(block, open, Code::OpenPeer, path, "0.0.0.0/0");
    let source = kind_with(block, open);
    let loaded = Profile::load(source.as_bytes(), false).expect("a warning only");
    assert_eq!(loaded.findings.len(), 1);
    assert_eq!(loaded.findings[0].code, Code::OpenPeer);
    assert_eq!(loaded.findings[0].severity, Severity::Warning);
    let six = "        cidr: ::/0\n        port: 5432";
    refused(block, six, Code::OpenPeer, path, "::/0");
}

#[test]
fn hosts_are_dns_subdomains_with_only_the_name_placeholder() {
    let host = "host: \"{name}.localtest.me\"";
    let path = "spec.ingress.host";
    for bad in [
        "host: \"{name}.localtest.me.\"".to_owned(),
        "host: \"{name}..localtest.me\"".to_owned(),
        "host: \"{name}.{other}.me\"".to_owned(),
        format!(
            "host: \"{{name}}.{}.me\"",
            vec!["a".repeat(60); 4].join(".")
        ),
    ] {
        refused(host, &bad, Z307, path, "host:");
    }
}

#[test]
fn peers_say_which_ports_and_are_one_thing() {
    let collector = "      port: 4317\n";
    let path = "spec.telemetry.collector";
    refused(
        collector,
        "",
        Code::AmbiguousPeer,
        path,
        "namespace: observability",
    );
    accepted(collector, "      allPorts: true\n");
    let block = "      network:\n        cidr: 172.17.0.0/16\n        port: 5432";
    let both = "      network:\n        namespace: databases\n        cidr: 172.17.0.0/16\n        port: 5432";
    let path = "spec.databases.postgres.network";
    refused(
        block,
        both,
        Code::AmbiguousPeer,
        path,
        "namespace: databases",
    );
}

#[test]
fn legitimate_values_the_old_patterns_refused_are_accepted() {
    accepted(
        "pathPrefix: clusters/kind",
        "pathPrefix: clusters/Kind-Local",
    );
    let shared = accepted("sharedDatabase: tenants", "sharedDatabase: shared-tenants");
    let contract = r#"{"apiVersion":"zave.io/v1","kind":"Workload","metadata":{"name":"shop"},
        "spec":{"runtime":"container","exposure":"internal-http","delivery":"rolling",
        "persistence":{"engine":"postgres"},"resources":{"tier":"small"}}}"#;
    let plan = zave::plan(contract.as_bytes(), &shared, RenderInputs::default())
        .expect("plans under the accepted profile");
    let script = plan.provision_script().expect("a database").to_text();
    assert!(
        script.contains("\"shared-tenants\""),
        "quoted as an identifier: {script}"
    );
}

#[test]
fn a_namespace_pattern_that_reaches_reserved_namespaces_is_refused() {
    let pattern = "namespacePattern: ns-{name}";
    let path = "spec.namespacePattern";
    for bad in [
        "\"{name}\"",
        "k{name}",
        "\"{name}-platform\"",
        "zave-{name}",
        "\"{name}-ns\"",
    ] {
        let line = format!("namespacePattern: {bad}");
        refused(
            pattern,
            &line,
            Code::ReservedNamespace,
            path,
            "namespacePattern",
        );
    }
    accepted(pattern, "namespacePattern: tenant-{name}");
    accepted(pattern, "namespacePattern: kube{name}");
}

#[test]
fn a_tenant_deriving_a_reserved_namespace_is_refused_at_render() {
    let mut profile = Profile::builtin("kind").expect("kind").clone();
    profile.spec.namespace_pattern = "{name}".to_owned();
    for name in ["kube-system", "zave-platform", "default", "ingress-nginx"] {
        let contract = format!(
            "apiVersion: zave.io/v1\nkind: Workload\nmetadata:\n  name: {name}\nspec:\n  runtime: container\n  exposure: none\n  delivery: rolling\n  resources:\n    tier: small\n"
        );
        let refused = zave::render(contract.as_bytes(), &profile, RenderInputs::default())
            .expect_err("refused");
        let finding = refused
            .0
            .iter()
            .find(|d| d.code == Code::ReservedNamespace)
            .unwrap_or_else(|| panic!("{name}: {:#?}", refused.0));
        assert_eq!(
            (finding.path.as_str(), finding.line, finding.column),
            ("metadata.name", Some(4), Some(9))
        );
    }
}

#[test]
fn a_tenant_named_like_a_platform_selector_is_refused_at_render() {
    let profile = Profile::builtin("aws").expect("aws");
    let contract = "apiVersion: zave.io/v1\nkind: Workload\nmetadata:\n  name: pgbouncer\nspec:\n  runtime: container\n  exposure: none\n  delivery: rolling\n  resources:\n    tier: small\n";
    let refused =
        zave::render(contract.as_bytes(), profile, RenderInputs::default()).expect_err("refused");
    assert!(
        refused.0.iter().any(|d| d.code == Code::ReservedName
            && d.path == "metadata.name"
            && d.line == Some(4))
    );
}
