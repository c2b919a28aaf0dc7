//! Validation is total: any contract text, under no profile or any profile, strict or not,
//! gives a checked contract with warnings only, or errors, each pointing inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zave::ValidateOptions;
use zave_fuzz::{positions, profiles};

fuzz_target!(|input: &[u8]| {
    let profiles = profiles::all().iter().map(Some);
    for profile in std::iter::once(None).chain(profiles) {
        for strict in [false, true] {
            match zave::validate(input, ValidateOptions { strict, profile }) {
                Ok(checked) => positions::assert_accepted(input, &checked.findings),
                Err(refusal) => positions::assert_refusal(input, &refusal.0),
            }
        }
    }
});
