//! No profile the loader accepts renders an object Kubernetes would refuse: the built-ins'
//! string values and map keys are mutated with hostile text, and every object each accepted
//! profile renders is checked with the same grammar functions the loader uses.

use proptest::prelude::*;
use serde_json::Value as Json;
use zave::profile::grammar::{
    ANNOTATIONS_MAX_BYTES, annotation_key, cidr, dns_label, dns_subdomain, duration, label_key,
    label_value, quantity,
};
use zave::{FileKind, Profile, RenderInputs};

/// One place in a profile a mutation can hit: a string value, or a mapping key.
#[derive(Debug, Clone)]
enum Spot {
    Value(Vec<String>),
    Key(Vec<String>, String),
}

fn spots(value: &Json, path: &mut Vec<String>, out: &mut Vec<Spot>) {
    if let Json::Object(map) = value {
        for (key, child) in map {
            out.push(Spot::Key(path.clone(), key.clone()));
            path.push(key.clone());
            spots(child, path, out);
            path.pop();
        }
    } else if value.is_string() {
        out.push(Spot::Value(path.clone()));
    }
}

fn at<'v>(value: &'v mut Json, path: &[String]) -> Option<&'v mut Json> {
    path.iter().try_fold(value, |node, key| node.get_mut(key))
}

/// The built-in `profile` with `spot` turned by `mutate`.
fn mutated(profile: &str, pick: usize, mutation: &Mutation) -> String {
    let mutate = |old: &str| mutation.apply(old);
    let source = Profile::builtin_source(profile).expect("built-in");
    let mut data: Json = serde_yaml::from_str(source).expect("built-in YAML");
    let mut all = Vec::new();
    spots(&data, &mut Vec::new(), &mut all);
    match &all[pick % all.len()] {
        Spot::Value(path) => {
            if let Some(node) = at(&mut data, path) {
                let old = node.as_str().unwrap_or_default().to_owned();
                *node = Json::String(mutate(&old));
            }
        }
        Spot::Key(path, key) => {
            if let Some(Json::Object(map)) = at(&mut data, path) {
                if let Some(child) = map.remove(key) {
                    map.insert(mutate(key), child);
                }
            }
        }
    }
    serde_json::to_string(&data).expect("JSON is YAML")
}

/// A hostile change to one string.
#[derive(Debug, Clone)]
enum Mutation {
    Replace(&'static str),
    Append(&'static str),
    Prepend(&'static str),
    Long,
    Upper,
}

impl Mutation {
    fn apply(&self, old: &str) -> String {
        match self {
            Mutation::Replace(text) => (*text).to_owned(),
            Mutation::Append(text) => format!("{old}{text}"),
            Mutation::Prepend(text) => format!("{text}{old}"),
            Mutation::Long => format!("{old}{}", "a".repeat(300)),
            Mutation::Upper => old.to_uppercase(),
        }
    }
}

fn hostile() -> impl Strategy<Value = Mutation> {
    let fixed: Vec<&'static str> = vec![
        " ",
        "Upper",
        "..",
        ".",
        "{other}",
        "\n",
        "é",
        "-",
        "/",
        "_",
        "0.0.0.0/0",
        "",
        "{name}.",
        "kube-system",
        "default",
        "lots",
        "1 h",
        "a b",
        ":",
        "::/0",
        "zave-platform",
    ];
    prop_oneof![
        prop::sample::select(fixed.clone()).prop_map(Mutation::Replace),
        prop::sample::select(fixed.clone()).prop_map(Mutation::Append),
        prop::sample::select(fixed).prop_map(Mutation::Prepend),
        Just(Mutation::Long),
        Just(Mutation::Upper),
    ]
}

/// Contracts that between them reach every profile setting a render reads.
const CONTRACTS: &[&str] = &[
    r#"{"apiVersion":"zave.io/v1","kind":"Workload","metadata":{"name":"shop"},"spec":{"runtime":"container","exposure":"public-http","delivery":"rolling","persistence":{"engine":"postgres"},"capabilities":[{"name":"metrics"},{"name":"tracing"}],"resources":{"tier":"small"}}}"#,
    r#"{"apiVersion":"zave.io/v1","kind":"Workload","metadata":{"name":"ledger-with-a-long-name-of-forty-chars-x"},"spec":{"runtime":"container","exposure":"public-http","delivery":"rolling","persistence":{"engine":"postgres"},"capabilities":[{"name":"metrics"}],"resources":{"tier":"standard"}}}"#,
    r#"{"apiVersion":"zave.io/v1","kind":"Workload","metadata":{"name":"cache"},"spec":{"runtime":"container","exposure":"internal-http","delivery":"rolling","persistence":{"engine":"redis"},"resources":{"tier":"small"}}}"#,
    r#"{"apiVersion":"zave.io/v1","kind":"Workload","metadata":{"name":"orders"},"spec":{"runtime":"container","exposure":"grpc","delivery":"rolling","persistence":{"engine":"mysql"},"capabilities":[{"name":"tracing"}],"resources":{"tier":"standard"}}}"#,
];

/// Every reason `object` would be refused by Kubernetes' validation of what profiles reach.
fn refusals(object: &Json) -> Vec<String> {
    let mut out = Vec::new();
    let kind = object["kind"].as_str().unwrap_or_default().to_owned();
    walk(object, &kind, "", &mut out);
    out
}

fn check(
    out: &mut Vec<String>,
    at: &str,
    value: &str,
    grammar: impl Fn(&str) -> Result<(), String>,
) {
    if let Err(why) = grammar(value) {
        out.push(format!("{at} {value:?}: {why}"));
    }
}

fn walk(node: &Json, kind: &str, at: &str, out: &mut Vec<String>) {
    match node {
        Json::Object(map) => {
            for (key, child) in map {
                let here = format!("{at}.{key}");
                match (key.as_str(), child) {
                    ("labels" | "matchLabels", Json::Object(labels)) => {
                        for (k, v) in labels {
                            check(out, &here, k, label_key);
                            check(out, &here, v.as_str().unwrap_or("?"), label_value);
                        }
                    }
                    ("annotations", Json::Object(annotations)) => {
                        let mut size = 0;
                        for (k, v) in annotations {
                            check(out, &here, k, annotation_key);
                            size += k.len() + v.as_str().map_or(0, str::len);
                        }
                        if size > ANNOTATIONS_MAX_BYTES {
                            out.push(format!("{here}: {size} bytes"));
                        }
                    }
                    ("namespace", Json::String(v)) => check(out, &here, v, dns_label),
                    ("name", Json::String(v)) if at.ends_with("metadata") => {
                        check(out, &here, v, dns_subdomain)
                    }
                    ("storageClassName" | "ingressClassName", Json::String(v)) => {
                        check(out, &here, v, dns_subdomain)
                    }
                    ("cidr", Json::String(v)) => check(out, &here, v, |c| cidr(c).map(|_| ())),
                    ("refreshInterval", Json::String(v)) => check(out, &here, v, duration),
                    ("cpu" | "memory" | "limits.cpu" | "limits.memory", Json::String(v)) => {
                        check(out, &here, v, quantity)
                    }
                    ("host", Json::String(v)) if kind == "Ingress" => {
                        check(out, &here, v, dns_subdomain)
                    }
                    ("hosts" | "hostnames", Json::Array(hosts))
                        if kind == "Ingress" || kind == "HTTPRoute" =>
                    {
                        for host in hosts {
                            check(out, &here, host.as_str().unwrap_or("?"), dns_subdomain);
                        }
                    }
                    _ => walk(child, kind, &here, out),
                }
            }
        }
        Json::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, kind, &format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn accepted_profiles_render_only_objects_kubernetes_accepts(
        profile in prop::sample::select(vec!["kind", "linode", "aws"]),
        pick in 0usize..10_000,
        mutate in hostile(),
    ) {
        let source = mutated(profile, pick, &mutate);
        let Ok(profile) = Profile::from_yaml(source.as_bytes()) else {
            return Ok(());
        };
        for contract in CONTRACTS {
            let Ok(rendered) = zave::render(contract.as_bytes(), &profile, RenderInputs::default()) else {
                continue;
            };
            for file in rendered.files.iter().filter(|f| f.kind == FileKind::Object) {
                let object: Json = serde_yaml::from_str(&file.content).expect("objects read back");
                let refused = refusals(&object);
                prop_assert!(refused.is_empty(), "{}: {refused:#?}\nprofile: {source}", file.path);
            }
        }
    }
}

#[test]
fn the_built_ins_render_only_objects_kubernetes_accepts() {
    for name in ["kind", "linode", "aws"] {
        let profile = Profile::builtin(name).expect("built-in");
        for contract in CONTRACTS {
            let rendered = zave::render(contract.as_bytes(), profile, RenderInputs::default())
                .unwrap_or_else(|d| panic!("{name}: {:#?}", d.0));
            for file in rendered.files.iter().filter(|f| f.kind == FileKind::Object) {
                let object: Json = serde_yaml::from_str(&file.content).expect("objects read back");
                assert_eq!(
                    refusals(&object),
                    Vec::<String>::new(),
                    "{name}: {}",
                    file.path
                );
            }
        }
    }
}
