//! A contract as Python gives it: YAML bytes, or plain data (dicts, lists, scalars) that
//! becomes a document without positions.

use std::borrow::Cow;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::Value as Json;
use zave::document::{MAX_DEPTH, Node};
use zave::{CheckedContract, Diagnostic, Diagnostics, Profile, RenderInputs, Rendered};

/// A contract source, borrowed from Python for the duration of one call.
pub enum Source<'a> {
    /// YAML text as bytes.
    Text(&'a [u8]),
    /// Data without source text.
    Data(Json),
}

impl<'a> Source<'a> {
    /// Bytes are YAML text; a dict is contract data. The Python layer turns `str` and paths
    /// into bytes before calling.
    pub fn extract(object: &'a Bound<'_, PyAny>) -> PyResult<Source<'a>> {
        if let Ok(bytes) = object.cast::<PyBytes>() {
            return Ok(Source::Text(bytes.as_bytes()));
        }
        if object.is_instance_of::<PyDict>() {
            return Ok(Source::Data(to_json(object, 0)?));
        }
        Err(PyTypeError::new_err(format!(
            "a contract is YAML text (str or bytes), a dict, or a path; got {}",
            type_name(object)
        )))
    }

    /// The source text, when there is one, for snippets in the human form of findings.
    pub fn text(&self) -> Option<Cow<'a, str>> {
        match self {
            Source::Text(bytes) => Some(String::from_utf8_lossy(bytes)),
            Source::Data(_) => None,
        }
    }

    /// The positioned document (text) or the document without positions (data).
    pub fn document(&self) -> Result<Node, Diagnostic> {
        match self {
            Source::Text(bytes) => zave::document::load(bytes),
            Source::Data(data) => zave::document::from_json(data),
        }
    }

    /// Stages 1–3 of the core.
    pub fn validate(
        &self,
        options: zave::ValidateOptions<'_>,
    ) -> Result<CheckedContract, Diagnostics> {
        match self {
            Source::Text(bytes) => zave::validate(bytes, options),
            Source::Data(_) => zave::validate_document(&self.loaded()?, options),
        }
    }

    /// The core's render.
    pub fn render(
        &self,
        profile: &Profile,
        inputs: RenderInputs<'_>,
    ) -> Result<Rendered, Diagnostics> {
        match self {
            Source::Text(bytes) => zave::render(bytes, profile, inputs),
            Source::Data(_) => zave::render_document(&self.loaded()?, profile, inputs),
        }
    }

    fn loaded(&self) -> Result<Node, Diagnostics> {
        self.document()
            .map_err(|finding| Diagnostics(vec![finding]))
    }
}

fn type_name(object: &Bound<'_, PyAny>) -> String {
    object
        .get_type()
        .name()
        .map(|name| name.to_string())
        .unwrap_or_else(|_| "an unknown type".to_owned())
}

/// Python data to JSON, refusing what a contract cannot hold. Recursion stops one level past
/// the core's nesting limit (the core then reports it), so a cyclic dict cannot overflow the
/// stack.
fn to_json(object: &Bound<'_, PyAny>, depth: usize) -> PyResult<Json> {
    if depth > MAX_DEPTH {
        return Ok(Json::Array(Vec::new()));
    }
    if object.is_none() {
        Ok(Json::Null)
    } else if let Ok(b) = object.cast::<PyBool>() {
        Ok(Json::Bool(b.is_true()))
    } else if object.is_instance_of::<PyInt>() {
        let value: i64 = object
            .extract()
            .map_err(|_| PyValueError::new_err("an integer in a contract must fit 64 bits"))?;
        Ok(Json::from(value))
    } else if let Ok(f) = object.cast::<PyFloat>() {
        Ok(serde_json::Number::from_f64(f.value())
            .map(Json::Number)
            .unwrap_or_else(|| Json::String(f.value().to_string())))
    } else if let Ok(s) = object.cast::<PyString>() {
        Ok(Json::String(s.to_cow()?.into_owned()))
    } else if let Ok(dict) = object.cast::<PyDict>() {
        let mut map = serde_json::Map::new();
        for (key, value) in dict.iter() {
            let key = key.cast::<PyString>().map_err(|_| {
                PyTypeError::new_err(format!(
                    "contract keys are strings; got the key {} ({})",
                    key.repr().map(|r| r.to_string()).unwrap_or_default(),
                    type_name(&key)
                ))
            })?;
            map.insert(key.to_cow()?.into_owned(), to_json(&value, depth + 1)?);
        }
        Ok(Json::Object(map))
    } else if object.is_instance_of::<PyList>() || object.is_instance_of::<PyTuple>() {
        let items = object
            .try_iter()?
            .map(|item| to_json(&item?, depth + 1))
            .collect::<PyResult<_>>()?;
        Ok(Json::Array(items))
    } else {
        Err(PyTypeError::new_err(format!(
            "a contract holds dicts, lists, strings, numbers, booleans and None; got {}",
            type_name(object)
        )))
    }
}
