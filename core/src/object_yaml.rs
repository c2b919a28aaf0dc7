//! The YAML of a render's objects: the one emitter, with the labels and annotations that every
//! object of a render repeats written once and copied after.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::manifest::Object;
use crate::yaml::{EmitError, Mapping, Memo, Place, write_value_at, write_yaml_spliced};

/// Writes the objects of one render (or any set of objects sharing metadata), byte for byte
/// what [`crate::yaml::write_yaml`] writes for each.
pub(crate) struct ObjectWriter<'v> {
    maps: Memo<'v, BTreeMap<String, String>>,
}

impl<'v> ObjectWriter<'v> {
    /// A writer that has written nothing yet.
    pub(crate) fn new() -> Self {
        ObjectWriter { maps: Memo::new() }
    }

    /// Appends `object` as a YAML document to `out`; on error `out` is left as it was.
    pub(crate) fn write(&mut self, object: &'v Object, out: &mut String) -> Result<(), EmitError> {
        let metadata = object.metadata();
        write_yaml_spliced(object, out, "metadata", &mut |out, place| {
            self.metadata(metadata, out, place)
        })
    }

    /// An object's metadata as the emitter writes `ObjectMeta` (its fields in the order its
    /// serializer gives them), with labels and annotations from the memo. Metadata with any
    /// other field set (zave sets none) is written by the emitter itself.
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
            return write_value_at(metadata, out, place);
        };
        let mut fields = Mapping::new(out, place);
        if let Some(annotations) = annotations {
            fields.field_with("annotations", |out, place| {
                self.maps.write(annotations, out, place)
            })?;
        }
        if let Some(finalizers) = finalizers {
            fields.field("finalizers", finalizers)?;
        }
        if let Some(labels) = labels {
            fields.field_with("labels", |out, place| self.maps.write(labels, out, place))?;
        }
        if let Some(name) = name {
            fields.field("name", name)?;
        }
        if let Some(namespace) = namespace {
            fields.field("namespace", namespace)?;
        }
        fields.finish()
    }
}
