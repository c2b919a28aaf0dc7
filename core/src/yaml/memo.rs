//! Values written once per document set: the text of a value already written at the same place
//! is copied instead of written again.

use serde::Serialize;

use super::{EmitError, Place, write_value_at};

/// The text of values already written, by value and place. A render's objects repeat the same
/// labels and annotations (most often the very same map, which is found by its address);
/// comparing two maps costs a fraction of writing one.
pub(crate) struct Memo<'v, T> {
    written: Vec<(&'v T, Place, String)>,
}

impl<'v, T: PartialEq + Serialize> Memo<'v, T> {
    /// An empty memo.
    pub(crate) fn new() -> Self {
        Memo {
            written: Vec::new(),
        }
    }

    /// Writes `value` at `place`: the text written before for an equal value at the same
    /// place, else the emitter's, then remembered.
    pub(crate) fn write(
        &mut self,
        value: &'v T,
        out: &mut String,
        place: Place,
    ) -> Result<(), EmitError> {
        let known = self
            .written
            .iter()
            .find(|(seen, at, _)| *at == place && (std::ptr::eq(*seen, value) || *seen == value));
        if let Some((_, _, text)) = known {
            out.push_str(text);
            return Ok(());
        }
        let start = out.len();
        write_value_at(value, out, place)?;
        let text = out.get(start..).unwrap_or_default().to_owned();
        self.written.push((value, place, text));
        Ok(())
    }
}
