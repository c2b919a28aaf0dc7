//! Heap allocations of one validation and one render, against the serde_json floor: the cost
//! that the typed objects' owned strings and maps put on every render.
//!
//! `cargo bench -p zave --bench allocations`. The counts are exact and the same on every run;
//! they change only with the code, the contracts or the dependencies.

mod common;

use std::alloc::System;
use std::hint::black_box;

use common::{TENANTS, inputs};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use zave::{Profile, ValidateOptions};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// New heap blocks and reallocations made while `work` runs.
fn count<T>(work: impl FnOnce() -> T) -> (usize, usize) {
    let region = Region::new(GLOBAL);
    black_box(work());
    let change = region.change();
    (change.allocations, change.reallocations)
}

fn main() {
    let profile = Profile::builtin("aws").expect("aws profile");
    let options = ValidateOptions {
        strict: false,
        profile: Some(profile),
    };
    println!("heap allocations (new blocks + reallocations), profile aws");
    for (name, contract) in TENANTS {
        // The first call builds what a process builds once (schemas, patterns).
        let checked = zave::validate(contract, options).expect("valid contract");
        let validate = count(|| zave::validate(contract, options).expect("valid"));
        let input = checked.clone();
        let render = count(|| zave::render_checked(input, profile, inputs()).expect("renders"));
        let rendered = zave::render_checked(checked, profile, inputs()).expect("renders");
        let held = count(|| rendered.manifests());
        let manifests = rendered.manifests();
        let floor = count(|| {
            for manifest in &manifests {
                black_box(serde_json::to_string(&manifest.object).expect("JSON"));
            }
        });
        println!(
            "{name} ({} objects, {} files):",
            manifests.len(),
            rendered.files.len()
        );
        for (what, (blocks, reallocations)) in [
            ("validate: contract text, stages 1-3", validate),
            ("render: checked contract to the tree", render),
            ("the whole typed objects (manifests())", held),
            ("floor: the objects to JSON (serde_json)", floor),
        ] {
            println!("  {what:<42}{blocks:>5} + {reallocations}");
        }
    }
}
