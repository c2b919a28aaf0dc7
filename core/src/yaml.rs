//! zave's one YAML emitter: a serde serializer for the block style every rendered file uses.
//! (Placeholder: being written.)

/// A value that cannot be written as YAML (a map key that is not a string, for one).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot write YAML: {0}")]
pub struct EmitError(pub String);

/// Writes `value` as a YAML block document.
pub fn to_yaml<T: serde::Serialize + ?Sized>(_value: &T) -> Result<String, EmitError> {
    Err(EmitError("the emitter is not written yet".to_owned()))
}
