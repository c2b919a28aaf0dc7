//! Replacing ranges of the source text, located by the loader's line and column positions.

use crate::document::{Position, Span};

/// One replacement of a range of the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Edit {
    /// The range replaced, as byte offsets.
    pub range: std::ops::Range<usize>,
    /// What stands there afterwards.
    pub text: String,
}

/// The byte offset of a 1-based line and column (in characters) of `text`.
pub(super) fn offset(text: &str, at: Position) -> Option<usize> {
    let line = usize::try_from(at.line).ok()?.checked_sub(1)?;
    let column = usize::try_from(at.column).ok()?.checked_sub(1)?;
    let line_start = if line == 0 {
        0
    } else {
        text.match_indices('\n').nth(line - 1)?.0 + 1
    };
    let rest = &text[line_start..];
    let within = rest
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(rest.len()))
        .nth(column)?;
    Some(line_start + within)
}

/// The byte range of a span of `text`.
pub(super) fn range(text: &str, span: Span) -> Option<std::ops::Range<usize>> {
    Some(offset(text, span.start)?..offset(text, span.end)?)
}

/// `text` with every edit applied; the edits must not overlap.
pub(super) fn apply(text: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|edit| std::cmp::Reverse(edit.range.start));
    let mut out = text.to_owned();
    for edit in edits {
        out.replace_range(edit.range, &edit.text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32, column: u32) -> Position {
        Position { line, column }
    }

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "a: 1\nnamé: x\n";
        assert_eq!(offset(text, at(1, 1)), Some(0));
        assert_eq!(offset(text, at(2, 1)), Some(5));
        assert_eq!(offset(text, at(2, 7)), Some(12));
        assert_eq!(offset(text, at(3, 1)), Some(text.len()));
        assert_eq!(offset(text, at(9, 1)), None);
        assert_eq!(offset(text, at(0, 1)), None);
    }

    #[test]
    fn edits_apply_from_the_end_so_offsets_stay_true() {
        let edits = vec![
            Edit {
                range: 0..1,
                text: "alpha".into(),
            },
            Edit {
                range: 3..4,
                text: "gamma".into(),
            },
        ];
        assert_eq!(apply("a: c", edits), "alpha: gamma");
    }
}
