//! Render speed against its floor: serializing the same objects to JSON with serde_json.
//!
//! `cargo bench -p zave --bench render`. Two tenants under the `aws` profile: the example
//! contract (postgres, metrics, tracing: the largest tree a v1 contract produces, 31 files) and
//! a minimal public HTTP service (`payments-api-minimal`, 18 files).

use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use zave::{Profile, RenderInputs, ValidateOptions};

const EXAMPLE: &[u8] = include_bytes!("../../examples/zave.yaml");
const MINIMAL: &[u8] =
    include_bytes!("../../fixtures/contracts/platform/payments-api-minimal.yaml");

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

fn tenant(group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>, contract: &[u8]) {
    let profile = Profile::builtin("aws").expect("aws profile");
    let options = ValidateOptions {
        strict: false,
        profile: Some(profile),
    };
    let checked = zave::validate(contract, options).expect("valid contract");
    let rendered = zave::render_checked(checked.clone(), profile, inputs()).expect("renders");
    let objects: Vec<&zave::manifest::Object> =
        rendered.manifests.iter().map(|m| &m.object).collect();

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
        b.iter(|| black_box(zave::render(contract, profile, inputs()).expect("renders")))
    });
    group.bench_function("validate: contract text, stages 1-3", |b| {
        b.iter(|| black_box(zave::validate(contract, options).expect("valid")))
    });
}

fn render(c: &mut Criterion) {
    for (name, contract) in [("example tenant", EXAMPLE), ("minimal tenant", MINIMAL)] {
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Elements(1));
        tenant(&mut group, contract);
        group.finish();
    }
}

criterion_group!(benches, render);
criterion_main!(benches);
