//! One difference between two schemas: where it is, what it is, and its class.

use std::fmt;

use serde::Serialize;
use serde_json::Value as Json;

/// Whether a change keeps every document that was valid valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    /// Everything valid before is still valid.
    Additive,
    /// Something valid before is now refused.
    Breaking,
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Class::Additive => "additive",
            Class::Breaking => "breaking",
        })
    }
}

/// A difference at one place of the documents the schemas describe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The place in a document, such as `spec.capabilities[].name` (`[]` is every item,
    /// `*` every key the schema does not name); empty for the document itself.
    pub path: String,
    /// What changed.
    pub kind: ChangeKind,
}

/// What changed at a place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ChangeKind {
    /// A field the old schema refused is allowed; breaking when it is required.
    FieldAdded {
        /// Whether documents must now have it.
        required: bool,
    },
    /// A field that was allowed is refused.
    FieldRemoved,
    /// A field is refused and another with the same schema is allowed in its place.
    FieldRenamed {
        /// The new field's name.
        to: String,
    },
    /// A field that was optional must now be given.
    FieldRequired,
    /// A field that was required may now be left out.
    FieldOptional,
    /// Keys the schema does not name were refused and are now allowed.
    OtherKeysAllowed,
    /// Keys the schema does not name were allowed and are now refused.
    OtherKeysRefused,
    /// Values are allowed that were not.
    ValuesAdded {
        /// The new values.
        values: Vec<Json>,
    },
    /// Values that were allowed are refused.
    ValuesRemoved {
        /// The refused values.
        values: Vec<Json>,
    },
    /// Any value of the type was allowed; now only these are.
    ValuesRestricted {
        /// The allowed values.
        values: Vec<Json>,
    },
    /// Only some values were allowed; now any value of the type is.
    ValuesUnrestricted,
    /// More JSON types are accepted.
    TypeWidened {
        /// The types accepted before (empty: any).
        from: Vec<String>,
        /// The types accepted now.
        to: Vec<String>,
    },
    /// A JSON type that was accepted is refused.
    TypeNarrowed {
        /// The types accepted before (empty: any).
        from: Vec<String>,
        /// The types accepted now.
        to: Vec<String>,
    },
    /// The pattern accepts every string it accepted, and maybe more.
    PatternRelaxed {
        /// The old pattern, when there was one.
        from: Option<String>,
        /// The new pattern, when there is one.
        to: Option<String>,
    },
    /// The pattern refuses a string it accepted, or zave cannot prove it does not.
    PatternNarrowed {
        /// The old pattern, when there was one.
        from: Option<String>,
        /// The new pattern.
        to: String,
        /// A string the old pattern accepted and the new one refuses, when one was found.
        example: Option<String>,
    },
    /// A bound (`minLength`, `maxItems`, `minimum`, …) lets more through, or is gone.
    BoundRelaxed {
        /// The keyword.
        keyword: String,
        /// Its old value, when it had one.
        from: Option<String>,
        /// Its new value, when it has one.
        to: Option<String>,
    },
    /// A bound lets less through, or is new.
    BoundTightened {
        /// The keyword.
        keyword: String,
        /// Its old value, when it had one.
        from: Option<String>,
        /// Its new value.
        to: String,
    },
    /// A keyword the classifier does not interpret changed; counted as breaking.
    KeywordChanged {
        /// The keyword.
        keyword: String,
    },
    /// The place accepted something and now accepts nothing at all.
    NothingAccepted,
}

impl Change {
    /// Whether this change is additive or breaking.
    pub fn class(&self) -> Class {
        match &self.kind {
            ChangeKind::FieldAdded { required } if !required => Class::Additive,
            ChangeKind::FieldOptional
            | ChangeKind::OtherKeysAllowed
            | ChangeKind::ValuesAdded { .. }
            | ChangeKind::ValuesUnrestricted
            | ChangeKind::TypeWidened { .. }
            | ChangeKind::PatternRelaxed { .. }
            | ChangeKind::BoundRelaxed { .. } => Class::Additive,
            _ => Class::Breaking,
        }
    }

    /// The place as people read it: the path, or "the document".
    pub fn place(&self) -> &str {
        if self.path.is_empty() {
            "the document"
        } else {
            &self.path
        }
    }
}

/// A change serializes with its class and message: `{path, class, kind, …, message}`.
impl Serialize for Change {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct View<'a> {
            path: &'a str,
            class: Class,
            #[serde(flatten)]
            kind: &'a ChangeKind,
            message: String,
        }
        View {
            path: &self.path,
            class: self.class(),
            kind: &self.kind,
            message: self.kind.to_string(),
        }
        .serialize(serializer)
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let or_none = |value: &Option<String>| value.clone().unwrap_or_else(|| "none".to_owned());
        match self {
            ChangeKind::FieldAdded { required: false } => f.write_str("new optional field"),
            ChangeKind::FieldAdded { required: true } => f.write_str("new required field"),
            ChangeKind::FieldRemoved => f.write_str("field removed"),
            ChangeKind::FieldRenamed { to } => write!(f, "field renamed to {to:?}"),
            ChangeKind::FieldRequired => f.write_str("field is now required"),
            ChangeKind::FieldOptional => f.write_str("field is now optional"),
            ChangeKind::OtherKeysAllowed => {
                f.write_str("keys the schema does not name are allowed")
            }
            ChangeKind::OtherKeysRefused => {
                f.write_str("keys the schema does not name are refused")
            }
            ChangeKind::ValuesAdded { values } => write!(f, "new values {}", listed(values)),
            ChangeKind::ValuesRemoved { values } => {
                write!(f, "values no longer allowed: {}", listed(values))
            }
            ChangeKind::ValuesRestricted { values } => {
                write!(f, "only these values are allowed now: {}", listed(values))
            }
            ChangeKind::ValuesUnrestricted => f.write_str("any value of the type is allowed"),
            ChangeKind::TypeWidened { from, to } => {
                write!(f, "type widened from {} to {}", types(from), types(to))
            }
            ChangeKind::TypeNarrowed { from, to } => {
                write!(f, "type changed from {} to {}", types(from), types(to))
            }
            ChangeKind::PatternRelaxed { from, to } => write!(
                f,
                "pattern relaxed from {} to {}",
                or_none(from),
                or_none(to)
            ),
            ChangeKind::PatternNarrowed { from, to, example } => {
                write!(f, "pattern narrowed from {} to {to}", or_none(from))?;
                match example {
                    Some(example) => write!(f, " ({example:?} was valid and is refused now)"),
                    None => f.write_str(" (zave cannot prove it still accepts every string)"),
                }
            }
            ChangeKind::BoundRelaxed { keyword, from, to } => {
                write!(
                    f,
                    "{keyword} relaxed from {} to {}",
                    or_none(from),
                    or_none(to)
                )
            }
            ChangeKind::BoundTightened { keyword, from, to } => {
                write!(f, "{keyword} tightened from {} to {to}", or_none(from))
            }
            ChangeKind::KeywordChanged { keyword } => write!(
                f,
                "{keyword} changed, which zave does not interpret (counted as breaking)"
            ),
            ChangeKind::NothingAccepted => f.write_str("no value is accepted any more"),
        }
    }
}

/// Values as JSON text, comma-separated: `"huge", 3`.
fn listed(values: &[Json]) -> String {
    let texts: Vec<String> = values.iter().map(Json::to_string).collect();
    texts.join(", ")
}

fn types(names: &[String]) -> String {
    if names.is_empty() {
        "any".to_owned()
    } else {
        names.join(" or ")
    }
}
