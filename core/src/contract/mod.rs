//! The contract: its model, schema, and the validation stages that turn text into a
//! [`CheckedContract`].

mod checked;
mod compat;
mod hash;
mod hints;
mod left_out;
pub mod migrate;
pub mod model;
pub mod offers;
mod set;
mod validate;

pub use checked::{CheckedContract, DEFAULT_DOCKERFILE, DEFAULT_TIER};
pub use compat::Implemented;
pub use hash::ContractHash;
pub use hints::suggest_name;
pub use set::{SetCheck, SetFindings, SetMember, check_set, is_callable};
pub use validate::{
    ValidateOptions, Validation, contract_schema, validate, validate_document, validate_for_set,
};
