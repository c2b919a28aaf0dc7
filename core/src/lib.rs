//! zave: the workload compiler. A `zave.yaml` contract plus an environment profile become a
//! deterministic GitOps tree. This crate is pure: no file system, clock, environment or network.
//!
//! ```
//! let source = b"apiVersion: zave.io/v1\nkind: Workload\nmetadata: {name: web}\nspec: {runtime: container, exposure: public-http, delivery: rolling}\n";
//! let checked = zave::validate(source, zave::ValidateOptions::default()).expect("valid");
//! assert_eq!(checked.name, "web");
//! assert_eq!(checked.findings[0].code.as_str(), "W002"); // tier defaulted, and said so
//! ```

pub mod contract;
pub mod diagnostic;
pub mod diff;
pub mod document;
pub mod flags;
mod hex;
pub mod index;
pub mod manifest;
mod object_yaml;
pub mod platform;
pub mod profile;
pub mod render;
pub mod review;
pub mod scaffold;
pub mod schema;
mod suggest;
pub mod tree;
pub mod yaml;

pub use contract::{
    CheckedContract, ContractHash, SetCheck, SetFindings, SetMember, ValidateOptions, Validation,
    check_set, contract_schema, validate, validate_document, validate_for_set,
};
pub use diagnostic::{Code, Diagnostic, Diagnostics, Severity, TextStyle};
pub use index::index_files;
pub use manifest::{FileKind, RenderedFile, to_stream};
pub use profile::Profile;
pub use render::{
    Plan, RenderInputs, Rendered, plan, plan_checked, render, render_checked, render_document,
};

/// The version of zave, as recorded in `zave.io/generator-version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
