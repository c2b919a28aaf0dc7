//! Render speed against its floor: serializing the same objects to JSON with serde_json.
//!
//! `cargo bench -p zave --bench render`, for the two tenants of `common` (the example contract
//! and `payments-api-minimal`, under the `aws` profile). It runs under the allocator the CLI
//! and the Python module ship with (mimalloc): a render is mostly small short-lived blocks,
//! and what it costs depends on who serves them far more than the floor does.

mod common;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use common::{TENANTS, inputs};
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use zave::{Profile, ValidateOptions};

fn tenant(group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>, contract: &[u8]) {
    let profile = Profile::builtin("aws").expect("aws profile");
    let options = ValidateOptions {
        strict: false,
        profile: Some(profile),
    };
    let checked = zave::validate(contract, options).expect("valid contract");
    let rendered = zave::render_checked(checked.clone(), profile, inputs()).expect("renders");
    let manifests = rendered.manifests();
    let objects: Vec<&zave::manifest::Object> = manifests.iter().map(|m| &m.object).collect();

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
    for (name, contract) in TENANTS {
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Elements(1));
        tenant(&mut group, contract);
        group.finish();
    }
}

criterion_group!(benches, render);
criterion_main!(benches);
