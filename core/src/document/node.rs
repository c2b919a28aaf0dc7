//! The positioned document tree: YAML data with the source span of every node.

use std::fmt;

/// A position in the source: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
}

/// The source range a node covers; `end` is exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// First character of the node.
    pub start: Position,
    /// Just past the last character of the node.
    pub end: Position,
}

impl Span {
    /// A span of one point, for things that have no extent (a missing document, the end of input).
    pub fn point(at: Position) -> Span {
        Span { start: at, end: at }
    }
}

/// One segment of a path into the document: a mapping key or a list index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PathSegment {
    /// A key of a mapping.
    Key(String),
    /// A 0-based index of a list.
    Index(usize),
}

/// A path into the document, displayed as `spec.capabilities[1].name`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Path(Vec<PathSegment>);

impl Path {
    /// The path of the document root.
    pub fn root() -> Path {
        Path(Vec::new())
    }

    /// This path extended by a mapping key.
    pub fn key(&self, key: &str) -> Path {
        let mut segments = self.0.clone();
        segments.push(PathSegment::Key(key.to_owned()));
        Path(segments)
    }

    /// This path extended by a list index.
    pub fn index(&self, index: usize) -> Path {
        let mut segments = self.0.clone();
        segments.push(PathSegment::Index(index));
        Path(segments)
    }

    /// The segments, outermost first.
    pub fn segments(&self) -> &[PathSegment] {
        &self.0
    }

    /// Whether this is the document root.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                PathSegment::Key(key) if i == 0 => f.write_str(key)?,
                PathSegment::Key(key) => write!(f, ".{key}")?,
                PathSegment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// A node of the document with its source span.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The node's data.
    pub value: Value,
    /// Where the node stands in the source.
    pub span: Span,
}

/// The data of a node, after YAML 1.2 core-schema resolution of plain scalars.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`, `~` or an empty value.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A whole number that fits 64 bits.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// Any other scalar.
    String(String),
    /// A list.
    Seq(Vec<Node>),
    /// A mapping, in source order; keys are unique.
    Map(Vec<Entry>),
}

/// One key-value pair of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key text.
    pub key: String,
    /// Where the key stands in the source.
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

impl Value {
    /// The noun for this value's type in messages: "a mapping", "a string", …
    pub fn type_noun(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::String(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

impl Node {
    /// The entry under `key`, when this node is a mapping that has it.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|entry| entry.key == key),
            _ => None,
        }
    }

    /// The node at `path`, when it exists.
    pub fn at(&self, path: &Path) -> Option<&Node> {
        let mut node = self;
        for segment in path.segments() {
            node = match (segment, &node.value) {
                (PathSegment::Key(key), Value::Map(_)) => &node.entry(key)?.value,
                (PathSegment::Index(index), Value::Seq(items)) => items.get(*index)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// The span a diagnostic about `path` should point at: the node when it exists, otherwise
    /// the key of its nearest existing ancestor (a missing key is reported at its parent's key).
    pub fn span_for(&self, path: &Path) -> Span {
        let mut node = self;
        let mut fallback = Span::point(self.span.start);
        for segment in path.segments() {
            let next = match (segment, &node.value) {
                (PathSegment::Key(key), Value::Map(_)) => node.entry(key).map(|entry| {
                    fallback = entry.key_span;
                    &entry.value
                }),
                (PathSegment::Index(index), Value::Seq(items)) => items.get(*index),
                _ => None,
            };
            match next {
                Some(next) => node = next,
                None => return fallback,
            }
        }
        node.span
    }

    /// The document as a JSON value, the form the typed model reads (see the `Serialize`
    /// impl below for the data it holds).
    pub fn to_json(&self) -> serde_json::Value {
        // Cannot fail: every mapping key is a string.
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// A node serializes as its data, without positions: what the typed model and the contract
/// hash read. Non-finite floats have no JSON form and become their YAML spelling.
impl serde::Serialize for Node {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.value {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Int(i) => serializer.serialize_i64(*i),
            Value::Float(f) if f.is_finite() => serializer.serialize_f64(*f),
            Value::Float(f) => serializer.serialize_str(non_finite_spelling(*f)),
            Value::String(text) => serializer.serialize_str(text),
            Value::Seq(items) => serializer.collect_seq(items),
            Value::Map(entries) => {
                serializer.collect_map(entries.iter().map(|entry| (&entry.key, &entry.value)))
            }
        }
    }
}

fn non_finite_spelling(f: f64) -> &'static str {
    if f.is_nan() {
        ".nan"
    } else if f > 0.0 {
        ".inf"
    } else {
        "-.inf"
    }
}
