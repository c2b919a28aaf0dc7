//! Every input the fuzz targets (`fuzz/`, `scripts/fuzz`) found breaking an invariant, as
//! found (minimised), with the behaviour the fix guarantees.

use zave::document::{Node, Position, Value, load};
use zave::{ValidateOptions, diff};

fn all_spans(node: &Node) -> Vec<(Position, Position)> {
    let mut spans = vec![(node.span.start, node.span.end)];
    match &node.value {
        Value::Seq(items) => items.iter().for_each(|item| spans.extend(all_spans(item))),
        Value::Map(entries) => {
            for entry in entries {
                spans.push((entry.key_span.start, entry.key_span.end));
                spans.extend(all_spans(&entry.value));
            }
        }
        _ => {}
    }
    spans
}

/// yaml_loader: the parser places the end of a last line without a line break on the line
/// after it, which the input does not have.
#[test]
fn a_last_line_without_a_line_break_ends_every_node_on_that_line() {
    let input = b"sharedDatabase:posure:";
    let document = load(input).expect("one mapping with an empty value");
    let end = Position {
        line: 1,
        column: 23,
    };
    for (start, stop) in all_spans(&document) {
        assert!(
            start <= stop && stop <= end,
            "{start:?}..{stop:?} is past {end:?}"
        );
    }
    assert_eq!(document.span.end, end);
}

/// render (and validate): a finding about a missing key pointed at that line after the input.
#[test]
fn findings_about_a_one_line_contract_point_at_its_line() {
    let refusal = zave::validate(b"zavserverNetwork:", ValidateOptions::default())
        .expect_err("no contract keys");
    assert!(!refusal.0.is_empty());
    for finding in &refusal.0 {
        assert_eq!(
            (finding.line, finding.end_line),
            (Some(1), Some(1)),
            "{finding:?}"
        );
        assert!(finding.end_column <= Some(18), "{finding:?}");
    }
}

/// unified_diff: a lone carriage return ended a line for the diff but not for a patch
/// reader, so the hunk counts disagreed with the lines shown.
#[test]
fn a_lone_carriage_return_does_not_end_a_line_of_the_diff() {
    let diff = diff::unified("a\rb\nc\n", "a\rb\nd\n", "old", "new");
    assert_eq!(diff, "--- old\n+++ new\n@@ -1,2 +1,2 @@\n a\rb\n-c\n+d\n");
}

/// The same rule keeps the missing final line break visible, as before.
#[test]
fn a_missing_final_line_break_is_marked() {
    let diff = diff::unified("a\nb", "a\nc", "old", "new");
    assert_eq!(
        diff,
        "--- old\n+++ new\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"
    );
}

/// yaml_loader, validate: YAML takes a lone carriage return for a line break, so positions
/// after one named lines that an editor (and zave's own snippet) numbers otherwise. Refused
/// as an encoding problem, at the carriage return; CRLF line endings stay accepted.
#[test]
fn a_lone_carriage_return_is_refused_where_it_stands() {
    let refusal = load(b"apiVersion: zave.io/v1\nkind: Wor\rkload\n").expect_err("lone CR");
    assert_eq!(refusal.code, zave::Code::Encoding);
    assert_eq!((refusal.line, refusal.column), (Some(2), Some(10)));
    assert!(load(b"apiVersion: zave.io/v1\r\nkind: Workload\r\n").is_ok());
}

/// render: a contract rendered without CI's image (no `#image=` header in the fuzz input) is
/// accepted with W004 about the image, which has no place in the contract text and so no
/// position; every finding about the text itself points inside it. (The target had required
/// a position of every finding of an accepted render.)
#[test]
fn a_render_without_an_image_reports_w004_without_a_position_and_the_rest_inside() {
    let input = b"apiVersion: zave.io/v1\nkind: Workload\nmetadata:\n  name: kustomizatiol\nspec:\n  runtime: container\n  exposure: internal-http\n  delivery: rolling\n";
    let profile = zave::Profile::builtin("kind").expect("kind");
    let rendered =
        zave::render(input, profile, zave::RenderInputs::default()).expect("the contract renders");
    let image = rendered
        .findings
        .iter()
        .find(|finding| finding.code.as_str() == "W004")
        .expect("W004 without an image");
    assert_eq!((image.path.as_str(), image.line), ("image", None));
    for finding in rendered.findings.iter().filter(|f| f.path != "image") {
        let line = finding.line.expect("a finding about the text has a line");
        assert!((1..=8).contains(&line), "{finding:?} points past the input");
    }
}
