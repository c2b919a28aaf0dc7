//! What a YAML structure error means to the person who wrote the file: one sentence, the
//! place to look (a tab's own line and column, the start of a misplaced line) and a fix.

use super::node::Position;

/// A parser error said for a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxProblem {
    /// Where to look.
    pub at: Position,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, with what the parser expected.
    pub help: String,
}

/// Explains the parser's error `info`, reported at `at`, in the source `text`.
pub fn explain(info: &str, at: Position, text: &str) -> SyntaxProblem {
    let lines: Vec<&str> = text.lines().collect();
    let line_text = |line: u32| {
        usize::try_from(line)
            .ok()
            .and_then(|line| line.checked_sub(1))
            .and_then(|index| lines.get(index))
            .copied()
            .unwrap_or_default()
    };
    // The parser may name the tab (often at the value before it) or stumble later over what
    // the tab did to the indentation.
    let searched = if info.contains("tab") {
        u32::MAX
    } else {
        at.line
    };
    if let Some(tab) = first_indenting_tab(&lines, searched) {
        return SyntaxProblem {
            at: tab,
            message: format!("line {} is indented with a tab", tab.line),
            help: "YAML indents with spaces: replace the tab with spaces, as many as the key \
                   above it is indented"
                .to_owned(),
        };
    }
    let start_of_line = Position {
        line: at.line,
        column: column_of_text(line_text(at.line)),
    };
    let above = previous_content_line(&lines, at.line);
    if info.contains("mapping values are not allowed") {
        let indented_deeper = above.is_some_and(|(_, above)| {
            indentation(line_text(at.line)) > indentation(above) && !above.trim_end().ends_with(':')
        });
        if indented_deeper {
            return SyntaxProblem {
                at: start_of_line,
                message: format!(
                    "line {} is indented more than the key above it, as if it belonged to that key's value",
                    at.line
                ),
                help: "keys of one mapping start in the same column: indent this key like the \
                       one above, or end the key above with `:` to nest it"
                    .to_owned(),
            };
        }
        return SyntaxProblem {
            at,
            message: "a value holds a second `: `, which YAML reads as another key".to_owned(),
            help: "quote the value if the colon is part of it (`key: \"a: b\"`), or put the \
                   second key on a line of its own"
                .to_owned(),
        };
    }
    if info.contains("expect ':'") || info.contains("expected ':'") {
        // The parser stops at the line after the key when that line is a `key: value`.
        let key_line = match above {
            Some((line, _)) if line_text(at.line).contains(':') => line,
            _ => at.line,
        };
        return SyntaxProblem {
            at: Position {
                line: key_line,
                column: column_of_text(line_text(key_line)),
            },
            message: format!("line {key_line} holds a key without `:`"),
            help: "the parser expected `:` after the key: write `key: value`".to_owned(),
        };
    }
    if info.contains("did not find expected key") {
        return SyntaxProblem {
            at: start_of_line,
            message: format!(
                "line {} is indented unlike the keys of the mapping around it",
                at.line
            ),
            help: "the parser expected another key of the mapping above: start this line in \
                   the same column as that mapping's keys"
                .to_owned(),
        };
    }
    if info.contains("quoted scalar") {
        return SyntaxProblem {
            at,
            message: "a quoted value is not closed".to_owned(),
            help: "the parser expected the closing quote: end the value with the quote it \
                   starts with, on the same line"
                .to_owned(),
        };
    }
    if info.contains("did not find expected ',' or ']'")
        || info.contains("did not find expected ',' or '}'")
        || info.contains("illegal placement of ':'")
    {
        return SyntaxProblem {
            at,
            message: "a `[` list or `{` mapping is not closed before this point".to_owned(),
            help: "the parser expected `,` or the closing bracket: close the `[` with `]` and \
                   the `{` with `}`"
                .to_owned(),
        };
    }
    SyntaxProblem {
        at,
        message: format!("the YAML is malformed here: {info}"),
        help: "check this line and the one above it: indentation, a missing `:`, or an \
               unclosed quote or bracket"
            .to_owned(),
    }
}

/// The first tab in the indentation of a line up to `last` (1-based): YAML refuses it there.
fn first_indenting_tab(lines: &[&str], last: u32) -> Option<Position> {
    let last = usize::try_from(last).unwrap_or(usize::MAX);
    lines
        .iter()
        .take(last)
        .enumerate()
        .find_map(|(index, line)| {
            let leading: String = line
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            let column = leading.chars().position(|c| c == '\t')?;
            Some(Position {
                line: u32::try_from(index + 1).unwrap_or(u32::MAX),
                column: u32::try_from(column + 1).unwrap_or(u32::MAX),
            })
        })
}

/// The nearest line above `line` (1-based) holding more than blanks or a comment.
fn previous_content_line<'t>(lines: &[&'t str], line: u32) -> Option<(u32, &'t str)> {
    let index = usize::try_from(line).ok()?.checked_sub(1)?;
    lines[..index.min(lines.len())]
        .iter()
        .enumerate()
        .rev()
        .find(|(_, text)| {
            let trimmed = text.trim();
            !trimmed.is_empty() && !trimmed.starts_with('#')
        })
        .map(|(index, text)| (u32::try_from(index + 1).unwrap_or(u32::MAX), *text))
}

fn indentation(line: &str) -> usize {
    line.chars().take_while(|c| *c == ' ').count()
}

/// The 1-based column of a line's first character that is not a blank.
fn column_of_text(line: &str) -> u32 {
    let blanks = line.chars().take_while(|c| c.is_whitespace()).count();
    u32::try_from(blanks + 1).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32, column: u32) -> Position {
        Position { line, column }
    }

    #[test]
    fn a_tab_is_reported_where_it_is() {
        let text = "spec:\n  runtime: container\n\texposure: none\n";
        let problem = explain(
            "while scanning a plain scalar, found a tab",
            at(2, 12),
            text,
        );
        assert_eq!(problem.at, at(3, 1));
        assert!(problem.help.starts_with("YAML indents with spaces"));
    }

    #[test]
    fn a_key_indented_too_deep_points_at_its_line() {
        let text = "spec:\n  runtime: container\n    exposure: none\n";
        let problem = explain(
            "mapping values are not allowed in this context",
            at(3, 13),
            text,
        );
        assert_eq!(problem.at, at(3, 5));
        assert!(problem.message.contains("indented more than the key above"));
    }

    #[test]
    fn a_key_without_a_colon_is_found_above_where_the_parser_stopped() {
        let text = "metadata:\n  name: mia\n  foo\nspec:\n";
        let problem = explain("simple key expect ':'", at(4, 1), text);
        assert_eq!(problem.at, at(3, 3));
        assert!(problem.help.contains("expected `:`"));
    }

    #[test]
    fn a_second_colon_in_a_value_says_to_quote_it() {
        let text = "spec:\n  runtime: a: b\n";
        let problem = explain(
            "mapping values are not allowed in this context",
            at(2, 13),
            text,
        );
        assert!(problem.help.starts_with("quote the value"));
    }
}
