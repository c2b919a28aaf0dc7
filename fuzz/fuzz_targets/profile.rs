//! The profile loader is total, and whatever profile it accepts renders the repository's
//! contracts into sound trees (every value a profile carries into objects, paths and headers
//! is exercised this way).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zave::{Profile, RenderInputs};
use zave_fuzz::{positions, rendered};

/// Contracts that reach every part of a profile: each database engine, metrics and tracing,
/// every exposure, a dependency.
const CONTRACTS: [&[u8]; 4] = [
    include_bytes!("../../fixtures/contracts/platform/payments-api.yaml"),
    include_bytes!("../../fixtures/contracts/valid/grpc-redis.yaml"),
    include_bytes!("../../fixtures/contracts/valid/async-mysql-large.yaml"),
    include_bytes!("../../fixtures/contracts/valid/with-dependencies.yaml"),
];

fuzz_target!(|input: &[u8]| {
    for strict in [false, true] {
        match Profile::load(input, strict) {
            Ok(loaded) => {
                positions::assert_accepted(input, &loaded.findings);
                if !strict {
                    for contract in CONTRACTS {
                        rendered::assert_render(contract, &loaded.profile, RenderInputs::default());
                    }
                }
            }
            Err(refusal) => positions::assert_refusal(input, &refusal.0),
        }
    }
});
