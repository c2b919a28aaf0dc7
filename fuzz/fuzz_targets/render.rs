//! Render whatever validates, under every profile, with CI's inputs from the input's leading
//! `#image=`/`#version=`/`#bundle=` comments: the same bytes twice, and a tree whose every
//! file reads back as the object it was written from.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zave_fuzz::{ci_inputs, profiles, rendered};

fuzz_target!(|input: &[u8]| {
    let inputs = ci_inputs::from_header(input);
    for profile in profiles::all() {
        rendered::assert_render(input, profile, inputs);
    }
});
