//! The native half of the `zave` Python package: it converts values and hands the core's
//! outcomes back as plain data. Exceptions, `Diagnostic` and `Render` are Python classes in
//! `python/zave/`, which raise from what these functions return.

mod source;
mod tree;

use std::borrow::Cow;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyList;
use zave::{Diagnostic, Diagnostics, RenderInputs, TextStyle};

use source::Source;

/// The extension's own heap (Python's objects keep pymalloc): a render's few thousand
/// short-lived blocks cost far fewer instructions than with the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The core's findings as JSON text, the one form diagnostics cross the boundary in.
fn findings_json(findings: &[Diagnostic]) -> String {
    serde_json::to_string(findings).unwrap_or_else(|_| "[]".to_owned())
}

/// A refusal: the findings, and their text as the CLI prints it.
type Refusal = (String, String);

/// The name a flags file's findings show: the binding is given its text, not its path.
const FLAGS_FILE_NAME: &str = "flags.json";

fn refusal(findings: Vec<Diagnostic>, file_name: &str, source: &Source<'_>) -> Refusal {
    let json = findings_json(&findings);
    let text = Diagnostics(findings).to_text(file_name, source.text().as_deref(), TextStyle::Plain);
    (json, text)
}

/// A loaded profile: a built-in one (borrowed, never copied), or one read from YAML.
#[pyclass(frozen, module = "zave._native", name = "NativeProfile")]
struct NativeProfile {
    profile: Cow<'static, zave::Profile>,
    source: Cow<'static, str>,
}

#[pymethods]
impl NativeProfile {
    /// The profile's name.
    #[getter]
    fn name(&self) -> &str {
        self.profile.name()
    }

    /// The YAML the profile was read from.
    #[getter]
    fn source(&self) -> &str {
        &self.source
    }
}

/// The built-in profile called `name`: `(profile, "")`, or `(None, message)` naming the
/// built-in ones.
#[pyfunction]
fn builtin_profile(name: &str) -> (Option<NativeProfile>, String) {
    match zave::Profile::named(name) {
        Ok(profile) => (
            Some(NativeProfile {
                profile: Cow::Borrowed(profile),
                source: Cow::Borrowed(zave::Profile::builtin_source(name).unwrap_or_default()),
            }),
            String::new(),
        ),
        Err(unknown) => (None, unknown.to_string()),
    }
}

/// The names of the built-in profiles, in the order `zave profile list` gives.
#[pyfunction]
fn builtin_profile_names() -> Vec<&'static str> {
    zave::profile::builtin_names().collect()
}

/// Reads a profile: `(profile, None)` or `(None, (findings_json, text))`.
#[pyfunction]
fn profile_from_yaml(source: &[u8], file_name: &str) -> (Option<NativeProfile>, Option<Refusal>) {
    match zave::Profile::from_yaml(source) {
        Ok(profile) => (
            Some(NativeProfile {
                profile: Cow::Owned(profile),
                source: Cow::Owned(String::from_utf8_lossy(source).into_owned()),
            }),
            None,
        ),
        Err(Diagnostics(findings)) => (
            None,
            Some(refusal(findings, file_name, &Source::Text(source))),
        ),
    }
}

/// Validates a contract: every finding, as JSON (the contract is valid when none is an error).
#[pyfunction]
#[pyo3(signature = (source, profile, strict))]
fn validate(
    py: Python<'_>,
    source: &Bound<'_, PyAny>,
    profile: Option<&NativeProfile>,
    strict: bool,
) -> PyResult<String> {
    let source = Source::extract(source)?;
    let profile = profile.map(|p| p.profile.as_ref());
    let options = zave::ValidateOptions { strict, profile };
    let outcome = py.detach(|| source.validate(options));
    Ok(match outcome {
        Ok(checked) => findings_json(&checked.findings),
        Err(Diagnostics(findings)) => findings_json(&findings),
    })
}

/// Renders a contract: `(render, None)` or `(None, (findings_json, text))`. The GIL is
/// released while the core works.
#[pyfunction]
#[pyo3(signature = (source, file_name, profile, image, version, bundle, flags, strict))]
#[allow(
    clippy::too_many_arguments,
    reason = "mirrors the keyword arguments of zave.render"
)]
fn render(
    py: Python<'_>,
    source: &Bound<'_, PyAny>,
    file_name: &str,
    profile: &NativeProfile,
    image: Option<&str>,
    version: Option<&str>,
    bundle: Option<&str>,
    flags: Option<&str>,
    strict: bool,
) -> PyResult<(Option<NativeRender>, Option<Refusal>)> {
    let source = Source::extract(source)?;
    let flags = match flags
        .map(|text| zave::flags::parse(text.as_bytes()))
        .transpose()
    {
        Ok(flags) => flags,
        Err(Diagnostics(findings)) => {
            let json = findings_json(&findings);
            let text = Diagnostics(findings).to_text(FLAGS_FILE_NAME, flags, TextStyle::Plain);
            return Ok((None, Some((json, text))));
        }
    };
    let inputs = RenderInputs {
        image,
        version,
        bundle,
        flags: flags.as_ref(),
        strict,
    };
    let outcome = py.detach(|| source.render(&profile.profile, inputs));
    Ok(match outcome {
        Ok(rendered) => {
            let profile = profile.profile.clone();
            (Some(NativeRender { rendered, profile }), None)
        }
        Err(Diagnostics(findings)) => (None, Some(refusal(findings, file_name, &source))),
    })
}

/// A finished render, kept native until Python asks for a part of it.
#[pyclass(frozen, module = "zave._native", name = "NativeRender")]
struct NativeRender {
    rendered: zave::Rendered,
    /// The profile it was rendered under, which shapes the index and the pooler's set-level
    /// files (a built-in is borrowed).
    profile: Cow<'static, zave::Profile>,
}

#[pymethods]
impl NativeRender {
    /// The contract's name.
    #[getter]
    fn name(&self) -> &str {
        &self.rendered.name
    }

    /// The contract hash, `sha256:<hex>`.
    #[getter]
    fn contract_hash(&self) -> &str {
        self.rendered.hash.as_str()
    }

    /// The tenant's files as `(path, text)` pairs, in tree order.
    fn files<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(
            py,
            self.rendered
                .files
                .iter()
                .map(|file| (file.path.as_str(), file.content.as_str())),
        )
    }

    /// The whole tree `zave render --out` writes into an empty folder: the tenant's files and
    /// the index (and, for a tenant on a pooler, the pooler's files), as `(path, text)` pairs.
    fn tree<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let files = zave::tree::fresh_tree(std::slice::from_ref(&self.rendered), &self.profile)
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        PyList::new(py, files.into_iter().map(|file| (file.path, file.content)))
    }

    /// Every file as one YAML stream, as `zave render` prints it.
    fn to_yaml(&self) -> String {
        zave::to_stream(&self.rendered.files)
    }

    /// The objects as a JSON array, in the one order.
    fn objects_json(&self) -> PyResult<String> {
        let manifests = self.rendered.manifests();
        let objects: Vec<_> = manifests.iter().map(|m| &m.object).collect();
        serde_json::to_string(&objects).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// The report (mutations and warnings) as JSON.
    fn findings_json(&self) -> String {
        findings_json(&self.rendered.findings)
    }
}

/// The contract hash of a source: `(hash, None)` or `(None, (findings_json, text))`.
#[pyfunction]
fn contract_hash(
    source: &Bound<'_, PyAny>,
    file_name: &str,
) -> PyResult<(Option<String>, Option<Refusal>)> {
    let source = Source::extract(source)?;
    Ok(match source.document() {
        Ok(document) => (Some(zave::ContractHash::of(&document).to_string()), None),
        Err(finding) => (None, Some(refusal(vec![finding], file_name, &source))),
    })
}

/// The JSON Schema of `"contract"` or `"profile"`, as JSON text; `None` for another kind.
#[pyfunction]
fn schema(kind: &str) -> Option<String> {
    let schema = match kind {
        "contract" => zave::contract_schema(),
        "profile" => zave::profile::profile_schema(),
        _ => return None,
    };
    Some(zave::schema::to_pretty_json(schema))
}

/// The `zave._native` module.
#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add("VERSION", zave::VERSION)?;
    module.add("DEFAULT_PROFILE", zave::profile::DEFAULT_PROFILE)?;
    module.add_class::<NativeProfile>()?;
    module.add_class::<NativeRender>()?;
    module.add_function(wrap_pyfunction!(builtin_profile, module)?)?;
    module.add_function(wrap_pyfunction!(builtin_profile_names, module)?)?;
    module.add_function(wrap_pyfunction!(profile_from_yaml, module)?)?;
    module.add_function(wrap_pyfunction!(validate, module)?)?;
    module.add_function(wrap_pyfunction!(render, module)?)?;
    module.add_function(wrap_pyfunction!(contract_hash, module)?)?;
    module.add_function(wrap_pyfunction!(schema, module)?)?;
    module.add_function(wrap_pyfunction!(tree::tree_run, module)?)?;
    Ok(())
}
