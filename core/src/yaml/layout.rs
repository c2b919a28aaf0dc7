//! Where a YAML node goes: columns, indentation and what precedes keys and list items.

use super::EmitError;

/// Longest key text (quotes included) written as an implicit `key: value`; YAML allows 1024
/// characters and a byte count is never below the character count.
const MAX_IMPLICIT_KEY: usize = 1024;

/// Where the value about to be written goes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// The document root, at the start of a line.
    Top,
    /// Right after `key:` whose key starts in this column.
    Key(usize),
    /// Right after `- ` (or the `: ` of an explicit key) whose indicator is in this column.
    Dash(usize),
}

impl Place {
    /// Column of the entries of a mapping written here.
    pub(super) fn inner(self) -> usize {
        match self {
            Place::Top => 0,
            Place::Key(col) | Place::Dash(col) => col + 2,
        }
    }

    /// Column of block-scalar content written here (never 0: readers want it indented).
    pub(super) fn block_col(self) -> usize {
        match self {
            Place::Top => 2,
            Place::Key(col) | Place::Dash(col) => col + 2,
        }
    }

    /// Column of the `- ` of sequence items written here (kubectl style under a key).
    fn seq_col(self) -> usize {
        match self {
            Place::Top => 0,
            Place::Key(col) => col,
            Place::Dash(col) => col + 2,
        }
    }

    /// What goes between the indicator and an inline value.
    pub(super) fn sep(self) -> &'static str {
        match self {
            Place::Key(_) => " ",
            Place::Top | Place::Dash(_) => "",
        }
    }
}

const SPACES: &str = "                                                                ";

pub(super) fn indent(out: &mut String, mut n: usize) {
    while n > SPACES.len() {
        out.push_str(SPACES);
        n -= SPACES.len();
    }
    out.push_str(SPACES.get(..n).unwrap_or(""));
}

/// Writes what precedes a mapping entry's key; returns the key's column.
pub(super) fn entry_prefix(out: &mut String, place: Place, first: bool) -> usize {
    let col = place.inner();
    start_node(out, place, first, col);
    col
}

/// Writes what precedes a sequence item, `- ` included; returns the column of the `-`.
pub(super) fn item_prefix(out: &mut String, place: Place, first: bool) -> usize {
    let col = place.seq_col();
    start_node(out, place, first, col);
    out.push_str("- ");
    col
}

/// Moves to column `col` for an entry or item of a collection written at `place`: the first
/// one below a key starts a new line, the first at the top or after `- ` stays on its line.
fn start_node(out: &mut String, place: Place, first: bool, col: usize) {
    match (first, place) {
        (true, Place::Key(_)) => {
            out.push('\n');
            indent(out, col);
        }
        (true, Place::Top | Place::Dash(_)) => {}
        (false, _) => indent(out, col),
    }
}

/// Writes a key (via `write_key`) and its indicator; returns where the value goes.
pub(super) fn entry_key(
    out: &mut String,
    col: usize,
    write_key: impl FnOnce(&mut String) -> Result<(), EmitError>,
) -> Result<Place, EmitError> {
    let start = out.len();
    write_key(out)?;
    if out.len() - start > MAX_IMPLICIT_KEY {
        out.insert_str(start, "? ");
        out.push('\n');
        indent(out, col);
        out.push_str(": ");
        Ok(Place::Dash(col))
    } else {
        out.push(':');
        Ok(Place::Key(col))
    }
}

/// Writes a one-line value (a scalar, `{}` or `[]`) and ends the line.
pub(super) fn write_inline(out: &mut String, place: Place, text: &str) {
    out.push_str(place.sep());
    out.push_str(text);
    out.push('\n');
}
