//! Where a finding may point: at a line and column that exist in the input it is about.

use zave::document::{Node, Position, Span, Value};
use zave::{Code, Diagnostic, Severity, TextStyle};

/// The line lengths of an input, in characters, as a user's editor numbers them: lines are
/// separated by `\n`, and a position may stand one past a line's last character.
pub struct Lines(Vec<usize>);

impl Lines {
    /// The lines of `input` (invalid UTF-8 counted as replacement characters).
    pub fn of(input: &[u8]) -> Lines {
        let text = String::from_utf8_lossy(input);
        Lines(text.split('\n').map(|line| line.chars().count()).collect())
    }

    /// Whether `line`:`column` (1-based) exists in the input.
    pub fn contains(&self, line: u32, column: u32) -> bool {
        let (Ok(line), Ok(column)) = (usize::try_from(line), usize::try_from(column)) else {
            return false;
        };
        line >= 1
            && column >= 1
            && self
                .0
                .get(line - 1)
                .is_some_and(|&width| column <= width + 1)
    }

    fn assert_span(&self, span: Span, what: &str) {
        for (name, at) in [("start", span.start), ("end", span.end)] {
            assert!(
                self.contains(at.line, at.column),
                "{what}: {name} {}:{} is outside the input",
                at.line,
                at.column
            );
        }
        assert!(
            span.start <= span.end,
            "{what}: span ends before it starts: {span:?}"
        );
    }
}

/// Every node and key of a loaded document spans a range of the input it came from.
pub fn assert_node_inside(input: &[u8], node: &Node) {
    let lines = Lines::of(input);
    let mut pending = vec![node];
    while let Some(node) = pending.pop() {
        lines.assert_span(node.span, "node");
        match &node.value {
            Value::Seq(items) => pending.extend(items),
            Value::Map(entries) => {
                for entry in entries {
                    lines.assert_span(entry.key_span, "mapping key");
                    pending.push(&entry.value);
                }
            }
            _ => {}
        }
    }
}

/// The findings about text `input`: each points inside it (a whole-input refusal such as
/// Z101 points nowhere), they are sorted by position, and their text form shows them.
pub fn assert_findings_inside(input: &[u8], findings: &[Diagnostic]) {
    let lines = Lines::of(input);
    for finding in findings {
        let start = finding.line.zip(finding.column);
        let end = finding.end_line.zip(finding.end_column);
        match (start, end) {
            (Some((line, column)), Some((end_line, end_column))) => {
                let span = Span {
                    start: Position { line, column },
                    end: Position {
                        line: end_line,
                        column: end_column,
                    },
                };
                lines.assert_span(span, finding.code.as_str());
            }
            _ => assert!(
                finding.code == Code::TooLarge,
                "{} has no position in text input: {finding:?}",
                finding.code.as_str()
            ),
        }
    }
    assert!(
        findings.is_sorted_by_key(|f| (f.line, f.column)),
        "findings are not sorted by position: {findings:?}"
    );
    let text = String::from_utf8_lossy(input);
    let shown =
        zave::Diagnostics(findings.to_vec()).to_text("zave.yaml", Some(&text), TextStyle::Plain);
    for finding in findings {
        if let Some((line, column)) = finding.line.zip(finding.column) {
            let arrow = format!("--> zave.yaml:{line}:{column}\n");
            assert!(
                shown.contains(&arrow),
                "the text form lacks {arrow:?}:\n{shown}"
            );
        }
    }
}

/// A refusal: at least one error, every finding inside the input.
pub fn assert_refusal(input: &[u8], findings: &[Diagnostic]) {
    assert!(
        findings.iter().any(|f| f.severity == Severity::Error),
        "refused without an error: {findings:?}"
    );
    assert_findings_inside(input, findings);
}

/// An acceptance: warnings only, every one inside the input.
pub fn assert_accepted(input: &[u8], findings: &[Diagnostic]) {
    assert!(
        findings.iter().all(|f| f.severity == Severity::Warning),
        "accepted with an error: {findings:?}"
    );
    assert_findings_inside(input, findings);
}
