//! The positioned YAML loader: any bytes give one document whose every node and key spans a
//! range of the input, or one finding that points inside it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zave_fuzz::positions;

fuzz_target!(|input: &[u8]| {
    match zave::document::load(input) {
        Ok(document) => positions::assert_node_inside(input, &document),
        Err(finding) => positions::assert_refusal(input, std::slice::from_ref(&finding)),
    }
});
