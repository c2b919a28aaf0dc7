//! The invariants zave's fuzz targets assert, one module per concern. Each check panics on a
//! violation, which libFuzzer reports as a crash with the input that caused it.

pub mod ci_inputs;
pub mod positions;
pub mod profiles;
pub mod rendered;
pub mod values;
