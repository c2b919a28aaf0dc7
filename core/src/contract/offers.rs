//! What an editor may offer while a contract is written: every field the schema knows, and
//! each allowed word with its standing under a profile (allowed, refused, reserved).

use serde::Serialize;
use serde_json::{Map, Value as Json};

use super::compat::Implemented;
use super::model::{BuildMode, CapabilityName, Delivery, Engine, Exposure, Runtime, Tier};
use super::validate::contract_schema;
use crate::diagnostic::Code;
use crate::profile::Profile;
use crate::profile::server;

/// One field of the contract, where an editor completes its key and, for a word, its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    /// The field's place: `spec.exposure`; `[]` stands for any entry of a list, as in
    /// `spec.capabilities[].name`.
    pub path: String,
    /// The mapping the key is written in (the path without its last key); empty at the top.
    pub parent: String,
    /// The key as written.
    pub key: String,
    /// What the field holds: `mapping`, `list` (of mappings) or `scalar`.
    pub shape: Shape,
    /// Whether the schema requires it.
    pub required: bool,
    /// The schema's description of the field.
    pub description: String,
    /// The words the field takes, in schema order; empty for free text such as a name.
    pub values: Vec<Offer>,
}

/// The kind of value a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Shape {
    /// A mapping of further fields.
    Mapping,
    /// A list whose entries are mappings.
    List,
    /// A single value.
    Scalar,
}

/// One word a field takes, and whether writing it renders under the profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Offer {
    /// The word as written.
    pub value: String,
    /// The schema's description of the word.
    pub description: String,
    /// Whether it renders.
    pub standing: Standing,
    /// The code a contract with this word gets, when it is refused (`Z201`, `Z302`) or changed
    /// (`W003`: a capability the profile injects anyway).
    pub code: Option<Code>,
}

/// Whether a word renders under the profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Standing {
    /// Implemented and allowed by the profile.
    Allowed,
    /// Named by the platform but not implemented in zave.io/v1 (`Z201`), or never allowed in
    /// it (`Z202`, the structural capabilities).
    Reserved,
    /// Implemented, but the profile does not allow or offer it (`Z301`–`Z303`).
    Refused,
}

/// Every field of the contract in schema order (a mapping's keys alphabetically, as the
/// schema lists them), with the standing of each word under `profile` (stages 2 and 3 only
/// when a profile is given).
pub fn offers(profile: Option<&Profile>) -> Vec<Field> {
    let schema = contract_schema();
    let mut fields = Vec::new();
    if let Some(root) = schema.as_object() {
        walk(schema, root, "", &mut fields);
    }
    for field in &mut fields {
        for offer in &mut field.values {
            (offer.standing, offer.code) = standing(&field.path, &offer.value, profile);
        }
    }
    fields
}

fn walk(schema: &Json, node: &Map<String, Json>, parent: &str, fields: &mut Vec<Field>) {
    let Some(properties) = node.get("properties").and_then(Json::as_object) else {
        return;
    };
    let required = |key: &str| {
        node.get("required")
            .and_then(Json::as_array)
            .is_some_and(|keys| keys.iter().any(|k| k.as_str() == Some(key)))
    };
    for (key, property) in properties {
        let Some(property) = property.as_object() else {
            continue;
        };
        let path = if parent.is_empty() {
            key.clone()
        } else {
            format!("{parent}.{key}")
        };
        let target = resolve(schema, property);
        let items = target
            .get("items")
            .and_then(Json::as_object)
            .map(|items| resolve(schema, items));
        let shape = if items.is_some() {
            Shape::List
        } else if target.contains_key("properties") {
            Shape::Mapping
        } else {
            Shape::Scalar
        };
        let description = text(property, "description")
            .or_else(|| text(target, "description"))
            .unwrap_or_default();
        fields.push(Field {
            path: path.clone(),
            parent: parent.to_owned(),
            key: key.clone(),
            shape,
            required: required(key),
            description,
            values: words(target),
        });
        match items {
            Some(items) => walk(schema, items, &format!("{path}[]"), fields),
            None => walk(schema, target, &path, fields),
        }
    }
}

/// The schema a property points at (`$ref` into `$defs`), or the property itself.
fn resolve<'a>(schema: &'a Json, property: &'a Map<String, Json>) -> &'a Map<String, Json> {
    property
        .get("$ref")
        .and_then(Json::as_str)
        .and_then(|reference| reference.strip_prefix('#'))
        .and_then(|pointer| schema.pointer(pointer))
        .and_then(Json::as_object)
        .unwrap_or(property)
}

fn text(node: &Map<String, Json>, key: &str) -> Option<String> {
    node.get(key).and_then(Json::as_str).map(str::to_owned)
}

/// The words of an enumeration written as `oneOf` constants.
fn words(node: &Map<String, Json>) -> Vec<Offer> {
    let Some(choices) = node.get("oneOf").and_then(Json::as_array) else {
        return Vec::new();
    };
    choices
        .iter()
        .filter_map(Json::as_object)
        .filter_map(|choice| {
            Some(Offer {
                value: choice.get("const")?.as_str()?.to_owned(),
                description: text(choice, "description").unwrap_or_default(),
                standing: Standing::Allowed,
                code: None,
            })
        })
        .collect()
}

/// Whether `value` at `path` renders: the same rules as stages 2 and 3, asked of one word.
fn standing(path: &str, value: &str, profile: Option<&Profile>) -> (Standing, Option<Code>) {
    let reserved = match path {
        "spec.runtime" => is_reserved::<Runtime>(value),
        "spec.delivery" => is_reserved::<Delivery>(value),
        "spec.build.mode" => is_reserved::<BuildMode>(value),
        "spec.resources.tier" => is_reserved::<Tier>(value),
        "spec.capabilities[].name" => {
            let capability = find::<CapabilityName>(value);
            if capability.is_some_and(CapabilityName::is_structural) {
                return (Standing::Reserved, Some(Code::StructuralCapability));
            }
            capability.is_some_and(|c| !c.is_implemented())
        }
        _ => false,
    };
    if reserved {
        return (Standing::Reserved, Some(Code::Reserved));
    }
    let Some(profile) = profile else {
        return (Standing::Allowed, None);
    };
    let policy = &profile.spec.policy;
    let refused = match path {
        "spec.exposure" => Exposure::ALL
            .iter()
            .find(|exposure| exposure.as_str() == value)
            .filter(|exposure| !policy.exposures.contains(exposure))
            .map(|_| Code::ExposureNotAllowed),
        "spec.persistence.engine" => Engine::ALL
            .iter()
            .copied()
            .find(|engine| engine.as_str() == value)
            .filter(|&engine| {
                engine != Engine::None
                    && (!policy.engines.contains(&engine) || server(profile, engine).is_none())
            })
            .map(|_| Code::EngineNotAllowed),
        "spec.resources.tier" => find::<Tier>(value)
            .filter(|tier| !policy.tiers.contains(tier))
            .map(|_| Code::TierNotAllowed),
        _ => None,
    };
    if refused.is_some() {
        return (Standing::Refused, refused);
    }
    let injected = path == "spec.capabilities[].name"
        && find::<CapabilityName>(value)
            .is_some_and(|capability| policy.required_capabilities.contains(&capability));
    (
        Standing::Allowed,
        injected.then_some(Code::CapabilityInjected),
    )
}

fn find<T: Implemented>(value: &str) -> Option<T> {
    T::VALUES.iter().copied().find(|v| v.text() == value)
}

fn is_reserved<T: Implemented>(value: &str) -> bool {
    find::<T>(value).is_some_and(|v| !v.is_implemented())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field<'a>(fields: &'a [Field], path: &str) -> &'a Field {
        fields
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("no field {path}"))
    }

    fn standings(field: &Field) -> Vec<(&str, Standing, Option<&str>)> {
        field
            .values
            .iter()
            .map(|o| (o.value.as_str(), o.standing, o.code.map(Code::as_str)))
            .collect()
    }

    #[test]
    fn every_field_of_the_model_is_offered_under_its_parent() {
        let fields = offers(None);
        let paths: Vec<&str> = fields.iter().map(|f| f.path.as_str()).collect();
        for path in [
            "apiVersion",
            "kind",
            "metadata.name",
            "spec.exposure",
            "spec.build.dockerfilePath",
            "spec.capabilities[].name",
            "spec.dependencies[].workload",
            "spec.resources.tier",
        ] {
            assert!(paths.contains(&path), "{path} in {paths:?}");
        }
        let capabilities = field(&fields, "spec.capabilities");
        assert_eq!(
            (capabilities.parent.as_str(), capabilities.shape),
            ("spec", Shape::List)
        );
        assert_eq!(field(&fields, "spec").shape, Shape::Mapping);
        assert!(field(&fields, "spec.runtime").required);
        assert!(!field(&fields, "spec.delivery").required);
        assert!(field(&fields, "metadata.name").values.is_empty());
    }

    #[test]
    fn reserved_words_are_marked_without_a_profile() {
        let fields = offers(None);
        let delivery = standings(field(&fields, "spec.delivery"));
        assert_eq!(delivery[0], ("rolling", Standing::Allowed, None));
        assert!(
            delivery[1..]
                .iter()
                .all(|&(_, s, code)| s == Standing::Reserved && code == Some("Z201"))
        );
        let capabilities = standings(field(&fields, "spec.capabilities[].name"));
        assert!(capabilities.contains(&("cron", Standing::Reserved, Some("Z202"))));
        assert!(capabilities.contains(&("ai-training", Standing::Reserved, Some("Z201"))));
        assert!(capabilities.contains(&("metrics", Standing::Allowed, None)));
    }

    #[test]
    fn the_profile_decides_exposures_engines_tiers_and_injections() {
        let linode = Profile::named("linode").expect("built-in");
        let fields = offers(Some(linode));
        let tiers = standings(field(&fields, "spec.resources.tier"));
        assert!(tiers.contains(&("large", Standing::Refused, Some("Z303"))));
        assert!(tiers.contains(&("small", Standing::Allowed, None)));

        let aws = Profile::named("aws").expect("built-in");
        let fields = offers(Some(aws));
        let capabilities = standings(field(&fields, "spec.capabilities[].name"));
        assert!(capabilities.contains(&("metrics", Standing::Allowed, Some("W003"))));
        let engines = standings(field(&fields, "spec.persistence.engine"));
        assert!(engines.contains(&("none", Standing::Allowed, None)));
        let exposures = standings(field(&fields, "spec.exposure"));
        assert!(exposures.contains(&("public-http", Standing::Allowed, None)));
    }
}
