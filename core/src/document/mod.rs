//! Untrusted YAML text to one positioned document tree, with every node's source span.

mod data;
mod load;
mod node;
mod scalar;
mod syntax;

pub use data::from_json;
pub use load::{MAX_ALIAS_EXPANSION, MAX_ALIASES, MAX_DEPTH, MAX_INPUT_BYTES, load};
pub use node::{Entry, Node, Path, PathSegment, Position, Span, Value};
