//! What stage 1 leaves out of stages 2–3: the fields it refused, read as whole units.
//!
//! Stages 2 and 3 read the typed model, so a field that failed the schema cannot be handed to
//! them as it is. Each refused field is left out by its unit, the first two keys of its path
//! (`spec.persistence` for `spec.persistence.engine`, `spec.capabilities` for
//! `spec.capabilities[1].name`): every optional unit can go, and the few required ones get a
//! stand-in value. Whatever the later stages say about a left-out unit is about the stand-in,
//! so it is dropped; everything else they find is kept.

use serde_json::{Map, Value as Json};

use crate::diagnostic::{Code, Diagnostic};

/// The required units of the model and the stand-in each gets when it is left out.
const STAND_INS: &[(&str, &str, &str)] = &[
    ("apiVersion", "", "zave.io/v1"),
    ("kind", "", "Workload"),
    ("metadata", "name", "left-out"),
    ("spec", "runtime", "container"),
    ("spec", "exposure", "none"),
];

/// Findings elsewhere that read a required unit, so are about its stand-in when it is left
/// out: a dependency on the contract's own name, a capability injected for a container.
const READS: &[(&str, Code)] = &[
    ("metadata.name", Code::SelfDependency),
    ("spec.runtime", Code::CapabilityInjected),
];

/// The units stage 1 refused, as path prefixes such as `spec.persistence`.
#[derive(Debug, Default)]
pub struct LeftOut {
    units: Vec<String>,
}

impl LeftOut {
    /// The units of every error among `findings` but unknown keys (which are simply removed):
    /// a finding about the whole document leaves everything out.
    pub fn of(findings: &[Diagnostic]) -> LeftOut {
        let mut units: Vec<String> = findings
            .iter()
            .filter(|d| d.is_error() && d.code != Code::UnknownKey)
            .map(|d| unit(&d.path).to_owned())
            .collect();
        units.sort();
        units.dedup();
        LeftOut { units }
    }

    /// Whether the whole document is left out, so no later stage can read anything.
    pub fn everything(&self) -> bool {
        self.units.iter().any(String::is_empty)
    }

    /// Whether the unit `path` (such as `spec.runtime`) is left out.
    pub fn contains(&self, path: &str) -> bool {
        self.units.iter().any(|unit| unit == path)
    }

    /// Whether `finding` is about a left-out unit or reads one, so is about a stand-in.
    pub fn covers(&self, finding: &Diagnostic) -> bool {
        let path = finding.path.as_str();
        let under = self.units.iter().any(|unit| {
            path.strip_prefix(unit.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
        });
        under
            || READS
                .iter()
                .any(|&(unit, code)| finding.code == code && self.contains(unit))
    }

    /// Takes the left-out units out of `json`, and puts a stand-in where the model needs one.
    pub fn apply(&self, json: &mut Json) {
        let Some(root) = json.as_object_mut() else {
            return;
        };
        for unit in &self.units {
            let mut keys = unit.split('.');
            match (keys.next(), keys.next()) {
                (Some(first), None) => {
                    root.remove(first);
                }
                (Some(first), Some(second)) => {
                    if let Some(parent) = root.get_mut(first).and_then(Json::as_object_mut) {
                        parent.remove(second);
                    }
                }
                _ => {}
            }
        }
        for &(first, second, stand_in) in STAND_INS {
            if second.is_empty() {
                if !root.get(first).is_some_and(Json::is_string) {
                    root.insert(first.to_owned(), Json::from(stand_in));
                }
                continue;
            }
            let parent = root
                .entry(first)
                .or_insert_with(|| Json::Object(Map::new()));
            if !parent.is_object() {
                *parent = Json::Object(Map::new());
            }
            if let Some(parent) = parent.as_object_mut() {
                parent.entry(second).or_insert_with(|| Json::from(stand_in));
            }
        }
    }
}

/// The unit of a path: its first two keys, cut before any list index.
fn unit(path: &str) -> &str {
    let first = path.find(['.', '[']).unwrap_or(path.len());
    if !path[first..].starts_with('.') {
        return &path[..first];
    }
    let rest = &path[first + 1..];
    let second = rest.find(['.', '[']).unwrap_or(rest.len());
    &path[..first + 1 + second]
}

#[cfg(test)]
mod tests {
    use super::{LeftOut, unit};
    use crate::diagnostic::{Code, Diagnostic};
    use crate::document::Path;

    fn finding(code: Code, path: &str) -> Diagnostic {
        let mut finding = Diagnostic::new(code, &Path::root(), None, "");
        finding.path = path.to_owned();
        finding
    }

    #[test]
    fn what_is_said_of_a_stand_in_is_dropped_and_nothing_else() {
        let left_out = LeftOut::of(&[
            finding(Code::UnknownValue, "spec.persistence.engine"),
            finding(Code::InvalidFormat, "metadata.name"),
            finding(Code::UnknownKey, "spec.colour"),
        ]);
        assert!(left_out.covers(&finding(Code::EngineNotAllowed, "spec.persistence.engine")));
        assert!(left_out.covers(&finding(
            Code::SelfDependency,
            "spec.dependencies[0].workload"
        )));
        assert!(!left_out.covers(&finding(Code::Reserved, "spec.persistenceMode")));
        assert!(!left_out.covers(&finding(Code::Reserved, "spec.delivery")));
        // An unknown key is removed, not stood in for: nothing is said about it later.
        assert!(!left_out.contains("spec.colour"));
    }

    #[test]
    fn required_units_get_their_stand_ins() {
        let left_out = LeftOut::of(&[finding(Code::UnknownValue, "spec.exposure")]);
        let mut json = serde_json::json!({"spec": {"runtime": "static", "exposure": "publik"}});
        left_out.apply(&mut json);
        assert_eq!(json["spec"]["exposure"], "none");
        assert_eq!(json["spec"]["runtime"], "static", "a valid unit is kept");
        assert_eq!(json["apiVersion"], "zave.io/v1");
    }

    #[test]
    fn a_unit_is_the_first_two_keys_of_a_path() {
        assert_eq!(unit("spec.persistence.engine"), "spec.persistence");
        assert_eq!(unit("spec.capabilities[1].name"), "spec.capabilities");
        assert_eq!(unit("spec.exposure"), "spec.exposure");
        assert_eq!(unit("metadata.name"), "metadata.name");
        assert_eq!(unit("spec"), "spec");
        assert_eq!(unit(""), "");
    }
}
