//! Reading untrusted bytes into one positioned document, within fixed bounds.

use std::collections::BTreeMap;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, ScanError, Span as SourceSpan, Tag};

use super::node::{Entry, Node, Path, Position, Span, Value};
use super::scalar::resolve_plain;
use crate::diagnostic::{Code, Diagnostic};

/// Inputs larger than this are refused before parsing.
pub const MAX_INPUT_BYTES: usize = 1024 * 1024;
/// Deepest nesting of mappings and lists accepted.
pub const MAX_DEPTH: usize = 64;
/// Most alias uses accepted in one document.
pub const MAX_ALIASES: usize = 16;
/// Most nodes a document may expand to through aliases.
pub const MAX_ALIAS_EXPANSION: usize = 10_000;

/// Reads `bytes` as exactly one YAML document, or says precisely why it cannot.
///
/// Refuses, each with a positioned diagnostic: input over [`MAX_INPUT_BYTES`], invalid UTF-8,
/// control characters, malformed YAML, zero or several documents, duplicate keys, non-string
/// keys, custom tags, nesting beyond [`MAX_DEPTH`], and aliases beyond [`MAX_ALIASES`] uses or
/// [`MAX_ALIAS_EXPANSION`] nodes (so an alias bomb is refused at once, in bounded memory).
pub fn load(bytes: &[u8]) -> Result<Node, Diagnostic> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(Diagnostic::new(
            Code::TooLarge,
            &Path::root(),
            None,
            format!(
                "the input is larger than 1 MiB ({MAX_INPUT_BYTES} bytes), the most zave reads"
            ),
        )
        .with_help("a contract is a few hundred bytes: check that the right file was given"));
    }
    let text = std::str::from_utf8(bytes).map_err(|error| {
        let at = position_of_byte(bytes, error.valid_up_to());
        Diagnostic::new(
            Code::Encoding,
            &Path::root(),
            Some(Span::point(at)),
            "the input is not valid UTF-8",
        )
        .with_help("save the file as UTF-8 text")
    })?;
    if let Some((offset, c)) = text.char_indices().find(|&(_, c)| is_forbidden_char(c)) {
        let at = position_of_byte(bytes, offset);
        return Err(Diagnostic::new(
            Code::Encoding,
            &Path::root(),
            Some(Span::point(at)),
            format!(
                "the input holds the control character U+{:04X}",
                u32::from(c)
            ),
        )
        .with_help(
            "remove it: YAML text may hold only printable characters, tabs and line breaks",
        ));
    }
    Loader::default().run(text)
}

/// Characters YAML does not allow in a stream (outside its printable set).
fn is_forbidden_char(c: char) -> bool {
    matches!(c, '\0'..='\x08' | '\x0b' | '\x0c' | '\x0e'..='\x1f' | '\x7f')
        || matches!(c, '\u{80}'..='\u{9f}' if c != '\u{85}')
        || matches!(c, '\u{fffe}' | '\u{ffff}')
}

/// The 1-based position of a byte offset, counting columns in characters.
fn position_of_byte(bytes: &[u8], offset: usize) -> Position {
    let before = &bytes[..offset.min(bytes.len())];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    Position {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
    }
}

/// The position just past the last character that is not a line break.
fn end_of_text(text: &str) -> Position {
    let trimmed = text.trim_end_matches(['\n', '\r']);
    let last_line = trimmed.rsplit('\n').next().unwrap_or_default();
    Position {
        line: u32::try_from(trimmed.lines().count().max(1)).unwrap_or(u32::MAX),
        column: u32::try_from(last_line.chars().count() + 1).unwrap_or(u32::MAX),
    }
}

fn position(marker: Marker) -> Position {
    Position {
        line: u32::try_from(marker.line()).unwrap_or(u32::MAX),
        column: u32::try_from(marker.col() + 1).unwrap_or(u32::MAX),
    }
}

fn span(source: SourceSpan) -> Span {
    Span {
        start: position(source.start),
        end: position(source.end),
    }
}

/// A collection being built: its start, its anchor and what it holds so far.
enum Frame {
    Seq {
        start: Position,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: Position,
        anchor: usize,
        entries: Vec<Entry>,
        pending_key: Option<(String, Span)>,
    },
}

#[derive(Default)]
struct Loader {
    stack: Vec<Frame>,
    anchors: BTreeMap<usize, Node>,
    aliases_used: usize,
    expanded_nodes: usize,
    documents: usize,
    root: Option<Node>,
}

impl Loader {
    fn run(mut self, text: &str) -> Result<Node, Diagnostic> {
        let mut parser = Parser::new_from_str(text);
        while let Some(event) = parser.next_event() {
            let (event, source_span) = event.map_err(|error| syntax_error(&error, text))?;
            let at = span(source_span);
            match event {
                Event::StreamStart | Event::Nothing | Event::DocumentEnd => {}
                Event::StreamEnd => break,
                Event::DocumentStart(_) => {
                    self.documents += 1;
                    if self.documents > 1 {
                        return Err(Diagnostic::new(
                            Code::DocumentCount,
                            &Path::root(),
                            Some(at),
                            "the input holds more than one YAML document",
                        )
                        .with_help(
                            "keep one contract per file; remove this `---` and what follows",
                        ));
                    }
                }
                Event::Scalar(text, style, anchor, tag) => {
                    let node = scalar_node(&text, style, tag.as_deref(), at)?;
                    self.remember(anchor, &node);
                    self.push(node, Some(text.into_owned()))?;
                }
                Event::Alias(anchor) => {
                    let node = self.expand_alias(anchor, at)?;
                    self.push(node, None)?;
                }
                Event::SequenceStart(anchor, tag) => {
                    check_collection_tag(tag.as_deref(), "seq", at)?;
                    self.open(at)?;
                    self.stack.push(Frame::Seq {
                        start: at.start,
                        anchor,
                        items: Vec::new(),
                    });
                }
                Event::MappingStart(anchor, tag) => {
                    check_collection_tag(tag.as_deref(), "map", at)?;
                    self.open(at)?;
                    self.stack.push(Frame::Map {
                        start: at.start,
                        anchor,
                        entries: Vec::new(),
                        pending_key: None,
                    });
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let node = match self.stack.pop() {
                        Some(Frame::Seq {
                            start,
                            anchor,
                            items,
                        }) => {
                            let node = collection(Value::Seq(items), start, at.end);
                            self.remember(anchor, &node);
                            node
                        }
                        Some(Frame::Map {
                            start,
                            anchor,
                            entries,
                            ..
                        }) => {
                            let node = collection(Value::Map(entries), start, at.end);
                            self.remember(anchor, &node);
                            node
                        }
                        None => continue,
                    };
                    self.push(node, None)?;
                }
            }
        }
        self.root.ok_or_else(|| {
            Diagnostic::new(
                Code::DocumentCount,
                &Path::root(),
                Some(Span::point(Position { line: 1, column: 1 })),
                "the input holds no YAML document",
            )
            .with_help("a contract starts with `apiVersion: zave.io/v1` and `kind: Workload`")
        })
    }

    /// Checks that a collection may open here: a mapping key cannot be one, and depth is bounded.
    fn open(&mut self, at: Span) -> Result<(), Diagnostic> {
        if let Some(Frame::Map {
            pending_key: None, ..
        }) = self.stack.last()
        {
            return Err(Diagnostic::new(
                Code::UnsupportedYaml,
                &Path::root(),
                Some(at),
                "a mapping key is a list or mapping; contract keys are plain strings",
            ));
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(too_deep(at));
        }
        Ok(())
    }

    fn remember(&mut self, anchor: usize, node: &Node) {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
    }

    fn expand_alias(&mut self, anchor: usize, at: Span) -> Result<Node, Diagnostic> {
        self.aliases_used += 1;
        if self.aliases_used > MAX_ALIASES {
            return Err(alias_limit(
                at,
                format!("the document uses more than {MAX_ALIASES} aliases"),
            ));
        }
        let Some(target) = self.anchors.get(&anchor) else {
            return Err(Diagnostic::new(
                Code::Syntax,
                &Path::root(),
                Some(at),
                "this alias names an anchor that is not defined before it",
            ));
        };
        self.expanded_nodes += count_nodes(target);
        if self.expanded_nodes > MAX_ALIAS_EXPANSION {
            return Err(alias_limit(
                at,
                format!("aliases expand the document beyond {MAX_ALIAS_EXPANSION} nodes"),
            ));
        }
        let mut node = target.clone();
        node.span = at;
        Ok(node)
    }

    /// Places a finished node: as the root, a list item, a mapping key or a mapping value.
    fn push(&mut self, node: Node, key_text: Option<String>) -> Result<(), Diagnostic> {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                pending_key,
                ..
            }) => match pending_key.take() {
                None => {
                    let Some(key) = key_text else {
                        return Err(Diagnostic::new(
                            Code::UnsupportedYaml,
                            &Path::root(),
                            Some(node.span),
                            "a mapping key is an alias; contract keys are plain strings",
                        ));
                    };
                    if let Some(first) = entries.iter().find(|e| e.key == key) {
                        return Err(Diagnostic::new(
                            Code::DuplicateKey,
                            &Path::root(),
                            Some(node.span),
                            format!("the key \"{key}\" appears twice in the same mapping"),
                        )
                        .with_help(format!(
                            "it is first defined at line {}; keep one of them",
                            first.key_span.start.line
                        )));
                    }
                    *pending_key = Some((key, node.span));
                }
                Some((key, key_span)) => entries.push(Entry {
                    key,
                    key_span,
                    value: node,
                }),
            },
        }
        Ok(())
    }
}

fn collection(value: Value, start: Position, end: Position) -> Node {
    Node {
        value,
        span: Span { start, end },
    }
}

fn count_nodes(node: &Node) -> usize {
    1 + match &node.value {
        Value::Seq(items) => items.iter().map(count_nodes).sum(),
        Value::Map(entries) => entries.iter().map(|e| 1 + count_nodes(&e.value)).sum(),
        _ => 0,
    }
}

pub(super) fn too_deep(at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::TooDeep,
        &Path::root(),
        Some(at),
        format!("the document nests deeper than {MAX_DEPTH} levels"),
    )
    .with_help("a contract nests four levels at most; check the indentation and brackets")
}

fn alias_limit(at: Span, message: String) -> Diagnostic {
    Diagnostic::new(Code::AliasLimit, &Path::root(), Some(at), message)
        .with_help("write the values out; contracts are small enough not to need aliases")
}

fn syntax_error(error: &ScanError, text: &str) -> Diagnostic {
    let at = position(*error.marker()).min(end_of_text(text));
    let info = error.info();
    if info.contains("recursion limit") {
        return too_deep(Span::point(at));
    }
    let problem = super::syntax::explain(info, at, text);
    Diagnostic::new(
        Code::Syntax,
        &Path::root(),
        Some(Span::point(problem.at)),
        problem.message,
    )
    .with_help(problem.help)
}

const CORE_TAG_HANDLE: &str = "tag:yaml.org,2002:";

fn scalar_node(
    text: &str,
    style: ScalarStyle,
    tag: Option<&Tag>,
    at: Span,
) -> Result<Node, Diagnostic> {
    let value = match tag {
        None if style == ScalarStyle::Plain => resolve_plain(text),
        None => Value::String(text.to_owned()),
        Some(tag) if tag.handle == CORE_TAG_HANDLE => {
            let resolved = resolve_plain(text);
            let fits = match (tag.suffix.as_str(), &resolved) {
                ("str", _) => {
                    return Ok(Node {
                        value: Value::String(text.to_owned()),
                        span: at,
                    });
                }
                ("null", Value::Null) | ("bool", Value::Bool(_)) | ("int", Value::Int(_)) => true,
                ("float", Value::Float(_) | Value::Int(_)) => true,
                _ => false,
            };
            if !fits {
                return Err(unsupported_tag(
                    tag,
                    at,
                    format!("\"{text}\" cannot be read as {tag}"),
                ));
            }
            match (tag.suffix.as_str(), resolved) {
                ("float", Value::Int(i)) => Value::Float(i as f64),
                (_, resolved) => resolved,
            }
        }
        Some(tag) if tag.handle == "!" && tag.suffix.is_empty() => Value::String(text.to_owned()),
        Some(tag) => {
            return Err(unsupported_tag(
                tag,
                at,
                format!("the tag {tag} is not supported"),
            ));
        }
    };
    Ok(Node { value, span: at })
}

fn check_collection_tag(tag: Option<&Tag>, expected: &str, at: Span) -> Result<(), Diagnostic> {
    match tag {
        None => Ok(()),
        Some(tag) if tag.handle == CORE_TAG_HANDLE && tag.suffix == expected => Ok(()),
        Some(tag) => Err(unsupported_tag(
            tag,
            at,
            format!("the tag {tag} is not supported here"),
        )),
    }
}

fn unsupported_tag(_tag: &Tag, at: Span, message: String) -> Diagnostic {
    Diagnostic::new(Code::UnsupportedYaml, &Path::root(), Some(at), message)
        .with_help("remove the tag: contracts use plain YAML values")
}
