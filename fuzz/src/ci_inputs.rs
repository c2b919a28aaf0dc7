//! CI's inputs to a render, carried in the fuzz input itself as leading comment lines, so a
//! seed stays a plain contract that the fuzzer can also mutate into other images and versions:
//!
//! ```text
//! #image=localhost:5001/mia:1.4.2
//! #version=sha-0123abc
//! apiVersion: zave.io/v1
//! ```

use zave::RenderInputs;

/// Reads `#image=`, `#version=` and `#bundle=` lines at the start of `input` (YAML comments,
/// so the contract text is the whole input either way).
pub fn from_header(input: &[u8]) -> RenderInputs<'_> {
    let mut inputs = RenderInputs::default();
    let Ok(text) = std::str::from_utf8(input) else {
        return inputs;
    };
    for line in text.lines() {
        let Some(setting) = line.strip_prefix('#') else {
            break;
        };
        match setting.split_once('=') {
            Some(("image", value)) => inputs.image = Some(value),
            Some(("version", value)) => inputs.version = Some(value),
            Some(("bundle", value)) => inputs.bundle = Some(value),
            _ => {}
        }
    }
    inputs
}
