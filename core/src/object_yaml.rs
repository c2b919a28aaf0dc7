//! The YAML of a render's objects: the one emitter, with the labels and annotations every
//! object shares written once and copied after.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Serialize, Serializer};

use crate::manifest::{Object, SharedMetadata, merged};
use crate::yaml::{EmitError, Mapping, Memo, Place, write_value_at, write_yaml_spliced};

/// Writes the objects of one render, byte for byte what [`crate::yaml::write_yaml`] writes for
/// each whole object ([`crate::manifest::Manifest::with_shared`]).
pub(crate) struct ObjectWriter<'v> {
    shared: &'v SharedMetadata,
    maps: Memo<'v, BTreeMap<String, String>>,
}

impl<'v> ObjectWriter<'v> {
    /// A writer that has written nothing yet, adding `shared` to every object's metadata.
    pub(crate) fn new(shared: &'v SharedMetadata) -> Self {
        ObjectWriter {
            shared,
            maps: Memo::new(),
        }
    }

    /// Appends `object` as a YAML document to `out`; on error `out` is left as it was.
    pub(crate) fn write(&mut self, object: &'v Object, out: &mut String) -> Result<(), EmitError> {
        let metadata = object.metadata();
        write_yaml_spliced(object, out, "metadata", &mut |out, place| {
            self.metadata(metadata, out, place)
        })
    }

    /// An object's metadata as the emitter writes `ObjectMeta` (its fields in the order its
    /// serializer gives them), with the shared labels and annotations added. Metadata with any
    /// other field set (zave sets none) is written by the emitter itself, whole.
    fn metadata(
        &mut self,
        metadata: &'v ObjectMeta,
        out: &mut String,
        place: Place,
    ) -> Result<(), EmitError> {
        let ObjectMeta {
            annotations,
            creation_timestamp: None,
            deletion_grace_period_seconds: None,
            deletion_timestamp: None,
            finalizers,
            generate_name: None,
            generation: None,
            labels,
            managed_fields: None,
            name,
            namespace,
            owner_references: None,
            resource_version: None,
            self_link: None,
            uid: None,
        } = metadata
        else {
            let mut whole = metadata.clone();
            self.shared.add_to(&mut whole);
            return write_value_at(&whole, out, place);
        };
        let shared = self.shared;
        let mut fields = Mapping::new(out, place);
        fields.field_with("annotations", |out, place| {
            self.map(&shared.annotations, annotations.as_ref(), out, place)
        })?;
        if let Some(finalizers) = finalizers {
            fields.field("finalizers", finalizers)?;
        }
        fields.field_with("labels", |out, place| {
            self.map(&shared.labels, labels.as_ref(), out, place)
        })?;
        if let Some(name) = name {
            fields.field("name", name)?;
        }
        if let Some(namespace) = namespace {
            fields.field("namespace", namespace)?;
        }
        fields.finish()
    }

    /// The labels or annotations of an object: the shared map's text when the object has none
    /// of its own, else the two merged.
    fn map(
        &mut self,
        shared: &'v BTreeMap<String, String>,
        own: Option<&'v BTreeMap<String, String>>,
        out: &mut String,
        place: Place,
    ) -> Result<(), EmitError> {
        match own.filter(|own| !own.is_empty()) {
            None => self.maps.write(shared, out, place),
            Some(own) => write_value_at(&Merged { shared, own }, out, place),
        }
    }
}

/// A shared map and an object's own, serialized as the one map [`merged`] gives.
struct Merged<'m> {
    shared: &'m BTreeMap<String, String>,
    own: &'m BTreeMap<String, String>,
}

impl Serialize for Merged<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(merged(self.shared, self.own))
    }
}
