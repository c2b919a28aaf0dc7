//! Render speed against its floor: serializing the same objects to JSON with serde_json.
//!
//! `cargo bench -p zave --bench render`. The contract is `examples/zave.yaml` (postgres,
//! metrics, tracing) under the `aws` profile, the largest tree a v1 contract produces.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use zave::{Profile, RenderInputs, ValidateOptions};

const CONTRACT: &[u8] = include_bytes!("../../examples/zave.yaml");

fn inputs() -> RenderInputs<'static> {
    RenderInputs {
        image: Some(
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments-api@sha256:4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f",
        ),
        version: Some("sha-4f4f4f4"),
        bundle: Some("platform-2026.11"),
        strict: false,
    }
}

fn render(c: &mut Criterion) {
    let profile = Profile::builtin("aws").expect("aws profile");
    let options = ValidateOptions {
        strict: false,
        profile: Some(profile),
    };
    let checked = zave::validate(CONTRACT, options).expect("valid contract");
    let rendered = zave::render_checked(checked.clone(), profile, inputs()).expect("renders");
    let objects: Vec<&zave::manifest::Object> =
        rendered.manifests.iter().map(|m| &m.object).collect();

    let mut group = c.benchmark_group("one tenant");
    group.throughput(Throughput::Elements(1));
    group.bench_function("floor: the objects to JSON (serde_json)", |b| {
        b.iter(|| {
            for object in &objects {
                black_box(serde_json::to_string(object).expect("JSON"));
            }
        })
    });
    group.bench_function("the objects to YAML (zave's emitter)", |b| {
        b.iter(|| {
            for object in &objects {
                black_box(zave::yaml::to_yaml(object).expect("YAML"));
            }
        })
    });
    group.bench_function("render: checked contract to the whole tree", |b| {
        b.iter(|| {
            black_box(zave::render_checked(checked.clone(), profile, inputs()).expect("renders"))
        })
    });
    group.bench_function("render: contract text to the whole tree", |b| {
        b.iter(|| black_box(zave::render(CONTRACT, profile, inputs()).expect("renders")))
    });
    group.bench_function("validate: contract text, stages 1-3", |b| {
        b.iter(|| black_box(zave::validate(CONTRACT, options).expect("valid")))
    });
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
